"""pagination: the seed page's three paginator examples, sync and async, and their JSON shape."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from itertools import islice

import msgspec
import pytest

from specloom.runtime.pagination import (
    AbstractAsyncClassicPaginator,
    AbstractAsyncCursorPaginator,
    AbstractAsyncOffsetPaginator,
    AbstractSyncClassicPaginator,
    AbstractSyncCursorPaginator,
    AbstractSyncOffsetPaginator,
    ClassicPagination,
    CursorPagination,
    OffsetPagination,
)


@dataclass
class Person:
    id: str
    name: str


PEOPLE = [Person(id=f"id-{index:02d}", name=f"person {index}") for index in range(50)]


class PersonClassicPaginator(AbstractSyncClassicPaginator[Person]):
    def __init__(self) -> None:
        self.data = PEOPLE

    def get_total(self, page_size: int) -> int:
        return round(len(self.data) / page_size)

    def get_items(self, page_size: int, current_page: int) -> list[Person]:
        pages = [self.data[i : i + page_size] for i in range(0, len(self.data), page_size)]
        return pages[current_page - 1]


class PersonOffsetPaginator(AbstractSyncOffsetPaginator[Person]):
    def __init__(self) -> None:
        self.data = PEOPLE

    def get_total(self) -> int:
        return len(self.data)

    def get_items(self, limit: int, offset: int) -> list[Person]:
        return list(islice(islice(self.data, offset, None), limit))


class PersonCursorPaginator(AbstractSyncCursorPaginator[str, Person]):
    def __init__(self) -> None:
        self.data = PEOPLE

    def get_items(
        self, cursor: str | None, results_per_page: int
    ) -> tuple[list[Person], str | None]:
        results = self.data[:results_per_page]
        return results, results[-1].id


class AsyncPersonClassicPaginator(AbstractAsyncClassicPaginator[Person]):
    async def get_total(self, page_size: int) -> int:
        return -(-len(PEOPLE) // page_size)

    async def get_items(self, page_size: int, current_page: int) -> list[Person]:
        start = (current_page - 1) * page_size
        return PEOPLE[start : start + page_size]


class AsyncPersonOffsetPaginator(AbstractAsyncOffsetPaginator[Person]):
    async def get_total(self) -> int:
        return len(PEOPLE)

    async def get_items(self, limit: int, offset: int) -> list[Person]:
        return PEOPLE[offset : offset + limit]


class AsyncPersonCursorPaginator(AbstractAsyncCursorPaginator[int, Person]):
    """Cursor = index of the next item; None once the data is exhausted."""

    async def get_items(
        self, cursor: int | None, results_per_page: int
    ) -> tuple[list[Person], int | None]:
        start = cursor or 0
        end = start + results_per_page
        return PEOPLE[start:end], end if end < len(PEOPLE) else None


def _keys(value: object) -> set[str]:
    decoded = msgspec.json.decode(msgspec.json.encode(value))
    assert isinstance(decoded, dict)
    return set(decoded)


def test_classic_paginator() -> None:
    page = PersonClassicPaginator()(page_size=10, current_page=2)
    assert isinstance(page, ClassicPagination)
    assert page.items == PEOPLE[10:20]
    assert (page.page_size, page.current_page, page.total_pages) == (10, 2, 5)
    assert _keys(page) == {"items", "page_size", "current_page", "total_pages"}


def test_offset_paginator_gives_items_40_to_50() -> None:
    page = PersonOffsetPaginator()(limit=10, offset=39)
    assert isinstance(page, OffsetPagination)
    assert page.items == PEOPLE[39:49]
    assert (page.limit, page.offset, page.total) == (10, 39, 50)
    assert _keys(page) == {"items", "limit", "offset", "total"}


def test_cursor_paginator_returns_next_cursor() -> None:
    page = PersonCursorPaginator()(cursor=None, results_per_page=5)
    assert isinstance(page, CursorPagination)
    assert page.items == PEOPLE[:5]
    assert page.results_per_page == 5
    assert page.cursor == "id-04"
    assert _keys(page) == {"items", "results_per_page", "cursor"}


def test_async_paginators() -> None:
    async def run() -> None:
        classic = await AsyncPersonClassicPaginator()(page_size=20, current_page=3)
        assert classic == ClassicPagination(PEOPLE[40:], 20, 3, 3)
        offset = await AsyncPersonOffsetPaginator()(limit=10, offset=45)
        assert offset == OffsetPagination(PEOPLE[45:], 10, 45, 50)
        paginator = AsyncPersonCursorPaginator()
        first = await paginator(cursor=None, results_per_page=30)
        assert (first.items, first.cursor) == (PEOPLE[:30], 30)
        last = await paginator(cursor=first.cursor, results_per_page=30)
        assert (last.items, last.cursor) == (PEOPLE[30:], None)

    asyncio.run(run())


def test_containers_round_trip_through_msgspec() -> None:
    page = PersonOffsetPaginator()(limit=3, offset=0)
    encoded = msgspec.json.encode(page)
    assert msgspec.json.decode(encoded, type=OffsetPagination[Person]) == page
    cursor_page = CursorPagination[str, Person](items=PEOPLE[:1], results_per_page=1, cursor=None)
    assert msgspec.json.decode(msgspec.json.encode(cursor_page)) == {
        "items": [{"id": "id-00", "name": "person 0"}],
        "results_per_page": 1,
        "cursor": None,
    }


def test_container_json_schema_names_the_item_type() -> None:
    schema = msgspec.json.schema(ClassicPagination[Person])
    definition = schema["$defs"][schema["$ref"].rsplit("/", 1)[-1]]
    assert set(definition["properties"]) == {"items", "page_size", "current_page", "total_pages"}
    assert definition["properties"]["items"]["items"] == {"$ref": "#/$defs/Person"}


def test_abstract_paginators_cannot_be_instantiated() -> None:
    with pytest.raises(TypeError):
        AbstractSyncOffsetPaginator()  # type: ignore[abstract]
