"""`JsonPositions` finds each pointer where the table of every position (`_json_lines`) has it."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from specloom.generator import json_positions
from specloom.generator.json_positions import JsonPositions
from specloom.generator.sources import _json_lines

_KEYS = st.text(alphabet=st.sampled_from('ab~/"\\ \u00e9\u4e2d\n'), max_size=4)
_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | _KEYS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_KEYS, inner, max_size=4),
    max_leaves=30,
)


def _agrees(text: str) -> None:
    table = _json_lines(text)
    positions = JsonPositions(text, lambda: table)
    for pointer, position in table.items():
        assert pointer in positions
        assert positions[pointer] == position, pointer
    for pointer in [*(p + "/x" for p in table), *(p + "/0" for p in table), "x", "/"]:
        assert (pointer in positions) == (pointer in table), pointer
    assert dict(positions) == table


@settings(max_examples=150, deadline=None)
@given(_VALUES, st.sampled_from([None, 0, 2, "\t"]), st.sampled_from(["", "  \n", "\r\n"]))
def test_every_pointer_is_where_the_table_has_it(value: Any, indent: Any, before: str) -> None:
    _agrees(before + json.dumps(value, indent=indent, ensure_ascii=False) + "\n")


def test_keys_written_twice_and_escaped_keys() -> None:
    _agrees('{"a": 1, "a~b/c": {"x": [1, {"y": 2}]}, "a": [3, 4], "\\u00e9\\"": {}}')


def test_lines_past_many_blocks(monkeypatch: Any) -> None:
    """Newlines are counted per block: positions in later blocks, on long lines across one."""
    monkeypatch.setattr(json_positions, "_BLOCK", 8)
    value = {"k" * 30: [1, 2, {"deep": "v" * 20}], "next": {"a": None}}
    _agrees(json.dumps(value, indent=1))
    _agrees(json.dumps(value))  # one line
