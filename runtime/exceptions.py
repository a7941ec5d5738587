"""Exceptions: configuration errors raised at start-up and HTTP errors answered as JSON."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from http import HTTPStatus
from typing import Any

__all__ = [
    "ClientException",
    "HTTPException",
    "ImproperlyConfiguredException",
    "InternalServerException",
    "MethodNotAllowedException",
    "NotAcceptableException",
    "NotAuthorizedException",
    "NotFoundException",
    "PermissionDeniedException",
    "RequestEntityTooLarge",
    "RequestHeaderFieldsTooLarge",
    "RequestTimeout",
    "ServiceUnavailableException",
    "SpecloomException",
    "TooManyRequestsException",
    "UnsupportedMediaTypeException",
    "ValidationException",
    "require_extension_keys",
]


class SpecloomException(Exception):
    """Base of every exception the runtime raises."""

    def __init__(self, *args: Any, detail: str = "") -> None:
        str_args = [str(arg) for arg in args if arg]
        if not detail:
            detail = str_args[0] if str_args else self.__class__.__name__
        self.detail = detail
        super().__init__(*str_args)

    def __str__(self) -> str:
        return self.detail


class ImproperlyConfiguredException(SpecloomException, ValueError):
    """An app, router or handler is defined in a way that cannot work; raised at start-up."""


def require_extension_keys(keys: Iterable[str]) -> None:
    """Refuse keys given as OpenAPI extensions that do not start with `x-`."""
    bad = [key for key in keys if not key.startswith("x-")]
    if bad:
        raise ImproperlyConfiguredException(f"extension keys must start with 'x-': {bad}")


class HTTPException(SpecloomException):
    """An error answered with an HTTP status and a JSON body."""

    status_code: int = 500

    def __init__(
        self,
        *args: Any,
        detail: str = "",
        status_code: int | None = None,
        headers: Mapping[str, str] | None = None,
        extra: dict[str, Any] | list[Any] | None = None,
    ) -> None:
        if status_code is not None:
            self.status_code = status_code
        if not detail and not any(args):
            detail = HTTPStatus(self.status_code).phrase
        super().__init__(*args, detail=detail)
        self.headers: dict[str, str] = dict(headers) if headers else {}
        self.extra = extra

    def __repr__(self) -> str:
        return f"{self.status_code} - {self.__class__.__name__} - {self.detail}"


class ClientException(HTTPException):
    status_code = 400


class ValidationException(ClientException):
    status_code = 400


class NotAuthorizedException(ClientException):
    status_code = 401


class PermissionDeniedException(ClientException):
    status_code = 403


class NotFoundException(ClientException, ValueError):
    status_code = 404


class MethodNotAllowedException(ClientException):
    status_code = 405


class NotAcceptableException(ClientException):
    status_code = 406


class RequestTimeout(ClientException):
    status_code = 408


class RequestEntityTooLarge(ClientException):
    status_code = 413


class UnsupportedMediaTypeException(ClientException):
    status_code = 415


class TooManyRequestsException(ClientException):
    status_code = 429


class RequestHeaderFieldsTooLarge(ClientException):
    status_code = 431


class InternalServerException(HTTPException):
    status_code = 500


class ServiceUnavailableException(HTTPException):
    status_code = 503
