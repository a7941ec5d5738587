"""Indented JSON text: the same bytes as `json.dumps(indent=2)`, by a faster way (the lock's
text must not change, or a lock written by an earlier release would read as edited)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from specloom.generator.json_text import indented

_JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()  # NaN and the infinities too: json writes them, msgspec reads none of them
    | st.text(),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(_JSON, st.booleans())
def test_the_text_is_json_indented(value: Any, sort_keys: bool) -> None:
    assert indented(value, sort_keys=sort_keys) == json.dumps(value, indent=2, sort_keys=sort_keys)


class _Opaque:
    def __str__(self) -> str:
        return "opaque"


@pytest.mark.parametrize("value", [[_Opaque()], {"a": [1, _Opaque()], "b": float("nan")}])
def test_what_json_cannot_write_goes_through_default(value: Any) -> None:
    assert indented(value, default=str) == json.dumps(value, indent=2, default=str)
