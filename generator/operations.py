"""Build Operations (parameters, bodies, responses, headers, security) from canonical specs."""

from __future__ import annotations

import re
from typing import Any

from msgspec import UNSET

from .content import (
    examples_of,
    primary_response,
    status_code_for,
)
from .errors import Report, join_pointer
from .ir import (
    Location,
    NoneType,
    Operation,
    OperationKind,
    Parameter,
    PrimitiveType,
    SecurityRequirement,
    TypeRef,
    UnionType,
)
from .naming import (
    RESERVED_PARAMETER,
    assign_unique,
    function_name,
    pascal_name,
    snake_name,
)
from .operation_content import ContentBuilder, replace_node, text_field
from .pagination import detect_pagination
from .schema_utils import external_docs, without_default
from .schemas import SchemaBuilder
from .walk import HTTP_METHODS, as_dict, as_list, extensions_of

__all__ = ["OperationBuilder", "route_key"]

Security = tuple[tuple[SecurityRequirement, ...], ...]

_LOCATIONS: tuple[Location, ...] = ("path", "query", "header", "cookie")
_IGNORED_HEADERS = frozenset(("accept", "content-type", "authorization"))
_TEMPLATE = re.compile(r"\{([^{}]*)\}")


class OperationBuilder(ContentBuilder):
    """Build the Operations of one canonical document (bodies and responses: ContentBuilder)."""

    def __init__(
        self, doc: dict[str, Any], schemas: SchemaBuilder, report: Report, schemes: set[str]
    ) -> None:
        self.doc, self.schemas, self.report, self.schemes = doc, schemas, report, schemes
        self.global_security = self.security(doc.get("security"), "/security") or ()

    # -- operation ----------------------------------------------------------------------------

    def build(
        self,
        op: dict[str, Any],
        *,
        method: str,
        path: str,
        pointer: str,
        kind: OperationKind = "operation",
        name_text: str | None = None,
        callback_name: str | None = None,
    ) -> Operation:
        op_id = op.get("operationId") if isinstance(op.get("operationId"), str) else None
        text = op_id if op_id and op_id.strip() else (name_text or f"{method} {path}")
        hint = pascal_name(text)
        found = self.parameters(op, pointer, hint)
        routable = kind != "operation" or self.check_path(path, pointer)
        if kind == "operation":
            found = self.match_path(path, found, pointer)
            if routable:
                found = self.fit_suffix(path, found, pointer)
        params = _name_parameters(found)
        body = self.body(op.get("requestBody"), f"{pointer}/requestBody", hint)
        responses = self.responses(op.get("responses"), f"{pointer}/responses", hint)
        primary = primary_response(responses)
        status = status_code_for(primary, method)
        explicit = "security" in op
        security = self.security(op.get("security"), f"{pointer}/security") if explicit else None
        tags = tuple(t for t in as_list(op.get("tags")) if isinstance(t, str))
        return_type: TypeRef = NoneType()
        if primary is not None and primary.type is not None and primary.kind != "redirect":
            return_type = primary.type
        return Operation(
            python_name=function_name(text),
            method=method,
            path=path,
            route_path=_route_path(path, params),
            kind=kind,
            operation_id=op_id,
            tag=tags[0] if tags else "default",
            tags=tags,
            summary=text_field(op, "summary"),
            description=text_field(op, "description"),
            deprecated=op.get("deprecated") is True,
            parameters=params,
            body=body,
            responses=responses,
            status_code=status,
            return_type=return_type,
            security=security if security is not None else self.global_security,
            security_inherited=not explicit,
            pagination=detect_pagination(
                pointer,
                op.get("x-pagination"),
                params,
                primary.type if primary is not None else None,
                self.schemas.all_fields,
                self.report,
            ),
            extensions=extensions_of(op),
            responses_extensions=extensions_of(as_dict(op.get("responses"))),
            external_docs=external_docs(op),
            callbacks=self.callbacks(op.get("callbacks"), pointer, text),
            callback_name=callback_name,
            routable=routable,
            pointer=pointer,
        )

    def callbacks(self, raw: Any, pointer: str, parent: str) -> tuple[Operation, ...]:
        if not isinstance(raw, dict):
            return ()
        found = []
        for name, callback in raw.items():
            callback, callback_pointer = self.resolve(
                callback, join_pointer(pointer, "callbacks", name)
            )
            if not isinstance(callback, dict):
                continue
            for expression, item in callback.items():
                if not isinstance(item, dict) or expression.startswith("x-"):
                    continue
                item_pointer = join_pointer(callback_pointer, expression)
                for method in HTTP_METHODS:
                    if isinstance(item.get(method), dict):
                        found.append(
                            self.build(
                                item[method],
                                method=method,
                                path=expression,
                                pointer=join_pointer(item_pointer, method),
                                kind="callback",
                                name_text=f"{parent} {name} {method}",
                                callback_name=name,
                            )
                        )
        return tuple(found)

    def check_path(self, path: str, pointer: str) -> bool:
        """Report paths the router cannot take as they are; False when not routable."""
        if not path.startswith("/"):
            self.report.warn(pointer, f"path {path!r} does not start with '/'")
        stripped = _TEMPLATE.sub("", path)
        if (
            "{" in stripped
            or "}" in stripped
            or any(not m.strip() for m in _TEMPLATE.findall(path))
        ):
            self.report.warn(pointer, f"path {path!r} has a malformed template; not routed")
            return False
        if re.search(r"[<>\s\\]", stripped):
            self.report.warn(
                pointer, f"path {path!r} has characters <, >, \\ or space; routed literally"
            )
        return True

    def fit_suffix(self, path: str, params: list[Parameter], pointer: str) -> list[Parameter]:
        """A query string or fragment in a path key is served as what it means; report how.

        Parameters of a fragment never arrive: they are optional (None) in the handler.
        """
        if "?" not in path and "#" not in path:
            return params
        # the runtime's reading of the path, loaded only for the paths that need it
        from specloom.runtime.exceptions import ImproperlyConfiguredException
        from specloom.runtime.routing import parse_path, split_suffix

        try:
            template = parse_path(path, typed=False)
        except ImproperlyConfiguredException:
            return params  # the app names what is wrong with it when it starts
        served = template.path + ("/" if template.trailing_slash else "")
        _, query, fragment = split_suffix(path)
        bound = {p.name: p.query for p in template.params if p.query is not None}
        unsent = {p.name for p in template.params if p.unsent}
        parts = [f"path {path!r} is served at {served!r}"]
        parts += [
            f"{{{name}}} is read from the query parameter {key!r}" for name, key in bound.items()
        ]
        literal = [
            pair
            for pair in query.split("&")
            if pair and pair.partition("=")[0] not in bound.values()
        ]
        if literal:
            parts.append(f"requests with the query {'&'.join(literal)!r} go to it")
        if fragment:
            parts.append("the fragment is not part of a request path")
        if unsent:
            names = ", ".join(sorted(unsent))
            parts.append(f"{names} never arrive (in no path segment or whole query value): None")
        self.report.warn(pointer, "; ".join(parts))
        return [
            replace_node(p, required=False) if p.location == "path" and p.name in unsent else p
            for p in params
        ]

    def security(self, raw: Any, pointer: str) -> Security | None:
        if not isinstance(raw, list):
            return None
        alternatives = []
        for i, requirement in enumerate(raw):
            if not isinstance(requirement, dict):
                continue
            needed = []
            for scheme, scopes in requirement.items():
                if scheme not in self.schemes:
                    self.report.warn(
                        f"{pointer}/{i}", f"unknown security scheme {scheme!r} ignored"
                    )
                    continue
                names = (
                    tuple(s for s in scopes if isinstance(s, str))
                    if isinstance(scopes, list)
                    else ()
                )
                needed.append(SecurityRequirement(scheme=scheme, scopes=names))
            alternatives.append(tuple(needed))
        return tuple(alternatives)

    # -- parameters ---------------------------------------------------------------------------

    def parameters(self, op: dict[str, Any], pointer: str, hint: str) -> list[Parameter]:
        raw = op.get("parameters")
        found: list[Parameter] = []
        seen: set[tuple[str, str]] = set()
        for i, item in enumerate(as_list(raw)):
            param, param_pointer = self.resolve(item, f"{pointer}/parameters/{i}")
            name, where = (
                (param.get("name"), param.get("in")) if isinstance(param, dict) else (None, None)
            )
            if not isinstance(name, str) or where not in _LOCATIONS:
                self.report.warn(
                    f"{pointer}/parameters/{i}", "a parameter without a usable name/in; ignored"
                )
                continue
            if (name, where) in seen:
                self.report.warn(
                    f"{pointer}/parameters/{i}",
                    f"duplicate {where} parameter {name!r}; the first is kept",
                )
                continue
            seen.add((name, where))
            if where == "header" and name.lower() in _IGNORED_HEADERS:
                self.report.warn(
                    f"{pointer}/parameters/{i}",
                    f"header parameter {name!r} is ignored (OpenAPI rule)",
                )
                continue
            found.append(self.parameter(param, param_pointer, name, where, hint))
        return found

    def parameter(
        self, param: dict[str, Any], pointer: str, name: str, where: Location, hint: str
    ) -> Parameter:
        schema, schema_pointer, media_type = param.get("schema"), f"{pointer}/schema", None
        content = param.get("content")
        if schema is None and isinstance(content, dict) and content:
            media_type = next(iter(content))
            entry = as_dict(content[media_type])
            schema = entry.get("schema")
            schema_pointer = join_pointer(pointer, "content", media_type, "schema")
        component = re.match(r"^/components/parameters/([^/]+)$", pointer)
        owner = pascal_name(component.group(1)) if component else pascal_name(f"{hint} {name}")
        type_ = (
            self.schemas.type_of(schema, schema_pointer, owner)
            if schema is not None
            else PrimitiveType("str")
        )
        default = schema.get("default", UNSET) if isinstance(schema, dict) else UNSET
        type_ = without_default(type_)  # the parameter's own default says it
        if where == "path" and media_type is None and _admits_null(type_):
            self.report.warn(
                schema_pointer,
                f"path parameter {name!r} admits null, but a path segment always has a value "
                "(a path parameter is required; RFC 6570 expands a null to nothing): served "
                "and documented without null",
            )
        return Parameter(
            name=name,
            python_name=name,
            location=where,
            type=type_,
            required=where == "path" or param.get("required") is True,
            default=default,
            description=text_field(param, "description"),
            deprecated=param.get("deprecated") is True,
            style=text_field(param, "style"),
            explode=param.get("explode") if isinstance(param.get("explode"), bool) else None,
            allow_empty_value=param.get("allowEmptyValue") is True,
            allow_reserved=param.get("allowReserved") is True,
            media_type=media_type,
            example=param.get("example", UNSET),
            examples=examples_of(param, self.follow),
            extensions=extensions_of(param),
            pointer=pointer,
        )

    def match_path(self, path: str, params: list[Parameter], pointer: str) -> list[Parameter]:
        """Path parameters and the path template must agree; repair and report when not."""
        in_template = [name.strip() for name in _TEMPLATE.findall(path)]
        declared = {p.name for p in params if p.location == "path"}
        kept = []
        for param in params:
            if param.location == "path" and param.name not in in_template:
                self.report.warn(
                    param.pointer, f"path parameter {param.name!r} is not in {path!r}; ignored"
                )
                continue
            kept.append(param)
        for name in in_template:
            if name and name not in declared:
                self.report.warn(pointer, f"path parameter {name!r} is not declared; typed as str")
                kept.append(
                    Parameter(
                        name=name,
                        python_name=name,
                        location="path",
                        type=PrimitiveType("str"),
                        required=True,
                        pointer=pointer,
                    )
                )
        return kept


