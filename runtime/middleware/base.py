"""`DefineMiddleware` and `AbstractMiddleware`, as Litestar names them.

A middleware is a callable that takes the next ASGI app as `app=` and returns an ASGI app: a
class such as `AbstractMiddleware` subclasses, a factory function, or `DefineMiddleware`
(a factory plus the other arguments it takes).
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any, ClassVar, TypeAlias

from ..types import ASGIApp, Receive, Scope, Send

__all__ = ["AbstractMiddleware", "DefineMiddleware", "Middleware", "exclude_pattern"]

Middleware: TypeAlias = "Callable[..., ASGIApp] | DefineMiddleware"


class DefineMiddleware:
    """A middleware factory with the arguments to call it with besides `app`."""

    __slots__ = ("args", "kwargs", "middleware")

    def __init__(self, middleware: Callable[..., ASGIApp], *args: Any, **kwargs: Any) -> None:
        self.middleware = middleware
        self.args = args
        self.kwargs = kwargs

    def __call__(self, app: ASGIApp) -> ASGIApp:
        return self.middleware(*self.args, app=app, **self.kwargs)

    def __repr__(self) -> str:
        return f"DefineMiddleware({self.middleware!r}, *{self.args!r}, **{self.kwargs!r})"


def exclude_pattern(exclude: str | Iterable[str] | None) -> re.Pattern[str] | None:
    """One pattern searched in a request's path (Litestar's `exclude`), or None."""
    if not exclude:
        return None
    patterns = [exclude] if isinstance(exclude, str) else list(exclude)
    return re.compile("|".join(f"(?:{pattern})" for pattern in patterns))


_Call = Callable[[Any, Scope, Receive, Send], Awaitable[None]]


def _with_exclusions(call: _Call) -> _Call:
    async def checked(self: AbstractMiddleware, scope: Scope, receive: Receive, send: Send) -> None:
        pattern = self.exclude_pattern
        if scope["type"] not in self.scopes or (
            pattern is not None and pattern.search(scope["path"]) is not None
        ):
            await self.app(scope, receive, send)
            return
        await call(self, scope, receive, send)

    checked.__wrapped__ = call  # type: ignore[attr-defined]
    return checked


class AbstractMiddleware:
    """A middleware class: subclasses implement `async __call__(scope, receive, send)` and call
    `self.app` to go on.

    A request whose path matches one of the `exclude` patterns (regular expressions searched in
    the path), or whose scope type is not in `scopes`, skips the middleware. A route whose
    layered `opt` holds a true `exclude_opt_key` is built without it (the stack of each route is
    composed once, at start-up).
    """

    scopes: ClassVar[frozenset[str]] = frozenset({"http", "websocket"})
    exclude: ClassVar[str | list[str] | None] = None
    exclude_opt_key: ClassVar[str | None] = None

    def __init__(
        self,
        app: ASGIApp,
        exclude: str | list[str] | None = None,
        exclude_opt_key: str | None = None,
        scopes: Iterable[str] | None = None,
    ) -> None:
        self.app = app
        if scopes is not None:
            self.scopes = frozenset(str(scope) for scope in scopes)  # type: ignore[misc]
        if exclude is not None:
            self.exclude = exclude  # type: ignore[misc]
        if exclude_opt_key is not None:
            self.exclude_opt_key = exclude_opt_key  # type: ignore[misc]
        self.exclude_pattern = exclude_pattern(self.exclude)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        call = cls.__dict__.get("__call__")
        if call is not None:
            cls.__call__ = _with_exclusions(call)  # type: ignore[method-assign,assignment]

    def excluded_by(self, opt: Mapping[str, Any]) -> bool:
        """Whether a route with this layered `opt` is built without this middleware."""
        key = self.exclude_opt_key
        return key is not None and bool(opt.get(key))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        raise NotImplementedError("AbstractMiddleware subclasses implement __call__")
