"""Handler parameters: path, query, header and cookie values, Parameter() metadata, validation."""

from __future__ import annotations

import asyncio
import datetime
import enum
import json
import uuid
from typing import Annotated, Any, Literal

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from specloom.runtime import App, get
from specloom.runtime.exceptions import ImproperlyConfiguredException
from specloom.runtime.params import Parameter
from specloom.runtime.testing import TestClient


class Color(enum.Enum):
    RED = "red"
    BLUE = "blue"


@get("/items/{item_id}")
def item_by_annotation(item_id: int) -> dict[str, Any]:
    return {"item_id": item_id}


@get("/typed/{item_id:int}")
def item_by_template(item_id: int) -> dict[str, Any]:
    return {"item_id": item_id}


@get("/uuid/{value:uuid}/{day:date}")
def uuid_and_date(value: uuid.UUID, day: datetime.date) -> dict[str, Any]:
    return {"value": str(value), "day": day.isoformat(), "types": [type(value).__name__]}


@get("/query")
def query(
    a: list[int],
    b: int | None = None,
    c: str = "default",
    flag: bool = False,
    color: Color = Color.RED,
    mode: Literal["fast", "slow"] = "fast",
    tags: list[str] | None = None,
) -> dict[str, Any]:
    return {"a": a, "b": b, "c": c, "flag": flag, "color": color, "mode": mode, "tags": tags}


@get("/aliases")
def aliases(
    page: Annotated[int, Parameter(query="page-number", ge=1, le=100)] = 1,
    token: Annotated[str, Parameter(header="X-API-Token", min_length=3)] = "none",
    session: Annotated[str | None, Parameter(cookie="session-id")] = None,
) -> dict[str, Any]:
    return {"page": page, "token": token, "session": session}


@get("/constraints")
def constraints(
    gt: Annotated[int, Parameter(gt=0)] = 1,
    lt: Annotated[float, Parameter(lt=1.0)] = 0.5,
    name: Annotated[str, Parameter(max_length=5, pattern="^[a-z]+$")] = "abc",
    multiple: Annotated[int, Parameter(multiple_of=3)] = 3,
    items: Annotated[list[int], Parameter(min_items=2, max_items=3)] = [1, 2],  # noqa: B006
    as_default: int = Parameter(ge=10, default=10),
) -> dict[str, Any]:
    return {"gt": gt, "lt": lt, "name": name, "multiple": multiple, "items": items}


@get("/required")
def required(x: Annotated[int | None, Parameter(required=True)]) -> dict[str, Any]:
    return {"x": x}


@get("/headers")
def headers(
    trace: Annotated[str, Parameter(header="X-Trace-Id")],
    many: Annotated[list[str], Parameter(header="x-many")],
    number: Annotated[int, Parameter(header="x-number")] = 0,
) -> dict[str, Any]:
    return {"trace": trace, "many": many, "number": number}


@get("/cookies")
def cookies(
    session: Annotated[str, Parameter(cookie="session")],
    count: Annotated[int, Parameter(cookie="count", ge=0)] = 0,
) -> dict[str, Any]:
    return {"session": session, "count": count}


@get("/everything/{item_id:int}")
def everything(
    item_id: int,
    q: int,
    h: Annotated[int, Parameter(header="x-h")],
    k: Annotated[int, Parameter(cookie="k")],
) -> None:
    return None


@get("/int-query")
def int_query(n: int) -> int:
    return n


@get("/str-query")
def str_query(value: str, values: list[str] | None = None) -> dict[str, Any]:
    return {"value": value, "values": values}


PARAMS_APP = App(
    [
        item_by_annotation,
        item_by_template,
        uuid_and_date,
        query,
        aliases,
        constraints,
        required,
        headers,
        cookies,
        everything,
        int_query,
        str_query,
    ]
)


@pytest.fixture(scope="module")
def client() -> Any:
    with TestClient(PARAMS_APP) as c:
        yield c


def _errors(response: Any) -> list[dict[str, str]]:
    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert body["status_code"] == 400
    extra: list[dict[str, str]] = body["extra"]
    return extra


# --- path ----------------------------------------------------------------------------------


def test_path_param_type_from_annotation(client: TestClient) -> None:
    assert client.get("/items/12").json() == {"item_id": 12}
    assert client.get("/items/abc").json() == {
        "status_code": 400,
        "detail": "Validation failed for GET /items/abc",
        "extra": [{"key": "item_id", "source": "path", "message": "Expected `int`, got `str`"}],
    }


