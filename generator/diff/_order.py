"""The order of values by their JSON text, without writing the text out.

The canonical form sorts unordered arrays (and the members of `anyOf`/`oneOf`/`allOf`) by
`json.dumps(value, sort_keys=True, default=str)`. Inlined references share their subtrees,
so a schema's text can be exponentially longer than the schema: writing it out for every
comparison was most of a large diff. Here two values are compared as their texts would be,
character by character, but a subtree met on both sides at once is skipped (it writes the
same text), and a pair of containers compared once is not compared again while the shared
results of a comparison live (`_sharing`). Equality of Python values (`==`) gets the same
treatment in `same`.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterator
from typing import Any

from ._sharing import _SHARED

__all__ = ["distinct", "json_prefix", "order_key", "same", "sorted_distinct"]


def _text(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)


# a string of these characters is its JSON text between quotes, and no character of it sorts
# before the closing quote: such strings sort as their texts do (most names and enum values)
_PLAIN_TEXT = re.compile(r"[#-\[\]-~]*\Z")


def _plain_strings(values: list[Any]) -> bool:
    """Whether every value is a string that sorts as its JSON text (see `_PLAIN_TEXT`)."""
    if not {*map(type, values)} <= {str}:
        return False
    return _PLAIN_TEXT.match("".join(values)) is not None  # every character of every one


def _first(value: Any) -> str:
    """The first character of a value's JSON text."""
    if value is None or value is True or value is False:
        return "n" if value is None else "t" if value else "f"
    if isinstance(value, dict):
        return "{"
    if isinstance(value, list | tuple):
        return "["
    if isinstance(value, str):
        return '"'
    return _text(value)[0]


class _Prefix:
    """The result of comparing two scalars when one's text begins the other's (`1`, `12`):
    the order then depends on the character after the shorter, which its container knows."""

    __slots__ = ("longer_next", "shorter_is_a")

    def __init__(self, shorter_is_a: bool, longer_next: str) -> None:
        self.shorter_is_a, self.longer_next = shorter_is_a, longer_next

    def resolve(self, shorter_next: str) -> int:
        """-1/1 once the character after the shorter text is known."""
        shorter_first = shorter_next < self.longer_next
        return -1 if shorter_first == self.shorter_is_a else 1


def _sign(one: str, other: str) -> int:
    return (one > other) - (one < other)


def _compare(a: Any, b: Any) -> int | _Prefix:
    if a is b:
        return 0
    if type(a) is str and type(b) is str and _PLAIN_TEXT.match(a) and _PLAIN_TEXT.match(b):
        return _sign(a, b)
    if isinstance(a, dict) and isinstance(b, dict):
        return _memo(_compare_dicts, a, b)
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return _memo(_compare_lists, a, b)
    first_a, first_b = _first(a), _first(b)
    if first_a != first_b or isinstance(a, dict | list | tuple):
        return _sign(first_a, first_b) or _sign(_text(a), _text(b))
    text_a, text_b = _text(a), _text(b)
    if text_a == text_b:
        return 0
    if text_b.startswith(text_a):
        return _Prefix(True, text_b[len(text_a)])
    if text_a.startswith(text_b):
        return _Prefix(False, text_a[len(text_b)])
    return _sign(text_a, text_b)


def _memo(function: Any, a: Any, b: Any) -> int:
    memo = _SHARED.get()
    if memo is None:
        return int(function(a, b))
    key = (function.__name__, id(a) * 2**64 + id(b))
    if key not in memo:
        memo[key] = ((a, b), function(a, b))
    return int(memo[key][1])


def _settled(result: int | _Prefix, next_a: str, next_b: str) -> int:
    if isinstance(result, _Prefix):
        return result.resolve(next_a if result.shorter_is_a else next_b)
    return result


