"""Reading request headers from a scope and editing a response start message's headers."""

from __future__ import annotations

from collections.abc import Iterable

from ..types import Message, Scope

__all__ = ["add_vary", "header", "set_header", "without"]


def header(scope: Scope, name: bytes) -> bytes | None:
    """The first value of the request header `name` (lower-case), or None."""
    for key, value in scope.get("headers", ()):
        if key == name:
            return bytes(value)
    return None


def without(headers: Iterable[tuple[bytes, bytes]], *names: bytes) -> list[tuple[bytes, bytes]]:
    return [(key, value) for key, value in headers if key.lower() not in names]


def set_header(message: Message, name: bytes, value: bytes) -> None:
    """Replace the response header `name` (lower-case) in a start message."""
    message["headers"] = [*without(message.get("headers", ()), name), (name, value)]


def add_vary(message: Message, value: bytes) -> None:
    """Add `value` to the response's `vary` header, keeping what it names already."""
    headers = list(message.get("headers", ()))
    for index, (key, existing) in enumerate(headers):
        if key.lower() == b"vary":
            names = [part.strip().lower() for part in existing.split(b",")]
            if value.lower() not in names and b"*" not in names:
                headers[index] = (key, existing + b", " + value)
            message["headers"] = headers
            return
    headers.append((b"vary", value))
    message["headers"] = headers