def _name_parameters(params: list[Parameter]) -> tuple[Parameter, ...]:
    order = {location: i for i, location in enumerate(_LOCATIONS)}
    names = assign_unique(
        (
            (i, snake_name(p.name, RESERVED_PARAMETER), f"{order[p.location]}{p.name}")
            for i, p in enumerate(params)
        )
    )
    return tuple(replace_node(p, python_name=names[i]) for i, p in enumerate(params))


def route_key(method: str, path: str) -> str:
    """What the router tells routes apart by: the method, the request path without its
    parameter names (`/boards/{id}` is `/boards/{idBoard}`) nor fragment, and what its query
    string asks of a request (`/templates?desc=html` is not `/templates?desc=upload`)."""
    request_path, conditions = re.split(r"[?#](?![^{]*\})", path, maxsplit=1)[0], ""
    if len(request_path) > 1 and request_path.endswith("/"):
        request_path = request_path[:-1]
    if "?" in path:
        # the runtime's reading of the query, loaded only for the paths that have one
        from specloom.runtime.routing import query_conditions, split_suffix

        conditions = repr(query_conditions(split_suffix(path)[1]))
    return f"{method.upper()} {_TEMPLATE.sub('{}', request_path)} {conditions}"


def _route_path(path: str, params: tuple[Parameter, ...]) -> str:
    names = {p.name: p.python_name for p in params if p.location == "path"}

    def placeholder(match: re.Match[str]) -> str:
        name = match.group(1).strip()
        return "{" + names.get(name, name) + "}"

    return _TEMPLATE.sub(placeholder, path)


def _admits_null(type_: TypeRef) -> bool:
    """Whether null is written as one of the values of `type_` (Any says nothing of it)."""
    return isinstance(type_, UnionType) and any(isinstance(m, NoneType) for m in type_.members)
