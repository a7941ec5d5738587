"""Pagination detection: classic, offset, cursor, x-pagination; items array required."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from specloom.generator.build_ir import parse
from specloom.generator.ir import Api, ModelRef, Pagination, PrimitiveType


@pytest.fixture(scope="module")
def api() -> Api:
    return parse(Path(__file__).parent / "fixtures" / "pagination.yaml")


def _pagination(api: Api, name: str) -> Pagination | None:
    return next(op.pagination for op in api.operations if op.python_name == name)


def test_classic(api: Api) -> None:
    assert _pagination(api, "classic") == Pagination(
        kind="classic",
        source="parameters",
        items_field="items",
        item_type=PrimitiveType("str"),
        page_param="page",
        page_size_param="per_page",
        total_field=("total_pages",),
    )


def test_offset(api: Api) -> None:
    assert _pagination(api, "offset") == Pagination(
        kind="offset",
        source="parameters",
        items_field="values",
        item_type=ModelRef("User"),
        offset_param="offset",
        limit_param="limit",
        total_field=("total",),
    )


def test_cursor_with_nested_next_field(api: Api) -> None:
    assert _pagination(api, "cursor") == Pagination(
        kind="cursor",
        source="parameters",
        items_field="data",
        item_type=ModelRef("User"),
        cursor_param="cursor",
        limit_param="page_size",
        next_cursor_field=("meta", "next_cursor"),
    )


def test_extension(api: Api) -> None:
    assert _pagination(api, "extension") == Pagination(
        kind="offset",
        source="x-pagination",
        items_field="results",
        item_type=PrimitiveType("int"),
        offset_param="skip",
        limit_param="take",
        total_field=("info", "count"),
    )


def test_no_items_array_no_pagination(api: Api) -> None:
    assert _pagination(api, "bare") is None


def test_bad_extension_is_reported(build: Callable[..., Api]) -> None:
    api = build("""\
openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /a:
    get:
      x-pagination: sideways
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: object, properties: {items: {type: array}}}
""")
    assert api.operations[0].pagination is None
    assert any("x-pagination kind 'sideways'" in w.message for w in api.warnings)
