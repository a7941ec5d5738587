"""render/layout.py lays statements out exactly as black does (black is the oracle here)."""

from __future__ import annotations

import ast
import os

import black
import pytest
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from specloom.generator.render.layout import (
    format_module,
    layout_statement,
    normalize_strings,
    text_width,
)
from specloom.generator.render.pyexpr import literal

MODE = black.Mode(line_length=100)


def black_of(source: str) -> str:
    return black.format_str(source, mode=MODE)


# -- random statements of the shapes the renderers write ---------------------------------------

names = st.from_regex(r"[a-z][a-z0-9_]{0,30}", fullmatch=True).filter(
    lambda name: name not in {"if", "in", "is", "or", "and", "not", "for", "def", "del", "as"}
    and name.isidentifier()
    and not __import__("keyword").iskeyword(name)
)
type_names = st.from_regex(r"[A-Z][A-Za-z0-9]{0,40}", fullmatch=True)
strings = st.text(max_size=60).map(repr)
numbers = st.one_of(
    st.integers(-(10**12), 10**12).map(str),
    st.floats(allow_nan=False, allow_infinity=False).map(lambda f: repr(f).replace("e+", "e")),
)
atoms = st.one_of(
    names,
    type_names,
    st.builds(lambda a, b: f"{a}.{b}", names, type_names),
    strings,
    numbers,
    st.sampled_from(["None", "True", "False"]),
)


def _join(items: list[str], magic: bool) -> str:
    return ", ".join(items) + ("," if magic and items else "")


def expressions(depth: int = 3) -> st.SearchStrategy[str]:
    if depth == 0:
        return atoms
    inner = expressions(depth - 1)
    arguments = st.lists(
        st.one_of(inner, st.builds(lambda k, v: f"{k}={v}", names, inner)), max_size=4
    )
    return st.one_of(
        atoms,
        st.builds(lambda f, a, m: f"{f}({_join(a, m)})", names, arguments, st.booleans()),
        st.builds(
            lambda f, a, m: f"{f}[{_join(a, m)}]",
            type_names,
            st.lists(inner, min_size=1, max_size=3),
            st.booleans(),
        ),
        st.builds(lambda a, m: f"[{_join(a, m)}]", st.lists(inner, max_size=4), st.booleans()),
        st.builds(
            lambda kv, m: "{" + _join([f"{k}: {v}" for k, v in kv], m) + "}",
            st.lists(st.tuples(strings, inner), max_size=3),
            st.booleans(),
        ),
        st.builds(
            lambda parts: " | ".join(parts),
            st.lists(
                st.one_of(type_names, st.builds(lambda t, a: f"{t}[{a}]", type_names, inner)),
                min_size=2,
                max_size=3,
            ),
        ),
    )


annotations = st.one_of(
    type_names,
    st.builds(lambda t, e: f"Annotated[{t}, Meta({e})]", type_names, expressions(2)),
    st.builds(lambda t, e: f"Annotated[{t}, Meta(description={e})] | None", type_names, strings),
)


@st.composite
def statements(draw: st.DrawFn) -> str:
    kinds = ["assign", "annassign", "annotation", "decorator", "expr", "def", "class", "return"]
    kind = draw(st.sampled_from(kinds))
    name = draw(names)
    if kind == "class":
        bases = draw(st.lists(st.one_of(type_names, expressions(1)), min_size=1, max_size=4))
        return f"class {draw(type_names)}({_join(bases, draw(st.booleans()))}):"
    if kind == "return":
        return f"return {draw(expressions())}"
    if kind == "assign":
        return f"{name} = {draw(expressions())}"
    if kind == "annassign":
        return f"{name}: {draw(annotations)} = {draw(expressions())}"
    if kind == "annotation":
        return f"{name}: {draw(annotations)}"
    if kind == "decorator":
        arguments = draw(st.lists(expressions(2), max_size=4))
        return f"@{name}.{draw(names)}({_join(arguments, draw(st.booleans()))})"
    if kind == "expr":
        return f"{name}({_join(draw(st.lists(expressions(2), max_size=4)), draw(st.booleans()))})"
    params = draw(
        st.lists(
            st.builds(
                lambda n, a, d: f"{n}: {a}" + (f" = {d}" if d else ""),
                names,
                st.one_of(annotations, annotations.map(lambda a: f"({a})")),
                st.one_of(st.none(), atoms),
            ),
            max_size=4,
            unique_by=lambda p: p.split(":")[0],
        )
    )
    params.sort(key=lambda p: " = " in p)
    prefix = draw(st.sampled_from(["def", "async def"]))
    return f"{prefix} {name}({', '.join(params)}) -> {draw(annotations)}:"


def _module(statement: str, in_class: bool) -> str:
    if statement.startswith("return "):
        statement = f"def f() -> None:\n    {statement}"
    body = f"{statement}\n    pass\n" if statement.endswith(":") else f"{statement}\n"
    if statement.startswith("@"):
        body += "def decorated() -> None:\n    pass\n"
    if in_class:
        body = "class C:\n" + "".join(f"    {line}\n" for line in body.splitlines())
    return body


