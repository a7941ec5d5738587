"""Recognise paginated operations: an `x-pagination` extension, or paging query parameters.

Rules (the response must be an object with an array property, the items field):
- `x-pagination: {kind: classic|offset|cursor, page_param, page_size_param, offset_param,
  limit_param, cursor_param, items, total, next_cursor}` (wire names; any may be left out and
  is then detected), or just `x-pagination: cursor`;
- otherwise by query parameter names (compared lower-case without `_`/`-`), first match wins:
  cursor (`cursor`, `after`, `page_token`...) + a size -> cursor;
  offset (`offset`, `skip`, `start`, `startAt`...) + a size -> offset;
  page (`page`, `page_number`...) + a size -> classic;
  a size is `limit`, `page_size`, `per_page`, `size`, `maxResults`, `count`, `top`...
- total and next-cursor fields are looked for in the response and one level below it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from .errors import Report
from .ir import Field, ListType, Pagination, PaginationKind, Parameter, TypeRef, without_none
from .ir import ModelRef as _ModelRef

__all__ = ["detect_pagination"]

_PAGE = frozenset(("page", "pagenumber", "pagenum", "pageno", "pageindex", "currentpage"))
_SIZE = frozenset(
    {
        "pagesize",
        "perpage",
        "size",
        "limit",
        "pagelimit",
        "itemsperpage",
        "resultsperpage",
        "maxresults",
        "count",
        "top",
        "take",
        "first",
        "max",
        "maxitems",
    }
)
_OFFSET = frozenset(("offset", "skip", "start", "startat", "startindex", "from"))
_CURSOR = frozenset(
    {
        "cursor",
        "after",
        "pagetoken",
        "nextpagetoken",
        "nexttoken",
        "continuationtoken",
        "continuation",
        "startingafter",
        "marker",
        "nextcursor",
        "pagecursor",
    }
)
_ITEMS = (
    "items",
    "data",
    "results",
    "values",
    "records",
    "entries",
    "content",
    "elements",
    "list",
    "rows",
    "hits",
    "nodes",
    "edges",
)
_TOTAL = ("total", "totalcount", "totalitems", "totalresults", "totalsize", "totalrecords")
_TOTAL_PAGES = ("totalpages", "pagecount", "pages", "numpages", "lastpage")
_NEXT = (
    "nextcursor",
    "nextpagetoken",
    "nexttoken",
    "cursor",
    "next",
    "nextpage",
    "nextpageurl",
    "nextlink",
    "nexturl",
    "endcursor",
    "continuationtoken",
    "after",
)
_KINDS: dict[Any, PaginationKind] = {"classic": "classic", "offset": "offset", "cursor": "cursor"}

FieldsOf = Callable[[str], list[Field]]


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def detect_pagination(
    pointer: str,
    extension: Any,
    params: tuple[Parameter, ...],
    response: TypeRef | None,
    fields_of: FieldsOf,
    report: Report,
) -> Pagination | None:
    """The pagination of an operation, or None."""
    spec: dict[str, Any] = {}
    if isinstance(extension, str):
        spec = {"kind": extension}
    elif isinstance(extension, dict):
        spec = extension
    elif extension is not None:
        report.warn(pointer, "x-pagination is neither a kind nor an object; ignored")
    fields = _response_fields(response, fields_of)
    query = [p for p in params if p.location == "query"]
    kind, roles = _from_extension(spec, query, pointer, report) if spec else _from_params(query)
    if kind is None:
        return None
    items = _items_field(fields, spec.get("items"))
    if items is None:
        if spec:
            report.warn(pointer, "x-pagination: the response has no items array; ignored")
        return None
    totals = _TOTAL_PAGES + _TOTAL if kind == "classic" else _TOTAL
    return Pagination(
        kind=kind,
        source="x-pagination" if spec else "parameters",
        items_field=items[0],
        item_type=items[1],
        total_field=_find(fields, fields_of, spec.get("total"), totals if kind != "cursor" else ()),
        next_cursor_field=_find(
            fields, fields_of, spec.get("next_cursor"), _NEXT if kind == "cursor" else ()
        ),
        **roles,
    )


def _response_fields(response: TypeRef | None, fields_of: FieldsOf) -> list[Field]:
    inner = without_none(response) if response is not None else None
    return fields_of(inner.name) if isinstance(inner, _ModelRef) else []


def _first(params: list[Parameter], names: frozenset[str]) -> Parameter | None:
    return next((p for p in params if _key(p.name) in names), None)


def _from_params(query: list[Parameter]) -> tuple[PaginationKind | None, dict[str, str]]:
    size = _first(query, _SIZE)
    if size is None:
        return None, {}
    cursor = _first(query, _CURSOR)
    if cursor is not None:
        return "cursor", {"cursor_param": cursor.python_name, "limit_param": size.python_name}
    offset = _first(query, _OFFSET)
    if offset is not None:
        return "offset", {"offset_param": offset.python_name, "limit_param": size.python_name}
    page = _first(query, _PAGE)
    if page is not None:
        return "classic", {"page_param": page.python_name, "page_size_param": size.python_name}
    return None, {}


def _from_extension(
    spec: dict[str, Any], query: list[Parameter], pointer: str, report: Report
) -> tuple[PaginationKind | None, dict[str, str]]:
    kind = _KINDS.get(spec.get("kind"))
    if kind is None:
        shown = ", ".join(_KINDS)
        report.warn(pointer, f"x-pagination kind {spec.get('kind')!r} is not one of {shown}")
        return None, {}
    detected = _from_params(query)[1]
    by_wire = {p.name: p.python_name for p in query}
    roles: dict[str, str] = {}
    wanted = {
        "classic": ("page_param", "page_size_param"),
        "offset": ("offset_param", "limit_param"),
        "cursor": ("cursor_param", "limit_param"),
    }[kind]
    for role in wanted:
        wire = spec.get(role)
        if isinstance(wire, str) and wire in by_wire:
            roles[role] = by_wire[wire]
        elif wire is not None:
            report.warn(pointer, f"x-pagination {role} {wire!r} is not a query parameter")
        elif role in detected:
            roles[role] = detected[role]
    return kind, roles


def _list_item(field: Field) -> TypeRef | None:
    inner = without_none(field.type)
    return inner.item if isinstance(inner, ListType) else None


def _items_field(fields: list[Field], wanted: Any) -> tuple[str, TypeRef] | None:
    arrays = [(f, item) for f in fields if (item := _list_item(f)) is not None]
    if isinstance(wanted, str):
        return next(((f.wire_name, item) for f, item in arrays if f.wire_name == wanted), None)
    for name in _ITEMS:
        for field, item in arrays:
            if _key(field.wire_name) == name:
                return field.wire_name, item
    return (arrays[0][0].wire_name, arrays[0][1]) if len(arrays) == 1 else None


def _find(
    fields: list[Field], fields_of: FieldsOf, wanted: Any, names: tuple[str, ...]
) -> tuple[str, ...]:
    if isinstance(wanted, str):
        return tuple(wanted.split("."))
    for name in names:
        for field in fields:
            if _key(field.wire_name) == name:
                return (field.wire_name,)
    for name in names:  # one level down: meta.next_page_url, pagination.total...
        for field in fields:
            inner = without_none(field.type)
            if isinstance(inner, _ModelRef):
                for child in fields_of(inner.name):
                    if _key(child.wire_name) == name:
                        return (field.wire_name, child.wire_name)
    return ()
