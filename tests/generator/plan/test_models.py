"""Model views: fields, class headers, decorators and the warnings of the models module."""

from __future__ import annotations

from collections.abc import Callable

from specloom.generator.ir import Api
from specloom.generator.plan.models import plan_models
from specloom.generator.plan.views import Arg, Call, DictOf, FieldView, ModelBlock

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
    Note: {title: A note, properties: {text: {type: string}}}
    Loose: {properties: {text: {type: string}}}
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
        "default 'huge' of Pet.size does not fit its type: documented as written, not applied "
        "(the field is optional without a default)"
    ]


def test_mutable_defaults_are_made_per_instance_and_documented(build: Callable[..., Api]) -> None:
    spec = SPEC.replace(
        "    Name: {type: string, maxLength: 5}",
        "    Name: {type: string, maxLength: 5}\n"
        "    Bag:\n"
        "      type: object\n"
        "      properties:\n"
        "        extras: {type: object, default: {}}\n"
        "        names: {type: array, items: {type: integer}, default: []}\n"
        "        sizes: {type: array, items: {type: integer}, default: [0]}",
    )
    fields = {f.name: f for f in _blocks(build(spec))["Bag"].fields}
    # msgspec documents the default a `list`/`dict` factory makes; a lambda's, Meta says
    assert fields["extras"].options == (Arg("default_factory", "dict"),)
    assert fields["names"].options == (Arg("default_factory", "list"),)
    assert fields["sizes"].options == (Arg("default_factory", "lambda: [0]"),)
    assert fields["sizes"].annotation == (
        "Annotated[list[int], Meta(extra_json_schema={'default': [0]})]"
    )


def test_an_untyped_struct_declares_it(build: Callable[..., Api]) -> None:
    """A schema without `type`: `schema_docs(untyped=True)`, after its documentation."""
    blocks = _blocks(build(SPEC))
    untyped = Arg("untyped", "True")
    assert blocks["Note"].decorators == [Call("schema_docs", (Arg("title", "'A note'"), untyped))]
    assert blocks["Loose"].decorators == [Call("schema_docs", (untyped,))]


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
    assert owned.decorators == [Call("all_of", (Arg("", "Pet"), Arg("", "OwnedPart2")))]
    assert blocks["OwnedPart2"].fields[0].comment == owned.fields[0].comment  # the member's
    (owner,) = owned.fields
    assert owner.annotation == "Name | UnsetType" and owner.comment == (
        "# Beside its $ref (ignored by OpenAPI 2.0/3.0): who owns it",
        "# since when",
    )


FIELD_DOCS_SPEC = """
openapi: 3.1.0
info: {title: T, version: "1"}
paths: {}
components:
  schemas:
    Code: {type: string, maxLength: 8, description: a code, examples: [ab]}
    Item:
      type: object
      required: [count]
      properties:
        count: {type: integer, minimum: 0, description: how many, examples: [1]}
        label: {type: string, title: Label}
        code: {$ref: "#/components/schemas/Code", description: the code here}
        plain: {type: string}
"""


def test_field_docs_are_said_beside_the_class_not_in_each_meta(
    build: Callable[..., Api],
) -> None:
    """A distinct `Meta` per documented field is a distinct `Annotated` type to make at import;
    the documentation keywords go to `@schema_docs(fields=...)`, the constraints stay."""
    item = _blocks(build(FIELD_DOCS_SPEC))["Item"]
    fields = {f.name: f for f in item.fields}
    assert fields["count"].annotation == "Annotated[int, Meta(ge=0)]"
    assert fields["label"].annotation == "str | UnsetType"
    assert fields["code"].annotation == "Code | UnsetType"
    (decorator,) = item.decorators
    assert isinstance(decorator, Call) and decorator.function == "schema_docs"
    assert decorator.args[-1] == Arg(
        "fields",
        DictOf(
            (
                ("'count'", "{'description': 'how many', 'examples': [1]}"),
                ("'label'", "{'title': 'Label'}"),
                ("'code'", "{'description': 'the code here'}"),
            )
        ),
    )