def _compare_dicts(a: dict[Any, Any], b: dict[Any, Any]) -> int:
    if not all(isinstance(key, str) for key in (*a, *b)):
        return _sign(_text(a), _text(b))  # keys json.dumps converts: compare the texts
    keys_a, keys_b = sorted(a), sorted(b)
    for index, (key_a, key_b) in enumerate(zip(keys_a, keys_b, strict=False)):
        if key_a != key_b:
            return _sign(json.dumps(key_a), json.dumps(key_b))
        result = _compare(a[key_a], b[key_b])
        if result != 0:
            next_a = "," if index + 1 < len(keys_a) else "}"
            next_b = "," if index + 1 < len(keys_b) else "}"
            return _settled(result, next_a, next_b)
    # one's items begin the other's: `}` against `,` or `"`, both of which sort first
    return (len(keys_a) < len(keys_b)) - (len(keys_a) > len(keys_b))


def _compare_lists(a: list[Any] | tuple[Any, ...], b: list[Any] | tuple[Any, ...]) -> int:
    for index, (item_a, item_b) in enumerate(zip(a, b, strict=False)):
        result = _compare(item_a, item_b)
        if result != 0:
            next_a = "," if index + 1 < len(a) else "]"
            next_b = "," if index + 1 < len(b) else "]"
            return _settled(result, next_a, next_b)
    if len(a) == len(b):
        return 0
    shorter, longer, sign = (a, b, 1) if len(a) < len(b) else (b, a, -1)
    # `]` against `,` (after an item) or the first character of the longer's first item
    following = "," if shorter else _first(longer[0])
    return sign if following < "]" else -sign


def compare(a: Any, b: Any) -> int:
    """-1, 0 or 1 as `json.dumps(a, sort_keys=True, default=str)` sorts against b's."""
    result = _compare(a, b)
    return _settled(result, "", "") if isinstance(result, _Prefix) else result


order_key = functools.cmp_to_key(compare)


def sorted_distinct(values: list[Any]) -> list[Any]:
    """Values in the order of their JSON text, one per text (the last written), as
    `sorted({text(v): v for v in values}.values(), key=text)` gives them."""
    if _plain_strings(values):
        return sorted(set(values))
    result: list[Any] = []
    for value in sorted(values, key=order_key):
        if result and compare(result[-1], value) == 0:
            result[-1] = value
        else:
            result.append(value)
    return result


def distinct(values: list[Any]) -> list[Any]:
    """One value per JSON text, where it first appears (the last written), as
    `list({text(v): v for v in values}.values())` gives them."""
    result: list[Any] = []
    for value in values:
        for index, kept in enumerate(result):
            if compare(kept, value) == 0:
                result[index] = value
                break
        else:
            result.append(value)
    return result


def same(a: Any, b: Any) -> bool:
    """`a == b`, each pair of containers compared once while a comparison runs."""
    if a is b:
        return True
    if type(a) is dict and type(b) is dict:
        return _memo(_same_dicts, a, b) == 1
    if type(a) is list and type(b) is list:
        return _memo(_same_lists, a, b) == 1
    return bool(a == b)


def _same_dicts(a: dict[Any, Any], b: dict[Any, Any]) -> int:
    return int(len(a) == len(b) and all(key in b and same(a[key], b[key]) for key in a))


def _same_lists(a: list[Any], b: list[Any]) -> int:
    return int(len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True)))


def json_prefix(value: Any, limit: int) -> str:
    """The first `limit` characters (at least) of `value`'s JSON text, or all of it."""
    pieces: list[str] = []
    size = 0
    for piece in _pieces(value):
        pieces.append(piece)
        size += len(piece)
        if size > limit:
            break
    return "".join(pieces)


def _pieces(value: Any) -> Iterator[str]:
    if isinstance(value, dict) and all(isinstance(key, str) for key in value):
        yield "{"
        for index, key in enumerate(sorted(value)):
            yield (", " if index else "") + json.dumps(key) + ": "
            yield from _pieces(value[key])
        yield "}"
    elif isinstance(value, list | tuple):
        yield "["
        for index, item in enumerate(value):
            if index:
                yield ", "
            yield from _pieces(item)
        yield "]"
    else:
        yield _text(value)
