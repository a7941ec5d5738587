"""Small pieces of the HTTP grammar (RFC 9110) shared by the header classes."""

from __future__ import annotations

import re
from collections.abc import Iterator

__all__ = ["has_control_chars", "is_token", "split_unquoted", "unquote"]

# tchar: any VCHAR except delimiters (RFC 9110, section 5.6.2).
_TOKEN_RE = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
# Field values may hold VCHAR, SP, HTAB and obs-text; every other control character is refused.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


def is_token(value: str) -> bool:
    """True if `value` is a non-empty RFC 9110 token."""
    return _TOKEN_RE.fullmatch(value) is not None


def has_control_chars(value: str) -> bool:
    """True if `value` holds a control character other than HTAB (CR, LF and NUL included)."""
    return _CONTROL_RE.search(value) is not None


def split_unquoted(value: str, separator: str) -> Iterator[str]:
    """Split on `separator`, ignoring separators inside quoted strings; parts are stripped."""
    start = 0
    in_quotes = False
    escaped = False
    for index, char in enumerate(value):
        if escaped:
            escaped = False
        elif in_quotes and char == "\\":
            escaped = True
        elif char == '"':
            in_quotes = not in_quotes
        elif char == separator and not in_quotes:
            yield value[start:index].strip()
            start = index + 1
    yield value[start:].strip()


def unquote(value: str) -> str:
    """Undo an RFC 9110 quoted-string (`"a\\"b"` -> `a"b`); other values are returned as is."""
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return re.sub(r"\\(.)", r"\1", value[1:-1])
    return value
