"""Operations: decorators and parameter types (spec-owned) and handler stubs (user-owned).

For each operation the generator decides: the route decorator and its arguments, a type alias
per parameter (`Annotated[T, Parameter(...)]`) so handler signatures stay short, the body
alias, the return annotation, and which response headers go on which layer.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from msgspec import UNSET

from ..errors import SpecWarning
from ..ir import (
    Api,
    Body,
    HeaderSpec,
    ListType,
    ModelRef,
    NoneType,
    Operation,
    Parameter,
    PrimitiveType,
    ResponseSpec,
    TypeRef,
    UnionType,
    union_of,
    without_none,
)
from ..naming import pascal_name
from .models import default_fits
from .pyexpr import Imports, docstring, literal, type_expr

__all__ = ["HandlerStub", "OperationView", "RenderedOperations", "render_operations"]

_METHOD_DECORATORS = {"get", "post", "put", "patch", "delete", "head"}
_DECODABLE = {"json", "form"}


@dataclass
class HandlerStub:
    """A handler function in a user-owned handlers module."""

    name: str
    decorator: str
    params: list[str]
    returns: str
    doc: str
    body: list[str]


@dataclass
class OperationView:
    """One operation in the operations module."""

    name: str
    comment: str
    aliases: list[tuple[str, str]]  # (alias name, type expression)
    call: str  # the decorator expression


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
    warnings: list[SpecWarning] = field(default_factory=list)


def _unique(name: str, taken: set[str]) -> str:
    candidate, index = name, 2
    while candidate in taken:
        candidate, index = f"{name}{index}", index + 1
    taken.add(candidate)
    return candidate


def _is_scalar(type_: TypeRef) -> bool:
    inner = without_none(type_)
    if isinstance(inner, PrimitiveType):
        return inner.kind not in ("bytes",)
    if isinstance(inner, UnionType):
        return all(_is_scalar(member) for member in inner.members)
    from ..ir import LiteralType

    return isinstance(inner, LiteralType)


def _parameter_type(api: Api, parameter: Parameter, warnings: list[SpecWarning]) -> TypeRef:
    """The parameter's type if the runtime can read it from a string, else `str` (reported)."""
    inner = without_none(parameter.type)
    if isinstance(inner, ModelRef):
        model = api.model(inner.name)
        if model.kind == "enum":
            return parameter.type
        if model.kind == "alias" and model.target is not None and _is_scalar(model.target):
            return parameter.type
    elif _is_scalar(inner) or (isinstance(inner, ListType) and _is_scalar(inner.item)):
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
    if parameter.description:
        arguments.append(f"description={literal(parameter.description)}")
    if parameter.deprecated:
        arguments.append("deprecated=True")
    if parameter.style:
        arguments.append(f"style={literal(parameter.style)}")
    if parameter.explode is not None:
        arguments.append(f"explode={literal(parameter.explode)}")
    if parameter.examples:
        arguments.append(f"examples={literal(list(parameter.examples))}")
    imports.add("typing", "Annotated")
    imports.add("specloom.runtime.params", "Parameter")
    expression = f"Annotated[{base}, Parameter({', '.join(arguments)})]"
    return expression, _signature_default(default), default


def _signature_default(default: str | None) -> str:
    if default is None:
        return ""
    return f" = ({default})" if len(default) > 40 else f" = {default}"


def _enum_member(api: Api, type_: TypeRef, value: Any) -> str | None:
    inner = without_none(type_)
    if isinstance(inner, ModelRef):
        model = api.model(inner.name)
        for member in model.enum_members:
            if member.value == value and type(member.value) is type(value):
                return f"m.{model.name}.{member.name}"
    return None


