"""generate.py: the diff each written file is reported with."""

from __future__ import annotations

import difflib

import pytest

from specloom.generator.generate import _diff


@pytest.mark.parametrize("text", ["", "a", "a\n", "a\nb", "a\nb\n", "x\n\n\ny\n", "\n"])
def test_a_new_files_diff_is_difflibs(text: str) -> None:
    """A new file's diff is written out without difflib's matcher, byte for byte as it would."""
    expected = "".join(
        difflib.unified_diff([], text.splitlines(keepends=True), fromfile="a/m.py", tofile="b/m.py")
    )
    assert _diff("m.py", "", text) == expected


def test_a_changed_files_diff_is_difflibs() -> None:
    expected = "".join(
        difflib.unified_diff(["a\n", "b\n"], ["a\n", "c\n"], fromfile="a/m.py", tofile="b/m.py")
    )
    assert _diff("m.py", "a\nb\n", "a\nc\n") == expected
