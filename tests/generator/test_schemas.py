"""Schemas -> Models and TypeRefs: structs, allOf, unions, enums, maps, recursion, names."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from specloom.generator.build_ir import parse
from specloom.generator.ir import (
    AnyType,
    Api,
    Constraints,
    ListType,
    LiteralType,
    MapType,
    Model,
    ModelRef,
    NoneType,
    PrimitiveType,
    SchemaDocs,
    TupleType,
    UnionType,
)
from specloom.generator.unions import is_untagged_union


@pytest.fixture(scope="module")
def composition() -> Api:
    return parse(Path(__file__).parent / "fixtures" / "composition.yaml")


@pytest.fixture(scope="module")
def names() -> Api:
    return parse(Path(__file__).parent / "fixtures" / "names.yaml")


COMPONENTS = """
openapi: 3.1.0
info: {title: t, version: '1'}
paths: {}
components:
  schemas:"""  # a document of component schemas only: append them, indented by four


def _fields(model: Model) -> dict[str, tuple[str, object, bool]]:
    return {f.wire_name: (f.name, f.type, f.required) for f in model.fields}


def test_allof_with_one_object_ref_inherits(composition: Api) -> None:
    dog = composition.model("Dog")
    assert dog.kind == "struct" and dog.bases == ("Base",)
    # petType became the tag (discriminated union member); `name` is made required here
    assert (dog.tag_field, dog.tag) == ("petType", "dog")
    assert _fields(dog) == {
        "barks": ("barks", PrimitiveType("bool"), False),
        "name": ("name", PrimitiveType("str"), True),
    }


def test_allof_with_several_refs_merges(composition: Api) -> None:
    mixed = composition.model("Mixed")
    assert mixed.bases == ()
    assert [f.wire_name for f in mixed.fields] == ["id", "name", "petType", "lives", "extra"]
    assert mixed.fields[2].name == "pet_type" and mixed.fields[3].default == 9


def test_allof_wrapper_is_an_alias(composition: Api) -> None:
    described = composition.model("Described")
    assert described.kind == "alias" and described.target == ModelRef("Base")
    assert described.description == "just a wrapper"


def test_discriminated_oneof(composition: Api) -> None:
    pet = composition.model("Pet")
    assert pet.kind == "union" and pet.exclusive
    assert pet.union_members == (ModelRef("Dog"), ModelRef("Cat"))
    assert pet.discriminator is not None
    assert pet.discriminator.property_name == "petType"
    assert pet.discriminator.mapping == {"dog": "Dog", "cat": "Cat"}
    assert composition.model("Cat").tag == "cat"
    assert "petType" not in {f.wire_name for f in composition.model("Cat").fields}


def test_anyof_of_scalars(composition: Api) -> None:
    model = composition.model("IdOrName")
    assert model.kind == "union" and not model.exclusive
    assert model.union_members == (PrimitiveType("int"), PrimitiveType("str"))


def test_undiscriminated_union_of_objects_is_kept_for_the_runtime(composition: Api) -> None:
    """msgspec cannot decode `A | B`; the runtime's UntaggedUnion can: no degrading."""
    shapes = composition.model("Shapes")
    assert shapes.kind == "union" and shapes.exclusive
    assert [composition.model(m.name).kind for m in shapes.union_members] == ["struct"] * 2
    assert is_untagged_union(shapes, {m.name: m for m in composition.models})
    assert not any(w.pointer == "/components/schemas/Shapes" for w in composition.warnings)


def test_a_union_with_a_member_that_is_no_struct_is_kept_as_written(
    build: Callable[..., Api],
) -> None:
    """Two object members, one a map: msgspec decodes neither pair, the runtime's
    UntaggedUnion does (member by member), so nothing is merged into `dict[str, Any]`."""
    api = build(COMPONENTS + """
    Mixed:
      oneOf:
        - {type: object, properties: {radius: {type: number}}}
        - {type: object, additionalProperties: {type: string}}
""")
    mixed = api.model("Mixed")
    assert mixed.kind == "union" and mixed.as_written and mixed.exclusive
    assert mixed.union_members[1] == MapType(PrimitiveType("str"))
    assert is_untagged_union(mixed, {m.name: m for m in api.models})
    assert not any(w.pointer == "/components/schemas/Mixed" for w in api.warnings)


