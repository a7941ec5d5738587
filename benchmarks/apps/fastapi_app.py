"""FastAPI apps: pydantic models and response models, as the FastAPI docs recommend."""

from __future__ import annotations

from typing import Annotated

from fastapi import FastAPI
from fastapi.responses import PlainTextResponse
from pydantic import BaseModel, Field

from apps.data import BIG_ROUTES, HELLO, ITEMS


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


async def big_item(item_id: int) -> BigItemOut:
    return BigItemOut(item_id=item_id)


app_big = FastAPI()
app_big.add_api_route("/plaintext", plaintext, response_class=PlainTextResponse)
for i in range(BIG_ROUTES):
    app_big.add_api_route(f"/r{i}/items/{{item_id}}", big_item, name=f"big_item_{i}")
