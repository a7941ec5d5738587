"""`App`: the ASGI application; builds the route table and compiles every handler at start-up."""

from __future__ import annotations

import inspect
import logging
import sys
from collections.abc import Callable, Iterator, Mapping, MutableMapping, Sequence
from contextlib import AbstractAsyncContextManager, AsyncExitStack
from typing import TYPE_CHECKING, Any, TypeVar

from .compile import CompiledHandler, compile_handler, send_exception
from .config.allowed_hosts import AllowedHostsConfig
from .config.compression import CompressionConfig
from .config.cors import CORSConfig
from .errors import default_error_response
from .exceptions import (
    ImproperlyConfiguredException,
    MethodNotAllowedException,
    NotFoundException,
    RequestHeaderFieldsTooLarge,
)
from .layers import resolve_layers
from .limits import (
    DEFAULT_BODY_TIMEOUT,
    DEFAULT_MAX_HEADER_COUNT,
    DEFAULT_MAX_HEADER_SIZE,
    BodyDeadline,
    header_excess,
)
from .middleware.app import AppMiddleware, allowed_hosts_config
from .middleware.base import Middleware
from .mock import MockServer, mock_enabled
from .openapi.config import OpenAPIConfig
from .openapi.document import cached_document
from .openapi.routes import register_schema_routes
from .path_route import PathRoute, QueryChoice
from .response.template import handler_returns_template
from .response_validation import ResponseValidator, validation_mode
from .router import ControllerRouterHandler, Router
from .routing import PathTemplate, RouteTable, parse_path
from .security import SecurityScheme
from .startup import collection_paused
from .template import TemplateConfig
from .types import Receive, Scope, Send

if TYPE_CHECKING:
    from .datastructures import CacheControlHeader, Cookie, ETag, ResponseHeader

__all__ = ["App", "PathRoute", "State"]

logger = logging.getLogger("specloom.runtime")
_DEFAULT_OPENAPI_CONFIG = OpenAPIConfig()  # documented at /schema unless openapi_config=None
LifespanHook = Callable[..., Any]
_Limit = TypeVar("_Limit", int, float)
_UNROUTED = "specloom.unrouted"  # the scope key of the 404 or 405 the app-wide middleware wraps


class State(MutableMapping[str, Any]):
    """Application state, readable as attributes and as a mapping."""

    def __init__(self, initial: Mapping[str, Any] | None = None) -> None:
        object.__setattr__(self, "_data", dict(initial or {}))

    def __getattr__(self, name: str) -> Any:
        try:
            return self._data[name]
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name: str, value: Any) -> None:
        self._data[name] = value

    def __getitem__(self, key: str) -> Any:
        return self._data[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self._data[key] = value

    def __delitem__(self, key: str) -> None:
        del self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)


def _positive(name: str, value: _Limit | None) -> _Limit | None:
    if value is not None and not value > 0:
        raise ImproperlyConfiguredException(f"{name} must be positive or None, not {value!r}")
    return value


