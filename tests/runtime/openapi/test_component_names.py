"""Component names a spec chose: declared names, inline classes, nullable and unused types."""

from __future__ import annotations

import enum
from typing import Annotated, Any, TypeAlias

import msgspec
import pytest

from specloom.runtime import App, get, post
from specloom.runtime.openapi import (
    OpenAPIConfig,
    component,
    component_name,
    inline_schema,
    nullable_component,
)
from specloom.runtime.testing import TestClient
from specloom.runtime.untagged import UntaggedUnion

from .helpers import operation, validated

REF = "#/components/schemas/"


def _body_schema(app: App, path: str) -> Any:
    return operation(app, "post", path)["requestBody"]["content"]["application/json"]["schema"]


def _answer_schema(app: App, method: str, path: str, status: str = "200") -> Any:
    responses = operation(app, method, path)["responses"]
    return responses[status]["content"]["application/json"]["schema"]


@component_name("messaging.v1.alpha_sender")
class AlphaSender(msgspec.Struct):
    sender: str


@component_name("owner")
class Owner(msgspec.Struct):
    senders: list[AlphaSender]


def test_a_class_is_documented_under_the_name_it_declares() -> None:
    @get("/owner")
    async def show() -> Owner:
        return Owner(senders=[])

    app = App([show])
    schemas = validated(app)["components"]["schemas"]
    assert set(schemas) == {"messaging.v1.alpha_sender", "owner"}
    assert schemas["owner"]["properties"]["senders"]["items"] == {
        "$ref": REF + "messaging.v1.alpha_sender"
    }
    assert _answer_schema(app, "get", "/owner") == {"$ref": REF + "owner"}


class Taken(msgspec.Struct):
    a: int


@component_name("Taken")
class Claimer(msgspec.Struct):
    b: int


def test_a_declared_name_wins_over_a_class_name_it_meets() -> None:
    @get("/both")
    async def both() -> tuple[Taken, Claimer]:
        return Taken(a=1), Claimer(b=2)

    schemas = validated(App([both]))["components"]["schemas"]
    assert schemas["Taken"]["properties"] == {"b": {"type": "integer"}}
    (moved,) = set(schemas) - {"Taken"}
    assert moved.endswith("test_component_names.Taken")
    assert schemas[moved]["properties"] == {"a": {"type": "integer"}}


def test_a_declared_name_is_one_a_component_can_hold() -> None:
    with pytest.raises(ValueError, match="component name"):
        component_name("a pet")


@inline_schema
class Mood(enum.StrEnum):
    """How the pet feels."""

    HAPPY = "happy"
    SAD = "sad"


@inline_schema
class NewPet(msgspec.Struct):
    name: str
    mood: Annotated[Mood, msgspec.Meta(description="Right now.")] | None = None
    owner: Owner | None = None


def test_an_inline_class_is_written_where_it_is_used() -> None:
    @post("/pets")
    async def add(data: NewPet) -> Mood:
        return data.mood or Mood.HAPPY

    app = App([add])
    schemas = validated(app)["components"]["schemas"]
    assert set(schemas) == {"owner", "messaging.v1.alpha_sender"}
    body = _body_schema(app, "/pets")
    assert body["type"] == "object"
    assert body["properties"]["mood"] == {
        "description": "Right now.",  # the use's description wins over the class's
        "enum": ["happy", "sad", None],
        "type": ["string", "null"],
        "default": None,
    }
    assert body["properties"]["owner"]["anyOf"][0] == {"$ref": REF + "owner"}
    assert _answer_schema(app, "post", "/pets", "201") == {
        "enum": ["happy", "sad"],
        "type": "string",
        "description": "How the pet feels.",
    }
    with TestClient(app) as client:  # decoding is unchanged
        assert client.post("/pets", json={"name": "Rex", "mood": "sad"}).json() == "sad"
        assert client.post("/pets", json={"name": "Rex", "mood": "cross"}).status_code == 400


@inline_schema
class Tree(msgspec.Struct):
    children: list[Tree] = []


def test_an_inline_class_that_contains_itself_stays_a_component() -> None:
    @get("/tree")
    async def tree() -> Tree:
        return Tree()

    app = App([tree])
    schemas = validated(app)["components"]["schemas"]
    assert schemas["Tree"]["properties"]["children"]["items"] == {"$ref": REF + "Tree"}
    assert _answer_schema(app, "get", "/tree") == {"$ref": REF + "Tree"}


@inline_schema
class Cat(msgspec.Struct):
    meow: str


@inline_schema
class Dog(msgspec.Struct):
    bark: str


@component_name("pet.any")
class AnyPet(UntaggedUnion):
    members = ("Cat", "Dog")


def test_an_untagged_union_declares_its_name_and_inlines_its_members() -> None:
    @post("/any")
    async def adopt(data: AnyPet) -> None:
        return None

    app = App([adopt])
    schemas = validated(app)["components"]["schemas"]
    assert set(schemas) == {"pet.any"}
    members = schemas["pet.any"]["oneOf"]
    assert [member["properties"] for member in members] == [
        {"meow": {"type": "string"}},
        {"bark": {"type": "string"}},
    ]
    assert _body_schema(app, "/any") == {"$ref": REF + "pet.any"}


Pets: TypeAlias = Annotated[
    list[Owner], msgspec.Meta(max_length=10, description="Some owners."), component("pets")
]
Count: TypeAlias = Annotated[int, msgspec.Meta(ge=0, examples=[1]), component("count")]


@component_name("unused")
class Unused(msgspec.Struct):
    x: int


def test_component_types_are_documented_used_or_not() -> None:
    @get("/count")
    async def count() -> Annotated[Count, msgspec.Meta(description="How many.", examples=[2])]:
        return 1

    config = OpenAPIConfig(component_types=[Pets, Count, Unused, Owner])
    app = App([count], openapi_config=config)
    schemas = validated(app)["components"]["schemas"]
    assert set(schemas) == {"pets", "count", "unused", "owner", "messaging.v1.alpha_sender"}
    assert schemas["pets"] == {
        "description": "Some owners.",
        "type": "array",
        "items": {"$ref": REF + "owner"},
        "maxItems": 10,
    }
    # the alias's own schema is its component; what a use adds stays beside the `$ref`
    assert schemas["count"] == {"type": "integer", "minimum": 0, "examples": [1]}
    assert _answer_schema(app, "get", "/count") == {
        "$ref": REF + "count",
        "description": "How many.",
        "examples": [2],
    }


@nullable_component
@component_name("grade")
class Grade(enum.StrEnum):
    A = "a"
    B = "b"


@nullable_component
class Note(msgspec.Struct):
    text: str


def test_a_nullable_component_admits_null() -> None:
    @get("/grade")
    async def grade() -> Grade | None:
        return None

    app = App([grade], openapi_config=OpenAPIConfig(component_types=[Grade, Note]))
    schemas = validated(app)["components"]["schemas"]
    assert schemas["grade"] == {"enum": ["a", "b", None], "type": ["string", "null"]}
    assert schemas["Note"]["type"] == ["object", "null"]
    assert schemas["Note"]["properties"] == {"text": {"type": "string"}}
    # `Grade | None` is the component itself: it admits null already
    assert _answer_schema(app, "get", "/grade") == {"$ref": REF + "grade"}
