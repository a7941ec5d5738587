"""Which properties keep the allOf written around their type (`generator/wrapped.py`)."""

from __future__ import annotations

from typing import Any

import msgspec
import pytest

from specloom.generator.errors import Report
from specloom.generator.ir import (
    Model,
    ModelRef,
    NoneType,
    PrimitiveType,
    SchemaDocs,
    TypeRef,
    UnionType,
    WrappedAllOf,
)
from specloom.generator.pysource import Imports
from specloom.generator.wrapped import alias_wrapped_metadata, wrapped_all_of, wrapped_docs

REF = {"$ref": "#/components/schemas/Node"}
NODE = ModelRef("#/components/schemas/Node")


def test_annotation_members_are_kept_before_and_after_the_typed_one() -> None:
    prop = {"allOf": [{"description": "a"}, {}, REF, {"title": "b"}], "type": "object"}
    assert wrapped_all_of(prop, NODE) == WrappedAllOf(
        before=({"description": "a"},), after=({"title": "b"},)
    )


def test_an_inline_union_member_is_kept() -> None:
    union = UnionType((PrimitiveType("str"), NODE))
    prop = {"allOf": [{"anyOf": [{"type": "string"}, REF]}], "description": "d"}
    assert wrapped_all_of(prop, union) == WrappedAllOf()


@pytest.mark.parametrize(
    ("prop", "type_"),
    [
        ({"allOf": [REF], "minLength": 1}, NODE),  # a keyword beside it that validates
        ({"allOf": [REF, REF]}, NODE),  # two typed members
        ({"allOf": [REF]}, UnionType((NODE, NoneType()))),  # nullable: not the member's schema
        ({"allOf": [{"type": "string", "format": "uri"}]}, PrimitiveType("str")),  # inline scalar
        ({"allOf": [{"discriminator": {"propertyName": "k"}}, REF]}, NODE),
    ],
)
def test_other_shapes_are_read_as_before(prop: dict[str, Any], type_: TypeRef) -> None:
    assert wrapped_all_of(prop, type_) is None


def test_a_type_beside_it_is_documented_and_a_contradiction_reported() -> None:
    report = Report()
    prop = {"allOf": [REF], "type": "object", "description": "d"}
    docs = wrapped_docs(prop, SchemaDocs(description="d"), lambda: {"type": "string"}, "/p", report)
    assert docs == SchemaDocs(description="d", extra={"type": "object"})
    assert [entry.message for entry in report.entries] == [
        "type 'object' beside an allOf whose member is of type ['string']: no value is valid "
        "by both; typed by the member, the type documented as written"
    ]
    agreeing = wrapped_docs(prop, SchemaDocs(), lambda: {"type": "object"}, "/q", report)
    assert agreeing.extra == {"type": "object"} and len(report.entries) == 1


def test_a_named_alias_keeps_its_allof_with_its_docs_and_its_targets_beside() -> None:
    target = msgspec.structs.replace(NODE, docs=SchemaDocs(extra={"type": "object"}))
    wrapped = WrappedAllOf(after=({"examples": [{"a": 1}]},))
    model = Model(name="Alias", kind="alias", pointer="/a", target=target, wrapped=wrapped)
    imports = Imports()
    (call,) = alias_wrapped_metadata(model, {"description": "d"}, imports)
    assert call == "in_all_of(beside=['description', 'type'], after=[{'examples': [{'a': 1}]}])"
    assert imports.names["specloom.runtime.openapi"] == {"in_all_of"}
    unwrapped = msgspec.structs.replace(model, wrapped=None)
    assert alias_wrapped_metadata(unwrapped, {}, Imports()) == []