def test_unions_msgspec_cannot_keep_are_kept_as_written(build: Callable[..., Api]) -> None:
    """Two arrays, two strings, one member twice, an object before a scalar: each member as
    written, in order; a oneOf of one member twice is reported (no value is valid by it)."""
    api = build(COMPONENTS + """
    Circle: {type: object, properties: {r: {type: number}}}
    Arrays:
      oneOf:
        - {type: array, items: {type: string}}
        - {type: array, items: {type: integer}}
    Strings:
      anyOf:
        - {type: string, maxLength: 2}
        - {type: string, minLength: 5}
    Twice:
      oneOf:
        - {$ref: "#/components/schemas/Circle"}
        - {$ref: "#/components/schemas/Circle"}
    ObjectFirst:
      anyOf:
        - {$ref: "#/components/schemas/Circle"}
        - {type: boolean}
    Fits:
      oneOf:
        - {type: string}
        - {type: array, items: {type: string}}
""")
    for name, count in (("Arrays", 2), ("Strings", 2), ("Twice", 2), ("ObjectFirst", 2)):
        model = api.model(name)
        assert model.kind == "union" and model.as_written, name
        assert len(model.union_members) == count
    assert api.model("Twice").union_members == (ModelRef("Circle"),) * 2
    assert not api.model("Fits").as_written  # str | list[str]: msgspec decodes it
    assert [w.pointer for w in api.warnings if "twice" in w.message] == [
        "/components/schemas/Twice"
    ]


def test_recursion(composition: Api) -> None:
    tree = composition.model("Tree")
    assert _fields(tree)["children"][1] == ListType(ModelRef("Tree"))
    loop = composition.model("Loop")  # an alias cannot refer to itself: the cycle is cut
    assert loop.target == ListType(AnyType())
    assert any("refers to itself" in w.message for w in composition.warnings)


def test_maps_closed_objects_and_access(composition: Api) -> None:
    assert composition.model("Labels").target == MapType(PrimitiveType("str"))
    assert composition.model("Anything").target == MapType(AnyType())
    closed = composition.model("Closed")
    assert closed.forbid_unknown_fields
    only, secret = closed.fields
    assert only.read_only and not only.write_only and secret.write_only
    assert composition.model("Const").target == LiteralType(("fixed",))


def test_identifiers_from_property_names(names: Api) -> None:
    weird = _fields(names.model("Weird"))
    assert weird["from"][0] == "from_" and weird["global"][0] == "global_"
    assert weird["16x16"][0] == "n16x16" and weird["list"][0] == "list_"
    assert weird["id"][0] == "id"
    # `max-results` and `maxResults` both want max_results: ordered by wire name
    assert (weird["max-results"][0], weird["maxResults"][0]) == ("max_results", "max_results_2")
    assert weird["用户"][0].startswith("u")
    assert names.model("Weird2").wire_name == "weird"
    assert names.model("AnyModel").wire_name == "Any"


def test_enums(names: Api) -> None:
    case = names.model("WeirdCase")
    assert case.enum_type == "str"
    assert [(m.name, m.value) for m in case.enum_members] == [
        ("A_2", "a"),
        ("A", "A"),
        ("MINUS_A", "-a"),
        ("PLUS_A", "+a"),
        ("EMPTY", ""),
        ("EQ", "="),
        ("NOT_EQ", "!="),
        ("NOT_IN", "not in"),
    ]
    assert any("'a', 'A' collide" in w.message for w in names.warnings)
    level = names.model("WeirdLevel")
    assert level.enum_type == "int"
    assert [m.name for m in level.enum_members] == ["VALUE_1", "VALUE_2", "VALUE_MINUS_1"]
    # 1 and true are different JSON values
    assert _fields(names.model("Weird"))["mixed"][1] == LiteralType((1, "one", True))


