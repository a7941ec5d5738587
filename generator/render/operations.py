"""Operations: decorators and parameter types (spec-owned) and handler stubs (user-owned).

For each operation the generator decides: the route decorator and its arguments, a type alias
per parameter (`Annotated[T, Parameter(...)]`) so handler signatures stay short, the body
alias, the return annotation, and which response headers go on which layer.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from msgspec import UNSET

from ..content import is_xml
from ..errors import SpecWarning
from ..ir import (
    AnyType,
    Api,
    Body,
    Field,
    HeaderSpec,
    ListType,
    LiteralType,
    MapType,
    MediaTypeSpec,
    Model,
    ModelRef,
    NoneType,
    Operation,
    Parameter,
    PrimitiveType,
    ResponseSpec,
    TypeRef,
    UnionType,
    is_nullable,
    union_of,
    without_none,
)
from ..merge import NOT_ROUTED_MARKER
from ..naming import pascal_name
from ..schema_utils import unalias
from .models import default_fits
from .pyexpr import Imports, docstring, literal, servers_data, type_expr

__all__ = ["HandlerStub", "OperationView", "RenderedOperations", "render_operations"]

_METHOD_DECORATORS = {"get", "post", "put", "patch", "delete", "head"}


@dataclass
class HandlerStub:
    """A handler function in a user-owned handlers module."""

    name: str
    decorator: str
    params: list[str]
    returns: str
    doc: str
    body: list[str]
    marker: str = ""  # instead of a decorator: why the def is not routed


@dataclass
class OperationView:
    """One operation in the operations module."""

    name: str
    comment: str
    aliases: list[tuple[str, str]]  # (alias name, type expression)
    call: str  # the decorator expression
    stub: HandlerStub | None = None  # webhooks, callbacks: the function it documents


@dataclass
class RenderedOperations:
    """Everything operations.py, headers.py and the handler modules need."""

    operations: list[OperationView]
    operation_imports: list[str]
    header_constants: list[tuple[str, str]]  # (constant, expression)
    header_imports: list[str]
    handlers: dict[str, list[HandlerStub]]  # tag module -> stubs
    handler_imports: dict[str, list[str]]
    handler_local_imports: dict[str, list[str]]  # `from .. import paginators`
    tag_headers: dict[str, str]  # tag module -> header constant for its router
    app_headers: str | None
    webhooks: list[tuple[str, list[HandlerStub]]] = field(default_factory=list)  # name, stubs
    warnings: list[SpecWarning] = field(default_factory=list)


def _unique(name: str, taken: set[str]) -> str:
    candidate, index = name, 2
    while candidate in taken:
        candidate, index = f"{name}{index}", index + 1
    taken.add(candidate)
    return candidate


def _is_scalar(type_: TypeRef, api: Api | None = None) -> bool:
    """Whether a value of the type is read from one string (enums and scalar aliases too)."""
    inner = without_none(type_)
    if isinstance(inner, NoneType):  # `type: null`: no text is a value (null is absence)
        return True
    if isinstance(inner, PrimitiveType):
        return inner.kind not in ("bytes",)
    if isinstance(inner, UnionType):
        return all(_is_scalar(member, api) for member in inner.members)
    if isinstance(inner, ModelRef) and api is not None:
        model = api.model(inner.name)
        if model.kind == "enum":
            return True
        return model.kind == "alias" and model.target is not None and _is_scalar(model.target)
    return isinstance(inner, LiteralType)


def _is_object(type_: TypeRef, api: Api) -> bool:
    """Whether values of the type are JSON objects: struct models and maps (aliases followed)."""
    inner = unalias(without_none(type_), {model.name: model for model in api.models})
    if isinstance(inner, ModelRef):
        return api.model(inner.name).kind == "struct"
    return isinstance(inner, MapType)


def _parameter_type(api: Api, parameter: Parameter, warnings: list[SpecWarning]) -> TypeRef:
    """The parameter's type if the runtime can read it from a string, else `str` (reported)."""
    inner = without_none(parameter.type)
    if isinstance(inner, ModelRef):
        model = api.model(inner.name)
        if model.kind == "enum":
            return parameter.type
        if model.kind == "alias" and model.target is not None and _is_scalar(model.target):
            return parameter.type
    elif _is_scalar(inner) or (isinstance(inner, ListType) and _is_scalar(inner.item, api)):
        return parameter.type
    elif (
        parameter.location == "query"
        and isinstance(inner, ListType)
        and _is_object(inner.item, api)
    ):
        warnings.append(
            SpecWarning(
                parameter.pointer,
                f"query parameter {parameter.name!r} is an array of objects, which OpenAPI "
                "gives no serialization: specloom's is one item per occurrence, each its JSON",
            )
        )
        return parameter.type
    warnings.append(
        SpecWarning(
            parameter.pointer,
            f"{parameter.location} parameter {parameter.name!r} is not a scalar or a list of "
            "scalars: the handler receives its raw text (str)",
        )
    )
    optional = not parameter.required
    return (
        UnionType((PrimitiveType(kind="str"), NoneType()))
        if optional
        else PrimitiveType(kind="str")
    )


