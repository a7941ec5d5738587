"""Hand-written ASGI apps: the ceiling the frameworks are measured against."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping, Sequence
from typing import Annotated, Any
from urllib.parse import parse_qsl

import msgspec

from apps.data import (
    BIG_ROUTES,
    HANDLER_HEADERS,
    HELLO,
    ITEMS,
    LAYER_COOKIE,
    LAYER_HEADERS,
    RESPONSE_COOKIE,
    SSE_DATA,
)

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]


class Widget(msgspec.Struct):
    name: str
    price: Annotated[float, msgspec.Meta(gt=0)]
    tags: list[str]


TEXT = b"text/plain; charset=utf-8"
JSON = b"application/json"
MSGPACK = b"application/x-msgpack"
encode = msgspec.json.Encoder().encode
decode_widget = msgspec.json.Decoder(Widget).decode
PLAINTEXT_BODY = HELLO.encode()
JSON_BODY = encode({"message": HELLO})
LIST_BODY = encode(ITEMS)
MSGPACK_LIST_BODY = msgspec.msgpack.encode(ITEMS)
EXTRA_HEADERS = [
    *(
        (name.encode(), value.encode())
        for name, value in {**LAYER_HEADERS, **HANDLER_HEADERS}.items()
    ),
    *(
        (b"set-cookie", f"{c.key}={c.value}; Path=/; SameSite=lax".encode())
        for c in (LAYER_COOKIE, RESPONSE_COOKIE)
    ),
]
SSE_HEADERS = [
    (b"content-type", b"text/event-stream; charset=utf-8"),
    (b"cache-control", b"no-cache"),
]
SSE_EVENT = b"id: %d\r\ndata: " + SSE_DATA.encode() + b"\r\n\r\n"
NOT_FOUND = (404, TEXT, b"Not Found")
BIG_PREFIXES = {f"r{i}": i for i in range(BIG_ROUTES)}


async def respond(
    send: Send,
    status: int,
    content_type: bytes,
    body: bytes,
    extra: Sequence[tuple[bytes, bytes]] = (),
) -> None:
    headers = [(b"content-type", content_type), (b"content-length", str(len(body)).encode())]
    headers += extra
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def read_body(receive: Receive) -> bytes:
    chunks = []
    more = True
    while more:
        message = await receive()
        chunks.append(message.get("body", b""))
        more = message.get("more_body", False)
    return b"".join(chunks)


async def lifespan(receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


async def sse(send: Send, query_string: bytes) -> None:
    n = int(dict(parse_qsl(query_string.decode("latin-1"))).get("n", "0"))
    await send({"type": "http.response.start", "status": 200, "headers": SSE_HEADERS})
    for i in range(n):
        await send({"type": "http.response.body", "body": SSE_EVENT % i, "more_body": True})
    await send({"type": "http.response.body", "body": b"", "more_body": False})


def item_response(raw_id: str, query_string: bytes) -> tuple[int, bytes, bytes]:
    if not raw_id.isdigit():
        return NOT_FOUND
    q = None
    for key, value in parse_qsl(query_string.decode("latin-1")):
        if key == "q":
            q = value
    return 200, JSON, encode({"item_id": int(raw_id), "q": q})


async def echo(receive: Receive) -> tuple[int, bytes, bytes]:
    try:
        widget = decode_widget(await read_body(receive))
    except msgspec.DecodeError as exc:  # ValidationError is a subclass
        return 400, JSON, encode({"detail": str(exc)})
    return 201, JSON, encode(widget)


async def app(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] == "lifespan":
        return await lifespan(receive, send)
    path, method = scope["path"], scope["method"]
    if path == "/plaintext" and method == "GET":
        result = 200, TEXT, PLAINTEXT_BODY
    elif path == "/json" and method == "GET":
        result = 200, JSON, JSON_BODY
    elif path == "/list" and method == "GET":
        result = 200, JSON, LIST_BODY
    elif path == "/echo" and method == "POST":
        result = await echo(receive)
    elif path == "/response-headers" and method == "GET":
        return await respond(send, 200, JSON, JSON_BODY, EXTRA_HEADERS)
    elif path == "/msgpack-list" and method == "GET":
        result = 200, MSGPACK, MSGPACK_LIST_BODY
    elif path == "/sse" and method == "GET":
        return await sse(send, scope["query_string"])
    elif path.startswith("/items/") and method == "GET":
        result = item_response(path[7:], scope["query_string"])
    else:
        result = NOT_FOUND
    await respond(send, *result)


async def app_big(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] == "lifespan":
        return await lifespan(receive, send)
    result = NOT_FOUND
    if scope["method"] == "GET":
        if scope["path"] == "/plaintext":
            result = 200, TEXT, PLAINTEXT_BODY
        else:
            parts = scope["path"].split("/")  # "", "r{i}", "items", "{item_id}"
            route_ok = len(parts) == 4 and parts[1] in BIG_PREFIXES and parts[2] == "items"
            if route_ok and parts[3].isdigit():
                result = 200, JSON, encode({"item_id": int(parts[3])})
    await respond(send, *result)
