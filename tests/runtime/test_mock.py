"""Mock mode through the public API: handlers that raise NotImplementedError answer from the
operation the app documents; written handlers answer as written; off, nothing changes."""

from __future__ import annotations

from typing import Any

import jsonschema
import msgspec
import pytest

from specloom.runtime import App, Response, get, post
from specloom.runtime.datastructures import ResponseHeader
from specloom.runtime.openapi.spec import ContentSpec, ResponseSpec
from specloom.runtime.response import File
from specloom.runtime.testing import TestClient


class Pet(msgspec.Struct):
    id: int
    name: str
    tag: str | None = None


class Error(msgspec.Struct):
    status_code: int
    detail: str


CAT = {"id": 1, "name": "Tom", "tag": "cat"}
DOG = {"id": 2, "name": "Rex", "tag": "dog"}


@get(
    "/pets/{pet_id:int}",
    responses={
        200: ResponseSpec(Pet, examples={"cat": CAT, "dog": DOG}),
        404: ResponseSpec(Error, description="No such pet", examples={"gone": {"x": 1}}),
    },
)
async def show_pet(pet_id: int) -> Pet:
    raise NotImplementedError


@get(
    "/pets",
    response_headers=[
        ResponseHeader(name="X-Total", documentation_only=True, schema=int, example=42),
        ResponseHeader(name="X-Next", documentation_only=True),
        ResponseHeader(name="Content-Encoding", documentation_only=True, example="gzip"),
    ],
)
async def list_pets() -> list[Pet]:
    raise NotImplementedError


@post("/pets", status_code=201, responses={201: ResponseSpec(Pet, example=CAT)})
async def create_pet(data: Pet) -> Pet:
    raise NotImplementedError


@get("/written")
async def written() -> Pet:
    return Pet(id=7, name="written")


@get("/text")
async def text() -> str:
    raise NotImplementedError


@get("/photo", media_type="image/png")
async def photo() -> File:
    raise NotImplementedError


@get("/nothing", status_code=204)
async def nothing() -> None:
    raise NotImplementedError


@get(
    "/report",
    responses={200: ResponseSpec(content={"text/csv": str, "application/json": list[Pet]})},
)
async def report() -> Response[Any]:
    raise NotImplementedError


@get(
    "/later",
    responses={200: ResponseSpec(content={"application/json": ContentSpec(int, example=5)})},
)
def later_sync() -> int:  # a synchronous handler is wrapped the same way
    raise NotImplementedError


HANDLERS = [show_pet, list_pets, create_pet, written, text, photo, nothing, report, later_sync]


@pytest.fixture(scope="module")
def client() -> Any:
    with TestClient(App(HANDLERS, mock=True)) as client:
        yield client


def schema_of(app_doc: dict[str, Any], path: str, method: str, status: str) -> dict[str, Any]:
    """The documented response schema, as a document of its own for jsonschema."""
    content = app_doc["paths"][path][method]["responses"][status]["content"]
    schema = content["application/json"]["schema"]
    return {**schema, "$defs": {}, "components": app_doc.get("components", {})}


def valid(app: App, path: str, method: str, status: str, body: Any) -> bool:
    document = app.openapi()
    schema = schema_of(document, path, method, status)
    return jsonschema.Draft202012Validator(schema).is_valid(body)


