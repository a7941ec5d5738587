"""Starlette apps: idiomatic routes; msgspec validates the POST body and encodes MessagePack."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Annotated

import msgspec
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route

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


class Widget(msgspec.Struct):
    name: str
    price: Annotated[float, msgspec.Meta(gt=0)]
    tags: list[str]


decode_widget = msgspec.json.Decoder(Widget).decode


async def plaintext(request: Request) -> Response:
    return PlainTextResponse(HELLO)


async def json_message(request: Request) -> Response:
    return JSONResponse({"message": HELLO})


async def item(request: Request) -> Response:
    return JSONResponse(
        {"item_id": request.path_params["item_id"], "q": request.query_params.get("q")}
    )


async def item_list(request: Request) -> Response:
    return JSONResponse(ITEMS)


async def echo(request: Request) -> Response:
    try:
        widget = decode_widget(await request.body())
    except msgspec.DecodeError as exc:
        return JSONResponse({"detail": str(exc)}, status_code=400)
    return Response(msgspec.json.encode(widget), status_code=201, media_type="application/json")


async def response_headers(request: Request) -> Response:
    # Starlette has no layered headers: the handler sets all of them.
    response = JSONResponse({"message": HELLO}, headers={**LAYER_HEADERS, **HANDLER_HEADERS})
    response.set_cookie(LAYER_COOKIE.key, LAYER_COOKIE.value)
    response.set_cookie(RESPONSE_COOKIE.key, RESPONSE_COOKIE.value)
    return response


async def msgpack_list(request: Request) -> Response:
    return Response(msgspec.msgpack.encode(ITEMS), media_type="application/x-msgpack")


async def ticks(n: int) -> AsyncGenerator[str, None]:
    for i in range(n):
        yield f"id: {i}\r\ndata: {SSE_DATA}\r\n\r\n"


async def sse(request: Request) -> Response:
    # Starlette has no SSE class: the events are formatted by hand and streamed.
    events = ticks(int(request.query_params["n"]))
    return StreamingResponse(
        events, media_type="text/event-stream", headers={"cache-control": "no-cache"}
    )


async def big_item(request: Request) -> Response:
    return JSONResponse({"item_id": request.path_params["item_id"]})


app = Starlette(
    routes=[
        Route("/plaintext", plaintext),
        Route("/json", json_message),
        Route("/items/{item_id:int}", item),
        Route("/list", item_list),
        Route("/echo", echo, methods=["POST"]),
        Route("/response-headers", response_headers),
        Route("/msgpack-list", msgpack_list),
        Route("/sse", sse),
    ]
)

app_big = Starlette(
    routes=[
        Route("/plaintext", plaintext),
        *(Route(f"/r{i}/items/{{item_id:int}}", big_item) for i in range(BIG_ROUTES)),
    ]
)
