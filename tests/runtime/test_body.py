"""Request bodies: `data: T` from JSON or MessagePack, validation errors, 415 and size limits."""

from __future__ import annotations

import asyncio
import base64
import dataclasses
import json
import re
from typing import Annotated, Any, TypedDict

import msgspec
import pydantic
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from specloom.runtime import App, get, post, put
from specloom.runtime.params import Body, Parameter
from specloom.runtime.testing import TestClient


class ItemStruct(msgspec.Struct):
    name: str
    qty: int = 1


@dataclasses.dataclass
class ItemDataclass:
    name: str
    qty: int = 1


class ItemTypedDict(TypedDict):
    name: str
    qty: int


class ItemModel(pydantic.BaseModel):
    name: str
    qty: int = pydantic.Field(default=1, ge=0)


class Order(msgspec.Struct):
    items: list[ItemStruct]
    note: str | None = None


@post("/struct")
def struct_body(data: ItemStruct) -> dict[str, Any]:
    return {"type": type(data).__name__, "name": data.name, "qty": data.qty}


@post("/dataclass")
def dataclass_body(data: ItemDataclass) -> dict[str, Any]:
    return {"type": type(data).__name__, "name": data.name, "qty": data.qty}


@post("/typeddict")
def typeddict_body(data: ItemTypedDict) -> dict[str, Any]:
    return {"type": type(data).__name__, "name": data["name"], "qty": data["qty"]}


@post("/pydantic")
def pydantic_body(data: ItemModel) -> dict[str, Any]:
    return {"type": type(data).__name__, "name": data.name, "qty": data.qty}


@post("/list")
def list_body(data: list[int]) -> dict[str, Any]:
    return {"type": type(data).__name__, "sum": sum(data)}


@post("/dict")
def dict_body(data: dict[str, float]) -> dict[str, Any]:
    return {"type": type(data).__name__, "keys": sorted(data)}


@post("/nested")
def nested_body(data: Order) -> int:
    return sum(item.qty for item in data.items)


@post("/optional")
def optional_body(data: ItemStruct | None = None) -> str:
    return "none" if data is None else data.name


@post("/raw-bytes")
def raw_bytes(data: bytes) -> int:
    return len(data)


@post("/small", request_max_body_size=16)
def small_body(data: dict[str, Any]) -> dict[str, Any]:
    return data


@put("/echo")
def echo(data: Any) -> Any:
    return data


BODY_APP = App(
    [
        struct_body,
        dataclass_body,
        typeddict_body,
        pydantic_body,
        list_body,
        dict_body,
        nested_body,
        optional_body,
        raw_bytes,
        small_body,
        echo,
    ]
)

JSON = {"content-type": "application/json"}
MSGPACK = {"content-type": "application/x-msgpack"}
MODEL_PATHS = ["/struct", "/dataclass", "/typeddict", "/pydantic"]
MODEL_TYPES = {
    "/struct": "ItemStruct",
    "/dataclass": "ItemDataclass",
    "/typeddict": "dict",
    "/pydantic": "ItemModel",
}


@pytest.fixture(scope="module")
def client() -> Any:
    with TestClient(BODY_APP) as c:
        yield c


def _errors(response: Any) -> list[dict[str, str]]:
    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == "application/json"
    extra: list[dict[str, str]] = response.json()["extra"]
    return extra


@pytest.mark.parametrize("path", MODEL_PATHS)
def test_json_body_into_model_types(client: TestClient, path: str) -> None:
    response = client.post(path, json={"name": "bolt", "qty": 3})
    assert response.status_code == 201
    assert response.json() == {"type": MODEL_TYPES[path], "name": "bolt", "qty": 3}


@pytest.mark.parametrize("path", MODEL_PATHS)
@pytest.mark.parametrize(
    "content_type", ["application/x-msgpack", "application/msgpack", "application/vnd.msgpack"]
)
def test_msgpack_body_into_model_types(client: TestClient, path: str, content_type: str) -> None:
    body = msgspec.msgpack.encode({"name": "nut", "qty": 5})
    response = client.post(path, content=body, headers={"content-type": content_type})
    assert response.status_code == 201, response.text
    assert response.json() == {"type": MODEL_TYPES[path], "name": "nut", "qty": 5}


