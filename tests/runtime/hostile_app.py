"""The app the hostile-request tests serve with uvicorn: a typed JSON body under a small body
limit, files served from a folder by a path parameter, header fields limited below h11's own
16 KiB (so that both uvicorn parsers let the app answer the 431) and a short body deadline."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any

import msgspec

from specloom.runtime import App, get, post
from specloom.runtime.formats import number_format
from specloom.runtime.response import File

LIMIT = 4096
HEADER_LIMIT = 8192
BODY_TIMEOUT = 1.0
ROOT = Path(os.environ.get("HOSTILE_FILES", "/nonexistent"))


class Note(msgspec.Struct):
    id: Annotated[int, number_format("int64")]
    text: str = ""
    extra: Any = None


@get("/")
async def index() -> str:
    return "ok"


@post("/notes")
async def add_note(data: Note) -> dict[str, Any]:
    return {"id": data.id, "text": data.text}


@get("/files/{rest:path}")
async def download(rest: str) -> File:
    return File(ROOT / rest)


@get("/photos/{name:str}/photo.png")
async def photo(name: str) -> File:
    return File(ROOT / name / "photo.png")


app = App(
    [index, add_note, download, photo],
    request_max_body_size=LIMIT,
    request_max_header_size=HEADER_LIMIT,
    request_body_timeout=BODY_TIMEOUT,
)
