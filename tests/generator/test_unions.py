"""Unions msgspec can decode: tagging, merging conflicting members, cutting alias cycles."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import msgspec
import pytest

from specloom.generator import unions
from specloom.generator.alias_cycles import break_alias_cycles
from specloom.generator.build_ir import parse
from specloom.generator.errors import Report
from specloom.generator.generate import generate
from specloom.generator.ir import (
    AnyType,
    Api,
    Field,
    ListType,
    LiteralType,
    MapType,
    Model,
    ModelRef,
    NoneType,
    PrimitiveType,
    TypeKind,
    TypeRef,
    UnionType,
    is_nullable,
    union_of,
    without_none,
)
from specloom.generator.union_tags import tag_unions
from specloom.generator.unions import fit_unions, is_untagged_union

from .lint import RULE_SETS, ruff
from .materialize import check_decodable

STR, INT = PrimitiveType("str"), PrimitiveType("int")


def _struct(name: str, *wires: str) -> Model:
    fields = tuple(Field(name=w, wire_name=w, type=STR, required=True) for w in wires)
    return Model(name=name, kind="struct", pointer=name, fields=fields)


def _tagged_union_of_a_and_b() -> Model:
    """`U`: A or B, told apart by `kind` ("a" or "b")."""
    from specloom.generator.ir import Discriminator

    return Model(
        name="U",
        kind="union",
        pointer="U",
        union_members=(ModelRef("A"), ModelRef("B")),
        discriminator=Discriminator(property_name="kind", mapping={"a": "A", "b": "B"}),
    )


def test_union_of_flattens_and_puts_none_last() -> None:
    assert union_of([NoneType(), UnionType((STR, INT)), STR]) == UnionType((STR, INT, NoneType()))
    assert union_of([STR]) == STR and union_of([STR, AnyType()]) == AnyType()
    assert is_nullable(union_of([STR, NoneType()])) and not is_nullable(STR)
    assert without_none(union_of([STR, NoneType()])) == STR


def test_conflicting_scalars_are_merged() -> None:
    report = Report()
    fit = fit_unions({}, report)
    date = PrimitiveType("date", "date")
    assert fit(UnionType((date, STR, INT)), "/x") == UnionType((STR, INT))
    literals = UnionType((LiteralType(("a",)), LiteralType(("b", 1)), INT))
    assert fit(literals, "/y") == UnionType((LiteralType(("a", "b")), INT))
    lists = UnionType((ListType(STR), ListType(INT)))
    assert fit(lists, "/z") == ListType(UnionType((STR, INT)))
    assert fit(UnionType((STR, INT, NoneType())), "/ok") == UnionType((STR, INT, NoneType()))
    assert [w.pointer for w in report.finish()] == ["/x", "/y", "/z"]


def test_aliases_that_say_the_same_are_one_member() -> None:
    from specloom.generator.ir import Constraints

    positive = PrimitiveType("int", constraints=Constraints(ge=1))
    models = {
        name: Model(name=name, kind="alias", pointer=name, target=positive)
        for name in ("PlayerID", "TeamID")
    }
    models["Other"] = Model(name="Other", kind="alias", pointer="Other", target=INT)
    report = Report()
    fit = fit_unions(models, report)
    assert fit(UnionType((ModelRef("PlayerID"), ModelRef("TeamID"))), "/same") == ModelRef(
        "PlayerID"
    )
    assert report.finish() == []  # the same values: nothing is lost
    assert fit(UnionType((ModelRef("PlayerID"), ModelRef("Other"))), "/other") == INT
    assert [w.pointer for w in report.finish()] == ["/other"]


def test_tagged_structs_stay_a_union() -> None:
    models = {
        "A": _struct("A", "kind", "a"),
        "B": _struct("B", "kind", "b"),
        "U": Model(
            name="U", kind="union", pointer="U", union_members=(ModelRef("A"), ModelRef("B"))
        ),
    }
    report = Report()
    fit_unions(models, report)
    # untagged structs without a discriminator: kept, the runtime's UntaggedUnion decodes them
    assert models["U"].kind == "union" and is_untagged_union(models["U"], models)
    assert report.finish() == []
    models["A"] = _struct("A", "kind", "a")
    models["M"] = Model(name="M", kind="alias", pointer="M", target=MapType(STR))
    models["U"] = Model(
        name="U", kind="union", pointer="U", union_members=(ModelRef("A"), ModelRef("M"))
    )
    fit_unions(models, report)  # a member that is no struct: merged into what msgspec decodes
    assert models["U"].kind == "alias" and models["U"].target == MapType(AnyType())

    models = {
        "A": _struct("A", "kind", "a"),
        "B": _struct("B", "kind", "b"),
        "U": _tagged_union_of_a_and_b(),
    }
    tag_unions(models, report)
    fit_unions(models, report)
    assert models["U"].kind == "union"
    assert (models["A"].tag_field, models["A"].tag) == ("kind", "a")
    assert [f.wire_name for f in models["A"].fields] == ["a"]
    assert models["A"].open_tag  # `kind` was a plain string: documented open, as written


def test_a_tag_property_with_its_own_enum_is_not_open() -> None:
    from specloom.generator.ir import Discriminator, LiteralType

    tagged = Field(name="kind", wire_name="kind", type=LiteralType(("a",)), required=True)
    models = {
        "A": Model(name="A", kind="struct", pointer="A", fields=(tagged,)),
        "U": Model(
            name="U",
            kind="union",
            pointer="U",
            union_members=(ModelRef("A"),),
            discriminator=Discriminator(property_name="kind", mapping={"a": "A"}),
        ),
    }
    tag_unions(models, Report())
    assert models["A"].tag == "a" and not models["A"].open_tag


def test_a_tag_as_written_is_kept_and_what_contradicts_the_discriminator_is_reported() -> None:
    from specloom.generator.ir import Discriminator

    optional = Field(name="kind", wire_name="kind", type=LiteralType(("a",)), required=False)
    models = {
        "A": Model(name="A", kind="struct", pointer="A", fields=(optional,)),
        "B": _struct("B", "name"),
        "U": Model(
            name="U",
            kind="union",
            pointer="U",
            union_members=(ModelRef("A"), ModelRef("B")),
            discriminator=Discriminator(property_name="kind", mapping={"A": "A", "b": "B"}),
        ),
    }
    report = Report()
    tag_unions(models, report)
    a, b = models["A"], models["B"]
    assert (a.tag, a.optional_tag, a.undeclared_tag) == ("A", True, False)
    assert a.open_tag and a.tag_docs == {"enum": ["a"]}  # the enum as written, not the tag
    assert (b.tag, b.optional_tag, b.undeclared_tag) == ("b", False, True)
    said = [w.message for w in report.finish()]
    assert any("'kind' is not required here" in m for m in said)
    assert any("'kind' is not declared here" in m for m in said)
    assert any("by the value 'A', which its property 'kind' does not allow" in m for m in said)


def test_a_tag_property_a_base_declares_is_declared_once() -> None:
    """msgspec refuses a tag field any base declares, even overridden: the member is
    flattened, and what every declaration says of the property documents the tag."""

    uri = PrimitiveType("uri", "uri")
    base_kind = Field(name="kind", wire_name="kind", type=uri, required=True, description="d")
    own_kind = Field(name="kind", wire_name="kind", type=LiteralType(("a",)), required=True)
    models = {
        "Base": Model(
            name="Base",
            kind="struct",
            pointer="Base",
            fields=(base_kind, *_struct("x", "x").fields),
        ),
        "A": Model(name="A", kind="struct", pointer="A", bases=("Base",), fields=(own_kind,)),
        "B": Model(name="B", kind="struct", pointer="B", bases=("Base",)),
        "U": _tagged_union_of_a_and_b(),
    }
    tag_unions(models, Report())
    for name in ("A", "B"):
        assert models[name].bases == () and [f.wire_name for f in models[name].fields] == ["x"]
        assert models[name].tag_docs == {"format": "uri", "description": "d"}
    assert not models["A"].open_tag and models["B"].open_tag
    assert models["Base"].fields[0] == base_kind  # the base keeps its field for other uses
    # a struct extending a member and declaring the tag property again holds its fields
    models["C"] = Model(name="C", kind="struct", pointer="C", bases=("A",), fields=(own_kind,))
    models["D"] = Model(name="D", kind="struct", pointer="D", bases=("C",))
    tag_unions(models, Report())
    assert models["C"].bases == () and [f.wire_name for f in models["C"].fields] == ["x", "kind"]
    assert models["D"].bases == ("C",)


def test_alias_cycles_are_cut() -> None:
    models = {
        "A": Model(name="A", kind="alias", pointer="A", target=ListType(ModelRef("B"))),
        "B": Model(name="B", kind="alias", pointer="B", target=MapType(ModelRef("A"))),
        "S": _struct("S", "x"),
        "C": Model(name="C", kind="alias", pointer="C", target=ListType(ModelRef("S"))),
    }
    report = Report()
    break_alias_cycles(models, report)
    assert models["B"].target == MapType(AnyType())
    assert models["A"].target == ListType(ModelRef("B"))
    assert models["C"].target == ListType(ModelRef("S"))
    assert len(report.finish()) == 1


def test_everything_built_is_decodable(build: Callable[..., Api]) -> None:
    api = build("""\
