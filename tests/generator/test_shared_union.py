"""Properties shared by the members of a oneOf/anyOf (`generator/shared_union.py`): a union of
structs extending a struct of the shared part, served member by member and written back as
the document wrote it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from specloom.generator.diff import diff_specs
from specloom.generator.generate import generate
from specloom.generator.ir import Api, ModelRef
from specloom.generator.loader import load_spec
from specloom.runtime.testing import TestClient

from .served import fill_handlers, import_app

SPEC = Path(__file__).parent / "fixtures" / "shared_union.yaml"
HEAD = """
openapi: 3.1.0
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Base: {type: object, properties: {id: {type: string}}, required: [id]}
    Sub: """


def test_properties_beside_a_oneof_are_a_struct_each_member_extends(
    build: Callable[..., Api],
) -> None:
    api = build(HEAD + """
      type: object
      description: d
      properties: {id: {type: string}, kind: {type: string}}
      required: [id]
      oneOf:
        - properties: {kind: {enum: [a]}, a: {type: integer}}
          required: [a]
        - {type: object, title: B, properties: {b: {type: string}}}
""")
    union = api.model("Sub")
    assert union.kind == "union" and union.shared == "SubBase" and union.shared_all_of is None
    assert union.description == "d" and union.exclusive
    assert union.union_members == (ModelRef("SubOption1"), ModelRef("SubOption2"))
    base, first, second = api.model("SubBase"), api.model("SubOption1"), api.model("SubOption2")
    assert [f.wire_name for f in base.fields] == ["id", "kind"] and not base.untyped
    assert first.bases == ("SubBase",) and [f.wire_name for f in first.fields] == ["kind", "a"]
    assert first.untyped and not second.untyped and second.title == "B"
    assert not api.warnings


@pytest.mark.parametrize(("order", "place"), [("[$union, $part]", 1), ("[$part, $union]", 0)])
def test_an_allof_of_an_object_part_and_a_union_keeps_its_order(
    build: Callable[..., Api], order: str, place: int
) -> None:
    union = "{anyOf: [{properties: {a: {type: string}}}, {properties: {b: {type: string}}}]}"
    for part, shared in (
        ("{properties: {c: {type: string}}}", "SubBase"),
        ("{$ref: '#/components/schemas/Base'}", "Base"),
    ):
        text = order.replace("$union", union).replace("$part", part)
        api = build(HEAD + f"{{description: d, allOf: {text}}}\n")
        model = api.model("Sub")
        assert model.kind == "union" and model.shared == shared and not model.exclusive
        assert model.shared_all_of == place and model.description == "d"
        assert api.model("SubOption1").bases == (shared,)


@pytest.mark.parametrize(
    "schema",
    [
        # a member requires a shared property it does not declare
        """{properties: {id: {type: string}}, oneOf: [{properties: {a: {type: string}},
         required: [id]}, {properties: {b: {type: string}}}]}""",
        # a member redeclares a shared property as another type
        """{properties: {id: {type: string}}, oneOf: [{properties: {id: {type: integer}}},
         {properties: {b: {type: string}}}]}""",
        # additionalProperties beside the union would refuse the members' properties
        """{properties: {id: {type: string}}, additionalProperties: false,
         oneOf: [{properties: {a: {type: string}}}, {properties: {b: {type: string}}}]}""",
        # a $ref member
        """{properties: {id: {type: string}}, oneOf: [{$ref: '#/components/schemas/Base'},
         {properties: {b: {type: string}}}]}""",
        # the union part of an allOf says more than its members
        """{allOf: [{properties: {c: {type: string}}}, {description: x, oneOf: [
         {properties: {a: {type: string}}}, {properties: {b: {type: string}}}]}]}""",
    ],
)
def test_what_the_union_cannot_say_exactly_is_left_to_the_other_rules(
    build: Callable[..., Api], schema: str
) -> None:
    api = build(HEAD + schema + "\n")
    assert api.model("Sub").shared is None
    assert not any(model.name == "SubBase" or model.bases for model in api.models)  # no dead


BODIES = {
    "POST /issues": "return m.PostIssueResponse(results=[m.PostIssueResponseResultsItemOption1("
    "id='1', project='p')])",
    "POST /settings": "return None",
    "POST /pets": "return data",
}


def test_a_generated_server_validates_each_member_with_the_shared_part(tmp_path: Path) -> None:
    package = tmp_path / "shared_api"
    generate(SPEC, package)
    fill_handlers(package, BODIES, imports="from .._generated import models as m")
    app = import_app(package)
    with TestClient(app) as client:
        one = client.post("/issues", json={"id": "1", "project": "p", "kind": "single"})
        assert one.status_code == 200
        assert one.json() == {"results": [{"id": "1", "project": "p"}]}
        assert client.post("/issues", json={"id": "1", "projects": ["a"]}).status_code == 200
        assert client.post("/issues", json={"project": "p"}).status_code == 400  # no shared id
        assert client.post("/issues", json={"id": "1"}).status_code == 400  # no member
        both = {"id": "1", "project": "p", "projects": ["a"]}
        assert client.post("/issues", json=both).status_code == 400  # oneOf: not both
        narrowed = {"id": "1", "project": "p", "kind": "other"}
        assert client.post("/issues", json=narrowed).status_code == 400  # the member's enum
        assert client.post("/issues", json=[1]).status_code == 400
        lognormal = {"type": "lognormal", "median": 3, "fixedDelay": 1.5}
        assert client.post("/settings", json=lognormal).status_code == 204
        assert client.post("/settings", json={"type": "uniform", "lower": 1}).status_code == 204
        assert client.post("/settings", json={"fixedDelay": 1}).status_code == 400  # both match
        bad = {"type": "uniform", "fixedDelay": "slow"}
        assert client.post("/settings", json=bad).status_code == 400  # the shared part's type
        pet = client.post("/pets", json={"name": "Rex", "paws": 4, "wings": 2})  # anyOf: first
        assert pet.status_code == 200 and pet.json() == {"name": "Rex", "paws": 4}
        assert client.post("/pets", json={"name": "Tweety", "wings": 2}).json()["wings"] == 2
        assert client.post("/pets", json={"paws": 4}).status_code == 400  # the $ref part's name
        assert client.post("/pets", json={"name": "Rex", "paws": -1}).status_code == 400
    assert [str(d) for d in diff_specs(load_spec(SPEC).document, app.openapi())] == []
