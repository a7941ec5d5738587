"""Normalisation to canonical OpenAPI 3.1: 2.0 and 3.0 upgrades, defaults, idempotence."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from specloom.generator.errors import SpecError, SpecWarning
from specloom.generator.loader import load_spec
from specloom.generator.normalize import normalize_document, normalize_spec


def _load(path: Path) -> dict[str, Any]:
    return load_spec(path).document


def test_swagger2_structure(fixtures: Path) -> None:
    doc = normalize_spec(_load(fixtures / "swagger2_upload.yaml"))
    assert doc["openapi"] == "3.1.0"
    assert "swagger" not in doc and "definitions" not in doc
    assert doc["servers"] == [
        {"url": "https://api.example.com/v1"},
        {"url": "http://api.example.com/v1"},
    ]
    components = doc["components"]
    assert sorted(components) == [
        "parameters",
        "requestBodies",
        "responses",
        "schemas",
        "securitySchemes",
    ]
    assert components["parameters"]["pageParam"] == {
        "name": "page",
        "in": "query",
        "schema": {"type": "integer", "minimum": 1},
    }
    assert components["securitySchemes"] == {
        "basic": {"type": "http", "scheme": "basic"},
        "key": {"type": "apiKey", "name": "X-Key", "in": "header"},
        "oauth": {
            "type": "oauth2",
            "flows": {
                "authorizationCode": {
                    "scopes": {"read": "read things"},
                    "authorizationUrl": "https://example.com/auth",
                    "tokenUrl": "https://example.com/token",
                }
            },
        },
    }
    assert components["responses"]["NotFound"]["content"] == {
        "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
    }


def test_swagger2_operations(fixtures: Path) -> None:
    doc = normalize_spec(_load(fixtures / "swagger2_upload.yaml"))
    items = doc["paths"]["/items"]
    tags, ids = items["get"]["parameters"][1:]
    assert tags == {
        "name": "tags",
        "in": "query",
        "schema": {"type": "array", "items": {"type": "string"}},
    }  # multi == form + explode: the 3.x default, so dropped
    assert ids["style"] == "pipeDelimited" and "explode" not in ids  # False: the default
    header = items["get"]["responses"]["200"]["headers"]["X-Rate-Limit"]
    assert header == {"description": "calls left", "schema": {"type": "integer"}}
    assert items["get"]["responses"]["404"] == {"$ref": "#/components/responses/NotFound"}
    assert items["post"]["requestBody"] == {"$ref": "#/components/requestBodies/bodyParam"}
    upload = doc["paths"]["/items/{id}/upload"]["post"]
    assert upload["parameters"] == [
        {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
    ]
    form = upload["requestBody"]["content"]["multipart/form-data"]["schema"]
    assert form["properties"]["file"] == {
        "type": "string",
        "format": "binary",
        "description": "the file",
    }
    assert form["required"] == ["file"] and upload["requestBody"]["required"] is True
    binary = upload["responses"]["200"]["content"]["application/octet-stream"]["schema"]
    assert binary == {"type": "string", "format": "binary"}


def test_swagger2_schemas(fixtures: Path) -> None:
    schemas = normalize_spec(_load(fixtures / "swagger2_upload.yaml"))["components"]["schemas"]
    item = schemas["Item"]["properties"]
    # read as nullable; the extension itself stays, documented as written, and the marker
    # tells the runtime the extension alone says the null
    marker = {"x-specloom-null": "x-nullable"}
    assert item["size"] == {"type": ["integer", "null"], "x-nullable": True, **marker}
    assert item["kind"] == {
        "type": ["string", "null"],
        "enum": ["a", "b", None],
        "x-nullable": True,
        **marker,
    }
    # beside a 2.0 `$ref` the extension is read, but not served (2.0 ignores it there)
    assert item["owner"] == {
        "anyOf": [{"$ref": "#/components/schemas/Error"}, {"type": "null"}],
        **marker,
    }
    assert normalize_spec(_load(fixtures / "swagger2_upload.yaml")) == normalize_spec(
        normalize_spec(_load(fixtures / "swagger2_upload.yaml"))
    )
    as_written = normalize_spec(
        _load(fixtures / "swagger2_upload.yaml"), extensions_as_written=True
    )["components"]["schemas"]["Item"]["properties"]
    assert as_written["size"] == {"type": "integer", "x-nullable": True}
    assert schemas["Error"]["discriminator"] == {"propertyName": "code"}
    assert schemas["Error"]["properties"]["message"] == {"type": "string", "examples": ["oops"]}


def test_openapi30_upgrades(fixtures: Path) -> None:
    doc = normalize_spec(_load(fixtures / "nullable30.yaml"))
    thing = doc["components"]["schemas"]["Thing"]["properties"]
    assert thing["name"] == {"type": ["string", "null"], "examples": ["x"]}
    assert thing["other"] == {
        "anyOf": [{"allOf": [{"$ref": "#/components/schemas/Thing"}]}, {"type": "null"}]
    }
    assert thing["anything"] == {"description": "free"}
    op = doc["paths"]["/things"]["get"]
    # path-level parameters are merged into the operation; defaults dropped
    assert [p["name"] for p in op["parameters"]] == ["q", "limit"]
    assert "parameters" not in doc["paths"]["/things"]
    assert op["parameters"][1] == {
        "name": "limit",
        "in": "query",
        "schema": {"type": "integer", "exclusiveMinimum": 0, "maximum": 100},
    }


def test_path_item_refs_and_overrides() -> None:
    doc = {
        "openapi": "3.0.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/a": {
                "parameters": [{"name": "x", "in": "query", "schema": {"type": "string"}}],
                "get": {
                    "parameters": [{"name": "x", "in": "query", "schema": {"type": "integer"}}],
                    "responses": {"2xx": {"description": "ok"}},
                },
            },
            "/b": {"$ref": "#/paths/~1a", "summary": "same as a"},
        },
    }
    out = normalize_spec(doc)
    assert out["paths"]["/b"]["summary"] == "same as a"
    assert out["paths"]["/b"]["get"] == out["paths"]["/a"]["get"]
    assert out["paths"]["/a"]["get"]["parameters"] == [
        {"name": "x", "in": "query", "schema": {"type": "integer"}}
    ]
    assert list(out["paths"]["/a"]["get"]["responses"]) == ["2XX"]


def test_input_is_not_modified_and_output_is_deterministic(fixtures: Path) -> None:
    doc = _load(fixtures / "swagger2_upload.yaml")
    before = copy.deepcopy(doc)
    first = normalize_spec(doc)
    assert doc == before
    assert normalize_spec(copy.deepcopy(before)) == first


@pytest.mark.parametrize(
    "name", ["swagger2_upload.yaml", "nullable30.yaml", "composition.yaml", "responses.yaml"]
)
def test_idempotent(fixtures: Path, name: str) -> None:
    once = normalize_spec(_load(fixtures / name))
    assert normalize_spec(once) == once


def test_moves_and_warnings() -> None:
    doc = {
        "swagger": "2.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/a": {
                "get": {
                    "parameters": [
                        {"name": "q", "in": "query", "type": "array", "collectionFormat": "tsv"}
                    ],
                    "responses": {"200": {"description": "ok", "schema": {"type": "string"}}},
                }
            }
        },
    }
    result = normalize_document(doc)
    assert result.moves["/paths/~1a/get/parameters/0"] == "/paths/~1a/get/parameters/0"
    schema_move = "/paths/~1a/get/responses/200/content/application~1json/schema"
    assert result.moves[schema_move] == "/paths/~1a/get/responses/200/schema"
    assert result.warnings[0].message.startswith("collectionFormat 'tsv'")
    warnings: list[SpecWarning] = []
    normalize_spec(doc, warnings=warnings)
    assert len(warnings) == 1


def test_unresolvable_and_external_refs_are_errors() -> None:
    doc = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "components": {"schemas": {"A": {"$ref": "#/components/schemas/B"}}},
    }
    with pytest.raises(SpecError, match="unresolvable") as info:
        normalize_spec(doc)
    assert info.value.pointer == "/components/schemas/A"
    doc["components"]["schemas"]["A"] = {"$ref": "other.yaml#/B"}
    with pytest.raises(SpecError, match="load_spec"):
        normalize_spec(doc)
    with pytest.raises(SpecError):
        normalize_spec({"info": {}})


def test_swagger2_refs_into_moved_values_follow_them() -> None:
    """A 2.0 `$ref` inside a response's schema (moved under `content`), its fragment
    percent-encoded; a `%` in a rewritten pointer stays encoded, so it decodes once."""
    word = "#/paths/~1word~1%7Bid%7D/get/responses/200/schema/properties"
    doc = normalize_spec(
        {
            "swagger": "2.0",
            "info": {"title": "t", "version": "1"},
            "produces": ["application/json"],
            "paths": {
                "/word/{id}": {
                    "get": {
                        "responses": {
                            "200": {
                                "description": "a word",
                                "schema": {"properties": {"text": {"type": "string"}}},
                            },
                            "201": {"description": "a copy", "schema": {"$ref": word + "/text"}},
                            "202": {
                                "description": "a price",
                                "schema": {"$ref": "#/definitions/50%25off"},
                            },
                        }
                    }
                }
            },
            "definitions": {"50%off": {"type": "number"}},
        }
    )
    responses = doc["paths"]["/word/{id}"]["get"]["responses"]
    moved = "/paths/~1word~1{id}/get/responses/200/content/application~1json/schema"
    assert responses["201"]["content"]["application/json"]["schema"] == {
        "$ref": f"#{moved}/properties/text"
    }
    assert responses["202"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/50_off"  # `%` is no character of a 3.x component key
    }


def test_swagger2_definition_names_3x_refuses_are_renamed_and_refs_follow() -> None:
    """Components Object: keys match `^[a-zA-Z0-9.\\-_]+$`; 2.0 allowed any name."""
    warnings: list[SpecWarning] = []
    source = {
        "swagger": "2.0",
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "definitions": {
            "A[B]": {"properties": {"c": {"type": "string"}}},
            "A_B_": {"properties": {"d": {"$ref": "#/definitions/A%5BB%5D/properties/c"}}},
            "x/y": {"items": {"$ref": "#/definitions/x~1y"}},
        },
    }
    result = normalize_document(source)
    schemas = result.document["components"]["schemas"]
    assert list(schemas) == ["A_B__2", "A_B_", "x_y"]
    assert schemas["A_B_"]["properties"]["d"] == {
        "$ref": "#/components/schemas/A_B__2/properties/c"
    }
    assert schemas["x_y"]["items"] == {"$ref": "#/components/schemas/x_y"}
    assert result.moves["/components/schemas/x_y"] == "/definitions/x~1y"
    assert [w.pointer for w in result.warnings] == ["/definitions/A[B]", "/definitions/x~1y"]
    assert normalize_spec(result.document, warnings=warnings) == result.document and not warnings


@pytest.mark.parametrize(("version", "ignored"), [("2.0", True), ("3.0.3", True), ("3.1.0", False)])
def test_keys_beside_a_schema_ref_are_read_as_the_version_says(version: str, ignored: bool) -> None:
    """2.0/3.0: a Reference Object takes no other key ("SHALL be ignored"); 3.1 applies them."""
    schemas = {
        "A": {"type": "string"},
        "B": {
            "type": "object",
            "properties": {
                "a": {"$ref": "#/components/schemas/A", "description": "d", "readOnly": True},
                "b": {"$ref": "#/components/schemas/A", "nullable": True},
            },
        },
    }
    doc: dict[str, Any] = {"info": {"title": "t", "version": "1"}, "paths": {}}
    if version == "2.0":
        doc |= {"swagger": version, "definitions": copy.deepcopy(schemas)}
        for prop in doc["definitions"]["B"]["properties"].values():
            prop["$ref"] = "#/definitions/A"
    else:
        doc |= {"openapi": version, "components": {"schemas": schemas}}
    result = normalize_document(doc)
    props = result.document["components"]["schemas"]["B"]["properties"]
    if ignored:
        assert props == {"a": {"$ref": "#/components/schemas/A"}, "b": props["b"]}
        assert props["b"] == {"$ref": "#/components/schemas/A"}
        assert result.ignored_siblings["/components/schemas/B/properties/a"]["description"] == "d"
        (warning,) = result.warnings  # once per document, whatever the number of places
        assert "at 2 place(s)" in warning.message and "readOnly" in warning.message
    else:
        assert props["a"]["description"] == "d" and props["a"]["readOnly"] is True
        assert not result.ignored_siblings and not result.warnings
