"""Compile a route handler, once at start-up, into the callable that serves its requests."""

from __future__ import annotations

import asyncio
import dataclasses
import inspect
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, get_args, get_origin

import msgspec

from .conditional import is_not_modified, not_modified_headers
from .datastructures import ResponseHeader
from .datastructures.accept import Accept
from .enums import MediaType
from .error_media import ErrorMedia, error_media
from .errors import as_error_response, default_error_response, find_exception_handler
from .exceptions import ImproperlyConfiguredException, NotAcceptableException
from .extra_keys import holds_extra_keys, with_extra_keys
from .kwargs import Cleanup, KwargsPlan, build_kwargs_plan, extract_kwargs
from .layers import HandlerConfig
from .request import DEFAULT_MAX_BODY_SIZE, Request
from .response.base import (
    ASGIResponse,
    Encoder,
    Response,
    ResponsePlan,
    body_allowed,
    get_encoder_for,
    is_json_media_type,
    is_msgpack_media_type,
    run_background,
)
from .routing import PathTemplate
from .security import SecurityScheme, build_security_guard
from .serialization import TypeEncodersMap, get_json_encoder, get_msgpack_encoder
from .signature import type_info_or_none, unwrap_annotated
from .types import Receive, Scope, Send
from .xml_body import XMLTypeWriter, is_xml

if TYPE_CHECKING:
    from .handlers import HTTPRouteHandler

__all__ = ["CompiledHandler", "compile_handler"]

_NO_BODY_ANNOTATIONS = (None, type(None))


def _is_async_callable(fn: Callable[..., Any]) -> bool:
    if inspect.iscoroutinefunction(fn):
        return True
    call = getattr(fn, "__call__", None)  # noqa: B004 - objects with an async __call__
    return call is not None and inspect.iscoroutinefunction(call)


def response_content_type(annotation: Any) -> Any:
    """The content type argument of `Response[T]`, or the annotation itself."""
    base, _ = unwrap_annotated(annotation)
    origin = get_origin(base)
    if isinstance(origin, type) and issubclass(origin, Response):
        args = get_args(base)
        return args[0] if args else Any
    return base


def default_media_type(annotation: Any) -> str:
    """The media type a handler gets when its decorator names none."""
    content = response_content_type(annotation)
    if content in (str, bytes):
        return MediaType.TEXT.value
    base, _ = unwrap_annotated(annotation)
    declared = getattr(base, "default_media_type", None)
    if isinstance(declared, str):
        return declared
    return MediaType.JSON.value


def build_response_plan(
    handler: HTTPRouteHandler,
    config: HandlerConfig,
    annotation: Any,
    media_type: str | None = None,
) -> ResponsePlan:
    """Decide status, media type, encoder and the static headers and cookies of a handler.

    `media_type`: one of the handler's `media_types` (the plan for that choice).
    """
    if media_type is None:
        declared = handler.media_type
        media_type = str(declared) if declared else default_media_type(annotation)
    type_encoders = dict(config.type_encoders)
    response_class = config.response_class
    if response_class is not None and getattr(response_class, "type_encoders", None):
        type_encoders = {**response_class.type_encoders, **type_encoders}
    headers: list[tuple[str, str]] = []
    for header in config.response_headers:
        if not header.documentation_only and header.value is not None:
            headers.append((header.name.lower(), header.value))
    for special in (config.cache_control, config.etag):
        if special is not None and not special.documentation_only:
            name = special.HEADER_NAME
            headers = [(k, v) for k, v in headers if k != name]
            headers.append((name, special.to_header()))
    if handler.media_types is not None and len(handler.media_types) > 1:
        vary = next((v for k, v in headers if k == "vary"), None)  # caches must key on Accept
        headers = [(k, v) for k, v in headers if k != "vary"]
        headers.append(("vary", f"{vary}, Accept" if vary else "Accept"))
    cookies = tuple(c for c in config.response_cookies if not c.documentation_only)
    encode = get_encoder_for(media_type, type_encoders or None)
    content = response_content_type(annotation)
    if is_xml(media_type) and content not in (str, bytes, Any, inspect.Signature.empty):
        hook = get_json_encoder(type_encoders or None).enc_hook
        info = type_info_or_none(content) or msgspec.inspect.AnyType()  # else: by value shapes
        encode = XMLTypeWriter(info, hook).write
    elif holds_extra_keys(content):
        encode = _with_extra_keys(encode, media_type, type_encoders or None)
    elif content is bytes and handler.media_types is not None and is_json_media_type(media_type):
        # declared media types: a JSON one carries a JSON value, and JSON holds octets only as
        # base64 text (a `Response` or a `File` still sends raw octets)
        encode = get_json_encoder(type_encoders or None).encode
    return ResponsePlan(
        status_code=handler.status_code,
        media_type=media_type,
        encode=encode,
        headers=tuple(headers),
        cookies=cookies,
        type_encoders=type_encoders or None,
        media_type_explicit=bool(handler.media_type),
    )


