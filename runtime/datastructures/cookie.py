"""Cookie: a Set-Cookie declaration (RFC 6265) serialised without http.cookies."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import formatdate
from typing import Literal

from specloom.runtime.datastructures._grammar import has_control_chars, is_token
from specloom.runtime.exceptions import ImproperlyConfiguredException

__all__ = ["Cookie"]

# cookie-octet (RFC 6265, section 4.1.1): printable ASCII except SP, DQUOTE, comma, ";" and "\".
_COOKIE_OCTETS_RE = re.compile(r"[\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]*")
_SAMESITE_VALUES = ("lax", "strict", "none")


def _escape_char(char: str) -> str:
    if char in '"\\':
        return "\\" + char
    code = ord(char)
    # "," and ";" are escaped even inside quotes: browsers split on ";" without honouring quotes.
    if 0x20 <= code < 0x7F and char not in ",;":
        return char
    if code <= 0xFF:
        return f"\\{code:03o}"
    raise ImproperlyConfiguredException(
        f"Cookie value holds {char!r}, which is not latin-1; encode the value first (e.g. quote())"
    )


def quote_cookie_value(value: str) -> str:
    """`value` as is if it is all cookie-octets, else a quoted string as http.cookies writes it."""
    if _COOKIE_OCTETS_RE.fullmatch(value):
        return value
    return '"' + "".join(_escape_char(char) for char in value) + '"'


@dataclass(frozen=True)
class Cookie:
    """A cookie to set on responses; `to_header()` gives the Set-Cookie value.

    `expires` is seconds from now (an int, evaluated when the header is written) or a datetime
    (naive ones are taken as UTC). SameSite=none and Partitioned force the Secure attribute.
    """

    key: str
    value: str | None = None
    max_age: int | None = None
    expires: int | datetime | None = None
    path: str = "/"
    domain: str | None = None
    secure: bool | None = None
    httponly: bool | None = None
    samesite: Literal["lax", "strict", "none"] = "lax"
    description: str | None = None
    documentation_only: bool = False
    partitioned: bool | None = None

    def __post_init__(self) -> None:
        if not is_token(self.key):
            raise ImproperlyConfiguredException(
                f"Cookie key {self.key!r} is not a valid cookie name (RFC 6265 token)"
            )
        for attribute in ("path", "domain"):
            text = getattr(self, attribute)
            if text is not None and (";" in text or has_control_chars(text)):
                raise ImproperlyConfiguredException(
                    f"Cookie {self.key!r} has an invalid {attribute}: {text!r}"
                )
        samesite = str(self.samesite).lower()
        if samesite not in _SAMESITE_VALUES:
            raise ImproperlyConfiguredException(
                f"Cookie {self.key!r}: samesite must be one of {_SAMESITE_VALUES}, "
                f"not {self.samesite!r}"
            )
        object.__setattr__(self, "samesite", samesite)
        if isinstance(self.max_age, bool) or not isinstance(self.max_age, int | None):
            raise ImproperlyConfiguredException(
                f"Cookie {self.key!r}: max_age must be an int, not {self.max_age!r}"
            )
        if isinstance(self.expires, bool) or not isinstance(self.expires, int | datetime | None):
            raise ImproperlyConfiguredException(
                f"Cookie {self.key!r}: expires must be an int or a datetime, not {self.expires!r}"
            )
        if self.value is not None:
            quote_cookie_value(self.value)  # fails early on values that cannot be sent

    def _expires_header(self) -> str | None:
        if self.expires is None:
            return None
        if isinstance(self.expires, datetime):
            moment = self.expires
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=UTC)
            timestamp = moment.timestamp()
        else:
            timestamp = time.time() + self.expires
        return formatdate(timestamp, usegmt=True)

    def to_header(self, include_header_name: bool = False) -> str:
        """The Set-Cookie value, e.g. `key=value; Path=/; SameSite=lax`."""
        parts = [f"{self.key}={quote_cookie_value(self.value or '')}"]
        if self.path:
            parts.append(f"Path={self.path}")
        if self.domain:
            parts.append(f"Domain={self.domain}")
        if self.max_age is not None:
            parts.append(f"Max-Age={self.max_age}")
        expires = self._expires_header()
        if expires is not None:
            parts.append(f"Expires={expires}")
        if self.secure or self.samesite == "none" or self.partitioned:
            parts.append("Secure")
        if self.httponly:
            parts.append("HttpOnly")
        parts.append(f"SameSite={self.samesite}")
        if self.partitioned:
            parts.append("Partitioned")
        header = "; ".join(parts)
        return f"set-cookie: {header}" if include_header_name else header

    def to_encoded_header(self) -> tuple[bytes, bytes]:
        """The ASGI header pair `(b"set-cookie", value)`."""
        return b"set-cookie", self.to_header().encode("latin-1")
