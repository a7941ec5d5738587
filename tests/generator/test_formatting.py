"""formatting.py: ruff formats the rendered modules; black finds nothing to change in the shapes
the renderers write, a second run changes nothing, and strings too long for a line are cut."""

from __future__ import annotations

import ast
import importlib
import io
import tokenize
from typing import Any

import black
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from specloom.generator import formatting
from specloom.generator.formatting import FormattingError, format_modules
from specloom.generator.render.line_width import LINE_LENGTH, cut_literal, text_width
from specloom.generator.render.pyexpr import literal

MODE = black.Mode(line_length=100)
LONG = "x" * 70


def black_of(source: str) -> str:
    return black.format_str(source, mode=MODE)


def formatted(source: str, path: str = "module.py") -> str:
    return format_modules({path: source})[path]


# statements as the renderers write them (one a line, black's spacing), each formatted as black
# would: black finds nothing to change, and formatting again changes nothing
EXAMPLES = [
    "x = f(a, b)\n",
    f'name = call("{LONG}", keyword=1)\n',
    f'name = call("{LONG}", keyword=1, other="{LONG[:30]}")\n',
    "x = f(a, b,)\n",  # a magic trailing comma explodes even a short call
    f'__all__: list[str] = ["{LONG}", "{LONG}"]\n',
    "class C(UntaggedUnion):\n" f'    members = ("{LONG[:40]}", "{LONG[:40]}", "{LONG[:9]}")\n',
    "class C:\n" f'    name: Annotated[str, Meta(description="{LONG}")] | UnsetType = UNSET\n',
    "class C:\n"
    f'    name: Annotated[str, Meta(description="{LONG}")] = msgspec.field(name="n")\n',
    f'CONSTANT_NAME = "{LONG[:60]}"\n',
    f'@router.get("/{LONG}", status_code=200)\ndef f() -> None:\n    pass\n',
    f"async def f() -> None:\n    page = await paginators.{LONG[:40]}()(limit=max_results, "
    "offset=start_at)\n",
    "async def verify(\n    request: Request[Any, Any], credentials: Credentials, scopes: "
    "Sequence[str]\n) -> bool:\n    return False\n",
    'def f() -> None:\n    """"quoted" text"""\n',
    'class C:\n    """First line.\n\n      indented more\n    """\n\n    x: int\n',
    "# a comment   \nx = 1\n",
    f'S: dict[str, T] = {{"a": T(type="x", flows={{"b": {{"c": "{LONG}"}}}}),}}\n',
    '"""A module."""\nimport os\n\nx = os.sep\n',
    "x = {'a': 'it\\'s', 'b': 'say \"hi\"'}\n",
    # a return annotation that fits a line of its own: black parenthesizes it, ruff splits it
    "async def get_queries() -> Annotated[Any, Meta(description="
    '"a JSON array of the identifiers of the queries")]:\n    raise NotImplementedError\n',
    # a field annotation too long for its line: black parenthesizes it, ruff does not
    "class C(msgspec.Struct):\n"
    f'    training_status: {"Long" * 21} = msgspec.field(name="trainingStatus")\n'
    f'    other_field_name: {"Long" * 21} = msgspec.field(name="o", default=1)\n'
    f"    type_: {'Long' * 21}Type = UNSET\n",
    # parameters ruff splits (an unrouted handler's string annotations): no statement for black
    'async def create_merchant_refund(partner_id: "op.CreateMerchantRefundPartnerId" = None, '
    'data: "op.CreateMerchantRefundBody" = None) -> "m.MerchantTransfer":\n    pass\n',
]


@pytest.mark.parametrize("source", EXAMPLES)
def test_the_renderers_shapes_come_out_as_black_writes_them(source: str) -> None:
    result = formatted(source)
    assert result == black_of(source)
    assert formatted(result) == result


def test_handler_annotations_keep_parentheses_only_where_they_let_a_line_fit() -> None:
    """The renderer writes `name: (op.Alias)`: black's parentheses, kept only to split."""
    short = "async def handler(value: (op.Value), data: (op.Body) = None) -> m.Model:\n    pass\n"
    assert formatted(short) == black_of(short)
    assert "(op." not in formatted(short)
    name = "V" * 86  # `    value: op.VVV…,` is 101 columns; in parentheses, `op.VVV…` fits
    wide = f"async def handler(value: (op.{name}), other: (op.Other) = None) -> m.M:\n"
    wide += "    pass\n"
    result = formatted(wide)
    assert result == black_of(wide)
    assert f"    value: (\n        op.{name}\n    ),\n" in result
    assert "    other: op.Other = None,\n" in result