@pytest.mark.parametrize("path", MODEL_PATHS)
def test_invalid_field_is_400_naming_the_field(client: TestClient, path: str) -> None:
    errors = _errors(client.post(path, json={"name": 1, "qty": 2}))
    assert errors[0]["key"] == "name"
    assert errors[0]["source"] == "body"
    assert errors[0]["message"]


@pytest.mark.parametrize("path", MODEL_PATHS)
def test_malformed_json_is_400(client: TestClient, path: str) -> None:
    response = client.post(path, content=b'{"name": ', headers={"content-type": "application/json"})
    errors = _errors(response)
    assert errors[0]["key"] == "data" and errors[0]["source"] == "body"
    assert "malformed" in errors[0]["message"].lower() or "truncated" in errors[0]["message"]


@pytest.mark.parametrize("path", MODEL_PATHS)
def test_malformed_msgpack_is_400(client: TestClient, path: str) -> None:
    errors = _errors(client.post(path, content=b"\xc1", headers=MSGPACK))
    assert errors[0]["source"] == "body"


@pytest.mark.parametrize("path", MODEL_PATHS)
def test_wrong_content_type_is_415_json(client: TestClient, path: str) -> None:
    response = client.post(path, content=b"name=x", headers={"content-type": "text/plain"})
    assert response.status_code == 415
    assert response.headers["content-type"] == "application/json"
    assert response.json()["status_code"] == 415
    assert "text/plain" in response.json()["detail"]


@pytest.mark.parametrize("path", MODEL_PATHS)
def test_missing_body_is_400(client: TestClient, path: str) -> None:
    assert _errors(client.post(path)) == [
        {"key": "data", "source": "body", "message": "Request body is required"}
    ]


def test_json_content_type_with_charset_and_suffix(client: TestClient) -> None:
    for content_type in ("application/json; charset=utf-8", "application/vnd.api+json"):
        response = client.post(
            "/struct", content=b'{"name":"a"}', headers={"content-type": content_type}
        )
        assert response.status_code == 201, content_type
        assert response.json()["qty"] == 1


def test_pydantic_constraints_are_validated(client: TestClient) -> None:
    errors = _errors(client.post("/pydantic", json={"name": "x", "qty": -1}))
    assert errors[0]["key"] == "qty"


def test_list_and_dict_bodies(client: TestClient) -> None:
    assert client.post("/list", json=[1, 2, 3]).json() == {"type": "list", "sum": 6}
    assert client.post("/dict", json={"b": 1, "a": 2.5}).json() == {
        "type": "dict",
        "keys": ["a", "b"],
    }
    assert _errors(client.post("/list", json=[1, "x"]))[0]["source"] == "body"
    assert _errors(client.post("/dict", json={"a": "x"}))[0]["source"] == "body"


def test_nested_error_names_the_nested_path(client: TestClient) -> None:
    errors = _errors(client.post("/nested", json={"items": [{"name": "a"}, {"name": 2}]}))
    assert errors == [
        {
            "key": "items[1].name",
            "source": "body",
            "message": "Expected `str`, got `int`",
            "pointer": "/items/1/name",
        }
    ]
    assert client.post("/nested", json={"items": [{"name": "a", "qty": 4}]}).json() == 4


def test_optional_body_may_be_absent(client: TestClient) -> None:
    assert client.post("/optional").text == "none"
    assert client.post("/optional", json={"name": "given"}).text == "given"


def test_bytes_body_is_raw(client: TestClient) -> None:
    response = client.post("/raw-bytes", content=b"\x00\x01\x02", headers={"content-type": "x/y"})
    assert response.json() == 3


def test_invalid_params_and_body_are_reported_together() -> None:
    @post("/both/{n:int}")
    def both(n: int, data: ItemStruct) -> None:
        return None

    with TestClient(App([both])) as c:
        errors = _errors(c.post("/both/x", json={"name": None}))
    assert [(e["key"], e["source"]) for e in errors] == [("n", "path"), ("name", "body")]


# --- size limits ---------------------------------------------------------------------------


