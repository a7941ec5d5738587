"""The judge's passes over a document: what they share, copy and leave alone."""

from __future__ import annotations

import copy
import random
from typing import Any

from specloom.generator.diff import diff_specs
from specloom.generator.diff._references import _Resolver
from specloom.generator.diff._schemas import _member_mappings
from specloom.generator.graphs import strong_components
from specloom.generator.normalize import normalize_document

_SWAGGER = {
    "swagger": "2.0",
    "info": {"title": "t", "version": "1"},
    "paths": {
        "/pets": {
            "get": {
                "x-data": {"$ref": "#/definitions/Pet", "k": [1, {"a": "b"}]},
                "responses": {
                    "200": {
                        "description": "ok",
                        "schema": {"$ref": "#/definitions/Pet", "description": "ignored"},
                        "examples": {"application/json": {"id": 1}},
                    }
                },
            }
        }
    },
    "definitions": {
        "Pet": {
            "type": "object",
            "properties": {"id": {"type": "integer", "x-nullable": True}},
            "example": {"id": 2},
            "discriminator": "id",
        }
    },
}
_OPENAPI_30 = {
    "openapi": "3.0.3",
    "info": {"title": "t", "version": "1"},
    "paths": {},
    "components": {
        "schemas": {
            "Pet": {
                "oneOf": [
                    {"$ref": "#/components/schemas/Cat"},
                    {"$ref": "#/components/schemas/Dog"},
                ],
                "discriminator": {"propertyName": "kind", "mapping": {"c": "Cat"}},
                "nullable": True,
            },
            "Cat": {"type": "object", "example": {"kind": "c"}},
            "Dog": {"$ref": "#/components/schemas/Cat", "description": "ignored in 3.0"},
        }
    },
}


def test_diff_leaves_the_documents_it_compares_unchanged() -> None:
    """The copy normalising rewrites is the judge's own, data and extensions included."""
    for document in (_SWAGGER, _OPENAPI_30, {**_OPENAPI_30, "openapi": "3.1.0"}):
        old, new = copy.deepcopy(document), copy.deepcopy(document)
        new["info"]["version"] = "2"
        found = diff_specs(old, new)
        assert [(d.pointer, d.kind) for d in found] == [("/info/version", "changed")]
        assert old == document
        assert new == {**document, "info": {**document["info"], "version": "2"}}


def test_a_document_of_the_callers_own_is_normalised_as_its_copy_would_be() -> None:
    for document in (_SWAGGER, _OPENAPI_30):
        copied = normalize_document(copy.deepcopy(document), extensions_as_written=True)
        owned = normalize_document(copy.deepcopy(document), extensions_as_written=True, owned=True)
        assert owned.document == copied.document
        assert owned.warnings == copied.warnings


def test_parts_without_a_discriminator_are_themselves_and_the_input_is_unchanged() -> None:
    document = copy.deepcopy(_OPENAPI_30)
    explicit = _member_mappings(document)
    assert document == _OPENAPI_30
    schemas = explicit["components"]["schemas"]
    assert schemas["Cat"] is document["components"]["schemas"]["Cat"]
    assert schemas["Pet"] is not document["components"]["schemas"]["Pet"]
    assert schemas["Pet"]["discriminator"]["mapping"] == {"c": "(member 0)", "Dog": "(member 1)"}


def _graph(rng: random.Random, size: int) -> dict[str, Any]:
    names = [f"S{i}" for i in range(size)]
    schemas = {
        name: {
            "properties": {
                f"p{j}": {"$ref": f"#/components/schemas/{rng.choice(names)}"}
                for j in range(rng.randint(0, 2))
            }
        }
        for name in names
    }
    return {"openapi": "3.1.0", "components": {"schemas": schemas}}


def test_a_reference_cycle_is_found_from_the_references_met() -> None:
    """Each reference's cycle, found from it alone, is its component in the whole graph."""
    rng = random.Random(5)
    for _ in range(200):
        document = _graph(rng, rng.randint(1, 12))
        refs = [f"#/components/schemas/{name}" for name in document["components"]["schemas"]]
        edges = {
            ref: [p["$ref"] for p in schema["properties"].values()]
            for ref, schema in zip(refs, document["components"]["schemas"].values(), strict=True)
        }
        whole = {m: frozenset(c) for c in strong_components(edges, edges) for m in c}
        resolver = _Resolver(document)
        for ref in rng.sample(refs, len(refs)):
            assert resolver.cycle(ref) == whole[ref]
