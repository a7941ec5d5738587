"""ETag: the entity-tag header (RFC 9110, section 8.8.3)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

from specloom.runtime.exceptions import ImproperlyConfiguredException

__all__ = ["ETag"]

# etagc: "!" / %x23-7E / obs-text, so no DQUOTE, no space and no control character.
_ETAGC = r"[\x21\x23-\x7e\x80-\xff]*"
_ETAGC_RE = re.compile(_ETAGC)
_ENTITY_TAG_RE = re.compile(rf'\s*(W/)?"({_ETAGC})"\s*')


@dataclass(frozen=True)
class ETag:
    """An entity tag; `value` is the opaque tag without quotes, `weak` adds the `W/` prefix."""

    HEADER_NAME: ClassVar[str] = "etag"

    value: str | None = None
    weak: bool = False
    documentation_only: bool = False
    description: str | None = None  # for the OpenAPI header object

    def __post_init__(self) -> None:
        if self.value is None:
            if not self.documentation_only:
                raise ImproperlyConfiguredException(
                    "ETag has no value; set a value or documentation_only=True"
                )
        elif not isinstance(self.value, str) or not _ETAGC_RE.fullmatch(self.value):
            raise ImproperlyConfiguredException(
                f"Invalid ETag value {self.value!r}: only visible characters other than '\"'"
            )

    def to_header(self, include_header_name: bool = False) -> str:
        """`"value"` or `W/"value"` (with `etag: ` if asked)."""
        if self.value is None:
            raise ImproperlyConfiguredException("A documentation-only ETag has no header value")
        value = f'W/"{self.value}"' if self.weak else f'"{self.value}"'
        return f"{self.HEADER_NAME}: {value}" if include_header_name else value

    @classmethod
    def from_header(cls, value: str) -> ETag:
        """Parse `"foo"` or `W/"foo"`; anything else raises ImproperlyConfiguredException."""
        match = _ENTITY_TAG_RE.fullmatch(value)
        if match is None:
            raise ImproperlyConfiguredException(f"Invalid ETag header {value!r}")
        return cls(value=match.group(2), weak=match.group(1) is not None)
