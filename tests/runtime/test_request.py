"""Request: method, url, params, headers, cookies, body/json/msgpack and content negotiation."""

from __future__ import annotations

import asyncio
from typing import Any

import msgspec
import pytest

from specloom.runtime import App, MediaType, Request, get, post, route
from specloom.runtime.exceptions import ClientException
from specloom.runtime.request import parse_cookie_header
from specloom.runtime.testing import TestClient


@route("/inspect/{item_id:int}", http_method=["GET", "POST", "PUT"])
async def inspect_request(request: Request[Any, Any]) -> dict[str, Any]:
    return {
        "method": request.method,
        "url": str(request.url),
        "path": request.path,
        "path_params": request.path_params,
        "query": request.query_params.getall("tag", []),
        "first_tag": request.query_params.get("tag"),
        "header": request.headers.get("X-Custom-Header"),
        "header_upper": request.headers["X-CUSTOM-HEADER"],
        "cookies": request.cookies,
        "content_type": request.content_type,
        "handler": request.route_handler.name,
        "app_is_app": isinstance(request.app, App),
    }


@post("/body")
async def body(request: Request[Any, Any]) -> dict[str, Any]:
    raw = await request.body()
    again = await request.body()
    return {"raw": raw.decode(), "same": raw is again, "json": await request.json()}


@post("/msgpack")
async def msgpack_body(request: Request[Any, Any]) -> Any:
    return await request.msgpack()


@post("/json")
async def json_body(request: Request[Any, Any]) -> Any:
    return await request.json()


@post("/both")
async def request_and_data(request: Request[Any, Any], data: dict[str, int]) -> dict[str, Any]:
    return {"data": data, "raw": (await request.body()).decode()}


@get("/negotiate")
def negotiate(request: Request[Any, Any]) -> str:
    best = request.accept.best_match([MediaType.JSON, MediaType.HTML], default="none")
    return str(best)


@get("/state")
def state(request: Request[Any, Any]) -> dict[str, Any]:
    request.state["touched"] = True
    return {"state": dict(request.state), "client": list(request.client or ())}


REQUEST_APP = App(
    [inspect_request, body, msgpack_body, json_body, request_and_data, negotiate, state]
)


@pytest.fixture(scope="module")
def client() -> Any:
    with TestClient(REQUEST_APP) as c:
        yield c


def test_request_attributes(client: TestClient) -> None:
    response = client.get(
        "/inspect/42?tag=a&tag=b",
        headers={"x-custom-header": "value", "cookie": "session=abc; theme=dark"},
    )
    assert response.json() == {
        "method": "GET",
        "url": "http://testserver.local/inspect/42?tag=a&tag=b",
        "path": "/inspect/42",
        "path_params": {"item_id": 42},
        "query": ["a", "b"],
        "first_tag": "a",
        "header": "value",
        "header_upper": "value",
        "cookies": {"session": "abc", "theme": "dark"},
        "content_type": "",
        "handler": "inspect_request",
        "app_is_app": True,
    }


def test_request_method_and_content_type(client: TestClient) -> None:
    response = client.put(
        "/inspect/1",
        content=b"{}",
        headers={"content-type": "Application/JSON; charset=utf-8", "X-Custom-Header": "v"},
    )
    assert response.json()["method"] == "PUT"
    assert response.json()["content_type"] == "application/json"


def test_body_is_read_once_and_cached(client: TestClient) -> None:
    response = client.post("/body", json={"a": 1})
    assert response.json() == {"raw": '{"a":1}', "same": True, "json": {"a": 1}}


def test_msgpack_and_json_helpers(client: TestClient) -> None:
    payload = {"x": [1, 2, {"y": None}]}
    assert client.post("/msgpack", content=msgspec.msgpack.encode(payload)).json() == payload
    assert client.post("/json", content=b'{"z": true}').json() == {"z": True}
    assert client.post("/json").json() is None


def test_malformed_json_through_request_json_is_400(client: TestClient) -> None:
    response = client.post("/json", content=b"{nope")
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/json"
    assert response.json()["detail"].startswith("Malformed JSON body")


def test_malformed_msgpack_through_request_msgpack_is_400(client: TestClient) -> None:
    response = client.post("/msgpack", content=b"\xc1")
    assert response.status_code == 400
    assert response.json()["detail"].startswith("Malformed MessagePack body")


def test_request_body_and_data_share_one_read(client: TestClient) -> None:
    response = client.post("/both", json={"n": 1})
    assert response.json() == {"data": {"n": 1}, "raw": '{"n":1}'}


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("text/html;q=0.5, application/json", "application/json"),
        ("application/json;q=0.1, text/html", "text/html"),
        ("text/*", "text/html"),
        ("image/png", "none"),
    ],
)
def test_accept_best_match(client: TestClient, accept: str, expected: str) -> None:
    assert client.get("/negotiate", headers={"accept": accept}).text == expected


def test_missing_accept_means_anything(client: TestClient) -> None:
    assert client.get("/negotiate", headers={"accept": ""}).text in ("application/json", "none")
    sent: list[Any] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b""}

    async def send(message: Any) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "method": "GET",
        "path": "/negotiate",
        "headers": [],
        "query_string": b"",
    }
    asyncio.run(REQUEST_APP(scope, receive, send))
    assert sent[1]["body"] == b"application/json"


def test_request_state_and_client(client: TestClient) -> None:
    assert client.get("/state").json() == {
        "state": {"touched": True},
        "client": ["testclient", 50000],
    }


def test_request_body_respects_the_size_limit() -> None:
    chunks = [b"a" * 4, b"b" * 4, b"c" * 4]
    read: list[int] = []

    async def receive() -> dict[str, Any]:
        read.append(1)
        return {"type": "http.request", "body": chunks[len(read) - 1], "more_body": len(read) < 3}

    scope = {"type": "http", "method": "POST", "path": "/", "headers": []}

    async def run() -> None:
        request: Request[Any, Any] = Request(scope, receive, max_body_size=6)
        with pytest.raises(ClientException) as info:
            await request.body()
        assert info.value.status_code == 413

    asyncio.run(run())
    assert len(read) == 2


def test_client_disconnect_while_reading_is_a_client_error() -> None:
    async def receive() -> dict[str, Any]:
        return {"type": "http.disconnect"}

    async def run() -> None:
        request: Request[Any, Any] = Request({"type": "http", "headers": []}, receive)
        with pytest.raises(ClientException, match="disconnected"):
            await request.body()

    asyncio.run(run())


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("a=1; b=2", {"a": "1", "b": "2"}),
        ("  a = 1 ;b=", {"a": "1", "b": ""}),
        ('q="quoted value"', {"q": "quoted value"}),
        ("novalue; =x; c=3", {"c": "3"}),
        ("", {}),
    ],
)
def test_parse_cookie_header(header: str, expected: dict[str, str]) -> None:
    assert parse_cookie_header(header) == expected


def test_request_argument_may_have_any_name_when_annotated() -> None:
    @get("/named")
    def named(req: Request[Any, Any]) -> str:
        return req.method

    with TestClient(App([named])) as c:
        assert c.get("/named").text == "GET"