def test_a_parameter_line_gets_one_pair_of_parentheses_black_keeps() -> None:
    """A parameter line too long for its annotation and short string default: both formatters
    leave it; the annotation gets parentheses (and the string is not cut as well: black would
    then find the annotation's redundant and drop them)."""
    for default in ('"Routing results"', '"00000000-0000-0000-0000-0000000010000"'):
        source = (
            "async def get_statements(\n    route_description: "
            f"(op.PostTruckOptimalDirectionsOutputFormatRouteDescription) = {default},\n"
            ") -> m.Statements:\n    pass\n"
        )
        result = formatted(source)
        assert f"    ) = {default},\n" in result
        assert black_of(result) == result and formatted(result) == result


def test_a_dict_value_too_long_for_its_line_is_parenthesized_as_black_keeps_it() -> None:
    """`"media/type": m.Model,` a model name long enough to pass the limit: only parentheses
    let the line split; a value that fits keeps none."""
    name = "M" * 76
    source = (
        "x = spec(\n    responses={\n        401: ResponseSpec(\n            content={\n"
        f'                "application/json": m.{name},\n'
        '                "text/plain": m.Short,\n'
        "            },\n        )\n    },\n)\n"
    )
    result = formatted(source)
    assert f'                "application/json": (\n                    m.{name}\n' in result
    assert '                "text/plain": m.Short,\n' in result
    assert black_of(result) == result and formatted(result) == result
    assert max(map(len, result.splitlines())) <= LINE_LENGTH


@pytest.mark.parametrize("depth", [6, 7, 8])
def test_a_short_string_deep_in_an_example_is_cut_only_where_it_cannot_fit(depth: int) -> None:
    """Strings under 40 columns fit wherever the formatter puts them, but at the depth of an
    example nested in a decorator they may not: then they too are cut, as black keeps them."""
    value = "U.S. Census American Community Survey"
    source = "x = " + '[{"a": ' * depth + f'{{"name": "{value}", "id": m.Abc}}' + "}]" * depth
    result = formatted(source + "\n")
    assert black_of(result) == result and formatted(result) == result
    assert max(map(text_width, result.splitlines())) <= LINE_LENGTH
    namespace: dict[str, Any] = {"m": type("m", (), {"Abc": 1})}
    exec(result, namespace)  # the value is the same
    inner = namespace["x"]
    for _ in range(depth - 1):
        inner = inner[0]["a"]
    assert inner[0]["a"]["name"] == value


@pytest.mark.parametrize("ending", ['\\"', '\\"\\"\\"', '\\\\\\"'])
def test_a_docstring_ending_in_a_quote_is_written_as_both_formatters_keep_it(ending: str) -> None:
    """black puts a space before the closing quotes after an escaped quote, ruff takes it away."""
    source = f'def f() -> None:\n    """Text{ending}"""\n'
    result = formatted(source)
    assert black_of(result) == result
    assert formatted(result) == result
    namespace: dict[str, Any] = {}
    exec(compile(source, "a.py", "exec"), namespace)
    expected = namespace["f"].__doc__
    exec(compile(result, "a.py", "exec"), namespace)
    assert namespace["f"].__doc__ == expected


def test_unused_module_aliases_are_dropped_and_long_imports_wrapped_as_isort_does() -> None:
    source = (
        "from . import headers as h\nfrom . import models as m\n"
        "from specloom.runtime.openapi import component, inline_schema, properties_between, "
        "schema_docs\n"
        "\n\nX = m.Pet\nY = (component, inline_schema, properties_between, schema_docs)\n"
    )
    result = formatted(source)
    assert "headers" not in result
    assert "from . import models as m\n" in result
    # over 88 columns (ruff's default): one name a line, kept so by the trailing comma
    assert "from specloom.runtime.openapi import (\n    component,\n" in result
    assert black_of(result) == result


def test_many_modules_in_folders_and_other_files_as_given() -> None:
    files = {f"handlers/h{index}.py": f"x   =  {index}\n" for index in range(30)}
    files["specloom.lock"] = "{ }\n"
    result = format_modules(files)
    assert result["handlers/h7.py"] == "x = 7\n"
    assert result["specloom.lock"] == "{ }\n"
    assert list(result) == list(files)


def test_a_module_that_does_not_parse_is_an_error_naming_it() -> None:
    with pytest.raises(FormattingError, match=r"not valid Python: .*_generated/models\.py"):
        format_modules({"_generated/models.py": "x = 1 2\n", "app.py": "x = 1\n"})


