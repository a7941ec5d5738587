"""Which structs keep the allOf their schema was written with (`Model.all_of`)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from specloom.generator.build_ir import parse
from specloom.generator.ir import Api

COMPONENTS = """
openapi: 3.1.0
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Base: {type: object, description: b, required: [id], properties: {id: {type: integer}}}
    Other: {type: object, properties: {note: {type: string}}}"""  # append, indented by four


def test_the_refs_of_an_allof_are_kept(build: Callable[..., Api]) -> None:
    api = build(COMPONENTS + """
    One:
      allOf: [{$ref: "#/components/schemas/Base"}, {properties: {a: {type: string}}}]
    Two:
      allOf: [{$ref: "#/components/schemas/Other"}, {$ref: "#/components/schemas/Base"}]
    Narrow:
      allOf:
        - $ref: "#/components/schemas/Other"
        - properties: {note: {type: string, enum: [x, y]}}
""")
    assert api.model("One").all_of == ("Base", "OnePart2") and api.model("One").bases == ("Base",)
    assert api.model("Two").all_of == ("Other", "Base") and api.model("Two").bases == ()
    assert api.model("Narrow").all_of == ("Other", "NarrowPart2")  # an enum of strings is a str


@pytest.mark.parametrize(
    "schema",
    [
        # a member that is no object
        """{allOf: [{$ref: "#/components/schemas/Base"}, {$ref: "#/components/schemas/Text"}]}""",
        # additionalProperties would refuse the base's properties
        """{allOf: [{$ref: "#/components/schemas/Base"}], properties: {a: {type: string}},
         additionalProperties: false}""",
        # a property of another type than the base's
        """{allOf: [{$ref: "#/components/schemas/Base"}, {properties: {id: {type: string}}}]}""",
    ],
)
def test_an_allof_the_runtime_cannot_say_is_flattened(
    build: Callable[..., Api], schema: str
) -> None:
    api = build(COMPONENTS + """
    Text: {type: string}
    Closed: {type: object, properties: {c: {type: string}}, additionalProperties: false}
    Sub: """ + schema)
    assert api.model("Sub").all_of == ()
    assert not any(model.name.startswith("SubPart") for model in api.models)  # no dead class


@pytest.mark.parametrize(("kind", "kept"), [("{type: string}", True), ("{enum: [a, b]}", False)])
def test_a_tagged_part_is_kept_when_its_tag_is_open(
    build: Callable[..., Api], kind: str, kept: bool
) -> None:
    """A member of a discriminated union is tagged: a tag property documented with its one
    value (an enum in the spec) would apply to its subtypes too; an open one does not."""
    api = build(COMPONENTS + """
    Pet:
      type: object
      required: [kind]
      properties: {kind: KIND}
    Dog:
      allOf: [{$ref: "#/components/schemas/Pet"}, {properties: {barks: {type: boolean}}}]
    Puppy:
      allOf: [{$ref: "#/components/schemas/Dog"}, {properties: {age: {type: integer}}}]
    Any:
      oneOf: [{$ref: "#/components/schemas/Dog"}, {$ref: "#/components/schemas/Puppy"}]
      discriminator: {propertyName: kind, mapping: {a: Dog, b: Puppy}}
""".replace("KIND", kind))
    assert api.model("Dog").all_of == ("Pet", "DogPart2")  # its tag is the base's property
    assert api.model("Puppy").all_of == (("Dog", "PuppyPart2") if kept else ())


def test_a_member_still_being_built_is_waited_for_and_a_true_cycle_reported(
    build: Callable[..., Api],
) -> None:
    api = build(COMPONENTS + """
    Thing:
      type: object
      properties: {name: {type: string}, media: {$ref: "#/components/schemas/Media"}}
    Media: {allOf: [{$ref: "#/components/schemas/Thing"}], properties: {size: {type: integer}}}
    A: {allOf: [{$ref: "#/components/schemas/B"}], properties: {a: {type: string}}}
    B: {allOf: [{$ref: "#/components/schemas/A"}], properties: {b: {type: string}}}
""")
    media = api.model("Media")  # reached from Thing's property while Thing was being built
    assert media.bases == ("Thing",) and media.all_of == ("Thing", "MediaPart2")
    a, b = api.model("A"), api.model("B")
    assert (a.bases, b.bases) in ((("B",), ()), ((), ("A",)))  # no class extends its subclass
    assert any("allOf refers back" in w.message for w in api.warnings)


def test_each_inline_member_is_a_part_of_its_own(build: Callable[..., Api]) -> None:
    """Inline members (docs only, a required name another member defines, a nested allOf)
    are models of their own: the allOf is written with its members as they are."""
    api = build(COMPONENTS + """
    Doc:
      allOf:
        - description: docs only
        - {required: [id]}
        - $ref: "#/components/schemas/Base"
        - allOf: [{properties: {a: {type: string}}}, {examples: [{a: x}]}]