@settings(
    max_examples=int(os.environ.get("SPECLOOM_LAYOUT_EXAMPLES", "600")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(statements(), st.booleans())
def test_random_statements_are_laid_out_as_black_does(statement: str, in_class: bool) -> None:
    source = normalize_strings(_module(statement, in_class))
    try:
        expected = black_of(source)
    except black.InvalidInput:
        assume(False)
        return
    laid_out = format_module(source, cut_strings=False)
    if laid_out is None:
        event("left to black")
        return
    event("laid out")
    assert laid_out == expected, source
    # with long strings cut into pieces, black still finds nothing to change
    cut = format_module(source)
    assert cut is not None
    assert black_of(cut) == cut, cut


# -- examples that pin black's rules down -------------------------------------------------------

LONG = "x" * 70


@pytest.mark.parametrize(
    "source",
    [
        # fits: unchanged
        "x = f(a, b)\n",
        # a call that does not fit: its arguments on one line, then one per line
        f'name = call("{LONG}", keyword=1)\n',
        f'name = call("{LONG}", keyword=1, other="{LONG[:30]}")\n',
        # a magic trailing comma explodes even a short call
        "x = f(a, b,)\n",
        # a list literal that does not fit: one element per line
        f'__all__: list[str] = ["{LONG}", "{LONG}"]\n',
        # a tuple keeps its parentheses, and splits as a list does (an UntaggedUnion's members)
        "class C(UntaggedUnion):\n" f'    members = ("{LONG[:40]}", "{LONG[:40]}", "{LONG[:9]}")\n',
        f'x = ("{LONG}", f("{LONG[:30]}", "{LONG[:30]}"), "d")\n',
        f'x = ("{LONG * 2}",)\n',
        # a long annotation: optional parentheses around it, split at `|`
        "class C:\n" f'    name: Annotated[str, Meta(description="{LONG}")] | UnsetType = UNSET\n',
        "class C:\n"
        f'    name: Annotated[str, Meta(description="{LONG}")] = msgspec.field(name="n")\n',
        # a string too long for any line stays where it is
        f'CONSTANT_NAME = "{LONG * 2}"\n',
        f'CONSTANT_NAME = "{LONG[:60]}"\n',
        # def headers: parameters on one line, then one per line; parentheses kept only to split
        f"async def handler(value: (op.{LONG[:40]}), data: (op.Body) = None) -> m.Model:\n"
        "    pass\n",
        f"async def handler(value: (op.{LONG})) -> m.Model:\n    pass\n",
        "async def f(x: (op.X)) -> None:\n    pass\n",
        # decorators and awaits
        f'@router.get("/{LONG}", status_code=200)\ndef f() -> None:\n    pass\n',
        f"async def f() -> None:\n    page = await paginators.{LONG[:40]}()(limit=max_results, "
        "offset=start_at)\n",
        # a class name too long for any line: the header is split at its bracket all the same
        f"class C{LONG * 3}(msgspec.Struct, kw_only=True):\n    x: int\n",
        # imports
        f"from ..handlers import {LONG[:45]} as {LONG[:45]}_handlers\n",
        # statements written over several lines are joined, then laid out
        "async def verify(\n    request: Request[Any, Any], credentials: Credentials, scopes: "
        "Sequence[str]\n) -> bool:\n    return False\n",
        # docstrings: padded where they start or end with a quote, re-indented, and comments
        # lose trailing spaces
        'def f() -> None:\n    """"quoted" text"""\n',
        'class C:\n    """First line.\n\n      indented more\n    """\n\n    x: int\n',
        "# a comment   \nx = 1\n",
        # nested dicts with magic trailing commas
        f'S: dict[str, T] = {{"a": T(type="x", flows={{"b": {{"c": "{LONG}"}}}}),}}\n',
    ],
)
def test_examples_match_black(source: str) -> None:
    source = normalize_strings(source)
    laid_out = format_module(source, cut_strings=False)
    assert laid_out is not None
    assert laid_out == black_of(source)
    cut = format_module(source)
    assert cut is not None
    assert black_of(cut) == cut


def test_statements_outside_the_supported_set_are_left_to_black() -> None:
    assert layout_statement("x = [i for i in range(10)] + " + "y" * 100) is None
    assert layout_statement("x = lambda: " + "y" * 100) is None
    assert format_module("if " + " and ".join(["value"] * 20) + ":\n    pass\n") is None


@given(st.text())
def test_string_quotes_are_normalised_as_black_does(text: str) -> None:
    line = f"x = {text!r}\n"
    assert normalize_strings(line) == black.format_str(line, mode=black.Mode(line_length=10**6))


def test_laid_out_code_that_does_not_compile_is_an_internal_error() -> None:
    from specloom.generator.generate import GenerateError, _format

    # layout passes short lines through untouched: Python's compiler still checks the module
    with pytest.raises(GenerateError, match=r"models\.py is not valid Python"):
        _format("models.py", "x = 1 2\n")


# -- string literals too long for a line: cut into pieces black keeps ---------------------------

WORDS = st.lists(
    st.one_of(
        st.text(min_size=1, max_size=12),
        st.sampled_from(["\u2013", "\u2019", "\n", '"', "'", "\\", "\u4e2d\u6587", "\U0001f600"]),
    ),
    min_size=30,
    max_size=120,
).map(" ".join)
SHAPES = [
    "X = {s}\n",
    "class C:\n    name: Annotated[str, Meta(description={s})] | UnsetType = UNSET\n",
    "class C:\n    def f(self, a: Annotated[int, Parameter(description={s})] = 3) -> None:\n"
    "        return None\n",
    '@op.thing(summary={s}, tags=["a"])\nasync def f() -> None:\n    pass\n',
    'x = OpenAPIConfig(title="t", info={{"description": {s}, "x": [{s}]}})\n',
    "x = f({s})\n",
    "def f() -> None:\n    return {s}\n",
]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(WORDS, st.sampled_from(SHAPES))
def test_long_strings_are_cut_to_fit_and_keep_their_value(text: str, shape: str) -> None:
    source = normalize_strings(shape.format(s=literal(text)))
    laid_out = format_module(source)
    assert laid_out is not None
    assert all(text_width(line) <= 100 for line in laid_out.splitlines()), laid_out
    assert black_of(laid_out) == laid_out
    values = [
        node.value
        for node in ast.walk(ast.parse(laid_out))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    ]
    assert text in values
