"""Response validation through the public API: each kind of mismatch (status, media type,
headers, body), off / log / strict / debug, what is logged, and what is never checked."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Iterator
from typing import Any

import msgspec
import pytest

from specloom.runtime import App, Response, get, post
from specloom.runtime.background_tasks import BackgroundTask
from specloom.runtime.compile import CompiledHandler
from specloom.runtime.datastructures import ResponseHeader
from specloom.runtime.exceptions import HTTPException, NotFoundException
from specloom.runtime.openapi.spec import ResponseSpec
from specloom.runtime.response import Stream
from specloom.runtime.response_validation import ENVIRONMENT_VARIABLE, Mismatch, validation_mode
from specloom.runtime.testing import TestClient

LOGGER = "specloom.runtime.validation"
PETS_SCHEMA = "#/paths/~1pets/get/responses/200/content/application~1json/schema"


class Pet(msgspec.Struct):
    id: int
    name: str


class Page(msgspec.Struct):
    items: list[Pet]
    total: int


class Problem(msgspec.Struct):
    code: int
    message: str


@get("/pets", operation_id="listPets")
async def list_pets(bad: str | None = None) -> Page:
    if bad == "name":
        return {"items": [{"id": 1, "name": "Tom"}, {"id": 2, "name": 5}], "total": 2}  # type: ignore[return-value]
    if bad == "total":
        return {"items": []}  # type: ignore[return-value]
    if bad == "status":
        return Response(Page(items=[], total=0), status_code=418)  # type: ignore[return-value]
    if bad == "media":
        return Response("total: 0", media_type="text/yaml")  # type: ignore[return-value]
    if bad == "crash":
        raise RuntimeError("boom")
    return Page(items=[Pet(id=1, name="Tom")], total=1)


@get(
    "/pets/{pet_id:int}",
    operation_id="showPet",
    responses={404: ResponseSpec(Problem, description="No such pet")},
)
def show_pet(pet_id: int) -> Pet | Response[Any]:
    if pet_id == 404:  # a body of the handler's own, not a Problem
        return Response({"detail": "no such pet"}, status_code=404)
    if pet_id == 405:  # the runtime's own error answers in the declared Problem shape
        raise NotFoundException("no such pet")
    return Pet(id=pet_id, name="Tom")


@get(
    "/counted",
    operation_id="counted",
    response_headers=[
        ResponseHeader(name="X-Total", documentation_only=True, required=True, schema=int),
        ResponseHeader(name="X-Kind", documentation_only=True, schema=str),
    ],
)
async def counted(total: str | None = None) -> list[int]:
    if total is None:
        return [1]
    return Response([1], headers={"X-Total": total, "X-Kind": "x"})  # type: ignore[return-value]


@get("/feed", operation_id="feed", media_type="text/event-stream")
async def feed(wrong: bool = False) -> Stream:
    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(3):
            yield b'data: {"not": "checked"}\n\n'

    return Stream(chunks(), media_type="application/x-ndjson" if wrong else "text/event-stream")


@get("/empty", operation_id="empty", status_code=204)
async def empty() -> None:
    return None


@get("/gone", operation_id="gone", responses={410: ResponseSpec(None, description="Gone")})
async def gone() -> Pet:
    raise HTTPException(status_code=410, detail="gone for good")


@post("/todo", operation_id="todo")
async def todo(data: Pet) -> Pet:
    raise NotImplementedError


HANDLERS = [list_pets, show_pet, counted, feed, empty, gone, todo]


def client(validate: Any = True, debug: bool = False, **options: Any) -> TestClient:
    return TestClient(App(HANDLERS, validate_responses=validate, debug=debug, **options))


def mismatches(caplog: pytest.LogCaptureFixture) -> list[Mismatch]:
    return [r.response_mismatch for r in caplog.records if r.name == LOGGER]  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _no_variable(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv(ENVIRONMENT_VARIABLE, raising=False)
    yield


# --- the modes ---


def test_off_by_default_nothing_is_wrapped_and_nothing_is_checked(
    caplog: pytest.LogCaptureFixture,
) -> None:
    app = App(HANDLERS)
    assert app.validate_responses is None
    route = app.route_table.static["/pets"]
    assert type(route.handlers["GET"]) is CompiledHandler  # the request path is unchanged
    with TestClient(app) as c:
        assert c.get("/pets", params={"bad": "status"}).status_code == 418
    assert not mismatches(caplog)


@pytest.mark.parametrize(
    ("value", "mode"),
    [("1", "log"), ("true", "log"), ("log", "log"), ("strict", "strict"), ("0", None), ("", None)],
)
def test_the_environment_variable_turns_it_on(
    monkeypatch: pytest.MonkeyPatch, value: str, mode: str | None
) -> None:
    monkeypatch.setenv(ENVIRONMENT_VARIABLE, value)
    assert App(HANDLERS).validate_responses == mode
    assert App(HANDLERS, validate_responses=False).validate_responses is None  # the option wins


def test_an_unknown_mode_is_refused() -> None:
    assert validation_mode(True) == "log"
    with pytest.raises(ValueError, match="validate_responses"):
        App(HANDLERS, validate_responses="loud")


# --- each kind of mismatch, logged ---


def test_a_body_that_does_not_fit_is_logged_with_both_pointers(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with client() as c, caplog.at_level(logging.WARNING, LOGGER):
        response = c.get("/pets", params={"bad": "name"})
    assert response.status_code == 200  # log mode: sent as it was
    assert response.json()["items"][1]["name"] == 5
    [found] = mismatches(caplog)
    assert (found.kind, found.spec, found.body) == ("body", PETS_SCHEMA, "/items/1/name")
    [record] = [r for r in caplog.records if r.name == LOGGER]
    assert record.levelno == logging.WARNING
    text = record.getMessage()
    assert text.startswith("response validation: GET /pets (listPets) answered 200: ")
    assert PETS_SCHEMA in text and "body /items/1/name" in text
    assert "5 does not fit {type: 'string'}" in text


def test_a_missing_required_property(caplog: pytest.LogCaptureFixture) -> None:
    with client() as c, caplog.at_level(logging.WARNING, LOGGER):
        c.get("/pets", params={"bad": "total"})
    [found] = mismatches(caplog)
    assert found.body == "" and "the required property 'total' is missing" in found.message


def test_an_undocumented_status(caplog: pytest.LogCaptureFixture) -> None:
    with client() as c, caplog.at_level(logging.WARNING, LOGGER):
        assert c.get("/pets", params={"bad": "status"}).status_code == 418
    [found] = mismatches(caplog)
    assert found.kind == "status"
    assert found.spec == "#/paths/~1pets/get/responses"
    assert "status 418 is not documented (documented: 200, 400)" in found.message


def test_an_undocumented_media_type(caplog: pytest.LogCaptureFixture) -> None:
    with client() as c, caplog.at_level(logging.WARNING, LOGGER):
        c.get("/pets", params={"bad": "media"})
    [found] = mismatches(caplog)
    assert found.kind == "media type"
    assert found.spec == "#/paths/~1pets/get/responses/200/content"
    assert "text/yaml; charset=utf-8 is not documented (documented: application/json)" in (
        found.message
    )


def test_a_body_where_the_response_documents_none(caplog: pytest.LogCaptureFixture) -> None:
    with client() as c, caplog.at_level(logging.WARNING, LOGGER):
        assert c.get("/empty").status_code == 204  # none documented, none sent
        assert c.get("/gone").status_code == 410
    [found] = mismatches(caplog)
    assert found.kind == "media type"
    assert found.spec == "#/paths/~1gone/get/responses/410"
    assert "is sent where none is documented" in found.message


def test_a_documented_error_whose_body_is_not_its_schema(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with client() as c, caplog.at_level(logging.WARNING, LOGGER):
        assert c.get("/pets/404").status_code == 404  # a sync handler (run in a thread)
        assert c.get("/pets/405").status_code == 404
        assert c.get("/pets/1").status_code == 200
    [found] = mismatches(caplog)
    assert found.spec == (
        "#/paths/~1pets~1{pet_id}/get/responses/404/content/application~1json/schema"
    )
    assert "the required property 'code' is missing" in found.message


def test_required_and_typed_headers(caplog: pytest.LogCaptureFixture) -> None:
    with client() as c, caplog.at_level(logging.WARNING, LOGGER):
        c.get("/counted")
        c.get("/counted", params={"total": "many"})
        c.get("/counted", params={"total": "3"})
    missing, wrong = mismatches(caplog)
    assert missing.kind == "header"
    assert missing.spec == "#/paths/~1counted/get/responses/200/headers/X-Total"
    assert "the required header X-Total is missing" in missing.message
    assert wrong.spec == "#/paths/~1counted/get/responses/200/headers/X-Total/schema"
    assert "'many' does not fit its schema" in wrong.message


def test_a_stream_is_checked_for_its_head_not_its_body(caplog: pytest.LogCaptureFixture) -> None:
    with client() as c, caplog.at_level(logging.WARNING, LOGGER):
        good = c.get("/feed")
        assert good.status_code == 200 and good.text.count("data:") == 3
        bad = c.get("/feed", params={"wrong": "true"})
        assert bad.status_code == 200 and bad.text.count("data:") == 3
    [found] = mismatches(caplog)
    assert "application/x-ndjson is not documented" in found.message


# --- strict and debug ---


def test_strict_answers_a_mismatch_as_a_500_without_the_reason(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with client("strict") as c, caplog.at_level(logging.WARNING, LOGGER):
        response = c.get("/pets", params={"bad": "name"})
        assert c.get("/pets").status_code == 200  # a response that matches is sent
    assert response.status_code == 500
    assert response.json() == {"status_code": 500, "detail": "Internal Server Error"}
    assert len(mismatches(caplog)) == 1  # logged too


def test_strict_in_debug_mode_says_why() -> None:
    with client("strict", debug=True) as c:
        response = c.get("/pets", params={"bad": "name"})
    assert response.status_code == 500
    body = response.json()
    assert body["detail"] == "the response does not match its documentation"
    [reason] = body["extra"]
    assert reason["spec"] == PETS_SCHEMA and reason["body"] == "/items/1/name"


def test_strict_stops_a_stream_whose_head_does_not_match() -> None:
    with client("strict", debug=True) as c:
        response = c.get("/feed", params={"wrong": "true"})
    assert response.status_code == 500
    assert "data:" not in response.text
    assert "application/x-ndjson" in response.json()["extra"][0]["message"]


def test_strict_keeps_a_server_error_as_it_is(caplog: pytest.LogCaptureFixture) -> None:
    with client("strict", debug=True) as c, caplog.at_level(logging.WARNING, LOGGER):
        response = c.get("/pets", params={"bad": "crash"})
    assert response.status_code == 500
    assert "RuntimeError: boom" in response.json()["detail"]  # the handler's own error
    assert "status 500 is not documented" in mismatches(caplog)[0].message


# --- what is never checked ---


def test_the_runtime_s_own_refusals_and_unwritten_stubs_are_not_checked(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with client("strict") as c, caplog.at_level(logging.WARNING, LOGGER):
        assert c.get("/pets/abc").status_code == 400  # a path parameter that does not validate
        assert c.get("/nowhere").status_code == 404  # no route
        assert c.post("/todo", json={"id": "x"}).status_code == 400  # before the handler
        assert c.post("/todo", json={"id": 1, "name": "Tom"}).status_code == 501  # a stub
        assert c.head("/pets").status_code == 200
    assert not mismatches(caplog)


def test_mock_answers_are_checked_and_fit(caplog: pytest.LogCaptureFixture) -> None:
    with client("strict", mock=True) as c, caplog.at_level(logging.WARNING, LOGGER):
        response = c.post("/todo", json={"id": 1, "name": "Tom"})
    assert response.status_code == 201
    assert response.headers["x-specloom-mock"] == "schema"
    assert not mismatches(caplog)


def test_the_schema_routes_are_not_wrapped() -> None:
    with client("strict") as c:
        assert c.get("/schema/openapi.json").status_code == 200


def test_a_checked_response_is_sent_before_the_background_tasks_run() -> None:
    events: list[str] = []

    @get("/later", operation_id="later", background=BackgroundTask(events.append, "background"))
    async def later() -> Pet:
        return Pet(id=1, name="Tom")

    app = App([later], validate_responses="strict")

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        events.append(message["type"])

    scope = {"type": "http", "method": "GET", "path": "/later", "headers": [], "query_string": b""}
    asyncio.run(app(scope, receive, send))
    assert events == ["http.response.start", "http.response.body", "background"]
