"""Each route's middleware stack, composed once when the app is built.

A route handler is called with the path's captured values besides `(scope, receive, send)`;
`MiddlewareRoute` keeps that call, runs the stack, and the innermost app calls the handler with
the captures it stored in the scope. A route without middleware is served by its handler
itself: middleware costs nothing where there is none.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, Protocol

from ..types import ASGIApp, Message, Receive, Scope, Send
from .base import AbstractMiddleware

__all__ = ["CAPTURES", "MiddlewareRoute", "RouteCallable", "build_stack", "with_middleware"]

CAPTURES = "specloom.captures"  # the scope key of the path's captured values
ErrorSender = Callable[[Scope, Receive, Send, Exception], Awaitable[None]]


class RouteCallable(Protocol):
    def __call__(
        self, scope: Scope, receive: Receive, send: Send, captures: list[str]
    ) -> Awaitable[None]: ...


class _Endpoint:
    """The innermost app of a stack: the route handler with the captures of the request."""

    __slots__ = ("inner",)

    def __init__(self, inner: RouteCallable) -> None:
        self.inner = inner

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.inner(scope, receive, send, scope.get(CAPTURES) or [])


class MiddlewareRoute:
    """A route handler behind its middleware, called as the handler is.

    An exception a middleware raises before the response starts is answered as the handler's
    own would be (`send_error`); after, it propagates and the server aborts the response.
    """

    __slots__ = ("app", "handler", "inner", "send_error", "template")

    def __init__(self, inner: Any, app: ASGIApp, send_error: ErrorSender) -> None:
        self.inner = inner
        self.app = app
        self.send_error = send_error
        self.template = getattr(inner, "template", None)  # what QueryChoice tells routes by
        self.handler = getattr(inner, "handler", None)

    async def __call__(
        self, scope: Scope, receive: Receive, send: Send, captures: list[str]
    ) -> None:
        scope[CAPTURES] = captures
        started = False

        async def tracked(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracked)
        except Exception as exc:
            if started:
                raise
            await self.send_error(scope, receive, send, exc)


def build_stack(
    inner: RouteCallable, middleware: Sequence[Any], opt: Mapping[str, Any]
) -> ASGIApp | None:
    """The ASGI app running `middleware` (outermost first) around `inner`, or None when none
    applies. A middleware that excludes this route (its `exclude_opt_key` is true in `opt`, or
    it does not take HTTP) is left out of the stack."""
    app: ASGIApp = _Endpoint(inner)
    applied = False
    for factory in reversed(middleware):
        wrapped = factory(app=app)
        if isinstance(wrapped, AbstractMiddleware) and (
            wrapped.excluded_by(opt) or "http" not in wrapped.scopes
        ):
            continue
        app = wrapped
        applied = True
    return app if applied else None


def with_middleware(
    inner: Any, middleware: Sequence[Any], opt: Mapping[str, Any], send_error: ErrorSender
) -> Any:
    """`inner` behind `middleware`, or `inner` itself when there is none."""
    if not middleware:
        return inner
    app = build_stack(inner, middleware, opt)
    return inner if app is None else MiddlewareRoute(inner, app, send_error)
