"""`@all_of`: a class documented as the allOf of other classes' components and its own part."""

from __future__ import annotations

from typing import Annotated

import msgspec
import pytest

from specloom.runtime import App, post
from specloom.runtime.exceptions import ImproperlyConfiguredException
from specloom.runtime.extra_keys import ExtraKeys
from specloom.runtime.openapi import all_of, component, inline_schema, schema_docs
from specloom.runtime.testing import TestClient

from .helpers import component_schemas


@schema_docs(description="Anything with a name")
class Named(msgspec.Struct, kw_only=True):
    name: str
    nick: str | None = None


class Aged(msgspec.Struct, kw_only=True):
    age: Annotated[int, msgspec.Meta(ge=0)]


@all_of(Named)
class Dog(Named, kw_only=True):
    """A dog."""

    barks: bool = True


@all_of(Named, Aged)
class Person(msgspec.Struct, kw_only=True):
    """Several parts: the fields of each, flattened into one class."""

    name: str
    nick: str
    age: Annotated[int, msgspec.Meta(ge=0)]
    email: str | None = None


def test_a_subclass_is_its_base_and_its_own_part() -> None:
    schemas = component_schemas(Dog)
    assert schemas["Dog"] == {
        "description": "A dog.",
        "allOf": [
            {"$ref": "#/components/schemas/Named"},
            {"type": "object", "properties": {"barks": {"type": "boolean", "default": True}}},
        ],
    }
    assert schemas["Named"]["description"] == "Anything with a name"
    assert schemas["Named"]["properties"].keys() == {"name", "nick"}


def test_several_parts_and_what_the_class_narrows_or_requires() -> None:
    schemas = component_schemas(Person)
    own = schemas["Person"]["allOf"][2]
    assert schemas["Person"]["allOf"][:2] == [
        {"$ref": "#/components/schemas/Named"},
        {"$ref": "#/components/schemas/Aged"},
    ]
    # `nick` is narrowed (no null) and required here; `name` and `age` are the parts' own
    assert set(own["properties"]) == {"nick", "email"}
    assert own["properties"]["nick"] == {"type": "string"}
    assert own["required"] == ["nick"]
    assert "Aged" in schemas  # a part is a component, though no handler names it


def test_decoding_is_unchanged() -> None:
    @post("/dogs")
    async def add(data: Dog) -> Dog:
        return data

    with TestClient(App([add])) as client:
        assert client.post("/dogs", json={"name": "Rex"}).json() == {
            "name": "Rex",
            "nick": None,
            "barks": True,
        }
        assert client.post("/dogs", json={"barks": False}).status_code == 400


def test_an_inline_part_is_written_where_it_is_used() -> None:
    @inline_schema
    class Base(msgspec.Struct, kw_only=True):
        id: int

    @all_of(Base)
    class Item(Base, kw_only=True):
        label: str

    item = component_schemas(Item)["Item"]
    assert item["allOf"][0] == {
        "type": "object",
        "properties": {"id": {"type": "integer"}},
        "required": ["id"],
    }


def test_a_class_with_nothing_of_its_own_is_its_parts() -> None:
    @all_of(Named)
    class Alias(Named, kw_only=True):
        pass

    assert component_schemas(Alias)["Alias"] == {"allOf": [{"$ref": "#/components/schemas/Named"}]}


class _Tagged(msgspec.Struct, tag=True):
    a: int


class _Closed(msgspec.Struct, forbid_unknown_fields=True):
    a: int


class _Extra(msgspec.Struct):
    a: int
    extra_keys = ExtraKeys[int]()


@pytest.mark.parametrize(
    ("parts", "body", "message"),
    [
        ((), {"a": int}, "at least one part"),
        ((int,), {"a": int}, "not another msgspec Struct"),
        ((_Tagged,), {"a": int}, "is tagged"),
        ((_Closed,), {"a": int}, "additionalProperties"),
        ((_Extra,), {"a": int}, "additionalProperties"),
        ((Aged,), {"a": int}, "no field 'age'"),
    ],
)
def test_what_an_all_of_cannot_say_is_refused(
    parts: tuple[type, ...], body: dict[str, type], message: str
) -> None:
    with pytest.raises(ImproperlyConfiguredException, match=message):
        cls = msgspec.defstruct("Composed", list(body.items()))
        all_of(*parts)(cls)


