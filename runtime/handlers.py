"""Route handlers: the `get`, `post`, ... decorators and the `HTTPRouteHandler` they create."""

from __future__ import annotations

import copy
import enum
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypedDict, TypeVar, Unpack

from .enums import HttpMethod, MediaType
from .exceptions import ImproperlyConfiguredException, require_extension_keys

if TYPE_CHECKING:
    from .background_tasks import BackgroundTask, BackgroundTasks
    from .datastructures import CacheControlHeader, Cookie, ETag, ResponseHeader
    from .di import Provide
    from .middleware.base import Middleware

__all__ = [
    "NO_OPERATION_ID",
    "HTTPRouteHandler",
    "NoOperationId",
    "delete",
    "get",
    "head",
    "patch",
    "post",
    "put",
    "route",
]

F = TypeVar("F", bound=Callable[..., Any])


class NoOperationId(enum.Enum):
    """`operation_id=NO_OPERATION_ID`: the operation has no operationId (as its spec has none);
    without operation_id it is named after the handler, and `""` is an empty operationId."""

    NO_OPERATION_ID = "NO_OPERATION_ID"


NO_OPERATION_ID = NoOperationId.NO_OPERATION_ID


def _normalize_methods(http_method: str | Iterable[str]) -> frozenset[str]:
    methods = [http_method] if isinstance(http_method, str) else list(http_method)
    if not methods:
        raise ImproperlyConfiguredException("a route handler needs at least one HTTP method")
    normalized = frozenset(str(method).upper() for method in methods)
    unknown = normalized - set(HttpMethod)
    if unknown:
        raise ImproperlyConfiguredException(f"unknown HTTP method(s): {sorted(unknown)}")
    return normalized


def _default_status(methods: frozenset[str]) -> int:
    if len(methods) > 1:
        return 200
    (method,) = methods
    return {"POST": 201, "DELETE": 204}.get(method, 200)


def _paths(path: str | Sequence[str] | None) -> tuple[str, ...]:
    if path is None:
        return ("/",)
    if isinstance(path, str):
        return (path,)
    return tuple(path) or ("/",)


def _media_types(
    media_type: MediaType | str | None, media_types: Sequence[MediaType | str] | None
) -> tuple[MediaType | str | None, tuple[str, ...] | None]:
    """The default media type and, when several are offered, all of them with it first (the
    request's Accept header picks one)."""
    if not media_types:
        return media_type, None
    choices = tuple(dict.fromkeys(str(choice) for choice in media_types))
    if media_type is not None and str(media_type) not in choices:
        raise ImproperlyConfiguredException(
            f"media_type {str(media_type)!r} is not one of media_types {list(choices)}"
        )
    default = str(media_type or choices[0])  # the default is offered first
    return default, (default, *(c for c in choices if c != default))


def _extensions(extensions: Mapping[str, Any] | None) -> dict[str, Any] | None:
    require_extension_keys(extensions or {})
    return dict(extensions) if extensions else None


class HTTPRouteHandler:
    """A handler function plus its route and layer settings; called by the compiled route."""

    def __init__(
        self,
        path: str | Sequence[str] | None = None,
        *,
        http_method: str | Iterable[str],
        status_code: int | None = None,
        media_type: MediaType | str | None = None,
        media_types: Sequence[MediaType | str] | None = None,
        name: str | None = None,
        operation_id: str | NoOperationId | None = None,
        sync_to_thread: bool | None = None,
        dependencies: Mapping[str, Provide | Callable[..., Any]] | None = None,
        include_in_schema: bool | None = None,
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
        background: BackgroundTask | BackgroundTasks | None = None,
        request_max_body_size: int | None = None,
        signature_namespace: Mapping[str, Any] | None = None,
        summary: str | None = None,
        description: str | None = None,
        tags: Sequence[str] | None = None,
        deprecated: bool = False,
        security: Sequence[Mapping[str, Sequence[str]]] | None = None,
        responses: Mapping[int | str, Any] | None = None,
        raises: Sequence[type[Exception]] | None = None,
        external_docs: Mapping[str, Any] | None = None,
        servers: Sequence[Mapping[str, Any]] | None = None,
        response_description: str | None = None,
        success_in_schema: bool = True,
        extensions: Mapping[str, Any] | None = None,
        callbacks: Mapping[str, Mapping[str, Any]] | None = None,
        typed_params: bool = True,
        opt: Mapping[str, Any] | None = None,
        **extra: Any,
    ) -> None:
        self.paths: tuple[str, ...] = _paths(path)
        self.http_methods = _normalize_methods(http_method)
        self.status_code = (
            status_code if status_code is not None else _default_status(self.http_methods)
        )
        self.explicit_status_code = status_code is not None
        self.media_type, self.media_types = _media_types(media_type, media_types)
        self.name = name
        self.operation_id = operation_id
        self.sync_to_thread = sync_to_thread
        self.dependencies = dict(dependencies) if dependencies else None
        self.include_in_schema = include_in_schema
        self.exception_handlers = dict(exception_handlers) if exception_handlers else None
        self.guards = list(guards) if guards else None
        self.middleware = list(middleware) if middleware else None
        self.response_headers = response_headers
        self.response_cookies = list(response_cookies) if response_cookies else None
        self.cache_control = cache_control
        self.etag = etag
        self.before_request = before_request
        self.after_request = after_request
        self.after_response = after_response
        self.response_class = response_class
        self.type_encoders = dict(type_encoders) if type_encoders else None
        self.background = background
        self.request_max_body_size = request_max_body_size
        self.signature_namespace = dict(signature_namespace) if signature_namespace else None
        self.summary = summary
        self.description = description
        self.tags = list(tags) if tags else None
        self.deprecated = deprecated
        self.security = security
        self.responses = dict(responses) if responses else None
        self.raises = list(raises) if raises else None
        self.external_docs = dict(external_docs) if external_docs else None
        self.servers = [dict(server) for server in servers] if servers else None
        self.response_description = response_description
        # False: the success response (`status_code`) is left out of the document, as a spec
        # that documents none (only `default`, a `2XX` range or errors) has it; it is still sent
        self.success_in_schema = success_in_schema
        self.extensions = _extensions(extensions)
        # OpenAPI callbacks: name -> {expression: handler(s) documenting the request sent}
        self.callbacks = {k: dict(v) for k, v in callbacks.items()} if callbacks else None
        # False: the path is OpenAPI's template, `{...}` a name only (`{api_ver:\d+}` is a name)
        self.typed_params = typed_params
        self.opt = {**(opt or {}), **extra} or None
        self.fn: Callable[..., Any] | None = None
        self.owner: object | None = None  # the Controller instance it is bound to

    def __call__(self, fn: F) -> HTTPRouteHandler:
        """Decorate `fn`; the decorator returns the handler object, as Litestar's does."""
        if not callable(fn):
            raise ImproperlyConfiguredException(f"{fn!r} is not callable")
        self.fn = fn
        if self.name is None:
            self.name = getattr(fn, "__name__", None)
        return self

    @property
    def handler_name(self) -> str:
        fn = self.fn
        return getattr(fn, "__qualname__", None) or repr(fn)

    def bound_to(self, owner: object) -> HTTPRouteHandler:
        """A copy of this handler whose function is bound to a controller instance."""
        clone = copy.copy(self)
        clone.owner = owner
        return clone

    @property
    def callable(self) -> Callable[..., Any]:
        """The function to call (bound to its controller instance for controller methods)."""
        if self.fn is None:
            raise ImproperlyConfiguredException("route handler was never given a function")
        if self.owner is not None:
            bound: Callable[..., Any] = self.fn.__get__(self.owner, type(self.owner))
            return bound
        return self.fn

    def __repr__(self) -> str:
        methods = ",".join(sorted(self.http_methods))
        return f"<HTTPRouteHandler {methods} {list(self.paths)} {self.handler_name}>"


