"""`Stream`: a response whose body comes from a sync or async iterator, chunk by chunk."""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import (
    AsyncGenerator,
    AsyncIterable,
    AsyncIterator,
    Callable,
    Collection,
    Iterable,
    Iterator,
    Mapping,
    Sequence,
)
from typing import TYPE_CHECKING, Any, TypeAlias

from ..exceptions import ImproperlyConfiguredException
from ..types import Message, Receive, Scope, Send
from .base import (
    ASGIResponse,
    Response,
    ResponsePlan,
    body_allowed,
    content_type_value,
    run_background,
)

if TYPE_CHECKING:
    from ..background_tasks import BackgroundTask, BackgroundTasks
    from ..datastructures import Cookie
    from ..enums import MediaType

__all__ = ["Stream", "StreamType", "StreamingASGIResponse", "iterate_content"]

StreamType: TypeAlias = (
    "Iterable[Any] | Iterator[Any] | AsyncIterable[Any] | AsyncIterator[Any] | str | bytes"
)
_DONE = object()


class _ClientGone(Exception):
    """`send` failed: the client is no longer there to receive the body."""


def _close_later(future: asyncio.Future[Any], close: Callable[[], Any]) -> None:
    """Run `close()` in a worker once the pending `next()` has returned."""
    loop = asyncio.get_running_loop()

    def on_done(done: asyncio.Future[Any]) -> None:
        if not done.cancelled():
            done.exception()  # retrieved, so asyncio does not log it as forgotten
        loop.run_in_executor(None, close)

    future.add_done_callback(on_done)


def _next_or_done(iterator: Iterator[Any]) -> Any:
    return next(iterator, _DONE)


async def _iterate_in_thread(iterator: Iterator[Any]) -> AsyncGenerator[Any, None]:
    """Advance a sync iterator in a worker thread: a generator may block (I/O, `time.sleep`)."""
    loop = asyncio.get_running_loop()
    pending: asyncio.Future[Any] | None = None
    try:
        while True:
            context = contextvars.copy_context()  # like `asyncio.to_thread`
            pending = loop.run_in_executor(None, context.run, _next_or_done, iterator)
            # shield: on cancellation the worker still runs `next()`, and `pending` must say so
            item = await asyncio.shield(pending)
            pending = None
            if item is _DONE:
                return
            yield item
    finally:
        close = getattr(iterator, "close", None)
        if close is not None:
            if pending is not None and not pending.done():
                # Closing a generator that is running in another thread raises ValueError.
                _close_later(pending, close)
            else:
                await loop.run_in_executor(None, close)


async def _iterate_inline(items: Iterable[Any]) -> AsyncGenerator[Any, None]:
    """Iterate an in-memory collection on the event loop: it cannot block."""
    for item in items:
        yield item


async def _iterate_async(iterator: AsyncIterator[Any]) -> AsyncGenerator[Any, None]:
    """Wrap an async iterator so closing the wrapper closes it (and runs its `finally:`)."""
    try:
        async for item in iterator:
            yield item
    finally:
        aclose = getattr(iterator, "aclose", None)
        if aclose is not None:
            await aclose()


def iterate_content(content: Any) -> AsyncGenerator[Any, None]:
    """Stream content as an async generator whose `aclose()` cleans up the source.

    Collections are iterated inline; other sync iterables (generators...) in a worker thread:
    they may block (I/O, sleep), and a thread hop per chunk is cheap next to network I/O.
    """
    if isinstance(content, type) or (
        callable(content) and not hasattr(content, "__iter__") and not hasattr(content, "__aiter__")
    ):
        content = content()  # an iterator class, or a function returning the iterator
    if isinstance(content, str | bytes | bytearray | memoryview):
        return _iterate_inline((content,))
    if isinstance(content, AsyncIterator):
        return _iterate_async(content)
    if isinstance(content, AsyncIterable):
        return _iterate_async(aiter(content))
    if isinstance(content, Collection) and not isinstance(content, Iterator):
        return _iterate_inline(content)
    if isinstance(content, Iterable):
        return _iterate_in_thread(iter(content))
    raise ImproperlyConfiguredException(
        f"Stream content must be an iterator, an iterable or a callable returning one, "
        f"not {type(content).__name__}"
    )


async def _wait_for_disconnect(receive: Receive) -> None:
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return


