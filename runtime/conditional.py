"""Conditional requests (RFC 9110 section 13): answer a fresh client cache with 304."""

from __future__ import annotations

from email.utils import parsedate_to_datetime

from .types import Scope

__all__ = ["is_not_modified", "not_modified_headers"]

_DROPPED_ON_304 = frozenset({b"content-type", b"content-length", b"content-encoding"})


def _strip_weak(tag: str) -> str:
    tag = tag.strip()
    return tag[2:] if tag.startswith("W/") else tag


def is_not_modified(scope: Scope, headers: list[tuple[bytes, bytes]]) -> bool:
    """Whether a 200 response with these headers may be answered 304 for this GET/HEAD."""
    if scope["method"] not in ("GET", "HEAD"):
        return False
    if_none_match = if_modified_since = None
    for name, value in scope["headers"]:
        if name == b"if-none-match":
            if_none_match = value.decode("latin-1")
        elif name == b"if-modified-since":
            if_modified_since = value.decode("latin-1")
    if if_none_match is None and if_modified_since is None:
        return False
    etag = last_modified = None
    for name, value in headers:
        if name == b"etag":
            etag = value.decode("latin-1")
        elif name == b"last-modified":
            last_modified = value.decode("latin-1")
    if if_none_match is not None:  # takes precedence over If-Modified-Since
        if etag is None:
            return False
        if if_none_match.strip() == "*":
            return True
        wanted = _strip_weak(etag)
        return any(_strip_weak(tag) == wanted for tag in if_none_match.split(","))
    if last_modified is None or if_modified_since is None:
        return False
    try:
        return parsedate_to_datetime(last_modified) <= parsedate_to_datetime(if_modified_since)
    except (TypeError, ValueError):
        return False


def not_modified_headers(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """The headers of the 304 that replaces a 200: validators and caching kept, body ones gone."""
    return [(name, value) for name, value in headers if name not in _DROPPED_ON_304]