def test_unknown_formats_are_reported_once(names: Api) -> None:
    fmt = _fields(names.model("Weird"))["fmt"][1]
    assert fmt == PrimitiveType("str", "color")
    assert [w.message for w in names.warnings if "format" in w.message] == [
        "unknown string format 'color'; read as plain string"
    ]


def test_nullable_and_enum_null(fixtures: Path) -> None:
    api = parse(fixtures / "nullable30.yaml")
    thing = {f.wire_name: f for f in api.model("Thing").fields}
    assert thing["name"].type == UnionType((PrimitiveType("str"), NoneType()))
    assert thing["name"].nullable and thing["name"].examples == ("x",)
    assert thing["color"].type == UnionType((ModelRef("ThingColor"), NoneType()))
    assert thing["other"].type == UnionType((ModelRef("Thing"), NoneType()))
    assert thing["anything"].type == AnyType() and thing["anything"].nullable
    assert [m.value for m in api.model("ThingColor").enum_members] == ["red", "green"]


SPEC = """\
openapi: 3.1.0
info: {{title: t, version: '1'}}
paths: {{}}
components:
  schemas:
    S:
{schema}
"""


def _schema_type(build: Callable[..., Api], schema: str) -> tuple[Api, Model]:
    indented = "\n".join("      " + line for line in schema.strip().splitlines())
    api = build(SPEC.format(schema=indented))
    return api, api.model("S")


def test_constraints(build: Callable[..., Api]) -> None:
    _, model = _schema_type(
        build,
        """
type: object
properties:
  n: {type: number, minimum: 0, exclusiveMaximum: 10, multipleOf: 0.5}
  s: {type: string, minLength: 1, maxLength: 5, pattern: '^a+$'}
  l: {type: array, items: {type: integer}, minItems: 1, uniqueItems: true}
  m: {type: object, additionalProperties: {type: integer}, maxProperties: 3}
  bad: {type: string, pattern: '(?<x>\\p{L})'}
""",
    )
    n, s, items, mapping, bad = model.fields
    assert n.constraints == Constraints(ge=0, lt=10, multiple_of=0.5)
    assert s.constraints == Constraints(min_length=1, max_length=5, pattern="^a+$")
    assert items.constraints == Constraints(min_length=1, unique_items=True)
    assert mapping.constraints == Constraints(max_length=3)
    # a pattern Python's `re` refuses is documented as written, not checked
    assert bad.constraints == Constraints(unchecked={"pattern": "(?<x>\\p{L})"})
    assert bad.constraints.meta_kwargs() == {}
    assert s.constraints.meta_kwargs() == {"pattern": "^a+$", "min_length": 1, "max_length": 5}


def test_formats(build: Callable[..., Api]) -> None:
    api, model = _schema_type(
        build,
        """
type: object
properties:
  a: {type: string, format: date-time}
  b: {type: string, format: uuid}
  c: {type: string, format: byte}
  d: {type: number, format: decimal}
  e: {type: string, contentEncoding: base64}
  f: {type: integer, format: int64}
  g: {type: [string, integer]}
  h: {}
""",
    )
    kinds = [f.type for f in model.fields]
    assert kinds == [
        PrimitiveType("datetime", "date-time"),
        PrimitiveType("uuid", "uuid"),
        PrimitiveType("bytes", "byte"),
        PrimitiveType("float", "decimal"),
        PrimitiveType("bytes"),
        PrimitiveType("int", "int64"),
        UnionType((PrimitiveType("str"), PrimitiveType("int"))),
        AnyType(),
    ]
    assert api.warnings == ()


