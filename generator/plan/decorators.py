"""The route decorator of an operation: `get("/pets", name=..., status_code=..., ...)`."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from ..ir import Api, HeaderSpec, Operation, PrimitiveType, ResponseSpec
from ..render.pyexpr import Imports, literal, servers_data
from .responses import header_call, negotiated, responses_argument, typed_header
from .views import Arg, Call, DictOf, ListOf, Value

__all__ = ["Callbacks", "decorator_call"]

_METHOD_DECORATORS = {"get", "post", "put", "patch", "delete", "head"}
_TYPED_PARAMETER = re.compile(r"\{[^{}]*:[^{}]*\}")  # `{api_ver:\d+}`: a name, not `{name:type}`

Callbacks = Mapping[str, Mapping[str, Sequence[str]]]  # name -> expression -> functions


def decorator_call(
    api: Api,
    op: Operation,
    primary: ResponseSpec | None,
    media_type: str | None,
    own_headers: Sequence[HeaderSpec],
    imports: Imports,
    callbacks: Callbacks,
) -> Call:
    """The decorator routing (or, for a webhook or callback, documenting) `op`."""
    method = op.method.lower()
    # a webhook is known by its name: its handler only documents the request the API sends
    arguments = [Arg("", literal(op.path if op.kind == "operation" else "/"))]
    if method in _METHOD_DECORATORS:
        imports.add("specloom.runtime", method)
        function = method
    else:
        imports.add("specloom.runtime", "route")
        function = "route"
        arguments.append(Arg("http_method", ListOf((literal(method.upper()),))))
    if op.kind == "operation" and _TYPED_PARAMETER.search(op.path):
        arguments.append(Arg("typed_params", "False"))
    arguments += _described(op, imports)
    arguments.append(Arg("status_code", str(op.status_code)))
    arguments += _responded(api, op, primary, media_type, own_headers, imports)
    arguments += _documented(op)
    if callbacks:
        arguments.append(Arg("callbacks", _callbacks(callbacks)))
    return Call(function, tuple(arguments))


def _described(op: Operation, imports: Imports) -> list[Arg]:
    """Name, operation id, summary, description, tags, deprecation."""
    # NO_OPERATION_ID: the spec gives no operationId, so the document names none either
    operation_id = literal(op.operation_id) if op.operation_id is not None else "NO_OPERATION_ID"
    if op.operation_id is None:
        imports.add("specloom.runtime", "NO_OPERATION_ID")
    arguments = [Arg("name", literal(op.python_name)), Arg("operation_id", operation_id)]
    if op.summary is not None:
        arguments.append(Arg("summary", literal(op.summary)))
    if op.description is not None:  # the stub's docstring is for its reader, never documented
        arguments.append(Arg("description", literal(op.description)))
    if op.tags:
        arguments.append(Arg("tags", literal(list(op.tags))))
    if op.deprecated:
        arguments.append(Arg("deprecated", "True"))
    return arguments


def _responded(
    api: Api,
    op: Operation,
    primary: ResponseSpec | None,
    media_type: str | None,
    own_headers: Sequence[HeaderSpec],
    imports: Imports,
) -> list[Arg]:
    """Media types, the success response's description and headers, the other responses."""
    arguments = []
    offered = negotiated(primary) or _base64_text(primary)
    if offered:
        arguments.append(Arg("media_types", literal(offered)))
    elif media_type:
        arguments.append(Arg("media_type", literal(media_type)))
    if primary is not None:
        arguments.append(Arg("response_description", literal(primary.description)))
    else:  # the spec documents no response of the handler's status: only what it writes
        arguments.append(Arg("success_in_schema", "False"))
    own = [(header, header_call(header, imports)) for header in own_headers]
    plain = [expr for _, expr in own if expr.function == "ResponseHeader"]
    if plain:
        arguments.append(Arg("response_headers", ListOf(tuple(plain))))
    for header, expr in own:
        if header.is_cache_control and typed_header(header):
            arguments.append(Arg("cache_control", expr))
        elif header.is_etag and typed_header(header):
            arguments.append(Arg("etag", expr))
    responses = responses_argument(api, op, primary, imports)
    if responses is not None:
        arguments.append(Arg("responses", responses))
    return arguments


def _documented(op: Operation) -> list[Arg]:
    """Security, external docs, servers and extensions of the operation."""
    arguments = []
    if not op.security_inherited:
        requirements = [
            DictOf(tuple((literal(r.scheme), literal(list(r.scopes))) for r in alternative))
            for alternative in op.security
        ]
        arguments.append(Arg("security", ListOf(tuple(requirements))))
    if op.external_docs is not None:
        docs = {"url": op.external_docs.url}
        if op.external_docs.description:
            docs["description"] = op.external_docs.description
        arguments.append(Arg("external_docs", literal(docs)))
    if op.servers:
        arguments.append(Arg("servers", literal(servers_data(op.servers))))
    if op.extensions:
        arguments.append(Arg("extensions", literal(op.extensions)))
    return arguments


def _callbacks(callbacks: Callbacks) -> DictOf:
    """`{name: {expression: function or [functions]}}`."""
    entries: list[tuple[str, Value]] = []
    for name, expressions in callbacks.items():
        items: list[tuple[str, Value]] = [
            (literal(expression), functions[0] if len(functions) == 1 else ListOf(tuple(functions)))
            for expression, functions in expressions.items()
        ]
        entries.append((literal(name), DictOf(tuple(items))))
    return DictOf(tuple(entries))


def _base64_text(primary: ResponseSpec | None) -> list[str]:
    """Octets in a JSON response are base64 text (`format: byte`, `contentEncoding: base64`):
    declared as the one media type, the runtime sends `bytes` as a JSON string."""
    if primary is None or primary.kind != "json" or primary.media_type is None:
        return []
    type_ = primary.type
    if isinstance(type_, PrimitiveType) and type_.kind == "bytes" and type_.format != "binary":
        return [primary.media_type]
    return []
