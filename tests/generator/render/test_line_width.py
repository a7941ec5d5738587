"""`text_width` counts columns as black does, from black's table read without importing black."""

from __future__ import annotations

import subprocess
import sys

from black.strings import str_width
from hypothesis import given
from hypothesis import strategies as st

from specloom.generator.render.line_width import (
    _STRING_UNIT,
    _black_width_table,
    cut_literal,
    text_width,
)


def test_every_code_point_has_blacks_width() -> None:
    for code in range(0x110000):
        if 0xD800 <= code < 0xE000:
            continue  # a surrogate is no text
        text = "a" + chr(code) + "\u00e9"
        assert text_width(text) == str_width(text), hex(code)


def test_the_table_is_blacks() -> None:
    from black._width_table import WIDTH_TABLE

    assert _black_width_table() == [tuple(row) for row in WIDTH_TABLE]


def test_the_width_of_non_ascii_text_does_not_import_black() -> None:
    code = (
        "import sys\n"
        "from specloom.generator.render.line_width import text_width\n"
        "assert text_width('\\u4e2d\\u6587 text') == 9\n"
        "assert 'black' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


_UNITS = ["a", "b", " ", "/", "\\n", "\\t", "\\\\", "\u00e9", "\u4e2d"]  # a unit each


# ASCII alone (cut by offset, `_cut_ascii`): escapes of every length, spaces and slashes in some
_ASCII_UNITS = ["a", " ", "/", "\\n", "\\ ", "\\/", "\\x41", "\\u2013", "\\N{EN DASH}", "\\\\"]


@given(st.lists(st.sampled_from(_UNITS), max_size=200), st.integers(3, 120))
def test_a_cut_ends_at_the_best_mark_in_its_second_half(units: list[str], room: int) -> None:
    """Each piece but the last ends after a `\\n`, else after a space, else before a `/`, the
    last such mark in its second half (a reference scan over the units), else where it fits."""
    _check_cut(units, room)


@given(st.lists(st.sampled_from(_ASCII_UNITS), max_size=200), st.integers(3, 120))
def test_an_ascii_cut_ends_at_the_best_mark_in_its_second_half(units: list[str], room: int) -> None:
    _check_cut(units, room)


def _check_cut(units: list[str], room: int) -> None:
    literal = '"' + "".join(units) + '"'
    pieces = cut_literal(literal, room)
    assert "".join(piece[1:-1] for piece in pieces) == literal[1:-1]
    start = 0
    for piece in pieces[:-1]:
        taken = _STRING_UNIT.findall(piece[1:-1])
        end = start + len(taken)
        widths = [text_width(unit) for unit in units]
        fits = start + 1
        while fits < len(units) and sum(widths[start : fits + 1]) + 2 <= room:
            fits += 1
        half = start + (fits - start) // 2
        best = None
        for mark, after in (("\\n", 1), (" ", 1), ("/", 0)):
            found = [i + after for i in range(start, len(units)) if units[i] == mark]
            found = [i for i in found if half < i <= fits]
            if found:
                best = found[-1]
                break
        assert end == (best if best is not None else fits), (units, room, pieces)
        start = end