openapi: 3.1.0
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    E: {type: string, enum: [x, y]}
    A: {type: object, properties: {a: {type: string}}}
    B: {type: object, properties: {b: {type: string}}}
    U:
      anyOf:
        - {$ref: '#/components/schemas/E'}
        - {type: string, format: date}
        - {type: integer}
        - {$ref: '#/components/schemas/A'}
        - {$ref: '#/components/schemas/B'}
        - {type: array, items: {$ref: '#/components/schemas/A'}}
        - {type: array, items: {type: integer}}
        - {type: 'null'}
    V:
      type: object
      properties:
        u: {$ref: '#/components/schemas/U'}
        w: {oneOf: [{$ref: '#/components/schemas/U'}, {type: boolean}]}
""")
    check_decodable(api)
    assert api.model("U").kind == "union"


def test_a_number_enum_stands_beside_none_only() -> None:
    """msgspec takes a custom type (NumberEnum) in a union beside None only: with another
    member it is merged into float, reported."""
    from specloom.generator.ir import EnumMember

    band = Model(
        name="Band",
        kind="enum",
        pointer="Band",
        enum_type="float",
        enum_members=(EnumMember(name="V2_4", value=2.4),),
    )
    report = Report()
    fit = fit_unions({"Band": band}, report)
    nullable = UnionType((ModelRef("Band"), NoneType()))
    assert fit(nullable, "/ok") == nullable
    assert fit(UnionType((ModelRef("Band"), STR)), "/x") == UnionType((PrimitiveType("float"), STR))
    assert [w.pointer for w in report.finish()] == ["/x"]


def test_a_union_kept_as_written_inside_another_union_is_decodable(
    build: Callable[..., Api],
) -> None:
    """A union generated as an UntaggedUnion class is a custom type to msgspec: beside
    anything but None (another such union, a str) the outer union is flattened and fitted,
    where `str | Inner` would not build a decoder (found by hypothesis)."""
    api = build("""\
openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Overlap: {oneOf: [{type: integer, minimum: 1}, {type: integer, minimum: 1}]}
    Twice: {oneOf: [{type: string}, {type: string}]}
    Beside: {oneOf: [{type: string}, {$ref: '#/components/schemas/Overlap'}]}
    Pair:
      oneOf:
        - {$ref: '#/components/schemas/Twice'}
        - {oneOf: [{type: string}, {type: string}]}
    Nullable: {oneOf: [{$ref: '#/components/schemas/Overlap'}], nullable: true}
""")
    check_decodable(api)
    assert api.model("Overlap").kind == "union"


def test_a_tuple_beside_a_checked_member_becomes_a_list() -> None:
    """msgspec crashes building a decoder for `tuple[A] | Annotated[B, Meta(ge=1)]`."""
    from specloom.generator.ir import Constraints, TupleType

    report = Report()
    fit = fit_unions({}, report)
    pair = TupleType((STR, INT))
    bounded = PrimitiveType("int", constraints=Constraints(ge=1))
    assert fit(UnionType((pair, bounded)), "/x") == UnionType(
        (ListType(UnionType((STR, INT))), bounded)
    )
    assert fit(UnionType((pair, STR, NoneType())), "/ok") == UnionType((pair, STR, NoneType()))
    assert [w.pointer for w in report.finish()] == ["/x"]
    api = Api(
        title="t",
        version="1",
        openapi="3.1.0",
        models=(
            Model(
                name="M", kind="alias", pointer="M", target=fit(UnionType((pair, bounded)), "/m")
            ),
        ),
    )
    check_decodable(api)


def test_a_nullable_member_keeps_the_union_as_written(tmp_path: Path) -> None:
    """Two string members, the first nullable: an UntaggedUnion whose member is `str | None`;
    the alias mypy sees writes the member's None last (ruff RUF036)."""
    fixture = Path(__file__).parent / "fixtures" / "nullable_member_union.yaml"
    api = parse(fixture)
    unions = [model for model in api.models if model.kind == "union"]
    assert [len(model.union_members) for model in unions] == [4]
    assert not any("cannot be decoded by msgspec" in w.message for w in api.warnings)
    generate(fixture, tmp_path / "nullable_member")
    for rules in RULE_SETS.values():
        run = ruff(tmp_path, "nullable_member", *rules)
        assert run.returncode == 0, run.stdout + run.stderr


