"""JSON text indented by two spaces, as `json.dumps(value, indent=2)` writes it, quickly.

`indent=` sends json to its pure-Python encoder, about ten times slower than its C encoder on
a large value (a lock, a diff of two large documents). So the compact form is written by the C
encoder and indented by msgspec, which gives the same text. A NaN or an infinity is no JSON
msgspec reads: for a value holding one, json indents it itself.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import msgspec

__all__ = ["indented"]


def indented(
    value: Any, *, sort_keys: bool = False, default: Callable[[Any], Any] | None = None
) -> str:
    """`json.dumps(value, indent=2, sort_keys=sort_keys, default=default)`, the same text."""
    compact = json.dumps(value, sort_keys=sort_keys, default=default)
    try:
        return msgspec.json.format(compact, indent=2)
    except msgspec.DecodeError:
        return json.dumps(value, indent=2, sort_keys=sort_keys, default=default)
