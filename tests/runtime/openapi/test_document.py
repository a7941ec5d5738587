"""The document: top-level fields from OpenAPIConfig, caching, and the routes that serve it."""

from __future__ import annotations

import msgspec
import pytest
import yaml

from specloom.runtime import App, get, post
from specloom.runtime.exceptions import ImproperlyConfiguredException
from specloom.runtime.openapi import OpenAPIConfig, Redoc, SwaggerUI
from specloom.runtime.testing import TestClient

from .helpers import validated


class Pet(msgspec.Struct):
    id: int


@get("/pets")
def list_pets() -> list[Pet]:
    return []


@post("/pet-added")
def pet_added(data: Pet) -> None:
    """A pet was added."""


def test_default_document() -> None:
    document = validated(App([list_pets]))
    assert document["openapi"] == "3.1.0"
    assert document["info"] == {"title": "specloom API", "version": "1.0.0"}
    assert list(document["paths"]) == ["/pets"]


def test_config_top_level_fields() -> None:
    config = OpenAPIConfig(
        title="Pet store",
        version="2.0.0",
        summary="Pets",
        description="All about pets",
        terms_of_service="https://example.com/tos",
        contact={"name": "Ops", "email": "ops@example.com"},
        license={"name": "MIT", "identifier": "MIT"},
        servers=[{"url": "https://api.example.com"}],
        tags=["pets", {"name": "admin", "description": "Admin only"}],
        security=[{"key": []}],
        external_docs={"url": "https://example.com/docs"},
        json_schema_dialect="https://spec.openapis.org/oas/3.1/dialect/base",
        webhooks={"petAdded": pet_added},
        components={"securitySchemes": {"key": {"type": "apiKey", "name": "k", "in": "header"}}},
        extensions={"x-audience": "public"},
    )
    document = validated(App([list_pets], openapi_config=config))
    assert document["info"] == {
        "title": "Pet store",
        "summary": "Pets",
        "description": "All about pets",
        "termsOfService": "https://example.com/tos",
        "contact": {"name": "Ops", "email": "ops@example.com"},
        "license": {"name": "MIT", "identifier": "MIT"},
        "version": "2.0.0",
    }
    assert document["servers"] == [{"url": "https://api.example.com"}]
    assert document["tags"] == [{"name": "pets"}, {"name": "admin", "description": "Admin only"}]
    assert document["security"] == [{"key": []}]
    assert document["externalDocs"] == {"url": "https://example.com/docs"}
    assert document["jsonSchemaDialect"] == "https://spec.openapis.org/oas/3.1/dialect/base"
    assert document["x-audience"] == "public"
    webhook = document["webhooks"]["petAdded"]["post"]
    assert webhook["description"] == "A pet was added."
    assert webhook["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Pet"
    }


def test_extension_keys_must_be_vendor_keys() -> None:
    with pytest.raises(ImproperlyConfiguredException):
        OpenAPIConfig(extensions={"audience": 1})


def test_document_is_built_once_and_returned_as_a_copy() -> None:
    app = App([list_pets])
    first = app.openapi()
    first["info"]["title"] = "changed"
    assert app.openapi()["info"]["title"] == "specloom API"


def test_served_json_yaml_and_pages() -> None:
    app = App([list_pets])
    with TestClient(app) as client:
        as_json = client.get("/schema/openapi.json")
        as_yaml = client.get("/schema/openapi.yaml")
        page = client.get("/schema")
        pages = {ui: client.get(f"/schema/{ui}") for ui in ("swagger", "redoc", "scalar")}
    assert as_json.status_code == 200
    assert as_json.headers["content-type"] == "application/vnd.oai.openapi+json"
    assert as_json.json() == app.openapi()
    assert yaml.safe_load(as_yaml.text) == app.openapi()
    assert "&id" not in as_yaml.text  # no YAML anchors
    assert page.headers["content-type"].startswith("text/html")
    assert "swagger-ui" in page.text and "/schema/openapi.json" in page.text
    assert "<redoc" in pages["redoc"].text
    assert "api-reference" in pages["scalar"].text
    assert "/schema" not in app.openapi()["paths"]
    assert len(app.compiled_handlers) == 1


def test_configurable_path_ui_and_assets() -> None:
    config = OpenAPIConfig(
        path="/docs",
        ui="redoc",
        redoc=Redoc(js_url="/static/redoc.js"),
        swagger_ui=SwaggerUI(js_url="/static/swagger.js", css_url="/static/swagger.css"),
    )
    with TestClient(App([list_pets], openapi_config=config)) as client:
        page = client.get("/docs")
        swagger = client.get("/docs/swagger")
        assert client.get("/schema").status_code == 404
        assert client.get("/docs/openapi.json").status_code == 200
    assert '<script src="/static/redoc.js">' in page.text
    assert 'spec-url="/docs/openapi.json"' in page.text
    assert "/static/swagger.css" in swagger.text


@pytest.mark.parametrize("config", [None, OpenAPIConfig(path=None)])
def test_schema_routes_can_be_disabled(config: OpenAPIConfig | None) -> None:
    app = App([list_pets], openapi_config=config)
    with TestClient(app) as client:
        assert client.get("/schema/openapi.json").status_code == 404
    assert list(validated(app)["paths"]) == ["/pets"]


def test_an_app_route_at_the_schema_path_wins() -> None:
    @get("/schema")
    def own() -> str:
        return "mine"

    with TestClient(App([own])) as client:
        assert client.get("/schema").text == "mine"
        assert client.get("/schema/openapi.json").status_code == 200


def test_empty_values_given_are_documented_as_given() -> None:
    """An empty string, object or list given to the config is written, not dropped."""
    config = OpenAPIConfig(
        description="",
        contact={},
        servers=[{"url": "https://api.example.com", "variables": {}}],
        tags=[],
        security=[],
        components={"schemas": {}, "x-reviewed": True},
    )
    document = validated(App([list_pets], openapi_config=config))
    assert document["info"] == {
        "title": "specloom API",
        "description": "",
        "contact": {},
        "version": "1.0.0",
    }
    assert document["servers"] == [{"url": "https://api.example.com", "variables": {}}]
    assert document["tags"] == []
    assert document["security"] == []
    assert list(document["components"]["schemas"]) == ["Pet"]  # what the handlers add
    assert document["components"]["x-reviewed"] is True
    bare = validated(App([], openapi_config=OpenAPIConfig(components={"schemas": {}})))
    assert bare["components"] == {"schemas": {}}
    assert "tags" not in validated(App([list_pets])) and "servers" not in bare


@get("/items/{name:str}", operation_id="itemByName", description="by name")
def item_by_name(name: str) -> str:
    return name


@get("/items/{id:int}", operation_id="itemById")
def item_by_id(id: int) -> int:
    return id


def test_unrouted_handlers_are_documented_not_routed() -> None:
    """`unrouted`: documented under their own path and method; no route serves them."""
    config = OpenAPIConfig(unrouted=[item_by_name])
    app = App([item_by_id], openapi_config=config)
    document = validated(app)
    assert set(document["paths"]) == {"/items/{id}", "/items/{name}"}
    assert document["paths"]["/items/{name}"]["get"]["operationId"] == "itemByName"
    assert document["paths"]["/items/{name}"]["get"]["parameters"][0]["name"] == "name"
    with TestClient(app) as client:
        assert client.get("/items/7").json() == 7
        assert client.get("/items/abc").status_code in (400, 404)