class App(Router):
    """An ASGI application: the root layer of routers, controllers and handlers."""

    def __init__(
        self,
        route_handlers: Sequence[ControllerRouterHandler] | None = None,
        *,
        dependencies: Mapping[str, Any] | None = None,
        exception_handlers: Mapping[Any, Callable[..., Any]] | None = None,
        on_startup: Sequence[LifespanHook] | None = None,
        on_shutdown: Sequence[LifespanHook] | None = None,
        lifespan: Sequence[Callable[[App], AbstractAsyncContextManager[Any]]] | None = None,
        debug: bool = False,
        guards: Sequence[Callable[..., Any]] | None = None,
        middleware: Sequence[Middleware] | None = None,
        cors_config: CORSConfig | None = None,
        compression_config: CompressionConfig | None = None,
        allowed_hosts: Sequence[str] | AllowedHostsConfig | None = None,
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
        request_max_header_size: int | None = DEFAULT_MAX_HEADER_SIZE,
        request_max_header_count: int | None = DEFAULT_MAX_HEADER_COUNT,
        request_body_timeout: float | None = DEFAULT_BODY_TIMEOUT,
        signature_namespace: Mapping[str, Any] | None = None,
        security: Sequence[Mapping[str, Sequence[str]]] | None = None,
        tags: Sequence[str] | None = None,
        include_in_schema: bool | None = None,
        opt: Mapping[str, Any] | None = None,
        state: Mapping[str, Any] | None = None,
        openapi_config: OpenAPIConfig | None = _DEFAULT_OPENAPI_CONFIG,
        template_config: TemplateConfig | None = None,
        security_schemes: Mapping[str, SecurityScheme] | None = None,
        mock: bool | None = None,
        validate_responses: bool | str | None = None,
    ) -> None:
        """`mock`: unwritten handlers (NotImplementedError) answer from the spec (see `mock`);
        None reads `SPECLOOM_MOCK` now. `validate_responses`: True (or "log") logs each response
        that differs from what its operation documents, "strict" answers it as a 500 too (see
        `response_validation`); None reads `SPECLOOM_VALIDATE_RESPONSES` now.
        `request_max_header_size` (bytes of header names and values) and
        `request_max_header_count` refuse a request with a 431 before routing;
        `request_body_timeout` (seconds from the first read) ends a body that trickles in with
        a 408 (see `limits`); None lifts each limit."""
        super().__init__(
            "",
            list(route_handlers or []),
            dependencies=dependencies,
            exception_handlers=exception_handlers,
            guards=guards,
            middleware=middleware,
            response_headers=response_headers,
            response_cookies=response_cookies,
            cache_control=cache_control,
            etag=etag,
            before_request=before_request,
            after_request=after_request,
            after_response=after_response,
            response_class=response_class,
            type_encoders=type_encoders,
            request_max_body_size=request_max_body_size,
            signature_namespace=signature_namespace,
            security=security,
            tags=tags,
            include_in_schema=include_in_schema,
            opt=opt,
        )
        self.debug = debug
        self.request_max_header_size = _positive("request_max_header_size", request_max_header_size)
        self.request_max_header_count = _positive(
            "request_max_header_count", request_max_header_count
        )
        self.request_body_timeout = _positive("request_body_timeout", request_body_timeout)
        self._max_header_size = self.request_max_header_size
        self._max_header_count = self.request_max_header_count or sys.maxsize
        self.on_startup = list(on_startup or [])
        self.on_shutdown = list(on_shutdown or [])
        self.lifespan_managers = list(lifespan or [])
        self.state = State(state)
        self.openapi_config = openapi_config
        self.template_config = template_config
        self.security_schemes = dict(security_schemes or {})
        self.cors_config = cors_config
        self.compression_config = compression_config
        self.allowed_hosts = allowed_hosts_config(allowed_hosts)
        self.app_middleware = AppMiddleware(cors_config, compression_config, self.allowed_hosts)
        self._unrouted = self.app_middleware.around(self._send_unrouted)
        self.route_table = RouteTable()
        self.compiled_handlers: list[CompiledHandler] = []
        self.mock = mock_enabled(mock)
        self._mock = MockServer(self) if self.mock else None  # decided once, here
        self.validate_responses = validation_mode(validate_responses)
        self._validator = (  # decided once, here: off, nothing is wrapped
            ResponseValidator(self, self.validate_responses, debug)
            if self.validate_responses is not None
            else None
        )
        with collection_paused(collect=True):  # the compiled routes live as long as the app
            self._build()
        register_schema_routes(self)
        self.app_middleware.paths(self.route_table.routes(), self._send_error)

    def openapi(self) -> dict[str, Any]:
        """The OpenAPI 3.1 document of this app as plain data (built once, then cached)."""
        return cached_document(self)

    def _build(self) -> None:
        templates: dict[tuple[str, bool], PathTemplate] = {}  # a path's methods share its own
        for path, handler, layers in self.walk():
            template = templates.get((path, handler.typed_params))
            if template is None:
                try:
                    template = parse_path(path, typed=handler.typed_params)
                except ImproperlyConfiguredException as exc:
                    raise ImproperlyConfiguredException(f"{handler.handler_name}: {exc}") from exc
                templates[path, handler.typed_params] = template
            route: PathRoute = self.route_table.get_or_add(
                template, lambda t=template: PathRoute(t)
            )
            compiled = compile_handler(
                handler, template, resolve_layers(layers), self.debug, self.security_schemes
            )
            if self._mock is not None:
                self._mock.serve(compiled)
            serving = self.serving(compiled)
            for method in sorted(handler.http_methods):
                self._add_handler(route, method, serving)
            if self.template_config is None and handler_returns_template(
                compiled.plan.handler.return_annotation
            ):
                raise ImproperlyConfiguredException(
                    f"{handler.handler_name} returns a Template but the App has no "
                    "template_config (e.g. TemplateConfig(directory=...))"
                )
            self.compiled_handlers.append(compiled)
        for route in self.route_table.routes():
            route.finalize()

    def serving(self, compiled: CompiledHandler) -> Any:
        """`compiled` behind its layers' middleware and compression (itself when none), its
        responses checked inside them when response validation is on."""
        if self._validator is None:
            return self.app_middleware.route(compiled)
        return self.app_middleware.route(compiled, self._validator.route(compiled))

    def _add_handler(self, route: PathRoute, method: str, compiled: Any) -> None:
        """Route `method` to `compiled`; handlers whose paths ask for different queries share."""
        existing = route.handlers.get(method)
        if existing is None:
            route.handlers[method] = compiled
            return
        if not isinstance(existing, QueryChoice):
            if not (existing.template.conditions or compiled.template.conditions):
                raise ImproperlyConfiguredException(
                    f"duplicate route: {method} {compiled.template.path} is handled by both "
                    f"{existing.handler.handler_name} and {compiled.handler.handler_name}"
                )

            async def not_found(scope: Scope, receive: Receive, send: Send) -> None:
                await self._send_error(scope, receive, send, NotFoundException())

            choice = QueryChoice(not_found)
            choice.add(existing, method)
            route.handlers[method] = existing = choice
        existing.add(compiled, method)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        scope_type = scope["type"]
        if scope_type == "http":
            scope["app"] = self
            headers = scope["headers"]
            if len(headers) > self._max_header_count:
                await self._refuse_headers(scope, receive, send)
                return
            if self._max_header_size is not None:
                size = 0  # inline: this is every request's path
                for name, value in headers:
                    size += len(name) + len(value)
                if size > self._max_header_size:
                    await self._refuse_headers(scope, receive, send)
                    return
            if self.request_body_timeout is not None:
                receive = BodyDeadline(receive, self.request_body_timeout)
            path = scope["path"]
            table = self.route_table
            route = table.static.get(path)
            captures: list[str] = []
            if route is None:
                found = table.match(path)
                if found is None:
                    await self._not_routed(scope, receive, send, NotFoundException())
                    return
                route, captures = found
            handler = route.handlers.get(scope["method"])
            if handler is None:
                # a concrete path without this method: a template with it may take the request
                method = scope["method"]
                found = table.match(path, lambda other: method in other.handlers)
                if found is None:
                    exc = MethodNotAllowedException(headers={"allow": route.allow})
                    await self._not_routed(scope, receive, send, exc)
                    return
                route, captures = found
                handler = route.handlers[method]
            await handler(scope, receive, send, captures)
        elif scope_type == "lifespan":
            await self._lifespan(receive, send)
        elif scope_type == "websocket":
            await send({"type": "websocket.close", "code": 1000})

    async def _not_routed(self, scope: Scope, receive: Receive, send: Send, exc: Exception) -> None:
        """404 or 405, through the app-wide middleware (CORS, allowed hosts) when there is."""
        if self._unrouted is None:
            await self._send_error(scope, receive, send, exc)
            return
        scope[_UNROUTED] = exc
        await self._unrouted(scope, receive, send)

    async def _refuse_headers(self, scope: Scope, receive: Receive, send: Send) -> None:
        excess = header_excess(
            scope["headers"], self.request_max_header_size, self.request_max_header_count
        )
        await self._not_routed(scope, receive, send, excess or RequestHeaderFieldsTooLarge())

    async def _send_unrouted(
        self, scope: Scope, receive: Receive, send: Send, captures: list[str]
    ) -> None:
        await self._send_error(scope, receive, send, scope.pop(_UNROUTED))

    async def _send_error(self, scope: Scope, receive: Receive, send: Send, exc: Exception) -> None:
        try:
            await send_exception(
                scope, receive, send, exc, None, self.exception_handlers or {}, self.debug, None
            )
        except Exception as inner:
            await default_error_response(inner, self.debug)(scope, receive, send)

    async def _call_hook(self, hook: LifespanHook) -> None:
        try:
            takes_app = bool(inspect.signature(hook).parameters)
        except (TypeError, ValueError):
            takes_app = False
        result = hook(self) if takes_app else hook()
        if inspect.isawaitable(result):
            await result

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        message = await receive()
        if message["type"] != "lifespan.startup":
            return
        stack = AsyncExitStack()
        try:
            for factory in self.lifespan_managers:
                await stack.enter_async_context(factory(self))
            for hook in self.on_startup:
                await self._call_hook(hook)
        except BaseException as exc:
            logger.exception("Application startup failed")
            await stack.aclose()
            await send({"type": "lifespan.startup.failed", "message": repr(exc)})
            return
        await send({"type": "lifespan.startup.complete"})
        message = await receive()
        try:
            for hook in self.on_shutdown:
                await self._call_hook(hook)
            await stack.aclose()
        except BaseException as exc:
            logger.exception("Application shutdown failed")
            await send({"type": "lifespan.shutdown.failed", "message": repr(exc)})
            return
        await send({"type": "lifespan.shutdown.complete"})