""")
    doc = api.model("Doc")
    assert doc.all_of == ("DocPart1", "DocPart2", "Base", "DocPart4")
    docs_only = api.model("DocPart1")
    assert (docs_only.description, docs_only.fields, docs_only.untyped) == ("docs only", (), True)
    (required,) = api.model("DocPart2").fields  # any value: its schema is the other member's
    assert (required.wire_name, required.required, required.type.shape()) == (
        "id",
        True,
        frozenset({("any",)}),
    )
    assert api.model("DocPart4").all_of == ("DocPart4Part1", "DocPart4Part2")
    assert api.model("DocPart4Part2").examples == ({"a": "x"},)


def test_the_keywords_beside_the_allof_are_one_more_member(build: Callable[..., Api]) -> None:
    """A name required beside the allOf and by a member too is said in both places."""
    api = build(COMPONENTS + """
    Sub:
      description: beside
      allOf: [{$ref: "#/components/schemas/Base"}]
      required: [id]
      properties: {id: {type: integer, enum: [1, 2]}}
""")
    sub = api.model("Sub")
    assert sub.all_of == ("Base", "SubPart2") and sub.description == "beside"
    (field,) = api.model("SubPart2").fields
    assert (field.wire_name, field.required) == ("id", True)


@pytest.mark.parametrize(
    "member",
    [
        "{oneOf: [{type: string}, {type: integer}]}",
        "{minProperties: 1}",
        "{additionalProperties: {type: string}}",
    ],
)
def test_a_member_no_struct_says_keeps_the_merge(build: Callable[..., Api], member: str) -> None:
    api = build(COMPONENTS + """
    Sub:
      allOf: [{$ref: "#/components/schemas/Base"}, MEMBER, {properties: {a: {type: string}}}]
""".replace("MEMBER", member))
    assert "SubPart3" not in {model.name for model in api.models}


def test_a_narrowing_by_json_values_keeps_the_allof(build: Callable[..., Api]) -> None:
    """An object property narrowed to a model, a model to one composed of it: each value of
    the class's field is one of the member's."""
    api = build(COMPONENTS + """
    Holder:
      type: object
      properties: {meta: {type: object}, base: {$ref: "#/components/schemas/Base"}}
    Sub:
      allOf:
        - $ref: "#/components/schemas/Holder"
        - properties:
            meta: {$ref: "#/components/schemas/Other"}
            base: {allOf: [{$ref: "#/components/schemas/Base"}, {properties: {x: {type: string}}}]}
""")
    assert api.model("Sub").all_of == ("Holder", "SubPart2")


@pytest.mark.parametrize(
    "schema",
    [
        """{allOf: [{$ref: "#/components/schemas/Closed"}, {properties: {a: {type: string}}}]}""",
        """{allOf: [{$ref: "#/components/schemas/Base"},
                    {properties: {a: {type: string}}, additionalProperties: false}]}""",
    ],
)
def test_a_closed_member_is_kept_as_written_and_reported(
    build: Callable[..., Api], schema: str
) -> None:
    """A member with `additionalProperties: false` refuses the other members' properties:
    documented as written (`closed_parts`), served accepting them, reported."""
    api = build(COMPONENTS + """
    Closed: {type: object, properties: {c: {type: string}}, additionalProperties: false}
    Sub: """ + schema)
    sub = api.model("Sub")
    assert len(sub.all_of) == 2 and sub.all_of_closed and not sub.forbid_unknown_fields
    assert any("refuses the other members' properties" in w.message for w in api.warnings)


def test_a_union_member_of_an_object_allof_is_reported(build: Callable[..., Api]) -> None:
    api = build(COMPONENTS + """
    Delayed:
      allOf:
        - oneOf: [{$ref: "#/components/schemas/Base"}, {$ref: "#/components/schemas/Other"}]
        - {type: object, properties: {delay: {type: number}}}
""")
    assert [field.name for field in api.model("Delayed").fields] == ["delay"]
    (warning,) = [w for w in api.warnings if "oneOf/anyOf member" in w.message]
    assert warning.pointer.endswith("/Delayed/allOf/0")


def test_members_enums_that_conflict_keep_the_allof_and_are_reported() -> None:
    api = parse(Path(__file__).parent / "fixtures" / "all_of_enum_conflict.yaml")
    kept = [model for model in api.models if model.all_of]
    assert len(kept) == 2
    reported = [w.message for w in api.warnings if "refuses" in w.message]
    assert len(reported) == 2
    assert "share 'success'" in reported[0] and "share no value" in reported[1]


def test_a_property_typed_by_another_object_schema_keeps_the_allof(
    build: Callable[..., Api],
) -> None:
    api = build(COMPONENTS + """
    Links: {type: object, properties: {rename: {type: string}}}
    Fuller: {type: object, properties: {rename: {type: string}, map: {type: string}}}
    Other2: {type: object, properties: {map: {type: string}}}
    Required: {type: object, required: [rename], properties: {rename: {type: string}}}
    Holder: {type: object, properties: {links: {$ref: "#/components/schemas/Links"}}}
    Strict: {type: object, properties: {links: {$ref: "#/components/schemas/Required"}}}
    Same:
      allOf:
        - $ref: "#/components/schemas/Holder"
        - properties: {links: {$ref: "#/components/schemas/Fuller"}}
    Lacking:
      allOf:
        - $ref: "#/components/schemas/Holder"
        - properties: {links: {$ref: "#/components/schemas/Other2"}}
    Refused:
      allOf:
        - $ref: "#/components/schemas/Strict"
        - properties: {links: {$ref: "#/components/schemas/Other2"}}
""")
    assert api.model("Same").all_of and api.model("Lacking").all_of
    assert api.model("Refused").all_of == ()  # Other2 never writes the required `rename`
    lacking = [w for w in api.warnings if "lacks some properties" in w.message]
    assert [w.pointer.split("/")[3] for w in lacking] == ["Lacking"]
