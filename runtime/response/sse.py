"""`ServerSentEvent`: a `text/event-stream` response built on `Stream`."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncGenerator, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..serialization import TypeEncodersMap, get_json_encoder
from .base import ResponsePlan
from .streaming import Stream, StreamType, iterate_content

if TYPE_CHECKING:
    from ..background_tasks import BackgroundTask, BackgroundTasks
    from ..datastructures import Cookie

__all__ = ["ServerSentEvent", "ServerSentEventMessage", "encode_event"]

EVENT_STREAM = "text/event-stream"
SEPARATOR = "\r\n"
PING = b": ping\r\n\r\n"
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_MESSAGE_KEYS = {"data": "data", "event": "event", "event_type": "event", "id": "id"}
_MESSAGE_KEYS |= {"retry": "retry", "comment": "comment"}
_END = object()


def _single_line(field: str, value: Any) -> str:
    """A field value that cannot start a new field: line breaks would let it inject one."""
    text = str(value)
    if "\r" in text or "\n" in text or (field == "id" and "\0" in text):
        raise ValueError(f"An SSE {field} cannot contain a line break: {text!r}")
    return text


def _retry(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"An SSE retry must be a non-negative int (milliseconds), not {value!r}")
    return value


def _data_text(data: Any, encode_json: Callable[[Any], bytes]) -> str:
    if isinstance(data, str):
        return data
    if isinstance(data, bytes | bytearray):
        return bytes(data).decode("utf-8")
    return encode_json(data).decode("utf-8")  # numbers, dicts, lists, structs: their JSON text


def encode_event(
    data: Any = None,
    event: str | None = None,
    id: int | str | None = None,
    retry: int | None = None,
    comment: str | None = None,
    encode_json: Callable[[Any], bytes] | None = None,
) -> bytes:
    """One SSE event: comment, id, event, data and retry lines, then a blank line."""
    lines: list[str] = []
    if comment is not None:
        lines.extend(f": {line}" for line in _LINE_BREAK.split(str(comment)))
    if id is not None:
        lines.append(f"id: {_single_line('id', id)}")
    if event is not None:
        lines.append(f"event: {_single_line('event', event)}")
    if data is not None:
        text = _data_text(data, encode_json or get_json_encoder().encode)
        lines.extend(f"data: {line}" for line in _LINE_BREAK.split(text))
    if retry is not None:
        lines.append(f"retry: {_retry(retry)}")
    lines.append(SEPARATOR)
    return SEPARATOR.join(lines).encode("utf-8")


@dataclass
class ServerSentEventMessage:
    """One event; `dict` and `list` data are sent as JSON, multi-line data as several lines.

    Browsers dispatch an event only when it has a data line, so `data` defaults to `""`: an
    event of only a comment or an `event` name still carries an empty `data:` line (as
    Litestar's does); `data=None` sends none.
    """

    data: Any = ""
    event: str | None = None
    id: int | str | None = None
    retry: int | None = None
    comment: str | None = None

    def encode(self, encode_json: Callable[[Any], bytes] | None = None) -> bytes:
        return encode_event(self.data, self.event, self.id, self.retry, self.comment, encode_json)


class ServerSentEvent(Stream):
    """Server-sent events (always `text/event-stream`) from ints, strs, bytes, dicts or messages.

    Plain values get `event_type` (no `event:` line if unset: browsers say "message").
    """

    default_media_type = EVENT_STREAM

    def __init__(
        self,
        content: StreamType | Callable[[], StreamType],
        *,
        event_type: str | None = None,
        event_id: int | str | None = None,
        retry_duration: int | None = None,
        comment_message: str | None = None,
        status_code: int | None = None,
        background: BackgroundTask | BackgroundTasks | None = None,
        headers: Mapping[str, str] | None = None,
        cookies: Sequence[Cookie] | None = None,
        encoding: str = "utf-8",
        ping_interval: float | None = None,
    ) -> None:
        super().__init__(
            content,
            status_code=status_code,
            media_type=EVENT_STREAM,
            background=background,
            headers=headers,
            cookies=cookies,
            encoding=encoding,
        )
        self.event_type = None if event_type is None else _single_line("event", event_type)
        self.event_id = event_id
        self.retry_duration = retry_duration
        self.comment_message = comment_message
        self.ping_interval = ping_interval  # idle seconds before a `: ping` keeps proxies open
        # Sent once, first; built now so a bad event_id or retry fails in the handler.
        self.preamble = b""
        if event_id is not None or retry_duration is not None or comment_message is not None:
            self.preamble = encode_event(id=event_id, retry=retry_duration, comment=comment_message)
        own = {name.lower() for name in self.headers}
        if "cache-control" not in own:
            self.headers["cache-control"] = "no-cache"
        if "x-accel-buffering" not in own:
            self.headers["x-accel-buffering"] = "no"  # nginx: do not buffer the stream

    def encode_item(self, item: Any, encode_json: Callable[[Any], bytes]) -> bytes:
        """One yielded value as an event."""
        if isinstance(item, ServerSentEventMessage):
            return item.encode(encode_json)
        if isinstance(item, dict):
            fields: dict[str, Any] = {"data": ""}  # as a message: an empty data line by default
            for key, value in item.items():
                if key not in _MESSAGE_KEYS:
                    raise ValueError(
                        f"Unknown SSE field {key!r}; use one of {sorted(_MESSAGE_KEYS)}"
                    )
                fields[_MESSAGE_KEYS[key]] = value
            return encode_event(**fields, encode_json=encode_json)
        return encode_event(item, self.event_type, encode_json=encode_json)

    def body_iterator(self, plan: ResponsePlan) -> AsyncGenerator[bytes, None]:
        encoders: TypeEncodersMap | None = self.response_type_encoders or plan.type_encoders
        return self._events(iterate_content(self.content), get_json_encoder(encoders).encode)

    async def _events(
        self, source: AsyncGenerator[Any, None], encode_json: Callable[[Any], bytes]
    ) -> AsyncGenerator[bytes, None]:
        pending: asyncio.Future[Any] | None = None
        try:
            if self.preamble:
                yield self.preamble
            if self.ping_interval is None:
                async for item in source:
                    yield self.encode_item(item, encode_json)
                return
            while True:
                # The next item is awaited in a task so that idle time can be measured and pinged.
                pending = asyncio.ensure_future(anext(source, _END))
                while not (await asyncio.wait((pending,), timeout=self.ping_interval))[0]:
                    yield PING
                item = pending.result()
                pending = None
                if item is _END:
                    return
                yield self.encode_item(item, encode_json)
        finally:
            if pending is not None:
                # The source is running in `pending`: stop it there before closing it.
                pending.cancel()
                await asyncio.gather(pending, return_exceptions=True)
            await source.aclose()
