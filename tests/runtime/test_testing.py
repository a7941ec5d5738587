"""The test clients: in-process httpx clients, sync and async, that speak ASGI to the app."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from specloom.runtime import App, Response, get, post
from specloom.runtime.datastructures import Cookie
from specloom.runtime.testing import AsyncTestClient, TestClient


@post("/echo")
def echo(data: dict[str, Any]) -> dict[str, Any]:
    return data


@get("/login")
def login() -> Response[str]:
    return Response("ok", cookies=[Cookie(key="session", value="s3cret")])


@get("/cookie-echo")
async def cookie_echo(cookies: dict[str, str], headers: Any) -> dict[str, Any]:
    return {"cookies": cookies, "host": headers.get("host")}


@get("/stream")
def stream() -> Any:
    async def app(scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        for part in (b"a", b"b", b"c"):
            await send({"type": "http.response.body", "body": part, "more_body": True})
        await send({"type": "http.response.body", "body": b"", "more_body": False})

    return app


APP = App([echo, login, cookie_echo, stream])


def test_sync_client_sends_json_and_reads_json() -> None:
    with TestClient(APP) as client:
        response = client.post("/echo", json={"a": [1, 2]})
    assert response.status_code == 201
    assert response.json() == {"a": [1, 2]}


def test_sync_client_keeps_cookies_and_sends_host() -> None:
    with TestClient(APP) as client:
        assert client.get("/login").text == "ok"
        assert client.cookies.get("session") == "s3cret"
        assert client.get("/cookie-echo").json() == {
            "cookies": {"session": "s3cret"},
            "host": "testserver.local",
        }


def test_sync_client_custom_base_url() -> None:
    with TestClient(APP, base_url="http://example.org") as client:
        assert client.get("/cookie-echo").json()["host"] == "example.org"


def test_sync_client_reads_streamed_bodies() -> None:
    with TestClient(APP) as client:
        assert client.get("/stream").content == b"abc"
        with client.stream("GET", "/stream") as response:
            assert b"".join(response.iter_bytes()) == b"abc"


def test_async_client_inside_asyncio_run() -> None:
    async def main() -> list[Any]:
        async with AsyncTestClient(APP) as client:
            echoed = await client.post("/echo", json={"x": 1})
            await client.get("/login")
            cookies = await client.get("/cookie-echo")
            streamed = await client.get("/stream")
            return [echoed.json(), cookies.json()["cookies"], streamed.content]

    assert asyncio.run(main()) == [{"x": 1}, {"session": "s3cret"}, b"abc"]


def test_async_client_runs_requests_concurrently() -> None:
    started = 0
    both_started: asyncio.Event | None = None

    @get("/wait")
    async def wait() -> str:
        nonlocal started
        assert both_started is not None
        started += 1
        if started == 2:
            both_started.set()
        await asyncio.wait_for(both_started.wait(), timeout=2)
        return "done"

    async def main() -> list[str]:
        nonlocal both_started
        both_started = asyncio.Event()
        async with AsyncTestClient(App([wait])) as client:
            responses = await asyncio.gather(client.get("/wait"), client.get("/wait"))
            return [r.text for r in responses]

    assert asyncio.run(main()) == ["done", "done"]


def test_app_errors_that_escape_reach_the_test() -> None:
    async def broken(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            message = await receive()
            assert message["type"] == "lifespan.startup"
            await send({"type": "lifespan.startup.complete"})
            await receive()
            await send({"type": "lifespan.shutdown.complete"})
            return
        raise LookupError("escaped")

    with TestClient(broken) as client, pytest.raises(LookupError, match="escaped"):
        client.get("/")


def test_app_that_sends_nothing_is_an_error() -> None:
    async def silent(scope: Any, receive: Any, send: Any) -> None:
        return None

    client = TestClient(silent)
    try:
        with pytest.raises(RuntimeError, match="without starting a response"):
            client.get("/")
    finally:
        client.close()
        client.portal.close()


def test_clients_are_not_collected_as_tests() -> None:
    assert TestClient.__test__ is False
    assert AsyncTestClient.__test__ is False