def _parameter_default(
    api: Api, parameter: Parameter, type_: TypeRef, warnings: list[SpecWarning]
) -> str | None:
    """The spec's default as Python source, when it is a valid value of the type."""
    if parameter.required or parameter.default is None or parameter.default is UNSET:
        return None
    if not default_fits(type_, parameter.default, api):
        warnings.append(
            SpecWarning(
                parameter.pointer,
                f"default {parameter.default!r} of parameter {parameter.name!r} does not "
                "fit its type: left out",
            )
        )
        return None
    return _enum_member(api, type_, parameter.default) or literal(parameter.default)


def _parameter_alias(
    api: Api,
    operation: Operation,
    parameter: Parameter,
    imports: Imports,
    warnings: list[SpecWarning],
) -> tuple[str, str, str | None]:
    """(type expression, signature default text, default) for one parameter.

    An optional parameter with a default has the default's type (it is never None); one
    without is `T | None`, None when absent.
    """
    type_ = _parameter_type(api, parameter, warnings)
    default = _parameter_default(api, parameter, type_, warnings)
    if not parameter.required and default is None:
        default = "None"
        if not isinstance(without_none(type_), NoneType):
            type_ = union_of([type_, NoneType()])
    base = type_expr(type_, imports, model_prefix="m.")
    arguments = [f"{parameter.location}={literal(parameter.name)}"]
    if parameter.description is not None:  # "" is a description as written
        arguments.append(f"description={literal(parameter.description)}")
    if parameter.deprecated:
        arguments.append("deprecated=True")
    if parameter.style:
        arguments.append(f"style={literal(parameter.style)}")
    if parameter.explode is not None:
        arguments.append(f"explode={literal(parameter.explode)}")
    arguments += _example_arguments(parameter.example, parameter.examples)
    if parameter.extensions:
        arguments.append(f"extensions={literal(parameter.extensions)}")
    if parameter.default not in (None, UNSET) and (parameter.required or default is None):
        # never used (the parameter is always sent, or the value does not fit its type), but
        # the spec documents it: an annotation, carried as written
        arguments.append(f"schema_extra={literal({'default': parameter.default})}")
    imports.add("typing", "Annotated")
    imports.add("specloom.runtime.params", "Parameter")
    expression = f"Annotated[{base}, Parameter({', '.join(arguments)})]"
    return expression, _signature_default(default), default


def _example_arguments(example: Any, examples: dict[str, Any]) -> list[str]:
    """`example=`/`examples=` arguments: documentation, carried as the spec writes it."""
    arguments = []
    if example is not UNSET:
        arguments.append(f"example={literal(example)}")
    if examples:
        arguments.append(f"examples={literal(examples)}")
    return arguments


def _signature_default(default: str | None) -> str:
    if default is None:
        return ""
    return f" = ({default})" if len(default) > 40 else f" = {default}"


def _enum_member(api: Api, type_: TypeRef, value: Any) -> str | None:
    inner = without_none(type_)
    if isinstance(inner, ModelRef):
        model = api.model(inner.name)
        if model.enum_type == "float":  # a NumberEnum has no members: the number is the value
            return None
        for member in model.enum_members:
            if member.value == value and type(member.value) is type(value):
                return f"m.{model.name}.{member.name}"
    return None


def _decodable(api: Api, content: MediaTypeSpec) -> bool:
    """Whether the runtime decodes this content into its type: JSON and URL-encoded forms,
    multipart forms (arrays of scalars or bytes too: one part per item) and XML documents of
    structured types, text as a str."""
    inner = without_none(content.type) if content.type is not None else None
    if content.kind in ("json", "form"):
        return True
    if content.kind == "text" and inner == PrimitiveType("str"):
        return True  # the text itself (a JSON media type beside it carries a JSON string)
    if content.kind == "multipart" and isinstance(inner, ListType):
        item = without_none(inner.item)
        return _is_scalar(item, api) or (isinstance(item, PrimitiveType) and item.kind == "bytes")
    if content.kind == "multipart":
        return isinstance(inner, ModelRef | MapType | AnyType)
    return is_xml(content.media_type) and isinstance(inner, ModelRef | ListType)