def test_body_over_default_limit_is_413(client: TestClient) -> None:
    big = b"[" + b"1," * (5 * 1024 * 1024) + b"1]"  # > 10 MiB
    response = client.put("/echo", content=big, headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/json"
    assert response.json()["status_code"] == 413


def test_body_under_default_limit_is_accepted(client: TestClient) -> None:
    payload = "x" * (1024 * 1024)
    assert client.put("/echo", json=payload).json() == payload


def test_body_over_handler_limit_is_413(client: TestClient) -> None:
    assert client.post("/small", json={"k": "v" * 4}).status_code == 201
    response = client.post("/small", json={"k": "v" * 20})
    assert response.status_code == 413
    assert response.json()["status_code"] == 413


def _raw_post(
    app: App, path: str, chunks: list[bytes], headers: list[tuple[bytes, bytes]]
) -> tuple[list[dict[str, Any]], int]:
    """POST `chunks` as separate http.request messages; returns what was sent and how many
    messages the app read."""
    read = 0
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        nonlocal read
        if read >= len(chunks):
            return {"type": "http.disconnect"}
        read += 1
        return {"type": "http.request", "body": chunks[read - 1], "more_body": read < len(chunks)}

    async def send(message: Any) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "method": "POST",
        "path": path,
        "headers": headers,
        "query_string": b"",
    }
    asyncio.run(app(scope, receive, send))
    return sent, read


def test_streamed_body_without_content_length_stops_reading_at_the_limit() -> None:
    chunks = [b'{"k":"', b"aaaaa", b"aaaaa", b"aaaaa", b"aaaaa", b'"}']
    sent, read = _raw_post(BODY_APP, "/small", chunks, [(b"content-type", b"application/json")])
    assert sent[0]["status"] == 413
    assert (b"content-type", b"application/json") in sent[0]["headers"]
    assert json.loads(sent[1]["body"])["status_code"] == 413
    # the limit is 16 bytes: 6 + 5 + 5 fit, the 4th chunk crosses it; the rest is never read
    assert read == 4 < len(chunks)


def test_streamed_body_within_the_limit_is_assembled() -> None:
    chunks = [b'{"k":', b'"v"', b"}"]
    sent, read = _raw_post(BODY_APP, "/small", chunks, [(b"content-type", b"application/json")])
    assert read == 3
    assert sent[0]["status"] == 201
    assert json.loads(sent[1]["body"]) == {"k": "v"}


def test_declared_content_length_over_the_limit_is_refused_before_reading() -> None:
    headers = [(b"content-type", b"application/json"), (b"content-length", b"1000")]
    sent, read = _raw_post(BODY_APP, "/small", [b"x" * 1000], headers)
    assert sent[0]["status"] == 413
    assert read == 0


def test_invalid_content_length_is_400() -> None:
    headers = [(b"content-type", b"application/json"), (b"content-length", b"abc")]
    sent, _ = _raw_post(BODY_APP, "/small", [b"{}"], headers)
    assert sent[0]["status"] == 400


# --- properties ----------------------------------------------------------------------------

_json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.text(max_size=10),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=5), children, max_size=4),
    max_leaves=20,
)


@settings(max_examples=75, deadline=None)
@given(value=_json_values, as_msgpack=st.booleans())
def test_any_body_round_trips(client: TestClient, value: Any, as_msgpack: bool) -> None:
    if as_msgpack:
        response = client.put("/echo", content=msgspec.msgpack.encode(value), headers=MSGPACK)
    else:  # a JSON null is sent as `null` (httpx sends no body at all for json=None)
        response = client.put("/echo", content=msgspec.json.encode(value), headers=JSON)
    assert response.status_code == 200
    assert response.json() == value


@settings(max_examples=100, deadline=None)
@given(
    body=st.binary(max_size=64),
    content_type=st.sampled_from(
        ["application/json", "application/x-msgpack", "text/plain", "", "application/xml"]
    ),
)
def test_random_bodies_give_201_or_a_4xx_json_body(
    client: TestClient, body: bytes, content_type: str
) -> None:
    headers = {"content-type": content_type} if content_type else {}
    response = client.post("/struct", content=body, headers=headers)
    assert response.status_code in (201, 400, 415)
    payload = response.json()
    if response.status_code != 201:
        assert payload["status_code"] == response.status_code


def test_every_invalid_pydantic_field_is_reported(client: TestClient) -> None:
    errors = _errors(client.post("/pydantic", json={"name": 1, "qty": "x"}))
    assert [(e["key"], e["source"]) for e in errors] == [("name", "body"), ("qty", "body")]


@pytest.mark.parametrize("path", ["/struct", "/dataclass", "/typeddict"])
def test_every_invalid_msgspec_body_field_is_reported(client: TestClient, path: str) -> None:
    errors = _errors(client.post(path, json={"name": 1, "qty": "x"}))
    assert [(e["key"], e["source"]) for e in errors] == [("name", "body"), ("qty", "body")]
    missing = _errors(client.post(path, json={}))
    assert "name" in [e["key"] for e in missing]


