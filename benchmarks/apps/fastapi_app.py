"""FastAPI apps: pydantic models and response models, as the FastAPI docs recommend."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Annotated

import msgspec
from fastapi import APIRouter, Depends, FastAPI, Response
from fastapi.responses import PlainTextResponse
from fastapi.sse import EventSourceResponse, ServerSentEvent
from pydantic import BaseModel, Field

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


class Message(BaseModel):
    message: str


class ItemOut(BaseModel):
    item_id: int
    q: str | None


class Item(BaseModel):
    id: int
    name: str
    price: float
    tags: list[str]


class Widget(BaseModel):
    name: str
    price: Annotated[float, Field(gt=0)]
    tags: list[str]


class BigItemOut(BaseModel):
    item_id: int


ITEM_MODELS = [Item.model_validate(item) for item in ITEMS]

app = FastAPI()


@app.get("/plaintext", response_class=PlainTextResponse)
async def plaintext() -> str:
    return HELLO


@app.get("/json")
async def json_message() -> Message:
    return Message(message=HELLO)


@app.get("/items/{item_id}")
async def item(item_id: int, q: str | None = None) -> ItemOut:
    return ItemOut(item_id=item_id, q=q)


@app.get("/list")
async def item_list() -> list[Item]:
    return ITEM_MODELS


@app.post("/echo", status_code=201)
async def echo(data: Widget) -> Widget:
    return data


async def layer_headers(response: Response) -> None:
    response.headers.update(LAYER_HEADERS)
    response.set_cookie(LAYER_COOKIE.key, LAYER_COOKIE.value)


# FastAPI's outer layer: a router dependency that sets headers on the temporal response.
headers_router = APIRouter(dependencies=[Depends(layer_headers)])


@headers_router.get("/response-headers")
async def response_headers(response: Response) -> Message:
    response.headers.update(HANDLER_HEADERS)
    response.set_cookie(RESPONSE_COOKIE.key, RESPONSE_COOKIE.value)
    return Message(message=HELLO)


app.include_router(headers_router)


@app.get("/msgpack-list")
async def msgpack_list() -> Response:
    # No MessagePack support in FastAPI: msgspec encodes, a plain Response sends.
    return Response(msgspec.msgpack.encode(ITEMS), media_type="application/x-msgpack")


@app.get("/sse", response_class=EventSourceResponse)
async def sse(n: int) -> AsyncGenerator[ServerSentEvent, None]:
    for i in range(n):
        yield ServerSentEvent(raw_data=SSE_DATA, id=str(i))


async def big_item(item_id: int) -> BigItemOut:
    return BigItemOut(item_id=item_id)


app_big = FastAPI()
app_big.add_api_route("/plaintext", plaintext, response_class=PlainTextResponse)
for i in range(BIG_ROUTES):
    app_big.add_api_route(f"/r{i}/items/{{item_id}}", big_item, name=f"big_item_{i}")