def test_defaults_and_docs(build: Callable[..., Api]) -> None:
    _, model = _schema_type(
        build,
        """
type: object
title: The S
deprecated: true
properties:
  color: {type: string, enum: [red, blue], default: red}
  wrong: {type: string, enum: [x], default: y}
  count: {type: integer, default: 0, description: how many, deprecated: true}
""",
    )
    assert model.title == "The S" and model.deprecated
    color, wrong, count = model.fields
    # a default outside the enum is still what the spec says: the models plan documents it
    assert color.default == "red" and wrong.default == "y"
    assert count.default == 0 and count.description == "how many" and count.deprecated


def test_unsupported_keywords_are_reported(build: Callable[..., Api]) -> None:
    api, model = _schema_type(
        build,
        """
type: object
properties:
  a: {not: {type: string}}
  b: {type: array, contains: {type: string}}
  c: {not: {$ref: "#/components/schemas/S"}}
  d: {type: array, contains: {$ref: "#/components/schemas/S"}, minContains: 2}
""",
    )
    any_list = ListType(AnyType())
    assert [f.type for f in model.fields] == [AnyType(), any_list, AnyType(), any_list]
    assert model.fields[0].extra == {"not": {"type": "string"}}  # documented, not checked
    assert model.fields[1].extra == {"contains": {"type": "string"}}
    assert "not" not in model.fields[2].extra  # a reference names a spec component
    assert model.fields[3].extra == {"minContains": 2}  # a count refers to nothing
    messages = [(w.pointer.rsplit("/", 1)[-1], w.message) for w in api.warnings]
    assert ("a", "'not' cannot be checked; documented as written, not checked") in messages
    assert ("b", "'contains' cannot be checked; documented as written, not checked") in messages
    assert ("c", "'not' is not supported; ignored") in messages
    assert ("d", "'contains' is not supported; ignored") in messages


def test_a_required_name_no_property_defines_is_a_required_field(
    build: Callable[..., Api],
) -> None:
    """The key must be sent, with any value (or one extra keys may have); never dropped."""
    api = build(COMPONENTS + """
    Shown: {type: object, properties: {a: {type: string}}, required: [typo]}
    Counted:
      type: object
      properties: {a: {type: string}}
      additionalProperties: {type: integer}
      required: [n]
    Closed:
      type: object
      properties: {a: {type: string}}
      required: [never]
      additionalProperties: false
""")
    assert _fields(api.model("Shown"))["typo"] == ("typo", AnyType(), True)
    assert _fields(api.model("Counted"))["n"] == ("n", PrimitiveType("int"), True)
    # required and forbidden: no value is valid, as the schema says (JSON Schema `false`)
    assert _fields(api.model("Closed"))["never"] == ("never", PrimitiveType("nothing"), True)
    messages = {w.message for w in api.warnings}
    assert "required property 'typo' is not defined; any value" in messages
    assert (
        "required property 'never' is forbidden by additionalProperties: false, so no value of "
        "this schema is valid; served as written (typed Nothing)"
    ) in messages


def test_a_property_a_base_requires_stays_required_where_declared_again(
    build: Callable[..., Api],
) -> None:
    """allOf: the base's `required` applies to the subtype, whichever part declares it."""
    api = build(COMPONENTS + """
    Base: {type: object, properties: {kind: {type: string}}, required: [kind]}
    Sub:
      allOf: [{$ref: "#/components/schemas/Base"}]
      properties: {kind: {type: string, description: the sub's}, extra: {type: string}}
""")
    fields = _fields(api.model("Sub"))
    assert fields["kind"][2] and not fields["extra"][2]


