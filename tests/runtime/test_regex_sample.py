"""Strings made from a pattern's parse tree match it (mock values of strings with a pattern)."""

from __future__ import annotations

import random
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from specloom.runtime.regex_sample import sample_matching

# patterns of real specs (the corpus's mock bodies that missed them before) and the constructs
PATTERNS = [
    r"^LOC-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$",
    r"^[0-9a-f]{6}$",
    r"^([0-9]+)_([0-9]+)$",
    r"^[a-z]+(?:-[a-z]+)*$",
    r"\d{3}-\d{4}",
    r"^(?!foo)bar$",
    r"^[^\s@]+@[^\s@]+\.[^\s@]+$",
    r"(a|b)\1",
    r"^\w+$",
    r"^[A-Z]{2}$",
    r"^$",
    r"^.{1,5}$",
    r"^[\u00e9-\u00ff]+$",
    r"x*?y+?",
    r"^(?i:abc)$",
]


@pytest.mark.parametrize("pattern", PATTERNS)
def test_a_made_string_matches_its_pattern(pattern: str) -> None:
    for seed in range(5):
        made = sample_matching(pattern, random.Random(seed))
        assert made is not None and re.search(pattern, made), (pattern, made)


def test_the_same_seed_makes_the_same_string() -> None:
    pattern = PATTERNS[0]
    assert sample_matching(pattern, random.Random(1)) == sample_matching(pattern, random.Random(1))


@pytest.mark.parametrize("pattern", ["(", "[z-a]", r"(?<=a+)b", "a{2,1}"])
def test_a_pattern_re_refuses_gives_none(pattern: str) -> None:
    assert sample_matching(pattern, random.Random(0)) is None


@given(st.from_regex(r"[\^]?([a-c]|\[[a-c0-9^]{1,4}\]|\\d|\\w|\.)([*+?]|\{1,3\})?[$]?"))
def test_what_it_makes_always_matches(pattern: str) -> None:
    made = sample_matching(pattern, random.Random(0))
    assert made is None or re.search(pattern, made)


@given(st.text(max_size=30))
def test_any_text_as_a_pattern_never_raises(pattern: str) -> None:
    made = sample_matching(pattern, random.Random(0))
    assert made is None or re.search(pattern, made)