def test_a_part_tagged_open_on_the_same_field_is_a_part() -> None:
    @schema_docs(open_tag=True)
    class Pet(msgspec.Struct, kw_only=True, tag_field="kind", tag="pet"):
        name: str

    @schema_docs(open_tag=True)
    @all_of(Pet)
    class Cat(Pet, kw_only=True, tag="cat"):
        lives: int = 9

    schemas = component_schemas(Cat)
    assert schemas["Cat"]["allOf"][1] == {
        "type": "object",
        "properties": {"lives": {"type": "integer", "default": 9}},
    }
    assert schemas["Pet"]["properties"]["kind"] == {"type": "string"}
    with pytest.raises(ImproperlyConfiguredException, match="is tagged"):
        all_of(Pet)(msgspec.defstruct("Other", [("name", str)], tag_field="type"))


def test_a_required_field_left_optional_is_refused() -> None:
    class Optional(msgspec.Struct, kw_only=True):
        age: int | None = None

    with pytest.raises(ImproperlyConfiguredException, match="required by Aged"):
        all_of(Aged)(Optional)


def test_a_required_field_after_an_optional_one_is_required() -> None:
    """kw_only fields keep their order: a required one may follow one with a default."""

    @inline_schema
    class Part(msgspec.Struct, kw_only=True):
        code: str | None = None
        detail: str

    @inline_schema
    @schema_docs(description="docs only")
    class Docs(msgspec.Struct, kw_only=True):
        pass

    @all_of(Docs, Part)
    class Status(msgspec.Struct, kw_only=True):
        code: str | None = None
        detail: str

    status = component_schemas(Status)["Status"]
    assert status["allOf"][1]["required"] == ["detail"]
    assert msgspec.json.decode(b'{"detail": "x"}', type=Status) == Status(detail="x")
    with pytest.raises(ImproperlyConfiguredException, match="required by"):
        all_of(Part)(msgspec.defstruct("Loose", [("code", str), ("detail", str, "")], kw_only=True))


def test_closed_parts_are_documented_as_written() -> None:
    """`closed_parts`: a part that forbids unknown fields is a part (it refuses the others'
    properties, as the document says); a class it closes does not say it again."""

    @inline_schema
    class Range(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
        start: int

    @all_of(Range, closed_parts=True)
    class Timed(Range, kw_only=True):
        duration: str | None = None

    timed = component_schemas(Timed)["Timed"]
    assert timed["allOf"][0]["additionalProperties"] is False
    assert timed["allOf"][1] == {"type": "object", "properties": timed["allOf"][1]["properties"]}
    assert msgspec.json.decode(b'{"start": 1, "duration": "P1D"}', type=Timed).duration == "P1D"
    with pytest.raises(msgspec.ValidationError):
        msgspec.json.decode(b'{"start": 1, "other": 2}', type=Timed)
    with pytest.raises(ImproperlyConfiguredException, match="additionalProperties"):
        all_of(Range)(msgspec.defstruct("Open", [("start", int)]))


def test_a_closed_class_is_refused() -> None:
    class Closed(Aged, forbid_unknown_fields=True, kw_only=True):
        pass

    with pytest.raises(ImproperlyConfiguredException, match="additionalProperties"):
        all_of(Aged)(Closed)


class Early(msgspec.Struct, kw_only=True):
    later: Later | None = None


@all_of(Early)
class Composed(Early, kw_only=True):
    """Decorated before the class its annotations name exists: they are not evaluated."""

    more: Later | None = None


class Later(msgspec.Struct, kw_only=True):
    value: int


def test_annotations_naming_later_classes_are_not_evaluated_when_decorated() -> None:
    own = component_schemas(Composed)["Composed"]["allOf"][1]
    assert set(own["properties"]) == {"more"}


NamedThing = Annotated[Named, msgspec.Meta(description="A thing"), component("NamedThing")]
Labelled = Annotated[NamedThing, component("Labelled")]  # an alias of an alias


@all_of(Labelled)
class Label(Named, kw_only=True):
    """A label: an alias of Named is its part."""

    text: str


def test_a_named_alias_part_is_referenced_by_its_name() -> None:
    schemas = component_schemas(Label, Labelled)
    assert schemas["Label"] == {
        "description": "A label: an alias of Named is its part.",
        "allOf": [
            {"$ref": "#/components/schemas/Labelled"},
            {"type": "object", "properties": {"text": {"type": "string"}}, "required": ["text"]},
        ],
    }
    assert schemas["Labelled"]["$ref"] == "#/components/schemas/Named"
    assert msgspec.json.decode(b'{"name": "n", "text": "t"}', type=Label).text == "t"


def test_a_named_alias_part_is_checked_as_its_struct() -> None:
    with pytest.raises(ImproperlyConfiguredException, match="no field 'name'"):

        @all_of(Labelled)
        class Text(msgspec.Struct, kw_only=True):
            text: str
