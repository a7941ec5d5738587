"""Handlers of the `pets` operations.

The pets in the store.

This file is yours: write the handler bodies. When you regenerate, specloom rewrites only each
handler's decorator, spec parameters and return annotation; everything else stays as you
wrote it.
"""

from specloom.runtime import Response
from specloom.runtime.datastructures import CacheControlHeader
from specloom.runtime.exceptions import ClientException, NotFoundException
from specloom.runtime.response import File, Redirect

from .._generated import models as m
from .._generated import operations as op
from ..paginators import ListPetsPaginator
from ..store import PetAlreadyAdopted, Store, etag_of

# Clients may keep a pet for a minute, then ask again with `If-None-Match` (a 304 if unchanged).
CACHE_CONTROL = CacheControlHeader(public=True, max_age=60, must_revalidate=True).to_header()


def _missing(pet_id: int) -> NotFoundException:
    return NotFoundException(f"No pet with id {pet_id}")


@op.list_pets
async def list_pets(
    limit: op.ListPetsLimit = 20,
    offset: op.ListPetsOffset = 0,
    *,
    store: Store,
) -> m.PetPage:
    """List pets, a page at a time"""
    # the parameters are typed `int | None` although the spec gives them defaults
    page = await ListPetsPaginator(store)(limit=limit or 20, offset=offset or 0)
    return m.PetPage(items=page.items, total=page.total, limit=page.limit, offset=page.offset)


@op.create_pet
async def create_pet(data: op.CreatePetBody, store: Store) -> m.Pet:
    """Add a pet"""
    return store.add(data)


@op.show_pet
async def show_pet(pet_id: op.ShowPetPetId, store: Store) -> Response[m.Pet]:
    """One pet"""
    pet = store.get(pet_id)
    if pet is None:
        raise _missing(pet_id)
    return Response(pet, headers={"etag": etag_of(pet), "cache-control": CACHE_CONTROL})


@op.delete_pet
async def delete_pet(pet_id: op.DeletePetPetId, store: Store) -> None:
    """Remove a pet"""
    if not store.delete(pet_id):
        raise _missing(pet_id)


@op.adopt_pet
async def adopt_pet(pet_id: op.AdoptPetPetId, store: Store) -> m.Pet:
    """Adopt a pet"""
    try:
        pet = store.adopt(pet_id)
    except PetAlreadyAdopted as exc:
        raise ClientException(str(exc), status_code=409) from None
    if pet is None:
        raise _missing(pet_id)
    return pet


@op.get_pet_photo
async def get_pet_photo(pet_id: op.GetPetPhotoPetId, store: Store) -> File:
    """Download the pet's photo"""
    pet, photo = store.get(pet_id), store.photo(pet_id)
    if pet is None or photo is None:
        raise _missing(pet_id)
    return File(photo, filename=f"{pet.name}.png")


@op.show_pet_profile
async def show_pet_profile(pet_id: op.ShowPetProfilePetId, store: Store) -> Redirect:
    """The pet's profile page (moved to the pet itself)"""
    if store.get(pet_id) is None:
        raise _missing(pet_id)
    return Redirect(f"/pets/{pet_id}")