def test_declared_media_types_are_exactly_what_is_accepted_and_documented() -> None:
    @post("/only-json")
    async def only_json(
        data: Annotated[dict[str, int], Body(media_types=["application/json"])],
    ) -> dict[str, int]:
        return data

    @post("/form-or-json")
    async def form_or_json(
        data: Annotated[
            dict[str, str],
            Body(media_types=["application/x-www-form-urlencoded", "application/json"]),
        ],
    ) -> dict[str, str]:
        return data

    app = App([only_json, form_or_json])
    with TestClient(app) as client:
        assert client.post("/only-json", json={"a": 1}).json() == {"a": 1}
        packed = client.post(
            "/only-json",
            content=msgspec.msgpack.encode({"a": 1}),
            headers={"content-type": "application/x-msgpack"},
        )
        assert packed.status_code == 415
        assert client.post("/form-or-json", data={"a": "b"}).json() == {"a": "b"}
        assert client.post("/form-or-json", json={"a": "c"}).json() == {"a": "c"}
    paths = app.openapi()["paths"]
    assert list(paths["/only-json"]["post"]["requestBody"]["content"]) == ["application/json"]
    assert list(paths["/form-or-json"]["post"]["requestBody"]["content"]) == [
        "application/x-www-form-urlencoded",
        "application/json",
    ]


def test_path_parameter_alias() -> None:
    @get("/pets/{petId}")
    async def show(pet_id: Annotated[int, Parameter(path="petId", description="The id")]) -> int:
        return pet_id

    app = App([show])
    with TestClient(app) as client:
        assert client.get("/pets/7").json() == 7
        error = client.get("/pets/x").json()["extra"][0]
    assert (error["key"], error["source"]) == ("petId", "path")
    (parameter,) = app.openapi()["paths"]["/pets/{petId}"]["get"]["parameters"]
    assert parameter["name"] == "petId"
    assert parameter["description"] == "The id"
    assert parameter["schema"] == {"type": "integer"}


# -- multipart forms ---------------------------------------------------------------------------


class _Upload(msgspec.Struct):
    file: bytes
    note: str | None = None
    count: int = 0
    tags: list[str] = []
    attachments: list[bytes] = []


def _upload_app() -> App:
    @post("/declared")
    async def declared(
        data: Annotated[_Upload, Body(media_types=["multipart/form-data"])],
    ) -> dict[str, Any]:
        return {
            "file": list(data.file),
            "note": data.note,
            "count": data.count,
            "tags": data.tags,
            "attachments": [len(item) for item in data.attachments],
        }

    @post("/litestar-style")
    async def litestar_style(
        data: Annotated[_Upload, Body(media_type="multipart/form-data")],
    ) -> int:
        return len(data.file)

    return App([declared, litestar_style])


def test_multipart_form_into_a_model_files_as_bytes() -> None:
    # every byte value, CR/LF and something that looks like a boundary inside the file
    blob = bytes(range(256)) + b"\r\n--boundary\r\n"
    with TestClient(_upload_app()) as client:
        response = client.post(
            "/declared",
            files=[
                ("file", ("a.bin", blob, "application/octet-stream")),
                ("attachments", ("b.txt", b"12", "text/plain")),
                ("attachments", ("c.txt", b"345", "text/plain")),
            ],
            data={"note": "héllo", "count": "3", "tags": ["a", "b"]},
        )
        assert response.status_code == 201, response.text
        assert response.json() == {
            "file": list(blob),
            "note": "héllo",
            "count": 3,
            "tags": ["a", "b"],
            "attachments": [2, 3],
        }
        litestar = client.post("/litestar-style", files={"file": ("a", b"abc")})
        assert litestar.status_code == 201 and litestar.json() == 3


@pytest.mark.parametrize(
    ("kwargs", "key"),
    [
        ({"data": {"note": "x"}, "files": {"other": ("b", b"1")}}, "file"),  # required field
        ({"data": {"count": "many"}, "files": {"file": ("a", b"1")}}, "count"),  # bad type
        (  # no boundary
            {"content": b"--x\r\n", "headers": {"content-type": "multipart/form-data"}},
            "data",
        ),
        (  # a part without a name
            {
                "content": b"--b\r\nContent-Disposition: form-data\r\n\r\nv\r\n--b--\r\n",
                "headers": {"content-type": "multipart/form-data; boundary=b"},
            },
            "data",
        ),
    ],
)
def test_bad_multipart_bodies_are_400_naming_what(kwargs: dict[str, Any], key: str) -> None:
    with TestClient(_upload_app()) as client:
        response = client.post("/declared", **kwargs)
        assert response.status_code == 400, response.text
        assert [entry["key"] for entry in response.json()["extra"]] == [key]


