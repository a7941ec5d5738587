"""CacheControlHeader: the Cache-Control header (RFC 9111, section 5.2) as a dataclass."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from typing import Any, ClassVar

from specloom.runtime.datastructures._grammar import split_unquoted, unquote
from specloom.runtime.exceptions import ImproperlyConfiguredException

__all__ = ["CacheControlHeader"]

_DELTA_SECONDS_RE = re.compile(r"[0-9]+")


@dataclass(frozen=True)
class CacheControlHeader:
    """Cache-Control directives; a directive that is None or False is not sent.

    `to_header()` writes directives in field order (`max-age=86400, public`). `from_header()`
    reads them back, ignoring unknown directives and the field-name lists of `no-cache` and
    `private` (they become plain flags), and raises ImproperlyConfiguredException (a ValueError)
    on a malformed delta-seconds value.
    """

    HEADER_NAME: ClassVar[str] = "cache-control"

    max_age: int | None = None
    s_maxage: int | None = None
    no_cache: bool | None = None
    no_store: bool | None = None
    private: bool | None = None
    public: bool | None = None
    no_transform: bool | None = None
    must_revalidate: bool | None = None
    proxy_revalidate: bool | None = None
    must_understand: bool | None = None
    immutable: bool | None = None
    stale_while_revalidate: int | None = None
    stale_if_error: int | None = None
    max_stale: int | None = None
    min_fresh: int | None = None
    only_if_cached: bool | None = None
    documentation_only: bool = False
    description: str | None = None  # for the OpenAPI header object

    def __post_init__(self) -> None:
        for name in _SECONDS_FIELDS:
            value = getattr(self, name)
            if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
                raise ImproperlyConfiguredException(
                    f"CacheControlHeader.{name} must be an int number of seconds, not {value!r}"
                )
            if value is not None and value < 0:
                raise ImproperlyConfiguredException(
                    f"CacheControlHeader.{name} must not be negative, got {value}"
                )

    def to_header(self, include_header_name: bool = False) -> str:
        """The header value, e.g. `max-age=86400, public` (with `cache-control: ` if asked)."""
        directives: list[str] = []
        for name, directive in _DIRECTIVES.items():
            value = getattr(self, name)
            if value is None or value is False:
                continue
            directives.append(directive if value is True else f"{directive}={value}")
        value = ", ".join(directives)
        return f"{self.HEADER_NAME}: {value}" if include_header_name else value

    @classmethod
    def from_header(cls, header_value: str) -> CacheControlHeader:
        """Parse a Cache-Control value; the last occurrence of a repeated directive wins."""
        values: dict[str, Any] = {}
        for part in split_unquoted(header_value, ","):
            if not part:
                continue
            directive, _, argument = part.partition("=")
            name = _FIELD_BY_DIRECTIVE.get(directive.strip().lower())
            if name is None:
                continue  # unknown or extension directive
            argument = unquote(argument.strip())
            if name not in _SECONDS_FIELDS:
                values[name] = True
            elif _DELTA_SECONDS_RE.fullmatch(argument):
                values[name] = int(argument)
            elif name == "max_stale" and not argument:
                continue  # bare max-stale ("any staleness") has no int form; ignored
            else:
                raise ImproperlyConfiguredException(
                    f"Invalid Cache-Control directive {part!r}: expected delta-seconds"
                )
        return cls(**values)

    @classmethod
    def prevent_storing(cls) -> CacheControlHeader:
        """`no-store`: responses must not be stored by any cache."""
        return cls(no_store=True)


_DIRECTIVES: dict[str, str] = {
    field.name: field.name.replace("_", "-")
    for field in fields(CacheControlHeader)
    if field.name not in ("documentation_only", "description")
}
_FIELD_BY_DIRECTIVE: dict[str, str] = {directive: name for name, directive in _DIRECTIVES.items()}
_SECONDS_FIELDS = frozenset(
    {"max_age", "s_maxage", "stale_while_revalidate", "stale_if_error", "max_stale", "min_fresh"}
)
