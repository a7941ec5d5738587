"""ASGI and callable type aliases used across the runtime."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from typing import TYPE_CHECKING, Any, TypeAlias

if TYPE_CHECKING:
    from .response.sse import ServerSentEventMessage

__all__ = [
    "ASGIApp",
    "Message",
    "Receive",
    "SSEData",
    "Scope",
    "Send",
]

Scope: TypeAlias = MutableMapping[str, Any]
Message: TypeAlias = MutableMapping[str, Any]
Receive: TypeAlias = Callable[[], Awaitable[Message]]
Send: TypeAlias = Callable[[Message], Awaitable[None]]
ASGIApp: TypeAlias = Callable[[Scope, Receive, Send], Awaitable[None]]
RawHeaders: TypeAlias = list[tuple[bytes, bytes]]
SSEData: TypeAlias = "int | str | bytes | dict[str, Any] | ServerSentEventMessage"
AnyCallable: TypeAlias = Callable[..., Any]
ExceptionHandlersMap: TypeAlias = "dict[int | type[Exception], Callable[..., Any]]"
HeadersInput: TypeAlias = "Iterable[tuple[str, str]]"

SCHEMA_DOCS_ATTRIBUTE = "__schema_docs__"  # where `schema_docs` keeps a class's documentation
