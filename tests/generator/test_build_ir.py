"""The whole front end: the public corpus, stable names, errors, random schemas, timing."""

from __future__ import annotations

import copy
import json
import keyword
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from specloom.generator.build_ir import build_ir, parse
from specloom.generator.errors import SpecError
from specloom.generator.ir import Api, Operation
from specloom.generator.loader import load_spec, resolve_pointer
from specloom.generator.normalize import normalize_spec
from specloom.generator.walk import HTTP_METHODS

from .materialize import check_decodable
from .public_specs import DOCUMENTS, public_root, public_spec, spec_id

IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
JIRA = "APIs-guru__openapi-directory/APIs/atlassian.com/jira/1001.0.0-SNAPSHOT/openapi.yaml"


def _all_operations(operations: tuple[Operation, ...]) -> Iterator[Operation]:
    for op in operations:
        yield op
        yield from _all_operations(op.callbacks)


def identifiers(api: Api) -> Iterator[str]:
    """Every identifier the IR gives to the renderer."""
    for model in api.models:
        yield model.name
        yield from (f.name for f in model.fields)
        yield from (m.name for m in model.enum_members)
    for op in _all_operations(api.operations + api.webhooks):
        yield op.python_name
        yield from (p.python_name for p in op.parameters)
        if op.body is not None:
            yield op.body.python_name
        for response in op.responses:
            yield from (h.python_name for h in response.headers)
    yield from (t.module for t in api.tags)
    yield from (s.python_name for s in api.security_schemes)


def check_identifiers(api: Api) -> None:
    for name in identifiers(api):
        assert IDENTIFIER.match(name), name
        assert not keyword.iskeyword(name) and not keyword.issoftkeyword(name), name
    for scope in (
        [m.name for m in api.models],
        [op.python_name for op in _all_operations(api.operations + api.webhooks)],
        [t.module for t in api.tags],
    ):
        assert len(scope) == len(set(scope))
    for model in api.models:
        assert len({f.name for f in model.fields}) == len(model.fields)
    for op in api.operations:
        assert len({p.python_name for p in op.parameters} | {"data"}) == len(op.parameters) + 1


def raw_operation_count(doc: dict[str, Any], section: str) -> int:
    """Operations as written: methods of each path item (local path-item refs followed)."""
    count = 0
    for item in (doc.get(section) or {}).values():
        if isinstance(item, dict) and isinstance(item.get("$ref"), str):
            item = resolve_pointer(doc, item["$ref"][1:])
        count += sum(isinstance(item.get(m), dict) for m in HTTP_METHODS)
    return count


@pytest.mark.parametrize("document", DOCUMENTS, ids=spec_id)
def test_public_corpus(document: str) -> None:
    loaded = load_spec(public_spec(document), spec_root=public_root(document))
    normalized = normalize_spec(loaded.document)
    assert normalize_spec(normalized) == normalized
    assert json.loads(json.dumps(normalized)) == normalized  # plain JSON data
    api = build_ir(loaded.document, positions=loaded.source_map, warnings=loaded.warnings)
    raw = loaded.document
    assert len(api.operations) == raw_operation_count(raw, "paths")
    assert len(api.webhooks) == raw_operation_count(raw, "webhooks")
    paths = {(op.path, op.method) for op in api.operations}
    assert paths == {
        (path, method)
        for path, item in (raw.get("paths") or {}).items()
        for method in HTTP_METHODS
        if isinstance(item, dict) and method in item
    }
    check_identifiers(api)
    check_decodable(api)
    for warning in api.warnings:
        assert warning.pointer.startswith("/") and warning.file is not None, warning
        print(warning)


def test_jira_loads_normalises_and_builds_every_operation() -> None:
    """How long this takes is measured in benchmarks/ (scale_bench.py), never here."""
    loaded = load_spec(public_spec(JIRA))
    normalized = normalize_spec(loaded.document)
    api = build_ir(loaded.document, positions=loaded.source_map, warnings=loaded.warnings)
    assert len(normalized["paths"]) == 274 and len(api.operations) == 422


SPEC = {
    "openapi": "3.0.3",
    "info": {"title": "t", "version": "1"},
    "paths": {
        "/pets": {
            "get": {
                "parameters": [{"name": "status", "in": "query", "schema": {"enum": ["a", "b"]}}],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {
                                        "pets": {
                                            "type": "array",
                                            "items": {"$ref": "#/components/schemas/Pet"},
                                        }
                                    },
                                }
                            }
                        },
                    }
                },
            }
        }
    },
    "components": {
        "schemas": {
            "Pet": {"type": "object", "properties": {"name": {"type": "string"}}},
            "pet": {"type": "string"},
        }
    },
}


def _names(api: Api) -> dict[str, Any]:
    return {
        "models": {m.pointer: m.name for m in api.models},
        "fields": {(m.pointer, f.wire_name): f.name for m in api.models for f in m.fields},
        "operations": {op.pointer: op.python_name for op in api.operations},
        "params": {
            (op.pointer, p.name): p.python_name for op in api.operations for p in op.parameters
        },
    }


def test_unrelated_additions_rename_nothing() -> None:
    before = _names(build_ir(SPEC))
    assert before["models"] == {
        "/components/schemas/Pet": "Pet",
        "/components/schemas/pet": "Pet2",
        "/paths/~1pets/get/parameters/0/schema": "GetPetsStatus",
        "/paths/~1pets/get/responses/200/content/application~1json/schema": "GetPetsResponse",
    }
    bigger = copy.deepcopy(SPEC)
    bigger["components"]["schemas"] = {
        "Aardvark": {"type": "object", "properties": {"x": {"type": "integer"}}},
        **bigger["components"]["schemas"],
        "Zebra": {"type": "string", "enum": ["z"]},
    }
    bigger["paths"] = {
        "/aardvarks": {"get": {"responses": {"200": {"description": "ok"}}}},
        **bigger["paths"],
    }
    bigger["paths"]["/pets"]["post"] = {"responses": {"201": {"description": "ok"}}}
    after = _names(build_ir(bigger))
    for scope, names in before.items():
        assert {k: after[scope][k] for k in names} == names


