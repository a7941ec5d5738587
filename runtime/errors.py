"""Turning exceptions into responses: layered handlers by status or class, else a JSON error."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable, Mapping
from typing import Any

import msgspec

from .error_media import JSON, ErrorMedia, error_body
from .exceptions import HTTPException
from .response.base import ASGIResponse, Response

__all__ = ["default_error_response", "find_exception_handler", "logger"]

logger = logging.getLogger("specloom.runtime")
_encoder = msgspec.json.Encoder()


def find_exception_handler(
    handlers: Mapping[Any, Callable[..., Any]], exc: BaseException
) -> Callable[..., Any] | None:
    """The handler registered for the exception's status code, else for its closest class."""
    if not handlers:
        return None
    status = getattr(exc, "status_code", None)
    if isinstance(exc, HTTPException) and status in handlers:
        return handlers[status]
    for klass in type(exc).__mro__:
        handler = handlers.get(klass)
        if handler is not None:
            return handler
    if not isinstance(exc, HTTPException) and 500 in handlers:
        return handlers[500]
    return None


def error_status(exc: BaseException) -> int:
    if isinstance(exc, HTTPException):
        return exc.status_code
    if isinstance(exc, NotImplementedError):
        return 501
    return 500


def default_error_response(
    exc: BaseException, debug: bool, media: ErrorMedia | None = None
) -> ASGIResponse:
    """A JSON error response, in the media type the operation declares for its status
    (`media`, see error_media.py); internal errors say nothing about their cause unless
    `debug`."""
    status = error_status(exc)
    headers: dict[str, str] = {}
    extra: Any = None
    if isinstance(exc, HTTPException):
        detail = exc.detail
        extra = exc.extra
        headers.update(exc.headers)
    elif status == 501:
        detail = "Not Implemented"
    else:
        detail = "Internal Server Error"
        if debug:
            detail = f"{type(exc).__name__}: {exc}"
            extra = {"traceback": traceback.format_exception(exc)}
    if status == 500 and not isinstance(exc, HTTPException):
        logger.error("Unhandled exception", exc_info=exc)
    declared = media.declared(status) if media is not None else (JSON, None)
    media_type = declared[0]
    body = _encoder.encode(error_body(declared, status, detail, extra, extra is not None))
    raw = [
        (b"content-type", media_type.encode("latin-1")),
        (b"content-length", str(len(body)).encode()),
    ]
    raw.extend((k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers.items())
    return ASGIResponse(status, raw, body)


def as_error_response(value: Any, exc: BaseException) -> Response[Any]:
    """A custom exception handler's return value as a `Response` (JSON, the error's status)."""
    response = value if isinstance(value, Response) else Response(value)
    if response.status_code is None:
        response.status_code = error_status(exc)
    if response.media_type is None:
        response.media_type = "application/json"
    return response
