"""ResponseHeader: a response header with its OpenAPI description, declared on any layer."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import msgspec

from specloom.runtime.datastructures._grammar import has_control_chars, is_token
from specloom.runtime.exceptions import ImproperlyConfiguredException

__all__ = ["ResponseHeader", "normalize_response_headers"]


@dataclass(frozen=True)
class ResponseHeader:
    """A header sent with responses (unless `documentation_only`) and documented in OpenAPI.

    `schema` is the Python type of the value for the OpenAPI schema; None means `str`.
    `media_type`: the value is serialized as that media type (OpenAPI's `content`, in place of
    `schema`); documentation, as a `Parameter`'s.
    Validated at construction: a bad name or a value with control characters never reaches a
    response.
    """

    name: str
    value: str | None = None
    description: str | None = None
    documentation_only: bool = False
    required: bool = False
    deprecated: bool = False
    allow_empty_value: bool = False
    style: str | None = None
    explode: bool | None = None
    examples: dict[str, Any] | None = None
    schema: Any = None
    example: Any = msgspec.UNSET  # OpenAPI's singular `example` (documentation); UNSET: none
    extensions: Mapping[str, Any] | None = None  # `x-` keys of the header object, as written
    media_type: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not is_token(self.name):
            raise ImproperlyConfiguredException(
                f"ResponseHeader name {self.name!r} is not a valid header name (RFC 9110 token)"
            )
        if self.value is None:
            if not self.documentation_only:
                raise ImproperlyConfiguredException(
                    f"ResponseHeader {self.name!r} has no value; "
                    "set a value or documentation_only=True"
                )
            return
        if not isinstance(self.value, str):
            raise ImproperlyConfiguredException(
                f"ResponseHeader {self.name!r} value must be a str, not {type(self.value).__name__}"
            )
        # CR/LF would let a value inject headers; NUL and other controls are refused by servers.
        if has_control_chars(self.value):
            raise ImproperlyConfiguredException(
                f"ResponseHeader {self.name!r} value holds a control character (CR, LF, NUL...)"
            )
        try:
            self.value.encode("latin-1")
        except UnicodeEncodeError:
            raise ImproperlyConfiguredException(
                f"ResponseHeader {self.name!r} value is not latin-1 encodable"
            ) from None


def normalize_response_headers(
    headers: Sequence[ResponseHeader] | Mapping[str, str] | None,
) -> list[ResponseHeader]:
    """One layer's `response_headers` as a list of ResponseHeader (a mapping gives name: value)."""
    if headers is None:
        return []
    if isinstance(headers, Mapping):
        return [ResponseHeader(name=name, value=value) for name, value in headers.items()]
    if isinstance(headers, str | bytes):
        raise ImproperlyConfiguredException("response_headers must be a sequence or a mapping")
    result = list(headers)
    for header in result:
        if not isinstance(header, ResponseHeader):
            raise ImproperlyConfiguredException(
                f"response_headers items must be ResponseHeader instances, not {header!r}"
            )
    return result
