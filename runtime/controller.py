"""`Controller`: a class whose methods are route handlers and whose attributes are a layer."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from .handlers import HTTPRouteHandler

if TYPE_CHECKING:
    from .datastructures import CacheControlHeader, Cookie, ETag, ResponseHeader
    from .middleware.base import Middleware

__all__ = ["Controller"]


class Controller:
    """Group handlers under a path; class attributes are layered settings for all of them."""

    path: ClassVar[str] = "/"
    dependencies: ClassVar[Mapping[str, Any] | None] = None
    exception_handlers: ClassVar[Mapping[Any, Callable[..., Any]] | None] = None
    guards: ClassVar[Sequence[Callable[..., Any]] | None] = None
    middleware: ClassVar[Sequence[Middleware] | None] = None
    response_headers: ClassVar[Sequence[ResponseHeader] | Mapping[str, str] | None] = None
    response_cookies: ClassVar[Sequence[Cookie] | None] = None
    cache_control: ClassVar[CacheControlHeader | None] = None
    etag: ClassVar[ETag | None] = None
    before_request: ClassVar[Callable[..., Any] | None] = None
    after_request: ClassVar[Callable[..., Any] | None] = None
    after_response: ClassVar[Callable[..., Any] | None] = None
    response_class: ClassVar[type[Any] | None] = None
    type_encoders: ClassVar[Mapping[Any, Callable[[Any], Any]] | None] = None
    request_max_body_size: ClassVar[int | None] = None
    signature_namespace: ClassVar[Mapping[str, Any] | None] = None
    security: ClassVar[Sequence[Mapping[str, Sequence[str]]] | None] = None
    tags: ClassVar[Sequence[str] | None] = None
    include_in_schema: ClassVar[bool | None] = None
    opt: ClassVar[Mapping[str, Any] | None] = None

    def get_route_handlers(self) -> list[HTTPRouteHandler]:
        """This controller's handlers, each bound to this instance."""
        # a subclass overriding a handler by name replaces it
        by_name: dict[str, HTTPRouteHandler] = {}
        for klass in reversed(type(self).__mro__):
            for key, attr in vars(klass).items():
                if isinstance(attr, HTTPRouteHandler):
                    by_name[key] = attr
        return [handler.bound_to(self) for handler in by_name.values()]
