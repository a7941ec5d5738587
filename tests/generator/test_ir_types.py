"""The IR's type kinds: each one's annotation, Meta, report text and the schema it stands for.

The property test holds every kind to its word: the JSON Schema a type claims (`schema()`) is
what the runtime's registry emits for the annotation the type writes, once evaluated.
"""

from __future__ import annotations

import datetime
import json
from collections import Counter
from typing import Any

import msgspec
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from specloom.generator.ir import (
    AnyType,
    Constraints,
    ListType,
    LiteralType,
    MapType,
    ModelRef,
    NoneType,
    PrimitiveType,
    SchemaDocs,
    TupleType,
    TypeRef,
    UnionType,
    union_of,
)
from specloom.generator.ir_types import default_fits
from specloom.generator.render.pyexpr import Imports, type_expr
from specloom.generator.unions import tuple_beside_checks
from specloom.runtime.openapi import SchemaRegistry

STR, INT = PrimitiveType("str"), PrimitiveType("int")
DOCS = SchemaDocs(description="said", examples=("x",), read_only=True, extra={"x-a": 1})


def _annotation(type_: TypeRef, **docs: Any) -> tuple[str, Imports]:
    imports = Imports()
    return type_.annotation(imports, docs=docs or None), imports


# -- each kind -------------------------------------------------------------------------------


def test_unchecked_keywords_are_documented_not_checked() -> None:
    """What the Python type cannot check is carried in `extra_json_schema` as written."""
    month = PrimitiveType("date", "date", Constraints(unchecked={"pattern": "YYYY-MM"}))
    assert month.meta_arguments() == {"extra_json_schema": {"pattern": "YYYY-MM"}}
    assert month.schema() == {"type": "string", "format": "date", "pattern": "YYYY-MM"}
    blob = PrimitiveType("bytes", "byte", Constraints(unchecked={"maxLength": 8}))
    assert blob.schema() == {"type": "string", "contentEncoding": "base64", "maxLength": 8}
    items = ListType(INT, Constraints(min_length=1, unchecked={"not": {"maxItems": 2}}))
    assert items.meta_arguments() == {
        "min_length": 1,
        "extra_json_schema": {"not": {"maxItems": 2}},
    }
    sort = PrimitiveType("str", "")
    assert sort.schema() == {"type": "string", "format": ""}  # an empty format is written too


def test_primitive_writes_its_python_type_imports_and_format() -> None:
    text, imports = _annotation(PrimitiveType("datetime", "date-time"))
    assert text == "Annotated[datetime.datetime, Meta(tz=True)]"
    assert imports.lines() == [
        "import datetime",
        "from typing import Annotated",
        "",
        "from msgspec import Meta",
    ]
    bounded = PrimitiveType("int", "int64", Constraints(ge=1, lt=10), DOCS)
    assert bounded.meta_arguments() == {
        "ge": 1,
        "lt": 10,
        "description": "said",
        "examples": ("x",),
        "extra_json_schema": {"format": "int64", "readOnly": True, "x-a": 1},
    }
    assert bounded.report_text() == "int"
    assert bounded.schema() == {
        "type": "integer",
        "format": "int64",
        "minimum": 1,
        "exclusiveMaximum": 10,
        "description": "said",
        "examples": ["x"],
        "readOnly": True,
        "x-a": 1,
    }
    assert PrimitiveType("bytes", "byte").schema() == {
        "type": "string",
        "contentEncoding": "base64",
    }
    assert PrimitiveType("uuid", "uuid").meta_arguments() == {}  # msgspec states the format
    assert PrimitiveType("nothing").schema() is False
    assert _annotation(PrimitiveType("nothing"))[0] == "Nothing"


def test_given_docs_win_over_the_types_own() -> None:
    type_ = PrimitiveType("str", docs=SchemaDocs(title="own", description="own"))
    assert type_.meta_arguments({"description": "given", "examples": ()}) == {
        "title": "own",
        "description": "given",
    }
    assert type_expr(type_, Imports(), docs={"description": "given"}) == (
        "Annotated[str, Meta(title='own', description='given')]"
    )