def _body_alias(
    api: Api, body: Body, imports: Imports, warnings: list[SpecWarning], pointer: str
) -> tuple[str, bool]:
    """(type expression, optional) of the `data` argument."""
    imports.add("typing", "Annotated")
    imports.add("specloom.runtime.params", "Body")
    decodable = [c.media_type for c in body.content if c.type == body.type and _decodable(api, c)]
    if body.media_type in decodable:
        type_: TypeRef = body.type
        media_types = decodable
    elif body.kind == "text":
        type_, media_types = PrimitiveType(kind="str"), [body.media_type]
    else:  # binary, streams, multipart without fields: the raw bytes
        type_, media_types = PrimitiveType(kind="bytes"), [body.media_type]
        if body.kind == "multipart":
            warnings.append(
                SpecWarning(pointer, "a multipart body without an object schema is raw bytes")
            )
    skipped = [c.media_type for c in body.content if c.media_type not in media_types]
    if skipped:
        warnings.append(
            SpecWarning(
                pointer,
                f"request body media types {skipped} are not accepted (their content is not "
                f"the same type as {media_types[0]})",
            )
        )
    optional = not body.required
    base = type_expr(type_, imports, model_prefix="m.")
    if optional:
        base = f"{base} | None"
    arguments = [f"media_types={literal(media_types)}"]
    if body.description is not None:
        arguments.append(f"description={literal(body.description)}")
    primary = next((c for c in body.content if c.media_type == media_types[0]), None)
    if primary is not None:
        arguments += _example_arguments(primary.example, primary.examples)
    return f"Annotated[{base}, Body({', '.join(arguments)})]", optional


def _signature(
    api: Api,
    op: Operation,
    alias_names: set[str],
    imports: Imports,
    warnings: list[SpecWarning],
) -> tuple[list[tuple[str, str]], list[str]]:
    """(type aliases, handler parameters) of an operation's parameters and body."""
    aliases: list[tuple[str, str]] = []
    params: list[tuple[bool, str]] = []  # (has default, text)
    for parameter in op.parameters:
        alias = _unique(pascal_name(f"{op.python_name}_{parameter.python_name}"), alias_names)
        expression, default_text, default = _parameter_alias(api, op, parameter, imports, warnings)
        aliases.append((alias, expression))
        imports.add("typing", "TypeAlias")
        # parentheses let a long annotation split (black's rule); layout drops them otherwise
        params.append((default is not None, f"{parameter.python_name}: (op.{alias}){default_text}"))
    if op.body is not None:
        alias = _unique(pascal_name(f"{op.python_name}_body"), alias_names)
        expression, optional = _body_alias(api, op.body, imports, warnings, op.pointer)
        aliases.append((alias, expression))
        imports.add("typing", "TypeAlias")
        params.append(
            (optional, f"{op.body.python_name}: (op.{alias})" + (" = None" if optional else ""))
        )
    params.sort(key=lambda item: item[0])  # arguments with defaults last
    return aliases, [text for _, text in params]


def _primary_response(operation: Operation) -> ResponseSpec | None:
    for response in operation.responses:
        if response.status_code == operation.status_code:
            return response
    return None


def _is_text_type(api: Api, type_: TypeRef | None) -> bool:
    """Whether the runtime sees `type_` as str/bytes (whose default media type is text)."""
    inner = without_none(type_) if type_ is not None else NoneType()
    seen: set[str] = set()
    while isinstance(inner, ModelRef) and inner.name not in seen:
        seen.add(inner.name)
        model = api.model(inner.name)
        if model.kind != "alias" or model.target is None:
            return False
        inner = model.target
    return isinstance(inner, PrimitiveType) and inner.kind in ("str", "email", "uri", "bytes")


def _return_annotation(
    api: Api, response: ResponseSpec | None, imports: Imports, has_headers: bool
) -> tuple[str, str | None]:
    """(return annotation for the stub, media type for the decorator or None)."""
    if response is None or response.kind == "empty" or not _body_allowed(response.status_code):
        return "None", None
    media_type = response.media_type
    if response.kind == "redirect":
        imports.add("specloom.runtime.response", "Redirect")
        return "Redirect", None
    if response.kind == "binary":
        imports.add("specloom.runtime.response", "File")
        return "File", media_type
    if response.kind == "sse":
        imports.add("specloom.runtime.response", "ServerSentEvent")
        return "ServerSentEvent", None
    if response.kind == "stream":
        imports.add("specloom.runtime.response", "Stream")
        return "Stream", media_type
    if response.kind == "text":
        annotation = _text_annotation(api, response.type, imports)
    else:
        annotation = type_expr(response.type or NoneType(), imports, model_prefix="m.")
    if has_headers:
        imports.add("specloom.runtime", "Response")
        annotation = f"Response[{annotation}]"
    # JSON is the default media type, except for str (text/plain): then it is named
    default_json = response.kind == "text" or not _is_text_type(api, response.type)
    explicit = None if media_type in (None, "application/json") and default_json else media_type
    return annotation, explicit


def _negotiated(response: ResponseSpec | None) -> list[str]:
    """The media types a typed response is offered in (the primary first), when several.

    JSON and XML content of the same type: the runtime encodes the value in the one the
    request's Accept header prefers.
    """
    if response is None or response.kind != "json" or not _body_allowed(response.status_code):
        return []
    offered = [
        c.media_type
        for c in response.content
        if c.type == response.type and (c.kind == "json" or is_xml(c.media_type))
    ]
    if len(offered) < 2 or response.media_type not in offered:
        return []
    return [response.media_type or "", *(m for m in offered if m != response.media_type)]


def _body_allowed(status: int | None) -> bool:
    return status is None or (status >= 200 and status not in (204, 304))


