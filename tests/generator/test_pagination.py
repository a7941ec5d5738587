"""Pagination detection: classic, offset, cursor, x-pagination; items array required."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from specloom.generator.build_ir import parse
from specloom.generator.generate import generate
from specloom.generator.ir import Api, ModelRef, Pagination, PrimitiveType
from specloom.runtime.testing import TestClient

from .served import import_app


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


# -- the generated stubs call their paginators -------------------------------------------------

_FILLED = """
class ClassicPaginator(AbstractAsyncClassicPaginator[str]):
    async def get_total(self, page_size: int) -> int:
        return -(-len(NAMES) // page_size)

    async def get_items(self, page_size: int, current_page: int) -> list[str]:
        start = (current_page - 1) * page_size
        return NAMES[start : start + page_size]


class OffsetPaginator(AbstractAsyncOffsetPaginator[m.User]):
    async def get_total(self) -> int:
        return len(NAMES)

    async def get_items(self, limit: int, offset: int) -> list[m.User]:
        return [m.User(id=name) for name in NAMES[offset : offset + limit]]


class CursorPaginator(AbstractAsyncCursorPaginator[str, m.User]):
    async def get_items(
        self, cursor: str | None, results_per_page: int
    ) -> tuple[list[m.User], str | None]:
        start = int(cursor or 0)
        end = start + results_per_page
        return [m.User(id=name) for name in NAMES[start:end]], (
            str(end) if end < len(NAMES) else None
        )


class ExtensionPaginator(AbstractAsyncOffsetPaginator[int]):
    async def get_total(self) -> int:
        return len(NAMES)

    async def get_items(self, limit: int, offset: int) -> list[int]:
        return list(range(len(NAMES)))[offset : offset + limit]


class FeedPaginator(AbstractAsyncCursorPaginator[str, str]):
    async def get_items(
        self, cursor: str | None, results_per_page: int
    ) -> tuple[list[str], str | None]:
        start = int(cursor or 0)
        end = start + results_per_page
        return NAMES[start:end], (f"/feed?after={end}" if end < len(NAMES) else None)


class EchoPaginator(AbstractAsyncOffsetPaginator[str]):
    async def get_total(self) -> int:
        return len(NAMES)

    async def get_items(self, limit: int, offset: int) -> list[str]:
        return NAMES[offset : offset + limit]


NAMES = [f"user-{index}" for index in range(120)]
"""


NAMES_SENT = [f"user-{index}" for index in range(120)]  # the NAMES of the filled paginators


def test_generated_stubs_page_through_their_paginators(tmp_path: Path) -> None:
    package = tmp_path / "paged_api"
    generate(Path(__file__).parent / "fixtures" / "pagination.yaml", package)
    paginators = package / "paginators.py"
    paginators.write_text(paginators.read_text() + _FILLED)  # the user's versions win
    app = import_app(package)
    with TestClient(app) as client:
        offset = client.get("/offset", params={"limit": "2", "offset": "3"}).json()
        assert offset == {"total": 120, "values": [{"id": "user-3"}, {"id": "user-4"}]}
        # no paging arguments: the stub's fallbacks (first page, 50 items)
        first = client.get("/offset").json()
        assert first["total"] == 120 and len(first["values"]) == 50
        assert first["values"][0] == {"id": "user-0"}
        classic = client.get("/classic", params={"page": "2", "per_page": "100"}).json()
        assert classic == {"items": [f"user-{i}" for i in range(100, 120)], "total_pages": 2}
        assert client.get("/classic").json()["items"][:1] == ["user-0"]
        # a cursor and a total nested in the response (`meta.next_cursor`, `info.count`)
        cursor = client.get("/cursor", params={"pageSize": "100"}).json()
        assert len(cursor["data"]) == 100 and cursor["meta"] == {"next_cursor": "100"}
        last = client.get("/cursor", params={"cursor": "100", "pageSize": "100"}).json()
        assert len(last["data"]) == 20 and last["meta"] == {"next_cursor": None}
        extension = client.get("/extension", params={"skip": "118", "take": "5"}).json()
        assert extension == {"results": [118, 119], "info": {"count": 120}}
        # a next link that may be absent but not null: left out on the last page
        feed = client.get("/feed", params={"after": "100", "limit": "10"}).json()
        assert feed == {"entries": NAMES_SENT[100:110], "next": "/feed?after=110"}
        assert client.get("/feed", params={"after": "115"}).json() == {"entries": NAMES_SENT[115:]}
        # required fields that echo the paging arguments; Response[...] for a declared header
        echo = client.get("/echo", params={"startAt": "119"}).json()
        assert echo == {"values": ["user-119"], "total": 120, "startAt": 119, "maxResults": 20}
