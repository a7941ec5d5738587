"""The diff's order of values by their JSON text, and its scale on shared subtrees."""

from __future__ import annotations

import json
import random
import signal
from typing import Any

from specloom.generator.diff import diff_documents
from specloom.generator.diff._order import compare, distinct, json_prefix, same, sorted_distinct
from specloom.generator.diff._sharing import _sharing


def _text(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)


def _value(rng: random.Random, depth: int = 0) -> Any:
    roll = rng.random()
    if depth < 3 and roll < 0.25:
        keys = ["a", "b", "ab", "A", "é", "~"]
        return {rng.choice(keys): _value(rng, depth + 1) for _ in range(rng.randint(0, 3))}
    if depth < 3 and roll < 0.45:
        return [_value(rng, depth + 1) for _ in range(rng.randint(0, 3))]
    return rng.choice([0, 1, 12, 1.5, -1, -12, 10, True, False, None, "a", "ab", "", "1", 1e20])


def test_order_is_the_order_of_the_json_text() -> None:
    """Numbers whose text begins another's (`1`, `12`, `1.5`) sort as their texts do."""
    rng = random.Random(7)
    for _ in range(5000):
        a, b = _value(rng), _value(rng)
        expected = (_text(a) > _text(b)) - (_text(a) < _text(b))
        with _sharing():
            assert compare(a, b) == expected, (a, b)
        assert same(a, b) == (a == b)
        assert json_prefix(a, 10)[:10] == _text(a)[:10]


def test_distinct_keeps_what_a_dict_of_texts_kept() -> None:
    rng = random.Random(3)
    values = [_value(rng) for _ in range(300)]
    by_text = {_text(v): v for v in values}
    assert [id(v) for v in distinct(values)] == [id(v) for v in by_text.values()]
    expected = sorted(by_text.values(), key=_text)
    assert [id(v) for v in sorted_distinct(values)] == [id(v) for v in expected]


def _chain(depth: int) -> dict[str, Any]:
    """Component schemas each naming the one below twice: inlined, 2**depth copies."""
    schemas: dict[str, Any] = {"S0": {"type": "string", "description": "leaf"}}
    for level in range(1, depth + 1):
        below = {"$ref": f"#/components/schemas/S{level - 1}"}
        schemas[f"S{level}"] = {"anyOf": [{"allOf": [below], "title": "t"}, {"allOf": [below]}]}
    return schemas


def test_shared_subtrees_are_not_written_out() -> None:
    """A schema whose text doubles at each level (inlined references share subtrees) is
    compared in time linear in its objects, not its text: written out, its 2**40 copies
    would never end, so the alarm only bounds a regression (it measures nothing)."""
    doc = {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}}
    old = {**doc, "components": {"schemas": _chain(40)}}
    new = {**doc, "components": {"schemas": {**_chain(40), "Extra": {"type": "integer"}}}}

    def hung(signum: int, frame: object) -> None:
        raise TimeoutError("the diff writes shared subtrees out")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(300)
    try:
        found = diff_documents(old, new)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert [(d.kind, d.pointer) for d in found] == [("added", "/components/schemas/Extra")]


def test_strings_sort_as_their_json_texts() -> None:
    """Strings sort without their text written out where that gives the text's order: not
    where a character sorts before the closing quote (` `, `!`) or is escaped (`"`, `\\`,
    control and non-ASCII characters)."""
    rng = random.Random(11)
    letters = ["a", "b", "B", "#", "~", "[", "]", " ", "!", '"', "\\", "\n", "é", "\u2028", "z"]
    for _ in range(3000):
        values = ["".join(rng.choices(letters, k=rng.randint(0, 3))) for _ in range(4)]
        if rng.random() < 0.5:
            values = [v.replace(" ", "").replace("!", "") for v in values if v.isascii()]
        by_text = {_text(v): v for v in values}
        assert sorted_distinct(values) == sorted(by_text.values(), key=_text), values
        with _sharing():
            for a in values:
                for b in values:
                    assert compare(a, b) == (_text(a) > _text(b)) - (_text(a) < _text(b))