def test_off_by_default_stubs_answer_501_and_nothing_is_wrapped(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("SPECLOOM_MOCK", raising=False)
    app = App(HANDLERS)
    assert not app.mock
    assert [c.fn for c in app.compiled_handlers] == [h.fn for h in HANDLERS]
    with TestClient(app) as client:
        assert client.get("/pets/1").status_code == 501


def test_the_environment_variable_turns_it_on_at_construction(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SPECLOOM_MOCK", "1")
    app = App(HANDLERS)
    monkeypatch.delenv("SPECLOOM_MOCK")
    assert app.mock
    with TestClient(app) as client:
        assert client.get("/pets/1").status_code == 200
    monkeypatch.setenv("SPECLOOM_MOCK", "1")
    assert not App(HANDLERS, mock=False).mock  # the option wins over the environment


def test_a_written_handler_answers_as_written(client: TestClient) -> None:
    response = client.get("/written")
    assert response.json() == {"id": 7, "name": "written", "tag": None}
    assert "x-specloom-mock" not in response.headers


def test_the_first_documented_example_by_default_and_a_named_one_with_prefer(
    client: TestClient,
) -> None:
    response = client.get("/pets/1")
    assert (response.status_code, response.json()) == (200, CAT)
    assert response.headers["x-specloom-mock"] == "example=cat"
    dog = client.get("/pets/1", headers={"Prefer": "example=dog"})
    assert (dog.status_code, dog.json()) == (200, DOG)


def test_a_named_example_of_another_response_selects_its_status(client: TestClient) -> None:
    response = client.get("/pets/1", headers={"Prefer": "example=gone"})
    assert (response.status_code, response.json()) == (404, {"x": 1})


def test_an_unknown_example_is_a_clear_400(client: TestClient) -> None:
    response = client.get("/pets/1", headers={"Prefer": "code=200, example=bird"})
    assert response.status_code == 400
    assert response.json()["detail"] == (
        "Prefer: example=bird: no such example (documented: cat, dog)"
    )


def test_the_singular_example(client: TestClient) -> None:
    response = client.post("/pets", json=DOG)
    assert (response.status_code, response.json()) == (201, CAT)
    assert response.headers["x-specloom-mock"] == "example"


def test_prefer_code_picks_a_documented_response(client: TestClient) -> None:
    response = client.get("/pets/1", headers={"Prefer": "code=400"})  # the runtime's own 400
    assert response.status_code == 400
    assert valid(client.app, "/pets/{pet_id}", "get", "400", response.json())
    assert response.headers["x-specloom-mock"] == "schema"


@pytest.mark.parametrize("code", ["418", "299", "abc"])
def test_an_undocumented_code_is_a_clear_400(client: TestClient, code: str) -> None:
    response = client.get("/pets/1", headers={"Prefer": f"code={code}"})
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/json"
    assert f"code={code}" in response.json()["detail"]
    if code.isdigit():
        assert response.json()["detail"].endswith("(documented: 200, 400, 404)")


def test_a_generated_body_is_deterministic_and_valid(client: TestClient) -> None:
    first, second = client.get("/pets"), client.get("/pets")
    assert first.status_code == 200
    assert first.json() == second.json()
    assert first.json() and valid(client.app, "/pets", "get", "200", first.json())


def test_dynamic_generates_a_new_valid_body_each_time(client: TestClient) -> None:
    bodies = [client.get("/pets", headers={"Prefer": "dynamic=true"}).json() for _ in range(8)]
    assert all(valid(client.app, "/pets", "get", "200", body) for body in bodies)
    assert len({msgspec.json.encode(body) for body in bodies}) > 1


def test_dynamic_skips_the_examples(client: TestClient) -> None:
    response = client.get("/pets/1", headers={"Prefer": "dynamic=true"})
    assert response.headers["x-specloom-mock"] == "schema"
    assert valid(client.app, "/pets/{pet_id}", "get", "200", response.json())


def test_documented_headers_are_sent_from_their_example_or_schema(client: TestClient) -> None:
    response = client.get("/pets")
    assert response.headers["x-total"] == "42"
    assert response.headers["x-next"]  # a string made from its schema
    assert "content-encoding" not in response.headers  # the body decides, not an example


def test_text_binary_and_empty_media(client: TestClient) -> None:
    text_response = client.get("/text")
    assert text_response.headers["content-type"].startswith("text/plain")
    assert text_response.text
    png = client.get("/photo")
    assert (png.status_code, png.headers["content-type"]) == (200, "image/png")
    assert png.content
    empty = client.get("/nothing")
    assert (empty.status_code, empty.content) == (204, b"")
    assert "content-type" not in empty.headers


def test_the_media_type_follows_accept_json_first(client: TestClient) -> None:
    assert client.get("/report").headers["content-type"] == "application/json"
    csv = client.get("/report", headers={"Accept": "text/csv"})
    assert csv.headers["content-type"] == "text/csv; charset=utf-8"


def test_a_synchronous_stub_and_a_content_example(client: TestClient) -> None:
    response = client.get("/later")
    assert (response.status_code, response.json()) == (200, 5)


def test_head_answers_without_a_body(client: TestClient) -> None:
    response = client.head("/pets")
    assert response.status_code == 200
    assert response.content == b""


def test_request_validation_still_answers_first(client: TestClient) -> None:
    assert client.get("/pets/not-a-number").status_code in (400, 404)
    assert client.post("/pets", json={"name": 3}).status_code == 400


@get(
    "/defect",
    responses={200: ResponseSpec(Pet, examples={"text": '{"id": 1}', "fine": CAT})},
)
async def defect() -> Pet:
    raise NotImplementedError


def test_an_example_that_contradicts_its_schema_is_logged_and_not_sent_by_default(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with TestClient(App([defect], mock=True)) as client:
        with caplog.at_level("WARNING", logger="specloom.runtime"):
            response = client.get("/defect")
            client.get("/defect")
        assert (response.json(), response.headers["x-specloom-mock"]) == (CAT, "example=fine")
        warnings = [r.getMessage() for r in caplog.records if "does not fit" in r.getMessage()]
        assert warnings == [
            "mock: defect: the example=text does not fit its schema at /: "
            "'{\"id\": 1}' does not fit {type: 'object'}: not sent by default"
        ]
        named = client.get("/defect", headers={"Prefer": "example=text"})
        assert named.json() == '{"id": 1}'  # named: sent as written