def test_path_param_type_from_template(client: TestClient) -> None:
    assert client.get("/typed/-4").json() == {"item_id": -4}
    assert _errors(client.get("/typed/1.5"))[0]["key"] == "item_id"


def test_uuid_and_date_path_params(client: TestClient) -> None:
    value = uuid.uuid4()
    response = client.get(f"/uuid/{value}/2024-02-29")
    assert response.json() == {"value": str(value), "day": "2024-02-29", "types": ["UUID"]}
    errors = _errors(client.get("/uuid/nope/2024-13-01"))
    assert [(e["key"], e["source"]) for e in errors] == [("value", "path"), ("day", "path")]


# --- query ---------------------------------------------------------------------------------


def test_query_scalars_lists_optionals_and_defaults(client: TestClient) -> None:
    response = client.get("/query?a=1&a=2")
    assert response.json() == {
        "a": [1, 2],
        "b": None,
        "c": "default",
        "flag": False,
        "color": "red",
        "mode": "fast",
        "tags": None,
    }
    response = client.get("/query?a=3&b=4&c=x&flag=true&color=blue&mode=slow&tags=t1&tags=t2")
    assert response.json() == {
        "a": [3],
        "b": 4,
        "c": "x",
        "flag": True,
        "color": "blue",
        "mode": "slow",
        "tags": ["t1", "t2"],
    }


def test_a_query_scalar_sent_twice_is_a_400(client: TestClient) -> None:
    sent = client.get("/query?a=1&b=1&b=2")
    assert sent.status_code == 400
    assert sent.json()["extra"] == [
        {"key": "b", "source": "query", "message": "Query parameter 'b' takes one value, got 2"}
    ]


def test_missing_required_query_param(client: TestClient) -> None:
    assert _errors(client.get("/query")) == [
        {"key": "a", "source": "query", "message": "Missing required query parameter 'a'"}
    ]


def test_every_invalid_query_param_is_reported(client: TestClient) -> None:
    errors = _errors(client.get("/query?a=x&b=y&flag=maybe&color=green&mode=medium"))
    assert [(e["key"], e["source"]) for e in errors] == [
        ("a", "query"),
        ("b", "query"),
        ("flag", "query"),
        ("color", "query"),
        ("mode", "query"),
    ]
    assert all(e["message"] for e in errors)


def test_blank_query_value_is_kept(client: TestClient) -> None:
    assert client.get("/str-query?value=").json() == {"value": "", "values": None}


def test_parameter_required_overrides_optional_annotation(client: TestClient) -> None:
    assert _errors(client.get("/required"))[0]["message"] == "Missing required query parameter 'x'"
    assert client.get("/required?x=5").json() == {"x": 5}


# --- Parameter aliases and constraints -----------------------------------------------------


def test_parameter_aliases_for_query_header_and_cookie(client: TestClient) -> None:
    response = client.get(
        "/aliases?page-number=7",
        headers={"x-api-token": "secret", "cookie": "session-id=s1"},
    )
    assert response.json() == {"page": 7, "token": "secret", "session": "s1"}
    assert client.get("/aliases").json() == {"page": 1, "token": "none", "session": None}
    assert client.get("/aliases?page=9").json()["page"] == 1  # the python name is not the key


def test_alias_constraints_are_enforced(client: TestClient) -> None:
    errors = _errors(client.get("/aliases?page-number=0", headers={"X-API-Token": "ab"}))
    assert errors == [
        {"key": "page-number", "source": "query", "message": "Expected `int` >= 1"},
        {"key": "x-api-token", "source": "header", "message": "Expected `str` of length >= 3"},
    ]
    assert _errors(client.get("/aliases?page-number=101"))[0]["message"] == "Expected `int` <= 100"


@pytest.mark.parametrize(
    ("query", "key", "message"),
    [
        ("gt=0", "gt", "Expected `int` >= 1"),  # msgspec normalises int gt
        ("lt=1.0", "lt", "Expected `float` < 1.0"),
        ("name=abcdef", "name", "Expected `str` of length <= 5"),
        ("name=ABC", "name", "Expected `str` matching regex '^[a-z]+$'"),
        ("multiple=4", "multiple", "Expected `int` that's a multiple of 3"),
        ("items=1", "items", "Expected `array` of length >= 2"),
        ("items=1&items=2&items=3&items=4", "items", "Expected `array` of length <= 3"),
        ("as_default=9", "as_default", "Expected `int` >= 10"),
    ],
)
def test_constraints(client: TestClient, query: str, key: str, message: str) -> None:
    assert _errors(client.get(f"/constraints?{query}")) == [
        {"key": key, "source": "query", "message": message}
    ]


