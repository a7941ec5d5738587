"""In-process test clients on httpx: `TestClient` (sync) and `AsyncTestClient`, with lifespan."""

from __future__ import annotations

import asyncio
import contextlib
import queue
import threading
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from concurrent.futures import Future
from typing import Any, TypeVar
from urllib.parse import unquote

import httpx

from .types import ASGIApp, Message

__all__ = ["AsyncTestClient", "TestClient"]

T = TypeVar("T")
_END = object()


def _build_scope(request: httpx.Request, state: dict[str, Any]) -> dict[str, Any]:
    url = request.url
    raw_path = url.raw_path.split(b"?", 1)[0]
    port = url.port or (443 if url.scheme == "https" else 80)
    headers = [(k.lower(), v) for k, v in request.headers.raw]
    return {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.4"},
        "http_version": "1.1",
        "method": request.method,
        "scheme": url.scheme,
        "path": unquote(raw_path.decode("ascii")),
        "raw_path": raw_path,
        "query_string": url.query,
        "root_path": "",
        "headers": headers,
        "client": ("testclient", 50000),
        "server": (url.host, port),
        "state": dict(state),
        "extensions": {"http.response.debug": {}},
    }


async def _run_request(
    app: ASGIApp,
    scope: dict[str, Any],
    body: bytes,
    put: Callable[[Any], None],
    disconnected: asyncio.Event,
) -> None:
    """Run one request; every message the app sends goes to `put`, then `_END` (or the error)."""
    body_sent = False

    async def receive() -> Message:
        nonlocal body_sent
        if not body_sent:
            body_sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        await disconnected.wait()
        return {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        if disconnected.is_set():
            raise OSError("the test client disconnected")
        put(message)

    try:
        await app(scope, receive, send)
    except BaseException as exc:
        put(exc)
        if not isinstance(exc, Exception):
            raise
    else:
        put(_END)


def _response_parts(first: Any, request: httpx.Request) -> tuple[int, list[tuple[bytes, bytes]]]:
    if isinstance(first, BaseException):
        raise first
    if first is _END or first.get("type") != "http.response.start":
        raise RuntimeError(f"the app finished without starting a response for {request.url}")
    return first["status"], [(bytes(k), bytes(v)) for k, v in first.get("headers", [])]


class _Portal:
    """An event loop on a background thread, where the app runs for the sync client."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def submit(self, coro: Coroutine[Any, Any, T]) -> Future[T]:
        return asyncio.run_coroutine_threadsafe(coro, self.loop)

    def call(self, coro: Coroutine[Any, Any, T]) -> T:
        return self.submit(coro).result()

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)
        self.loop.close()


def _is_last(message: Any) -> bool:
    """Whether the response ends with this message of the app's (or its end, or its error)."""
    if message is _END or isinstance(message, BaseException):
        return True
    return message.get("type") == "http.response.body" and not message.get("more_body", False)


def _chunk(message: Any) -> bytes:
    """The body bytes a message of the app's carries; the app's error is raised."""
    if isinstance(message, BaseException):
        raise message
    if message is _END or message.get("type") != "http.response.body":
        return b""
    return bytes(message.get("body", b""))


class _SyncStream(httpx.SyncByteStream):
    def __init__(self, messages: queue.Queue[Any], on_close: Callable[[], None], timeout: float):
        self.messages = messages
        self.on_close = on_close
        self.timeout = timeout
        self.done = False

    def __iter__(self) -> Iterator[bytes]:
        while not self.done:
            message = self.messages.get(timeout=self.timeout)
            self.done = _is_last(message)
            chunk = _chunk(message)
            if chunk:
                yield chunk

    def close(self) -> None:
        self.on_close()


class _SyncTransport(httpx.BaseTransport):
    def __init__(self, client: TestClient) -> None:
        self.client = client

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        portal = self.client.portal
        body = request.read()
        scope = _build_scope(request, self.client.lifespan_state)
        messages: queue.Queue[Any] = queue.Queue()
        disconnected_box: list[asyncio.Event] = []

        async def run() -> None:
            disconnected = asyncio.Event()
            disconnected_box.append(disconnected)
            await _run_request(self.client.app, scope, body, messages.put, disconnected)

        future = portal.submit(run())

        def on_close() -> None:
            if disconnected_box and not future.done():
                portal.loop.call_soon_threadsafe(disconnected_box[0].set)
                with contextlib.suppress(Exception):
                    future.result(timeout=self.client.app_timeout)

        status, headers = _response_parts(messages.get(timeout=self.client.app_timeout), request)
        stream = _SyncStream(messages, on_close, self.client.app_timeout)
        return httpx.Response(status, headers=headers, stream=stream, request=request)


async def _lifespan_startup(
    app: ASGIApp, state: dict[str, Any]
) -> tuple[asyncio.Queue[Message], asyncio.Queue[Message], asyncio.Task[None]]:
    inbox: asyncio.Queue[Message] = asyncio.Queue()
    outbox: asyncio.Queue[Message] = asyncio.Queue()
    scope = {"type": "lifespan", "asgi": {"version": "3.0", "spec_version": "2.0"}, "state": state}
    task = asyncio.ensure_future(app(scope, inbox.get, outbox.put))
    await inbox.put({"type": "lifespan.startup"})
    message = await _next_lifespan_message(outbox, task)
    if message["type"] == "lifespan.startup.failed":
        raise RuntimeError(f"application startup failed: {message.get('message', '')}")
    return inbox, outbox, task


async def _next_lifespan_message(
    outbox: asyncio.Queue[Message], task: asyncio.Task[None]
) -> Message:
    getter = asyncio.ensure_future(outbox.get())
    done, _ = await asyncio.wait({getter, task}, return_when=asyncio.FIRST_COMPLETED)
    if getter in done:
        return getter.result()
    getter.cancel()
    task.result()
    return {"type": "lifespan.unsupported"}


async def _lifespan_shutdown(
    inbox: asyncio.Queue[Message], outbox: asyncio.Queue[Message], task: asyncio.Task[None]
) -> None:
    await inbox.put({"type": "lifespan.shutdown"})
    message = await _next_lifespan_message(outbox, task)
    if message["type"] == "lifespan.shutdown.failed":
        raise RuntimeError(f"application shutdown failed: {message.get('message', '')}")
    await task


def _path_url(client: httpx.Client | httpx.AsyncClient, url: httpx.URL | str) -> httpx.URL | str:
    """`//x` as the path `//x` of the app (not a URL on the host `x`): a test client talks
    to one app, and OpenAPI paths may start with an empty segment."""
    if isinstance(url, str) and url.startswith("//"):
        return str(client.base_url).rstrip("/") + url
    return url


class TestClient(httpx.Client):
    """A synchronous httpx client that calls the app in-process; `with` runs its lifespan."""

    __test__ = False  # not a pytest test class

    def __init__(
        self,
        app: ASGIApp,
        base_url: str = "http://testserver.local",
        timeout: float = 30.0,
        **kwargs: Any,
    ) -> None:
        self.app = app
        self.app_timeout = timeout
        self.lifespan_state: dict[str, Any] = {}
        self.portal = _Portal()
        self._lifespan: Any = None
        super().__init__(base_url=base_url, transport=_SyncTransport(self), **kwargs)

    def __enter__(self) -> TestClient:
        super().__enter__()
        self._lifespan = self.portal.call(_lifespan_startup(self.app, self.lifespan_state))
        return self

    def __exit__(self, *args: Any) -> None:
        try:
            if self._lifespan is not None:
                self.portal.call(_lifespan_shutdown(*self._lifespan))
                self._lifespan = None
        finally:
            super().__exit__(*args)
            self.portal.close()

    def close(self) -> None:
        super().close()

    def _merge_url(self, url: httpx.URL | str) -> httpx.URL:
        return super()._merge_url(_path_url(self, url))


class _AsyncStream(httpx.AsyncByteStream):
    def __init__(self, messages: asyncio.Queue[Any], on_close: Callable[[], Any]) -> None:
        self.messages = messages
        self.on_close = on_close
        self.done = False

    async def __aiter__(self) -> AsyncIterator[bytes]:
        while not self.done:
            message = await self.messages.get()
            self.done = _is_last(message)
            chunk = _chunk(message)
            if chunk:
                yield chunk

    async def aclose(self) -> None:
        await self.on_close()


class _AsyncTransport(httpx.AsyncBaseTransport):
    def __init__(self, client: AsyncTestClient) -> None:
        self.client = client

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        body = await request.aread()
        scope = _build_scope(request, self.client.lifespan_state)
        messages: asyncio.Queue[Any] = asyncio.Queue()
        disconnected = asyncio.Event()
        task = asyncio.ensure_future(
            _run_request(self.client.app, scope, body, messages.put_nowait, disconnected)
        )

        async def on_close() -> None:
            disconnected.set()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(task, timeout=self.client.app_timeout)

        status, headers = _response_parts(await messages.get(), request)
        return httpx.Response(
            status, headers=headers, stream=_AsyncStream(messages, on_close), request=request
        )


class AsyncTestClient(httpx.AsyncClient):
    """An async httpx client that calls the app in-process; `async with` runs its lifespan."""

    __test__ = False

    def __init__(
        self,
        app: ASGIApp,
        base_url: str = "http://testserver.local",
        timeout: float = 30.0,
        **kwargs: Any,
    ) -> None:
        self.app = app
        self.app_timeout = timeout
        self.lifespan_state: dict[str, Any] = {}
        self._lifespan: Any = None
        super().__init__(base_url=base_url, transport=_AsyncTransport(self), **kwargs)

    def _merge_url(self, url: httpx.URL | str) -> httpx.URL:
        return super()._merge_url(_path_url(self, url))

    async def __aenter__(self) -> AsyncTestClient:
        await super().__aenter__()
        self._lifespan = await _lifespan_startup(self.app, self.lifespan_state)
        return self

    async def __aexit__(self, *args: Any) -> None:
        try:
            if self._lifespan is not None:
                await _lifespan_shutdown(*self._lifespan)
                self._lifespan = None
        finally:
            await super().__aexit__(*args)
