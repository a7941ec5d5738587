"""Duplicate keys in a JSON object: `json.loads` keeps the last one silently; the loader says
so, as it does for YAML, at the key's line."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .errors import SpecWarning, join_pointer

__all__ = ["DuplicateKeys"]


class DuplicateKeys:
    """An `object_pairs_hook` for `json.loads` that notes each object with a repeated key (one
    comparison of lengths per object; the rest only when there is one)."""

    def __init__(self) -> None:
        # the objects themselves are kept: their identity finds their pointer afterwards
        self.found: list[tuple[dict[str, Any], list[str]]] = []

    def __call__(self, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        result = dict(pairs)
        if len(result) != len(pairs):
            seen: set[str] = set()
            repeated: dict[str, None] = {}
            for key, _ in pairs:
                if key in seen:
                    repeated[key] = None
                seen.add(key)
            self.found.append((result, list(repeated)))
        return result

    def warnings(
        self, data: Any, file: str, lines: Mapping[str, tuple[int, int]]
    ) -> list[SpecWarning]:
        """A warning for each repeated key, at the line of its last occurrence (the one used)."""
        if not self.found:
            return []
        wanted = {id(found): keys for found, keys in self.found}
        result = []
        pending: list[tuple[str, Any]] = [("", data)]
        while pending:
            pointer, value = pending.pop()
            if type(value) is dict:
                for key in wanted.get(id(value), ()):
                    at = join_pointer(pointer, key)
                    line, column = lines.get(at, (None, None))
                    message = f"duplicate key {key!r}; the last one is used"
                    result.append(SpecWarning(at, message, file, line, column))
                pending.extend((join_pointer(pointer, k), v) for k, v in value.items())
            elif type(value) is list:
                pending.extend((f"{pointer}/{n}", item) for n, item in enumerate(value))
        return sorted(result, key=lambda warning: (warning.line or 0, warning.column or 0))
