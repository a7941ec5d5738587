"""Pagination: data containers and abstract paginators for classic, offset and cursor paging."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Generic, TypeVar

__all__ = [
    "AbstractAsyncClassicPaginator",
    "AbstractAsyncCursorPaginator",
    "AbstractAsyncOffsetPaginator",
    "AbstractSyncClassicPaginator",
    "AbstractSyncCursorPaginator",
    "AbstractSyncOffsetPaginator",
    "ClassicPagination",
    "CursorPagination",
    "OffsetPagination",
]

T = TypeVar("T")
C = TypeVar("C")


@dataclass
class ClassicPagination(Generic[T]):
    """One page of a dataset divided into pages of `page_size` items."""

    items: list[T]
    page_size: int
    current_page: int
    total_pages: int


@dataclass
class OffsetPagination(Generic[T]):
    """At most `limit` items starting `offset` items into a dataset of `total` items."""

    items: list[T]
    limit: int
    offset: int
    total: int


@dataclass
class CursorPagination(Generic[C, T]):
    """At most `results_per_page` items; `cursor` points at the next page (None: no more)."""

    items: list[T]
    results_per_page: int
    cursor: C | None


class AbstractSyncClassicPaginator(ABC, Generic[T]):
    """Implement `get_total` and `get_items`; calling the paginator gives a ClassicPagination."""

    @abstractmethod
    def get_total(self, page_size: int) -> int:
        """The number of pages."""

    @abstractmethod
    def get_items(self, page_size: int, current_page: int) -> list[T]:
        """The items of page `current_page` (1-based)."""

    def __call__(self, page_size: int, current_page: int) -> ClassicPagination[T]:
        return ClassicPagination(
            items=self.get_items(page_size=page_size, current_page=current_page),
            page_size=page_size,
            current_page=current_page,
            total_pages=self.get_total(page_size=page_size),
        )


class AbstractAsyncClassicPaginator(ABC, Generic[T]):
    """Async `get_total` and `get_items`; `await paginator(...)` gives a ClassicPagination."""

    @abstractmethod
    async def get_total(self, page_size: int) -> int:
        """The number of pages."""

    @abstractmethod
    async def get_items(self, page_size: int, current_page: int) -> list[T]:
        """The items of page `current_page` (1-based)."""

    async def __call__(self, page_size: int, current_page: int) -> ClassicPagination[T]:
        # Awaited one after the other: a database session is usually not safe to share at once.
        items = await self.get_items(page_size=page_size, current_page=current_page)
        total_pages = await self.get_total(page_size=page_size)
        return ClassicPagination(
            items=items, page_size=page_size, current_page=current_page, total_pages=total_pages
        )


class AbstractSyncOffsetPaginator(ABC, Generic[T]):
    """Implement `get_total` and `get_items`; calling the paginator gives an OffsetPagination."""

    @abstractmethod
    def get_total(self) -> int:
        """The number of items in the whole dataset."""

    @abstractmethod
    def get_items(self, limit: int, offset: int) -> list[T]:
        """At most `limit` items, skipping the first `offset`."""

    def __call__(self, limit: int, offset: int) -> OffsetPagination[T]:
        return OffsetPagination(
            items=self.get_items(limit=limit, offset=offset),
            limit=limit,
            offset=offset,
            total=self.get_total(),
        )


class AbstractAsyncOffsetPaginator(ABC, Generic[T]):
    """Async `get_total` and `get_items`; `await paginator(...)` gives an OffsetPagination."""

    @abstractmethod
    async def get_total(self) -> int:
        """The number of items in the whole dataset."""

    @abstractmethod
    async def get_items(self, limit: int, offset: int) -> list[T]:
        """At most `limit` items, skipping the first `offset`."""

    async def __call__(self, limit: int, offset: int) -> OffsetPagination[T]:
        items = await self.get_items(limit=limit, offset=offset)
        total = await self.get_total()
        return OffsetPagination(items=items, limit=limit, offset=offset, total=total)


class AbstractSyncCursorPaginator(ABC, Generic[C, T]):
    """Implement `get_items`; calling the paginator gives a CursorPagination."""

    @abstractmethod
    def get_items(self, cursor: C | None, results_per_page: int) -> tuple[list[T], C | None]:
        """The items after `cursor` and the cursor of the next page (None when there is none)."""

    def __call__(self, cursor: C | None, results_per_page: int) -> CursorPagination[C, T]:
        items, next_cursor = self.get_items(cursor=cursor, results_per_page=results_per_page)
        # As in Litestar, the container carries the cursor to send back for the next page.
        return CursorPagination(items=items, results_per_page=results_per_page, cursor=next_cursor)


class AbstractAsyncCursorPaginator(ABC, Generic[C, T]):
    """Async `get_items`; `await paginator(...)` gives a CursorPagination."""

    @abstractmethod
    async def get_items(self, cursor: C | None, results_per_page: int) -> tuple[list[T], C | None]:
        """The items after `cursor` and the cursor of the next page (None when there is none)."""

    async def __call__(self, cursor: C | None, results_per_page: int) -> CursorPagination[C, T]:
        items, next_cursor = await self.get_items(cursor=cursor, results_per_page=results_per_page)
        return CursorPagination(items=items, results_per_page=results_per_page, cursor=next_cursor)
