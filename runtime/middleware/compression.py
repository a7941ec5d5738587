"""Response compression: gzip with the standard library's zlib, Brotli with `brotli` if there.

A whole body shorter than `minimum_size` is sent as it is; a streamed body is compressed chunk
by chunk, each flushed (`Z_SYNC_FLUSH`) so a client reads every chunk when it is sent.
"""

from __future__ import annotations

import importlib
import zlib
from typing import Any, Protocol

from ..config.compression import CompressionConfig
from ..types import ASGIApp, Message, Receive, Scope, Send
from ._headers import add_vary, header, set_header, without
from .base import AbstractMiddleware

__all__ = ["CompressionMiddleware", "accepted_encodings"]


class _Compressor(Protocol):
    def compress(self, data: bytes) -> bytes: ...
    def flush(self) -> bytes: ...
    def finish(self) -> bytes: ...


class _Gzip:
    __slots__ = ("stream",)

    def __init__(self, level: int) -> None:
        self.stream = zlib.compressobj(level, zlib.DEFLATED, 31)  # wbits 16+15: gzip framing

    def compress(self, data: bytes) -> bytes:
        return self.stream.compress(data)

    def flush(self) -> bytes:
        return self.stream.flush(zlib.Z_SYNC_FLUSH)

    def finish(self) -> bytes:
        return self.stream.flush(zlib.Z_FINISH)


class _Brotli:
    __slots__ = ("stream",)

    def __init__(self, config: CompressionConfig) -> None:
        brotli: Any = importlib.import_module("brotli")
        modes = {"generic": brotli.MODE_GENERIC, "text": brotli.MODE_TEXT}
        modes["font"] = brotli.MODE_FONT
        self.stream: Any = brotli.Compressor(
            quality=config.brotli_quality,
            mode=modes[config.brotli_mode],
            lgwin=config.brotli_lgwin,
            lgblock=config.brotli_lgblock,
        )

    def compress(self, data: bytes) -> bytes:
        return bytes(self.stream.process(data))

    def flush(self) -> bytes:
        return bytes(self.stream.flush())

    def finish(self) -> bytes:
        return bytes(self.stream.finish())


def accepted_encodings(value: bytes | None) -> set[str]:
    """The content codings an `Accept-Encoding` value accepts (those with q above 0)."""
    found: set[str] = set()
    for part in (value or b"").decode("latin-1").split(","):
        coding, _, params = part.partition(";")
        coding = coding.strip().lower()
        quality = 1.0
        for param in params.split(";"):
            name, _, number = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(number)
                except ValueError:
                    quality = 0.0
        if coding and quality > 0:
            found.add(coding)
    return found


class CompressionMiddleware(AbstractMiddleware):
    """Compresses responses for clients that accept the configured coding."""

    scopes = frozenset({"http"})

    def __init__(self, app: ASGIApp, config: CompressionConfig) -> None:
        super().__init__(
            app, exclude=_listed(config.exclude), exclude_opt_key=config.exclude_opt_key
        )
        self.config = config

    def _coding(self, scope: Scope) -> str | None:
        accepted = accepted_encodings(header(scope, b"accept-encoding"))
        config = self.config
        if config.backend == "brotli" and ("br" in accepted or "*" in accepted):
            return "br"
        if (config.backend == "gzip" or config.brotli_gzip_fallback) and (
            "gzip" in accepted or "*" in accepted
        ):
            return "gzip"
        return None

    def _compressor(self, coding: str) -> _Compressor:
        if coding == "br":
            return _Brotli(self.config)
        return _Gzip(self.config.gzip_compress_level)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        coding = self._coding(scope)
        if coding is None:
            await self.app(scope, receive, send)
            return
        minimum = self.config.minimum_size
        start: Message | None = None
        compressor: _Compressor | None = None
        passing = False

        async def send_compressed(message: Message) -> None:
            nonlocal start, compressor, passing
            kind = message["type"]
            if passing or kind not in ("http.response.start", "http.response.body"):
                await send(message)
                return
            if kind == "http.response.start":
                if any(k.lower() == b"content-encoding" for k, _ in message.get("headers", ())):
                    passing = True  # encoded already
                    await send(message)
                else:
                    start = message
                return
            body = bytes(message.get("body", b""))
            more = bool(message.get("more_body", False))
            if compressor is None:
                assert start is not None
                if not more and len(body) < minimum:
                    passing = True
                    await send(start)
                    await send(message)
                    return
                compressor = self._compressor(coding)
                start["headers"] = without(start.get("headers", ()), b"content-length")
                set_header(start, b"content-encoding", coding.encode())
                add_vary(start, b"Accept-Encoding")
                if not more:
                    body = compressor.compress(body) + compressor.finish()
                    start["headers"].append((b"content-length", str(len(body)).encode()))
                    await send(start)
                    await send({"type": "http.response.body", "body": body})
                    return
                await send(start)
            chunk = compressor.compress(body)
            chunk += compressor.flush() if more else compressor.finish()
            await send({"type": "http.response.body", "body": chunk, "more_body": more})

        await self.app(scope, receive, send_compressed)


def _listed(exclude: Any) -> str | list[str] | None:
    return exclude if exclude is None or isinstance(exclude, str) else list(exclude)
