"""components/schemas: models of every supported kind, as OpenAPI 3.1 schemas."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Annotated, Any, Literal, NotRequired, TypedDict

import msgspec
import pydantic
import pytest

from specloom.runtime import App, get, post
from specloom.runtime.openapi import AnyOf, OneOf, component, properties_between
from specloom.runtime.testing import TestClient

from . import models_a, models_b
from .helpers import operation, validated


class Color(enum.Enum):
    """A colour."""

    RED = "red"
    GREEN = "green"


class Size(enum.IntEnum):
    SMALL = 1
    LARGE = 2


class Cat(msgspec.Struct, tag="cat"):
    name: str


class Dog(msgspec.Struct, tag="dog"):
    good: bool = True


class Owner(msgspec.Struct):
    name: str


class Shop(msgspec.Struct):
    owner: Owner


class Pet(msgspec.Struct, forbid_unknown_fields=True):
    """A pet in the store."""

    id: Annotated[int, msgspec.Meta(ge=1, title="Identifier", examples=[7])]
    name: Annotated[
        str, msgspec.Meta(min_length=1, max_length=20, pattern="^[a-z]+$", description="Name")
    ]
    tag: str | None = None
    color: Color | None = None
    size: Size = Size.SMALL
    kind: Annotated[Cat | Dog, OneOf] | None = None
    either: Cat | Dog | None = None
    labels: dict[str, int] = {}
    code: Annotated[str, msgspec.Meta(extra_json_schema={"x-internal": True})] = "a"
    mode: Literal["a", "b"] = "a"


class Tree(msgspec.Struct):
    value: int
    children: list[Tree] = []
    parent: Tree | None = None


@dataclass
class Point:
    x: float
    y: float = 0.0


class Movie(TypedDict):
    title: str
    year: NotRequired[int]


class Account(pydantic.BaseModel):
    """A pydantic account."""

    id: int = pydantic.Field(ge=1)
    email: str | None = None
    owner: PydanticOwner


class PydanticOwner(pydantic.BaseModel):
    name: str


Account.model_rebuild()


def schemas_of(*returns: Any) -> tuple[App, dict[str, Any], list[dict[str, Any]]]:
    handlers = []
    for index, annotation in enumerate(returns):

        def handler() -> Any:
            return None

        handler.__annotations__ = {"return": annotation}
        handler.__name__ = f"handler{index}"
        handlers.append(get(f"/r{index}")(handler))
    app = App(handlers)
    document = validated(app)
    responses = [
        operation(app, "GET", f"/r{index}")["responses"]["200"]["content"]["application/json"][
            "schema"
        ]
        for index in range(len(returns))
    ]
    return app, document["components"]["schemas"], responses


def test_struct_required_optional_defaults_constraints_docs() -> None:
    _, components, (ref,) = schemas_of(Pet)
    assert ref == {"$ref": "#/components/schemas/Pet"}
    pet = components["Pet"]
    assert pet["description"] == "A pet in the store."
    assert pet["required"] == ["id", "name"]
    assert pet["additionalProperties"] is False
    props = pet["properties"]
    assert props["id"] == {"type": "integer", "minimum": 1, "title": "Identifier", "examples": [7]}
    assert props["name"] == {
        "type": "string",
        "minLength": 1,
        "maxLength": 20,
        "pattern": "^[a-z]+$",
        "description": "Name",
    }
    assert props["tag"] == {"type": ["string", "null"], "default": None}
    assert props["color"] == {
        "anyOf": [{"$ref": "#/components/schemas/Color"}, {"type": "null"}],
        "default": None,
    }
    assert props["size"] == {"$ref": "#/components/schemas/Size", "default": 1}
    assert props["labels"] == {
        "type": "object",
        "additionalProperties": {"type": "integer"},
        "default": {},
    }
    assert props["code"]["x-internal"] is True
    assert props["mode"] == {"enum": ["a", "b"], "type": "string", "default": "a"}


def test_enums_are_typed() -> None:
    _, components, _ = schemas_of(Pet)
    # msgspec's automatic title (the class name) is left out: the component's name says it
    assert components["Color"] == {
        "description": "A colour.",
        "enum": ["green", "red"],
        "type": "string",
    }
    assert components["Size"]["type"] == "integer"


def test_tagged_unions_keep_their_declared_keyword_and_discriminator() -> None:
    _, components, _ = schemas_of(Pet)
    kind = components["Pet"]["properties"]["kind"]["anyOf"][0]
    assert kind["oneOf"] == [
        {"$ref": "#/components/schemas/Cat"},
        {"$ref": "#/components/schemas/Dog"},
    ]
    assert kind["discriminator"] == {
        "propertyName": "type",
        "mapping": {"cat": "#/components/schemas/Cat", "dog": "#/components/schemas/Dog"},
    }
    either = components["Pet"]["properties"]["either"]["anyOf"][0]
    assert "anyOf" in either and "discriminator" in either
    assert components["Cat"]["properties"]["type"] == {"enum": ["cat"], "type": "string"}


def test_return_unions_are_one_of_unless_marked() -> None:
    _, _, (plain, marked, nullable) = schemas_of(
        Owner | Point, Annotated[Owner | Point, AnyOf], Owner | None
    )
    refs = [{"$ref": "#/components/schemas/Owner"}, {"$ref": "#/components/schemas/Point"}]
    assert plain == {"oneOf": refs}
    assert marked == {"anyOf": refs}
    assert nullable == {"anyOf": [refs[0], {"type": "null"}]}


def test_nested_models_recursion_dataclass_typeddict() -> None:
    _, components, refs = schemas_of(Shop, Tree, Point, Movie)
    assert refs[0] == {"$ref": "#/components/schemas/Shop"}
    assert refs[3] == {"$ref": "#/components/schemas/Movie"}
    assert components["Shop"]["properties"]["owner"] == {"$ref": "#/components/schemas/Owner"}
    assert components["Tree"]["properties"]["children"]["items"] == {
        "$ref": "#/components/schemas/Tree"
    }
    assert components["Point"]["required"] == ["x"]
    assert components["Point"]["properties"]["y"] == {"type": "number", "default": 0.0}
    assert components["Movie"]["required"] == ["title"]


def test_pydantic_models_join_the_components() -> None:
    @post("/accounts")
    def create(data: Account) -> list[Account]:
        return [data]

    app = App([create])
    components = validated(app)["components"]["schemas"]
    assert components["Account"]["description"] == "A pydantic account."
    assert components["Account"]["properties"]["owner"] == {
        "$ref": "#/components/schemas/PydanticOwner"
    }
    assert components["Account"]["properties"]["email"]["type"] == ["string", "null"]
    assert "PydanticOwner" in components
    body = operation(app, "POST", "/accounts")["requestBody"]["content"]["application/json"]
    assert body["schema"] == {"$ref": "#/components/schemas/Account"}


def test_name_clashes_across_modules_are_resolved_deterministically() -> None:
    _, components, (a, b) = schemas_of(models_a.Pet, models_b.Pet)
    name_a = "tests.runtime.openapi.models_a.Pet"
    name_b = "tests.runtime.openapi.models_b.Pet"
    assert a == {"$ref": f"#/components/schemas/{name_a}"}
    assert b == {"$ref": f"#/components/schemas/{name_b}"}
    assert components[name_a]["properties"] == {"name": {"type": "string"}}
    _, again, _ = schemas_of(models_b.Pet, models_a.Pet)
    assert set(again) == set(components)


def test_untagged_struct_union_is_documented_member_by_member() -> None:
    _, _, (schema,) = schemas_of(Owner | Shop)
    assert schema == {
        "oneOf": [{"$ref": "#/components/schemas/Owner"}, {"$ref": "#/components/schemas/Shop"}]
    }


class _Leaf(msgspec.Struct, tag="leaf"):
    value: int


class _Branch(msgspec.Struct, tag="branch"):
    children: list[Node] = []


Node = Annotated[
    _Leaf | _Branch, OneOf, component("Node 1"), msgspec.Meta(description="A tree node.")
]


def test_a_marked_alias_is_one_named_component_even_when_recursive() -> None:
    @get("/tree")
    async def tree() -> list[Node]:
        return []

    @post("/tree")
    async def plant(data: Node) -> Node | None:
        return data

    app = App([tree, plant])
    document = validated(app)
    schemas = document["components"]["schemas"]
    ref = {"$ref": "#/components/schemas/Node_1"}  # a name a component can hold
    assert schemas["Node_1"]["oneOf"] == [
        {"$ref": "#/components/schemas/_Leaf"},
        {"$ref": "#/components/schemas/_Branch"},
    ]
    assert schemas["Node_1"]["description"] == "A tree node."
    assert schemas["Node_1"]["discriminator"]["propertyName"] == "type"
    assert schemas["_Branch"]["properties"]["children"]["items"] == ref
    answer = operation(app, "get", "/tree")["responses"]["200"]["content"]["application/json"]
    assert answer["schema"] == {"type": "array", "items": ref}
    body = operation(app, "post", "/tree")["requestBody"]["content"]["application/json"]
    assert body["schema"] == ref
    assert "x-specloom-component" not in str(document)


class _Sized(msgspec.Struct, tag="sized"):
    a: int | msgspec.UnsetType = msgspec.UNSET
    b: int | msgspec.UnsetType | None = msgspec.UNSET

    @properties_between(2, 2)
    def __post_init__(self) -> None:
        """Two properties: the tag counts, it is a key on the wire."""


def test_properties_between_is_checked_on_decode_and_documented() -> None:
    @post("/sized")
    async def sized(data: _Sized) -> None:
        return None

    app = App([sized])
    schema = validated(app)["components"]["schemas"]["_Sized"]
    assert (schema["minProperties"], schema["maxProperties"]) == (2, 2)
    with TestClient(app) as client:
        assert client.post("/sized", json={"type": "sized", "b": None}).status_code == 201
        too_many = client.post("/sized", json={"type": "sized", "a": 1, "b": 2})
        assert too_many.status_code == 400
        assert too_many.json()["extra"][0]["message"] == (
            "Object has 3 properties, expected at most 2"
        )
    with pytest.raises(ValueError, match="expected at least 2"):
        _Sized()  # built in code, it is checked too


class Upload(msgspec.Struct):
    image: Annotated[bytes, msgspec.Meta(extra_json_schema={"format": "binary"})]
    data: bytes
    text: Annotated[bytes, msgspec.Meta(extra_json_schema={"format": "base64"})]


def test_bytes_declared_binary_are_raw_octets_and_plain_bytes_are_base64() -> None:
    """`format: binary` declares unencoded octets (a binary body), `format: base64` says the
    encoding itself; plain bytes are documented as base64."""
    _, components, _ = schemas_of(Upload)
    properties = components["Upload"]["properties"]
    assert properties["image"] == {"type": "string", "format": "binary"}
    assert properties["data"] == {"type": "string", "contentEncoding": "base64"}
    assert properties["text"] == {"type": "string", "format": "base64"}