def test_containers_nest_their_members_annotations() -> None:
    unique = ListType(INT, Constraints(min_length=1, unique_items=True))
    assert _annotation(unique)[0] == (
        "Annotated[list[int], Meta(min_length=1, extra_json_schema={'uniqueItems': True})]"
    )
    assert unique.report_text() == "list[int]"
    assert unique.schema() == {
        "type": "array",
        "items": {"type": "integer"},
        "minItems": 1,
        "uniqueItems": True,
    }
    mapping = MapType(AnyType(), Constraints(max_length=3))
    assert _annotation(mapping)[0] == "Annotated[dict[str, Any], Meta(max_length=3)]"
    assert mapping.report_text() == "dict[str, Any]"
    assert mapping.schema() == {"type": "object", "maxProperties": 3}


def test_tuple_is_a_fixed_length_array_of_typed_positions() -> None:
    pair = TupleType((STR, PrimitiveType("int", constraints=Constraints(ge=0))))
    assert _annotation(pair)[0] == "tuple[str, Annotated[int, Meta(ge=0)]]"
    assert pair.report_text() == "tuple[str, int]"
    assert pair.meta_arguments() == {}  # the length is the tuple's own: no Meta says it
    assert pair.schema() == {
        "type": "array",
        "prefixItems": [{"type": "string"}, {"type": "integer", "minimum": 0}],
        "items": False,
        "minItems": 2,
        "maxItems": 2,
    }
    assert _annotation(TupleType(()))[0] == "tuple[()]"
    assert TupleType(()).schema() == {"type": "array", "minItems": 0, "maxItems": 0}
    assert msgspec.convert(msgspec.to_builtins(pair), TypeRef) == pair  # the IR still encodes


def test_model_refs_unions_literals_any_and_none() -> None:
    ref = ModelRef("Pet", docs=SchemaDocs(description="the pet"))
    assert (
        type_expr(ref, Imports(), model_prefix="m.")
        == "Annotated[m.Pet, Meta(description='the pet')]"
    )
    assert ref.report_text() == "Pet"
    assert ref.schema() == {"$ref": "#/components/schemas/Pet", "description": "the pet"}
    optional = union_of([NoneType(), STR, INT])
    assert _annotation(optional)[0] == "str | int | None"
    assert optional.report_text() == "str | int | None"
    assert optional.schema() == {"type": ["string", "integer", "null"]}
    choice = LiteralType(("b", "a", None))
    assert _annotation(choice)[0] == "Literal['b', 'a'] | None"
    assert choice.report_text() == "Literal['b', 'a', None]"
    assert choice.schema() == {"enum": ["a", "b", None], "type": ["string", "null"]}
    assert _annotation(AnyType(docs=DOCS))[0].startswith("Annotated[Any, Meta(description='said'")
    assert AnyType().schema() == {} and AnyType().report_text() == "Any"
    assert _annotation(NoneType())[0] == "None" and NoneType().schema() == {"type": "null"}
    assert NoneType().report_text() == "None"


def test_kinds_answer_structural_questions() -> None:
    pair = TupleType((STR, ListType(INT)))
    doubled = pair.map_children(lambda t: ListType(t) if t == STR else t)
    assert doubled == TupleType((ListType(STR), ListType(INT)))
    assert pair.map_children(lambda t: t) is pair
    assert pair.categories(lambda name: set()) == {"array"}
    assert pair.structured and MapType(INT).structured and not STR.structured
    assert UnionType((STR, ModelRef("Pet"))).categories(lambda name: {"object"}) == {
        "str",
        "object",
    }
    assert PrimitiveType("email").shape() == STR.shape()


# -- the schema a kind claims is the schema the runtime emits ------------------------------------


class Pet(msgspec.Struct):
    name: str


class Owner(msgspec.Struct):
    pets: list[Pet]


# (kind, format) pairs as formats.py reads them, with the constraints that kind takes
_PRIMITIVES: list[tuple[str, str | None, str | None]] = [
    ("str", None, "string"),
    ("str", "password", "string"),
    ("email", "email", "string"),
    ("uri", "uri", "string"),
    ("int", None, "number"),
    ("int", "int64", "number"),
    ("float", "double", "number"),
    ("float", None, "number"),
    ("bool", None, None),
    ("bytes", "binary", None),
    ("bytes", "byte", None),
    ("date", "date", None),
    ("datetime", "date-time", None),
    ("time", "time", None),
    ("duration", "duration", None),
    ("uuid", "uuid", None),
    ("decimal", "decimal", None),
]

