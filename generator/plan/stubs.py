"""What a handler stub does: raise NotImplementedError, or page with its paginator.

The paginator call is written only when it type-checks: a paging argument that may be None
gets a fallback first (`page_fallback`); the response model is built from the page's items,
its total (or next cursor, in nested models if need be) and the paging arguments it echoes.
"""

from __future__ import annotations

from collections.abc import Sequence

from msgspec import UNSET

from ..ir import (
    Api,
    Field,
    Model,
    ModelRef,
    Operation,
    Pagination,
    Parameter,
    PrimitiveType,
    TypeRef,
    is_nullable,
    without_none,
)
from ..naming import paginator_name
from ..render.pyexpr import Imports
from .responses import status_response, success_headers
from .views import Arg, BodyStatement, Call, PageCall, Value

__all__ = ["PAGE_WITH_PAGINATORS", "page_call", "page_fallback"]

PAGE_WITH_PAGINATORS = "page with paginators.py"  # the note of a stub that cannot page itself

# kind -> (size attribute, position attribute, the paginator's (argument, role) in order)
_PAGE_CALLS = {
    "classic": (
        "page_size_param",
        "page_param",
        (("page_size", "size"), ("current_page", "position")),
    ),
    "offset": ("limit_param", "offset_param", (("limit", "size"), ("offset", "position"))),
    "cursor": (
        "page_size_param",
        "cursor_param",
        (("cursor", "position"), ("results_per_page", "size")),
    ),
}
_PAGE_TOTALS = {"classic": "total_pages", "offset": "total", "cursor": "cursor"}
_PAGE_SIZE = 50
_STR_KINDS = frozenset(("str", "uri", "email"))  # primitive kinds typed `str` in Python


class CannotPage(Exception):
    """The stub cannot page by itself: it raises, with a note when a paginator could."""

    def __init__(self, note: str = PAGE_WITH_PAGINATORS) -> None:
        super().__init__(note)
        self.note = note


def page_call(api: Api, op: Operation, imports: Imports) -> PageCall | str:
    """How a stub pages, or (a str) the note after its `raise NotImplementedError`."""
    try:
        return _page_call(api, op, imports)
    except CannotPage as reason:
        return reason.note


def _page_call(api: Api, op: Operation, imports: Imports) -> PageCall:
    pagination = op.pagination if op.routable else None  # only routed ones get a paginator
    response = status_response(op)
    if pagination is None or response is None or not isinstance(response.type, ModelRef):
        raise CannotPage("")
    names = _paging_names(pagination)
    by_python = {p.python_name: p for p in op.parameters}
    fallbacks, settled = _fallbacks(pagination, names, by_python)
    result = "page"
    while result in by_python:  # a parameter of that name (`page`) keeps its own
        result += "_"
    model = api.model(response.type.name)
    wire = {f.wire_name: f for f in model.fields}
    items = wire.get(pagination.items_field)
    placing = _PageValue({*by_python, result})
    extra = placing.place(
        api,
        model,
        pagination.total_field or pagination.next_cursor_field,
        result + "." + _PAGE_TOTALS[pagination.kind],
        "str" if pagination.kind == "cursor" else "int",
        pagination.kind == "cursor",  # the next cursor is None on the last page
    )
    if items is None or extra is None:
        raise CannotPage()
    fields: dict[str, Value] = {items.name: result + ".items", extra[0]: extra[1]}
    for member in model.fields:  # the request's paging arguments, echoed (`limit`, `startAt`)
        if member.name in fields or not member.required or member.has_default:
            continue
        echoed = _echoed(member, op.parameters, settled)
        if echoed is None:
            raise CannotPage()
        fields[member.name] = echoed
    imports.add("..", "paginators")
    if placing.statements:
        imports.add("msgspec", "UNSET")
        imports.add("msgspec", "UnsetType")
    returned = Call("m." + model.name, tuple(Arg(k, v) for k, v in fields.items()))
    if success_headers(op):  # the handler returns Response[...] so it can set headers
        imports.add("specloom.runtime", "Response")
        returned = Call("Response", (Arg("", returned),))
    order = _PAGE_CALLS[pagination.kind][2]
    return PageCall(
        fallbacks=tuple(fallbacks),
        result=result,
        paginator=paginator_name(op.python_name),
        arguments=tuple(Arg(argument, names[role] or "") for argument, role in order),
        placings=tuple(placing.statements),
        returned=returned,
    )


def _paging_names(pagination: Pagination) -> dict[str, str | None]:
    """The handler arguments of the page size and position."""
    size_attr, position_attr, _ = _PAGE_CALLS[pagination.kind]
    if pagination.kind == "cursor":
        size_attr = "page_size_param" if pagination.page_size_param else "limit_param"
    size: str | None = getattr(pagination, size_attr)
    position: str | None = getattr(pagination, position_attr)
    return {"size": size, "position": position}


def _fallbacks(
    pagination: Pagination, names: dict[str, str | None], by_python: dict[str, Parameter]
) -> tuple[list[tuple[str, int]], set[str]]:
    """(fallbacks of paging arguments the request may leave out, arguments never None)."""
    fallbacks: list[tuple[str, int]] = []
    settled: set[str] = set()
    for role, name in names.items():
        parameter = by_python.get(name or "")
        if parameter is None:
            raise CannotPage("")
        expected = "str" if role == "position" and pagination.kind == "cursor" else "int"
        if _python_kind(parameter.type) != expected:  # the paginator takes str cursors, int sizes
            raise CannotPage()
        nullable = not parameter.required and parameter.default in (None, UNSET)
        if not nullable:
            settled.add(parameter.python_name)
        elif not (role == "position" and pagination.kind == "cursor"):
            fallback = page_fallback(parameter, role, pagination.kind)
            if fallback is None:
                raise CannotPage()
            fallbacks.append((name or "", fallback))
            settled.add(parameter.python_name)
    return fallbacks, settled


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
        self.statements: list[BodyStatement] = []  # they need msgspec's UNSET and UnsetType

    def place(
        self, api: Api, model: Model, path: tuple[str, ...], value: str, kind: str, nullable: bool
    ) -> tuple[str, Value] | None:
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
        name = field.name + "_"
        while name in self.taken:
            name += "_"
        self.taken.add(name)
        self.statements.append(BodyStatement(name, kind, value))
        return field.name, name

    def _nested(
        self, api: Api, field: Field, path: tuple[str, ...], value: str, kind: str, nullable: bool
    ) -> tuple[str, Value] | None:
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
        return field.name, Call("m." + nested.name, (Arg(found[0], found[1]),))


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


def page_fallback(parameter: Parameter, role: str, kind: str) -> int | None:
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
