"""The app's middleware: what every route gets from `App`'s `cors_config`, `allowed_hosts` and
`compression_config`, around or inside the layers' own `middleware`.

Order, outermost first: CORS, allowed hosts (both around every answer of a path, HEAD and
OPTIONS included, and around 404 and 405), then the layers' middleware (the app's, a router's,
a controller's, the handler's; each list in its order), then compression, then the handler.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..compile import CompiledHandler
from ..config.allowed_hosts import AllowedHostsConfig
from ..config.compression import CompressionConfig
from ..config.cors import CORSConfig
from ..path_route import OptionsHandler, PathRoute
from ..types import ASGIApp, Receive, Scope, Send
from .allowed_hosts import AllowedHostsMiddleware
from .base import DefineMiddleware
from .compression import CompressionMiddleware
from .cors import CORSMiddleware, CORSPreflight
from .stack import ErrorSender, RouteCallable, build_stack, with_middleware

__all__ = ["AppMiddleware", "allowed_hosts_config"]


def allowed_hosts_config(
    allowed_hosts: Sequence[str] | AllowedHostsConfig | None,
) -> AllowedHostsConfig | None:
    if allowed_hosts is None or isinstance(allowed_hosts, AllowedHostsConfig):
        return allowed_hosts
    return AllowedHostsConfig(allowed_hosts=list(allowed_hosts))


class AppMiddleware:
    """The built-in middleware an `App` is configured with, applied to its routes."""

    def __init__(
        self,
        cors: CORSConfig | None,
        compression: CompressionConfig | None,
        allowed_hosts: AllowedHostsConfig | None,
    ) -> None:
        self.cors = cors
        self.inner: tuple[Any, ...] = ()
        if compression is not None:
            self.inner = (DefineMiddleware(CompressionMiddleware, config=compression),)
        self.outer: list[Any] = []
        if cors is not None:
            self.outer.append(DefineMiddleware(CORSMiddleware, config=cors))
        if allowed_hosts is not None:
            self.outer.append(DefineMiddleware(AllowedHostsMiddleware, config=allowed_hosts))

    def route(self, compiled: CompiledHandler, inner: Any = None) -> Any:
        """A compiled handler (or `inner`, what serves it) behind the layers' middleware and
        compression; an exception a middleware raises is answered by the handler's exception
        handlers."""

        async def send_error(scope: Scope, receive: Receive, send: Send, exc: Exception) -> None:
            await compiled.send_exception(scope, receive, send, exc, None)

        config = compiled.config
        served = compiled if inner is None else inner
        return with_middleware(served, (*config.middleware, *self.inner), config.opt, send_error)

    def paths(self, routes: Sequence[PathRoute], send_error: ErrorSender) -> None:
        """Put every answer of every path behind CORS and allowed hosts (once all are built)."""
        if not self.outer and self.cors is None:
            return
        for route in routes:
            for method, entry in list(route.handlers.items()):
                if self.cors is not None and isinstance(entry, OptionsHandler):
                    entry = _preflight(entry, self.cors)
                route.handlers[method] = with_middleware(entry, self.outer, {}, send_error)

    def around(self, inner: RouteCallable) -> ASGIApp | None:
        """The app-wide middleware around an answer given without a route (404, 405)."""
        return build_stack(inner, self.outer, {}) if self.outer else None


def _preflight(entry: OptionsHandler, cors: CORSConfig) -> RouteCallable:
    async def fallback(scope: Any, receive: Any, send: Any) -> None:
        await entry(scope, receive, send, [])

    preflight = CORSPreflight(fallback, cors)

    async def answer(scope: Any, receive: Any, send: Any, captures: list[str]) -> None:
        await preflight(scope, receive, send)

    return answer
