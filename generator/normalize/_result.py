"""What a normalisation gives: the canonical document, the moves it made and its warnings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..errors import SpecWarning


@dataclass
class Normalized:
    """A canonical document, the moves it made (new pointer prefix -> old), warnings, and the
    keys beside `$ref`s its version ignores (dropped)."""

    document: dict[str, Any]
    moves: dict[str, str] = field(default_factory=dict)
    warnings: list[SpecWarning] = field(default_factory=list)
    extensions_as_written: bool = False
    # 2.0 and 3.0: the keys beside a schema's `$ref` mean nothing (Reference Object); they are
    # dropped, and kept here by pointer, for the reader of the generated code
    ref_siblings_ignored: bool = False
    ignored_siblings: dict[str, dict[str, Any]] = field(default_factory=dict)


def _copy(value: Any) -> Any:
    """A deep copy of JSON-like data; mapping keys become strings."""
    if isinstance(value, dict):  # a string key and a string value are themselves
        return {
            key if type(key) is str else str(key): item if type(item) is str else _copy(item)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_copy(item) for item in value]
    return value