def test_keywords_without_type_check_their_kind_and_admit_every_other(
    build: Callable[..., Api],
) -> None:
    """JSON Schema: with no `type`, `additionalProperties` checks objects only; a string is
    valid too. The type is the union of every JSON type, that kind's checked."""
    api = build(COMPONENTS + """
    Loose:
      type: object
      properties:
        byId: {additionalProperties: {type: integer}}
        code: {minLength: 2}
        either: {$ref: "#/components/schemas/Text"}
    Text: {maxLength: 8}
""")
    object_, array, string = MapType(AnyType()), ListType(AnyType()), PrimitiveType("str")
    number, boolean = PrimitiveType("float"), PrimitiveType("bool")
    fields = _fields(api.model("Loose"))
    by_id = (MapType(PrimitiveType("int")), array, string, number, boolean, NoneType())
    assert fields["byId"][1] == UnionType(by_id)
    short = PrimitiveType("str", constraints=Constraints(min_length=2))
    assert fields["code"][1] == UnionType((short, object_, array, number, boolean, NoneType()))
    # an alias leaves None out; every use of it admits null
    text = api.model("Text").target
    assert isinstance(text, UnionType) and NoneType() not in text.members
    assert fields["either"][1] == UnionType((ModelRef("Text"), NoneType()))
    warned = {w.pointer: w.message for w in api.warnings}
    assert warned["/components/schemas/Loose/properties/byId"] == (
        "no 'type' beside object keywords: any other JSON value is valid too; typed as a union "
        "of every JSON type (add `type: object` to the spec if only that is meant)"
    )


def test_an_object_schema_without_type_is_an_untyped_struct(build: Callable[..., Api]) -> None:
    """No part says `type`: the struct's schema is emitted without it (served: objects only)."""
    api = build(COMPONENTS + """
    Loose: {properties: {a: {type: string}}, required: [a]}
    Typed: {type: object, properties: {a: {type: string}}}
    Nullable: {type: [object, "null"], properties: {a: {type: string}}}
    LooseSub:
      allOf: [{$ref: "#/components/schemas/Loose"}, {properties: {b: {type: string}}}]
    TypedSub:
      allOf: [{$ref: "#/components/schemas/Typed"}, {properties: {b: {type: string}}}]
    TypedPart:
      allOf: [{properties: {a: {type: string}}}, {type: object, properties: {b: {}}}]
    Restricted: {type: object, allOf: [{$ref: "#/components/schemas/Loose"}], title: t}
""")
    untyped = {model.name for model in api.models if model.untyped}
    # an allOf's inline members say no type either: each is a model of its own
    assert untyped == {"Loose", "LooseSub", "LooseSubPart2", "TypedSubPart2", "TypedPartPart1"}
    assert api.model("LooseSub").bases == ("Loose",)
    # `type: object` beside one ref to an untyped object: said beside the ref, unreported
    target = api.model("Restricted").target
    assert target is not None and target.docs is not None
    assert (target, target.docs.extra) == (ModelRef("Loose", docs=target.docs), {"type": "object"})
    assert not [w for w in api.warnings if "Restricted" in w.pointer]


def test_a_closed_union_without_properties_is_reported_and_left_to_its_members(
    build: Callable[..., Api],
) -> None:
    """`additionalProperties: false` beside oneOf, with no properties: JSON Schema refuses every
    key of every member; the union is served as written (closed) and the defect reported."""
    api = build(COMPONENTS + """
    A: {type: object, properties: {a: {type: string}}, required: [a]}
    B: {type: object, properties: {b: {type: string}}, required: [b]}
    Closed:
      type: object
      additionalProperties: false
      oneOf: [{$ref: "#/components/schemas/A"}, {$ref: "#/components/schemas/B"}]
    Open:
      type: object
      oneOf: [{$ref: "#/components/schemas/A"}, {$ref: "#/components/schemas/B"}]
""")
    assert api.model("Closed").union_members == api.model("Open").union_members
    assert (api.model("Closed").closed, api.model("Open").closed) == (True, False)
    closed = [w for w in api.warnings if "refuses every key" in w.message]
    assert [w.pointer for w in closed] == ["/components/schemas/Closed"]


