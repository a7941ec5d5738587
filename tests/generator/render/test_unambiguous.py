"""escape_ambiguous: the words around non-ASCII characters alone are read, as ruff reads all."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from specloom.generator.render.unambiguous import _flagged, escape_ambiguous, is_plain_letter


def _in_word(char: str) -> bool:
    return char.isalnum() or unicodedata.category(char)[0] == "M"


def _flagged_by_every_word(text: str) -> set[int]:
    """The rule read character by character over the whole text (the former implementation)."""
    found: set[int] = set()
    suspects: list[int] = []
    ascii_word = plain = False
    for offset, char in enumerate([*text, " "]):
        if not _in_word(char):
            if ascii_word or not plain:
                found.update(suspects)
            suspects.clear()
            ascii_word = plain = False
            if not char.isascii():
                found.add(offset)
        elif char.isascii():
            ascii_word = True
        elif is_plain_letter(char):
            plain = True
        else:
            suspects.append(offset)
    return found


# ASCII letters, digits, spaces and punctuation; plain letters, confusable ones, marks, dashes,
# quotes, wide and astral characters
_CHARS = st.sampled_from(
    list("ab Z09 _-/\\'\"\n")
    + list("éßжЖшяαοΑ\u0301\u0903\u2013\u2019\u201c\u00a0\u3042\u4e2d\uac00\U0001f600\u0131")
)


@settings(max_examples=400)
@given(st.text(_CHARS, max_size=40))
def test_flagged_is_the_rule_read_over_every_word(text: str) -> None:
    assert _flagged(text) == _flagged_by_every_word(text)


def test_a_word_with_ascii_flags_its_confusable_letters_a_plain_word_does_not() -> None:
    assert _flagged("Straße жук") == set()
    assert _flagged("x\u0436\u0443\u043a") == {2}  # \u0443 looks like "y"
    assert _flagged("a\u2013b") == {1}


def test_escape_ambiguous_escapes_every_suspect_and_keeps_the_rest() -> None:
    assert escape_ambiguous("'a\u2013b \u201cq\u201d'") == "'a\\u2013b \\u201cq\\u201d'"
    assert escape_ambiguous("'жук'") == "'жук'"
    assert escape_ambiguous("'x'") == "'x'"
    # an escape adds ASCII to the word after it: that word is then read again
    assert escape_ambiguous("'\u2013\u0131'") == "'\\u2013\\u0131'"