_FILE_PART = b'Content-Disposition: form-data; name="file"; filename="a"\r\n\r\nab\r\n'


@pytest.mark.parametrize(
    ("content", "status", "answer"),
    [
        # a preamble before the first boundary and an epilogue after the last are ignored
        (b"ignored\r\n--b\r\n" + _FILE_PART + b"--b--\r\nignored", 201, [97, 98]),
        (b"--b\r\n" + _FILE_PART, 400, None),  # no closing boundary: a truncated body
        (  # a charset no codec reads
            b'--b\r\nContent-Disposition: form-data; name="note"\r\n'
            b"Content-Type: text/plain; charset=nonesuch\r\n\r\nx\r\n--b\r\n"
            + _FILE_PART
            + b"--b--\r\n",
            400,
            None,
        ),
    ],
)
def test_multipart_edge_cases(content: bytes, status: int, answer: list[int] | None) -> None:
    headers = {"content-type": "multipart/form-data; boundary=b"}
    with TestClient(_upload_app()) as client:
        response = client.post("/declared", content=content, headers=headers)
        assert response.status_code == status, response.text
        if answer is not None:
            assert response.json()["file"] == answer


def test_multipart_bodies_are_documented_with_their_model_files_as_binary() -> None:
    document = _upload_app().openapi()
    body = document["paths"]["/declared"]["post"]["requestBody"]
    assert list(body["content"]) == ["multipart/form-data"]
    schema = body["content"]["multipart/form-data"]["schema"]
    # the model, inlined: its bytes fields are binary parts, not JSON's base64 text
    assert schema["required"] == ["file"]
    assert schema["properties"]["file"] == {"type": "string", "format": "binary"}
    assert schema["properties"]["attachments"]["items"] == {"type": "string", "format": "binary"}
    assert schema["properties"]["count"]["type"] == "integer"
    # the component keeps JSON's encoding where it is used as JSON
    component = document["components"]["schemas"]["_Upload"]["properties"]["file"]
    assert component["contentEncoding"] == "base64"


def _parts_app() -> App:
    @put("/columns")
    async def columns(
        data: Annotated[
            list[int] | None, Body(media_types=["application/json", "multipart/form-data"])
        ] = None,
    ) -> list[int] | None:
        return data

    @post("/blobs")
    async def blobs(data: Annotated[list[bytes], Body(media_type="multipart/form-data")]) -> Any:
        return [list(blob) for blob in data]

    return App([columns, blobs])


def test_a_multipart_array_body_has_one_item_per_part_in_order() -> None:
    with TestClient(_parts_app()) as client:
        # whatever the parts' names, files or not: text converted to the item type
        parts = [("b", (None, "2")), ("a", (None, "1")), ("b", ("f.txt", b"3", "text/plain"))]
        assert client.put("/columns", files=parts).json() == [2, 1, 3]
        assert client.put("/columns", json=[4]).json() == [4]  # JSON as well, as declared
        # `bytes` items keep each part's raw bytes, files or text
        blob = b"\x00\xff\r\n--boundary"
        answer = client.post("/blobs", files=[("x", ("a", blob)), ("y", (None, "hi"))])
        assert answer.status_code == 201, answer.text
        assert answer.json() == [list(blob), list(b"hi")]


def test_a_bad_multipart_array_body_is_400_naming_the_item() -> None:
    with TestClient(_parts_app()) as client:
        response = client.put("/columns", files=[("c", (None, "1")), ("c", (None, "x"))])
        assert response.status_code == 400
        assert response.json()["extra"] == [
            {
                "key": "[1]",
                "source": "body",
                "message": "Expected `int`, got `str`",
                "pointer": "/1",
            }
        ]
        nameless = client.put(
            "/columns",
            content=b"--b\r\nContent-Disposition: form-data\r\n\r\n1\r\n--b--\r\n",
            headers={"content-type": "multipart/form-data; boundary=b"},
        )
        assert nameless.status_code == 400
        assert [entry["key"] for entry in nameless.json()["extra"]] == ["data"]


