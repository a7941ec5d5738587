"""Model views: fields, class headers, decorators and the warnings of the models module."""

from __future__ import annotations

from collections.abc import Callable

from specloom.generator.ir import Api
from specloom.generator.plan.models import plan_models
from specloom.generator.plan.views import Arg, Call, FieldView, ModelBlock

SPEC = """
openapi: 3.0.3
info: {title: T, version: "1"}
paths: {}
components:
  schemas:
    Color: {type: string, enum: [red, blue]}
    Pet:
      type: object
      title: A pet
      required: [name]
      properties:
        name: {type: string}
        petColor: {$ref: "#/components/schemas/Color"}
        tags: {type: array, items: {type: string}, default: [a]}
        size: {type: integer, default: huge}
        shade: {allOf: [{$ref: "#/components/schemas/Color"}], default: blue}
    Name: {type: string, maxLength: 5}
"""


def _blocks(api: Api) -> dict[str, ModelBlock]:
    return {block.name: block for block in plan_models(api).blocks}


def test_struct_fields_have_their_defaults_and_options(build: Callable[..., Api]) -> None:
    pet = _blocks(build(SPEC))["Pet"]
    fields = {f.name: f for f in pet.fields}
    assert fields["name"] == FieldView("name", "str", None)
    assert fields["pet_color"].options == (Arg("default", "UNSET"), Arg("name", "'petColor'"))
    assert fields["tags"].options == (Arg("default_factory", "lambda: ['a']"),)
    assert fields["size"].default == "UNSET"  # its default is not an integer: left out
    assert fields["shade"].default == "Color.BLUE"
    assert pet.bases == (Arg("", "msgspec.Struct"), Arg("kw_only", "True"))
    assert pet.decorators == [Call("schema_docs", (Arg("title", "'A pet'"),))]


def test_enums_and_aliases(build: Callable[..., Api]) -> None:
    blocks = _blocks(build(SPEC))
    assert blocks["Color"].attributes == [("RED", "'red'", ""), ("BLUE", "'blue'", "")]
    assert blocks["Name"].kind == "alias"
    assert blocks["Name"].expr.startswith("Annotated[str, Meta(max_length=5)")


def test_model_warnings_come_from_the_plan(build: Callable[..., Api]) -> None:
    messages = [w.message for w in plan_models(build(SPEC)).warnings]
    assert messages == [
        "default 'huge' of Pet.size does not fit its type: left out (the field is optional "
        "without a default)"
    ]


def test_a_description_beside_a_30_ref_is_a_comment_and_parts_a_decorator(
    build: Callable[..., Api],
) -> None:
    blocks = _blocks(build(SPEC + """
    Owned:
      allOf:
        - $ref: "#/components/schemas/Pet"
        - properties:
            owner: {$ref: "#/components/schemas/Name", description: "who owns it\\nsince when"}
"""))
    owned = blocks["Owned"]
    assert owned.decorators == [Call("all_of", (Arg("", "Pet"),))]
    (owner,) = owned.fields
    assert owner.annotation == "Name | UnsetType" and owner.comment == (
        "# Beside its $ref (ignored by OpenAPI 2.0/3.0): who owns it",
        "# since when",
    )
