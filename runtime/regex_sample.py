"""A string that a regular expression matches, made from the expression's own parse tree.

Mock values need strings that fit a schema's `pattern`. Python's `re` parser (`re._parser`)
reads the pattern; this module only walks its tree: a literal is itself, a class gives one of
its characters, a repeat a few copies (within its bounds), an alternation one branch, a
group its content (a back-reference repeats it); anchors and look-arounds give nothing. The
result is checked with `re.search`, as JSON Schema applies a pattern; a few tries, then None.
"""

from __future__ import annotations

import random
import re
import string
from re import _constants as sre_constants  # type: ignore[attr-defined]  # 3.11+: re's own
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

__all__ = ["sample_matching"]

_TRIES = 8
_MAX_EXTRA = 3  # copies beyond a repeat's minimum
_PRINTABLE = string.ascii_letters + string.digits + "-_.~ "
_CATEGORIES: dict[Any, str] = {
    sre_constants.CATEGORY_DIGIT: string.digits,
    sre_constants.CATEGORY_NOT_DIGIT: string.ascii_letters,
    sre_constants.CATEGORY_WORD: string.ascii_letters + string.digits + "_",
    sre_constants.CATEGORY_NOT_WORD: "-. ",
    sre_constants.CATEGORY_SPACE: " ",
    sre_constants.CATEGORY_NOT_SPACE: string.ascii_letters + string.digits,
}


def sample_matching(pattern: str, rng: random.Random) -> str | None:
    """A string `re.search(pattern, ...)` finds a match in, or None (no such string found)."""
    try:
        compiled = re.compile(pattern)
        tree = sre_parse.parse(pattern)
    except (re.error, RecursionError, OverflowError, ValueError):
        return None
    for _ in range(_TRIES):
        groups: dict[int, str] = {}
        try:
            text = _emit(tree, rng, groups)
        except (_Unsupported, RecursionError, ValueError):
            return None
        if compiled.search(text):
            return text
    return None


class _Unsupported(Exception):
    """A construct the sampler does not make strings for."""


def _emit(tree: Any, rng: random.Random, groups: dict[int, str]) -> str:
    return "".join(_node(op, av, rng, groups) for op, av in tree)


def _node(op: Any, av: Any, rng: random.Random, groups: dict[int, str]) -> str:
    c = sre_constants
    if op is c.LITERAL:
        return chr(av)
    if op is c.NOT_LITERAL:
        return next(ch for ch in _PRINTABLE if ord(ch) != av)
    if op is c.ANY:
        return rng.choice(string.ascii_letters)
    if op is c.IN:
        return _one_of(av, rng)
    if op is c.BRANCH:
        return _emit(rng.choice(av[1]), rng, groups)
    if op is c.SUBPATTERN:
        group, _add, _del, content = av
        text = _emit(content, rng, groups)
        if group is not None:
            groups[group] = text
        return text
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", None)):
        low, high, content = av
        high = low + _MAX_EXTRA if high is c.MAXREPEAT else min(high, low + _MAX_EXTRA)
        return "".join(_emit(content, rng, groups) for _ in range(rng.randint(low, high)))
    if op is c.GROUPREF:
        return groups.get(av, "")
    if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
        return ""  # anchors and look-arounds match a place, not characters
    if op is getattr(c, "ATOMIC_GROUP", None):
        return _emit(av, rng, groups)
    raise _Unsupported(str(op))


def _one_of(items: list[tuple[Any, Any]], rng: random.Random) -> str:
    """A character of a class `[...]` (or of its complement, printable)."""
    c = sre_constants
    chars: list[str] = []
    negate = False
    for op, av in items:
        if op is c.NEGATE:
            negate = True
        elif op is c.LITERAL:
            chars.append(chr(av))
        elif op is c.RANGE:
            low, high = av
            chars.extend(chr(code) for code in range(low, min(high, low + 94) + 1))
        elif op is c.CATEGORY:
            chars.extend(_CATEGORIES.get(av, ""))
        else:
            raise _Unsupported(str(op))
    if negate:
        excluded = set(chars)
        chars = [ch for ch in _PRINTABLE if ch not in excluded]
    if not chars:
        raise _Unsupported("an empty class")
    return rng.choice(chars)
