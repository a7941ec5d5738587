"""The walk helpers' shared names."""

from __future__ import annotations

import subprocess
import sys

from specloom.generator.walk import NULL_BY_EXTENSION, RUNTIME_MARK, walk
from specloom.runtime.openapi import NULL_BY_EXTENSION as RUNTIME_MARKER
from specloom.runtime.openapi.runtime_answers import RUNTIME_MARK as RUNTIME_ANSWERS_MARK


def test_null_by_extension_is_the_runtime_marker() -> None:
    """The normaliser marks a null said by `x-nullable` alone with the runtime's own key."""
    assert NULL_BY_EXTENSION == RUNTIME_MARKER


def test_runtime_mark_is_the_runtime_answers_mark() -> None:
    """The judge leaves out what the runtime marks as its own answers, by the runtime's key."""
    assert RUNTIME_MARK == RUNTIME_ANSWERS_MARK


def test_the_diff_command_does_not_load_the_runtime() -> None:
    """Reading and comparing specs needs no server: importing the runtime was a third of the
    start-up of `specloom diff`."""
    code = (
        "import sys\n"
        "import specloom.generator.cli, specloom.generator.loader, specloom.generator.diff\n"
        "print(sorted(m for m in sys.modules if m.startswith('specloom.runtime')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_a_schemas_children_come_in_keyword_order_and_mistyped_values_are_skipped() -> None:
    """Maps of schemas, then lists, then `items`, then the single ones, each group in its
    keyword order, whatever the order of the keys as written; a value of the wrong shape for
    its keyword (a list for `not`, an object for `allOf`) holds no schema."""
    schema = {
        "not": {"type": "null"},
        "items": [{"type": "string"}, 3, {"type": "integer"}],
        "allOf": {"type": "string"},
        "additionalProperties": [{"type": "string"}],
        "anyOf": [{"type": "boolean"}],
        "properties": {"a/b": {"type": "string"}, "c": 1, "d~": {"$ref": "#/x"}},
        "$defs": {"e": {"items": {"type": "number"}}},
    }
    found = [pointer for pointer, _, kind in walk(schema, "schema", "/s") if kind == "schema"]
    assert found == [
        "/s",
        "/s/properties/a~1b",
        "/s/properties/d~0",
        "/s/$defs/e",
        "/s/$defs/e/items",
        "/s/anyOf/0",
        "/s/items/0",
        "/s/items/2",
        "/s/not",
    ]


def test_a_reference_is_entered_only_when_it_is_a_schema() -> None:
    """A `$ref` object is yielded but not entered, except a schema (3.1 siblings apply)."""
    parameter = {"$ref": "#/p", "schema": {"type": "string"}}
    assert [pointer for pointer, _, _ in walk(parameter, "parameter", "/p")] == ["/p"]
    schema = {"$ref": "#/s", "properties": {"a": {}}}
    assert [pointer for pointer, _, _ in walk(schema, "schema", "/s")] == ["/s", "/s/properties/a"]
    assert list(walk(["not", "an object"], "schema", "")) == []
