"""ServerSentEvent: exact framing of every kind of item, field injection, pings, disconnects."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncGenerator, Iterator
from typing import Any

import pytest

from specloom.runtime import App, get
from specloom.runtime.compile import default_media_type
from specloom.runtime.response import (
    File,
    ServerSentEvent,
    ServerSentEventMessage,
    Stream,
    Template,
)
from specloom.runtime.testing import TestClient
from specloom.runtime.types import SSEData


def fetch(content: Any, **kwargs: Any) -> Any:
    @get("/sse", sync_to_thread=False)
    def handler() -> ServerSentEvent:
        return ServerSentEvent(content, **kwargs)

    with TestClient(App([handler])) as client:
        return client.get("/sse")


def test_page_example() -> None:
    async def my_generator() -> AsyncGenerator[SSEData, None]:
        count = 0
        while count < 10:
            await asyncio.sleep(0.01)
            count += 1
            # In the generator you can yield integers, strings, bytes, dictionaries,
            # or ServerSentEventMessage objects
            # dicts can have the following keys: data, event, id, retry, comment
            # here we yield an integer
            yield count
            # here a string
            yield str(count)
            # here bytes
            yield str(count).encode("utf-8")
            # here a dictionary
            yield {"data": 2 * count, "event": "event2", "retry": 10}
            # here a ServerSentEventMessage object
            yield ServerSentEventMessage(
                event="something-with-comment", retry=1000, comment="some comment"
            )

    @get(path="/count", sync_to_thread=False)
    def sse_handler() -> ServerSentEvent:
        return ServerSentEvent(my_generator())

    with TestClient(App(route_handlers=[sse_handler])) as client:
        response = client.get("/count")
    expected = "".join(
        f"data: {n}\r\n\r\n" * 3
        + f"event: event2\r\ndata: {2 * n}\r\nretry: 10\r\n\r\n"
        + ": some comment\r\nevent: something-with-comment\r\ndata: \r\nretry: 1000\r\n\r\n"
        for n in range(1, 11)
    )
    assert response.status_code == 200
    assert response.text == expected
    assert response.headers.multi_items() == [
        ("cache-control", "no-cache"),
        ("x-accel-buffering", "no"),
        ("content-type", "text/event-stream; charset=utf-8"),
    ]


def test_event_type_and_initial_fields() -> None:
    response = fetch(
        ["a", 1],
        event_type="update",
        event_id="42",
        retry_duration=5000,
        comment_message="hello\nworld",
    )
    assert response.text == (
        ": hello\r\n: world\r\nid: 42\r\nretry: 5000\r\n\r\n"
        "event: update\r\ndata: a\r\n\r\n"
        "event: update\r\ndata: 1\r\n\r\n"
    )


@pytest.mark.parametrize(
    ("item", "wire"),
    [
        (
            "line1\nline2\r\nline3\rline4",
            "data: line1\r\ndata: line2\r\ndata: line3\r\ndata: line4",
        ),
        ("", "data: "),
        (b"caf\xc3\xa9", "data: café"),
        ({"data": {"a": [1, 2]}, "event_type": "json"}, 'event: json\r\ndata: {"a":[1,2]}'),
        ({"data": [1, "x"], "id": 7}, 'id: 7\r\ndata: [1,"x"]'),
        ({"comment": "only a comment"}, ": only a comment\r\ndata: "),
        ({"event": "only-a-name"}, "event: only-a-name\r\ndata: "),
        (ServerSentEventMessage(comment="c"), ": c\r\ndata: "),
        (ServerSentEventMessage(event="e", data=None), "event: e"),
        (
            ServerSentEventMessage(data="d", event="e", id="i", retry=1, comment="c"),
            ": c\r\nid: i\r\nevent: e\r\ndata: d\r\nretry: 1",
        ),
        (ServerSentEventMessage(data=True), "data: true"),
        (3.5, "data: 3.5"),
    ],
)
def test_item_framing(item: Any, wire: str) -> None:
    assert fetch([item]).text == wire + "\r\n\r\n"


@pytest.mark.parametrize(
    "bad",
    [
        ServerSentEventMessage(data="x", event="a\nid: 9"),
        ServerSentEventMessage(data="x", id="1\r"),
        ServerSentEventMessage(data="x", retry=-1),
        ServerSentEventMessage(data="x", retry="5"),  # type: ignore[arg-type]
    ],
)
def test_field_injection_and_bad_retry_are_refused(bad: ServerSentEventMessage) -> None:
    with pytest.raises(ValueError, match="SSE"):
        bad.encode()


def test_bad_fields_fail_in_the_handler() -> None:
    with pytest.raises(ValueError, match="line break"):
        ServerSentEvent([], event_type="x\ndata: injected")
    with pytest.raises(ValueError, match="line break"):
        ServerSentEvent([], event_id="1\n")
    with pytest.raises(ValueError, match="retry"):
        ServerSentEvent([], retry_duration=-5)


def test_unknown_dict_key_aborts_the_stream() -> None:
    with pytest.raises(ValueError, match="Unknown SSE field 'name'"):
        fetch([{"data": "x", "name": "y"}])


def test_own_headers_and_status() -> None:
    @get("/sse", media_type="application/json", status_code=201)
    def handler() -> ServerSentEvent:
        return ServerSentEvent(["x"], headers={"Cache-Control": "no-store"})

    with TestClient(App([handler])) as client:
        response = client.get("/sse")
    assert response.status_code == 201
    assert response.headers.multi_items() == [
        ("cache-control", "no-store"),
        ("x-accel-buffering", "no"),
        ("content-type", "text/event-stream; charset=utf-8"),
    ]


def test_sync_generator_content() -> None:
    def numbers() -> Iterator[int]:
        yield from range(3)

    assert fetch(numbers).text == "data: 0\r\n\r\ndata: 1\r\n\r\ndata: 2\r\n\r\n"


def test_ping_while_idle() -> None:
    async def slow() -> AsyncGenerator[str, None]:
        await asyncio.sleep(0.12)
        yield "late"

    text = fetch(slow(), ping_interval=0.02).text
    pings, _, last = text.rpartition(": ping\r\n\r\n")
    assert pings.count(": ping\r\n\r\n") >= 2
    assert last == "data: late\r\n\r\n"


def test_no_ping_when_busy() -> None:
    assert fetch(["a", "b"], ping_interval=0.05).text == "data: a\r\n\r\ndata: b\r\n\r\n"


@pytest.mark.parametrize("ping_interval", [None, 0.01])
def test_disconnect_runs_the_generator_cleanup(ping_interval: float | None) -> None:
    closed = threading.Event()

    async def endless() -> AsyncGenerator[int, None]:
        try:
            n = 0
            while True:
                n += 1
                yield n
                await asyncio.sleep(0.03)
        finally:
            closed.set()

    @get("/sse")
    def handler() -> ServerSentEvent:
        return ServerSentEvent(endless(), ping_interval=ping_interval)

    with TestClient(App([handler])) as client:
        with client.stream("GET", "/sse") as response:
            assert next(response.iter_raw()) == b"data: 1\r\n\r\n"
        assert closed.wait(2)


def test_default_media_types_of_annotations() -> None:
    assert default_media_type(ServerSentEvent) == "text/event-stream"
    assert default_media_type(File) == "application/octet-stream"
    assert default_media_type(Template) == "text/html"
    assert default_media_type(Stream) == "application/octet-stream"