def test_names_do_not_depend_on_document_order() -> None:
    shuffled = copy.deepcopy(SPEC)
    schemas = shuffled["components"]["schemas"]
    shuffled["components"]["schemas"] = dict(reversed(list(schemas.items())))
    assert _names(build_ir(shuffled)) == _names(build_ir(SPEC))


def test_errors_carry_file_line_and_pointer(fixtures: Path) -> None:
    with pytest.raises(SpecError) as info:
        parse(fixtures / "badref.yaml", source_name="spec.yaml")
    assert str(info.value).startswith("spec.yaml:12:17: #/paths/~1pets/get/responses/200")
    doc = copy.deepcopy(SPEC)
    doc["paths"]["/pets"]["get"]["responses"]["200"] = {"$ref": "#/components/responses/Nope"}
    with pytest.raises(SpecError) as info:
        build_ir(doc)
    assert str(info.value) == (
        "#/paths/~1pets/get/responses/200: unresolvable $ref '#/components/responses/Nope'"
    )


def test_warnings_are_located_through_normalisation(fixtures: Path) -> None:
    text = (fixtures / "swagger2_upload.yaml").read_text().replace("format: int32", "format: int33")
    api = build_ir(load_spec(text, source_name="s.yaml").document, positions=None)
    (warning,) = [w for w in api.warnings if "int33" in w.message]
    assert warning.pointer == "/components/schemas/Error/properties/code"
    loaded = load_spec(text, source_name="s.yaml")
    api = build_ir(loaded.document, positions=loaded.source_map)
    (warning,) = [w for w in api.warnings if "int33" in w.message]
    # the 2.0 definition moved to components/schemas; the line is still the one written
    assert warning.file == "s.yaml" and warning.line is not None
    assert text.splitlines()[warning.line - 1].strip() == "code: {type: integer, format: int33}"


_names_st = st.sampled_from(["a", "b", "from", "16x16", "A", "x-y", "用户", "type"])
_scalars = st.sampled_from(
    [
        {"type": "string"},
        {"type": "integer", "minimum": 1},
        {"type": "number", "format": "double"},
        {"type": "boolean"},
        {"type": "string", "format": "date-time"},
        {"type": "string", "enum": ["a", "A", "b"]},
        {"enum": [1, "x", None]},
        {"type": ["string", "null"]},
        {"const": 3},
        {"$ref": "#/components/schemas/S0"},
        {"$ref": "#/components/schemas/S1"},
        {},
        {"nullable": True, "type": "integer"},
        {"type": "string", "pattern": "(unclosed"},
    ]
)


def _schemas(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    properties = st.dictionaries(_names_st, children, max_size=3)
    return st.one_of(
        st.builds(lambda p: {"type": "object", "properties": p}, properties),
        st.builds(lambda i: {"type": "array", "items": i}, children),
        st.builds(lambda v: {"type": "object", "additionalProperties": v}, children),
        st.builds(lambda m: {"oneOf": m}, st.lists(children, max_size=3)),
        st.builds(lambda m: {"anyOf": m}, st.lists(children, max_size=3)),
        st.builds(lambda m: {"allOf": m}, st.lists(children, max_size=3)),
        st.builds(
            lambda m, p: {"oneOf": m, "discriminator": {"propertyName": p}},
            st.lists(children, max_size=3),
            _names_st,
        ),
    )


_schema_st = st.recursive(_scalars, _schemas, max_leaves=8)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_schema_st, min_size=2, max_size=4))
def test_random_schemas_never_crash(schemas: list[Any]) -> None:
    doc = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/x/{id}": {
                "post": {
                    "parameters": [{"name": "id", "in": "path", "schema": schemas[0]}],
                    "requestBody": {"content": {"application/json": {"schema": schemas[1]}}},
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {"application/json": {"schema": schemas[-1]}},
                        }
                    },
                }
            }
        },
        "components": {"schemas": {f"S{i}": s for i, s in enumerate(schemas)}},
    }
    api = build_ir(doc)
    assert len(api.operations) == 1
    check_identifiers(api)
    check_decodable(api)
    assert build_ir(doc) == api  # deterministic


def test_build_is_robust_to_junk(build: Callable[..., Api]) -> None:
    api = build("""\
openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /a: 5
  /b:
    get: 7
  /c/{x:
    get:
      parameters: [3, {name: q}]
      responses: []
""")
    assert [(op.path, op.routable) for op in api.operations] == [("/b", True), ("/c/{x", False)]
    assert len(api.warnings) >= 4


_JUNK_KEYS = [
    "type",
    "properties",
    "items",
    "$ref",
    "enum",
    "allOf",
    "oneOf",
    "get",
    "name",
    "in",
    "schema",
    "responses",
    "content",
    "required",
]
_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda children: st.lists(children, max_size=3)
    | st.dictionaries(
        st.sampled_from(_JUNK_KEYS),
        children,
        max_size=4,
    ),
    max_leaves=12,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_json, _json)
def test_junk_documents_never_crash(paths: Any, schemas: Any) -> None:
    doc = {
        "openapi": "3.0.0",
        "info": {"title": "t", "version": "1"},
        "paths": {"/p/{id}": paths},
        "components": {"schemas": {"S": schemas}},
    }
    try:
        api = build_ir(doc)
    except SpecError:
        return  # e.g. a `$ref` that points nowhere: a located error, not a crash
    check_identifiers(api)
