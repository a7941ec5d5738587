"""Where the JSON pointers of a JSON document start, found for the pointers asked about.

A warning's or an error's position is looked up by its pointer; a large document has a few
hundred of them and hundreds of thousands of values. A table of every value's position is a
pass over every token in Python (`sources._json_lines`: half a second on 10 MB); this finds a
pointer's position by going down its path, and lists the members of each container on the way
once (json's C scanner reads over each member's value to the next: a container's members are
listed in C, only its own keys in Python). Looked-up containers are few (the root,
`/components`, `/components/schemas`, the warned-about schemas and their properties), so a few
passes in C replace the one in Python.

Positions are those of `sources._json_lines`: an object member's is its key's opening quote,
an array item's its first character, the root's its first character (1-based line and
column); a key written twice is at its last occurrence, as `json.loads` keeps the last value.
"""

from __future__ import annotations

import json
import json.decoder
import json.scanner
import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from .errors import join_pointer

__all__ = ["JsonPositions"]

_WHITESPACE = re.compile(r"[ \t\n\r]*")  # JSON's whitespace (json.decoder's own)
_BLOCK = 1 << 16  # the text's newlines are counted once per block; a lookup counts in one

# the value at an offset read by json's C scanner, to the offset after it (typeshed types
# neither the scanner's argument, a decoder, nor scanstring)
_scan: Callable[[str, int], tuple[Any, int]] = json.scanner.make_scanner(
    json.JSONDecoder()  # type: ignore[arg-type]
)
_scanstring: Callable[[str, int], tuple[str, int]] = json.decoder.scanstring  # type: ignore[attr-defined]


class JsonPositions(Mapping[str, tuple[int, int]]):
    """The line map of valid JSON `text` (pointer -> line and column), looked up lazily.

    `table`: the whole map, for iterating it (never needed to look a pointer up)."""

    def __init__(self, text: str, table: Callable[[], dict[str, tuple[int, int]]]) -> None:
        self._text = text
        self._table = table
        self._root = len(text) - len(text.lstrip())  # as _json_lines: Python's whitespace
        # container's offset -> its members: segment -> (marked offset, value's offset)
        self._members: dict[int, dict[str, tuple[int, int]]] = {}
        self._blocks: list[tuple[int, int]] | None = None  # per block: newlines before it,
        # and where the last of them is

    def _offset(self, pointer: str) -> int | None:
        if pointer == "":
            return self._root
        if not pointer.startswith("/"):
            return None
        marked, value = self._root, self._root
        for segment in pointer[1:].split("/"):
            if self._text[value : value + 1] not in ("{", "["):
                return None
            member = self._listed(value).get(segment)
            if member is None:
                return None
            marked, value = member
        return marked

    def _listed(self, start: int) -> dict[str, tuple[int, int]]:
        members = self._members.get(start)
        if members is None:
            members = self._members[start] = _members(self._text, start)
        return members

    def _position(self, offset: int) -> tuple[int, int]:
        text = self._text
        if self._blocks is None:
            self._blocks = _blocks(text)
        block = offset // _BLOCK
        newlines, last = self._blocks[block]
        start = block * _BLOCK
        line = newlines + text.count("\n", start, offset) + 1
        found = text.rfind("\n", start, offset)
        return line, offset - (found if found >= 0 else last)

    def __getitem__(self, pointer: str) -> tuple[int, int]:
        offset = self._offset(pointer)
        if offset is None:
            raise KeyError(pointer)
        return self._position(offset)

    def __contains__(self, pointer: object) -> bool:
        return isinstance(pointer, str) and self._offset(pointer) is not None

    def __iter__(self) -> Iterator[str]:
        return iter(self._table())

    def __len__(self) -> int:
        return len(self._table())


def _members(text: str, start: int) -> dict[str, tuple[int, int]]:
    """The members of the object or array at `start`: pointer segment -> (the offset its
    position is of, the offset of its value)."""
    members: dict[str, tuple[int, int]] = {}
    at = _WHITESPACE.match(text, start + 1).end()  # type: ignore[union-attr]
    closing = "}" if text[start] == "{" else "]"
    index = 0
    while text[at] != closing:
        if closing == "}":
            key, end = _scanstring(text, at + 1)
            colon = _WHITESPACE.match(text, end).end()  # type: ignore[union-attr]
            value = _WHITESPACE.match(text, colon + 1).end()  # type: ignore[union-attr]
            members[join_pointer("", key)[1:]] = (at, value)
        else:
            value = at
            members[str(index)] = (value, value)
            index += 1
        end = _scan(text, value)[1]
        at = _WHITESPACE.match(text, end).end()  # type: ignore[union-attr]
        if text[at] == ",":
            at = _WHITESPACE.match(text, at + 1).end()  # type: ignore[union-attr]
    return members


def _blocks(text: str) -> list[tuple[int, int]]:
    """Per block of `_BLOCK` characters: the newlines before it, and the offset of the last
    of them (-1: none)."""
    blocks: list[tuple[int, int]] = []
    newlines, last = 0, -1
    for start in range(0, len(text) + 1, _BLOCK):
        blocks.append((newlines, last))
        end = start + _BLOCK
        newlines += text.count("\n", start, end)
        found = text.rfind("\n", start, end)
        last = found if found >= 0 else last
    return blocks
