"""Paginators of the API's paginated operations.

This file is yours: specloom creates it and afterwards only appends paginators for new
paginated operations. Implement `get_items` (and `get_total` where there is one) on your data.
"""

from specloom.runtime.pagination import AbstractAsyncOffsetPaginator

from ._generated import models as m
from .store import Store

__all__: list[str] = ["ListPetsPaginator"]


class ListPetsPaginator(AbstractAsyncOffsetPaginator[m.Pet]):
    """Pages of `listPets` (GET /pets): offset pagination over `items`."""

    def __init__(self, store: Store) -> None:
        self.store = store

    async def get_total(self) -> int:
        return self.store.count()

    async def get_items(self, limit: int, offset: int) -> list[m.Pet]:
        return self.store.list(limit, offset)
