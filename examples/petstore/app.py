"""Pet store example: typed handlers, validation, layered headers and a dependency.

Serve it with `uvicorn examples.petstore.app:app` from the repository root.
"""

from __future__ import annotations

import itertools
import threading
from typing import Annotated

import msgspec

from specloom.runtime import App, Controller, get, post
from specloom.runtime.datastructures import CacheControlHeader, ResponseHeader
from specloom.runtime.di import Provide
from specloom.runtime.exceptions import NotFoundException
from specloom.runtime.params import Parameter


class NewPet(msgspec.Struct, forbid_unknown_fields=True):
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
    tag: str | None = None


class Pet(msgspec.Struct):
    id: int
    name: str
    tag: str | None = None


class PetStore:
    """An in-memory, thread-safe store of pets."""

    def __init__(self) -> None:
        self._pets: dict[int, Pet] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def add(self, new: NewPet) -> Pet:
        with self._lock:
            pet = Pet(id=next(self._ids), name=new.name, tag=new.tag)
            self._pets[pet.id] = pet
            return pet

    def get(self, pet_id: int) -> Pet | None:
        return self._pets.get(pet_id)

    def list(self, limit: int, tag: str | None) -> list[Pet]:
        pets = (p for p in self._pets.values() if tag is None or p.tag == tag)
        return list(itertools.islice(pets, limit))


STORE = PetStore()
for name, tag in (("Rex", "dog"), ("Tom", "cat"), ("Nemo", "fish")):
    STORE.add(NewPet(name=name, tag=tag))


def provide_store() -> PetStore:
    return STORE


class PetController(Controller):
    path = "/pets"
    dependencies = {"store": Provide(provide_store)}
    cache_control = CacheControlHeader(max_age=30, public=True)

    @get()
    async def list_pets(
        self,
        store: PetStore,
        limit: Annotated[int, Parameter(ge=1, le=100, description="How many pets")] = 20,
        tag: str | None = None,
    ) -> list[Pet]:
        """List pets, optionally filtered by tag."""
        return store.list(limit, tag)

    @get("/{pet_id:int}")
    async def show_pet(self, store: PetStore, pet_id: int) -> Pet:
        """One pet by id."""
        pet = store.get(pet_id)
        if pet is None:
            raise NotFoundException(f"No pet with id {pet_id}")
        return pet

    @post(cache_control=CacheControlHeader(no_store=True))
    async def create_pet(self, store: PetStore, data: NewPet) -> Pet:
        """Add a pet (201)."""
        return store.add(data)


app = App(
    route_handlers=[PetController],
    response_headers=[ResponseHeader(name="x-served-by", value="specloom")],
)
