"""Untagged unions of object types: decoded member by member, documented as oneOf/anyOf."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, TypeAlias

import msgspec
import pytest

from specloom.runtime import App, get, post
from specloom.runtime.openapi import schema_docs
from specloom.runtime.testing import TestClient
from specloom.runtime.untagged import Nothing, UntaggedUnion


class Card(msgspec.Struct, forbid_unknown_fields=True):
    number: str
    expiry: str


class Bank(msgspec.Struct, forbid_unknown_fields=True):
    iban: str


class Loose(msgspec.Struct):
    note: str = ""


if TYPE_CHECKING:
    Payment: TypeAlias = Card | Bank
    Either: TypeAlias = Bank | Loose
    Overlapping: TypeAlias = Bank | Loose
else:

    @schema_docs(external_docs={"url": "https://example.com/payments"})
    class Payment(UntaggedUnion):
        """Paid by card or by bank transfer."""

        members = ("Card", "Bank")

    class Either(UntaggedUnion):  # anyOf: the first member that accepts wins
        members = (Bank, Loose)
        exclusive = False

    class Overlapping(UntaggedUnion):  # oneOf: a Bank is a Loose too (extra keys allowed)
        members = (Bank, Loose)


class Order(msgspec.Struct):
    payments: list[Payment]
    either: Either | None = None
    overlapping: Overlapping | None = None


class Described(msgspec.Struct):
    payment: Annotated[Payment, msgspec.Meta(description="how it was paid")]


def _app() -> App:
    @post("/orders")
    async def create(data: Order) -> Order:
        return data

    @get("/payment")
    async def payment() -> Payment:
        return Bank("DE00")

    return App([create, payment])


def test_each_value_becomes_the_member_that_accepts_it() -> None:
    body = {"payments": [{"number": "4242", "expiry": "12/30"}, {"iban": "DE00"}]}
    with TestClient(_app()) as client:
        answer = client.post("/orders", json={**body, "either": {"iban": "X"}})
        assert answer.status_code == 201, answer.text
        assert answer.json() == {**body, "either": {"iban": "X"}, "overlapping": None}
        assert client.get("/payment").json() == {"iban": "DE00"}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            {"payments": [{"iban": 7}]},
            "matches none of the union's members (Card: Object contains unknown field `iban`; "
            "Bank: Expected `str`, got `int` - at `$.iban`)",
        ),
        (
            {"payments": [], "overlapping": {"iban": "X"}},
            "matches more than one of the oneOf members (Bank, Loose)",
        ),
    ],
)
def test_no_member_or_several_is_a_400_saying_why(body: dict[str, Any], message: str) -> None:
    with TestClient(_app()) as client:
        answer = client.post("/orders", json=body)
    assert answer.status_code == 400
    (entry,) = answer.json()["extra"]
    assert entry["message"] == message


def test_documented_as_a_component_of_the_members_oneof_or_anyof() -> None:
    document = _app().openapi()
    components = document["components"]["schemas"]
    order = components["Order"]["properties"]
    assert order["payments"]["items"] == {"$ref": "#/components/schemas/Payment"}
    assert components["Payment"] == {
        "oneOf": [{"$ref": "#/components/schemas/Card"}, {"$ref": "#/components/schemas/Bank"}],
        "description": "Paid by card or by bank transfer.",
        "externalDocs": {"url": "https://example.com/payments"},
    }
    assert components["Either"] == {
        "anyOf": [{"$ref": "#/components/schemas/Bank"}, {"$ref": "#/components/schemas/Loose"}]
    }
    answer = document["paths"]["/payment"]["get"]["responses"]["200"]["content"]
    assert answer["application/json"]["schema"] == {"$ref": "#/components/schemas/Payment"}
    assert {"Card", "Bank", "Loose", "Order", "Overlapping"} <= set(components)


def test_the_standing_class_is_never_built() -> None:
    with pytest.raises(TypeError, match="build one of its members"):
        Payment()
    assert isinstance(Bank("X"), Payment) and not isinstance("X", Payment)


def test_a_described_union_field_is_decoded_too() -> None:
    """`Annotated[Union, Meta(...)]` (a generated field with a description) needs the hook."""

    @post("/described")
    async def described(data: Described) -> Described:
        return data

    with TestClient(App([described])) as client:
        answer = client.post("/described", json={"payment": {"iban": "DE00"}})
    assert (answer.status_code, answer.json()) == (201, {"payment": {"iban": "DE00"}})


# What a spec can say and no value can satisfy, served as it says (the generator reports it).


class Simple(msgspec.Struct, tag_field="node", tag="simple"):
    check: str


class Compound(msgspec.Struct, tag_field="node", tag="compound"):
    operator: str


class Screens(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """`required: [defaultScreen]` beside `additionalProperties: false`: never valid."""

    default: int | None = None
    default_screen: Annotated[Nothing, msgspec.Meta(description="required, forbidden")] = (
        msgspec.field(name="defaultScreen")
    )


if TYPE_CHECKING:
    Condition: TypeAlias = Simple | Compound
else:

    class Condition(UntaggedUnion):  # `additionalProperties: false` beside the oneOf
        members = (Simple, Compound)
        closed = True


class Rules(msgspec.Struct):
    conditions: list[Condition] = []
    screens: Screens | None = None


def _strict_app() -> App:
    @post("/rules")
    async def rules(data: Rules) -> int:
        return len(data.conditions)

    return App([rules])


@pytest.mark.parametrize(
    ("body", "key", "message"),
    [
        (
            {"conditions": [{"node": "simple", "check": "x"}]},
            "conditions[0]",
            "no key is allowed, got `node`, `check`: the schema has `additionalProperties: "
            "false` and no properties of its own beside its members",
        ),
        (
            {"screens": {"default": 1, "defaultScreen": 1}},
            "screens.defaultScreen",
            "no value is allowed here: the schema admits none",
        ),
        (
            {"screens": {"default": 1}},
            "screens",
            "Object missing required field `defaultScreen`",
        ),
    ],
)
def test_what_no_value_satisfies_is_refused_saying_why(
    body: dict[str, Any], key: str, message: str
) -> None:
    with TestClient(_strict_app()) as client:
        answer = client.post("/rules", json=body)
        assert client.post("/rules", json={"conditions": []}).json() == 0  # the rest is fine
    assert answer.status_code == 400
    pointer = "/" + key.replace("[", ".").replace("]", "").replace(".", "/")
    assert answer.json()["extra"] == [
        {"key": key, "source": "body", "message": message, "pointer": pointer}
    ]


def test_what_no_value_satisfies_is_documented_as_written() -> None:
    components = _strict_app().openapi()["components"]["schemas"]
    assert components["Condition"] == {
        "oneOf": [
            {"$ref": "#/components/schemas/Simple"},
            {"$ref": "#/components/schemas/Compound"},
        ],
        "discriminator": {
            "propertyName": "node",
            "mapping": {
                "simple": "#/components/schemas/Simple",
                "compound": "#/components/schemas/Compound",
            },
        },
        "type": "object",
        "additionalProperties": False,
    }
    screens = components["Screens"]
    assert screens["properties"]["defaultScreen"] == {
        "description": "required, forbidden",
        "not": {},
    }
    assert screens["required"] == ["defaultScreen"]


# Members of any type, not only classes: a union msgspec cannot decode (two arrays, two strings)
# or document as written (an object member before a scalar one), kept as the spec wrote it.


class Channel(msgspec.Struct):
    id: str


if TYPE_CHECKING:
    Listing: TypeAlias = list[Channel] | list[str]
    Country: TypeAlias = (
        Annotated[str, msgspec.Meta(min_length=3)]
        | Annotated[str, msgspec.Meta(max_length=2, pattern="^[A-Z]+$")]
    )
    Twice: TypeAlias = Channel | Channel
    Result: TypeAlias = Channel | bool
else:

    class Listing(UntaggedUnion):
        members = ("list[Channel]", "list[str]")

    class Country(UntaggedUnion):
        members = (
            "Annotated[str, msgspec.Meta(min_length=3)]",
            "Annotated[str, msgspec.Meta(max_length=2, pattern='^[A-Z]+$')]",
        )
        exclusive = False

    class Twice(UntaggedUnion):  # oneOf of one member twice: no value is valid
        members = ("Channel", "Channel")

    class Result(UntaggedUnion):
        members = (Channel, bool)
        exclusive = False


class Licence(msgspec.Struct):
    listing: Listing | None = None
    country: Country | None = None
    twice: Twice | None = None
    result: Result | None = None


def _typed_app() -> App:
    @post("/licences")
    async def licences(data: Licence) -> Licence:
        return data

    @get("/countries")
    async def countries(country: Country) -> dict[str, str]:
        return {"country": country}

    return App([licences, countries])


@pytest.mark.parametrize(
    "body",
    [
        {"listing": [{"id": "a"}]},
        {"listing": ["a", "b"]},
        {"country": "FRA"},
        {"country": "FR"},
        {"result": {"id": "a"}},
        {"result": True},
    ],
)
def test_members_of_any_type_decode_the_value_they_accept(body: dict[str, Any]) -> None:
    full = {"listing": None, "country": None, "twice": None, "result": None, **body}
    with TestClient(_typed_app()) as client:
        answer = client.post("/licences", json=body)
    assert (answer.status_code, answer.json()) == (201, full)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"listing": [1]}, "matches none of the union's members (list[Channel]: Expected"),
        ({"country": ""}, "matches none of the union's members (Annotated[str, Meta("),
        ({"twice": {"id": "a"}}, "matches more than one of the oneOf members (Channel, Channel)"),
    ],
)
def test_a_value_no_member_or_several_accept_is_refused(body: dict[str, Any], message: str) -> None:
    with TestClient(_typed_app()) as client:
        answer = client.post("/licences", json=body)
    assert answer.status_code == 400
    (entry,) = answer.json()["extra"]
    assert entry["message"].startswith(message)


def test_a_parameter_of_scalar_members_is_read_from_its_text() -> None:
    with TestClient(_typed_app()) as client:
        assert client.get("/countries", params={"country": "FR"}).json() == {"country": "FR"}
        assert client.get("/countries", params={"country": "FRA"}).json() == {"country": "FRA"}
        assert client.get("/countries", params={"country": ""}).status_code == 400


def test_members_of_any_type_are_documented_as_written_in_order() -> None:
    components = _typed_app().openapi()["components"]["schemas"]
    channel = {"$ref": "#/components/schemas/Channel"}
    assert components["Listing"] == {
        "oneOf": [
            {"type": "array", "items": channel},
            {"type": "array", "items": {"type": "string"}},
        ]
    }
    assert components["Country"] == {
        "anyOf": [
            {"type": "string", "minLength": 3},
            {"type": "string", "maxLength": 2, "pattern": "^[A-Z]+$"},
        ]
    }
    assert components["Twice"] == {"oneOf": [channel, channel]}
    assert components["Result"] == {"anyOf": [channel, {"type": "boolean"}]}
