"""Reading YAML/JSON with source positions, leniently."""

from __future__ import annotations

import json

import pytest

from specloom.generator.errors import SpecError
from specloom.generator.sources import SourceMap, read_document

YAML = """\
openapi: 3.0.0
info:
  title: T
  version: 1
paths:
  /pets:
    get:
      responses:
        200:
          description: ok
components:
  schemas:
    Op:
      enum:
        - =
        - "!="
      example: 2020-01-01
"""


def test_yaml_values_and_lines() -> None:
    data, lines, warnings = read_document(YAML, "spec.yaml")
    assert data["info"]["version"] == 1
    # keys keep their text: `200:` is the string "200"
    assert list(data["paths"]["/pets"]["get"]["responses"]) == ["200"]
    # YAML 1.1 `=` (the value tag) is read as a string, with a warning
    assert data["components"]["schemas"]["Op"]["enum"] == ["=", "!="]
    assert [w.message for w in warnings] == ["YAML 1.1 'value' scalar '=' read as a string"]
    assert (warnings[0].line, warnings[0].column) == (15, 11)
    # dates stay text: a spec is JSON data
    assert data["components"]["schemas"]["Op"]["example"] == "2020-01-01"
    # a mapping entry points at its key
    assert lines["/paths/~1pets/get/responses/200"] == (9, 9)
    assert lines["/components/schemas/Op/enum/1"] == (16, 11)


def test_yaml_12_booleans_only() -> None:
    """OpenAPI is YAML 1.2: `on`, `yes`, `off`, `no` are strings (Jira's `on` operator)."""
    text = "enum: [on, off, yes, no, true, False]\nflag: TRUE\nquoted: 'on'\n"
    data, _, warnings = read_document(text, "spec.yaml")
    assert data == {
        "enum": ["on", "off", "yes", "no", True, False],
        "flag": True,
        "quoted": "on",
    }
    assert [w.message for w in warnings] == [
        f"{word!r} is a string in YAML 1.2 (a boolean only in YAML 1.1)"
        for word in ("on", "off", "yes", "no")
    ]


def test_yaml_duplicate_keys_anchors_and_merge() -> None:
    text = "a: 1\na: 2\nbase: &b {x: 1, y: 2}\nuse:\n  <<: *b\n  y: 3\nagain: *b\n"
    data, _, warnings = read_document(text, "s.yaml")
    assert data["a"] == 2
    assert "duplicate key 'a'" in warnings[0].message
    assert data["use"] == {"y": 3, "x": 1}
    assert data["again"] == {"x": 1, "y": 2}


def test_yaml_unknown_tag_is_a_warning() -> None:
    data, _, warnings = read_document("a: !custom hello\n", "s.yaml")
    assert data == {"a": "hello"}
    assert "unknown YAML tag" in warnings[0].message


def test_bad_yaml_reports_file_and_line() -> None:
    with pytest.raises(SpecError) as info:
        read_document("openapi: 3.0.0\ninfo:\n  title: [unclosed\n  version: 1\n", "bad.yaml")
    assert info.value.file == "bad.yaml"
    assert info.value.line is not None and info.value.line >= 3
    assert str(info.value).startswith("bad.yaml:")


def test_yaml_12_line_breaks_are_lf_and_cr_only() -> None:
    """NEL, LS and PS are content in YAML 1.2 (1.1 broke lines at them), marks unchanged."""
    text = "a: |\n  x\u2028y\n  z\nb: x\x85y\nc: 1\n"
    data, lines, _ = read_document(text, "f.yaml")
    assert data == {"a": "x\u2028y\nz\n", "b": "x\x85y", "c": 1}
    assert lines["/c"] == (5, 1)


def test_yaml_12_control_characters_inside_quotes() -> None:
    """Quoted scalars hold any non-C0 character (YAML 1.2, 5.1); an escape of a private-use
    character is not taken for one put in its place."""
    text = "a: \"x\x83y\"\n'k\x90': '\x7f'\nb: \"\\ue000\"\nc: \x85\n"
    data, lines, _ = read_document(text, "f.yaml")
    assert data == {"a": "x\x83y", "k\x90": "\x7f", "b": "\ue000", "c": "\x85"}
    assert lines["/b"] == (3, 1)


@pytest.mark.parametrize(
    ("text", "where", "what"),
    [
        ("a: 1\nb: x\x83y\n", "f.yaml:2:5:", "U+0083 outside a quoted string"),
        ("a: 1  # \x9f\n", "f.yaml:1:9:", "U+009F outside a quoted string"),
        ("a: 1\nbb: 'x\x01y'\n", "f.yaml:2:7:", "U+0001 is not allowed anywhere"),
        ("a: 'é'\nb: \x83\x01\n", "f.yaml:2:5:", "U+0001 is not allowed anywhere"),
    ],
)
def test_yaml_control_characters_where_no_yaml_allows_them(
    text: str, where: str, what: str
) -> None:
    with pytest.raises(SpecError) as caught:
        read_document(text, "f.yaml")
    assert str(caught.value).startswith(where)
    assert what in str(caught.value) and "escape" in str(caught.value)


def test_empty_document() -> None:
    with pytest.raises(SpecError, match="empty"):
        read_document("  \n", "e.yaml")


def test_json_line_map_matches_the_text() -> None:
    doc = {"openapi": "3.1.0", "paths": {"/a/{b}": {"get": {"tags": ["x", "y"]}}}, "k~": [1, {}]}
    text = json.dumps(doc, indent=2)
    data, lines, warnings = read_document(text, "s.json")
    assert data == doc and warnings == []
    rows = text.splitlines()
    for pointer, key in (("/paths/~1a~1{b}/get", '"get"'), ("/k~0", '"k~"')):
        line, column = lines[pointer]
        assert rows[line - 1][column - 1 :].startswith(key)
    line, column = lines["/paths/~1a~1{b}/get/tags/1"]
    assert rows[line - 1][column - 1 :].startswith('"y"')


def test_json_escaped_keys_and_compact_text() -> None:
    text = '{"a\\"b": {"c": [true, null, 1.5e3]}}'
    data, lines, _ = read_document(text, "s.json")
    assert data == {'a"b': {"c": [True, None, 1500.0]}}
    assert lines['/a"b/c/2'] == (1, 29)


def test_invalid_json_reports_position() -> None:
    with pytest.raises(SpecError) as info:
        read_document('{\n  "a": 1,\n  "b": ]\n}', "bad.json")
    assert (info.value.line, info.value.column) == (3, 8)
    assert "invalid JSON" in info.value.message


def test_source_map_walks_up_mounts_and_moves() -> None:
    lines = {"": (1, 1), "/a": (2, 1), "/a/b": (3, 3)}
    other = {"": (1, 1), "/X": (5, 1)}
    source = SourceMap("root.yaml", {"root.yaml": lines, "o.yaml": other}, {"/m": ("o.yaml", "/X")})
    assert source.locate("/a/b/c/d") == ("root.yaml", 3, 3)
    assert source.locate("/m/deep") == ("o.yaml", 5, 1)
    moved = source.relocated({"/new": "/a"})
    assert moved.locate("/new/b") == ("root.yaml", 3, 3)
    assert moved.locate("/a/b") == ("root.yaml", 3, 3)


def test_absurd_nesting_is_an_error_not_a_crash() -> None:
    with pytest.raises(SpecError, match="nested more than 128") as info:
        read_document("[" * 5000 + "]" * 5000, "deep.json")
    assert (info.value.line, info.value.column) == (1, 129)
    assert info.value.pointer == "/0" * 128
