"""Response header objects: layered `ResponseHeader`s, Cache-Control, ETag and Set-Cookie."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import msgspec

from ..datastructures import Cookie, ResponseHeader
from ..layers import HandlerConfig
from .parameters import example_map, plain
from .schema import SchemaRegistry

__all__ = ["HeaderMap", "header_object", "layered_headers", "simple_header"]


class HeaderMap:
    """Header objects by name, compared case-insensitively; a later `set` replaces an earlier."""

    def __init__(self) -> None:
        self._items: dict[str, tuple[str, dict[str, Any]]] = {}

    def set(self, name: str, header: dict[str, Any]) -> None:
        self._items.pop(name.lower(), None)
        self._items[name.lower()] = (name, header)

    def get(self, name: str) -> dict[str, Any] | None:
        item = self._items.get(name.lower())
        return item[1] if item is not None else None

    def items(self) -> list[tuple[str, dict[str, Any]]]:
        return list(self._items.values())

    def update(self, other: HeaderMap) -> None:
        for name, header in other._items.values():
            self.set(name, header)

    def copy(self) -> HeaderMap:
        result = HeaderMap()
        result.update(self)
        return result

    def to_dict(self) -> dict[str, Any]:
        return {name: header for name, header in self._items.values()}


def simple_header(
    description: str | None = None, required: bool = False, schema: dict[str, Any] | None = None
) -> dict[str, Any]:
    """A header object with a schema (a string unless told), a description and `required`."""
    header: dict[str, Any] = {}
    if description is not None:
        header["description"] = description
    if required:
        header["required"] = True
    header["schema"] = schema if schema is not None else {"type": "string"}
    return header


def header_object(header: ResponseHeader, registry: SchemaRegistry) -> dict[str, Any]:
    """The OpenAPI header object of a `ResponseHeader` (documentation-only ones included)."""
    result: dict[str, Any] = {}
    if header.description is not None:
        result["description"] = header.description
    if header.required:
        result["required"] = True
    if header.deprecated:
        result["deprecated"] = True
    if header.style:
        result["style"] = header.style
    if header.explode is not None:
        result["explode"] = header.explode
    schema = registry.schema(header.schema if header.schema is not None else str)
    if header.media_type is not None:  # serialized as a media type: `content`, not `schema`
        result["content"] = {header.media_type: {"schema": schema}}
    else:
        result["schema"] = schema
    if header.example is not msgspec.UNSET:
        result["example"] = plain(header.example)
    if header.examples:
        result["examples"] = example_map(header.examples)
    result.update(plain(dict(header.extensions or {})))  # its `x-` keys, as written
    return result


def _cookies_header(cookies: Iterable[Cookie]) -> dict[str, Any] | None:
    cookies = list(cookies)
    if not cookies:
        return None
    parts = [
        f"`{cookie.key}`" + (f": {cookie.description}" if cookie.description else "")
        for cookie in cookies
    ]
    return simple_header("Sets the cookies " + "; ".join(parts))


def layered_headers(config: HandlerConfig, registry: SchemaRegistry) -> HeaderMap:
    """Every header the handler's layers declare, the closest layer winning per name."""
    headers = HeaderMap()
    for header in config.response_headers:
        headers.set(header.name, header_object(header, registry))
    if config.cache_control is not None:
        description = config.cache_control.description or "Caching directives (RFC 9111)"
        headers.set("Cache-Control", simple_header(description))
    if config.etag is not None:
        description = config.etag.description or "The entity tag of the representation (RFC 9110)"
        headers.set("ETag", simple_header(description))
    cookies = _cookies_header(config.response_cookies)
    if cookies is not None:
        headers.set("Set-Cookie", cookies)
    return headers
