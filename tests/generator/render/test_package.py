"""The templates lay views out: calls, lists, tuples and dicts, handler signatures."""

from __future__ import annotations

from typing import Any

import pytest

from specloom.generator.plan.views import (
    Arg,
    Call,
    DictOf,
    HandlerStub,
    ListOf,
    SignatureParam,
    TupleOf,
)
from specloom.generator.render.package import _environment


def _render(source: str, **context: Any) -> str:
    return _environment().from_string(source).render(**context)


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
def test_expressions_are_laid_out(value: Any, text: str) -> None:
    assert _render('{% from "_expr.jinja" import expr %}{{ expr(v) }}', v=value) == text


def test_a_signature_parenthesizes_long_defaults() -> None:
    long_default = "'" + "x" * 40 + "'"
    stub = HandlerStub(
        "f",
        "op.f",
        [SignatureParam("a", "FA", None), SignatureParam("b", "FB", long_default)],
        "op.",
        "None",
        False,
        '""""""',
    )
    text = _render('{% from "_expr.jinja" import params %}{{ params(s) }}', s=stub)
    assert text == f"a: (op.FA), b: (op.FB) = ({long_default})"
