"""Assertions beside a oneOf/anyOf are documented as written (`generator/beside_union.py`)."""

from __future__ import annotations

from specloom.generator.beside_union import beside_union_docs
from specloom.generator.errors import Report
from specloom.generator.ir import SchemaDocs


def test_assertions_beside_a_union_are_documented_and_reported_once_per_keyword() -> None:
    report = Report()
    schema = {"anyOf": [{"type": "string"}], "uniqueItems": True, "description": "d"}
    assert beside_union_docs(schema, "/a", report) == SchemaDocs(extra={"uniqueItems": True})
    assert beside_union_docs(schema, "/b", report) == SchemaDocs(extra={"uniqueItems": True})
    (warning,) = report.finish()
    assert warning.pointer == "/a" and "uniqueItems" in warning.message


def test_nothing_without_a_union_or_beside_a_ref_or_when_already_reported() -> None:
    report = Report()
    assert beside_union_docs({"type": "array", "uniqueItems": True}, "/a", report) is None
    assert beside_union_docs({"$ref": "#/x", "oneOf": [], "minLength": 1}, "/b", report) is None
    assert beside_union_docs({"oneOf": [{}], "description": "d"}, "/c", report) is None
    docs = beside_union_docs({"oneOf": [{}], "maxItems": 2}, "/d", None)
    assert docs == SchemaDocs(extra={"maxItems": 2})
    assert report.finish() == []
