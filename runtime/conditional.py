"""Conditional requests (RFC 9110 section 13): answer a fresh client cache with 304.

The one evaluation of `If-None-Match` and `If-Modified-Since`, used for every response: those a
handler returns (their `etag` and `last-modified` headers) and the files `File` sends.
"""

from __future__ import annotations

from email.utils import parsedate_to_datetime

from .types import Scope

__all__ = [
    "http_date_seconds",
    "is_not_modified",
    "not_modified",
    "not_modified_headers",
    "opaque_tag",
]

_DROPPED_ON_304 = frozenset({b"content-type", b"content-length", b"content-encoding"})


def opaque_tag(tag: str) -> str:
    """An entity tag without its weakness marker: the weak comparison compares these."""
    tag = tag.strip()
    return tag[2:] if tag.startswith("W/") else tag


def http_date_seconds(value: str) -> int | None:
    """An HTTP date as whole seconds since the epoch, or None when it is not one."""
    try:
        return int(parsedate_to_datetime(value).timestamp())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def not_modified(
    if_none_match: str | None,
    if_modified_since: str | None,
    etag: str | None,
    modified: int | None,
) -> bool:
    """Whether a GET/HEAD of a representation with this `etag` and modification time (seconds)
    may be answered 304, given the request's two preconditions (RFC 9110 section 13.2.2)."""
    if if_none_match is not None:  # it takes precedence over If-Modified-Since
        if if_none_match.strip() == "*":  # any current representation matches
            return True
        if etag is None:
            return False
        ours = opaque_tag(etag)
        return any(opaque_tag(tag) == ours for tag in if_none_match.split(","))
    if if_modified_since is None or modified is None:
        return False
    since = http_date_seconds(if_modified_since)
    return since is not None and modified <= since


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
    modified = http_date_seconds(last_modified) if last_modified is not None else None
    return not_modified(if_none_match, if_modified_since, etag, modified)


def not_modified_headers(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """The headers of the 304 that replaces a 200: validators and caching kept, body ones gone."""
    return [(name, value) for name, value in headers if name not in _DROPPED_ON_304]