def test_a_discriminator_member_that_admits_every_value_is_reported(
    build: Callable[..., Api],
) -> None:
    """A oneOf member of extensions only admits every value: by oneOf, no value another
    member admits is valid, which the warning says."""
    api = build("""
openapi: 3.0.3
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    Patch:
      oneOf:
        - $ref: "#/components/schemas/Http"
        - $ref: "#/components/schemas/Ifttt"
      discriminator:
        propertyName: ruleType
        mapping: {http: "#/components/schemas/Http", ifttt: "#/components/schemas/Ifttt"}
    Http:
      type: object
      properties:
        ruleType: {type: string, enum: [http]}
    Ifttt:
      x-ruleType: {type: string, enum: [ifttt]}
""")
    assert [w.pointer for w in api.warnings if "admits every value" in w.message] == [
        "/components/schemas/Patch"
    ]


def _holds_a_type(value: Any) -> bool:
    """Whether a value holds a TypeKind anywhere (every field, item and dict value looked at)."""
    if isinstance(value, TypeKind):
        return True
    if isinstance(value, msgspec.Struct):
        return any(_holds_a_type(getattr(value, name)) for name in value.__struct_fields__)
    if isinstance(value, tuple | list):
        return any(map(_holds_a_type, value))
    if isinstance(value, dict):
        return any(map(_holds_a_type, value.values()))
    return False


def _nodes(value: Any) -> Iterator[msgspec.Struct]:
    if isinstance(value, msgspec.Struct) and not isinstance(value, TypeKind):
        yield value
        for name in value.__struct_fields__:
            yield from _nodes(getattr(value, name))
    elif isinstance(value, tuple | list):
        for item in value:
            yield from _nodes(item)


FIXTURES = Path(__file__).parent / "fixtures"
_UNBUILT = {"bad.yaml", "badref.yaml"}  # refused on purpose


@pytest.mark.parametrize(
    "fixture", sorted(p.name for p in FIXTURES.glob("*.yaml") if p.name not in _UNBUILT)
)
def test_map_types_skips_only_fields_that_hold_no_type(
    fixture: str, build: Callable[..., Api]
) -> None:
    """map_types looks only at the fields whose declared type may hold a type
    (`unions._typed_fields`); over every fixture's IR, no other field holds one."""
    api = build((FIXTURES / fixture).read_text(encoding="utf-8"), source_name=fixture)
    for node in _nodes(api):
        skipped = set(node.__struct_fields__) - set(unions._typed_fields(type(node)))
        assert not [name for name in skipped if _holds_a_type(getattr(node, name))], node


def _refs_by_map_types(value: Any) -> set[str]:
    """model_refs as map_types finds them (the walk `_collect_refs` stands for)."""
    found: set[str] = set()

    def collect(type_: TypeRef) -> TypeRef:
        if isinstance(type_, ModelRef):
            found.add(type_.name)
        return type_

    unions.map_types(tuple(value) if isinstance(value, list) else value, collect)
    return found


@pytest.mark.parametrize(
    "fixture", sorted(p.name for p in FIXTURES.glob("*.yaml") if p.name not in _UNBUILT)
)
def test_model_refs_are_map_types_refs(fixture: str, build: Callable[..., Api]) -> None:
    """model_refs' own walk finds what map_types does, over every node of every fixture's IR;
    and map_types with a function that changes nothing gives the node back itself."""
    api = build((FIXTURES / fixture).read_text(encoding="utf-8"), source_name=fixture)
    nodes = [api, *_nodes(api), list(api.models), list(api.operations)]
    for node in nodes:
        assert unions.model_refs(node) == _refs_by_map_types(node), node
        assert unions.map_types(node, lambda type_: type_) is node


def test_map_types_copies_only_what_changes() -> None:
    a, b = ModelRef("A"), ModelRef("B")
    kept = (PrimitiveType("str"), "text", a)
    renamed = unions.map_types((*kept, b), lambda t: ModelRef("C") if t == b else t)
    assert renamed == (*kept, ModelRef("C"))
    assert all(new is old for new, old in zip(renamed[:3], kept, strict=True))
