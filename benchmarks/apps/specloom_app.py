"""specloom.runtime apps: the same code as the Litestar apps, on specloom's Litestar-style API."""

from collections.abc import AsyncGenerator
from typing import Annotated

import msgspec

from apps.data import (
    BIG_ROUTES,
    HANDLER_HEADERS,
    HELLO,
    ITEMS,
    LAYER_COOKIE,
    LAYER_HEADERS,
    MW_GZIP_LEVEL,
    MW_MIN_SIZE,
    MW_ORIGIN,
    RESPONSE_COOKIE,
    SSE_DATA,
)
from apps.models import model_routes
from specloom.runtime import App, MediaType, Response, Router, get, post
from specloom.runtime.config.compression import CompressionConfig
from specloom.runtime.config.cors import CORSConfig
from specloom.runtime.datastructures import Cookie, ResponseHeader
from specloom.runtime.response import ServerSentEvent


class Item(msgspec.Struct):
    id: int
    name: str
    price: float
    tags: list[str]


class Widget(msgspec.Struct):
    name: str
    price: Annotated[float, msgspec.Meta(gt=0)]
    tags: list[str]


ITEM_STRUCTS = msgspec.convert(ITEMS, list[Item])


@get("/plaintext", media_type=MediaType.TEXT)
async def plaintext() -> str:
    return HELLO


@get("/json")
async def json_message() -> dict[str, str]:
    return {"message": HELLO}


@get("/items/{item_id:int}")
async def item(item_id: int, q: str | None = None) -> dict[str, object]:
    return {"item_id": item_id, "q": q}


@get("/list")
async def item_list() -> list[Item]:
    return ITEM_STRUCTS


@post("/echo")
async def echo(data: Widget) -> Widget:
    return data


@get(
    "/response-headers",
    response_headers=[ResponseHeader(name=k, value=v) for k, v in HANDLER_HEADERS.items()],
)
async def response_headers() -> Response[dict[str, str]]:
    return Response(
        {"message": HELLO}, cookies=[Cookie(key=RESPONSE_COOKIE.key, value=RESPONSE_COOKIE.value)]
    )


# The outer layer of /response-headers: a router, so that the other endpoints stay unchanged.
HEADERS_ROUTER = Router(
    "/",
    route_handlers=[response_headers],
    response_headers=[ResponseHeader(name=k, value=v) for k, v in LAYER_HEADERS.items()],
    response_cookies=[Cookie(key=LAYER_COOKIE.key, value=LAYER_COOKIE.value)],
)


@get("/msgpack-list", media_type=MediaType.MESSAGEPACK)
async def msgpack_list() -> list[Item]:
    return ITEM_STRUCTS


async def ticks(n: int) -> AsyncGenerator[dict[str, object], None]:
    for i in range(n):
        yield {"id": i, "data": SSE_DATA}


@get("/sse")
async def sse(n: int) -> ServerSentEvent:
    return ServerSentEvent(ticks(n))


async def big_item(item_id: int) -> dict[str, int]:
    return {"item_id": item_id}


BIG_HANDLERS = [get(f"/r{i}/items/{{item_id:int}}")(big_item) for i in range(BIG_ROUTES)]


MODEL_HANDLERS = model_routes(get)


app = App(
    route_handlers=[
        plaintext,
        json_message,
        item,
        item_list,
        echo,
        HEADERS_ROUTER,
        msgpack_list,
        sse,
    ]
)
app_big = App(route_handlers=[plaintext, *BIG_HANDLERS])
app_models = App(route_handlers=[plaintext, *MODEL_HANDLERS])
app_mw = App(
    route_handlers=[item_list],
    cors_config=CORSConfig(allow_origins=[MW_ORIGIN]),
    compression_config=CompressionConfig(
        backend="gzip", minimum_size=MW_MIN_SIZE, gzip_compress_level=MW_GZIP_LEVEL
    ),
)
