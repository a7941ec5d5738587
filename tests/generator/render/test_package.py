"""The templates lay views out: handler signatures, and values through the filters."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2

from specloom.generator.plan.views import Arg, Call, HandlerStub, SignatureParam
from specloom.generator.render.package import (
    _OPTIONS,
    _environment,
    _template_cache,
    _templates_folder,
)


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


def test_compiled_templates_are_kept_and_read_back(tmp_path: Path) -> None:
    """A template read from the cache is the one compiled (same code, same output); a torn or
    foreign cache file, or a folder that cannot be written, compiles the template again."""
    folder = _templates_folder()
    cache = _template_cache(tmp_path)
    first = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(folder)), bytecode_cache=cache, **_OPTIONS
    )
    compiled = first.get_template("docstring.py.jinja")
    kept = list((tmp_path / "__pycache__").iterdir())
    assert len(kept) == 1
    second = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(folder)), bytecode_cache=cache, **_OPTIONS
    )
    read = second.get_template("docstring.py.jinja")
    assert read.root_render_func.__code__.co_code == compiled.root_render_func.__code__.co_code
    kept[0].write_bytes(b"j2 torn")
    third = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(folder)), bytecode_cache=cache, **_OPTIONS
    )
    again = third.get_template("docstring.py.jinja")
    assert again.root_render_func.__code__.co_code == compiled.root_render_func.__code__.co_code
    blocked = tmp_path / "file"
    blocked.write_text("")
    fourth = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(folder)),
        bytecode_cache=_template_cache(blocked),  # its __pycache__ cannot be made
        **_OPTIONS,
    )
    assert fourth.get_template("docstring.py.jinja").render(doc="x") == (
        first.get_template("docstring.py.jinja").render(doc="x")
    )