def test_a_multipart_array_body_is_documented_as_the_array() -> None:
    paths = _parts_app().openapi()["paths"]
    content = paths["/columns"]["put"]["requestBody"]["content"]
    array = {"type": "array", "items": {"type": "integer"}}
    assert content == {
        "application/json": {"schema": array},
        "multipart/form-data": {"schema": array},
    }
    blobs = paths["/blobs"]["post"]["requestBody"]["content"]["multipart/form-data"]["schema"]
    assert blobs == {"type": "array", "items": {"type": "string", "format": "binary"}}


# -- XML ---------------------------------------------------------------------------------------


class _XTag(msgspec.Struct):
    id: int
    label: str | None = None


class _XPet(msgspec.Struct):
    name: str
    id: Annotated[int, msgspec.Meta(extra_json_schema={"xml": {"attribute": True}})] = 0
    photo_urls: Annotated[
        list[Annotated[str, msgspec.Meta(extra_json_schema={"xml": {"name": "photoUrl"}})]],
        msgspec.Meta(extra_json_schema={"xml": {"wrapped": True, "name": "photoUrls"}}),
    ] = []
    tags: list[_XTag] = []  # not wrapped: <tags> repeats
    nickname: str | msgspec.UnsetType = msgspec.UNSET


def _xml_app() -> App:
    @post("/pets")
    async def add(
        data: Annotated[_XPet, Body(media_types=["application/json", "application/xml"])],
    ) -> _XPet:
        return data

    return App([add])


def _post_xml(client: TestClient, document: bytes) -> Any:
    return client.post("/pets", content=document, headers={"content-type": "application/xml"})


def test_xml_body_by_the_openapi_xml_rules() -> None:
    document = (
        b'<?xml version="1.0"?><pet xmlns="urn:pets" id="7"><name>Rex</name>'
        b"<photoUrls><photoUrl>a</photoUrl><photoUrl>b</photoUrl></photoUrls>"
        b"<tags><id>1</id><label>good</label></tags><tags><id>2</id></tags>"
        b"<nickname/></pet>"
    )
    with TestClient(_xml_app()) as client:
        response = _post_xml(client, document)
        assert response.status_code == 201, response.text
        assert response.json() == {
            "name": "Rex",
            "id": 7,
            "photo_urls": ["a", "b"],
            "tags": [{"id": 1, "label": "good"}, {"id": 2, "label": None}],
            "nickname": "",
        }


@pytest.mark.parametrize(
    ("document", "keys"),
    [
        (b'<pet id="x"><name>Rex</name></pet>', ["id"]),  # a bad attribute value
        (b"<pet><tags><id>one</id></tags></pet>", ["name", "tags"]),  # every failing field
        (b"<pet><name>Rex", ["data"]),  # malformed
        (  # no entity is ever expanded: declarations are refused before parsing
            b'<!DOCTYPE pet [<!ENTITY boom "x">]><pet><name>&boom;</name></pet>',
            ["data"],
        ),
        (b'<!DOCTYPE pet SYSTEM "file:///etc/passwd"><pet/>', ["data"]),
        (  # the declaration is met by the parser, whatever the document's encoding
            '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE pet [<!ENTITY boom "x">]>'
            "<pet><name>&boom;</name></pet>".encode("utf-16"),
            ["data"],
        ),
        (
            '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE pet SYSTEM "file:///etc/passwd">'
            "<pet/>".encode("utf-16"),
            ["data"],
        ),
    ],
)
def test_bad_xml_bodies_are_400_naming_what(document: bytes, keys: list[str]) -> None:
    with TestClient(_xml_app()) as client:
        response = _post_xml(client, document)
        assert response.status_code == 400, response.text
        fields = [re.split(r"[.\[]", entry["key"])[0] for entry in response.json()["extra"]]
        assert fields == keys


def test_xml_is_accepted_only_where_declared_and_documented() -> None:
    app = _xml_app()
    body = app.openapi()["paths"]["/pets"]["post"]["requestBody"]
    assert list(body["content"]) == ["application/json", "application/xml"]
    with TestClient(app) as client:
        response = client.post("/pets", content=b"<pet/>", headers={"content-type": "text/xml"})
        assert response.status_code == 415


# what XML 1.0 can carry as text (no controls, surrogates or U+FFFE/U+FFFF)
_XML_CHARS = st.characters(
    codec="utf-8", exclude_categories=["Cs", "Cc"], exclude_characters="\ufffe\uffff"
)


