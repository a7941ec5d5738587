"""Requests validated exactly as their schema says: numeric formats' ranges, whole-number floats
as integers, `null` only where admitted, one value per scalar query parameter, bounded nesting,
and the body's media type when no content-type is sent."""

from __future__ import annotations

import json
from typing import Annotated, Any

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from msgspec import Meta

from specloom.runtime import App, get, post
from specloom.runtime.formats import number_format
from specloom.runtime.params import Body, Parameter
from specloom.runtime.testing import TestClient

Int64 = Annotated[int, number_format("int64")]
Int32 = Annotated[int, number_format("int32")]


class Item(msgspec.Struct):
    id: Int64
    price: float = 0.0
    tags: list[Int32] = []
    note: Any = None


@post("/items")
async def add_item(data: Item) -> dict[str, Any]:
    return {"id": data.id, "price": data.price, "tags": data.tags, "note": data.note}


@post("/packed")
async def packed(data: Annotated[Item, Body(media_types=["application/json"])]) -> int:
    return data.id


@post("/either")
async def either(
    data: Annotated[
        Item, Body(media_types=["application/json", "application/x-www-form-urlencoded"])
    ],
) -> int:
    return data.id


@post("/form")
async def form(data: Annotated[Item, Body(media_type="application/x-www-form-urlencoded")]) -> int:
    return data.id


@get("/search")
async def search(
    limit: Annotated[int | None, Parameter(query="limit")] = None,
    tag: str | None = None,
    ids: list[int] | None = None,
    marker: Annotated[int | None, Parameter(query="marker", required=True)] = None,
) -> dict[str, Any]:
    return {"limit": limit, "tag": tag, "ids": ids, "marker": marker}


@get("/counters/{counter_id:int}")
async def counter(counter_id: Annotated[Int64, Parameter(path="counter_id")]) -> int:
    return counter_id


@pytest.fixture(scope="module")
def client() -> Any:
    with TestClient(App([add_item, packed, either, form, search, counter])) as client:
        yield client


def _post(client: TestClient, path: str, text: str | bytes, **headers: str) -> Any:
    content = text.encode() if isinstance(text, str) else text
    return client.post(
        path, content=content, headers={"content-type": "application/json", **headers}
    )


# -- integers --------------------------------------------------------------------------------


@settings(max_examples=80, deadline=None)
@given(st.integers(-(2**53), 2**53), st.sampled_from(["{}.0", "{}e0", "{}.000", "{}E0"]))
def test_a_whole_number_float_is_an_integer(client: TestClient, number: int, form: str) -> None:
    sent = _post(client, "/items", '{"id": ' + form.format(number) + ', "note": 2.0}')
    assert sent.status_code == 201, sent.text
    assert sent.json()["id"] == number
    assert isinstance(sent.json()["id"], int)


@settings(max_examples=80, deadline=None)
@given(st.floats(allow_nan=False, allow_infinity=False).filter(lambda f: not f.is_integer()))
def test_a_float_with_a_fraction_is_no_integer(client: TestClient, number: float) -> None:
    sent = _post(client, "/items", json.dumps({"id": number}))
    assert sent.status_code == 400, sent.text
    assert sent.json()["extra"][0]["key"] == "id"


@pytest.mark.parametrize("text", ['"3"', "true", '"1e3"', "null", "[3]"])
def test_nothing_else_is_an_integer_in_a_json_body(client: TestClient, text: str) -> None:
    assert _post(client, "/items", '{"id": ' + text + "}").status_code == 400


def test_whole_floats_deep_in_the_body_are_integers_too(client: TestClient) -> None:
    sent = _post(client, "/items", '{"id": 1e3, "tags": [1.0, 2e1], "price": 2.0}')
    assert sent.status_code == 201, sent.text
    assert sent.json() == {"id": 1000, "price": 2.0, "tags": [1, 20], "note": None}
    too_big = _post(client, "/items", '{"id": 1, "tags": [2147483648.0]}')
    assert too_big.status_code == 400
    assert too_big.json()["extra"][0]["key"] == "tags[0]"


def test_a_whole_float_in_messagepack_is_an_integer(client: TestClient) -> None:
    body = msgspec.msgpack.encode({"id": 7.0})
    sent = _post(client, "/items", body, **{"content-type": "application/x-msgpack"})
    assert sent.status_code == 201, sent.text
    assert sent.json()["id"] == 7


@settings(max_examples=60, deadline=None)
@given(st.integers(-(2**66), 2**66))
def test_int64_is_checked_in_the_body_and_the_path(client: TestClient, number: int) -> None:
    inside = -(2**63) <= number < 2**63
    body = _post(client, "/items", f'{{"id": {number}}}')
    assert body.status_code == (201 if inside else 400), body.text
    if not inside:
        (entry,) = body.json()["extra"]
        assert (entry["key"], entry["source"], entry["pointer"]) == ("id", "body", "/id")
        assert entry["message"].startswith("Expected `int` ")
    path = client.get(f"/counters/{number}")
    assert path.status_code == (200 if inside else 400), path.text


def test_a_number_format_is_documented_by_the_format_alone(client: TestClient) -> None:
    document = client.app.openapi()
    item = document["components"]["schemas"]["Item"]["properties"]
    assert item["id"] == {"type": "integer", "format": "int64"}
    assert item["tags"] == {
        "type": "array",
        "items": {"type": "integer", "format": "int32"},
        "default": [],
    }
    parameters = document["paths"]["/counters/{counter_id}"]["get"]["parameters"]
    assert parameters[0]["schema"] == {"type": "integer", "format": "int64"}


