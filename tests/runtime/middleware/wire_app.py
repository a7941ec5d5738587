"""The app the wire tests serve with uvicorn: CORS, gzip and allowed hosts together."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from specloom.runtime import App, get
from specloom.runtime.config.compression import CompressionConfig
from specloom.runtime.config.cors import CORSConfig
from specloom.runtime.response import Stream

BIG = {"items": [{"id": index, "name": f"item {index}"} for index in range(200)]}


@get("/")
async def index() -> str:
    return "ok"


@get("/items")
async def items() -> dict[str, list[dict[str, object]]]:
    return BIG


@get("/slow")
async def slow() -> Stream:
    async def chunks() -> AsyncIterator[bytes]:
        yield b"first\n"
        await asyncio.sleep(1.5)
        yield b"second\n"

    return Stream(chunks(), media_type="text/plain")


app = App(
    [index, items, slow],
    cors_config=CORSConfig(allow_origins=["https://app.example.com"], max_age=60),
    compression_config=CompressionConfig(backend="gzip", minimum_size=100),
    allowed_hosts=["127.0.0.1", "*.example.com"],
)
