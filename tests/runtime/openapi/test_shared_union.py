"""An untagged union whose members extend a shared Struct (`UntaggedUnion.shared`): decoded
member by member with the shared fields, documented with the shared part beside the members or
in an allOf with them."""

from __future__ import annotations

from typing import Any

import msgspec

from specloom.runtime import App, post
from specloom.runtime.openapi import inline_schema, schema_docs
from specloom.runtime.testing import TestClient
from specloom.runtime.untagged import UntaggedUnion

from .helpers import component_schemas


@inline_schema
class Shared(msgspec.Struct, kw_only=True):
    id: str
    kind: str | msgspec.UnsetType = msgspec.UNSET


@inline_schema
@schema_docs(untyped=True)
class One(Shared, kw_only=True):
    kind: str | msgspec.UnsetType = msgspec.UNSET  # declared again: the member's own property
    a: int


@inline_schema
@schema_docs(title="Two")
class Two(Shared, kw_only=True):
    b: str


class Other(msgspec.Struct, kw_only=True):
    c: str


class Beside(UntaggedUnion):
    """Either."""

    members = (One, Two)
    shared = Shared


class AllOfFirst(UntaggedUnion):
    members = (One, Two)
    shared = "Shared"
    shared_all_of = 0
    exclusive = False


class Partly(UntaggedUnion):
    members = (One, Other)
    shared = Shared
    shared_all_of = 1


ONE = {
    "properties": {
        "kind": {"type": "string"},
        "a": {"type": "integer"},
    },
    "required": ["a"],
}
TWO = {"type": "object", "title": "Two", "properties": {"b": {"type": "string"}}, "required": ["b"]}
SHARED = {
    "type": "object",
    "properties": {
        "id": {"type": "string"},
        "kind": {"type": "string"},
    },
    "required": ["id"],
}


def test_the_shared_part_is_written_beside_the_members_each_with_its_own_fields() -> None:
    assert component_schemas(Beside) == {
        "Beside": {**SHARED, "description": "Either.", "oneOf": [ONE, TWO]}
    }


def test_the_shared_part_is_written_in_an_allof_in_its_place() -> None:
    schemas = component_schemas(AllOfFirst, Partly)
    assert schemas["AllOfFirst"] == {"allOf": [SHARED, {"anyOf": [ONE, TWO]}]}
    other = {"$ref": "#/components/schemas/Other"}  # extends nothing: as msgspec writes it
    assert schemas["Partly"] == {"allOf": [{"oneOf": [ONE, other]}, SHARED]}
    assert schemas["Other"]["properties"] == {"c": {"type": "string"}}


def test_a_body_is_decoded_as_the_member_that_accepts_it_with_the_shared_fields() -> None:
    @post("/")
    async def create(data: Beside) -> str:
        value: Any = data  # a member: One or Two
        return f"{type(value).__name__}:{value.id}"

    with TestClient(App([create])) as client:
        assert client.post("/", json={"id": "x", "a": 1}).text == "One:x"
        assert client.post("/", json={"id": "y", "b": "b"}).text == "Two:y"
        assert client.post("/", json={"a": 1}).status_code == 400  # the shared id
        assert client.post("/", json={"id": "x", "a": 1, "b": "b"}).status_code == 400  # both