def test_a_missing_ruff_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.import_module

    def without_ruff(name: str, *args: Any) -> Any:
        if name == "ruff":
            raise ImportError(name)
        return real(name, *args)

    monkeypatch.setattr(formatting.importlib, "import_module", without_ruff)
    with pytest.raises(FormattingError, match="ruff is not installed"):
        format_modules({"a.py": "x = 1\n"})


def test_a_ruff_without_its_executable_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def not_found() -> str:
        raise FileNotFoundError("ruff")

    monkeypatch.setattr(importlib.import_module("ruff"), "find_ruff_bin", not_found)
    with pytest.raises(FormattingError, match="executable was not found"):
        format_modules({"a.py": "x = 1\n"})


def test_generate_reports_a_formatting_failure_as_a_generate_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    from specloom.generator import generate as generate_module

    def failing(files: Any) -> Any:
        raise FormattingError("internal error: a generated module is not valid Python: x.py")

    monkeypatch.setattr(generate_module, "format_modules", failing)
    spec = tmp_path / "spec.yaml"
    spec.write_text("openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths: {}\n")
    with pytest.raises(generate_module.GenerateError, match=r"not valid Python: x\.py"):
        generate_module.generate(spec, tmp_path / "out")


# -- string literals too long for a line: cut into pieces (a formatter never cuts a string) -----

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


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(WORDS, st.sampled_from(SHAPES))
def test_long_strings_are_cut_to_fit_and_keep_their_value(text: str, shape: str) -> None:
    result = formatted(shape.format(s=literal(text)))
    assert all(text_width(line) <= LINE_LENGTH for line in result.splitlines()), result
    assert black_of(result) == result
    assert formatted(result) == result
    values = [
        node.value
        for node in ast.walk(ast.parse(result))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    ]
    assert text in values


@given(WORDS, st.integers(min_value=20, max_value=90))
def test_cut_pieces_fit_their_room_and_join_to_the_literal(text: str, room: int) -> None:
    source = literal(text)
    if source[0] not in "\"'":
        return  # not a plain literal: never cut
    pieces = cut_literal(source, room)
    assert "".join(ast.literal_eval(piece) for piece in pieces) == text
    # wider than its room only when one character (or escape sequence) is
    assert all(text_width(piece) <= room or len(ast.literal_eval(piece)) == 1 for piece in pieces)


# a text whose pieces ruff cannot join (each wants other quotes); with 14 to 17 characters in
# front, the pieces fit one line together: black writes them so, ruff kept a line each
_UNJOINABLE = "'''\nopen('pwned', 'w')\n''''__import__\"\"\"\nopen(\"pwned\", \"w\")\n\"\"\""


@pytest.mark.parametrize("front", [0, 14, 15, 16, 17, 40])
def test_pieces_ruff_cannot_join_are_laid_out_as_black_does(front: int) -> None:
    value = "p" * front + _UNJOINABLE
    source = f"CONFIG = OpenAPIConfig(\n    title='t',\n    description={value!r},\n)\n"
    result = formatted(source)
    assert black_of(result) == result
    assert formatted(result) == result
    namespace: dict[str, object] = {"OpenAPIConfig": dict}
    exec(compile(result, "module.py", "exec"), namespace)  # the test's own text
    assert namespace["CONFIG"] == {"title": "t", "description": value}


def _string_tokens(source: str) -> list[tuple[int, str]]:
    """(offset, text) of each single-quoted string literal, by Python's own tokenizer (without
    a prefix: the tokenizer gives `b"x"` whole)."""
    starts = [0]
    for line in source.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    found = []
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type != tokenize.STRING or token.string.endswith(('"""', "'''")):
            continue
        text = token.string.lstrip("bBrRuUfF")
        offset = starts[token.start[0] - 1] + token.start[1] + len(token.string) - len(text)
        found.append((offset, text))
    return found


TOKEN_CASES = [
    'x = "a # not a comment"  # a "comment"\n',
    'y = b"bytes" + rb"raw\\\\" + f"{x}" + u"u"\n',
    'def f(a: Model = "short") -> None:\n    """A docstring "with quotes" and # marks\n\n'
    '    more: "text" \\"\\"\\"\n    """\n    return {"application/json": m.Model, 200: m.Other}\n',
    "z = 'single' 'joined' \"double \\\" escaped\"\n",
    'class C:\n    """Doc."""\n\n    name: (\n'
    '        Annotated[str, Meta(description="d")] | None\n'
    "    ) = None\n",
]