def test_numbers_literal_cannot_hold(build: Callable[..., Api]) -> None:
    """Non-integer numbers (or any under `type: number`) are a NumberEnum; beside other kinds
    of value they cannot be checked: any number, reported."""
    api = build(COMPONENTS + """
    Band: {type: number, enum: [2.4, 5]}
    Radius: {type: number, enum: [500]}
    Count: {type: integer, enum: [1, 2]}
    Half: {const: 0.5}
    Mixed:
      type: object
      properties: {m: {enum: [1.5, "auto"]}}
""")
    assert [api.model(n).enum_type for n in ("Band", "Radius", "Count")] == [
        "float",
        "float",
        "int",
    ]
    assert api.model("Half").enum_type == "float"
    assert [m.value for m in api.model("Half").enum_members] == [0.5]
    mixed = _fields(api.model("Mixed"))["m"][1]
    assert mixed == UnionType((LiteralType(("auto",)), PrimitiveType("float")))
    assert any("[1.5]" in w.message and "any number" in w.message for w in api.warnings)


def test_prefix_items_are_a_tuple_of_exactly_that_many_items(build: Callable[..., Api]) -> None:
    api = build(COMPONENTS + """
    Exact: {type: array, prefixItems: [{type: string}, {type: integer}], items: false, minItems: 2}
    Open: {type: array, prefixItems: [{type: string}]}
    Longer:
      type: array
      prefixItems: [{type: string}]
      items: {type: integer}
""")
    pair = TupleType((PrimitiveType("str"), PrimitiveType("int")))
    assert api.model("Exact").target == pair
    assert api.model("Open").target == TupleType((PrimitiveType("str"),))
    # a schema beside prefixItems: any of the item types, in any position
    longer = api.model("Longer").target
    assert longer == ListType(UnionType((PrimitiveType("str"), PrimitiveType("int"))))
    said = {w.pointer: w.message for w in api.warnings}
    assert "/components/schemas/Exact" not in said
    assert "exactly 1 items; the spec admits 0 or more" in said["/components/schemas/Open"]
    assert "items beside prefixItems" in said["/components/schemas/Longer"]
    assert not any("prefixItems' is not supported" in w.message for w in api.warnings)


def test_a_component_that_is_a_ref_is_an_alias_of_its_target(build: Callable[..., Api]) -> None:
    api = build(COMPONENTS + """
    Partner: {$ref: '#/components/schemas/Pid'}
    Pid: {type: string, pattern: '^[a-z]+$'}
    Loop: {$ref: '#/components/schemas/Back'}
    Back: {$ref: '#/components/schemas/Loop'}
""")
    partner = api.model("Partner")
    assert partner.kind == "alias" and partner.target == ModelRef("Pid")
    assert api.model("Loop").target == AnyType() or api.model("Back").target == AnyType()
    assert any("leads back to this schema" in w.message for w in api.warnings)


def test_assertions_beside_an_enum_are_kept_and_dead_values_reported(
    build: Callable[..., Api],
) -> None:
    api = build(COMPONENTS + """
    Flow: {type: string, enum: [ab, c], minLength: 2, pattern: '^[a-z]+$'}
    Level: {type: integer, enum: [1, 2], maximum: 2}
""")
    assert api.model("Flow").extra == {"minLength": 2, "pattern": "^[a-z]+$"}
    assert api.model("Level").extra == {"maximum": 2}
    dead = [w for w in api.warnings if "break the assertions" in w.message]
    assert [(w.pointer, "['c']" in w.message) for w in dead] == [("/components/schemas/Flow", True)]


def test_an_inline_object_that_allows_no_key_is_an_empty_closed_struct(
    build: Callable[..., Api],
) -> None:
    api = build(COMPONENTS + """
    Holder:
      type: object
      properties:
        none: {type: object, properties: {}, additionalProperties: false}
        extra: {type: object, additionalProperties: false, patternProperties: {'^x': {}}}
""")
    none, extra = api.model("Holder").fields
    assert isinstance(none.type, ModelRef) and none.type.name == "HolderNone"
    assert api.model("HolderNone").forbid_unknown_fields
    assert api.model("HolderNone").fields == ()
    assert not isinstance(extra.type, ModelRef)


