"""`Router`: a path prefix and a layer of settings over a group of handlers."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeAlias

from .controller import Controller
from .exceptions import ImproperlyConfiguredException
from .handlers import HTTPRouteHandler

if TYPE_CHECKING:
    from .datastructures import CacheControlHeader, Cookie, ETag, ResponseHeader
    from .middleware.base import Middleware

__all__ = ["ControllerRouterHandler", "Router", "join_paths"]

ControllerRouterHandler: TypeAlias = "Router | type[Controller] | Controller | HTTPRouteHandler"


def join_paths(*parts: str) -> str:
    """Join path fragments with single slashes; the result starts with '/'.

    A trailing slash is kept only where the last fragment names a segment and ends with one
    (`@get("/services/")`): requests match with or without it, and the document shows it as
    declared. `@get("/")` under a controller is the controller's path itself.
    """
    # one slash at each end of a part joins it; an empty segment inside (`//x`) is a segment
    trimmed = [part.removeprefix("/").removesuffix("/") for part in parts]
    segments = [segment for part in trimmed if part for segment in part.split("/")]
    last = parts[-1] if parts else ""
    trailing = "/" if segments and last.endswith("/") and last.strip("/") else ""
    return "/" + "/".join(segments) + trailing


class Router:
    """A group of route handlers, controllers and routers under a path prefix."""

    def __init__(
        self,
        path: str,
        route_handlers: Sequence[ControllerRouterHandler],
        *,
        dependencies: Mapping[str, Any] | None = None,
        exception_handlers: Mapping[Any, Callable[..., Any]] | None = None,
        guards: Sequence[Callable[..., Any]] | None = None,
        middleware: Sequence[Middleware] | None = None,
        response_headers: Sequence[ResponseHeader] | Mapping[str, str] | None = None,
        response_cookies: Sequence[Cookie] | None = None,
        cache_control: CacheControlHeader | None = None,
        etag: ETag | None = None,
        before_request: Callable[..., Any] | None = None,
        after_request: Callable[..., Any] | None = None,
        after_response: Callable[..., Any] | None = None,
        response_class: type[Any] | None = None,
        type_encoders: Mapping[Any, Callable[[Any], Any]] | None = None,
        request_max_body_size: int | None = None,
        signature_namespace: Mapping[str, Any] | None = None,
        security: Sequence[Mapping[str, Sequence[str]]] | None = None,
        tags: Sequence[str] | None = None,
        include_in_schema: bool | None = None,
        opt: Mapping[str, Any] | None = None,
    ) -> None:
        self.path = path
        self.route_handlers = list(route_handlers)
        self.dependencies = dependencies
        self.exception_handlers = exception_handlers
        self.guards = guards
        self.middleware = middleware
        self.response_headers = response_headers
        self.response_cookies = response_cookies
        self.cache_control = cache_control
        self.etag = etag
        self.before_request = before_request
        self.after_request = after_request
        self.after_response = after_response
        self.response_class = response_class
        self.type_encoders = type_encoders
        self.request_max_body_size = request_max_body_size
        self.signature_namespace = signature_namespace
        self.security = security
        self.tags = tags
        self.include_in_schema = include_in_schema
        self.opt = opt

    def walk(
        self, prefix: str = "", layers: tuple[Any, ...] = ()
    ) -> list[tuple[str, HTTPRouteHandler, tuple[Any, ...]]]:
        """Every (full path, handler, layers from app to handler) below this router."""
        prefix = join_paths(prefix, self.path)
        layers = (*layers, self)
        found: list[tuple[str, HTTPRouteHandler, tuple[Any, ...]]] = []
        for item in self.route_handlers:
            if isinstance(item, Router):
                found.extend(item.walk(prefix, layers))
            elif isinstance(item, type) and issubclass(item, Controller):
                found.extend(_walk_controller(item(), prefix, layers))
            elif isinstance(item, Controller):
                found.extend(_walk_controller(item, prefix, layers))
            elif isinstance(item, HTTPRouteHandler):
                if item.fn is None:
                    raise ImproperlyConfiguredException(f"{item!r} decorates no function")
                found.extend((join_paths(prefix, p), item, (*layers, item)) for p in item.paths)
            else:
                raise ImproperlyConfiguredException(
                    f"{item!r} is not a route handler, controller or router; decorate functions "
                    "with @get/@post/... before registering them"
                )
        return found


def _walk_controller(
    controller: Controller, prefix: str, layers: tuple[Any, ...]
) -> list[tuple[str, HTTPRouteHandler, tuple[Any, ...]]]:
    base = join_paths(prefix, controller.path)
    return [
        (join_paths(base, path), handler, (*layers, controller, handler))
        for handler in controller.get_route_handlers()
        for path in handler.paths
    ]