def _typed_header(header: HeaderSpec) -> bool:
    """Cache-Control and ETag get their typed declarations when a description is all they say.

    (Without a description the runtime would document its own: a plain ResponseHeader says
    exactly what the spec says.)
    """
    plain = without_none(header.type) == PrimitiveType("str")
    said = header.required or header.deprecated or header.examples or header.example is not UNSET
    typed = header.is_cache_control or header.is_etag
    return typed and plain and not said and header.description is not None


def _header_expression(header: HeaderSpec, imports: Imports) -> str:
    if header.is_cache_control and _typed_header(header):
        imports.add("specloom.runtime.datastructures", "CacheControlHeader")
        description = f", description={literal(header.description)}" if header.description else ""
        return f"CacheControlHeader(documentation_only=True{description})"
    if header.is_etag and _typed_header(header):
        imports.add("specloom.runtime.datastructures", "ETag")
        description = f", description={literal(header.description)}" if header.description else ""
        return f"ETag(documentation_only=True{description})"
    imports.add("specloom.runtime.datastructures", "ResponseHeader")
    arguments = [f"name={literal(header.name)}", "documentation_only=True"]
    if header.description is not None:
        arguments.append(f"description={literal(header.description)}")
    if header.required:
        arguments.append("required=True")
    if header.deprecated:
        arguments.append("deprecated=True")
    schema = without_none(header.type)
    if schema != PrimitiveType("str"):
        arguments.append(f"schema={type_expr(header.type, imports, model_prefix='m.')}")
    if header.example is not UNSET:
        arguments.append(f"example={literal(header.example)}")
    if header.examples:
        arguments.append(f"examples={literal(header.examples)}")
    return f"ResponseHeader({', '.join(arguments)})"


def _documented_bytes(api: Api, response: ResponseSpec) -> bool:
    """A binary response whose schema is a named, described one (`TicketCodeImage`), or a
    stream whose items have a schema: the declaration documents what the bytes hold."""
    if response.kind == "stream":
        inner = without_none(response.type) if response.type is not None else None
        return inner is not None and not (
            isinstance(inner, PrimitiveType) and inner.kind == "bytes"
        )
    if response.kind != "binary" or not isinstance(response.type, ModelRef):
        return False
    model = api.model(response.type.name)
    return model.kind == "alias" and bool(model.description or model.title)


def _response_spec(
    api: Api, response: ResponseSpec, imports: Imports, *, typed: bool = False
) -> str:
    """`typed`: a binary response's own (documented) type instead of plain `bytes`."""
    imports.add("specloom.runtime.openapi", "ResponseSpec")
    arguments = []
    if response.kind not in ("empty", "redirect") and response.type is not None:
        if typed:
            arguments.append(type_expr(response.type, imports, model_prefix="m."))
        elif response.kind in ("binary", "stream"):
            arguments.append("bytes")
        elif response.kind in ("text", "sse"):
            arguments.append(_text_annotation(api, response.type, imports))
        else:
            arguments.append(type_expr(response.type, imports, model_prefix="m."))
    else:
        arguments.append("None")
    arguments.append(f"description={literal(response.description)}")
    if response.media_type and response.media_type != "application/json":
        arguments.append(f"media_type={literal(response.media_type)}")
    arguments += _response_examples(response)
    headers = [
        _header_expression(h, imports)
        for h in response.headers
        if not _typed_header(h) and _TOKEN.match(h.name)
    ]
    if headers:
        arguments.append(f"headers=[{', '.join(headers)}]")
    if response.links:
        arguments.append(f"links={literal(response.links)}")
    return f"ResponseSpec({', '.join(arguments)})"


def _text_annotation(api: Api, type_: TypeRef | None, imports: Imports) -> str:
    """`str`, with the schema's constraints and docs when it is a string schema."""
    if type_ is not None and _is_text_type(api, type_):
        inner = without_none(type_)
        if not (isinstance(inner, PrimitiveType) and inner.kind == "bytes"):
            return type_expr(inner, imports, model_prefix="m.")
    return "str"


def _response_examples(response: ResponseSpec) -> list[str]:
    primary = next((c for c in response.content if c.media_type == response.media_type), None)
    return [] if primary is None else _example_arguments(primary.example, primary.examples)


_TOKEN = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")  # an RFC 9110 field name


def _declarable(
    headers: Iterable[HeaderSpec], pointer: str, warnings: list[SpecWarning]
) -> list[HeaderSpec]:
    """The headers whose names are valid field names (others are reported, not declared)."""
    kept = []
    for header in headers:
        if _TOKEN.match(header.name):
            kept.append(header)
        else:
            warnings.append(
                SpecWarning(
                    pointer, f"response header {header.name!r} is not a valid header name: left out"
                )
            )
    return kept


def _success_headers(operation: Operation) -> list[HeaderSpec]:
    response = _primary_response(operation)
    if response is None:
        return []
    return [header for header in response.headers if _TOKEN.match(header.name)]