class HandlerKwargs(TypedDict, total=False):
    """Keyword arguments every route decorator takes."""

    status_code: int
    media_type: MediaType | str
    media_types: Sequence[MediaType | str]
    name: str
    operation_id: str | NoOperationId
    sync_to_thread: bool
    dependencies: Mapping[str, Provide | Callable[..., Any]]
    include_in_schema: bool
    exception_handlers: Mapping[Any, Callable[..., Any]]
    guards: Sequence[Callable[..., Any]]
    middleware: Sequence[Middleware]
    response_headers: Sequence[ResponseHeader] | Mapping[str, str]
    response_cookies: Sequence[Cookie]
    cache_control: CacheControlHeader
    etag: ETag
    before_request: Callable[..., Any]
    after_request: Callable[..., Any]
    after_response: Callable[..., Any]
    response_class: type[Any]
    type_encoders: Mapping[Any, Callable[[Any], Any]]
    background: BackgroundTask | BackgroundTasks
    request_max_body_size: int
    signature_namespace: Mapping[str, Any]
    summary: str
    description: str
    tags: Sequence[str]
    deprecated: bool
    security: Sequence[Mapping[str, Sequence[str]]]
    responses: Mapping[int | str, Any]
    raises: Sequence[type[Exception]]
    external_docs: Mapping[str, Any]
    servers: Sequence[Mapping[str, Any]]
    response_description: str
    success_in_schema: bool
    extensions: Mapping[str, Any]
    callbacks: Mapping[str, Mapping[str, Any]]
    typed_params: bool
    opt: Mapping[str, Any]


def get(
    path: str | Sequence[str] | None = None, **kwargs: Unpack[HandlerKwargs]
) -> HTTPRouteHandler:
    """A GET handler (default status 200)."""
    return HTTPRouteHandler(path, http_method=HttpMethod.GET, **kwargs)


def post(
    path: str | Sequence[str] | None = None, **kwargs: Unpack[HandlerKwargs]
) -> HTTPRouteHandler:
    """A POST handler (default status 201)."""
    return HTTPRouteHandler(path, http_method=HttpMethod.POST, **kwargs)


def put(
    path: str | Sequence[str] | None = None, **kwargs: Unpack[HandlerKwargs]
) -> HTTPRouteHandler:
    """A PUT handler (default status 200)."""
    return HTTPRouteHandler(path, http_method=HttpMethod.PUT, **kwargs)


def patch(
    path: str | Sequence[str] | None = None, **kwargs: Unpack[HandlerKwargs]
) -> HTTPRouteHandler:
    """A PATCH handler (default status 200)."""
    return HTTPRouteHandler(path, http_method=HttpMethod.PATCH, **kwargs)


def delete(
    path: str | Sequence[str] | None = None, **kwargs: Unpack[HandlerKwargs]
) -> HTTPRouteHandler:
    """A DELETE handler (default status 204)."""
    return HTTPRouteHandler(path, http_method=HttpMethod.DELETE, **kwargs)


def head(
    path: str | Sequence[str] | None = None, **kwargs: Unpack[HandlerKwargs]
) -> HTTPRouteHandler:
    """An explicit HEAD handler (GET handlers answer HEAD automatically)."""
    return HTTPRouteHandler(path, http_method=HttpMethod.HEAD, **kwargs)


def route(
    path: str | Sequence[str] | None = None,
    *,
    http_method: str | Iterable[str],
    **kwargs: Unpack[HandlerKwargs],
) -> HTTPRouteHandler:
    """A handler for one or several HTTP methods (default status 200 with several)."""
    return HTTPRouteHandler(path, http_method=http_method, **kwargs)
