"""Semantic comparison of OpenAPI documents (on normalised 3.1 documents)."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from specloom.generator.diff import (
    Difference,
    canonical_for_diff,
    diff_documents,
    diff_specs,
    difference_class,
    differences_json,
    escape_pointer,
)
from specloom.generator.loader import load_spec

from .public_specs import DOCUMENTS, public_root, public_spec


def base_doc() -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "Pets", "version": "1"},
        "paths": {
            "/pets": {
                "get": {
                    "operationId": "listPets",
                    "parameters": [
                        {
                            "name": "limit",
                            "in": "query",
                            "schema": {"type": "integer", "maximum": 100},
                        }
                    ],
                    "responses": {
                        "200": {
                            "description": "ok",
                            "headers": {"X-Next": {"schema": {"type": "string"}}},
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "array",
                                        "items": {"$ref": "#/components/schemas/Pet"},
                                    }
                                }
                            },
                        }
                    },
                },
                "post": {
                    "operationId": "createPet",
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}
                        },
                    },
                    "responses": {"201": {"description": "created"}},
                },
            }
        },
        "components": {
            "schemas": {
                "Pet": {
                    "type": "object",
                    "required": ["id", "name"],
                    "properties": {
                        "id": {"type": "integer", "format": "int64"},
                        "name": {"type": "string"},
                        "tag": {"type": ["string", "null"]},
                    },
                }
            }
        },
    }


def test_identical_documents_have_no_differences() -> None:
    assert diff_documents(base_doc(), base_doc()) == []


def test_a_ref_is_its_target_where_it_is_used() -> None:
    other = base_doc()
    pet = other["components"]["schemas"]["Pet"]
    get = other["paths"]["/pets"]["get"]
    get["responses"]["200"]["content"]["application/json"]["schema"]["items"] = copy.deepcopy(pet)
    assert diff_documents(base_doc(), other) == []


def test_component_schemas_are_compared_by_name_used_or_not() -> None:
    """Clients name their classes after components: a renamed, added or dropped one differs."""
    # every use follows the rename: only the name differs
    renamed = json.loads(json.dumps(base_doc()).replace("schemas/Pet", "schemas/Animal"))
    schemas = renamed["components"]["schemas"]
    schemas["Animal"] = schemas.pop("Pet")
    found = {(d.kind, d.pointer) for d in diff_documents(base_doc(), renamed)}
    assert found == {
        ("removed", "/components/schemas/Pet"),
        ("added", "/components/schemas/Animal"),
    }
    unused = base_doc()
    unused["components"]["schemas"]["Unused"] = {"type": "string"}
    (difference,) = diff_documents(base_doc(), unused)
    assert (difference.kind, difference.pointer) == ("added", "/components/schemas/Unused")


def test_what_the_runtime_marks_as_its_own_is_left_out() -> None:
    """Responses and the error schema marked `x-specloom-runtime: true` are the runtime's, not
    the spec's; an unmarked extra response still differs."""
    served = base_doc()
    error = {"type": "object", "x-specloom-runtime": True}
    served["components"]["schemas"]["SpecloomError"] = error
    responses = served["paths"]["/pets"]["get"]["responses"]
    responses["400"] = {
        "description": "runtime",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SpecloomError"}}},
        "x-specloom-runtime": True,
    }
    assert diff_documents(base_doc(), served) == []
    responses["415"] = {"description": "not marked"}
    (difference,) = diff_documents(base_doc(), served)
    assert difference.pointer == "/paths/~1pets/get/responses/415"


def test_no_component_schema_at_all_is_said_three_ways() -> None:
    bare = base_doc()
    del bare["components"]
    empty = {**base_doc(), "components": {"schemas": {}}}
    runtime_only = {
        **base_doc(),
        "components": {"schemas": {"SpecloomError": {"x-specloom-runtime": True}}},
    }
    assert diff_documents(bare, empty) == diff_documents(bare, runtime_only) == []


def test_order_and_implied_defaults_are_ignored() -> None:
    other = base_doc()
    pet = other["components"]["schemas"]["Pet"]
    pet["required"] = ["name", "id"]
    pet["properties"]["tag"]["type"] = ["null", "string"]
    param = other["paths"]["/pets"]["get"]["parameters"][0]
    param.update({"required": False, "style": "form", "explode": True, "deprecated": False})
    other["paths"]["/pets"]["get"]["responses"]["200"]["headers"] = {
        "x-next": {"schema": {"type": "string"}, "required": False}
    }
    assert diff_documents(base_doc(), other) == []


def test_a_parameters_content_schema_is_read_as_a_schema() -> None:
    """A parameter typed by `content` has its schema there: the schema rules apply to it."""

    def with_content(schema: dict[str, Any]) -> dict[str, Any]:
        doc = base_doc()
        doc["paths"]["/pets"]["get"]["parameters"][0] = {
            "name": "q",
            "in": "query",
            "content": {"application/json": {"schema": schema}},
        }
        return doc

    one = with_content({"type": "array", "items": {"enum": ["a", "b"]}})
    other = with_content({"type": ["array"], "items": {"enum": ["b", "a"]}})
    assert diff_documents(one, other) == []
    (difference,) = diff_documents(one, with_content({"type": "array"}))
    assert difference.pointer.endswith("/content/application~1json/schema/items")


def test_a_response_header_named_content_type_is_ignored() -> None:
    """Response Object `headers`: "If a response header is defined with the name
    `Content-Type`, it SHALL be ignored"; a `headers` holding only it is no `headers`."""
    other = base_doc()
    responses = other["paths"]["/pets"]["get"]["responses"]
    responses["200"]["headers"]["Content-Type"] = {"schema": {"type": "string"}}
    responses["200"]["description"] = "ok"
    other["paths"]["/pets"]["post"]["responses"]["201"]["headers"] = {
        "content-type": {"description": "the media type", "schema": {"type": "string"}}
    }
    assert diff_documents(base_doc(), other) == []
    # written empty, `headers: {}` is still compared as written
    other["paths"]["/pets"]["post"]["responses"]["201"]["headers"] = {}
    (difference,) = diff_documents(base_doc(), other)
    assert difference.pointer == "/paths/~1pets/post/responses/201/headers"


def test_removed_operation_is_breaking() -> None:
    other = base_doc()
    del other["paths"]["/pets"]["post"]
    (difference,) = diff_documents(base_doc(), other)
    assert difference.pointer == "/paths/~1pets/post"
    assert difference.kind == "removed"
    assert difference.breaking


