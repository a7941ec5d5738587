"""The kwargs plan: how to extract, validate and inject every argument a handler needs."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import inspect
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote_plus

import msgspec

from .body import BodyDecoder, validation_error_entry
from .di import Provide, as_provider
from .exceptions import (
    ClientException,
    ImproperlyConfiguredException,
    UnsupportedMediaTypeException,
    ValidationException,
)
from .request import Request, parse_cookie_header, read_body
from .routing import PathParam
from .signature import FnSignature, ParamSpec, is_sequence_type, parse_signature
from .types import Receive, Scope

__all__ = ["Cleanup", "DependencyStep", "KwargsPlan", "build_kwargs_plan"]

_UNSET: Any = msgspec.UNSET


@dataclass(frozen=True)
class DependencyStep:
    key: str
    provider: Provide
    signature: FnSignature


@dataclass
class KwargsPlan:
    """Everything needed to turn a request into the handler's keyword arguments."""

    handler: FnSignature
    path_params: list[tuple[int, ParamSpec]] = field(default_factory=list)
    # path arrays (argument name -> the items of its captured text, by its style)
    path_arrays: dict[str, Callable[[str], list[str]]] = field(default_factory=dict)
    # query arrays sent in one value (argument name -> the delimiter of its items)
    delimiters: dict[str, str] = field(default_factory=dict)
    # path parameters a query string carries (`/pic?key={api_key}`): as documented, as read
    bound_query: list[tuple[ParamSpec, ParamSpec]] = field(default_factory=list)
    unsent: list[ParamSpec] = field(default_factory=list)  # in the fragment: never arrive
    query_params: list[ParamSpec] = field(default_factory=list)
    header_params: list[ParamSpec] = field(default_factory=list)
    cookie_params: list[ParamSpec] = field(default_factory=list)
    body: BodyDecoder | None = None
    dependencies: list[DependencyStep] = field(default_factory=list)
    reserved: set[str] = field(default_factory=set)
    has_cleanup: bool = False

    @property
    def is_empty(self) -> bool:
        """No argument at all: the handler is called with no keyword arguments."""
        return not self.handler.arg_names

    @property
    def needs_request(self) -> bool:
        return not self.reserved.isdisjoint({"request", "headers", "cookies", "query"})

    @property
    def all_params(self) -> list[ParamSpec]:
        seen: dict[tuple[str, str], ParamSpec] = {}
        for _, spec in self.path_params:
            seen.setdefault((spec.source, spec.key), spec)
        for spec, _ in self.bound_query:  # as documented: a path parameter
            seen.setdefault((spec.source, spec.key), spec)
        for spec in (*self.unsent, *self.query_params, *self.header_params, *self.cookie_params):
            seen.setdefault((spec.source, spec.key), spec)
        return list(seen.values())


def build_kwargs_plan(
    fn: Callable[..., Any],
    *,
    path_param_types: Mapping[str, Any],
    path_param_order: list[str],
    template_params: Sequence[PathParam] = (),
    dependencies: Mapping[str, Any],
    namespace: Mapping[str, Any],
    owner: str,
) -> KwargsPlan:
    """Parse the handler and, transitively, the dependencies it uses, into one plan."""
    providers = {key: as_provider(value) for key, value in dependencies.items()}
    dependency_names = frozenset(providers)
    handler_sig = parse_signature(
        fn,
        path_params=path_param_types,
        dependency_names=dependency_names,
        namespace=namespace,
        owner=owner,
    )
    plan = KwargsPlan(handler=handler_sig)
    ordered: list[DependencyStep] = []
    visiting: list[str] = []
    done: set[str] = set()

    def visit(key: str) -> None:
        if key in done:
            return
        if key in visiting:
            cycle = " -> ".join([*visiting[visiting.index(key) :], key])
            raise ImproperlyConfiguredException(f"{owner}: circular dependency {cycle}")
        visiting.append(key)
        provider = providers[key]
        signature = parse_signature(
            provider.dependency,
            path_params=path_param_types,
            dependency_names=dependency_names,
            namespace=namespace,
            owner=f"{owner} (dependency {key!r})",
        )
        for sub in signature.dependencies:
            visit(sub)
        visiting.pop()
        done.add(key)
        ordered.append(DependencyStep(key, provider, signature))

    for key in handler_sig.dependencies:
        visit(key)
    plan.dependencies = ordered
    signatures = [handler_sig, *(step.signature for step in ordered)]
    seen: set[tuple[str, str, str]] = set()
    for signature in signatures:
        plan.reserved.update(signature.reserved.values())
        if signature.body is not None and plan.body is None:
            plan.body = BodyDecoder(signature.body, owner)
        for spec in signature.params:
            marker = (spec.source, spec.key, spec.name)
            if marker in seen:
                continue
            seen.add(marker)
            if spec.source == "path":
                _add_path_param(plan, spec, path_param_order, template_params, owner)
            elif spec.source == "query":
                plan.query_params.append(spec)
            elif spec.source == "header":
                plan.header_params.append(spec)
            else:
                plan.cookie_params.append(spec)
        if any(step.provider.is_generator or step.provider.is_async_generator for step in ordered):
            plan.has_cleanup = True
    for spec in [*plan.query_params, *(read for _, read in plan.bound_query)]:
        delimiter = _delimiter(spec)
        if delimiter is not None:
            plan.delimiters[spec.name] = delimiter
    return plan