def render_operations(api: Api) -> RenderedOperations:
    """Decide operations.py, headers.py and the stubs of every handler module."""
    warnings: list[SpecWarning] = []
    op_imports = Imports()
    header_imports = Imports()
    handler_imports: dict[str, Imports] = defaultdict(Imports)
    routable = [op for op in api.operations if op.kind == "operation" and op.routable]
    # reported where found: their handlers are written, unrouted and marked
    shadowed = [op for op in api.operations if op.shadowed_by is not None]
    stubbed = [
        op
        for op in api.operations
        if op.shadowed_by is not None or (op.kind == "operation" and op.routable)
    ]
    for op in api.operations:
        if op not in stubbed:
            warnings.append(SpecWarning(op.pointer, f"{op.method.upper()} {op.path} is not routed"))

    # headers: hoisted to the highest layer every operation below it shares
    header_sets: dict[str, dict[str, tuple[HeaderSpec, str]]] = {}
    for op in routable:  # report response headers that cannot be declared, once each
        for response in op.responses:
            _declarable(response.headers, op.pointer, warnings)
    scratch = Imports()  # expressions here only compare headers; imports are added on use
    for op in routable + shadowed:
        header_sets[op.python_name] = {
            h.name.lower(): (h, _header_expression(h, scratch)) for h in _success_headers(op)
        }

    def common(ops: list[Operation]) -> dict[str, str]:
        """Plain headers all `ops` share (typed Cache-Control/ETag stay on each operation)."""
        if not ops:
            return {}
        first = {
            k: v[1]
            for k, v in header_sets[ops[0].python_name].items()
            if v[1].startswith("ResponseHeader(")
        }
        for op in ops[1:]:
            mine = {k: v[1] for k, v in header_sets[op.python_name].items()}
            first = {k: v for k, v in first.items() if mine.get(k) == v}
        return first

    app_common = common(routable) if len(routable) > 1 else {}
    by_tag: dict[str, list[Operation]] = defaultdict(list)
    module_of = {tag.name: tag.module for tag in api.tags}
    for op in routable:
        by_tag[module_of.get(op.tag, "default")].append(op)
    tag_common = {
        module: (
            {k: v for k, v in common(ops).items() if k not in app_common} if len(ops) > 1 else {}
        )
        for module, ops in by_tag.items()
    }
    constants: list[tuple[str, str]] = []
    taken: set[str] = set()
    app_headers = None
    if app_common:
        for op in routable[:1]:
            for key in app_common:
                _header_expression(header_sets[op.python_name][key][0], header_imports)
        app_headers = _unique("APP_HEADERS", taken)
        constants.append((app_headers, "[" + ", ".join(_plain_headers(app_common)) + "]"))
    tag_headers: dict[str, str] = {}
    for module, headers in sorted(tag_common.items()):
        plain = _plain_headers(headers)
        if plain:
            first = by_tag[module][0]
            for key in headers:
                _header_expression(header_sets[first.python_name][key][0], header_imports)
            name = _unique(f"{module.upper()}_HEADERS", taken)
            tag_headers[module] = name
            constants.append((name, "[" + ", ".join(plain) + "]"))

    views: list[OperationView] = []
    handlers: dict[str, list[HandlerStub]] = defaultdict(list)
    alias_names: set[str] = set()
    documenter = _Documenter(api, alias_names, op_imports, warnings)
    for op in stubbed:
        module = module_of.get(op.tag, "default")
        imports = handler_imports[module]
        imports.add("..", "_generated")  # placeholder, replaced below
        own = {
            k: v
            for k, v in header_sets[op.python_name].items()
            if k not in app_common and k not in tag_common.get(module, {})
        }
        aliases, params = _signature(api, op, alias_names, op_imports, warnings)
        primary = _primary_response(op)
        has_headers = bool(header_sets[op.python_name])
        returns, media_type = _return_annotation(api, primary, imports, has_headers)
        callbacks = documenter.callbacks(op, views)
        call = _decorator_call(api, op, primary, media_type, own, op_imports, warnings, callbacks)
        views.append(OperationView(op.python_name, f"{op.method.upper()} {op.path}", aliases, call))
        doc = op.summary or op.description or f"{op.method.upper()} {op.path}"
        handlers[module].append(
            HandlerStub(
                name=op.python_name,
                decorator="" if op.shadowed_by else f"op.{op.python_name}",
                params=params,
                returns=returns,
                doc=docstring(doc, "    "),
                body=_stub_body(api, op, imports),
                marker=NOT_ROUTED_MARKER if op.shadowed_by else "",
            )
        )
    webhooks: list[tuple[str, list[HandlerStub]]] = []
    for hook in api.webhooks:
        stub = documenter.render(hook, views)
        if webhooks and webhooks[-1][0] == hook.path:
            webhooks[-1][1].append(stub)
        else:
            webhooks.append((hook.path, [stub]))
    rendered_imports = {}
    local_imports: dict[str, list[str]] = {}
    for module, imports in handler_imports.items():
        relative = imports.names.pop("..", set()) - {"_generated"}
        rendered_imports[module] = imports.lines()
        local_imports[module] = [f"from .. import {name}" for name in sorted(relative)]
    return RenderedOperations(
        operations=views,
        operation_imports=op_imports.lines(),
        header_constants=constants,
        header_imports=header_imports.lines(),
        handlers=dict(handlers),
        handler_imports=rendered_imports,
        handler_local_imports=local_imports,
        tag_headers=tag_headers,
        app_headers=app_headers,
        webhooks=webhooks,
        warnings=warnings,
    )