@pytest.mark.parametrize("source", TOKEN_CASES)
def test_the_token_scan_finds_the_strings_pythons_tokenizer_finds(source: str) -> None:
    """`_CODE`'s string matches are the tokenizer's strings, docstrings and comments aside
    (their text is never read as code), with a prefix known by `_prefixed`."""
    matches = [m for m in formatting._CODE.finditer(source) if m.group("string") is not None]
    assert [(m.start(), m.group("string")) for m in matches] == _string_tokens(source)
    for match in matches:
        assert formatting._prefixed(source, match.start()) == source[match.start() - 1].isalpha()


def test_a_line_token_is_placed_at_its_line() -> None:
    source = (
        "def f(\n    value: m.Model = None,\n) -> None:\n"
        '    return {\n        "a/b": m.Body,\n    }\n'
    )
    lines = [
        m for m in formatting._CODE.finditer(source) if m.group("annotation") or m.group("value")
    ]
    assert [source[formatting._line_start(m) :].split("\n")[0].strip() for m in lines] == [
        "value: m.Model = None,",
        '"a/b": m.Body,',
    ]


def _matches_on(text: str, long_lines: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """What `_fit` reads of `_CODE.finditer(text)`: the matches on a long line (or at the
    newline before one), by the whole scan."""
    found = []
    for match in formatting._CODE.finditer(text):
        for start, _ in long_lines:
            end = text.find("\n", start)
            if max(start - 1, 0) <= match.start() <= (len(text) if end == -1 else end):
                found.append((match.start(), match.end()))
                break
    return found


def test_the_tokens_on_long_lines_are_the_whole_scans() -> None:
    """`_on_long_lines` passes over the text between long lines without losing `_CODE`'s
    tokens: a quote or `#` in a string or comment, a docstring running over long lines."""
    long_value = "x" * 120
    text = (
        'def f(a: "#\\"\'", b: str = "#") -> None:  # a "comment\n'
        '    """A docstring with \'quotes\' and # and a long line:\n'
        f"    {long_value}\n"
        '    and "" a pair, \\""" escaped"""\n'
        f'    value = \'"""\' + "{long_value}"\n'
        f"    name: Annotated[str, {long_value}]\n"
        '    d = {"a": 1}  # \'\n'
        f"    data = {{\n        'k': \"{long_value}\",\n    }}\n"
        f'"""{long_value}\n{long_value}"""\n'
        f'x = "{long_value}"'
    )
    lines = text.split("\n")
    starts = [sum(len(line) + 1 for line in lines[:index]) for index in range(len(lines))]
    long_lines = [(start, 1) for start, line in zip(starts, lines, strict=True) if len(line) > 100]
    assert len(long_lines) >= 5
    got = [(m.start(), m.end()) for m in formatting._on_long_lines(text, long_lines)]
    expected = _matches_on(text, long_lines)
    assert [span for span in got if span in expected] == expected
    docstrings = [m for m in formatting._CODE.finditer(text) if m.group("docstring")]
    assert len(docstrings) == 2  # the text holds what it means to


def _joinable_by_every_line(lines: list[str]) -> list[int]:
    """`_joinable_pieces` as a step a line (the loop it replaced): the reference."""
    found: list[int] = []
    index = 0
    while index < len(lines):
        index += 1
        if not lines[index - 1].endswith("("):
            continue
        group: list[str] = []
        indent = ""
        while index + len(group) < len(lines):
            match = formatting._PIECE.fullmatch(lines[index + len(group)])
            if match is None or (group and match.group("indent") != indent):
                break
            indent = match.group("indent")
            group.append(match.group().strip())
        closing = lines[index + len(group)] if index + len(group) < len(lines) else ""
        joined = indent + " ".join(group)
        if len(group) > 1 and closing.lstrip().startswith(")") and text_width(joined) <= 100:
            found.append(index + 1)
        index += len(group)
    return found


_PIECE_LINES = ["x = (", "f(", '    "abc"', '    "de("', '        "x"', ")", "    )", "(", "y = 1"]


# long pieces make a group too wide part-way (a wide character takes two columns)
_LONG_PIECES = ['    "' + "z" * 60 + '"', '    "' + "\u754c" * 20 + '"']


@given(st.lists(st.sampled_from([*_PIECE_LINES, *_LONG_PIECES]), max_size=14))
def test_joinable_pieces_are_found_as_line_by_line(lines: list[str]) -> None:
    assert formatting._joinable_pieces(lines) == _joinable_by_every_line(lines)
