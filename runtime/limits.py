"""What one request may cost the server before a handler runs: the size and number of its
header fields (431) and the time its body may take to arrive (408).

The defaults follow common servers: 16 KiB of header fields as Node.js (`maxHeaderSize`) and
h11 (uvicorn's `--http h11`, whose incomplete-event limit is 16 KiB) allow, 100 fields as Apache
(`LimitRequestFields`) and gunicorn (`limit_request_fields`), and 60 s for a body as nginx
(`client_body_timeout`) and Node.js (`headersTimeout`). uvicorn's httptools parser has no header
limit of its own, so without the App's a request with megabytes of headers reaches handlers.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from .exceptions import RequestHeaderFieldsTooLarge, RequestTimeout
from .types import Message, Receive

__all__ = [
    "DEFAULT_BODY_TIMEOUT",
    "DEFAULT_MAX_HEADER_COUNT",
    "DEFAULT_MAX_HEADER_SIZE",
    "BodyDeadline",
    "header_excess",
]

DEFAULT_MAX_HEADER_SIZE = 16 * 1024
DEFAULT_MAX_HEADER_COUNT = 100
DEFAULT_BODY_TIMEOUT = 60.0

# the refused request is answered and the connection closed: what follows its head on the
# connection (a body never read, the rest of a trickle) is not a request
_CLOSE = {"connection": "close"}


def header_excess(
    headers: Sequence[tuple[bytes, bytes]], max_size: int | None, max_count: int | None
) -> RequestHeaderFieldsTooLarge | None:
    """The 431 for header fields beyond `max_count` fields or `max_size` bytes (names and
    values), else None."""
    if max_count is not None and len(headers) > max_count:
        return RequestHeaderFieldsTooLarge(
            f"{len(headers)} header fields; the limit is {max_count}", headers=_CLOSE
        )
    if max_size is not None:
        size = 0
        for name, value in headers:
            size += len(name) + len(value)
        if size > max_size:
            return RequestHeaderFieldsTooLarge(
                f"Header fields are {size} bytes; the limit is {max_size}", headers=_CLOSE
            )
    return None


class BodyDeadline:
    """`receive` with a deadline on the body: every part of it must arrive within `timeout`
    seconds of the first read, else the read raises a 408 (a client that trickles its body
    holds the request no longer). Once the body is complete, reads wait without a deadline
    (a streaming response listens for the disconnect)."""

    __slots__ = ("deadline", "receive", "timeout")

    def __init__(self, receive: Receive, timeout: float) -> None:
        self.receive = receive
        self.timeout = timeout
        self.deadline: float | None = None  # set on the first read; -1.0 once the body is in

    async def __call__(self) -> Message:
        deadline = self.deadline
        if deadline is not None and deadline < 0:
            return await self.receive()
        if deadline is None:
            deadline = self.deadline = asyncio.get_running_loop().time() + self.timeout
        try:
            async with asyncio.timeout_at(deadline):
                message = await self.receive()
        except TimeoutError:
            raise RequestTimeout(
                f"The request body did not arrive within {self.timeout:g} s", headers=_CLOSE
            ) from None
        if not message.get("more_body", False):
            self.deadline = -1.0
        return message
