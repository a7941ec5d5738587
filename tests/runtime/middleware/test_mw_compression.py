"""Compression: gzip with the standard library, whole bodies and streams chunk by chunk."""

from __future__ import annotations

import gzip
import importlib.util
import zlib
from collections.abc import AsyncIterator

import pytest

from specloom.runtime import App, get
from specloom.runtime.config.compression import CompressionConfig
from specloom.runtime.middleware.compression import accepted_encodings
from specloom.runtime.response import Stream
from specloom.runtime.testing import TestClient

BIG = "x" * 2000


@get("/big")
async def big() -> str:
    return BIG


@get("/small")
async def small() -> str:
    return "tiny"


@get("/stream")
async def stream() -> Stream:
    async def chunks() -> AsyncIterator[bytes]:
        for index in range(3):
            yield f"chunk {index}\n".encode()

    return Stream(chunks(), media_type="text/plain")


@get("/raw", opt={"no_gzip": True})
async def raw() -> str:
    return BIG


def _app(**config: object) -> App:
    return App([big, small, stream, raw], compression_config=CompressionConfig(**config))  # type: ignore[arg-type]


def _raw(client: TestClient, path: str, encoding: str = "gzip") -> tuple[dict[str, str], bytes]:
    with client.stream("GET", path, headers={"accept-encoding": encoding}) as response:
        return dict(response.headers), b"".join(response.iter_raw())


def test_whole_body_is_gzipped_with_its_length() -> None:
    with TestClient(_app(gzip_compress_level=6)) as client:
        headers, body = _raw(client, "/big")
    assert headers["content-encoding"] == "gzip"
    assert headers["vary"] == "Accept-Encoding"
    assert int(headers["content-length"]) == len(body) < len(BIG)
    assert gzip.decompress(body).decode() == BIG


def test_small_bodies_and_clients_without_gzip_are_sent_as_they_are() -> None:
    with TestClient(_app(minimum_size=100)) as client:
        headers, body = _raw(client, "/small")
        assert "content-encoding" not in headers and body == b"tiny"
        headers, body = _raw(client, "/big", encoding="identity, gzip;q=0")
        assert "content-encoding" not in headers and body == BIG.encode()
        headers, _ = _raw(client, "/big", encoding="br;q=1, *;q=0.5")
        assert headers["content-encoding"] == "gzip"


def test_stream_is_compressed_chunk_by_chunk() -> None:
    with TestClient(_app()) as client:
        with client.stream("GET", "/stream", headers={"accept-encoding": "gzip"}) as response:
            assert response.headers["content-encoding"] == "gzip"
            assert "content-length" not in response.headers
            decoder = zlib.decompressobj(31)
            text = b""
            for piece in response.iter_raw():
                text += decoder.decompress(piece)  # each chunk is readable when it arrives
        assert text == b"chunk 0\nchunk 1\nchunk 2\n"


def test_exclusions() -> None:
    with TestClient(_app(exclude="^/big", exclude_opt_key="no_gzip")) as client:
        for path in ("/big", "/raw"):
            headers, body = _raw(client, path)
            assert "content-encoding" not in headers and body == BIG.encode()


def test_config_is_checked() -> None:
    with pytest.raises(ValueError, match="backend"):
        CompressionConfig(backend="zstd")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="gzip_compress_level"):
        CompressionConfig(gzip_compress_level=10)
    if importlib.util.find_spec("brotli") is None:
        with pytest.raises(ValueError, match="brotli package"):
            CompressionConfig(backend="brotli")


def test_accepted_encodings() -> None:
    assert accepted_encodings(b"gzip;q=0.5, br;q=0, deflate, x;q=bad") == {"gzip", "deflate"}
    assert accepted_encodings(None) == set()
