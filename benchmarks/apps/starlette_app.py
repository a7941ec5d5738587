"""Starlette apps: idiomatic routes; msgspec validates the POST body."""

from __future__ import annotations

from typing import Annotated

import msgspec
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from apps.data import BIG_ROUTES, HELLO, ITEMS


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


async def big_item(request: Request) -> Response:
    return JSONResponse({"item_id": request.path_params["item_id"]})


app = Starlette(
    routes=[
        Route("/plaintext", plaintext),
        Route("/json", json_message),
        Route("/items/{item_id:int}", item),
        Route("/list", item_list),
        Route("/echo", echo, methods=["POST"]),
    ]
)

app_big = Starlette(
    routes=[
        Route("/plaintext", plaintext),
        *(Route(f"/r{i}/items/{{item_id:int}}", big_item) for i in range(BIG_ROUTES)),
    ]
)
