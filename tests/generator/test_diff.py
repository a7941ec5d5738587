"""Semantic comparison of OpenAPI documents (on normalised 3.1 documents)."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from specloom.generator.diff import diff_documents, escape_pointer


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


def test_refs_inlined_and_renamed_components_are_equivalent() -> None:
    other = base_doc()
    pet = other["components"]["schemas"].pop("Pet")
    other["components"]["schemas"]["Animal"] = pet
    get = other["paths"]["/pets"]["get"]
    get["responses"]["200"]["content"]["application/json"]["schema"]["items"] = copy.deepcopy(pet)
    other["paths"]["/pets"]["post"]["requestBody"]["content"]["application/json"]["schema"] = {
        "$ref": "#/components/schemas/Animal"
    }
    assert diff_documents(base_doc(), other) == []


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


@given(st.text())
def test_pointer_escaping_round_trips(token: str) -> None:
    escaped = escape_pointer(token)
    assert "/" not in escaped
    assert escaped.replace("~1", "/").replace("~0", "~") == token
