"""Typed extra keys: a Struct keeps, checks, returns and documents keys it has no field for."""

from __future__ import annotations

from typing import Annotated, Any, Generic, TypeVar

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from specloom.runtime import App, MediaType, get, post
from specloom.runtime.extra_keys import ExtraKeys, holds_extra_keys
from specloom.runtime.params import Body
from specloom.runtime.testing import TestClient
from specloom.runtime.untagged import UntaggedUnion


class Labels(msgspec.Struct, kw_only=True, dict=True):
    """Named counters: `kind` is a field, every other key a Count."""

    kind: str = "plain"
    extra_keys = ExtraKeys["Count"]()  # a model defined further down: resolved on first use


class Count(msgspec.Struct):
    count: int = msgspec.field(default=0)


class Batch(msgspec.Struct):
    labels: list[Labels]
    by_name: dict[str, Labels] = {}


class Loose(msgspec.Struct, dict=True):
    extra_keys = ExtraKeys[int]()


T = TypeVar("T")


class Page(msgspec.Struct, Generic[T], dict=True):
    items: list[T]
    extra_keys = ExtraKeys[int]()


class Either(UntaggedUnion):
    members = (Count, Loose)


class NoStorage(msgspec.Struct):
    extra_keys = ExtraKeys[int]()


def _app() -> App:
    @post("/batch")
    async def echo(data: Batch) -> Batch:
        return data

    @post("/labels", media_type=MediaType.MESSAGEPACK)
    async def labels(data: Labels) -> Labels:
        data.extra_keys["added"] = Count(len(data.extra_keys))
        return data

    @post("/form")
    async def form(
        data: Annotated[Loose, Body(media_type="application/x-www-form-urlencoded")],
    ) -> dict[str, int]:
        return data.extra_keys

    @get("/made")
    async def made() -> Labels:
        made = Labels(kind="made")
        made.extra_keys = {"one": Count(1), "kind": Count(2)}  # a field wins over its name
        return made

    @get("/page")
    async def page() -> Page[Count]:
        page = Page(items=[Count(1)])
        page.extra_keys["total"] = 1
        return page

    return App([echo, labels, form, made, page])


def test_extra_keys_are_kept_at_any_depth() -> None:
    body = {
        "labels": [{"kind": "a", "x": {"count": 1}}, {"y": {"count": 2}, "z": {}}],
        "by_name": {"first": {"kind": "b", "w": {"count": 3}}},
    }
    with TestClient(_app()) as client:
        answer = client.post("/batch", json=body)
    assert answer.status_code == 201
    expected = {
        "labels": [
            {"kind": "a", "x": {"count": 1}},
            {"kind": "plain", "y": {"count": 2}, "z": {"count": 0}},
        ],
        "by_name": {"first": {"kind": "b", "w": {"count": 3}}},
    }
    assert answer.json() == expected


def test_an_extra_key_of_the_wrong_type_is_a_400_naming_it() -> None:
    with TestClient(_app()) as client:
        answer = client.post("/batch", json={"labels": [{"kind": "a"}, {"bad": {"count": "x"}}]})
    assert answer.status_code == 400
    assert answer.json()["extra"] == [
        {
            "key": "labels[1].bad.count",
            "source": "body",
            "message": "Expected `int`, got `str`",
            "pointer": "/labels/1/bad/count",
        }
    ]


def test_messagepack_bodies_and_responses_carry_extra_keys() -> None:
    body = msgspec.msgpack.encode({"kind": "m", "x": {"count": 5}})
    with TestClient(_app()) as client:
        answer = client.post(
            "/labels", content=body, headers={"content-type": MediaType.MESSAGEPACK.value}
        )
    assert answer.status_code == 201
    assert msgspec.msgpack.decode(answer.content) == {
        "kind": "m",
        "x": {"count": 5},
        "added": {"count": 1},
    }


def test_form_bodies_convert_extra_keys_from_text() -> None:
    with TestClient(_app()) as client:
        answer = client.post("/form", data={"a": "1", "b": "22"})
        bad = client.post("/form", data={"a": "one"})
    assert answer.json() == {"a": 1, "b": 22}
    assert bad.status_code == 400
    assert bad.json()["extra"][0]["key"] == "a"


def test_a_field_wins_over_an_extra_key_of_its_name() -> None:
    with TestClient(_app()) as client:
        assert client.get("/made").json() == {"kind": "made", "one": {"count": 1}}


def test_a_generic_struct_keeps_extra_keys() -> None:
    with TestClient(_app()) as client:
        assert client.get("/page").json() == {"items": [{"count": 1}], "total": 1}


def test_extra_keys_are_documented_as_additional_properties() -> None:
    components = _app().openapi()["components"]["schemas"]
    assert components["Labels"]["additionalProperties"] == {"$ref": "#/components/schemas/Count"}
    assert components["Loose"]["additionalProperties"] == {"type": "integer"}
    assert components["Page_Count_"]["additionalProperties"] == {"type": "integer"}
    assert components["Labels"]["properties"] == {"kind": {"type": "string", "default": "plain"}}


def test_a_struct_without_a_dict_cannot_keep_extra_keys() -> None:
    with pytest.raises(TypeError, match=r"NoStorage\.extra_keys: .* needs `dict=True`"):
        NoStorage().extra_keys["a"] = 1


def test_holds_extra_keys_looks_inside_containers() -> None:
    assert holds_extra_keys(Batch)
    assert holds_extra_keys(list[Labels] | None)
    assert holds_extra_keys(dict[str, Annotated[Labels, msgspec.Meta(description="d")]])
    assert holds_extra_keys(list[Either])  # an untagged union: its members
    assert not holds_extra_keys(Count)
    assert not holds_extra_keys(dict[str, Any])


_KEYS = st.text(min_size=1, max_size=8).filter(lambda key: key != "kind")


@settings(max_examples=50, deadline=None)
@given(st.dictionaries(_KEYS, st.integers(min_value=-(2**63), max_value=2**63 - 1), max_size=5))
def test_any_extra_keys_round_trip(extra: dict[str, int]) -> None:
    body = {"kind": "k", **{key: {"count": value} for key, value in extra.items()}}
    with TestClient(_app()) as client:
        answer = client.post("/batch", json={"labels": [body]})
    assert answer.status_code == 201
    assert answer.json()["labels"] == [body]


def test_a_value_type_by_name_resolves_in_its_own_module() -> None:
    """Two modules, each with its own `Count`: `ExtraKeys["Count"]` is one object to typing
    (cached), but each Struct's extra keys are its own module's `Count`."""
    import types

    made = []
    for index in range(2):
        module = types.ModuleType(f"extra_keys_module_{index}")
        exec(  # a generated models module, twice
            "import msgspec\n"
            "from specloom.runtime.extra_keys import ExtraKeys\n"
            "class Holder(msgspec.Struct, dict=True):\n"
            "    extra_keys = ExtraKeys['Count']()\n"
            "class Count(msgspec.Struct):\n"
            "    count: int = 0\n",
            module.__dict__,
        )
        import sys

        sys.modules[module.__name__] = module
        made.append(module)
    first, second = (m.Holder.extra_keys.value_type for m in made)
    assert first is made[0].Count
    assert second is made[1].Count