def _add_path_param(
    plan: KwargsPlan,
    spec: ParamSpec,
    order: list[str],
    template_params: Sequence[PathParam],
    owner: str,
) -> None:
    """File a path parameter by where the request carries it: a capture, a query, nowhere."""
    if spec.key in order:
        plan.path_params.append((order.index(spec.key), spec))
        if is_sequence_type(spec.annotation):
            plan.path_arrays[spec.name] = _path_items(spec)
        return
    param = next((p for p in template_params if p.name == spec.key), None)
    if param is None:
        raise ImproperlyConfiguredException(f"{owner}: unknown path parameter {spec.name!r}")
    if param.query is not None:
        read = dataclasses.replace(spec, source="query", key=param.query)
        plan.bound_query.append((spec, read))
    else:
        plan.unsent.append(spec)


def _path_items(spec: ParamSpec) -> Callable[[str], list[str]]:
    """How a path array's text holds its items (OpenAPI 3 Parameter Object styles): `simple`
    (the default) `1,2`; `label` `.1,2` (`.1.2` exploded); `matrix` `;id=1,2` (`;id=1;id=2`
    exploded). No text is no item."""
    style = (spec.kwarg.style if spec.kwarg is not None else None) or "simple"
    explode = spec.kwarg is not None and spec.kwarg.explode is True

    def split(text: str, delimiter: str) -> list[str]:
        return text.split(delimiter) if text else []

    if style == "label":
        return lambda raw: split(raw.removeprefix("."), "." if explode else ",")
    if style == "matrix":

        def matrix(raw: str) -> list[str]:
            values = [part.partition("=")[2] for part in raw.split(";")[1:]]
            return values if explode else split(values[0] if values else "", ",")

        return matrix
    return lambda raw: split(raw, ",")


def parse_query(raw: bytes) -> dict[str, list[str]]:
    """Parse a query string into lists of values per key (blank values kept, `+` is a space)."""
    query: dict[str, list[str]] = {}
    for pair in raw.decode("utf-8", errors="replace").split("&"):
        if not pair:
            continue
        key, _, value = pair.partition("=")
        if "%" in key or "+" in key:
            key = unquote_plus(key)
        if "%" in value or "+" in value:
            value = unquote_plus(value)
        values = query.get(key)
        if values is None:
            query[key] = [value]
        else:
            values.append(value)
    return query


def _missing(spec: ParamSpec) -> dict[str, str]:
    return {
        "key": spec.key,
        "source": spec.source,
        "message": f"Missing required {spec.source} parameter {spec.key!r}",
    }


def _repeated(spec: ParamSpec, count: int) -> dict[str, str]:
    """A scalar query parameter sent more than once: no value wins over another."""
    message = f"Query parameter {spec.key!r} takes one value, got {count}"
    return {"key": spec.key, "source": spec.source, "message": message}


