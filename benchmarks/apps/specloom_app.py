"""specloom.runtime apps: the same code as the Litestar apps, on specloom's Litestar-style API."""

from typing import Annotated

import msgspec

from apps.data import BIG_ROUTES, HELLO, ITEMS
from specloom.runtime import App, MediaType, get, post


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


async def big_item(item_id: int) -> dict[str, int]:
    return {"item_id": item_id}


BIG_HANDLERS = [get(f"/r{i}/items/{{item_id:int}}")(big_item) for i in range(BIG_ROUTES)]


app = App(route_handlers=[plaintext, json_message, item, item_list, echo])
app_big = App(route_handlers=[plaintext, *BIG_HANDLERS])