def _body_alias(
    body: Body, imports: Imports, warnings: list[SpecWarning], pointer: str
) -> tuple[str, bool]:
    """(type expression, optional) of the `data` argument."""
    imports.add("typing", "Annotated")
    imports.add("specloom.runtime.params", "Body")
    decodable = [c.media_type for c in body.content if c.kind in _DECODABLE and c.type == body.type]
    if body.kind in _DECODABLE and decodable:
        type_: TypeRef = body.type
        media_types = decodable
    elif body.kind == "text":
        type_, media_types = PrimitiveType(kind="str"), [body.media_type]
    else:  # binary, multipart, streams: the raw bytes
        type_, media_types = PrimitiveType(kind="bytes"), [body.media_type]
        if body.kind == "multipart":
            warnings.append(
                SpecWarning(pointer, "multipart bodies are received as raw bytes (not parsed)")
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
    if body.description:
        arguments.append(f"description={literal(body.description)}")
    return f"Annotated[{base}, Body({', '.join(arguments)})]", optional


def _primary_response(operation: Operation) -> ResponseSpec | None:
    for response in operation.responses:
        if response.status_code == operation.status_code:
            return response
    return None


def _return_annotation(
    response: ResponseSpec | None, imports: Imports, has_headers: bool
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
        annotation = "str"
    else:
        annotation = type_expr(response.type or NoneType(), imports, model_prefix="m.")
    if has_headers:
        imports.add("specloom.runtime", "Response")
        annotation = f"Response[{annotation}]"
    explicit = None if media_type in (None, "application/json") else media_type
    return annotation, explicit


def _body_allowed(status: int | None) -> bool:
    return status is None or (status >= 200 and status not in (204, 304))


def _header_expression(header: HeaderSpec, imports: Imports) -> str:
    if header.is_cache_control:
        imports.add("specloom.runtime.datastructures", "CacheControlHeader")
        description = f", description={literal(header.description)}" if header.description else ""
        return f"CacheControlHeader(documentation_only=True{description})"
    if header.is_etag:
        imports.add("specloom.runtime.datastructures", "ETag")
        description = f", description={literal(header.description)}" if header.description else ""
        return f"ETag(documentation_only=True{description})"
    imports.add("specloom.runtime.datastructures", "ResponseHeader")
    arguments = [f"name={literal(header.name)}", "documentation_only=True"]
    if header.description:
        arguments.append(f"description={literal(header.description)}")
    if header.required:
        arguments.append("required=True")
    if header.deprecated:
        arguments.append("deprecated=True")
    schema = without_none(header.type)
    if not (isinstance(schema, PrimitiveType) and schema.kind == "str" and not schema.constraints):
        arguments.append(f"schema={type_expr(header.type, imports, model_prefix='m.')}")
    return f"ResponseHeader({', '.join(arguments)})"


def _response_spec(response: ResponseSpec, imports: Imports) -> str:
    imports.add("specloom.runtime.openapi", "ResponseSpec")
    arguments = []
    if response.kind not in ("empty", "redirect") and response.type is not None:
        if response.kind in ("binary", "stream"):
            arguments.append("bytes")
        elif response.kind in ("text", "sse"):
            arguments.append("str")
        else:
            arguments.append(type_expr(response.type, imports, model_prefix="m."))
    else:
        arguments.append("None")
    arguments.append(f"description={literal(response.description)}")
    if response.media_type and response.media_type != "application/json":
        arguments.append(f"media_type={literal(response.media_type)}")
    headers = [
        _header_expression(h, imports)
        for h in response.headers
        if not (h.is_cache_control or h.is_etag)
    ]
    if headers:
        arguments.append(f"headers=[{', '.join(headers)}]")
    return f"ResponseSpec({', '.join(arguments)})"


def _success_headers(operation: Operation) -> list[HeaderSpec]:
    response = _primary_response(operation)
    if response is None:
        return []
    headers = list(response.headers)
    if response.kind == "redirect":  # the runtime documents Location for redirects itself
        headers = [h for h in headers if h.name.lower() != "location"]
    return headers


def render_operations(api: Api) -> RenderedOperations:
    """Decide operations.py, headers.py and the stubs of every handler module."""
    warnings: list[SpecWarning] = []
    op_imports = Imports()
    header_imports = Imports()
    handler_imports: dict[str, Imports] = defaultdict(Imports)
    routable = [op for op in api.operations if op.kind == "operation" and op.routable]
    for op in api.operations:
        if op not in routable:
            warnings.append(SpecWarning(op.pointer, f"{op.method.upper()} {op.path} is not routed"))
    for hook in api.webhooks:
        warnings.append(
            SpecWarning(hook.pointer, f"webhook {hook.path!r} is documented by the spec only")
        )

    # headers: hoisted to the highest layer every operation below it shares
    header_sets: dict[str, dict[str, tuple[HeaderSpec, str]]] = {}
    scratch = Imports()  # expressions here only compare headers; imports are added on use
    for op in routable:
        header_sets[op.python_name] = {
            h.name.lower(): (h, _header_expression(h, scratch)) for h in _success_headers(op)
        }

    def common(ops: list[Operation]) -> dict[str, str]:
        if not ops:
            return {}
        first = {k: v[1] for k, v in header_sets[ops[0].python_name].items()}
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
    for op in routable:
        module = module_of.get(op.tag, "default")
        imports = handler_imports[module]
        imports.add("..", "_generated")  # placeholder, replaced below
        own = {
            k: v
            for k, v in header_sets[op.python_name].items()
            if k not in app_common and k not in tag_common.get(module, {})
        }
        aliases: list[tuple[str, str]] = []
        params: list[tuple[bool, str]] = []  # (has default, text)
        for parameter in op.parameters:
            alias = _unique(pascal_name(f"{op.python_name}_{parameter.python_name}"), alias_names)
            expression, default_text, default = _parameter_alias(
                api, op, parameter, op_imports, warnings
            )
            aliases.append((alias, expression))
            op_imports.add("typing", "TypeAlias")
            # parentheses let black split a long annotation; it drops them where it fits
            params.append(
                (default is not None, f"{parameter.python_name}: (op.{alias}){default_text}")
            )
        if op.body is not None:
            alias = _unique(pascal_name(f"{op.python_name}_body"), alias_names)
            expression, optional = _body_alias(op.body, op_imports, warnings, op.pointer)
            aliases.append((alias, expression))
            op_imports.add("typing", "TypeAlias")
            params.append(
                (optional, f"{op.body.python_name}: (op.{alias})" + (" = None" if optional else ""))
            )
        params.sort(key=lambda item: item[0])  # arguments with defaults last
        primary = _primary_response(op)
        has_headers = bool(header_sets[op.python_name])
        returns, media_type = _return_annotation(primary, imports, has_headers)
        call = _decorator_call(api, op, primary, media_type, own, op_imports, warnings)
        views.append(OperationView(op.python_name, f"{op.method.upper()} {op.path}", aliases, call))
        doc = op.summary or op.description or f"{op.method.upper()} {op.path}"
        handlers[module].append(
            HandlerStub(
                name=op.python_name,
                decorator=f"op.{op.python_name}",
                params=[text for _, text in params],
                returns=returns,
                doc=docstring(doc, "    "),
                body=_stub_body(api, op, imports),
            )
        )
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

    The call is written only when it type-checks as is: the paging arguments cannot be None
    and the response model needs nothing but the items and the total (or next cursor).
    """
    pagination = op.pagination
    response = _primary_response(op)
    if pagination is None or response is None or not isinstance(response.type, ModelRef):
        return ["raise NotImplementedError"]
    size_attr, position_attr, call = _PAGE_CALLS[pagination.kind]
    if pagination.kind == "cursor":
        size_attr = "page_size_param" if pagination.page_size_param else "limit_param"
    names = {"size": getattr(pagination, size_attr), "position": getattr(pagination, position_attr)}
    by_python = {p.python_name: p for p in op.parameters}
    for role, name in names.items():
        parameter = by_python.get(name or "")
        if parameter is None:
            return ["raise NotImplementedError"]
        nullable = not parameter.required and parameter.default in (None, UNSET)
        if nullable and not (role == "position" and pagination.kind == "cursor"):
            return ["raise NotImplementedError  # page with paginators.py"]
    model = api.model(response.type.name)
    wire = {f.wire_name: f for f in model.fields}
    items = wire.get(pagination.items_field)
    extra_field = pagination.total_field or pagination.next_cursor_field
    total = wire.get(extra_field[0]) if len(extra_field) == 1 else None
    needed = {f.name for f in model.fields if f.required and not f.has_default}
    if items is None or total is None or not needed <= {items.name, total.name}:
        return ["raise NotImplementedError  # page with paginators.py"]
    imports.add("..", "paginators")
    paginator = pascal_name(f"{op.python_name}_paginator")
    arguments = call.format(**names)
    container = _PAGE_TOTALS[pagination.kind]
    return [
        f"page = await paginators.{paginator}()({arguments})",
        f"return m.{model.name}({items.name}=page.items, {total.name}=page.{container})",
    ]


def _plain_headers(headers: dict[str, str]) -> list[str]:
    """Header expressions that go in a `response_headers` list (not Cache-Control/ETag)."""
    return [expr for expr in headers.values() if expr.startswith("ResponseHeader(")]


def _decorator_call(
    api: Api,
    op: Operation,
    primary: ResponseSpec | None,
    media_type: str | None,
    own_headers: dict[str, tuple[HeaderSpec, str]],
    imports: Imports,
    warnings: list[SpecWarning],
) -> str:
    method = op.method.lower()
    arguments = [literal(op.path)]
    if method in _METHOD_DECORATORS:
        imports.add("specloom.runtime", method)
        function = method
    else:
        imports.add("specloom.runtime", "route")
        function = "route"
        arguments.append(f"http_method=[{literal(method.upper())}]")
    arguments.append(f"name={literal(op.python_name)}")
    if op.operation_id is not None:
        arguments.append(f"operation_id={literal(op.operation_id)}")
    if op.summary:
        arguments.append(f"summary={literal(op.summary)}")
    # always explicit: the stub's docstring is for the reader, not for the documentation
    arguments.append(f"description={literal(op.description or '')}")
    if op.tags:
        arguments.append(f"tags={literal(list(op.tags))}")
    if op.deprecated:
        arguments.append("deprecated=True")
    arguments.append(f"status_code={op.status_code}")
    if media_type:
        arguments.append(f"media_type={literal(media_type)}")
    if primary is not None and primary.description:
        arguments.append(f"response_description={literal(primary.description)}")
    own = {
        key: (header, _header_expression(header, imports))
        for key, (header, _) in own_headers.items()
    }
    plain = [expr for _, expr in own.values() if expr.startswith("ResponseHeader(")]
    if plain:
        arguments.append(f"response_headers=[{', '.join(plain)}]")
    for header, expr in own.values():
        if header.is_cache_control:
            arguments.append(f"cache_control={expr}")
        elif header.is_etag:
            arguments.append(f"etag={expr}")
    extra = [r for r in op.responses if r is not primary]
    if extra:
        entries = []
        for response in extra:
            key = (
                str(response.status_code)
                if response.status_code is not None
                else literal(response.status)
            )
            entries.append(f"{key}: {_response_spec(response, imports)}")
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
    if op.extensions:
        arguments.append(f"extensions={literal(op.extensions)}")
    return f"{function}({', '.join(arguments)})"