def _convert(
    spec: ParamSpec, raw: Any, values: dict[str, Any], errors: list[dict[str, str]]
) -> None:
    if spec.convert is None:
        values[spec.name] = raw
        return
    try:
        values[spec.name] = spec.convert(raw)
    except msgspec.ValidationError as exc:
        errors.append(validation_error_entry(exc, spec.source, spec.key) | {"key": spec.key})


# a query array sent in one value (OpenAPI 3 Parameter Object, `explode: false`): its delimiter
_DELIMITERS = {"form": ",", "spaceDelimited": " ", "pipeDelimited": "|"}


def _delimiter(spec: ParamSpec) -> str | None:
    """The delimiter of a query array whose `style`/`explode` send it in one value; None: one
    item per occurrence (`form`, exploded: the default)."""
    if spec.source != "query" or not spec.is_sequence or spec.kwarg is None:
        return None
    style = spec.kwarg.style or "form"
    explode = spec.kwarg.explode if spec.kwarg.explode is not None else style == "form"
    return None if explode else _DELIMITERS.get(style)


def _from_multi(
    specs: list[ParamSpec],
    multi: dict[str, list[str]],
    values: dict[str, Any],
    errors: list[dict[str, str]],
    delimiters: Mapping[str, str],
) -> None:
    for spec in specs:
        raw_values = multi.get(spec.key)
        if raw_values is None:
            if spec.required:
                errors.append(_missing(spec))
            else:
                values[spec.name] = spec.default
            continue
        delimiter = delimiters.get(spec.name)
        if delimiter is not None:  # `ids=a,b` (an empty value: no items)
            raw_values = [item for raw in raw_values if raw for item in raw.split(delimiter)]
        elif spec.source == "header" and spec.is_sequence:
            # `simple`: `a, b`, the same list as one line per item (RFC 9110 5.3); empty
            # elements are ignored (RFC 9110 5.6.1)
            raw_values = [i.strip() for raw in raw_values for i in raw.split(",") if i.strip()]
        several = len(raw_values) > 1
        sequence = spec.is_sequence or (spec.item_or_sequence and several)  # `a=1&a=2`: the array
        if several and not sequence and spec.source == "query":
            errors.append(_repeated(spec, len(raw_values)))
            continue
        _convert(spec, raw_values if sequence else raw_values[-1], values, errors)


class Cleanup:
    """Generator dependencies to finish after the handler, in reverse order of creation."""

    __slots__ = ("generators",)

    def __init__(self) -> None:
        self.generators: list[Any] = []

    async def close(self, exc: BaseException | None) -> None:
        """Resume each generator: to its end after success, or with the handler's exception."""
        for generator in reversed(self.generators):
            if inspect.isasyncgen(generator):
                with contextlib.suppress(StopAsyncIteration, *_thrown(exc)):
                    if exc is None:
                        await generator.__anext__()
                    else:
                        await generator.athrow(exc)
            else:
                with contextlib.suppress(StopIteration, *_thrown(exc)):
                    if exc is None:
                        next(generator)
                    else:
                        generator.throw(exc)


def _thrown(exc: BaseException | None) -> tuple[type[BaseException], ...]:
    # the exception thrown in and re-raised by the generator is the handler's own: not new
    return (type(exc),) if exc is not None else ()