_PAGE_CALLS = {
    "classic": ("page_size_param", "page_param", "page_size={size}, current_page={position}"),
    "offset": ("limit_param", "offset_param", "limit={size}, offset={position}"),
    "cursor": ("page_size_param", "cursor_param", "cursor={position}, results_per_page={size}"),
}
_PAGE_TOTALS = {"classic": "total_pages", "offset": "total", "cursor": "cursor"}


def _stub_body(api: Api, op: Operation, imports: Imports) -> list[str]:
    """`raise NotImplementedError`, or for a paginated operation a call of its paginator.

    The call is written only when it type-checks: a paging argument that may be None gets a
    fallback first (`_page_fallback`); the response model is built from the page's items, its
    total (or next cursor, in nested models if need be) and the paging arguments it echoes.
    """
    pagination = op.pagination if op.routable else None  # only routed ones get a paginator
    response = _primary_response(op)
    if pagination is None or response is None or not isinstance(response.type, ModelRef):
        return ["raise NotImplementedError"]
    size_attr, position_attr, call = _PAGE_CALLS[pagination.kind]
    if pagination.kind == "cursor":
        size_attr = "page_size_param" if pagination.page_size_param else "limit_param"
    names = {"size": getattr(pagination, size_attr), "position": getattr(pagination, position_attr)}
    by_python = {p.python_name: p for p in op.parameters}
    prelude: list[str] = []  # a fallback for a paging argument the request may leave out
    settled: set[str] = set()  # paging arguments that are never None by the call
    for role, name in names.items():
        parameter = by_python.get(name or "")
        if parameter is None:
            return ["raise NotImplementedError"]
        expected = "str" if role == "position" and pagination.kind == "cursor" else "int"
        if _python_kind(parameter.type) != expected:  # the paginator takes str cursors, int sizes
            return ["raise NotImplementedError  # page with paginators.py"]
        nullable = not parameter.required and parameter.default in (None, UNSET)
        if not nullable:
            settled.add(parameter.python_name)
        elif not (role == "position" and pagination.kind == "cursor"):
            fallback = _page_fallback(parameter, role, pagination.kind)
            if fallback is None:
                return ["raise NotImplementedError  # page with paginators.py"]
            prelude += [
                f"if {name} is None:",
                f"    {name} = {fallback}  # the spec sets no default: yours to choose",
            ]
            settled.add(parameter.python_name)
    result = "page"
    while result in by_python:  # a parameter of that name (`page`) keeps its own
        result += "_"
    container = _PAGE_TOTALS[pagination.kind]
    model = api.model(response.type.name)
    wire = {f.wire_name: f for f in model.fields}
    items = wire.get(pagination.items_field)
    extra_path = pagination.total_field or pagination.next_cursor_field
    nullable = pagination.kind == "cursor"  # the next cursor is None on the last page
    placing = _PageValue({*by_python, result})
    value_kind = "str" if pagination.kind == "cursor" else "int"
    extra = placing.place(api, model, extra_path, f"{result}.{container}", value_kind, nullable)
    if items is None or extra is None:
        return ["raise NotImplementedError  # page with paginators.py"]
    arguments = {items.name: f"{result}.items", extra[0]: extra[1]}
    for member in model.fields:  # the request's paging arguments, echoed (`limit`, `startAt`)
        if member.name in arguments or not member.required or member.has_default:
            continue
        echoed = _echoed(member, op.parameters, settled)
        if echoed is None:
            return ["raise NotImplementedError  # page with paginators.py"]
        arguments[member.name] = echoed
    imports.add("..", "paginators")
    if placing.statements:
        imports.add("msgspec", "UNSET")
        imports.add("msgspec", "UnsetType")
    paginator = pascal_name(f"{op.python_name}_paginator")
    built = f"m.{model.name}({', '.join(f'{k}={v}' for k, v in arguments.items())})"
    if _success_headers(op):  # the handler returns Response[...] so it can set headers
        imports.add("specloom.runtime", "Response")
        built = f"Response({built})"
    return [
        *prelude,
        f"{result} = await paginators.{paginator}()({call.format(**names)})",
        *placing.statements,
        f"return {built}",
    ]


_STR_KINDS = frozenset(("str", "uri", "email"))  # primitive kinds typed `str` in Python


def _python_kind(type_: TypeRef) -> str | None:
    """`str` or `int` for a (nullable) primitive of that Python type, else None."""
    inner = without_none(type_)
    if not isinstance(inner, PrimitiveType):
        return None
    return "str" if inner.kind in _STR_KINDS else inner.kind