class StreamingASGIResponse(ASGIResponse):
    """Sends chunks until the iterator ends or the client goes away; the iterator is always
    closed, and background tasks run afterwards even on a disconnect (to release resources)."""

    __slots__ = ("chunks", "send_body")

    def __init__(
        self,
        status_code: int,
        headers: list[tuple[bytes, bytes]],
        chunks: AsyncGenerator[bytes, None],
        background: BackgroundTask | BackgroundTasks | None = None,
        send_body: bool = True,
    ) -> None:
        super().__init__(status_code, headers, b"", background)
        self.chunks = chunks
        self.send_body = send_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await send(
                {"type": "http.response.start", "status": self.status_code, "headers": self.headers}
            )
            # A HEAD request (or a no-body status) gets no chunks: an endless stream would hang.
            if not self.send_body or scope.get("method") == "HEAD":
                await send({"type": "http.response.body", "body": b"", "more_body": False})
            else:
                await self._stream_until_disconnect(receive, send)
        finally:
            await self.chunks.aclose()
        if self.background is not None:
            await run_background(self.background)

    async def _stream_until_disconnect(self, receive: Receive, send: Send) -> None:
        streaming = asyncio.ensure_future(self._stream(send))
        listening = asyncio.ensure_future(_wait_for_disconnect(receive))
        try:
            await asyncio.wait((streaming, listening), return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (streaming, listening):
                task.cancel()
            await asyncio.gather(streaming, listening, return_exceptions=True)
        if not streaming.cancelled():
            error = streaming.exception()
            if error is not None and not isinstance(error, _ClientGone):
                raise error

    async def _stream(self, send: Send) -> None:
        async def send_or_stop(message: Message) -> None:
            try:
                await send(message)
            except Exception as exc:
                raise _ClientGone from exc

        try:
            async for chunk in self.chunks:
                await send_or_stop({"type": "http.response.body", "body": chunk, "more_body": True})
            await send_or_stop({"type": "http.response.body", "body": b"", "more_body": False})
        finally:
            # Close here, inside the cancelled task, so the source's `finally:` runs right away.
            await self.chunks.aclose()


class Stream(Response[Any]):
    """Chunks (str or bytes) sent as they come, without content-length; `content` is an (async)
    iterator or iterable, or a callable returning one. Status, media type: own, else handler's."""

    # a handler annotated `-> Stream` sends bytes, not JSON, unless its decorator says otherwise
    default_media_type = "application/octet-stream"

    def __init__(
        self,
        content: StreamType | Callable[[], StreamType],
        *,
        status_code: int | None = None,
        media_type: MediaType | str | None = None,
        background: BackgroundTask | BackgroundTasks | None = None,
        headers: Mapping[str, str] | None = None,
        cookies: Sequence[Cookie] | None = None,
        encoding: str = "utf-8",
    ) -> None:
        super().__init__(
            content,
            status_code=status_code,
            media_type=media_type,
            background=background,
            headers=headers,
            cookies=cookies,
            encoding=encoding,
        )

    async def encode_chunks(self, chunks: AsyncGenerator[Any, None]) -> AsyncGenerator[bytes, None]:
        """The content's items as bytes: str is encoded, bytes-like passes through."""
        encoding = self.encoding
        try:
            async for chunk in chunks:
                if isinstance(chunk, bytes):
                    yield chunk
                elif isinstance(chunk, str):
                    yield chunk.encode(encoding)
                elif isinstance(chunk, bytearray | memoryview):
                    yield bytes(chunk)
                else:
                    raise TypeError(
                        f"Stream chunks must be str or bytes, not {type(chunk).__name__}"
                    )
        finally:
            await chunks.aclose()  # `async for` does not close its source when we are closed

    def body_iterator(self, plan: ResponsePlan) -> AsyncGenerator[bytes, None]:
        """The body as bytes chunks (subclasses change how items become bytes)."""
        return self.encode_chunks(iterate_content(self.content))

    def to_asgi_response(self, plan: ResponsePlan) -> StreamingASGIResponse:
        status, media_type = self.resolve(plan)
        content_type = self.headers.get("content-type") or content_type_value(
            media_type, self.encoding
        )
        headers = self.encoded_headers(plan, (("content-type", content_type),))
        chunks = self.body_iterator(plan)
        return StreamingASGIResponse(status, headers, chunks, self.background, body_allowed(status))
