"""CORS, gzip and allowed hosts on the wire: uvicorn on 127.0.0.1 and a real HTTP client."""

from __future__ import annotations

import gzip
import json
import time
import zlib
from collections.abc import Iterator

import httpx
import pytest

from tests.live_server import uvicorn_server

from .wire_app import BIG

ORIGIN = "https://app.example.com"


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    with uvicorn_server("tests.runtime.middleware.wire_app:app") as url:
        yield url


def test_gzip_and_cors_on_one_response(base: str) -> None:
    headers = {"origin": ORIGIN, "accept-encoding": "gzip"}
    with (
        httpx.Client(timeout=5) as client,
        client.stream("GET", base + "/items", headers=headers) as response,
    ):
        raw = b"".join(response.iter_raw())
    assert response.status_code == 200
    assert response.headers["content-encoding"] == "gzip"
    assert int(response.headers["content-length"]) == len(raw)
    assert json.loads(gzip.decompress(raw)) == BIG
    assert response.headers["access-control-allow-origin"] == ORIGIN
    assert set(response.headers["vary"].split(", ")) == {"Accept-Encoding", "Origin"}


def test_preflight(base: str) -> None:
    headers = {"origin": ORIGIN, "access-control-request-method": "GET"}
    response = httpx.options(base + "/items", headers=headers, timeout=5)
    assert response.status_code == 204
    assert response.headers["access-control-allow-origin"] == ORIGIN
    assert response.headers["access-control-max-age"] == "60"
    refused = httpx.options(
        base + "/items",
        headers={"origin": "https://evil.example", "access-control-request-method": "GET"},
        timeout=5,
    )
    assert refused.status_code == 400


def test_stream_chunks_arrive_compressed_as_they_are_sent(base: str) -> None:
    decoder = zlib.decompressobj(31)
    with (
        httpx.Client(timeout=10) as client,
        client.stream("GET", base + "/slow", headers={"accept-encoding": "gzip"}) as response,
    ):
        assert response.headers["content-encoding"] == "gzip"
        began = time.monotonic()
        pieces = response.iter_raw()
        first = decoder.decompress(next(pieces))
        waited = time.monotonic() - began
        rest = b"".join(decoder.decompress(piece) for piece in pieces)
    assert first == b"first\n" and waited < 1.2  # not held back until the stream ends
    assert rest + decoder.flush() == b"second\n"


def test_allowed_hosts(base: str) -> None:
    assert httpx.get(base + "/", headers={"host": "api.example.com"}, timeout=5).text == "ok"
    refused = httpx.get(base + "/", headers={"host": "evil.com"}, timeout=5)
    assert refused.status_code == 400
    assert refused.json()["detail"] == "Invalid host header"