def test_added_required_parameter_is_breaking_optional_is_not() -> None:
    other = base_doc()
    params = other["paths"]["/pets"]["get"]["parameters"]
    params.append({"name": "owner", "in": "query", "required": True, "schema": {"type": "string"}})
    params.append({"name": "tag", "in": "query", "schema": {"type": "string"}})
    found = {d.pointer: d for d in diff_documents(base_doc(), other)}
    assert found["/paths/~1pets/get/parameters/query:owner"].breaking
    assert not found["/paths/~1pets/get/parameters/query:tag"].breaking


def test_changed_type_and_constraint_are_reported_with_values() -> None:
    other = base_doc()
    other["paths"]["/pets"]["get"]["parameters"][0]["schema"]["maximum"] = 50
    other["components"]["schemas"]["Pet"]["properties"]["id"]["type"] = "string"
    found = {d.pointer: d for d in diff_documents(base_doc(), other)}
    limit = found["/paths/~1pets/get/parameters/query:limit/schema/maximum"]
    assert (limit.kind, limit.old, limit.new) == ("changed", 100, 50)
    assert "/components/schemas/Pet/properties/id/type" in found
    assert (
        "/paths/~1pets/get/responses/200/content/application~1json/schema/items/properties/id/type"
        in found
    )


def test_removed_response_status_is_breaking() -> None:
    other = base_doc()
    other["paths"]["/pets"]["post"]["responses"] = {"200": {"description": "created"}}
    found = {d.pointer: d for d in diff_documents(base_doc(), other)}
    assert found["/paths/~1pets/post/responses/201"].breaking
    assert not found["/paths/~1pets/post/responses/200"].breaking


def test_recursive_schemas_terminate() -> None:
    doc = base_doc()
    doc["components"]["schemas"]["Node"] = {
        "type": "object",
        "properties": {
            "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}}
        },
    }
    doc["paths"]["/tree"] = {
        "get": {
            "responses": {
                "200": {
                    "description": "tree",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Node"}}
                    },
                }
            }
        }
    }
    assert diff_documents(doc, copy.deepcopy(doc)) == []


def _layers_doc(depth: int) -> dict[str, Any]:
    """/layers answers Layer0, each layer naming the next twice: 2**depth paths to the last."""
    doc = _schema_doc({"$ref": "#/components/schemas/Layer0"})
    schemas = doc["components"]["schemas"]
    for level in range(depth + 1):
        properties: dict[str, Any] = {"name": {"type": "string"}}
        if level < depth:
            following = {"$ref": f"#/components/schemas/Layer{level + 1}"}
            properties.update(left=following, right=dict(following))
        schemas[f"Layer{level}"] = {"type": "object", "properties": properties}
    return doc


def _answer(canonical: dict[str, Any]) -> Any:
    response = canonical["paths"]["/pets"]["get"]["responses"]["200"]
    return response["content"]["application/json"]["schema"]


def test_a_shared_reference_is_inlined_once_and_shared() -> None:
    top = _answer(canonical_for_diff(_layers_doc(3)))
    assert top["properties"]["left"] is top["properties"]["right"]
    assert top["properties"]["left"]["properties"]["left"]["properties"]["name"] == {
        "type": "string"
    }


def test_a_change_below_shared_references_is_found_on_every_path() -> None:
    changed = _layers_doc(3)
    changed["components"]["schemas"]["Layer3"]["properties"]["name"]["type"] = "integer"
    pointers = {d.pointer for d in diff_documents(_layers_doc(3), changed)}
    assert "/components/schemas/Layer3/properties/name/type" in pointers
    inlined = [p for p in pointers if p.startswith("/paths/") and p.endswith("/name/type")]
    assert len(inlined) == 2**3  # left or right at each of three layers


