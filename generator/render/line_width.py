"""The line width the generated code keeps to, and string literals cut to fit it.

This is content, not layout: a formatter never splits a string, so a literal too long for any
line is written as an implicit concatenation of shorter pieces (the value is the same).
"""

from __future__ import annotations

import bisect
import itertools
import re

__all__ = ["LINE_LENGTH", "cut_literal", "text_width"]

LINE_LENGTH = 100

# one character of a literal's source: an escape sequence is never cut
_STRING_UNIT = re.compile(r"\\(?:N\{[^}]*\}|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)|.")


def text_width(text: str) -> int:
    """Columns, as the formatters count them (East Asian wide characters take two)."""
    if text.isascii():
        return len(text)
    from black.strings import str_width  # black's own table; loaded only for such text

    return str_width(text)


def cut_literal(literal: str, room: int) -> list[str]:
    """A plain one-line string literal as pieces at most `room` columns wide (quotes included).

    A piece ends after a `\\n`, else after a space, else before a `/`, in its second half, or
    where the room ends; never inside an escape sequence. Each keeps the literal's quotes, so it
    is valid on its own.
    """
    if text_width(literal) <= room:
        return [literal]
    quote, body = literal[0], literal[1:-1]
    if body.isascii() and "\\" not in body:  # a unit a character: found in the text itself
        return [quote + piece + quote for piece in _cut_plain(body, room - 2)]
    units = _STRING_UNIT.findall(body)
    sizes = map(len, units) if literal.isascii() else map(text_width, units)
    ends = list(itertools.accumulate(sizes, initial=0))  # ends[i]: the width of units[:i]
    # where a piece may end, best first: after a line break, after a space, before a `/`
    marks = [
        [index + 1 for index, unit in enumerate(units) if unit == "\\n"],
        [index + 1 for index, unit in enumerate(units) if unit == " "],
        [index for index, unit in enumerate(units) if unit == "/"],
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
    return [quote + "".join(piece) + quote for piece in pieces if piece]


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