def test_a_bound_written_beside_a_format_stays() -> None:
    @get("/bounded")
    async def bounded(
        n: Annotated[
            int,
            Meta(ge=-(2**31)),
            number_format("int32", low=False),
        ],
    ) -> int:
        return n

    app = App([bounded])
    (parameter,) = app.openapi()["paths"]["/bounded"]["get"]["parameters"]
    assert parameter["schema"] == {"type": "integer", "format": "int32", "minimum": -(2**31)}
    with TestClient(app) as client:
        assert client.get("/bounded", params={"n": str(2**31)}).status_code == 400
        assert client.get("/bounded", params={"n": str(2**31 - 1)}).status_code == 200


# -- null and repeated query parameters ------------------------------------------------------


@pytest.mark.parametrize("text", ["null", "None", ""])
def test_null_is_no_value_of_an_optional_integer(client: TestClient, text: str) -> None:
    sent = client.get(f"/search?marker=1&limit={text}")
    assert sent.status_code == 400, sent.text
    assert [entry["key"] for entry in sent.json()["extra"]] == ["limit"]


def test_a_required_parameter_documented_with_null_takes_it(client: TestClient) -> None:
    sent = client.get("/search?marker=null")
    assert sent.status_code == 200, sent.text
    assert sent.json() == {"limit": None, "tag": None, "ids": None, "marker": None}
    (marker,) = [
        p
        for p in client.app.openapi()["paths"]["/search"]["get"]["parameters"]
        if p["name"] == "marker"
    ]
    assert marker["schema"]["type"] == ["integer", "null"]


def test_the_text_null_is_a_string_parameter_s_value(client: TestClient) -> None:
    assert client.get("/search?marker=1&tag=null").json()["tag"] == "null"


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 99), min_size=2, max_size=5))
def test_a_scalar_query_key_sent_twice_is_a_400(client: TestClient, values: list[int]) -> None:
    query = "&".join(f"limit={v}" for v in values)
    sent = client.get(f"/search?marker=1&{query}")
    assert sent.status_code == 400
    assert sent.json()["extra"] == [
        {
            "key": "limit",
            "source": "query",
            "message": f"Query parameter 'limit' takes one value, got {len(values)}",
        }
    ]
    arrays = client.get(f"/search?marker=1&{query.replace('limit=', 'ids=')}")
    assert arrays.json()["ids"] == values


# -- nesting, encoding -----------------------------------------------------------------------


@pytest.mark.parametrize("depth", [2_000, 100_000, 1_000_000])
def test_a_body_nested_too_deeply_is_a_400(client: TestClient, depth: int) -> None:
    for note in (b"[" * depth + b"]" * depth, b'{"a":' * depth + b"1" + b"}" * depth):
        sent = _post(client, "/items", b'{"id": 1, "note": ' + note + b"}")
        assert sent.status_code == 400, sent.text
        assert sent.json()["extra"][0]["message"] == "The request body is nested too deeply"
        unparsable = _post(client, "/items", b'{"id": 1.5, "note": ' + note + b"}")
        assert unparsable.status_code == 400
    packed = msgspec.msgpack.encode({"id": 1})[:-1] + b"\x91" * depth + b"\x01"
    assert (
        _post(client, "/items", packed, **{"content-type": "application/x-msgpack"}).status_code
        == 400
    )


def test_a_body_nested_a_hundred_levels_is_read(client: TestClient) -> None:
    note = [[]]
    for _ in range(100):
        note = [note]
    sent = _post(client, "/items", json.dumps({"id": 1, "note": note}))
    assert sent.status_code == 201
    assert sent.json()["note"] == note


@pytest.mark.parametrize(
    "body", [b'{"id": 1, "note": "\xff\xfe"}', b'{"id": 1, "note": "\xed\xa0\x80"}', b"\xc3("]
)
def test_invalid_utf8_in_a_json_body_is_a_400(client: TestClient, body: bytes) -> None:
    sent = _post(client, "/items", body)
    assert sent.status_code == 400
    assert sent.json()["status_code"] == 400


# -- no content-type -------------------------------------------------------------------------


def test_a_body_without_content_type_is_read_as_the_one_declared(client: TestClient) -> None:
    assert client.post("/packed", content=b'{"id": 3}', headers={"content-type": ""}).json() == 3
    refused = client.post("/either", content=b'{"id": 3}', headers={"content-type": ""})
    assert refused.status_code == 415
    # a handler declaring no media types documents its one (JSON here, a form there)
    assert (
        client.post("/items", content=b'{"id": 3}', headers={"content-type": ""}).status_code == 201
    )
    assert client.post("/form", content=b"id=4", headers={"content-type": ""}).json() == 4


def test_every_failing_field_is_named_with_its_pointer(client: TestClient) -> None:
    sent = _post(client, "/items", '{"id": 1.0, "price": "x", "tags": [1, 2.5]}')
    assert sent.status_code == 400
    assert [(e["key"], e["pointer"]) for e in sent.json()["extra"]] == [
        ("price", "/price"),
        ("tags[1]", "/tags/1"),
    ]
