"""Which structs keep the allOf their schema was written with (`Model.all_of`)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

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
    assert api.model("One").all_of == ("Base",) and api.model("One").bases == ("Base",)
    assert api.model("Two").all_of == ("Other", "Base") and api.model("Two").bases == ()
    assert api.model("Narrow").all_of == ("Other",)  # an enum of strings is a str


@pytest.mark.parametrize(
    "schema",
    [
        # a member that is no object
        """{allOf: [{$ref: "#/components/schemas/Base"}, {$ref: "#/components/schemas/Text"}]}""",
        # additionalProperties would refuse the base's properties
        """{allOf: [{$ref: "#/components/schemas/Base"}], properties: {a: {type: string}},
         additionalProperties: false}""",
        """{allOf: [{$ref: "#/components/schemas/Closed"}, {properties: {a: {type: string}}}]}""",
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
    assert api.model("Dog").all_of == ("Pet",)  # its tag is the base's property
    assert api.model("Puppy").all_of == (("Dog",) if kept else ())


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
    assert media.bases == media.all_of == ("Thing",)
    a, b = api.model("A"), api.model("B")
    assert (a.bases, b.bases) in ((("B",), ()), ((), ("A",)))  # no class extends its subclass
    assert any("allOf refers back" in w.message for w in api.warnings)
