"""A small app whose docs pages the browser test opens (served by uvicorn)."""

from __future__ import annotations

import msgspec

from specloom.runtime import App, get, post
from specloom.runtime.openapi import OpenAPIConfig


class Pet(msgspec.Struct):
    id: int
    name: str


@get("/pets", summary="List every pet in the shop", operation_id="listPets")
async def list_pets() -> list[Pet]:
    return []


@post("/pets", summary="Register a new pet", operation_id="createPet")
async def create_pet(data: Pet) -> Pet:
    return data


app = App(
    route_handlers=[list_pets, create_pet],
    openapi_config=OpenAPIConfig(title="Docs page check", version="1.0.0"),
)
