"""`text_width` counts columns as black does, from black's table read without importing black."""

from __future__ import annotations

import subprocess
import sys

from black.strings import str_width

from specloom.generator.render.line_width import _black_width_table, text_width


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