class _PageValue:
    """Where a page's total or next cursor goes in the response model, and the statements
    that prepare it (a cursor that may be None, for a field that may be absent but not null)."""

    def __init__(self, taken: set[str]) -> None:
        self.taken = taken
        self.statements: list[str] = []  # they need msgspec's UNSET and UnsetType

    def place(
        self, api: Api, model: Model, path: tuple[str, ...], value: str, kind: str, nullable: bool
    ) -> tuple[str, str] | None:
        """(field name, expression) that puts `value` (an int total, or a str cursor that is
        None on the last page) at the wire path `path` of `model`: nested models are built
        on the way when they need nothing else. None: it cannot be done."""
        fields = {f.wire_name: f for f in model.fields}
        field = fields.get(path[0]) if path else None
        if field is None:
            return None
        if len(path) > 1:
            return self._nested(api, field, path[1:], value, kind, nullable)
        if _python_kind(field.type) != kind:
            return None
        if not nullable or field.nullable or is_nullable(field.type):
            return field.name, value
        if field.required:
            return None  # the last page has no next cursor to give
        name = f"{field.name}_"
        while name in self.taken:
            name += "_"
        self.taken.add(name)
        self.statements += [
            f"{name}: {kind} | UnsetType = UNSET  # absent on the last page",
            f"if {value} is not None:",
            f"    {name} = {value}",
        ]
        return field.name, name

    def _nested(
        self, api: Api, field: Field, path: tuple[str, ...], value: str, kind: str, nullable: bool
    ) -> tuple[str, str] | None:
        inner = without_none(field.type)
        if not isinstance(inner, ModelRef):
            return None
        nested = api.model(inner.name)
        if nested.kind != "struct":
            return None
        found = self.place(api, nested, path, value, kind, nullable)
        if found is None:
            return None
        needed = {f.name for f in nested.fields if f.required and not f.has_default}
        if not needed <= {found[0]}:
            return None
        return field.name, f"m.{nested.name}({found[0]}={found[1]})"


def _echoed(field: Field, parameters: Sequence[Parameter], settled: set[str]) -> str | None:
    """The handler argument a required response field echoes (same wire name, same integer
    type, never None by then), or None."""
    for parameter in parameters:
        if parameter.name != field.wire_name and parameter.python_name != field.name:
            continue
        value, target = without_none(parameter.type), without_none(field.type)
        same_kind = (
            isinstance(value, PrimitiveType)
            and isinstance(target, PrimitiveType)
            and value.kind == target.kind
        )
        never_none = (
            parameter.required
            or parameter.default not in (None, UNSET)
            or parameter.python_name in settled  # a paging argument, with its fallback
        )
        if same_kind and never_none:
            return parameter.python_name
    return None


_PAGE_SIZE = 50


def _page_fallback(parameter: Parameter, role: str, kind: str) -> int | None:
    """The value a stub pages with when the request leaves a paging argument out: the first
    page (offset 0, page 1) or a page size of 50 within the parameter's bounds (integer
    arguments only: the caller checks)."""
    bounds = parameter.constraints.meta_kwargs() if parameter.constraints else {}
    value = (1 if kind == "classic" else 0) if role == "position" else _PAGE_SIZE
    if "le" in bounds:
        value = min(value, bounds["le"])
    if "lt" in bounds:
        value = min(value, bounds["lt"] - 1)
    if "ge" in bounds:
        value = max(value, bounds["ge"])
    if "gt" in bounds:
        value = max(value, bounds["gt"] + 1)
    return value if isinstance(value, int) else None


def _plain_headers(headers: dict[str, str]) -> list[str]:
    """Header expressions that go in a `response_headers` list (not Cache-Control/ETag)."""
    return [expr for expr in headers.values() if expr.startswith("ResponseHeader(")]


class _Documenter:
    """Webhooks and callbacks: a decorator and a never-called function documenting a request."""

    def __init__(
        self, api: Api, alias_names: set[str], imports: Imports, warnings: list[SpecWarning]
    ) -> None:
        self.api, self.alias_names, self.imports, self.warnings = (
            api,
            alias_names,
            imports,
            warnings,
        )
        self.names = {op.python_name for op in api.operations + api.webhooks}

    def render(self, op: Operation, views: list[OperationView]) -> HandlerStub:
        """Add the views of `op` (its callbacks first); the function that documents it."""
        api, imports, warnings = self.api, self.imports, self.warnings
        aliases, params = _signature(api, op, self.alias_names, imports, warnings)
        primary = _primary_response(op)
        headers = {h.name.lower(): (h, "") for h in _success_headers(op)}
        returns, media_type = _return_annotation(api, primary, imports, bool(headers))
        callbacks = self.callbacks(op, views)
        call = _decorator_call(api, op, primary, media_type, headers, imports, warnings, callbacks)
        decorator = _unique(f"{op.python_name}_{op.kind}", self.names)
        comment = f"{op.kind} {op.path}: {op.method.upper()}"
        stub = HandlerStub(
            name=op.python_name,
            decorator=decorator,
            params=[param.replace("(op.", "(", 1) for param in params],
            returns=returns,
            doc=docstring(op.summary or op.description or comment, "    "),
            body=[f"raise NotImplementedError  # documentation only: the API sends this {op.kind}"],
        )
        views.append(OperationView(decorator, comment, aliases, call, stub))
        return stub

    def callbacks(
        self, op: Operation, views: list[OperationView]
    ) -> dict[str, dict[str, list[str]]]:
        """name -> expression -> functions, for the `callbacks=` of `op`'s decorator."""
        found: dict[str, dict[str, list[str]]] = {}
        for callback in op.callbacks:
            stub = self.render(callback, views)
            name = callback.callback_name or callback.python_name
            found.setdefault(name, {}).setdefault(callback.path, []).append(stub.name)
        return found


