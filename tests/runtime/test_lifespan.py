"""Lifespan: on_startup/on_shutdown hooks and lifespan context managers, over raw ASGI and the
test clients."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest

from specloom.runtime import App, get
from specloom.runtime.testing import AsyncTestClient, TestClient


def _recording_app(events: list[str], **kwargs: Any) -> App:
    @asynccontextmanager
    async def outer(app: App) -> AsyncIterator[None]:
        events.append("outer enter")
        app.state.pool = "pool"
        yield
        events.append("outer exit")

    @asynccontextmanager
    async def inner(app: App) -> AsyncIterator[None]:
        events.append("inner enter")
        yield
        events.append("inner exit")

    def sync_startup() -> None:
        events.append("sync startup")

    async def async_startup(app: App) -> None:
        events.append(f"async startup with {type(app).__name__}")

    def sync_shutdown(app: App) -> None:
        events.append("sync shutdown")

    async def async_shutdown() -> None:
        events.append("async shutdown")

    @get("/")
    def index() -> str:
        events.append("request")
        return "ok"

    return App(
        [index],
        on_startup=[sync_startup, async_startup],
        on_shutdown=[sync_shutdown, async_shutdown],
        lifespan=[outer, inner],
        **kwargs,
    )


EXPECTED = [
    "outer enter",
    "inner enter",
    "sync startup",
    "async startup with App",
    "request",
    "sync shutdown",
    "async shutdown",
    "inner exit",
    "outer exit",
]


def test_sync_client_runs_the_lifespan_around_requests() -> None:
    events: list[str] = []
    app = _recording_app(events)
    with TestClient(app) as client:
        assert events[:4] == EXPECTED[:4]
        assert client.get("/").text == "ok"
        assert app.state.pool == "pool"
        assert len(events) == 5
    assert events == EXPECTED


def test_async_client_runs_the_lifespan_around_requests() -> None:
    events: list[str] = []
    app = _recording_app(events)

    async def main() -> None:
        async with AsyncTestClient(app) as client:
            assert events[:4] == EXPECTED[:4]
            response = await client.get("/")
            assert response.text == "ok"

    asyncio.run(main())
    assert events == EXPECTED


def test_client_without_context_manager_skips_the_lifespan() -> None:
    events: list[str] = []
    client = TestClient(_recording_app(events))
    try:
        assert client.get("/").text == "ok"
    finally:
        client.close()
        client.portal.close()
    assert events == ["request"]


def test_startup_failure_is_reported_and_entered_lifespans_are_closed() -> None:
    events: list[str] = []

    @asynccontextmanager
    async def resource(app: App) -> AsyncIterator[None]:
        events.append("enter")
        yield
        events.append("exit")

    def failing() -> None:
        raise RuntimeError("cannot connect")

    app = App([], lifespan=[resource], on_startup=[failing])
    with pytest.raises(RuntimeError, match=r"startup failed.*cannot connect"), TestClient(app):
        pass
    assert events == ["enter", "exit"]


def test_shutdown_failure_is_reported() -> None:
    def failing() -> None:
        raise RuntimeError("flush failed")

    app = App([], on_shutdown=[failing])
    with pytest.raises(RuntimeError, match=r"shutdown failed.*flush failed"), TestClient(app):
        pass


def test_raw_asgi_lifespan_protocol() -> None:
    events: list[str] = []
    app = _recording_app(events)
    inbox = [{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}]
    outbox: list[str] = []

    async def receive() -> dict[str, Any]:
        return inbox.pop(0)

    async def send(message: Any) -> None:
        outbox.append(message["type"])

    asyncio.run(app({"type": "lifespan"}, receive, send))
    assert outbox == ["lifespan.startup.complete", "lifespan.shutdown.complete"]
    assert events == [e for e in EXPECTED if e != "request"]


def test_raw_asgi_startup_failure_message() -> None:
    def failing() -> None:
        raise ValueError("bad config")

    app = App([], on_startup=[failing])
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "lifespan.startup"}

    async def send(message: Any) -> None:
        sent.append(message)

    asyncio.run(app({"type": "lifespan"}, receive, send))
    assert sent[0]["type"] == "lifespan.startup.failed"
    assert "bad config" in sent[0]["message"]