def test_properties_beside_a_type_that_is_not_object_are_ignored_and_reported(
    build: Callable[..., Api],
) -> None:
    api = build(COMPONENTS + """
    Names:
      type: array
      items: {type: string}
      properties: {first: {type: string}}
""")
    names = api.model("Names")
    assert names.kind == "alias" and names.target == ListType(PrimitiveType("str"))
    assert [w.pointer for w in api.warnings if "never apply" in w.message] == [
        "/components/schemas/Names"
    ]


def test_an_enum_of_no_value_of_its_type_is_typed_by_the_type(build: Callable[..., Api]) -> None:
    """`type: string` with `enum: [1, 2]` admits no value: typed `str`, the enum documented;
    so is one that mixes values of its type and others."""
    api, model = _schema_type(
        build,
        """
type: object
properties:
  verse: {type: string, enum: [1, 2]}
  mixin: {type: array, items: {type: string}, enum: [live, promotions]}
  ratio: {type: string, enum: [43, nonstandard]}
""",
    )
    verse, mixin, ratio = model.fields
    assert ratio.type == PrimitiveType("str", docs=SchemaDocs(extra={"enum": [43, "nonstandard"]}))
    assert verse.type == PrimitiveType("str", docs=SchemaDocs(extra={"enum": [1, 2]}))
    assert isinstance(mixin.type, ListType)
    assert mixin.type.docs == SchemaDocs(extra={"enum": ["live", "promotions"]})
    messages = [w.message for w in api.warnings]
    assert any(
        m.startswith("enum [1, 2] holds values that are not of type 'string'") for m in messages
    )


def test_an_enum_null_its_type_refuses_is_read_as_nullable_and_reported(
    build: Callable[..., Api],
) -> None:
    api, model = _schema_type(
        build,
        """
type: object
properties:
  role: {type: boolean, enum: [null, true, false]}
  kept: {type: [boolean, "null"], enum: [null, true]}
""",
    )
    fields = {f.wire_name: f for f in model.fields}
    assert fields["role"].type == LiteralType((None, True, False))  # null read as meant
    warned = [w.pointer for w in api.warnings if "enum holds null" in w.message]
    assert warned == ["/components/schemas/S/properties/role"]


def test_required_names_without_properties_are_documented_on_the_mapping(
    build: Callable[..., Api],
) -> None:
    """No `type`, `required` alone: objects must hold the names, which a dict (keeping every
    key) cannot check; they are documented on the object member, and reported. An unknown
    format no member holds is documented beside the union."""
    api, model = _schema_type(
        build,
        """
type: object
properties:
  status: {format: string, required: [maintained, deprecated]}
""",
    )
    (status,) = model.fields
    assert isinstance(status.type, UnionType)
    members = status.type.members
    (mapping,) = [m for m in members if isinstance(m, MapType)]
    assert mapping.constraints is not None
    assert mapping.constraints.unchecked == {"required": ["maintained", "deprecated"]}
    assert status.docs is not None and status.docs.extra == {"format": "string"}
    warned = [w.pointer for w in api.warnings if "required names without properties" in w.message]
    assert warned == ["/components/schemas/S/properties/status"]


def test_the_keywords_documented_unchecked_are_those_schema_docs_takes() -> None:
    """The generator carries a struct's unchecked assertions in `schema_docs(unchecked=)`,
    which refuses any other key."""
    from specloom.generator.schema_utils import UNCHECKED_KINDS
    from specloom.runtime.openapi.model_docs import UNCHECKED_KEYWORDS

    assert tuple(UNCHECKED_KINDS) == UNCHECKED_KEYWORDS