def _decorator_call(
    api: Api,
    op: Operation,
    primary: ResponseSpec | None,
    media_type: str | None,
    own_headers: dict[str, tuple[HeaderSpec, str]],
    imports: Imports,
    warnings: list[SpecWarning],
    callbacks: dict[str, dict[str, list[str]]] | None = None,
) -> str:
    method = op.method.lower()
    # a webhook is known by its name: its handler only documents the request the API sends
    arguments = [literal(op.path if op.kind == "operation" else "/")]
    if method in _METHOD_DECORATORS:
        imports.add("specloom.runtime", method)
        function = method
    else:
        imports.add("specloom.runtime", "route")
        function = "route"
        arguments.append(f"http_method=[{literal(method.upper())}]")
    if op.kind == "operation" and re.search(r"\{[^{}]*:[^{}]*\}", op.path):
        # `{api_ver:\d+}` is OpenAPI's name, not the runtime's `{name:type}`
        arguments.append("typed_params=False")
    arguments.append(f"name={literal(op.python_name)}")
    # "": the spec gives no operationId, so the document names none either
    arguments.append(f"operation_id={literal(op.operation_id or '')}")
    if op.summary is not None:
        arguments.append(f"summary={literal(op.summary)}")
    if op.description is not None:  # the stub's docstring is for its reader, never documented
        arguments.append(f"description={literal(op.description)}")
    if op.tags:
        arguments.append(f"tags={literal(list(op.tags))}")
    if op.deprecated:
        arguments.append("deprecated=True")
    arguments.append(f"status_code={op.status_code}")
    offered = _negotiated(primary)
    if offered:
        arguments.append(f"media_types={literal(offered)}")
    elif media_type:
        arguments.append(f"media_type={literal(media_type)}")
    if primary is not None:
        arguments.append(f"response_description={literal(primary.description)}")
    own = {
        key: (header, _header_expression(header, imports))
        for key, (header, _) in own_headers.items()
    }
    plain = [expr for _, expr in own.values() if expr.startswith("ResponseHeader(")]
    if plain:
        arguments.append(f"response_headers=[{', '.join(plain)}]")
    for header, expr in own.values():
        if header.is_cache_control and _typed_header(header):
            arguments.append(f"cache_control={expr}")
        elif header.is_etag and _typed_header(header):
            arguments.append(f"etag={expr}")
    extra = [r for r in op.responses if r is not primary]
    documented = primary is not None and _documented_bytes(api, primary)
    if primary is not None and (_response_examples(primary) or primary.links or documented):
        extra.insert(0, primary)  # documentation of the success response
    if extra:
        entries = []
        for response in extra:
            key = (
                str(response.status_code)
                if response.status_code is not None
                else literal(response.status)
            )
            typed = documented and response is primary  # a File's schema, for its docs only
            entries.append(f"{key}: {_response_spec(api, response, imports, typed=typed)}")
        arguments.append("responses={" + ", ".join(entries) + "}")
    if not op.security_inherited:
        requirements = [
            "{"
            + ", ".join(f"{literal(r.scheme)}: {literal(list(r.scopes))}" for r in alternative)
            + "}"
            for alternative in op.security
        ]
        arguments.append(f"security=[{', '.join(requirements)}]")
    if op.external_docs is not None:
        docs = {"url": op.external_docs.url}
        if op.external_docs.description:
            docs["description"] = op.external_docs.description
        arguments.append(f"external_docs={literal(docs)}")
    if op.servers:
        arguments.append(f"servers={literal(servers_data(op.servers))}")
    if op.extensions:
        arguments.append(f"extensions={literal(op.extensions)}")
    if callbacks:
        entries = []
        for name, expressions in callbacks.items():
            items = [
                f"{literal(expression)}: "
                + (functions[0] if len(functions) == 1 else f"[{', '.join(functions)}]")
                for expression, functions in expressions.items()
            ]
            entries.append(f"{literal(name)}: {{{', '.join(items)}}}")
        arguments.append(f"callbacks={{{', '.join(entries)}}}")
    return f"{function}({', '.join(arguments)})"