def _with_extra_keys(
    encode: Encoder, media_type: str, type_encoders: TypeEncodersMap | None
) -> Encoder:
    """`encode`, given each Struct's extra keys beside its fields (see `extra_keys`)."""
    msgpack = is_msgpack_media_type(media_type)
    hook = (get_msgpack_encoder if msgpack else get_json_encoder)(type_encoders).enc_hook

    def encode_with_extra_keys(content: Any) -> bytes:
        if isinstance(content, bytes | str):
            return encode(content)
        return encode(with_extra_keys(content, hook, msgpack=msgpack))

    return encode_with_extra_keys


def _check_status_and_annotation(handler: HTTPRouteHandler, annotation: Any) -> None:
    if body_allowed(handler.status_code):
        return
    content = response_content_type(annotation)
    if annotation is inspect.Signature.empty or content in _NO_BODY_ANNOTATIONS:
        return
    raise ImproperlyConfiguredException(
        f"{handler.handler_name}: status {handler.status_code} responses carry no body, so the "
        f"return annotation must be None (got {annotation!r})"
    )


class CompiledHandler:
    """One handler at one path: extracts arguments, calls the function, sends the response."""

    def __init__(
        self,
        handler: HTTPRouteHandler,
        template: PathTemplate,
        config: HandlerConfig,
        debug: bool,
        security_schemes: Mapping[str, SecurityScheme] | None = None,
    ) -> None:
        self.handler = handler
        self.template = template
        self.config = config
        self.debug = debug
        security_guard = build_security_guard(
            config.security or (), security_schemes or {}, handler.handler_name
        )
        # the security requirement that documents the handler is the one enforced on it
        self.guards = (security_guard, *config.guards) if security_guard else config.guards
        owner = handler.handler_name
        fn = handler.callable
        self.fn = fn
        path_types = {param.name: param.type for param in template.params}
        self.plan: KwargsPlan = build_kwargs_plan(
            fn,
            path_param_types=path_types,
            path_param_order=[param.name for param in template.captured],
            template_params=template.params,
            dependencies=config.dependencies,
            namespace=config.signature_namespace,
            owner=owner,
        )
        annotation = self.plan.handler.return_annotation
        _check_status_and_annotation(handler, annotation)
        # several media types: a plan each, the request's Accept header picks (first by default)
        self.offered: tuple[str, ...] | None = None
        self.plans: dict[str, ResponsePlan] = {}
        offered = handler.media_types or ()
        if len(offered) > 1 and body_allowed(handler.status_code):  # a 204 has nothing to offer
            self.offered = offered
            self.plans = {
                media_type: build_response_plan(handler, config, annotation, media_type)
                for media_type in offered
            }
            self.response_plan = self.plans[offered[0]]
        else:
            self.response_plan = build_response_plan(handler, config, annotation)
        # a custom exception handler's response is JSON unless it names another media type
        self.error_plan = dataclasses.replace(
            self.response_plan,
            media_type=MediaType.JSON.value,
            encode=get_encoder_for(MediaType.JSON.value, self.response_plan.type_encoders),
        )
        self.error_media = error_media(handler.responses)
        by_name = {spec.name: spec.convert for _, spec in self.plan.path_params}
        self.path_param_converters = tuple(
            (param.name, by_name.get(param.name) or _type_converter(param.type))
            for param in template.captured
        )
        self.is_async = _is_async_callable(fn)
        self.sync_to_thread = bool(handler.sync_to_thread) and not self.is_async
        self.max_body_size = (
            config.request_max_body_size
            if config.request_max_body_size is not None
            else DEFAULT_MAX_BODY_SIZE
        )
        self.needs_request = bool(
            self.plan.needs_request or self.guards or config.before_request or config.after_response
        )
        self.response_class = config.response_class or Response
        self.wrap_value = config.after_request is not None or config.response_class is not None
        self.background = handler.background
        self._prepare_fast_path(annotation)

    def _prepare_fast_path(self, annotation: Any) -> None:
        """What the plain-value path sends without looking again: status, headers, encoder."""
        status = self.response_plan.status_code
        # `-> None` declares no content: an empty body, whatever the status allows
        self.fast_has_body = body_allowed(status) and annotation not in _NO_BODY_ANNOTATIONS
        self.content_type = self.response_plan.content_type
        self.fast_headers = []
        for name, value in self.response_plan.raw_headers:
            if name == b"content-type":  # a layered content-type replaces the computed one
                self.content_type = value
            elif name != b"content-length":
                self.fast_headers.append((name, value))
        self.encode = self.response_plan.encode
        self.no_kwargs = self.plan.is_empty
        self.no_body_headers = (
            [(b"content-length", b"0"), *self.fast_headers]
            if body_allowed(status)
            else self.fast_headers
        )
        self.status_code = status
        # only handlers with a static validator pay for looking at conditional request headers
        self.conditional = any(
            name in (b"etag", b"last-modified") for name, _ in self.response_plan.raw_headers
        )

    async def __call__(
        self, scope: Scope, receive: Receive, send: Send, captures: list[str]
    ) -> None:
        request: Request[Any, Any] | None = None
        cleanup: Cleanup | None = None
        plan = self.response_plan
        try:
            if self.offered is not None:
                plan = self.negotiate(scope)
            if self.needs_request:
                scope["route_handler"] = self.handler
                if captures:
                    scope["path_params"] = self.path_params(captures)
                request = Request(scope, receive, self.max_body_size)
                await self._before(request)
                if scope.get("_short_circuit") is not None:
                    value = scope.pop("_short_circuit")
                    await self._send_value(scope, receive, send, value, plan)
                    return
            if self.no_kwargs:
                kwargs: dict[str, Any] = {}
            else:
                if self.plan.has_cleanup:
                    cleanup = Cleanup()
                kwargs = await extract_kwargs(
                    self.plan, scope, receive, captures, request, self.max_body_size, cleanup
                )
            if self.is_async:
                value = await self.fn(**kwargs)
            elif self.sync_to_thread:
                value = await asyncio.to_thread(self.fn, **kwargs)
            else:
                value = self.fn(**kwargs)
            if cleanup is not None:
                await cleanup.close(None)
                cleanup = None
        except Exception as exc:
            if cleanup is not None:
                try:
                    await cleanup.close(exc)
                except Exception as cleanup_exc:
                    exc = cleanup_exc
            await self.send_exception(scope, receive, send, exc, request)
            return
        if not (self.wrap_value or isinstance(value, Response) or callable(value)):
            # the plain-value fast path: one encode, pre-built headers, two messages
            if self.fast_has_body:
                encode, content_type = self.encode, self.content_type
                if plan is not self.response_plan:
                    encode, content_type = plan.encode, plan.content_type
                try:
                    body = encode(value)
                except Exception as exc:
                    await self.send_exception(scope, receive, send, exc, request)
                    return
                headers = [
                    (b"content-type", content_type),
                    (b"content-length", str(len(body)).encode()),
                    *self.fast_headers,
                ]
            else:
                body, headers = b"", self.no_body_headers
            status = self.status_code
            if self.conditional and status == 200 and is_not_modified(scope, headers):
                status, headers, body = 304, not_modified_headers(headers), b""
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            if self.background is not None:
                await run_background(self.background)
        else:
            tracker = _SendTracker(send)
            try:
                await self._send_value(scope, receive, tracker, value, plan)
            except Exception as exc:
                if tracker.started:
                    raise  # the status line is out: let the server abort the connection
                await self.send_exception(scope, receive, send, exc, request)
                return
        if self.config.after_response is not None:
            await _maybe_await(self.config.after_response(request))

    def path_params(self, captures: list[str]) -> dict[str, Any]:
        """The request's path parameters, converted to their declared types when they validate."""
        params: dict[str, Any] = {}
        for (name, convert), raw in zip(self.path_param_converters, captures, strict=False):
            try:
                params[name] = raw if convert is None else convert(raw)
            except msgspec.ValidationError:
                params[name] = raw
        return params

    async def _before(self, request: Request[Any, Any]) -> None:
        for guard in self.guards:
            await _maybe_await(guard(request, self.handler))
        if self.config.before_request is not None:
            result = await _maybe_await(self.config.before_request(request))
            if result is not None:
                request.scope["_short_circuit"] = result

    def negotiate(self, scope: Scope) -> ResponsePlan:
        """The plan of the offered media type the request's Accept header prefers (406: none)."""
        header = next((v for k, v in scope["headers"] if k == b"accept"), None)
        offered = self.offered or ()
        chosen = Accept(header.decode("latin-1") if header else None).best_match(offered)
        if chosen is None:
            raise NotAcceptableException(
                detail=f"this resource is available as {', '.join(offered)} only"
            )
        return self.plans[chosen]

    async def _send_value(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        value: Any,
        plan: ResponsePlan | None = None,
    ) -> None:
        plan = plan or self.response_plan
        if not isinstance(value, Response):
            if callable(value) and not isinstance(value, type):
                await value(scope, receive, send)  # an ASGI app returned by the handler
                return
            value = self.response_class(value)
        response: Response[Any] = value
        if self.config.after_request is not None:
            response.headers = {
                **dict(plan.headers),
                **{k.lower(): v for k, v in response.headers.items()},
            }
            response = await _maybe_await(self.config.after_request(response))
        asgi = response.to_asgi_response(plan)
        if (
            type(asgi) is ASGIResponse
            and asgi.status_code == 200
            and is_not_modified(scope, asgi.headers)
        ):
            asgi.status_code, asgi.body = 304, b""
            asgi.headers = not_modified_headers(asgi.headers)
        if asgi.background is None and self.background is not None:
            asgi.background = self.background
        await asgi(scope, receive, send)

    async def send_exception(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        exc: BaseException,
        request: Request[Any, Any] | None,
    ) -> None:
        """Answer an exception with its layered handler's response, else the default JSON error."""
        await send_exception(
            scope,
            receive,
            send,
            exc,
            request,
            self.config.exception_handlers,
            self.debug,
            self.error_plan,
            self.error_media,
        )