@settings(max_examples=60, deadline=None)
@given(st.text(_XML_CHARS, min_size=1), st.integers(0, 10**6), st.lists(st.text(_XML_CHARS)))
def test_any_xml_pet_round_trips(name: str, pet_id: int, urls: list[str]) -> None:
    from xml.sax.saxutils import escape, quoteattr

    photos = "".join(f"<photoUrl>{escape(url)}</photoUrl>" for url in urls)
    document = (
        f"<pet id={quoteattr(str(pet_id))}><name>{escape(name)}</name>"
        f"<photoUrls>{photos}</photoUrls></pet>"
    ).encode()
    with TestClient(_xml_app()) as client:
        response = _post_xml(client, document)
    assert response.status_code == 201, response.text
    decoded = response.json()
    # XML keeps text as written except that an empty element reads as the empty string
    assert (decoded["name"], decoded["id"], decoded["photo_urls"]) == (name, pet_id, urls)


def test_a_str_body_is_a_json_string_under_json_and_the_text_under_text() -> None:
    @post("/notes")
    async def note(
        data: Annotated[str, Body(media_types=["application/json", "text/plain"])],
    ) -> str:
        return f"<{data}>"

    with TestClient(App([note])) as client:
        for content_type, body in [
            ("application/json", b'"a \\u00e9"'),
            ("text/plain", b"a \xc3\xa9"),
        ]:
            answer = client.post("/notes", content=body, headers={"content-type": content_type})
            assert answer.text == "<a é>", content_type
        bad = client.post("/notes", content=b"a", headers={"content-type": "application/json"})
        assert bad.status_code == 400
        other = client.post("/notes", content=b"a", headers={"content-type": "text/html"})
        assert other.status_code == 415


def test_a_declared_media_range_takes_what_it_covers() -> None:
    """`*/*` (Jira's columns bodies) and `image/*` accept the types they cover, decoded as
    those types are; what they do not cover is a 415."""

    @put("/columns")
    async def columns(
        data: Annotated[list[str], Body(media_types=["*/*", "multipart/form-data"])],
    ) -> list[str]:
        return data

    @post("/images")
    async def images(data: Annotated[bytes, Body(media_types=["image/*"])]) -> int:
        return len(data)

    with TestClient(App([columns, images])) as client:
        assert client.put("/columns", json=["a", "b"]).json() == ["a", "b"]
        no_type = client.put("/columns", content=b'["c"]', headers={"content-type": ""})
        assert no_type.status_code == 415  # none sent, two declared: nothing says which
        parts = [("columns", (None, "x")), ("columns", (None, "y"))]
        assert client.put("/columns", files=parts).json() == ["x", "y"]
        png = client.post("/images", content=b"\x89PNG", headers={"content-type": "image/png"})
        assert png.json() == 4
        text = client.post("/images", content=b"hi", headers={"content-type": "text/plain"})
        assert text.status_code == 415


def test_bytes_under_a_declared_json_media_type_are_base64_text() -> None:
    """JSON holds octets only as base64 text: a `bytes` body or return value under a declared
    JSON media type is a JSON string, read and sent as such and documented so; under other
    media types (and without declared ones) bytes stay raw octets."""

    @post("/blob", status_code=200, media_types=["application/json"])
    async def blob(
        data: Annotated[bytes, Body(media_types=["application/json", "application/octet-stream"])],
    ) -> bytes:
        return data[::-1]

    app = App([blob])
    with TestClient(app) as client:
        sent = client.post("/blob", json=base64.b64encode(b"\x00\x01\x02").decode())
        assert sent.json() == base64.b64encode(b"\x02\x01\x00").decode()
        raw = client.post(
            "/blob", content=b"\x07\x08", headers={"content-type": "application/octet-stream"}
        )
        assert raw.json() == base64.b64encode(b"\x08\x07").decode()
        bad = {"content-type": "application/json"}
        assert client.post("/blob", content=b'"not base64!"', headers=bad).status_code == 400
    operation = app.openapi()["paths"]["/blob"]["post"]
    text = {"type": "string", "contentEncoding": "base64"}
    assert operation["requestBody"]["content"] == {
        "application/json": {"schema": text},
        "application/octet-stream": {"schema": {"type": "string", "format": "binary"}},
    }
    assert operation["responses"]["200"]["content"] == {"application/json": {"schema": text}}