def _expanded(output: Any, node: Any) -> Any:
    """`node` of `differences_json`'s output with each `{"$ref": "#/..."}` into the output
    replaced by the subtree it points to (expanded in turn)."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if len(node) == 1 and isinstance(ref, str) and ref.startswith("#/"):
            target = output
            for token in ref[2:].split("/"):
                token = token.replace("~1", "/").replace("~0", "~")
                target = target[int(token)] if isinstance(target, list) else target[token]
            return _expanded(output, target)
        return {key: _expanded(output, value) for key, value in node.items()}
    if isinstance(node, list):
        return [_expanded(output, item) for item in node]
    return node


def test_json_output_writes_a_shared_subtree_once_and_points_to_it() -> None:
    changed = _layers_doc(3)
    changed["paths"]["/pets"]["get"]["responses"]["200"]["description"] = "Other"
    del changed["paths"]["/pets"]["get"]["responses"]["200"]["content"]
    differences = diff_documents(_layers_doc(3), changed)
    output = json.loads(differences_json(differences))
    assert '"$ref": "#/' in differences_json(differences)  # the layers are shared
    assert _expanded(output, output) == json.loads(json.dumps([d.to_json() for d in differences]))


def test_json_output_stays_as_large_as_the_documents() -> None:
    # 2**60 paths lead to the last layer: written in full, the removed answer would never end
    removed = _layers_doc(60)
    del removed["paths"]["/pets"]["get"]["responses"]["200"]["content"]
    text = differences_json(diff_documents(_layers_doc(60), removed))
    assert len(text) < 200_000
    (answer,) = json.loads(text)
    assert answer["pointer"] == "/paths/~1pets/get/responses/200/content"
    layer = answer["old"]["application/json"]["schema"]["properties"]
    assert layer["right"] == {"$ref": "#/0/old/application~1json/schema/properties/left"}
    assert layer["left"]["properties"]["right"] == {
        "$ref": "#/0/old/application~1json/schema/properties/left/properties/left"
    }


@st.composite
def _shared_values(draw: st.DrawFn) -> Any:
    """A JSON value whose containers may be the same object in several places."""
    leaves = st.none() | st.booleans() | st.integers() | st.text(max_size=3)
    made: list[Any] = []
    for _ in range(draw(st.integers(1, 8))):
        parts = draw(st.lists(leaves | st.sampled_from(made) if made else leaves, max_size=4))
        if draw(st.booleans()):
            made.append(parts)
        else:
            keys = draw(st.lists(st.text(max_size=3), min_size=len(parts), unique=True))
            made.append(dict(zip(keys, parts, strict=False)))
    return made[-1]


@given(old=_shared_values(), new=_shared_values())
def test_json_output_expands_to_the_differences_as_written(old: Any, new: Any) -> None:
    differences = [
        Difference("/a", "changed", old=old, new=new),
        Difference("/b/~1x", "removed", old=new),
        Difference("/c", "added", new=[old, new]),
    ]
    expected = json.loads(json.dumps([d.to_json() for d in differences]))
    output = json.loads(differences_json(differences))
    assert _expanded(output, output) == expected


def _mesh_doc(size: int) -> dict[str, Any]:
    """/pets answers Mesh0, and every mesh schema refers to every other: one cycle of refs."""
    doc = _schema_doc({"$ref": "#/components/schemas/Mesh0"})
    for i in range(size):
        properties = {f"to{j}": {"$ref": f"#/components/schemas/Mesh{j}"} for j in range(size)}
        properties[f"to{i}"] = {"type": "integer"}
        doc["components"]["schemas"][f"Mesh{i}"] = {"type": "object", "properties": properties}
    return doc


def test_a_cycle_of_references_is_inlined_where_entered_and_named_inside() -> None:
    mesh = _answer(canonical_for_diff(_mesh_doc(12)))
    assert mesh["properties"]["to0"] == {"type": "integer"}
    assert mesh["properties"]["to1"] == {"$ref": "Mesh1"}  # inside the cycle: by name
    assert diff_documents(_mesh_doc(12), _mesh_doc(12)) == []


def test_keywords_beside_a_reference_named_in_a_cycle_are_an_allof() -> None:
    """In 3.1 `{$ref: X, type: object}` is `{allOf: [X], type: object}`: inside a cycle, where
    X stays a name, both spellings are the same too."""
    one, other = _mesh_doc(3), _mesh_doc(3)
    sibling = {"type": "object", "description": "to one"}
    one["components"]["schemas"]["Mesh0"]["properties"]["to1"] = {
        "allOf": [{"$ref": "#/components/schemas/Mesh1"}],
        **sibling,
    }
    other["components"]["schemas"]["Mesh0"]["properties"]["to1"] = {
        "$ref": "#/components/schemas/Mesh1",
        **sibling,
    }
    one["openapi"] = other["openapi"] = "3.1.0"
    assert diff_documents(one, other) == []


def test_a_change_inside_a_cycle_of_references_is_found() -> None:
    changed = _mesh_doc(4)
    changed["components"]["schemas"]["Mesh2"]["properties"]["to2"]["type"] = "string"
    pointers = {d.pointer for d in diff_documents(_mesh_doc(4), changed)}
    # in Mesh2 itself, and in each other component, which inlines its first references
    assert pointers == {
        "/components/schemas/Mesh2/properties/to2/type",
        *(f"/components/schemas/Mesh{i}/properties/to2/properties/to2/type" for i in (0, 1, 3)),
    }


def test_a_percent_encoded_ref_is_the_pointer_it_encodes() -> None:
    """A `$ref` is a URI: `%50` in its fragment is `P` (RFC 6901 section 6)."""
    other = base_doc()
    post = other["paths"]["/pets"]["post"]["requestBody"]["content"]["application/json"]
    post["schema"] = {"$ref": "#/components/schemas/%50et"}
    assert diff_documents(base_doc(), other) == []


@given(st.text())
def test_pointer_escaping_round_trips(token: str) -> None:
    escaped = escape_pointer(token)
    assert "/" not in escaped
    assert escaped.replace("~1", "/").replace("~0", "~") == token


def _schema_doc(schema: dict[str, Any]) -> dict[str, Any]:
    """A document whose only operation answers with `schema`."""
    doc = base_doc()
    doc["paths"]["/pets"]["get"]["responses"]["200"]["content"]["application/json"] = {
        "schema": schema
    }
    return doc


@pytest.mark.parametrize(
    ("one", "other"),
    [
        (  # allOf of plain objects is their merge
            {
                "allOf": [
                    {"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]},
                    {"properties": {"b": {"type": "integer"}}},
                ],
                "description": "merged",
            },
            {
                "type": "object",
                "description": "merged",
                "properties": {"a": {"type": "string"}, "b": {"type": "integer"}},
                "required": ["a"],
            },
        ),
        (  # allOf of one schema is that schema with its siblings, when nothing clashes
            {"allOf": [{"type": "string"}], "description": "outer"},
            {"type": "string", "description": "outer"},
        ),
        (  # nullable spellings
            {"anyOf": [{"type": "string", "enum": ["a", "b"]}, {"type": "null"}]},
            {"type": ["string", "null"], "enum": ["a", "b", None]},
        ),
        (  # a default annotates the value, whichever member it is of
            {"anyOf": [{"type": "string", "enum": ["a"]}, {"type": "null"}], "default": None},
            {"type": ["string", "null"], "enum": ["a", None], "default": None},
        ),
        ({"type": "string", "format": "byte"}, {"type": "string", "contentEncoding": "base64"}),
        (  # members of disjoint types: no value matches two, so oneOf is anyOf
            {"oneOf": [{"type": "string", "minLength": 1}, {"type": ["integer", "null"]}]},
            {"anyOf": [{"type": "string", "minLength": 1}, {"type": ["integer", "null"]}]},
        ),
        ({"const": "x"}, {"type": "string", "enum": ["x"]}),
        (  # every JSON type named: no type is excluded
            {"type": ["object", "array", "string", "number", "boolean", "null"], "minimum": 1},
            {"minimum": 1},
        ),
        ({"type": "string", "enum": ["a", "b", "a"]}, {"type": "string", "enum": ["b", "a"]}),
        ({"enum": [1, "one"]}, {"type": ["integer", "string"], "enum": ["one", 1]}),
        ({"type": "array", "items": {}}, {"type": "array"}),
        ({"type": "object", "properties": {}, "additionalProperties": {}}, {"type": "object"}),
        (  # a string keyword under a type that is not a string never applies
            {"type": "array", "items": {"type": "string"}, "minLength": 1, "maximum": 3},
            {"type": "array", "items": {"type": "string"}},
        ),
        (  # a required name no property defines has the schema of extra keys
            {"type": "object", "required": ["a"]},
            {"type": "object", "required": ["a"], "properties": {"a": {}}},
        ),
        (
            {"type": "object", "required": ["a"], "additionalProperties": {"type": "integer"}},
            {
                "type": "object",
                "required": ["a"],
                "properties": {"a": {"type": "integer"}},
                "additionalProperties": {"type": "integer"},
            },
        ),
        (  # required, but extra keys may not be there: that key's schema is `false`
            {"type": "object", "required": ["a"], "additionalProperties": False},
            {
                "type": "object",
                "required": ["a"],
                "properties": {"a": False},
                "additionalProperties": False,
            },
        ),
        (  # every member is an object: so is the union
            {
                "type": "object",
                "anyOf": [{"type": "object", "required": ["a"]}, {"type": "object"}],
            },
            {"anyOf": [{"type": "object", "required": ["a"]}, {"type": "object"}]},
        ),
        (  # allOf: a property declared twice is valid under both declarations
            {
                "allOf": [
                    {"type": "object", "properties": {"a": {"type": "string", "format": "uri"}}},
                    {"properties": {"a": {"type": "string", "enum": ["x"]}}},
                ]
            },
            {
                "type": "object",
                "properties": {"a": {"type": "string", "format": "uri", "enum": ["x"]}},
            },
        ),
        (  # a subtype narrows its base's property; its base's discriminator is the base's own
            {
                "allOf": [
                    {
                        "type": "object",
                        "discriminator": {"propertyName": "a"},
                        "properties": {"a": {"type": ["string", "null"], "description": "it"}},
                    },
                    {"properties": {"a": {"type": "string"}}},
                ]
            },
            {"type": "object", "properties": {"a": {"type": "string", "description": "it"}}},
        ),
        (  # `required` beside a union of objects is each member's
            {
                "oneOf": [
                    {"type": "object", "properties": {"t": {"type": "string"}}},
                    {"type": "object", "properties": {"t": {"enum": ["b"]}}, "required": ["b"]},
                ],
                "required": ["t"],
            },
            {
                "oneOf": [
                    {"type": "object", "properties": {"t": {"type": "string"}}, "required": ["t"]},
                    {
                        "type": "object",
                        "properties": {"t": {"enum": ["b"]}},
                        "required": ["b", "t"],
                    },
                ]
            },
        ),
        (  # anyOf/oneOf: the order of the members says nothing
            {"anyOf": [{"$ref": "#/components/schemas/Pet"}, {"type": "boolean"}]},
            {"anyOf": [{"type": "boolean"}, {"$ref": "#/components/schemas/Pet"}]},
        ),
        (
            {"oneOf": [{"type": "object", "required": ["a"]}, {"type": "array"}]},
            {"oneOf": [{"type": "array"}, {"type": "object", "required": ["a"]}]},
        ),
        (  # allOf: a member that only requires a name defined by another one still merges
            {
                "allOf": [
                    {"type": "object", "properties": {"a": {"type": "string"}}},
                    {"required": ["a"]},
                ]
            },
            {"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]},
        ),
        (  # allOf of untyped objects: their merge, untyped (every part admits non-objects)
            {"allOf": [{"properties": {"a": {}}}, {"required": ["a"]}]},
            {"properties": {"a": {}}, "required": ["a"]},
        ),
        (  # `items: false` beside prefixItems: maxItems (as many as named, or more) says no more
            {"type": "array", "prefixItems": [{"type": "string"}], "items": False, "maxItems": 1},
            {"type": "array", "prefixItems": [{"type": "string"}], "items": False},
        ),
        (  # an empty member admits every instance: the one member left is S with its siblings
            {"allOf": [{}, {"type": "string", "format": "uri"}], "title": "Link"},
            {"type": "string", "format": "uri", "title": "Link"},
        ),
        (  # an anyOf member written twice is one; anyOf or oneOf of one schema is that schema
            {"anyOf": [{"type": "integer", "minimum": 1}] * 2, "title": "Id"},
            {"type": "integer", "minimum": 1, "title": "Id"},
        ),
        ({"oneOf": [{"type": "array", "items": {}}]}, {"type": "array"}),
        (  # the members' type said once beside the allOf leaves one member: folded too
            {"allOf": [{"format": "date-time"}, {}], "type": "string", "description": "When"},
            {"type": "string", "format": "date-time", "description": "When"},
        ),
        (  # anyOf of one schema is that schema
            {"type": "array", "items": {"anyOf": [{"$ref": "#/components/schemas/Pet"}]}},
            {"type": "array", "items": {"$ref": "#/components/schemas/Pet"}},
        ),
        (  # so is oneOf of one, its annotations beside it
            {"oneOf": [{"type": "string"}], "description": "a name"},
            {"type": "string", "description": "a name"},
        ),
        (  # an anyOf member that is an anyOf and nothing else: its members are the outer's
            {
                "anyOf": [
                    {"anyOf": [{"type": "integer", "description": "n"}, {"type": "string"}]},
                    {"type": "null"},
                ]
            },
            {
                "anyOf": [
                    {"type": "integer", "description": "n"},
                    {"type": "null"},
                    {"type": "string"},
                ]
            },
        ),
        (  # anyOf of bare types is the list of those types
            {"anyOf": [{"type": "integer"}, {"anyOf": [{"type": "string"}, {"type": "null"}]}]},
            {"type": ["integer", "null", "string"]},
        ),
        (  # `items` beside a union is its array member's; a string member has no items
            {
                "items": {"type": "string"},
                "oneOf": [{"type": "array", "items": {}}, {"type": "string"}],
            },
            {"oneOf": [{"type": "array", "items": {"type": "string"}}, {"type": "string"}]},
        ),
    ],
)
def test_spellings_of_one_schema_are_equivalent(one: Any, other: Any) -> None:
    assert diff_documents(_schema_doc(one), _schema_doc(other)) == []


def test_a_nullable_one_of_of_types_is_their_list_with_null() -> None:
    """3.0's `{oneOf: [string, integer], nullable: true}`, as a union of three types is
    documented (GitHub writes it for a milestone: a number or a name)."""
    written = _schema_doc({"oneOf": [{"type": "string"}, {"type": "integer"}], "nullable": True})
    written["openapi"] = "3.0.3"
    assert diff_specs(written, _schema_doc({"type": ["integer", "null", "string"]})) == []
    documented = {"oneOf": [{"type": "string"}, {"type": "integer", "description": "n"}]}
    written = _schema_doc({**documented, "nullable": True})
    written["openapi"] = "3.0.3"
    members = [{"type": "integer", "description": "n"}, {"type": "null"}, {"type": "string"}]
    assert diff_specs(written, _schema_doc({"anyOf": members})) == []


@pytest.mark.parametrize(
    ("one", "other"),
    [
        (  # a keyword beside the inner anyOf applies to its members only
            {"anyOf": [{"anyOf": [{"type": "string"}], "maxLength": 2}, {"type": "null"}]},
            {"type": ["null", "string"]},
        ),
        (  # exactly one of the inner oneOf's: an integer is a number too
            {"oneOf": [{"oneOf": [{"type": "integer"}, {"type": "number"}]}, {"type": "string"}]},
            {"type": ["integer", "number", "string"]},
        ),
    ],
)
def test_unions_that_differ_are_not_flattened_alike(one: Any, other: Any) -> None:
    assert diff_documents(_schema_doc(one), _schema_doc(other)) != []


def test_an_example_named_default_is_an_example_object_its_ref_inlined() -> None:
    """In a map of Example Objects every key is a name, `default` and `value` too."""

    def doc(example: dict[str, Any], value: Any) -> dict[str, Any]:
        result = _schema_doc({"type": "array", "items": {"type": "integer"}})
        content = result["paths"]["/pets"]["get"]["responses"]["200"]["content"]
        content["application/json"]["examples"] = {"default": example, "value": example}
        result["components"]["examples"] = {"items": {"value": value}}
        return result

    referred = doc({"$ref": "#/components/examples/items"}, [1, 2])
    assert diff_documents(referred, doc({"value": [1, 2]}, [1, 2])) == []
    assert diff_documents(referred, doc({"value": [1, 3]}, [1, 2])) != []


def test_max_items_below_the_prefix_items_still_counts() -> None:
    tuple_ = {"type": "array", "prefixItems": [{"type": "string"}] * 2, "items": False}
    assert diff_documents(_schema_doc(tuple_), _schema_doc({**tuple_, "maxItems": 1})) != []


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ({"type": "string", "minLength": 1}, {"type": "string"}),  # it applies: kept
        ({"minLength": 1}, {}),  # no type: a string may come, so it may apply
        ({"type": ["array", "string"], "maxLength": 2}, {"type": ["array", "string"]}),
        (  # nothing satisfies a required name that extra keys may not have: not the same
            {"type": "object", "required": ["a"], "additionalProperties": False},
            {"type": "object", "additionalProperties": False},
        ),
        ({"type": "integer", "maximum": 3}, {"type": "integer"}),  # integers are numbers
        (  # an integer is a number: both members may match, so oneOf is not anyOf
            {"oneOf": [{"type": "number"}, {"type": "integer"}]},
            {"anyOf": [{"type": "number"}, {"type": "integer"}]},
        ),
        (  # two objects may both match
            {"oneOf": [{"type": "object", "required": ["a"]}, {"type": "object"}]},
            {"anyOf": [{"type": "object", "required": ["a"]}, {"type": "object"}]},
        ),
        (  # a member of no declared type may be anything
            {"oneOf": [{"type": "string"}, {"minimum": 1}]},
            {"anyOf": [{"type": "string"}, {"minimum": 1}]},
        ),
        (  # properties without `type` admit any non-object: `type: object` says something
            {"properties": {"a": {"type": "string"}}},
            {"type": "object", "properties": {"a": {"type": "string"}}},
        ),
        (  # so does an allOf of such parts, merged
            {"allOf": [{"properties": {"a": {}}}, {"properties": {"b": {}}}]},
            {"type": "object", "properties": {"a": {}, "b": {}}},
        ),
        (  # a discriminator beside an allOf is a base type's: it picks no member of a oneOf
            {
                "discriminator": {"propertyName": "kind"},
                "allOf": [{"oneOf": [{"type": "object"}, {"type": "string"}]}],
            },
            {
                "discriminator": {"propertyName": "kind"},
                "oneOf": [{"type": "object"}, {"type": "string"}],
            },
        ),
        (  # a oneOf member written twice matches every instance twice: none is valid
            {"oneOf": [{"type": "string"}] * 2},
            {"type": "string"},
        ),
        (  # a discriminator picks among a oneOf's members: one member stays a oneOf
            {"oneOf": [{"type": "object"}], "discriminator": {"propertyName": "kind"}},
            {"type": "object", "discriminator": {"propertyName": "kind"}},
        ),
        (  # a member may be a string: `type: object` says something
            {"type": "object", "oneOf": [{"type": "object"}, {"type": "string"}]},
            {"oneOf": [{"type": "object"}, {"type": "string"}]},
        ),
        (  # a member of no declared type may be an array: `items` beside it says something
            {"items": {"type": "string"}, "anyOf": [{"type": "array"}, {"minimum": 1}]},
            {"anyOf": [{"type": "array", "items": {"type": "string"}}, {"minimum": 1}]},
        ),
        (  # an array member with items of its own: both apply, not one in place of the other
            {"items": {"type": "string"}, "anyOf": [{"type": "array", "items": {"minLength": 1}}]},
            {"anyOf": [{"type": "array", "items": {"type": "string"}}]},
        ),
        (  # one member twice: no value is valid by exactly one of them
            {"oneOf": [{"type": "string"}, {"type": "string"}]},
            {"oneOf": [{"type": "string"}]},
        ),
        (  # a single member whose annotation clashes with the one beside it
            {"anyOf": [{"type": "string", "description": "inner"}], "description": "outer"},
            {"type": "string", "description": "outer"},
        ),
    ],
)
def test_keywords_that_may_apply_stay_different(one: Any, other: Any) -> None:
    assert diff_documents(_schema_doc(one), _schema_doc(other)) != []


@pytest.mark.parametrize(
    ("one", "other"),
    [
        (  # both descriptions apply: neither wins
            {"allOf": [{"type": "string", "description": "inner"}], "description": "outer"},
            {"type": "string", "description": "outer"},
        ),
        (  # a member's own annotation is part of the merge
            {"allOf": [{"type": "object", "readOnly": True}, {"type": "object"}]},
            {"type": "object"},
        ),
        (  # a default is documentation a client uses, wherever it is
            {"type": "array", "items": {"type": "string", "default": "x"}},
            {"type": "array", "items": {"type": "string"}},
        ),
        ({"type": "string", "description": ""}, {"type": "string"}),  # empty is a value
        (  # the one member left keeps its own description beside the outer one
            {"allOf": [{}, {"type": "string", "description": "inner"}], "description": "outer"},
            {"type": "string", "description": "outer"},
        ),
        (  # a property declared twice with two descriptions: both apply, neither wins
            {
                "allOf": [
                    {"type": "object", "properties": {"a": {"description": "any"}}},
                    {"properties": {"a": {"type": "string", "description": "this one"}}},
                ]
            },
            {"type": "object", "properties": {"a": {"type": "string", "description": "this one"}}},
        ),
    ],
)
def test_annotations_are_compared_as_written(one: Any, other: Any) -> None:
    assert diff_documents(_schema_doc(one), _schema_doc(other)) != []


def test_no_content_statuses_and_raw_string_bodies_are_compared() -> None:
    """HTTP sends no content with a 204, but a document that describes some says something."""

    def doc(status: str, content: dict[str, Any]) -> dict[str, Any]:
        result = base_doc()
        result["paths"]["/pets"]["post"]["responses"] = {
            status: {"description": "done", "content": content}
        }
        return result

    json_body = {"application/json": {"schema": {"type": "string"}}}
    assert diff_documents(doc("204", json_body), doc("204", {})) != []
    raw = {"image/png": {"schema": {"type": "string"}}}
    assert diff_documents(doc("200", raw), doc("200", {"image/png": {}})) != []
    assert (
        diff_documents(doc("200", {"image/png": {"schema": {}}}), doc("200", {"image/png": {}}))
        == []
    )


def test_an_allof_that_is_not_a_plain_merge_stays_different() -> None:
    closed = {
        "allOf": [
            {"type": "object", "properties": {"a": {"type": "string"}}},
            {"type": "object", "additionalProperties": False},
        ]
    }
    merged = {"type": "object", "properties": {"a": {"type": "string"}}}
    assert diff_documents(_schema_doc(closed), _schema_doc(merged)) != []
    clashing = {  # a property declared as two different types: not one schema
        "allOf": [
            {"type": "object", "properties": {"a": {"type": "string"}}},
            {"properties": {"a": {"type": "integer"}}},
        ]
    }
    one = {"type": "object", "properties": {"a": {"type": "integer"}}}
    assert diff_documents(_schema_doc(clashing), _schema_doc(one)) != []


def test_a_property_default_is_compared_required_or_not() -> None:
    def pet(default: bool, required: bool) -> dict[str, Any]:
        prop: dict[str, Any] = {"type": "string", **({"default": "x"} if default else {})}
        return {"type": "object", "properties": {"a": prop}, "required": ["a"] if required else []}

    assert diff_documents(_schema_doc(pet(True, True)), _schema_doc(pet(False, True))) != []
    assert diff_documents(_schema_doc(pet(True, False)), _schema_doc(pet(False, False))) != []


def test_binary_content_spellings_are_compared() -> None:
    def doc(schema: dict[str, Any]) -> dict[str, Any]:
        result = base_doc()
        result["paths"]["/pets"]["get"]["responses"]["200"]["content"] = {
            "image/png": {"schema": schema}
        }
        return result

    binary = doc({"type": "string", "format": "binary"})
    assert diff_documents(binary, doc({"type": "string", "contentMediaType": "image/png"})) != []
    assert diff_documents(binary, doc({"type": "integer"})) != []


def test_root_security_and_servers_are_each_operations() -> None:
    root = base_doc()
    root["security"] = [{"key": []}]
    root["paths"]["/pets"]["servers"] = [{"url": "https://pets.example.com"}]
    explicit = base_doc()
    for op in explicit["paths"]["/pets"].values():
        op["security"] = [{"key": []}]
        op["servers"] = [{"url": "https://pets.example.com"}]
    assert diff_documents(root, explicit) == []
    explicit["paths"]["/pets"]["post"]["security"] = []
    (difference,) = diff_documents(root, explicit)
    assert difference.pointer == "/paths/~1pets/post/security"


def test_reused_components_compare_where_they_are_used() -> None:
    shared = base_doc()
    shared["components"]["parameters"] = {"Limit": shared["paths"]["/pets"]["get"]["parameters"][0]}
    shared["paths"]["/pets"]["get"]["parameters"] = [{"$ref": "#/components/parameters/Limit"}]
    assert diff_documents(base_doc(), shared) == []
    # a callback too: the section says nothing of its own, its use is where it is used
    callback = {"{$request.query.cb}": {"post": {"responses": {"200": {"description": "ok"}}}}}
    inline = base_doc()
    inline["paths"]["/pets"]["get"]["callbacks"] = {"done": callback}
    referred = copy.deepcopy(inline)
    referred["components"]["callbacks"] = {"Done": callback}
    referred["paths"]["/pets"]["get"]["callbacks"] = {
        "done": {"$ref": "#/components/callbacks/Done"}
    }
    assert diff_documents(inline, referred) == []


def test_ignored_header_parameters_say_nothing_but_empty_descriptions_do() -> None:
    other = base_doc()
    get = other["paths"]["/pets"]["get"]
    get["parameters"].append({"name": "Accept", "in": "header", "schema": {"type": "string"}})
    assert diff_documents(base_doc(), other) == []
    get["summary"] = ""
    (difference,) = diff_documents(base_doc(), other)
    assert difference.pointer == "/paths/~1pets/get/summary"


def test_discriminator_mappings_name_their_schema() -> None:
    def union(target: str) -> dict[str, Any]:
        return {
            "oneOf": [{"$ref": "#/components/schemas/Pet"}],
            "discriminator": {"propertyName": "name", "mapping": {"pet": target}},
        }

    one = _schema_doc(union("Pet"))
    assert diff_documents(one, _schema_doc(union("#/components/schemas/Pet"))) == []
    implicit = _schema_doc({**union("Pet"), "discriminator": {"propertyName": "name"}})
    assert diff_documents(implicit, one) != []  # no mapping: tagged `Pet`, not `pet`
    named = _schema_doc({**union("Pet"), "discriminator": {"propertyName": "name"}})
    explicit = {"propertyName": "name", "mapping": {"Pet": "#/components/schemas/Pet"}}
    assert diff_documents(named, _schema_doc({**union("Pet"), "discriminator": explicit})) == []


def _every_type(**branches: dict[str, Any]) -> list[dict[str, Any]]:
    """One branch per JSON type, in order; `branches` replaces some (by type name)."""
    kinds = ("object", "array", "string", "number", "boolean", "null")
    return [branches.get(kind, {"type": kind}) for kind in kinds]


@pytest.mark.parametrize(
    ("one", "other"),
    [
        (  # keywords of one type apply to that type only: the others are any value of theirs
            {
                "anyOf": _every_type(
                    object={"type": "object", "additionalProperties": {"type": "integer"}}
                )
            },
            {"additionalProperties": {"type": "integer"}},
        ),
        (  # disjoint branches: oneOf is anyOf; each type brings its keywords; outer ones stay
            {
                "oneOf": _every_type(
                    string={"type": "string", "minLength": 2, "format": "date-time"},
                    number={"type": "number", "minimum": 0},
                    array={"type": "array", "items": {"type": "string"}},
                ),
                "description": "loose",
            },
            {
                "minLength": 2,
                "format": "date-time",
                "minimum": 0,
                "items": {"type": "string"},
                "description": "loose",
            },
        ),
        ({"anyOf": _every_type()}, {}),  # every type, unconstrained: anything
    ],
)
def test_one_branch_per_json_type_is_one_untyped_schema(one: Any, other: Any) -> None:
    assert diff_documents(_schema_doc(one), _schema_doc(other)) == []


@pytest.mark.parametrize(
    "branches",
    [
        _every_type()[:-1],  # null is missing
        [*_every_type()[:3], {"type": "integer"}, *_every_type()[4:]],  # integers only
        _every_type(string={"type": ["string", "null"]}),  # a branch of two types
        _every_type(string={"type": "string", "minimum": 1}),  # a keyword on the wrong branch
        _every_type(number={"type": "number", "format": "date-time"}),  # a format, too
        _every_type(string={"type": "string", "format": "custom"}),  # a format of no known type
        _every_type(string={"type": "string", "enum": ["a"]}),  # not a keyword of one type
        [*_every_type(), {"type": "string", "minLength": 1}],  # two branches of one type
    ],
)
def test_branches_that_are_not_one_per_json_type_stay_a_union(
    branches: list[dict[str, Any]],
) -> None:
    merged = {key: value for b in branches for key, value in b.items() if key != "type"}
    assert diff_documents(_schema_doc({"anyOf": branches}), _schema_doc(merged)) != []


def _ref_sibling_doc(version: str) -> dict[str, Any]:
    return {
        "openapi": version,
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "components": {
            "schemas": {
                "Name": {"type": "string"},
                "Pet": {
                    "type": "object",
                    "properties": {"name": {"$ref": "#/components/schemas/Name", "maxLength": 3}},
                },
            }
        },
    }


def test_ref_siblings_are_ignored_before_3_1_and_apply_from_3_1() -> None:
    plain = _ref_sibling_doc("3.1.0")
    del plain["components"]["schemas"]["Pet"]["properties"]["name"]["maxLength"]
    assert diff_specs(_ref_sibling_doc("3.0.3"), {**plain, "openapi": "3.0.3"}) == []
    found = diff_specs(_ref_sibling_doc("3.1.0"), plain)
    assert found != [], "in 3.1 maxLength beside $ref constrains the property"
    bounded = _ref_sibling_doc("3.1.0")
    bounded["components"]["schemas"]["Pet"]["properties"]["name"] = {
        "type": "string",
        "maxLength": 3,
    }
    assert diff_specs(_ref_sibling_doc("3.1.0"), bounded) == []


def test_extensions_are_compared_as_written() -> None:
    def swagger(extra: dict[str, Any]) -> dict[str, Any]:
        return {
            "swagger": "2.0",
            "info": {"title": "t", "version": "1"},
            "paths": {},
            "definitions": {
                "Pet": {"type": "object", "properties": {"a": {"type": "string", **extra}}}
            },
        }

    nullable = {"type": ["string", "null"]}
    found = diff_specs(swagger({"x-nullable": True}), swagger({}))
    assert [(d.kind, d.pointer.rsplit("/", 1)[-1]) for d in found] == [("removed", "x-nullable")]
    as_type = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "components": {"schemas": {"Pet": {"type": "object", "properties": {"a": nullable}}}},
    }
    assert diff_specs(swagger({"x-nullable": True}), as_type) != []


def test_refs_in_extensions_and_data_are_compared_as_written() -> None:
    """A `$ref` inside an extension or an example is data, not a Reference Object."""
    codes = {"type": "integer", "enum": [1, 2]}

    def doc(target: str) -> dict[str, Any]:
        other = base_doc()
        pet = other["components"]["schemas"]["Pet"]
        pet["properties"]["id"]["x-codes"] = {"$ref": f"#/components/schemas/{target}"}
        pet["examples"] = [{"$ref": f"#/components/schemas/{target}"}]
        other["components"]["schemas"].update(Codes=codes, Same=dict(codes))
        return other

    assert diff_documents(doc("Codes"), doc("Codes")) == []
    found = {
        d.pointer.split("/Pet/", 1)[-1]
        for d in diff_documents(doc("Codes"), doc("Same"))
        if d.pointer.startswith("/components/")
    }
    assert found == {"properties/id/x-codes/$ref", "examples/0/$ref"}


def test_properties_named_like_keywords_are_properties() -> None:
    """In a map of names, `$ref`, `default` and `x-id` are names: their schemas are resolved."""

    def doc(ref_named: Any, x_named: Any) -> dict[str, Any]:
        other = base_doc()
        pet = other["components"]["schemas"]["Pet"]
        pet["properties"].update({"$ref": ref_named, "x-id": x_named, "default": x_named})
        other["components"]["schemas"]["Id"] = {"type": "integer"}
        return other

    by_ref = doc({"type": "string"}, {"$ref": "#/components/schemas/Id"})
    inline = doc({"type": "string"}, {"type": "integer"})
    assert diff_documents(by_ref, inline) == []
    found = diff_documents(by_ref, doc({"type": "number"}, {"type": "integer"}))
    assert {d.pointer for d in found if d.pointer.startswith("/components/")} == {
        "/components/schemas/Pet/properties/$ref/type"
    }


def test_identical_public_documents_have_no_differences() -> None:
    for relative in DOCUMENTS:
        document = load_spec(public_spec(relative), spec_root=public_root(relative)).document
        assert diff_specs(document, copy.deepcopy(document)) == [], relative


@given(st.data())
def test_an_injected_difference_is_found(data: st.DataObject) -> None:
    """Any change of an annotation, default or extension of a real document's schema is found
    (a validation keyword may not apply to the schema's type, which the judge knows)."""
    document = load_spec(public_spec(DOCUMENTS[10])).document  # Redocly's museum: 3.1
    changed = copy.deepcopy(document)
    schemas = sorted(changed["components"]["schemas"])
    name = data.draw(st.sampled_from(schemas))
    key = data.draw(st.sampled_from(["title", "description", "x-internal", "default"]))
    value = data.draw(st.one_of(st.integers(0, 9), st.text(max_size=3), st.booleans()))
    target = changed["components"]["schemas"][name]
    if target.get(key) == value:
        return
    target[key] = value
    found = diff_specs(document, changed)
    assert any(d.pointer.startswith(f"/components/schemas/{name}") for d in found)


@pytest.mark.parametrize(
    ("pointer", "expected"),
    [
        ("/components/schemas/Pets", "removed components/schemas: schemas/*"),
        ("/components/schemas/Pet/properties/name", "removed components/schemas: properties/*"),
        (
            "/paths/~1a/get/responses/200/content/application~1json/schema/default",
            "removed paths: default",
        ),
        (
            "/paths/~1a/get/requestBody/content/a~1b/schema/properties/content/type",
            "removed paths: type",
        ),
        ("/paths/~1a", "removed paths: paths/*"),
        ("/info/description", "removed info: description"),
        ("", "removed : (document)"),
    ],
)
def test_a_difference_class_takes_the_writers_names_out(pointer: str, expected: str) -> None:
    assert difference_class(Difference(pointer, "removed")) == expected


def test_an_optional_parameters_null_is_its_absence() -> None:
    def doc(schema: dict[str, Any], where: str = "query") -> dict[str, Any]:
        result = base_doc()
        parameter = {"name": "limit", "in": where, "schema": schema}
        if where == "path":
            parameter["required"] = True
        result["paths"]["/pets"]["get"]["parameters"] = [parameter]
        return result

    nullable = {"type": ["string", "null"], "enum": ["a", None], "default": None}
    assert diff_documents(doc(nullable), doc({"type": "string", "enum": ["a"]})) == []
    assert diff_documents(doc({"type": "null"}), doc({})) != []  # nothing but null: kept
    assert diff_documents(doc(nullable, "path"), doc({"type": "string", "enum": ["a"]}, "path"))


_NAMED = {"type": "object", "description": "named", "properties": {"n": {"type": "string"}}}
_OTHER = {"description": "other", "properties": {"o": {"type": "string"}}}


@pytest.mark.parametrize(
    ("one", "other"),
    [
        (  # members in another order
            {"allOf": [_NAMED, {"type": "object", "properties": {"a": {"type": "string"}}}]},
            {"allOf": [{"type": "object", "properties": {"a": {"type": "string"}}}, _NAMED]},
        ),
        (  # plain members split otherwise, and keywords beside the allOf as one more member
            {
                "description": "d",
                "allOf": [
                    _NAMED,
                    {"properties": {"a": {"type": "string"}}},
                    {"required": ["n"]},
                ],
                "properties": {"b": {"type": "integer"}},
            },
            {
                "description": "d",
                "allOf": [
                    _NAMED,
                    {
                        "properties": {"a": {"type": "string"}, "b": {"type": "integer"}},
                        "required": ["n"],
                    },
                ],
            },
        ),
        (  # a member's type applies to the instance: said once is said
            {"allOf": [_NAMED, {"type": "object", "properties": {"a": {"type": "string"}}}]},
            {"allOf": [_NAMED, {"properties": {"a": {"type": "string"}}}]},
        ),
        (  # a member that is an allOf is its members, its annotations beside
            {
                "allOf": [
                    {"description": "inner", "type": "object", "allOf": [_NAMED, _OTHER]},
                    {"properties": {"a": {"type": "string"}}},
                ]
            },
            {
                "description": "inner",
                "type": "object",
                "allOf": [_NAMED, _OTHER, {"properties": {"a": {"type": "string"}}}],
            },
        ),
    ],
)
def test_kept_allof_spellings_are_equal(one: Any, other: Any) -> None:
    assert diff_documents(_schema_doc(one), _schema_doc(other)) == []


@pytest.mark.parametrize(
    ("one", "other"),
    [
        (  # another member
            {"allOf": [_NAMED, {"properties": {"a": {"type": "string"}}}]},
            {"allOf": [_NAMED, {"properties": {"a": {"type": "integer"}}}]},
        ),
        (  # additionalProperties sees its own member's properties only
            {"allOf": [_NAMED, {"properties": {"a": {}}, "additionalProperties": False}]},
            {"allOf": [_NAMED, {"properties": {"a": {}}}], "additionalProperties": False},
        ),
        (  # no member says the type
            {"allOf": [{"description": "x"}, {"properties": {"a": {}}}]},
            {"allOf": [{"description": "x"}, {"type": "object", "properties": {"a": {}}}]},
        ),
        (  # an inner allOf's description beside another: both apply, the nesting stays
            {"description": "outer", "allOf": [{"description": "inner", "allOf": [_NAMED]}]},
            {"description": "outer", "allOf": [_NAMED]},
        ),
    ],
)
def test_kept_allof_differences_are_found(one: Any, other: Any) -> None:
    assert diff_documents(_schema_doc(one), _schema_doc(other)) != []


def test_kept_allof_members_are_paired_by_best_match() -> None:
    """One differing member is one difference, at that member: the others are not compared
    with their neighbours because a sorted position moved (allOf is order-independent)."""
    first = {"description": "a base", "properties": {"id": {"type": "integer"}}}
    second = {"description": "the own part", "properties": {"x": {"type": "string"}}}
    changed = {**second, "description": "another text"}
    one = {"allOf": [first, second]}
    other = {"allOf": [changed, first]}
    (difference,) = diff_documents(_schema_doc(one), _schema_doc(other))
    assert difference.pointer.endswith("/allOf/1/description")
    assert (difference.old, difference.new) == ("the own part", "another text")
    third = {"description": "third", "minProperties": 1}
    (added,) = diff_documents(_schema_doc(one), _schema_doc({"allOf": [third, first, second]}))
    assert added.kind == "added" and added.new == third


def test_documents_of_any_mapping_compare_as_their_dicts() -> None:
    """The comparison reads plain dicts inside; a document of other Mappings (read-only views,
    examples included) is compared as the same data."""
    from types import MappingProxyType

    def frozen(value: Any) -> Any:
        if isinstance(value, dict):
            return MappingProxyType({key: frozen(item) for key, item in value.items()})
        if isinstance(value, list):
            return [frozen(item) for item in value]
        return value

    other = base_doc()
    pet = other["components"]["schemas"]["Pet"]
    pet["examples"] = [{"id": 1}]
    pet["properties"]["id"]["type"] = "string"
    expected = [str(d) for d in diff_documents(base_doc(), other)]
    assert expected
    assert [str(d) for d in diff_documents(frozen(base_doc()), frozen(other))] == expected
