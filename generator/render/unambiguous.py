"""Spec text in generated source, without the characters ruff calls ambiguous (RUF001-RUF003).

A description may hold an EN DASH or a curly quote; written as they are, ruff reports them in
strings, docstrings and comments. Here each such character becomes its escape (`\\u2013`):
the literal's value is unchanged, so the text the runtime documents is the spec's.

Letters of the scripts in `_CHECKED` stay as they are, except the ones ruff finds confusable
(`_CONFUSABLE`); tests/generator/test_lint_clean.py asks ruff about every one of them again.
Every other non-ASCII character is escaped where ruff would look at it.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["CHECKED_BLOCKS", "escape_ambiguous", "is_plain_letter"]

# Latin-1 and Latin Extended, Greek, Cyrillic, Armenian, Hebrew, Arabic, Devanagari, Bengali,
# Tamil, Thai, Latin Extended Additional, kana, CJK ideographs, Hangul syllables
CHECKED_BLOCKS = (
    (0x00A0, 0x024F),
    (0x0370, 0x058F),
    (0x0590, 0x06FF),
    (0x0900, 0x09FF),
    (0x0B80, 0x0BFF),
    (0x0E00, 0x0E7F),
    (0x1E00, 0x1EFF),
    (0x3040, 0x30FF),
    (0x4E00, 0x9FFF),
    (0xAC00, 0xD7A3),
)
# the letters of those blocks that ruff 0.17 finds confusable (with an ASCII character)
_CONFUSABLE_RANGES = (
    *(0x0131, 0x017F, 0x0184, 0x018D, (0x01A6, 0x01A7), 0x01B7, (0x01BC, 0x01BD), 0x01C0),
    *(0x01C3, 0x021C, (0x0222, 0x0223), 0x0241, 0x0374, 0x037A, 0x037F, (0x0391, 0x0392)),
    *((0x0395, 0x0397), (0x0399, 0x039A), (0x039C, 0x039D), 0x039F, 0x03A1, (0x03A4, 0x03A5)),
    *(0x03A7, 0x03B1, 0x03B3, 0x03B9, 0x03BD, 0x03BF, 0x03C1, 0x03C3, 0x03C5, 0x03D2, 0x03DC),
    *(0x03E8, (0x03F1, 0x03F3), (0x03F9, 0x03FA), (0x0405, 0x0406), 0x0408, 0x0410, 0x0412),
    *(0x0415, 0x0417, 0x041A, (0x041C, 0x041E), (0x0420, 0x0423), 0x0425, 0x042C),
    *((0x0430, 0x0431), 0x0433, 0x0435, 0x043E, (0x0440, 0x0441), 0x0443, 0x0445),
    *((0x0455, 0x0456), 0x0458, 0x0461, (0x0474, 0x0475), (0x04AE, 0x04AF), 0x04BB, 0x04BD),
    *(0x04C0, 0x04CF, 0x04E0, 0x0501, 0x050C, (0x051B, 0x051D), 0x054D, 0x054F, 0x0555),
    *(0x0561, 0x0563, 0x0566, 0x0570, 0x0578, (0x057C, 0x057D), 0x0581, (0x0584, 0x0585)),
    *(0x05D5, (0x05D8, 0x05D9), 0x05DF, 0x05E1, 0x0627, 0x0647, (0x0660, 0x0661), 0x0665),
    *(0x0667, 0x06BE, 0x06C1, 0x06D5, (0x06F0, 0x06F1), 0x06F5, 0x06F7, 0x0903, 0x0966),
    *(0x097D, 0x09E6, 0x09EA, 0x09ED, 0x0BE6, 0x0E50, 0x1E9D, 0x1EFF, 0x30CE, 0x4E36, 0x4E3F),
)
_CONFUSABLE = frozenset(
    code
    for entry in _CONFUSABLE_RANGES
    for code in (range(entry[0], entry[1] + 1) if isinstance(entry, tuple) else (entry,))
)


@lru_cache(maxsize=4096)
def is_plain_letter(char: str) -> bool:
    """A letter, mark or digit of a checked script that ruff does not find confusable."""
    code = ord(char)
    return (
        code not in _CONFUSABLE
        and unicodedata.category(char)[0] in "LMN"
        and any(low <= code <= high for low, high in CHECKED_BLOCKS)
    )


@lru_cache(maxsize=4096)
def _in_word(char: str) -> bool:
    # Rust's `char::is_alphanumeric`, which ruff splits words by, counts marks as letters
    return char.isalnum() or unicodedata.category(char)[0] == "M"


def _escape(char: str) -> str:
    code = ord(char)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _flagged(text: str) -> set[int]:
    """Offsets of the characters ruff might report in `text`, by ruff's rule for words.

    A word (alphanumeric run) is looked at when it holds an ASCII character or nothing that is
    surely unambiguous; every character that is not surely unambiguous is then suspect. A word
    of ASCII characters alone has no suspect: only the words around non-ASCII characters (found
    by a pass in C) are read, which a long description with a few such characters is quick for.
    """
    found: set[int] = set()
    read_to = 0  # the end of the last word read
    for match in _NON_ASCII.finditer(text):
        offset = match.start()
        if offset < read_to:
            continue
        if not _in_word(match.group()):
            found.add(offset)
            continue
        start = offset  # what comes before, up to the word's start, is ASCII
        while start > 0 and text[start - 1].isalnum():
            start -= 1
        end = offset + 1
        while end < len(text) and _in_word(text[end]):
            end += 1
        read_to = end
        suspects: list[int] = []
        ascii_word = plain = False
        for at in range(start, end):
            char = text[at]
            if char.isascii():
                ascii_word = True
            elif is_plain_letter(char):
                plain = True
            else:
                suspects.append(at)
        if ascii_word or not plain:
            found.update(suspects)
    return found


def escape_ambiguous(source: str) -> str:
    """`source` (the text of a str literal, docstring or comment) with suspect characters escaped.

    Escapes add ASCII letters to the word that follows them, so this repeats until no
    character is suspect any more; each round escapes at least one, so it ends.
    """
    if source.isascii():
        return source
    while True:
        flagged = _flagged(source)
        if not flagged:
            return source
        parts: list[str] = []
        last = 0
        for offset in sorted(flagged):
            parts += (source[last:offset], _escape(source[offset]))
            last = offset + 1
        source = "".join(parts) + source[last:]