def test_constraints_accept_valid_values(client: TestClient) -> None:
    response = client.get("/constraints?gt=1&lt=0.9&name=ok&multiple=9&items=4&items=5")
    assert response.json() == {"gt": 1, "lt": 0.9, "name": "ok", "multiple": 9, "items": [4, 5]}


def test_parameter_accepts_only_one_source() -> None:
    with pytest.raises(ImproperlyConfiguredException, match="at most one"):
        Parameter(header="x", query="y")


# --- headers and cookies -------------------------------------------------------------------


def test_headers_are_case_insensitive_and_multi_valued(client: TestClient) -> None:
    response = client.get(
        "/headers",
        headers=[("X-TRACE-ID", "t-1"), ("X-Many", "a"), ("x-many", "b"), ("X-Number", "5")],
    )
    assert response.json() == {"trace": "t-1", "many": ["a", "b"], "number": 5}


def test_missing_and_invalid_headers(client: TestClient) -> None:
    errors = _errors(client.get("/headers", headers={"x-number": "five"}))
    assert errors == [
        {
            "key": "x-trace-id",
            "source": "header",
            "message": "Missing required header parameter 'x-trace-id'",
        },
        {
            "key": "x-many",
            "source": "header",
            "message": "Missing required header parameter 'x-many'",
        },
        {"key": "x-number", "source": "header", "message": "Expected `int`, got `str`"},
    ]


def test_cookies(client: TestClient) -> None:
    assert client.get("/cookies", headers={"cookie": "session=abc; count=3"}).json() == {
        "session": "abc",
        "count": 3,
    }
    errors = _errors(client.get("/cookies", headers={"cookie": "count=-1"}))
    assert errors == [
        {
            "key": "session",
            "source": "cookie",
            "message": "Missing required cookie parameter 'session'",
        },
        {"key": "count", "source": "cookie", "message": "Expected `int` >= 0"},
    ]


def test_every_failing_source_is_reported_at_once(client: TestClient) -> None:
    response = client.get("/everything/x?q=y", headers={"x-h": "z", "cookie": "k=w"})
    assert [(e["key"], e["source"]) for e in _errors(response)] == [
        ("item_id", "path"),
        ("q", "query"),
        ("x-h", "header"),
        ("k", "cookie"),
    ]


# --- properties ----------------------------------------------------------------------------


@settings(max_examples=100, deadline=None)
@given(n=st.integers() | st.integers(min_value=-(2**70), max_value=2**70))
def test_int_params_round_trip(client: TestClient, n: int) -> None:
    assert client.get(f"/typed/{n}").json() == {"item_id": n}
    assert client.get(f"/items/{n}").json() == {"item_id": n}
    assert client.get("/int-query", params={"n": str(n)}).json() == n


@settings(max_examples=50, deadline=None)
@given(x=st.floats(allow_nan=False, allow_infinity=False).filter(lambda x: x != int(x)))
def test_non_integral_numbers_are_rejected_by_int_params(client: TestClient, x: float) -> None:
    assert _errors(client.get(f"/typed/{x}"))[0]["key"] == "item_id"


_any_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)


@settings(max_examples=100, deadline=None)
@given(value=_any_text, values=st.lists(_any_text, max_size=4))
def test_str_query_values_round_trip(client: TestClient, value: str, values: list[str]) -> None:
    params = [("value", value), *(("values", v) for v in values)]
    assert client.get("/str-query", params=params).json() == {
        "value": value,
        "values": values or None,
    }


def _raw_get(path: str, query: bytes, headers: list[tuple[bytes, bytes]]) -> tuple[int, bytes]:
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Any) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "method": "GET",
        "path": path,
        "query_string": query,
        "headers": headers,
    }
    asyncio.run(PARAMS_APP(scope, receive, send))
    assert sent[0]["type"] == "http.response.start"
    return sent[0]["status"], b"".join(m.get("body", b"") for m in sent[1:])


_raw_bytes = st.binary(max_size=60)
_header_name = st.sampled_from([b"x-trace-id", b"x-many", b"x-number", b"x-api-token", b"cookie"])
_path = st.sampled_from(["/query", "/aliases", "/constraints", "/headers", "/cookies", "/required"])


