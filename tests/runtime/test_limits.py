"""Request limits before a handler runs: header fields (431) and the body's deadline (408)."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest

from specloom.runtime import App, Request, get, post
from specloom.runtime.exceptions import ImproperlyConfiguredException
from specloom.runtime.limits import DEFAULT_MAX_HEADER_COUNT, DEFAULT_MAX_HEADER_SIZE
from specloom.runtime.testing import TestClient
from specloom.runtime.types import Message


@get("/")
async def index() -> str:
    return "ok"


@post("/echo")
async def echo(data: dict[str, Any]) -> dict[str, Any]:
    return data


@post("/raw")
async def raw(request: Request[Any, Any]) -> int:
    return len(await request.body())


def test_headers_within_the_defaults_are_served() -> None:
    headers = {f"x-h{i}": "v" for i in range(DEFAULT_MAX_HEADER_COUNT - 10)}
    with TestClient(App([index])) as client:
        assert client.get("/", headers=headers).status_code == 200
        assert client.get("/", headers={"x-big": "a" * 12_000}).status_code == 200


def test_too_many_header_fields_are_a_431_with_a_json_body() -> None:
    headers = {f"x-h{i}": "v" for i in range(DEFAULT_MAX_HEADER_COUNT + 1)}
    with TestClient(App([index])) as client:
        response = client.get("/", headers=headers)
    assert response.status_code == 431
    assert response.headers["content-type"] == "application/json"
    assert response.headers["connection"] == "close"
    body = response.json()
    assert body["status_code"] == 431
    assert "header fields; the limit is 100" in body["detail"]


def test_header_bytes_beyond_the_limit_are_a_431_even_on_an_unrouted_path() -> None:
    with TestClient(App([index])) as client:
        response = client.get("/nowhere", headers={"x-big": "a" * DEFAULT_MAX_HEADER_SIZE})
    assert response.status_code == 431
    assert "the limit is 16384" in response.json()["detail"]


def test_the_header_limits_are_configurable_and_can_be_lifted() -> None:
    small = App([index], request_max_header_size=100, request_max_header_count=5)
    with TestClient(small) as client:
        assert client.get("/", headers={"x-a": "a" * 90}).status_code == 431
        assert client.get("/", headers={f"x-{i}": "v" for i in range(6)}).status_code == 431
    lifted = App([index], request_max_header_size=None, request_max_header_count=None)
    headers = {f"x-h{i}": "a" * 200 for i in range(500)}
    with TestClient(lifted) as client:
        assert client.get("/", headers=headers).status_code == 200


@pytest.mark.parametrize(
    "option", ["request_max_header_size", "request_max_header_count", "request_body_timeout"]
)
@pytest.mark.parametrize("value", [0, -1])
def test_a_limit_that_is_not_positive_is_refused(option: str, value: int) -> None:
    with pytest.raises(ImproperlyConfiguredException, match=option):
        App([index], **{option: value})


async def _call(app: App, path: str, messages: list[Message], stall: bool) -> list[Message]:
    """Run one POST through `app`: `messages` are received, then (if `stall`) nothing more."""
    scope = {
        "type": "http",
        "method": "POST",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "headers": [(b"content-type", b"application/json")],
    }
    pending = list(messages)
    sent: list[Message] = []

    async def receive() -> Message:
        if pending:
            return pending.pop(0)
        if stall:
            await asyncio.Event().wait()
        return {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        sent.append(message)

    await app(scope, receive, send)
    return sent


def _answer(sent: list[Message]) -> tuple[int, dict[bytes, bytes], Any]:
    start, body = sent[0], sent[1]
    return start["status"], dict(start["headers"]), json.loads(body["body"])


@pytest.mark.parametrize("path", ["/echo", "/raw"])
def test_a_body_that_stops_arriving_is_a_408_with_a_json_body(path: str) -> None:
    app = App([echo, raw], request_body_timeout=0.2)
    part = {"type": "http.request", "body": b'{"a": ', "more_body": True}
    sent = asyncio.run(_call(app, path, [part], stall=True))
    status, headers, body = _answer(sent)
    assert status == 408
    assert headers[b"content-type"] == b"application/json"
    assert headers[b"connection"] == b"close"
    assert body == {
        "status_code": 408,
        "detail": "The request body did not arrive within 0.2 s",
    }


def test_the_deadline_covers_the_whole_body_not_each_part() -> None:
    app = App([raw], request_body_timeout=0.3)
    trickled = 0

    async def run() -> list[Message]:
        scope = {"type": "http", "method": "POST", "path": "/raw", "headers": []}
        sent: list[Message] = []

        async def receive() -> Message:
            nonlocal trickled
            await asyncio.sleep(0.02)  # each part well within the deadline, all of them not
            trickled += 1
            return {"type": "http.request", "body": b"x", "more_body": True}

        async def send(message: Message) -> None:
            sent.append(message)

        await app(scope, receive, send)
        return sent

    status, _, _ = _answer(asyncio.run(run()))
    assert status == 408
    assert 2 <= trickled < 50  # parts were taken, then the deadline ended the trickle


def test_a_body_in_time_is_served_and_later_reads_have_no_deadline() -> None:
    app = App([echo], request_body_timeout=0.2)
    parts: list[Message] = [
        {"type": "http.request", "body": b'{"a": ', "more_body": True},
        {"type": "http.request", "body": b"1}", "more_body": False},
    ]
    sent = asyncio.run(_call(app, "/echo", parts, stall=False))
    assert _answer(sent)[0] == 201
    assert _answer(sent)[2] == {"a": 1}


def test_without_a_body_timeout_the_app_waits() -> None:
    app = App([raw], request_body_timeout=None)
    part = {"type": "http.request", "body": b"x", "more_body": True}

    async def run() -> None:
        await asyncio.wait_for(_call(app, "/raw", [part], stall=True), 0.3)

    with pytest.raises(TimeoutError):
        asyncio.run(run())
