"""The templates lay views out: handler signatures, and values through the filters."""

from __future__ import annotations

from typing import Any

from specloom.generator.plan.views import Arg, Call, HandlerStub, SignatureParam
from specloom.generator.render.package import _environment


def _render(source: str, **context: Any) -> str:
    return _environment().from_string(source).render(**context)


def test_templates_lay_values_out_with_the_filters() -> None:
    call = Call("get", (Arg("", "'/'"), Arg("name", "'x'")))
    assert (
        _render("{{ c | py }} / {{ c.args | pyargs }}", c=call)
        == "get('/', name='x') / '/', name='x'"
    )


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
    text = _render('{% from "_signature.jinja" import params %}{{ params(s) }}', s=stub)
    assert text == f"a: (op.FA), b: (op.FB) = ({long_default})"