@settings(max_examples=150, deadline=None)
@given(
    path=_path,
    query=_raw_bytes,
    headers=st.lists(st.tuples(_header_name, _raw_bytes), max_size=6),
)
def test_random_query_and_header_bytes_give_200_or_a_4xx_json_body(
    path: str, query: bytes, headers: list[tuple[bytes, bytes]]
) -> None:
    status, body = _raw_get(path, query, headers)
    assert status == 200 or 400 <= status < 500
    if status != 200:
        payload = json.loads(body)
        assert payload["status_code"] == status
        for entry in payload.get("extra", []):
            assert set(entry) == {"key", "source", "message"}
            assert entry["source"] in ("query", "header", "cookie")


@settings(max_examples=100, deadline=None)
@given(values=st.dictionaries(st.sampled_from(["a", "b", "flag", "color", "mode"]), _any_text))
def test_random_query_values_never_crash(client: TestClient, values: dict[str, str]) -> None:
    response = client.get("/query", params=values)
    assert response.status_code in (200, 400)
    body = response.json()
    if response.status_code == 400:
        assert {e["key"] for e in body["extra"]} <= {"a", "b", "flag", "color", "mode"}
    else:
        assert body["a"] == [int(values["a"])]


def test_msgspec_and_parameter_constraints_can_be_combined(client: TestClient) -> None:
    @get("/combined")
    def combined(
        n: Annotated[int, msgspec.Meta(le=5), Parameter(query="num", ge=2)],
    ) -> int:
        return n

    with TestClient(App([combined])) as c:
        assert c.get("/combined?num=3").json() == 3
        assert _errors(c.get("/combined?num=1"))[0]["message"] == "Expected `int` >= 2"
        assert _errors(c.get("/combined?num=6"))[0]["message"] == "Expected `int` <= 5"


class _Property(msgspec.Struct, forbid_unknown_fields=True):
    key: str
    min: int = 0


def _objects_app() -> App:
    @get("/projects")
    def projects(
        properties: Annotated[list[_Property] | None, Parameter(query="properties")] = None,
        labels: list[dict[str, str]] | None = None,
    ) -> dict[str, Any]:
        return {"properties": properties, "labels": labels}

    return App([projects])


def test_a_query_array_of_objects_has_one_json_item_per_occurrence() -> None:
    with TestClient(_objects_app()) as c:
        query = {"properties": ['{"key": "a"}', '{"key": "b", "min": 2}'], "labels": '{"x": "1"}'}
        assert c.get("/projects", params=query).json() == {
            "properties": [{"key": "a", "min": 0}, {"key": "b", "min": 2}],
            "labels": [{"x": "1"}],
        }
        assert c.get("/projects").json() == {"properties": None, "labels": None}


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("{bad", "JSON is malformed: object keys must be strings (byte 1)"),
        ('{"key": 1}', "Expected `str`, got `int`"),  # JSON values are not coerced
        ('{"key": "a", "other": 1}', "Object contains unknown field `other`"),
        ('["a"]', "Expected `object`, got `array`"),
    ],
)
def test_a_bad_query_object_is_400_naming_the_parameter(value: str, message: str) -> None:
    with TestClient(_objects_app()) as c:
        response = c.get("/projects", params={"properties": ['{"key": "ok"}', value]})
        assert _errors(response) == [{"key": "properties", "source": "query", "message": message}]


def test_a_query_array_of_objects_is_documented_as_the_array() -> None:
    parameters = _objects_app().openapi()["paths"]["/projects"]["get"]["parameters"]
    assert [p["schema"] for p in parameters] == [
        {"type": "array", "items": {"$ref": "#/components/schemas/_Property"}},
        {"type": "array", "items": {"type": "object", "additionalProperties": {"type": "string"}}},
    ]


def _item_or_list_app() -> App:
    @get("/channels")
    def channels(by: str | list[str] | None = None, n: int | list[int] = 0) -> dict[str, Any]:
        return {"by": by, "n": n}

    return App([channels])


def test_a_query_value_or_array_is_the_value_once_and_the_array_when_repeated() -> None:
    """`oneOf: [string, array]`: one occurrence is the value, several the array (form style,
    exploded: one occurrence per item)."""
    with TestClient(_item_or_list_app()) as c:
        assert c.get("/channels", params={"by": "a", "n": "2"}).json() == {"by": "a", "n": 2}
        repeated = c.get("/channels", params={"by": ["a", "b"], "n": ["1", "2"]})
        assert repeated.json() == {"by": ["a", "b"], "n": [1, 2]}
        assert c.get("/channels").json() == {"by": None, "n": 0}
        bad = c.get("/channels", params={"n": ["1", "x"]})
        assert bad.status_code == 400