_docs = st.one_of(
    st.none(),
    st.builds(
        SchemaDocs,
        title=st.one_of(st.none(), st.sampled_from(["T", "U"])),
        description=st.one_of(st.none(), st.text(max_size=5)),
        examples=st.lists(st.integers(0, 3), max_size=2).map(tuple),
        deprecated=st.booleans(),
        read_only=st.booleans(),
        extra=st.sampled_from([{}, {"x-a": 1}, {"$comment": "c"}]),
    ),
)


@st.composite
def _constraints(draw: st.DrawFn, kind: str | None) -> Constraints | None:
    if kind is None or draw(st.booleans()):
        return None
    if kind == "number":
        low = draw(st.sampled_from(["ge", "gt", None]))
        high = draw(st.sampled_from(["le", "lt", None]))
        values = {name: draw(st.integers(-5, 5)) for name in (low, high) if name}
        return Constraints(**values) if values else None
    if kind == "string":
        return Constraints(
            min_length=draw(st.integers(0, 3)), pattern=draw(st.sampled_from([None, "^a"]))
        )
    if kind == "array":
        return Constraints(max_length=draw(st.integers(1, 4)), unique_items=draw(st.booleans()))
    return Constraints(min_length=draw(st.integers(0, 2)))


@st.composite
def _primitive(draw: st.DrawFn) -> TypeRef:
    kind, fmt, constrained = draw(st.sampled_from(_PRIMITIVES))
    return PrimitiveType(kind, fmt, draw(_constraints(constrained)), draw(_docs))  # type: ignore[arg-type]


_leaves = st.one_of(
    _primitive(),
    st.builds(
        LiteralType,
        st.lists(st.sampled_from(["a", "b", 1, 2, None]), min_size=1, max_size=3, unique=True).map(
            tuple
        ),
        docs=_docs,
    ),
    st.builds(ModelRef, st.sampled_from(["Pet", "Owner"]), docs=_docs),
    st.builds(AnyType, docs=_docs),
    st.just(NoneType()),
)


def _extend(inner: st.SearchStrategy[TypeRef]) -> st.SearchStrategy[TypeRef]:
    return st.one_of(
        st.builds(ListType, inner, st.none() | _constraints("array"), _docs),
        st.builds(MapType, inner, st.none() | _constraints("object"), _docs),
        st.builds(TupleType, st.lists(inner, max_size=3).map(tuple), docs=_docs),
        st.lists(inner, min_size=2, max_size=3).map(union_of),
    )


_types = st.recursive(_leaves, _extend, max_leaves=6)


def _evaluated(type_: TypeRef) -> Any:
    imports = Imports()
    text = type_.annotation(imports)
    namespace: dict[str, Any] = {"Pet": Pet, "Owner": Owner}
    exec("\n".join(imports.lines()), namespace)  # our own generated imports
    return eval(text, namespace)  # an annotation we just wrote


def _decodable(annotation: Any) -> bool:
    try:
        msgspec.json.Decoder(annotation)
    except (TypeError, ValueError):
        return False
    return True


def _nested(type_: TypeRef) -> list[TypeRef]:
    """`type_` and every type inside it."""
    found = [type_]

    def visit(inner: TypeRef) -> TypeRef:
        found.extend(_nested(inner))
        return inner

    type_.map_children(visit)
    return found


def _expressible(type_: TypeRef) -> bool:
    """What unions.py guarantees of the unions it leaves: distinct Python members, at most one
    model (several untagged ones become an UntaggedUnion model), at most one member of each
    msgspec category and no tuple beside a checked member (msgspec 0.23 crashes building a
    decoder for those, where it should refuse them)."""
    for union in (t for t in _nested(type_) if isinstance(t, UnionType)):
        texts = [member.annotation(Imports()) for member in union.members]
        if len(set(texts)) != len(texts) or tuple_beside_checks(union.members):
            return False
        counts = Counter(
            category
            for member in union.members
            for category in member.categories(lambda name: {"object"})
        )
        if any(counts[category] > 1 for category in ("str", "int", "array", "object")):
            return False
    return True


