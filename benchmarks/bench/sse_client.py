"""Server-sent events client on raw asyncio streams (stdlib only): events/s of one stream.

``python3 bench/sse_client.py --port P --events N`` sends ``GET /sse?n=N`` over one HTTP/1.1
connection, reads until N events have arrived (an event ends at a blank line: ``\\n\\n`` or
``\\r\\n\\r\\n``) and prints one JSON object. run.py runs it pinned to its own core.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from collections.abc import AsyncIterator
from dataclasses import asdict, dataclass

READ_SIZE = 1 << 18


@dataclass(frozen=True)
class StreamResult:
    events: int
    seconds: float  # from sending the request to the N-th event
    first_event_ms: float
    bytes: int

    @property
    def events_per_s(self) -> float:
        return self.events / self.seconds if self.seconds else 0.0


class EventCounter:
    """Counts blank-line event terminators across arbitrary chunk boundaries."""

    def __init__(self) -> None:
        self.events = 0
        self._tail = b""

    def feed(self, data: bytes) -> None:
        text = self._tail + data.replace(b"\r", b"")
        self.events += text.count(b"\n\n")
        cut = text.rfind(b"\n\n")
        self._tail = text if cut < 0 else text[cut + 2 :]


def parse_events(body: bytes) -> list[dict[str, str]]:
    """The events of an SSE body as field dicts (comments dropped, data lines joined by \\n)."""
    text = body.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
    events = []
    for block in text.split("\n\n"):
        fields: dict[str, str] = {}
        for line in block.split("\n"):
            if not line or line.startswith(":"):
                continue
            name, _, value = line.partition(":")
            value = value[1:] if value.startswith(" ") else value
            fields[name] = f"{fields[name]}\n{value}" if name in fields else value
        if fields:
            events.append(fields)
    return events


async def _more(reader: asyncio.StreamReader) -> bytes:
    data = await reader.read(READ_SIZE)
    if not data:
        raise ConnectionError("the server closed the stream early")
    return data


async def dechunk(reader: asyncio.StreamReader) -> AsyncIterator[bytes]:
    """The payload of a chunked body, one piece per network read."""
    buf, pos = b"", 0
    while True:
        pieces: list[bytes] = []
        while True:
            eol = buf.find(b"\r\n", pos)
            if eol < 0:
                break
            size = int(buf[pos:eol].split(b";", 1)[0], 16)
            end = eol + 2 + size
            if size == 0:
                if pieces:
                    yield b"".join(pieces)
                return
            if len(buf) < end + 2:
                break
            pieces.append(buf[eol + 2 : end])
            pos = end + 2
        if pieces:
            yield b"".join(pieces)
        buf = buf[pos:] + await _more(reader)
        pos = 0


async def until_close(reader: asyncio.StreamReader) -> AsyncIterator[bytes]:
    while data := await reader.read(READ_SIZE):
        yield data


async def stream(host: str, port: int, events: int) -> StreamResult:
    reader, writer = await asyncio.open_connection(host, port, limit=READ_SIZE)
    try:
        start = time.perf_counter()
        request = f"GET /sse?n={events} HTTP/1.1\r\nHost: {host}:{port}\r\n"
        writer.write(f"{request}Accept: text/event-stream\r\n\r\n".encode())
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = lines[0].split(" ", 2)[1]
        headers = {k.strip().lower(): v.strip() for k, _, v in (ln.partition(":") for ln in lines)}
        if status != "200" or not headers.get("content-type", "").startswith("text/event-stream"):
            raise ConnectionError(f"unexpected answer: {lines[0]!r} {headers}")
        chunked = headers.get("transfer-encoding", "").lower() == "chunked"
        body = dechunk(reader) if chunked else until_close(reader)
        counter, size, first = EventCounter(), 0, 0.0
        async for data in body:
            counter.feed(data)
            size += len(data)
            if not first and counter.events:
                first = time.perf_counter()
            if counter.events >= events:
                break
        seconds = time.perf_counter() - start
    finally:
        writer.close()
    if counter.events < events:
        raise ConnectionError(f"the stream ended after {counter.events} of {events} events")
    return StreamResult(counter.events, seconds, (first - start) * 1000, size)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--events", type=int, required=True, help="events to read (n of /sse?n=)")
    p.add_argument("--timeout", type=float, default=300.0)
    args = p.parse_args()
    result = asyncio.run(asyncio.wait_for(stream(args.host, args.port, args.events), args.timeout))
    print(json.dumps({**asdict(result), "events_per_s": round(result.events_per_s, 1)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
