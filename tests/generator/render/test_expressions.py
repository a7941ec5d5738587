"""The filters lay a view's values out: calls, lists, tuples, dicts, or their text."""

from __future__ import annotations

import pytest

from specloom.generator.plan.views import Arg, Call, DictOf, ListOf, TupleOf, Value
from specloom.generator.render.expressions import arguments, expression


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("x", "x"),
        (Call("f"), "f()"),
        (Call("f", (Arg("", "1"), Arg("b", ListOf(("2", "3"))))), "f(1, b=[2, 3])"),
        (TupleOf(("'a'",)), "('a',)"),
        (TupleOf(("'a'", "'b'")), "('a', 'b')"),
        (DictOf((("'k'", Call("g", (Arg("v", "None"),))),)), "{'k': g(v=None)}"),
    ],
)
def test_expressions_are_laid_out(value: Value, text: str) -> None:
    assert expression(value) == text


def test_arguments_keep_their_order() -> None:
    assert arguments([Arg("", "'/'"), Arg("name", "'x'")]) == "'/', name='x'"
