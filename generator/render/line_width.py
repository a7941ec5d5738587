"""The line width the generated code keeps to, and string literals cut to fit it.

This is content, not layout: a formatter never splits a string, so a literal too long for any
line is written as an implicit concatenation of shorter pieces (the value is the same).
"""

from __future__ import annotations

import ast
import bisect
import functools
import importlib.util
import itertools
import re
from collections.abc import Callable
from pathlib import Path

__all__ = ["LINE_LENGTH", "cut_literal", "text_width"]

LINE_LENGTH = 100

# one character of a literal's source: an escape sequence is never cut
_STRING_UNIT = re.compile(r"\\(?:N\{[^}]*\}|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)|.")


def text_width(text: str) -> int:
    """Columns, as the formatters count them (East Asian wide characters take two)."""
    if text.isascii():
        return len(text)
    return _str_width()(text)


@functools.cache
def _str_width() -> Callable[[str], int]:
    """black's `str_width`, counted from black's own table (`black/_width_table.py`) read as
    data: importing black costs ~0.1 s of CPU, more than generating a small document, and a
    document with one non-ASCII character needs the widths. Where the table's source is not
    there (or is not the list of ranges it is), black's own function."""
    table = _black_width_table()
    if table is None:  # pragma: no cover - a black without its table's source
        from black import strings

        return strings.str_width
    starts = [start for start, _, _ in table]
    first = starts[0] if starts else 0x110000

    def str_width(text: str) -> int:  # black.strings.char_width, summed
        total = 0
        for char in text:
            code = ord(char)
            if code < first:
                total += 1
                continue
            index = bisect.bisect_right(starts, code) - 1
            if index >= 0 and code <= table[index][1]:
                total += max(table[index][2], 0)
            else:
                total += 1
        return total

    return str_width


def _black_width_table() -> list[tuple[int, int, int]] | None:
    """`WIDTH_TABLE` of black's `_width_table.py` (sorted, disjoint (first, last, width)
    ranges of code points), parsed without importing black; None if it cannot be read."""
    spec = importlib.util.find_spec("black")  # a top-level package: found, not imported
    folders = spec.submodule_search_locations if spec is not None else None
    for folder in folders or ():
        try:
            tree = ast.parse((Path(folder) / "_width_table.py").read_text(encoding="utf-8"))
        except (OSError, SyntaxError, ValueError):
            continue
        for node in tree.body:
            target: ast.expr
            value: ast.expr | None
            if isinstance(node, ast.AnnAssign):
                target, value = node.target, node.value
            elif isinstance(node, ast.Assign) and len(node.targets) == 1:
                target, value = node.targets[0], node.value
            else:
                continue
            if isinstance(target, ast.Name) and target.id == "WIDTH_TABLE" and value:
                try:
                    return _ranges(ast.literal_eval(value))
                except ValueError:
                    return None
    return None


def _ranges(table: object) -> list[tuple[int, int, int]] | None:
    """`table` if it is a sorted list of disjoint (first, last, width) integer ranges."""
    if not isinstance(table, list):
        return None
    ranges = [tuple(row) for row in table if isinstance(row, tuple) and len(row) == 3]
    if len(ranges) != len(table) or not all(isinstance(n, int) for r in ranges for n in r):
        return None
    checked: list[tuple[int, int, int]] = [(r[0], r[1], r[2]) for r in ranges]
    if any(a[1] >= b[0] for a, b in itertools.pairwise(checked)):
        return None
    return checked


def cut_literal(literal: str, room: int) -> list[str]:
    """A plain one-line string literal as pieces at most `room` columns wide (quotes included).

    A piece ends after a `\\n`, else after a space, else before a `/`, in its second half, or
    where the room ends; never inside an escape sequence. Each keeps the literal's quotes, so it
    is valid on its own.
    """
    return list(_cut_literal(literal, room))


