"""Component names survive the round trip: every named schema, used or not, by its own name.

API clients generate their classes from these names: the served document has exactly the
input's, neither one missing (unused, aliases, names no class can hold) nor one added (the
classes the generator names for inline schemas are written inline again).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from specloom.generator.diff import diff_specs
from specloom.generator.generate import generate
from specloom.generator.loader import load_spec
from specloom.generator.naming import component_keys
from specloom.runtime.openapi.runtime_answers import ERROR_COMPONENT, RUNTIME_MARK
from specloom.runtime.testing import TestClient

from .served import fill_handlers, import_app

FIXTURES = Path(__file__).parent / "fixtures"


def _names(document: dict[str, Any]) -> set[str]:
    """The component schema names of a document (`definitions` in Swagger 2.0), but the
    runtime's own error schema (marked: what the server answers on its own)."""
    if "definitions" in document and "components" not in document:
        return set(document["definitions"])
    schemas = document.get("components", {}).get("schemas", {})
    return {name for name, schema in schemas.items() if not schema.get(RUNTIME_MARK)}


@pytest.mark.parametrize("fixture", ["component_names.yaml", "component_names_swagger2.yaml"])
def test_the_served_component_names_are_the_specs(fixture: str, tmp_path: Path) -> None:
    spec = FIXTURES / fixture
    package = tmp_path / f"names_{fixture.split('.')[0]}"
    generate(spec, package)
    served = import_app(package).openapi()
    assert _names(served) == _names(load_spec(spec).document)
    schemas = served["components"]["schemas"]
    assert [name for name in schemas if name not in _names(served)] == [ERROR_COMPONENT]


def test_aliases_inline_classes_and_dotted_names_are_generated_as_such(tmp_path: Path) -> None:
    package = tmp_path / "names_models"
    generate(FIXTURES / "component_names.yaml", package)
    models = (package / "_generated" / "models.py").read_text()
    assert 'Pets: TypeAlias = Annotated[list[Pet], component("pets")]' in models
    assert '@component_name("messaging.v1.error")\nclass MessagingV1Error(' in models
    assert "@inline_schema\nclass PetKind(StrEnum):" in models
    assert "@inline_schema\nclass AddPetBody(msgspec.Struct" in models
    assert '@component_name("grade")\n@nullable_component\nclass Grade(' in models
    routes = (package / "_generated" / "routes.py").read_text()
    assert "models.UnusedV1Owner," in routes  # documented though no operation uses it
    served = import_app(package).openapi()
    schemas = served["components"]["schemas"]
    assert schemas["petName"] == {"type": "string", "maxLength": 64, "description": "A pet's name"}
    assert schemas["unused.v1.owner"]["properties"]["pets"] == {"$ref": "#/components/schemas/pets"}
    assert schemas["pet"]["properties"]["kind"] == {"type": "string", "enum": ["cat", "dog"]}
    assert schemas["grade"] == {"type": ["string", "null"], "enum": ["a", "b", None]}


def test_inline_and_named_classes_decode_as_before(tmp_path: Path) -> None:
    package = tmp_path / "names_served"
    generate(FIXTURES / "component_names.yaml", package)
    fill_handlers(package, {"POST /pets": "return data.pet", "GET /pets": "return []"})
    app = import_app(package)
    with TestClient(app) as client:
        pet = {"name": "Rex", "kind": "dog", "tags": {"a": "b"}, "grade": None}
        added = client.post("/pets", json={"pet": pet})
        assert (added.status_code, added.json()) == (201, pet)
        assert client.post("/pets", json={"pet": {**pet, "kind": "cow"}}).status_code == 400
        assert client.post("/pets", json={"pet": {"name": "x" * 65}}).status_code == 400
        assert client.get("/pets", params={"status": "sold"}).json() == []
        assert client.get("/pets", params={"status": "lost"}).status_code == 400


