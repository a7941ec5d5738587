"""Enumerations shared by the runtime's public API."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["HttpMethod", "MediaType"]


class MediaType(StrEnum):
    """Common media types; any IANA media type string is accepted wherever these are."""

    JSON = "application/json"
    MESSAGEPACK = "application/x-msgpack"
    TEXT = "text/plain"
    HTML = "text/html"
    CSS = "text/css"
    XML = "application/xml"


class HttpMethod(StrEnum):
    GET = "GET"
    POST = "POST"
    PUT = "PUT"
    PATCH = "PATCH"
    DELETE = "DELETE"
    HEAD = "HEAD"
    OPTIONS = "OPTIONS"
    TRACE = "TRACE"