# the formatting rounds (formatting.py) cut a literal again in each round that still has it too
# long, mostly with the same room: about half the cuts of a document with long examples
@functools.lru_cache(maxsize=4096)
def _cut_literal(literal: str, room: int) -> tuple[str, ...]:
    if text_width(literal) <= room:
        return (literal,)
    quote, body = literal[0], literal[1:-1]
    if body.isascii() and "\\" not in body:  # a unit a character: found in the text itself
        return tuple(quote + piece + quote for piece in _cut_plain(body, room - 2))
    if literal.isascii():
        return tuple(quote + piece + quote for piece in _cut_ascii(body, room - 2))
    units = _STRING_UNIT.findall(body)
    sizes = map(text_width, units)
    ends = list(itertools.accumulate(sizes, initial=0))  # ends[i]: the width of units[:i]
    # where a piece may end, best first: after a line break, after a space, before a `/`
    # (each found by a pass in C: a long description is thousands of units)
    marks = [
        list(itertools.compress(itertools.count(1), map("\\n".__eq__, units))),  # after
        list(itertools.compress(itertools.count(1), map(" ".__eq__, units))),  # after
        list(itertools.compress(itertools.count(), map("/".__eq__, units))),  # before
    ]
    pieces: list[list[str]] = []
    start = 0
    while ends[-1] - ends[start] + 2 > room:
        fits = max(bisect.bisect_right(ends, ends[start] + room - 2) - 1, start + 1)
        half = start + (fits - start) // 2
        end = fits
        for positions in marks:
            last = bisect.bisect_right(positions, fits) - 1
            if last >= 0 and positions[last] > half:
                end = positions[last]
                break
        pieces.append(units[start:end])
        start = end
    pieces.append(units[start:])
    return tuple(quote + "".join(piece) + quote for piece in pieces if piece)


# an escape sequence (a unit of more than one character), as `_STRING_UNIT` reads it
_ESCAPE = re.compile(r"\\(?:N\{[^}]*\}|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)")
_SPACE_OR_SLASH = re.compile("[ /]")


def _cut_ascii(body: str, room: int) -> list[str]:
    """`cut_literal`'s cut of an ASCII body with escape sequences, read by offset: a unit's
    width is its length, so the units are the characters but for the escapes (few), and no
    list of a string a unit is made (a long example is hundreds of thousands)."""
    escapes = [match.span() for match in _ESCAPE.finditer(body)]
    ends: list[int] = []  # the offsets where units start, and the body's end
    after_break: list[int] = []
    inside: set[int] = set()  # offsets within an escape, after its backslash
    done = 0
    for first, last in escapes:
        ends += range(done, first + 1)
        done = last
        if last - first == 2 and body[first + 1] == "n":
            after_break.append(last)
        if last - first > 2 or body[first + 1] in " /":
            inside.update(range(first + 1, last))
    ends += range(done, len(body) + 1)
    after_space: list[int] = []
    before_slash: list[int] = []
    for match in _SPACE_OR_SLASH.finditer(body):
        at = match.start()
        if at not in inside:
            if body[at] == " ":
                after_space.append(at + 1)
            else:
                before_slash.append(at)
    marks = (after_break, after_space, before_slash)  # offsets where a piece may end, best first
    pieces: list[str] = []
    start = 0  # a unit's index; ends[start] is its offset
    while ends[-1] - ends[start] > room:
        fits = max(bisect.bisect_right(ends, ends[start] + room) - 1, start + 1)
        half = start + (fits - start) // 2
        end = fits
        for offsets in marks:
            last = bisect.bisect_right(offsets, ends[fits]) - 1
            if last >= 0 and offsets[last] > ends[half]:
                end = bisect.bisect_left(ends, offsets[last], start, fits + 1)
                break
        pieces.append(body[ends[start] : ends[end]])
        start = end
    pieces.append(body[ends[start] :])
    return [piece for piece in pieces if piece]


def _cut_plain(body: str, room: int) -> list[str]:
    """`cut_literal` for a body of ASCII characters without escape sequences."""
    pieces: list[str] = []
    start = 0
    while len(body) - start > room:
        fits = start + max(room, 1)
        half = start + (fits - start) // 2
        space = body.rfind(" ", half, fits)  # the piece ends after it
        slash = body.rfind("/", half + 1, fits + 1)  # the piece ends before it
        end = space + 1 if space >= 0 else slash if slash > half else fits
        pieces.append(body[start:end])
        start = end
    pieces.append(body[start:])
    return [piece for piece in pieces if piece]
