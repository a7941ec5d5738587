"""`CORSConfig`: which cross-origin requests the app answers, and with which headers."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

__all__ = ["DEFAULT_ALLOWED_CORS_HEADERS", "CORSConfig"]

# the request headers a browser may always send (CORS-safelisted): allowed without asking
DEFAULT_ALLOWED_CORS_HEADERS = frozenset({"Accept", "Accept-Language", "Content-Language"})
DEFAULT_ALLOWED_CORS_HEADERS |= {"Content-Type"}
_ALL_METHODS = ("DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT", "TRACE")


@dataclass
class CORSConfig:
    """Cross-origin resource sharing, as Litestar's `CORSConfig`.

    `allow_origins` holds origins (`https://example.com`) or `"*"`; `allow_origin_regex` a
    pattern an origin must match whole. `"*"` in `allow_methods` or `allow_headers` allows any.
    `max_age` is how long (seconds) a browser may cache a preflight's answer.
    """

    allow_origins: Sequence[str] = field(default_factory=lambda: ["*"])
    allow_methods: Sequence[str] = field(default_factory=lambda: ["*"])
    allow_headers: Sequence[str] = field(default_factory=lambda: ["*"])
    allow_credentials: bool = False
    allow_origin_regex: str | None = None
    expose_headers: Sequence[str] = field(default_factory=list)
    max_age: int = 600

    @cached_property
    def is_allow_all_origins(self) -> bool:
        return "*" in self.allow_origins

    @cached_property
    def is_allow_all_methods(self) -> bool:
        return "*" in self.allow_methods

    @cached_property
    def is_allow_all_headers(self) -> bool:
        return "*" in self.allow_headers

    @cached_property
    def _origin_pattern(self) -> re.Pattern[str] | None:
        return re.compile(self.allow_origin_regex) if self.allow_origin_regex else None

    @cached_property
    def _allowed_methods(self) -> frozenset[str]:
        return frozenset(method.upper() for method in self.allow_methods)

    @cached_property
    def _allowed_headers(self) -> frozenset[str]:
        allowed = (*self.allow_headers, *DEFAULT_ALLOWED_CORS_HEADERS)  # safelisted: always
        return frozenset(header.lower() for header in allowed)

    def is_origin_allowed(self, origin: str) -> bool:
        if self.is_allow_all_origins or origin in self.allow_origins:
            return True
        pattern = self._origin_pattern
        return pattern is not None and pattern.fullmatch(origin) is not None

    def is_method_allowed(self, method: str) -> bool:
        return self.is_allow_all_methods or method.upper() in self._allowed_methods

    def is_header_allowed(self, header: str) -> bool:
        return self.is_allow_all_headers or header.lower() in self._allowed_headers

    @cached_property
    def simple_headers(self) -> tuple[tuple[bytes, bytes], ...]:
        """Headers every response to a cross-origin request carries."""
        headers: list[tuple[str, str]] = []
        if self.is_allow_all_origins:
            headers.append(("access-control-allow-origin", "*"))
        if self.allow_credentials:
            headers.append(("access-control-allow-credentials", "true"))
        if self.expose_headers:
            exposed = ", ".join(sorted(set(self.expose_headers)))
            headers.append(("access-control-expose-headers", exposed))
        return tuple((name.encode(), value.encode("latin-1")) for name, value in headers)

    @cached_property
    def preflight_headers(self) -> dict[str, str]:
        """Headers of a successful preflight answer (the origin is added per request)."""
        methods = _ALL_METHODS if self.is_allow_all_methods else self._allowed_methods
        headers = {
            "access-control-allow-methods": ", ".join(sorted(methods)),
            "access-control-max-age": str(self.max_age),
        }
        if self.is_allow_all_origins:
            headers["access-control-allow-origin"] = "*"
        if not self.is_allow_all_headers:
            allowed = set(self.allow_headers) | DEFAULT_ALLOWED_CORS_HEADERS
            headers["access-control-allow-headers"] = ", ".join(sorted(allowed))
        if self.allow_credentials:
            headers["access-control-allow-credentials"] = "true"
        return headers