def _unordered(schema: Any) -> Any:
    """`schema` with its anyOf members in one order: Python's typing cache hands back an equal
    union made earlier in the process, whose members may be written in another order."""
    if isinstance(schema, list):
        return [_unordered(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    result = {key: _unordered(value) for key, value in schema.items()}
    if isinstance(result.get("anyOf"), list):
        result["anyOf"] = sorted(result["anyOf"], key=lambda m: json.dumps(m, sort_keys=True))
    return result


def _emitted(annotation: Any) -> Any:
    registry = SchemaRegistry()
    placeholder = registry.schema(annotation)
    registry.finalize()
    return placeholder


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_types)
def test_a_kinds_schema_is_what_the_runtime_emits(type_: TypeRef) -> None:
    assume(type_ != PrimitiveType("nothing"))  # alone, no value: the registry writes no schema
    assume(_expressible(type_))
    annotation = _evaluated(type_)
    assume(_decodable(annotation))
    assert _unordered(_emitted(annotation)) == _unordered(type_.schema())


@pytest.mark.parametrize(
    "type_",
    [
        PrimitiveType("datetime", "date-time"),
        TupleType((ModelRef("Pet"), PrimitiveType("nothing", docs=DOCS))),
        union_of([TupleType((STR,)), NoneType()]),
        union_of([LiteralType(("a", None)), INT]),
        ListType(PrimitiveType("nothing")),
    ],
)
def test_a_kinds_schema_is_what_the_runtime_emits_for(type_: TypeRef) -> None:
    assert _emitted(_evaluated(type_)) == type_.schema()


def test_the_evaluated_tuple_checks_its_positions() -> None:
    pair = _evaluated(TupleType((STR, PrimitiveType("date", "date"))))
    assert msgspec.json.decode(b'["a", "2024-01-02"]', type=pair) == (
        "a",
        datetime.date(2024, 1, 2),
    )
    with pytest.raises(msgspec.ValidationError):
        msgspec.json.decode(b'["a"]', type=pair)


def test_each_kind_says_which_spec_defaults_it_holds() -> None:
    def enum_of_red(name: str, value: object) -> bool:
        return name == "Colour" and value == "red"

    integer, text = PrimitiveType("int"), PrimitiveType("str")
    assert default_fits(integer, 3, enum_of_red)
    assert not default_fits(integer, True, enum_of_red)  # a bool is no JSON integer
    assert default_fits(PrimitiveType("float"), 3, enum_of_red)
    assert not default_fits(PrimitiveType("date"), "2020-01-01", enum_of_red)  # kept out
    assert default_fits(ListType(UnionType((text, NoneType()))), ["a", None], enum_of_red)
    assert not default_fits(ListType(text), ["a", None], enum_of_red)
    assert default_fits(MapType(integer), {"a": 1}, enum_of_red)
    assert default_fits(UnionType((ModelRef("Colour"), integer)), "red", enum_of_red)
    assert not default_fits(ModelRef("Colour"), "blue", enum_of_red)
    assert default_fits(LiteralType(("a", 1)), 1, enum_of_red)
    assert default_fits(UnionType((text, NoneType())), None, enum_of_red)
    assert not default_fits(TupleType((integer,)), [1], enum_of_red)  # no tuple literal yet
    assert not default_fits(AnyType(), 1, enum_of_red)


def test_each_kind_says_whether_one_string_holds_a_value() -> None:
    def enums(name: str) -> bool:
        return name == "Colour"

    assert PrimitiveType("int").scalar(enums)
    assert not PrimitiveType("bytes").scalar(enums)
    assert NoneType().scalar(enums)  # `type: null`: no text at all
    assert LiteralType(("a", 1)).scalar(enums)
    assert ModelRef("Colour").scalar(enums) and not ModelRef("Pet").scalar(enums)
    assert UnionType((PrimitiveType("int"), ModelRef("Colour"), NoneType())).scalar(enums)
    assert not UnionType((PrimitiveType("int"), ListType(PrimitiveType("int")))).scalar(enums)
    kinds = (ListType(PrimitiveType("int")), MapType(PrimitiveType("int")))
    assert not any(kind.scalar(enums) for kind in (*kinds, TupleType((PrimitiveType("int"),))))
    assert AnyType().scalar(enums)  # any value read from a string is that string
