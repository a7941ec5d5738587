"""`in_all_of(...)`: a use of a type documented as the allOf a spec wrote around it."""

from __future__ import annotations

import enum
from typing import Annotated, Any

import msgspec
from msgspec import UNSET, Meta, UnsetType

from specloom.runtime import App, get, post
from specloom.runtime.openapi import OpenAPIConfig, component, in_all_of
from specloom.runtime.testing import TestClient

from .helpers import validated


class Profile(enum.StrEnum):
    BUSINESS = "business"
    PERSONAL = "personal"


Link = Annotated[str, Meta(extra_json_schema={"format": "uri"}), component("Link")]


class Node(msgspec.Struct, kw_only=True):
    name: str
    parent: (
        Annotated[
            Node,
            Meta(description="The node above", extra_json_schema={"type": "object"}),
            in_all_of(beside=["description", "type"]),
        ]
        | UnsetType
    ) = UNSET


class Ride(msgspec.Struct, kw_only=True):
    profile: Annotated[Profile, in_all_of(after=[{"description": "Booked for"}])]
    link: Annotated[Link, Meta(title="Receipt"), in_all_of(beside=["title"])]
    seats: Annotated[
        int | str, in_all_of(before=[{"description": "A count or a word"}], beside=["default"])
    ] = 1
    node: Node | None = None


def _schemas() -> dict[str, Any]:
    @get("/")
    async def index() -> None:
        return None

    app = App([index], openapi_config=OpenAPIConfig(component_types=[Ride, Link]))
    schemas: dict[str, Any] = validated(app)["components"]["schemas"]
    return schemas


def test_the_use_is_the_allof_with_its_keywords_beside_it() -> None:
    properties = _schemas()["Ride"]["properties"]
    assert properties["link"] == {
        "allOf": [{"$ref": "#/components/schemas/Link"}],
        "title": "Receipt",
    }
    assert properties["profile"] == {
        "allOf": [{"$ref": "#/components/schemas/Profile"}, {"description": "Booked for"}]
    }
    assert properties["seats"] == {
        "allOf": [
            {"description": "A count or a word"},
            {"anyOf": [{"type": "integer"}, {"type": "string"}]},
        ],
        "default": 1,
    }


def test_a_type_beside_a_reference_into_a_cycle_stays_beside_it() -> None:
    parent = _schemas()["Node"]["properties"]["parent"]
    assert parent == {
        "allOf": [{"$ref": "#/components/schemas/Node"}],
        "description": "The node above",
        "type": "object",
    }


def test_values_are_decoded_by_the_type() -> None:
    @post("/rides")
    async def book(data: Ride) -> Ride:
        return data

    with TestClient(App([book])) as client:
        ride = {"profile": "business", "link": "https://x.test/r", "seats": "two"}
        assert client.post("/rides", json=ride).json() == {**ride, "node": None}
        assert client.post("/rides", json={**ride, "profile": "other"}).status_code == 400