async def send_exception(
    scope: Scope,
    receive: Receive,
    send: Send,
    exc: BaseException,
    request: Request[Any, Any] | None,
    handlers: Any,
    debug: bool,
    plan: ResponsePlan | None,
    media: ErrorMedia | None = None,
) -> None:
    """Send the response for an exception (custom handler or default JSON error, in the
    media type the operation declares for the status: `media`)."""
    custom = find_exception_handler(handlers, exc)
    asgi: ASGIResponse | None = None
    if custom is not None:
        try:
            if request is None:
                request = Request(scope, receive)
            response = as_error_response(await _maybe_await(custom(request, exc)), exc)
            asgi = response.to_asgi_response(plan or _ERROR_PLAN)
        except Exception as handler_exc:
            asgi = default_error_response(handler_exc, debug, media)
    if asgi is None:
        asgi = default_error_response(exc, debug, media)
    await asgi(scope, receive, send)


_ERROR_PLAN = ResponsePlan(
    status_code=500,
    media_type=MediaType.JSON.value,
    encode=get_encoder_for(MediaType.JSON.value, None),
)


class _SendTracker:
    """Wraps `send` to know whether the response has started (then no error page can follow)."""

    __slots__ = ("send", "started")

    def __init__(self, send: Send) -> None:
        self.send = send
        self.started = False

    async def __call__(self, message: Any) -> None:
        self.started = True
        await self.send(message)


async def _maybe_await(value: Any) -> Any:
    if inspect.isawaitable(value):
        return await value
    return value


def _type_converter(type_: Any) -> Callable[[str], Any] | None:
    if type_ is str:
        return None
    return lambda raw: msgspec.convert(raw, type_, strict=False)


def compile_handler(
    handler: HTTPRouteHandler,
    template: PathTemplate,
    config: HandlerConfig,
    debug: bool,
    security_schemes: Mapping[str, SecurityScheme] | None = None,
) -> CompiledHandler:
    """Build the serving callable for a handler at a path (all signature work happens here)."""
    return CompiledHandler(handler, template, config, debug, security_schemes)


def documented_headers(config: HandlerConfig) -> tuple[ResponseHeader, ...]:
    """The response headers a handler declares (for documentation, sent or not)."""
    return config.response_headers
