"""A field's documentation given beside its class (`schema_docs(fields=...)`) is documented as
its `Meta` would document it: the generated models say it there (a `Meta` per documented field
is most of what importing a large models module costs)."""

from __future__ import annotations

import json
from typing import Annotated, Any

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from msgspec import UNSET, Meta, UnsetType

from specloom.runtime.exceptions import ImproperlyConfiguredException
from specloom.runtime.openapi import component, schema_docs

from .helpers import component_schemas


class Kind(msgspec.Struct):
    name: str


Code = Annotated[str, Meta(max_length=8, examples=["ab"], description="a code"), component("Code")]


class Documented(msgspec.Struct, kw_only=True):
    plain: Annotated[int, Meta(ge=0, description="how many", examples=[1, 2])]
    nullable: Annotated[str | None, Meta(description="or null", title="Maybe")] = None
    unset: Annotated[list[str], Meta(max_length=3, description="a few")] | UnsetType = UNSET
    renamed: Annotated[Kind, Meta(description="the kind")] | UnsetType = msgspec.field(
        default=UNSET, name="kind"
    )
    code: Annotated[Code, Meta(examples=["cd"], description="the code here")] | UnsetType = UNSET


@schema_docs(
    fields={
        "plain": {"description": "how many", "examples": [1, 2]},
        "nullable": {"title": "Maybe", "description": "or null"},
        "unset": {"description": "a few"},
        "renamed": {"description": "the kind"},
        "code": {"examples": ["cd"], "description": "the code here"},
    }
)
class Beside(msgspec.Struct, kw_only=True):
    plain: Annotated[int, Meta(ge=0)]
    nullable: str | None = None
    unset: Annotated[list[str], Meta(max_length=3)] | UnsetType = UNSET
    renamed: Kind | UnsetType = msgspec.field(default=UNSET, name="kind")
    code: Code | UnsetType = UNSET


def _properties(cls: type) -> dict[str, Any]:
    schemas = component_schemas(cls)
    properties: dict[str, Any] = schemas[cls.__name__]["properties"]
    return properties


def test_field_docs_beside_the_class_are_documented_as_its_meta_says_them() -> None:
    beside = _properties(Beside)
    assert beside == _properties(Documented)
    assert beside["plain"]["description"] == "how many"
    assert beside["kind"]["description"] == "the kind"  # by field name, documented by wire name
    # over a named alias's own (msgspec's later `Meta` replaces them)
    schemas, expected = component_schemas(Beside), component_schemas(Documented)
    assert schemas.pop("Beside")["properties"] == expected.pop("Documented")["properties"]
    assert schemas == expected


class Base(msgspec.Struct, kw_only=True):
    name: Annotated[str, Meta(description="the name")]
    size: Annotated[int, Meta(description="the size")] = 0


class Sub(Base, kw_only=True):
    size: int = 1  # declared again, undocumented
    colour: Annotated[str, Meta(description="the colour")] = ""


@schema_docs(fields={"name": {"description": "the name"}, "size": {"description": "the size"}})
class BaseBeside(msgspec.Struct, kw_only=True):
    name: str
    size: int = 0


@schema_docs(fields={"colour": {"description": "the colour"}})
class SubBeside(BaseBeside, kw_only=True):
    size: int = 1
    colour: str = ""


def test_a_field_is_documented_by_the_class_that_declares_it() -> None:
    documented = _properties(Sub)
    assert "description" not in documented["size"]
    assert _properties(SubBeside) == documented
    assert _properties(BaseBeside) == _properties(Base)


def test_field_docs_take_only_documentation_keywords_of_fields_the_class_has() -> None:
    with pytest.raises(ImproperlyConfiguredException, match="takes the keywords"):
        schema_docs(fields={"name": {"max_length": 3}})
    with pytest.raises(ImproperlyConfiguredException, match=r"Kind: .* names no field \['kind'\]"):
        schema_docs(fields={"kind": {"description": "the wire name, not the field's"}})(Kind)


_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)
# no 0 or 1 beside the booleans: typing keeps each Annotated made, by equality of its metadata,
# and False == 0, so `Meta(examples=[0])` made earlier in the process stands for a later
# `Meta(examples=[False])` in the Meta form this test compares with (docs said beside the class
# are plain data and never conflated so)
_JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**53), 2**53).filter(lambda n: n not in (0, 1))
    | _TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_TEXT, inner, max_size=3),
    max_leaves=6,
)
_DOCS = st.fixed_dictionaries(
    {},
    optional={
        "title": _TEXT,
        "description": _TEXT,
        "examples": st.lists(_JSON, min_size=1, max_size=3),
    },
)
_TYPES: list[tuple[Any, dict[str, Any]]] = [
    (int, {}),
    (str | None, {}),
    (list[Kind], {"max_length": 4}),
    (Kind, {}),
    (Code, {}),
    (dict[str, int], {"min_length": 1}),
]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(range(len(_TYPES))), _DOCS), min_size=1, max_size=4))
def test_any_field_docs_beside_the_class_equal_its_meta(fields: list[Any]) -> None:
    in_meta = []
    plain = []
    beside: dict[str, dict[str, Any]] = {}
    for index, (which, docs) in enumerate(fields):
        tp, constraints = _TYPES[which]
        name = f"f{index}"
        meta = {**constraints, **docs}
        in_meta.append((name, Annotated[tp, Meta(**meta)] if meta else tp))
        plain.append((name, Annotated[tp, Meta(**constraints)] if constraints else tp))
        if docs:
            beside[name] = docs
    documented = msgspec.defstruct("Fields", in_meta)
    said_beside = schema_docs(fields=beside)(msgspec.defstruct("Fields", plain))
    expected = json.dumps(component_schemas(documented), sort_keys=True)
    assert json.dumps(component_schemas(said_beside), sort_keys=True) == expected
