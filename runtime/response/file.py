"""`File`: a file sent in chunks, with conditional requests (304) and single byte ranges (206)."""

from __future__ import annotations

import asyncio
import mimetypes
import os
import re
import stat
import unicodedata
from collections.abc import AsyncGenerator, Mapping, Sequence
from email.utils import formatdate
from typing import IO, TYPE_CHECKING, Literal
from urllib.parse import quote

from ..conditional import http_date_seconds, not_modified
from ..enums import MediaType
from ..exceptions import ImproperlyConfiguredException, NotFoundException
from ..types import Receive, Scope, Send
from .base import ASGIResponse, Response, ResponsePlan, content_type_value
from .streaming import StreamingASGIResponse

if TYPE_CHECKING:
    from ..background_tasks import BackgroundTask, BackgroundTasks
    from ..datastructures import Cookie, ETag

__all__ = ["File", "FileASGIResponse", "content_disposition", "declared_media_type"]

DEFAULT_CHUNK_SIZE = 64 * 1024
_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
_RANGE = re.compile(r"\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# RFC 8187 attr-char, minus what `quote` always keeps (letters, digits, "_.-~").
_ATTR_CHAR_SAFE = "!#$&+^`|"
# A compressed file's "encoding" is what it is, not a transfer coding to undo for the client.
_COMPRESSED_MEDIA_TYPES = {
    "gzip": "application/gzip",
    "bzip2": "application/x-bzip2",
    "xz": "application/x-xz",
    "br": "application/x-brotli",
    "compress": "application/x-compress",
}
# Headers that describe the full representation: not sent with 304 and 416.
_REPRESENTATION_HEADERS = (b"content-type", b"content-disposition", b"accept-ranges")


def declared_media_type(plan: ResponsePlan) -> str | None:
    """The handler's media type if its decorator set one, else None."""
    return plan.media_type if plan.media_type_explicit else None


def content_disposition(disposition_type: str, filename: str) -> str:
    """`attachment; filename="..."`, plus RFC 6266 `filename*=UTF-8''...` for non-ASCII names."""
    name = _CONTROL.sub("", filename)
    fallback = "".join(
        char if char.isascii() else "_"
        for char in unicodedata.normalize("NFKD", name)
        if not unicodedata.combining(char)  # "é" falls back to "e", not to "e_"
    )
    escaped = fallback.replace("\\", "\\\\").replace('"', '\\"')
    value = f'{disposition_type}; filename="{escaped}"'
    if not name.isascii():
        value += f"; filename*=UTF-8''{quote(name, safe=_ATTR_CHAR_SAFE)}"
    return value


def _guess_media_type(filename: str) -> str:
    guessed, encoding = mimetypes.guess_type(filename, strict=False)
    if encoding is not None:
        return _COMPRESSED_MEDIA_TYPES.get(encoding, "application/octet-stream")
    return guessed or "application/octet-stream"


def _request_headers(scope: Scope) -> dict[bytes, str]:
    wanted = (b"if-none-match", b"if-modified-since", b"range", b"if-range")
    return {name: value.decode("latin-1") for name, value in scope["headers"] if name in wanted}


class FileASGIResponse(ASGIResponse):
    """Sends a file: 200, 206 (one byte range), 304 (not modified) or 416, decided per request."""

    __slots__ = ("chunk_size", "etag", "mtime", "path", "size")

    def __init__(
        self,
        status_code: int,
        headers: list[tuple[bytes, bytes]],
        path: str | os.PathLike[str],
        stat_result: os.stat_result,
        etag: str | None,
        chunk_size: int,
        background: BackgroundTask | BackgroundTasks | None = None,
    ) -> None:
        super().__init__(status_code, headers, b"", background)
        self.path = path
        self.size = stat_result.st_size
        self.mtime = int(stat_result.st_mtime)  # HTTP dates have whole seconds
        self.etag = etag
        self.chunk_size = chunk_size

    def _range_applies(self, request: dict[bytes, str]) -> bool:
        if_range = request.get(b"if-range")
        if if_range is None:
            return True
        if_range = if_range.strip()
        if if_range.startswith(('"', "W/")):  # an entity tag: only a strong match counts
            return (
                self.etag is not None and not self.etag.startswith("W/") and if_range == self.etag
            )
        return http_date_seconds(if_range) == self.mtime

    def _byte_range(self, request: dict[bytes, str]) -> tuple[int, int] | Literal[False] | None:
        """(first, last) to send; None for the whole file; False if unsatisfiable (416)."""
        header = request.get(b"range")
        if header is None or not self._range_applies(request):
            return None
        match = _RANGE.fullmatch(header)
        if match is None:  # several ranges, other units, bad syntax: send the whole file
            return None
        first, last = match.groups()
        size = self.size
        if not first:
            if not last:
                return None
            suffix = int(last)
            return (size - min(suffix, size), size - 1) if suffix and size else False
        start = int(first)
        end = int(last) if last else size - 1
        if last and end < start:
            return None
        if start >= size:
            return False
        return start, min(end, size - 1)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        method = scope.get("method", "GET")
        status, byte_range = self.status_code, None
        if status == 200 and method in ("GET", "HEAD"):
            request = _request_headers(scope)
            inm, ims = request.get(b"if-none-match"), request.get(b"if-modified-since")
            if not_modified(inm, ims, self.etag, self.mtime):
                await self._send_empty(304, [], scope, receive, send)
                return
            byte_range = self._byte_range(request)
            if byte_range is False:
                extra = [
                    (b"content-range", f"bytes */{self.size}".encode()),
                    (b"content-length", b"0"),
                ]
                await self._send_empty(416, extra, scope, receive, send)
                return
        headers = list(self.headers)
        if self.etag is not None:
            headers.append((b"etag", self.etag.encode("latin-1")))
        start, length = 0, self.size
        if isinstance(byte_range, tuple):
            status, (start, last) = 206, byte_range
            length = last - start + 1
            headers.append((b"content-range", f"bytes {start}-{last}/{self.size}".encode()))
        headers.append((b"content-length", str(length).encode()))
        if method == "HEAD":  # the headers are all a HEAD needs: leave the file closed
            await ASGIResponse(status, headers, b"", self.background)(scope, receive, send)
            return
        file = await self._open()
        try:
            chunks = _read_chunks(file, start, length, self.chunk_size)
            streaming = StreamingASGIResponse(status, headers, chunks, self.background)
            await streaming(scope, receive, send)
        finally:
            file.close()  # also when the chunk generator never started

    async def _open(self) -> IO[bytes]:
        try:
            return await asyncio.to_thread(open, self.path, "rb")
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            raise NotFoundException("File not found") from None

    async def _send_empty(
        self,
        status: int,
        extra: list[tuple[bytes, bytes]],
        scope: Scope,
        receive: Receive,
        send: Send,
    ) -> None:
        headers = [pair for pair in self.headers if pair[0] not in _REPRESENTATION_HEADERS]
        if self.etag is not None:
            headers.append((b"etag", self.etag.encode("latin-1")))
        headers.extend(extra)
        await ASGIResponse(status, headers, b"", self.background)(scope, receive, send)


async def _read_chunks(
    file: IO[bytes], start: int, length: int, chunk_size: int
) -> AsyncGenerator[bytes, None]:
    """`length` bytes from `start`, read in a worker thread so disk I/O never blocks the loop."""
    if start:
        await asyncio.to_thread(file.seek, start)
    remaining = length
    while remaining > 0:
        chunk = await asyncio.to_thread(file.read, min(chunk_size, remaining))
        if not chunk:  # the file shrank while being sent
            return
        remaining -= len(chunk)
        yield chunk


class File(Response[None]):
    """A file download in chunks. Media type: own, else the decorator's, else guessed from the
    filename, else `application/octet-stream` (not the page's text/plain: a guess is better)."""

    default_media_type = "application/octet-stream"

    def __init__(
        self,
        path: str | os.PathLike[str],
        filename: str | None = None,
        *,
        media_type: MediaType | str | None = None,
        status_code: int | None = None,
        content_disposition_type: str = "attachment",
        chunk_size: int = DEFAULT_CHUNK_SIZE,
        etag: ETag | None = None,
        stat_result: os.stat_result | None = None,
        headers: Mapping[str, str] | None = None,
        cookies: Sequence[Cookie] | None = None,
        background: BackgroundTask | BackgroundTasks | None = None,
        encoding: str = "utf-8",
    ) -> None:
        if not _TOKEN.fullmatch(content_disposition_type):
            raise ImproperlyConfiguredException(
                f"Invalid content_disposition_type {content_disposition_type!r}"
            )
        if chunk_size < 1:
            raise ImproperlyConfiguredException("chunk_size must be positive")
        super().__init__(
            None,
            status_code=status_code,
            media_type=media_type,
            background=background,
            headers=headers,
            cookies=cookies,
            encoding=encoding,
        )
        self.path = path
        self.filename = filename or os.path.basename(os.fspath(path))
        self.content_disposition_type = content_disposition_type
        self.chunk_size = chunk_size
        self.etag = etag
        self.stat_result = stat_result

    def _stat(self) -> os.stat_result:
        if self.stat_result is not None:
            return self.stat_result
        try:
            # One stat call, on the loop: it lets a missing file be answered with a normal 404.
            result = os.stat(self.path)
        except (OSError, ValueError):  # missing, unreadable, a name too long, a NUL in it
            raise NotFoundException("File not found") from None
        if not stat.S_ISREG(result.st_mode):
            raise NotFoundException("File not found")
        return result

    def _etag_header(self, result: os.stat_result) -> str | None:
        own = next((v for k, v in self.headers.items() if k.lower() == "etag"), None)
        if own is not None:
            return own
        if self.etag is not None:
            return None if self.etag.value is None else self.etag.to_header()
        return f'W/"{result.st_mtime_ns:x}-{result.st_size:x}"'

    def media_type_for(self, plan: ResponsePlan) -> str:
        if self.media_type is not None:
            return str(self.media_type)
        declared = declared_media_type(plan)
        return declared or _guess_media_type(self.filename)

    def to_asgi_response(self, plan: ResponsePlan) -> FileASGIResponse:
        result = self._stat()
        # A 200 may still become 206, 304 or 416: that depends on the request's headers.
        status = self.status_code if self.status_code is not None else plan.status_code
        content_type = content_type_value(self.media_type_for(plan), self.encoding)
        extra = [
            ("content-type", content_type),
            (
                "content-disposition",
                content_disposition(self.content_disposition_type, self.filename),
            ),
            ("accept-ranges", "bytes"),
            ("last-modified", formatdate(result.st_mtime, usegmt=True)),
        ]
        # The file's own validator and length replace any layered ones.
        replaced = (b"etag", b"content-length", b"content-range")
        headers = [pair for pair in self.encoded_headers(plan, extra) if pair[0] not in replaced]
        return FileASGIResponse(
            status,
            headers,
            self.path,
            result,
            self._etag_header(result),
            self.chunk_size,
            self.background,
        )
