"""The line width the generated code keeps to, and string literals cut to fit it.

This is content, not layout: a formatter never splits a string, so a literal too long for any
line is written as an implicit concatenation of shorter pieces (the value is the same).
"""

from __future__ import annotations

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

    Pieces end after a `\\n` or a space where one is past the middle (or before a `/`), never
    inside an escape sequence; each keeps the literal's quotes, so it is valid on its own.
    """
    if text_width(literal) <= room:
        return [literal]
    quote, units = literal[0], _STRING_UNIT.findall(literal[1:-1])
    sizes = list(map(len, units)) if literal.isascii() else list(map(text_width, units))
    chunks: list[list[str]] = []
    start, width = 0, 2  # the current piece is units[start:], `width` columns with its quotes
    # where the current piece may end, best first: after a line break, after a space, before a `/`
    cuts = {"\\n": 0, " ": 0, "/": 0}
    for index, unit in enumerate(units):
        if index > start and width + sizes[index] > room:
            half = start + (index - start) // 2
            end = next((cut for cut in cuts.values() if cut > half), index)
            chunks.append(units[start:end])
            start = end
            width = 2 + sum(sizes[start:index])
            cuts = dict.fromkeys(cuts, 0)
        if unit == "/":
            cuts[unit] = index
        width += sizes[index]
        if unit in cuts and unit != "/":
            cuts[unit] = index + 1
    chunks.append(units[start:])
    return [quote + "".join(chunk) + quote for chunk in chunks if chunk]