_RECURSIVE = """\
openapi: 3.1.0
info: {title: Recursive inline, version: "1"}
paths:
  /tree:
    get:
      responses:
        "200":
          description: a tree
          content:
            application/json:
              schema:
                type: object
                properties:
                  label: {type: string}
                  children:
                    type: array
                    items:
                      $ref: "#/paths/~1tree/get/responses/200/content/application~1json/schema"
components:
  schemas:
    Leaf:
      type: object
      properties:
        value: {type: integer}
"""


def test_an_inline_schema_that_contains_itself_is_a_component_with_a_warning(
    tmp_path: Path,
) -> None:
    spec = tmp_path / "recursive.yaml"
    spec.write_text(_RECURSIVE)
    result = generate(spec, tmp_path / "names_recursive")
    (warning,) = [w for w in result.warnings if "inline schema served as component" in w.message]
    assert "contains itself" in warning.message
    assert warning.pointer == "/paths/~1tree/get/responses/200/content/application~1json/schema"
    served = import_app(tmp_path / "names_recursive").openapi()
    (added,) = _names(served) - {"Leaf"}
    children = served["components"]["schemas"][added]["properties"]["children"]
    assert children["items"] == {"$ref": f"#/components/schemas/{added}"}


_SWAGGER_NAMES = """\
swagger: "2.0"
info: {title: Names Swagger 2.0 allowed, version: "1"}
paths:
  /items:
    get:
      produces: [application/json]
      responses:
        "200":
          description: ok
          schema: {$ref: "#/definitions/Item[Attribute]"}
definitions:
  Item[Attribute]:
    type: object
    properties:
      name: {type: string}
  Item_Attribute_:
    type: object
    properties:
      value: {type: integer}
"""


def test_a_name_openapi_3_refuses_is_served_normalized_with_a_warning(tmp_path: Path) -> None:
    spec = tmp_path / "swagger_names.yaml"
    spec.write_text(_SWAGGER_NAMES)
    result = generate(spec, tmp_path / "names_swagger")
    (warning,) = [w for w in result.warnings if "not one OpenAPI 3 allows" in w.message]
    assert "'Item[Attribute]'" in warning.message
    assert "served as 'Item_Attribute__2'" in warning.message  # the valid name keeps its own
    served = import_app(tmp_path / "names_swagger").openapi()
    assert _names(served) == {"Item_Attribute_", "Item_Attribute__2"}
    answer = served["paths"]["/items"]["get"]["responses"]["200"]["content"]["application/json"]
    assert answer["schema"] == {"$ref": "#/components/schemas/Item_Attribute__2"}


def test_definition_names_openapi_3_refuses_are_renamed_by_the_one_rule(tmp_path: Path) -> None:
    """The 2.0 upgrade renames them (`naming.component_keys`, document order), `$ref`s with
    them; each rename is reported where the name is written, and the judge reads the input
    the same way, so the round trip is exact."""
    spec = FIXTURES / "component_keys_swagger2.yaml"
    result = generate(spec, tmp_path / "names_keys")
    renamed = [w for w in result.warnings if "not one OpenAPI 3 allows" in w.message]
    given = load_spec(spec).document["definitions"]
    assert [w.pointer for w in renamed] == [
        "/definitions/Ref (of Bundle)",
        "/definitions/Ref_(of_Bundle)",
        "/definitions/Item[Attribute]",
        "/definitions/blazemeter\\Model\\ApiResponse",
        "/definitions/pets~1v1",
    ]
    assert all(w.line is not None for w in renamed)
    served = import_app(tmp_path / "names_keys").openapi()
    keys = component_keys(given)
    assert _names(served) == {keys.get(name, name) for name in given}
    schema = served["paths"]["/bundles"]["get"]["responses"]["200"]["content"]
    refs = {k: v["$ref"] for k, v in schema["application/json"]["schema"]["properties"].items()}
    assert refs == {
        "bundle": "#/components/schemas/Ref__of_Bundle_",
        "plain": "#/components/schemas/Ref__of_Bundle__2",
        "item": "#/components/schemas/Item_Attribute__2",
        "answer": "#/components/schemas/blazemeter_Model_ApiResponse",
        "pet": "#/components/schemas/pets_v1",
    }
    assert diff_specs(load_spec(spec).document, served) == []
