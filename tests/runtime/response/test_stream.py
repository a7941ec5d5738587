"""Stream: every kind of content, chunk framing, disconnects, failing sends, HEAD, background."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Iterator
from datetime import datetime
from typing import Any

import msgspec
import pytest

from specloom.runtime import App, get
from specloom.runtime.background_tasks import BackgroundTask
from specloom.runtime.response import ResponsePlan, Stream
from specloom.runtime.response.base import get_encoder_for
from specloom.runtime.serialization import encode_json
from specloom.runtime.testing import TestClient
from specloom.runtime.types import Message


def serve(*handlers: Any) -> TestClient:
    return TestClient(App(list(handlers)))


def wait_for(condition: Callable[[], bool], timeout: float = 2.0) -> bool:
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.005)
    return condition()


def test_page_example_streams_json_chunks_until_closed() -> None:
    async def my_generator() -> AsyncGenerator[bytes, None]:
        while True:
            await asyncio.sleep(0.01)
            yield encode_json({"current_time": datetime.now()})

    @get(path="/time")
    def stream_time() -> Stream:
        return Stream(my_generator())

    with serve(stream_time) as client, client.stream("GET", "/time") as response:
        chunks = response.iter_raw()
        first, second = next(chunks), next(chunks)
    assert response.status_code == 200
    assert "content-length" not in response.headers
    for chunk in (first, second):
        assert set(msgspec.json.decode(chunk)) == {"current_time"}


class CountTo:
    """A sync iterator class."""

    def __init__(self) -> None:
        self.n = 0

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        self.n += 1
        if self.n > 3:
            raise StopIteration
        return str(self.n)


class AsyncCountTo:
    """An async iterator class."""

    def __init__(self) -> None:
        self.n = 0

    def __aiter__(self) -> AsyncIterator[bytes]:
        return self

    async def __anext__(self) -> bytes:
        self.n += 1
        if self.n > 3:
            raise StopAsyncIteration
        return str(self.n).encode()


def sync_gen() -> Iterator[str]:
    yield from ("1", "2", "3")


async def async_gen() -> AsyncIterator[bytes]:
    for item in (b"1", b"2", b"3"):
        yield item


@pytest.mark.parametrize(
    "make_content",
    [
        lambda: sync_gen(),
        lambda: async_gen(),
        lambda: sync_gen,
        lambda: async_gen,
        lambda: ["1", b"2", "3"],
        lambda: ("1", "2", "3"),
        lambda: iter(["1", "2", "3"]),
        lambda: CountTo(),
        lambda: CountTo,
        lambda: AsyncCountTo(),
        lambda: AsyncCountTo,
        lambda: "123",
        lambda: b"123",
    ],
    ids=[
        "sync-generator",
        "async-generator",
        "sync-generator-function",
        "async-generator-function",
        "list",
        "tuple",
        "iterator",
        "iterator-instance",
        "iterator-class",
        "async-iterator-instance",
        "async-iterator-class",
        "str",
        "bytes",
    ],
)
def test_content_kinds(make_content: Callable[[], Any]) -> None:
    @get("/", media_type="text/plain")
    def handler() -> Stream:
        return Stream(make_content())

    with serve(handler) as client:
        response = client.get("/")
    assert response.status_code == 200
    assert response.content == b"123"
    assert response.headers.multi_items() == [("content-type", "text/plain; charset=utf-8")]


def test_chunks_are_sent_one_by_one_then_an_empty_final_body() -> None:
    messages: list[Message] = []

    async def receive() -> Message:
        await asyncio.Event().wait()
        return {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        messages.append(message)

    asgi = Stream(["é", b"b"], encoding="latin-1").to_asgi_response(_plan())
    asyncio.run(asgi({"type": "http", "method": "GET"}, receive, send))
    assert messages == [
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"content-type", b"application/json")],
        },
        {"type": "http.response.body", "body": b"\xe9", "more_body": True},
        {"type": "http.response.body", "body": b"b", "more_body": True},
        {"type": "http.response.body", "body": b"", "more_body": False},
    ]


def _plan(status: int = 200, media_type: str = "application/json") -> ResponsePlan:
    return ResponsePlan(status, media_type, get_encoder_for(media_type, None))


def test_status_media_type_and_headers() -> None:
    @get("/own", media_type="text/csv", response_headers={"x-layer": "1"})
    def own() -> Stream:
        return Stream(["a"], status_code=202, media_type="text/plain", headers={"x-own": "2"})

    @get("/handler", media_type="text/csv", status_code=201)
    def handler() -> Stream:
        return Stream(["a"])

    @get("/default")
    def default() -> Stream:
        return Stream(["a"])

    with serve(own, handler, default) as client:
        first, second, third = client.get("/own"), client.get("/handler"), client.get("/default")
    assert first.status_code == 202
    assert first.headers.multi_items() == [
        ("x-layer", "1"),
        ("x-own", "2"),
        ("content-type", "text/plain; charset=utf-8"),
    ]
    assert second.status_code == 201
    assert second.headers["content-type"] == "text/csv; charset=utf-8"
    # `-> Stream` sends bytes: octet-stream unless the decorator or the Stream says otherwise
    assert third.headers["content-type"] == "application/octet-stream"


def test_disconnect_closes_an_async_generator() -> None:
    closed = threading.Event()

    async def endless() -> AsyncGenerator[bytes, None]:
        try:
            while True:
                yield b"tick"
                await asyncio.sleep(0.005)
        finally:
            closed.set()

    @get("/")
    def handler() -> Stream:
        return Stream(endless())

    with serve(handler) as client:
        with client.stream("GET", "/") as response:
            assert next(response.iter_raw()) == b"tick"
        assert closed.wait(2)


def test_disconnect_closes_a_blocking_sync_generator() -> None:
    closed = threading.Event()
    threads: set[int] = set()

    def endless() -> Iterator[bytes]:
        try:
            while True:
                threads.add(threading.get_ident())
                time.sleep(0.005)  # blocking: fine, sync generators run in worker threads
                yield b"tick"
        finally:
            closed.set()

    @get("/")
    def handler() -> Stream:
        return Stream(endless)

    with serve(handler) as client:
        with client.stream("GET", "/") as response:
            assert next(response.iter_raw()) == b"tick"
        assert closed.wait(2)
    assert threading.get_ident() not in threads
    assert all(ident != client.portal.thread.ident for ident in threads)


def test_failing_send_stops_the_stream_closes_the_source_and_runs_background() -> None:
    events: list[str] = []

    async def source() -> AsyncGenerator[bytes, None]:
        try:
            for n in range(100):
                yield str(n).encode()
        finally:
            events.append("closed")

    async def receive() -> Message:
        await asyncio.Event().wait()
        return {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        if message.get("body") == b"2":
            raise OSError("connection reset")
        events.append(message["type"])

    response = Stream(source(), background=BackgroundTask(events.append, "background"))
    asyncio.run(response.to_asgi_response(_plan())({"method": "GET"}, receive, send))
    assert events == [
        "http.response.start",
        "http.response.body",
        "http.response.body",
        "closed",
        "background",
    ]


def test_background_runs_after_the_last_byte() -> None:
    events: list[str] = []

    def chunks() -> Iterator[bytes]:
        yield b"a"
        events.append("last chunk produced")

    @get("/")
    def handler() -> Stream:
        return Stream(chunks(), background=BackgroundTask(events.append, "background"))

    with serve(handler) as client:
        assert client.get("/").content == b"a"
    assert events == ["last chunk produced", "background"]


def test_head_of_an_endless_stream_ends_at_once() -> None:
    async def endless() -> AsyncGenerator[bytes, None]:
        while True:
            yield b"x"

    @get("/")
    def handler() -> Stream:
        return Stream(endless())

    with serve(handler) as client:
        response = client.head("/")
    assert response.status_code == 200
    assert response.content == b""


def test_invalid_content_is_a_500_before_anything_is_sent() -> None:
    @get("/")
    def handler() -> Stream:
        return Stream(42)  # type: ignore[arg-type]

    with serve(handler) as client:
        response = client.get("/")
    assert response.status_code == 500
    assert response.json() == {"status_code": 500, "detail": "Internal Server Error"}


def test_a_chunk_that_is_not_str_or_bytes_aborts_the_stream() -> None:
    closed: list[bool] = []

    async def source() -> AsyncGenerator[Any, None]:
        try:
            yield b"ok"
            yield 42
        finally:
            closed.append(True)

    async def receive() -> Message:
        await asyncio.Event().wait()
        return {"type": "http.disconnect"}

    sent: list[Message] = []

    async def send(message: Message) -> None:
        sent.append(message)

    asgi = Stream(source()).to_asgi_response(_plan())
    with pytest.raises(TypeError, match="str or bytes, not int"):
        asyncio.run(asgi({"method": "GET"}, receive, send))
    assert [m.get("body") for m in sent] == [None, b"ok"]
    assert closed == [True]


def test_a_no_body_status_sends_no_chunks() -> None:
    @get("/")
    def handler() -> Stream:
        return Stream(["never sent"], status_code=304)

    with serve(handler) as client:
        response = client.get("/")
    assert response.status_code == 304
    assert response.content == b""
