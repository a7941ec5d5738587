"""Decide the paginators module: one paginator class per routed, paginated operation."""

from __future__ import annotations

from dataclasses import dataclass

from ..ir import Api, Operation, Pagination
from ..naming import paginator_name
from ..render.pyexpr import Imports, docstring, type_expr

__all__ = ["PaginatorView", "plan_paginators"]

_BASES = {
    "classic": "AbstractAsyncClassicPaginator",
    "offset": "AbstractAsyncOffsetPaginator",
    "cursor": "AbstractAsyncCursorPaginator",
}


@dataclass(frozen=True)
class PaginatorView:
    """A paginator class: its runtime base (by kind), the item type, its docstring."""

    name: str
    kind: str  # classic, offset, cursor: which methods the class has
    base: str
    item: str  # the item type expression
    doc: str


def plan_paginators(api: Api, imports: Imports) -> list[PaginatorView]:
    """The paginators of `api`'s routed operations."""
    return [
        _paginator(op, op.pagination, imports)
        for op in api.operations
        if op.pagination is not None and op.kind == "operation" and op.routable
    ]


def _paginator(op: Operation, pagination: Pagination, imports: Imports) -> PaginatorView:
    item = type_expr(pagination.item_type, imports, model_prefix="m.")
    base = _BASES[pagination.kind]
    imports.add("specloom.runtime.pagination", base)
    doc = docstring(
        f"Pages of `{op.operation_id or op.python_name}` ({op.method.upper()} {op.path}): "
        f"{pagination.kind} pagination over `{pagination.items_field}`.",
        "    ",
    )
    return PaginatorView(paginator_name(op.python_name), pagination.kind, base, item, doc)