async def extract_kwargs(
    plan: KwargsPlan,
    scope: Scope,
    receive: Receive,
    captures: list[str],
    request: Request[Any, Any] | None,
    max_body_size: int | None,
    cleanup: Cleanup | None,
) -> dict[str, Any]:
    """Every argument of the handler for this request; raises 400 with all failures at once."""
    values: dict[str, Any] = {}
    errors: list[dict[str, str]] = []
    for index, spec in plan.path_params:
        items = plan.path_arrays.get(spec.name)
        _convert(spec, items(captures[index]) if items else captures[index], values, errors)
    if plan.query_params or plan.bound_query:
        raw_query = scope.get("query_string", b"")
        query = parse_query(raw_query) if raw_query else {}
        _from_multi(plan.query_params, query, values, errors, plan.delimiters)
        if plan.bound_query:
            _from_multi(
                [read for _, read in plan.bound_query], query, values, errors, plan.delimiters
            )
    for spec in plan.unsent:  # a fragment is never sent: the argument's default, else None
        values[spec.name] = None if spec.default is _UNSET else spec.default
    if plan.header_params or plan.cookie_params:
        headers: dict[str, list[str]] = {}
        for name, value in scope["headers"]:
            headers.setdefault(name.decode("latin-1"), []).append(value.decode("latin-1"))
        _from_multi(plan.header_params, headers, values, errors, {})
        if plan.cookie_params:
            cookie_header = headers.get("cookie")
            cookies = parse_cookie_header("; ".join(cookie_header)) if cookie_header else {}
            _from_multi(
                plan.cookie_params, {k: [v] for k, v in cookies.items()}, values, errors, {}
            )
    if plan.body is not None:
        await _decode_body(plan.body, scope, receive, max_body_size, values, errors)
    if errors:
        raise ValidationException(
            f"Validation failed for {scope['method']} {scope['path']}", extra=errors
        )
    if plan.reserved:
        for kind in plan.reserved:
            values[f"__{kind}"] = _reserved_value(kind, scope, request)
    if plan.dependencies:
        await _resolve_dependencies(plan, values, cleanup)
    return _call_kwargs(plan.handler, values)


async def _decode_body(
    decoder: BodyDecoder,
    scope: Scope,
    receive: Receive,
    max_body_size: int | None,
    values: dict[str, Any],
    errors: list[dict[str, str]],
) -> None:
    """The request body (read once per request) decoded into `values["data"]`; a client's
    mistakes join `errors`, a 415 is raised as it is."""
    body = scope.get("_body")
    if body is None:
        body = await read_body(scope, receive, max_body_size)
        scope["_body"] = body
    content_type = header = ""
    for name, value in scope["headers"]:
        if name == b"content-type":
            header = value.decode("latin-1")
            content_type = header.partition(";")[0].strip().lower()
            break
    try:
        values["data"] = decoder.decode(content_type, body, header)
    except UnsupportedMediaTypeException:
        raise
    except ClientException as exc:
        if not isinstance(exc.extra, list):
            raise
        errors.extend(exc.extra)


async def _resolve_dependencies(
    plan: KwargsPlan, values: dict[str, Any], cleanup: Cleanup | None
) -> None:
    """Each dependency's value into `values`, in the order they depend on one another."""
    for step in plan.dependencies:
        provider = step.provider
        if provider.use_cache and provider.cached_value is not _UNSET:
            values[step.key] = provider.cached_value
            continue
        kwargs = _call_kwargs(step.signature, values)
        if provider.is_generator:
            generator = provider.dependency(**kwargs)
            value = next(generator)
            if cleanup is not None:
                cleanup.generators.append(generator)
        elif provider.is_async_generator:
            generator = provider.dependency(**kwargs)
            value = await generator.__anext__()
            if cleanup is not None:
                cleanup.generators.append(generator)
        elif provider.is_async:
            value = await provider.dependency(**kwargs)
        elif provider.sync_to_thread:
            value = await asyncio.to_thread(provider.dependency, **kwargs)
        else:
            value = provider.dependency(**kwargs)
        if provider.use_cache:
            provider.cached_value = value
        values[step.key] = value


def _reserved_value(kind: str, scope: Scope, request: Request[Any, Any] | None) -> Any:
    if kind == "scope":
        return scope
    if kind == "state":
        return scope.setdefault("state", {})
    assert request is not None  # the compiled route creates one whenever these are asked for
    if kind == "headers":
        return request.headers
    if kind == "cookies":
        return request.cookies
    if kind == "query":
        return request.query_params
    return request


def _call_kwargs(signature: FnSignature, values: dict[str, Any]) -> dict[str, Any]:
    kwargs: dict[str, Any] = {}
    for name in signature.arg_names:
        kind = signature.reserved.get(name)
        if kind is not None:
            kwargs[name] = values[f"__{kind}"]
        elif name in values:
            kwargs[name] = values[name]
        elif name in signature.optional_dependencies:
            kwargs[name] = signature.optional_dependencies[name]
    return kwargs
