"""Operations: identity and documentation, parameters and request bodies from signatures."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec

from specloom.runtime import App, Controller, Router, get, post, route
from specloom.runtime.params import Body, Parameter
from specloom.runtime.testing import TestClient

from .helpers import operation, validated


class Pet(msgspec.Struct):
    id: int
    name: str


def test_operation_documentation_fields() -> None:
    @get(
        "/pets",
        operation_id="listPets",
        summary="List pets",
        tags=["pets"],
        deprecated=True,
        external_docs={"url": "https://example.com/pets"},
        servers=[{"url": "https://pets.example.com"}],
        extensions={"x-rate-limit": 10},
        security=[{}],
    )
    def list_pets() -> list[Pet]:
        """All the pets.

        In store order.
        """
        return []

    documented = operation(App([list_pets], tags=["store"]), "GET", "/pets")
    assert documented["operationId"] == "listPets"
    assert documented["summary"] == "List pets"
    assert documented["description"] == "All the pets.\n\nIn store order."
    assert documented["tags"] == ["store", "pets"]
    assert documented["deprecated"] is True
    assert documented["externalDocs"] == {"url": "https://example.com/pets"}
    assert documented["servers"] == [{"url": "https://pets.example.com"}]
    assert documented["x-rate-limit"] == 10
    assert documented["security"] == [{}]


def test_description_argument_wins_over_docstring() -> None:
    @get("/a", description="Declared")
    def handler() -> None:
        """Docstring."""

    assert operation(App([handler]), "GET", "/a")["description"] == "Declared"


def test_include_in_schema_on_any_layer() -> None:
    @get("/hidden", include_in_schema=False)
    def hidden() -> None: ...

    @get("/shown")
    def shown() -> None: ...

    class Internal(Controller):
        path = "/internal"
        include_in_schema = False

        @get("/")
        def index(self) -> None: ...

        @get("/public", include_in_schema=True)
        def public(self) -> None: ...

    app = App([hidden, shown, Internal])
    assert set(validated(app)["paths"]) == {"/shown", "/internal/public"}


def test_operation_ids_are_unique() -> None:
    class A(Controller):
        path = "/a"

        @get("/")
        def index(self) -> None: ...

    class B(Controller):
        path = "/b"

        @get("/")
        def index(self) -> None: ...

    @route("/c", http_method=["GET", "POST"], status_code=200)
    def both() -> None: ...

    document = validated(App([A, B, both]))
    ids = [op["operationId"] for item in document["paths"].values() for op in item.values()]
    assert ids == ["index_a", "index_b", "both_get", "both_post"]


def test_path_query_header_cookie_parameters() -> None:
    @get("/pets/{pet_id:int}/{slug}")
    def handler(
        pet_id: Annotated[int, Parameter(ge=1, description="The pet", extensions={"x-id": 1})],
        slug: str,
        limit: Annotated[int, Parameter(ge=1, le=100, title="Limit", examples=[10])] = 20,
        tags: Annotated[
            list[str] | None, Parameter(query="tag", style="form", explode=True)
        ] = None,
        trace: Annotated[str, Parameter(header="X-Trace-Id", deprecated=True)] = "",
        session: Annotated[str | None, Parameter(cookie="session")] = None,
        hidden: Annotated[str, Parameter(include_in_schema=False)] = "",
    ) -> None: ...

    documented = operation(App([handler]), "GET", "/pets/{pet_id}/{slug}")
    by_name = {p["name"]: p for p in documented["parameters"]}
    assert list(by_name) == ["pet_id", "slug", "limit", "tag", "X-Trace-Id", "session"]
    assert by_name["pet_id"] == {
        "name": "pet_id",
        "in": "path",
        "required": True,
        "description": "The pet",
        "schema": {"type": "integer", "minimum": 1},
        "x-id": 1,
    }
    assert by_name["slug"]["schema"] == {"type": "string"}
    assert by_name["limit"] == {
        "name": "limit",
        "in": "query",
        "required": False,
        "schema": {
            "type": "integer",
            "minimum": 1,
            "maximum": 100,
            "title": "Limit",
            "default": 20,
        },
        "examples": {"example-1": {"value": 10}},
    }
    assert by_name["tag"]["schema"] == {"type": "array", "items": {"type": "string"}}
    assert (by_name["tag"]["style"], by_name["tag"]["explode"]) == ("form", True)
    assert by_name["X-Trace-Id"]["in"] == "header"
    assert by_name["X-Trace-Id"]["deprecated"] is True
    assert by_name["session"] == {
        "name": "session",
        "in": "cookie",
        "required": False,
        "schema": {"type": "string"},
    }


def test_path_parameter_known_only_from_the_template() -> None:
    @get("/files/{file_id:uuid}")
    def handler() -> None: ...

    (param,) = operation(App([handler]), "GET", "/files/{file_id}")["parameters"]
    assert param == {
        "name": "file_id",
        "in": "path",
        "required": True,
        "schema": {"type": "string", "format": "uuid"},
    }


def test_dependency_parameters_are_documented() -> None:
    from specloom.runtime.di import Provide

    def paging(page: int = 1) -> int:
        return page

    @get("/items", dependencies={"page_number": Provide(paging, sync_to_thread=False)})
    def handler(page_number: int) -> int:
        return page_number

    (param,) = operation(App([handler]), "GET", "/items")["parameters"]
    assert param["name"] == "page" and param["schema"]["default"] == 1


def test_request_body_media_types() -> None:
    @post("/pets")
    def create(data: Pet) -> Pet:
        return data

    @post("/form")
    def form(
        data: Annotated[
            Pet,
            Body(
                media_type="application/x-www-form-urlencoded",
                description="A pet form",
                examples=[{"id": 1, "name": "x"}],
            ),
        ],
    ) -> None: ...

    @post("/optional")
    def optional(data: Pet | None = None) -> None: ...

    @post("/raw")
    def raw(data: bytes) -> None: ...

    app = App([create, form, optional, raw])
    body = operation(app, "POST", "/pets")["requestBody"]
    assert body["required"] is True
    assert list(body["content"]) == ["application/json", "application/x-msgpack"]
    form_body = operation(app, "POST", "/form")["requestBody"]
    assert form_body["description"] == "A pet form"
    assert list(form_body["content"]) == [
        "application/x-www-form-urlencoded",
        "application/json",
        "application/x-msgpack",
    ]
    assert form_body["content"]["application/json"]["examples"] == {
        "example-1": {"value": {"id": 1, "name": "x"}}
    }
    optional_body = operation(app, "POST", "/optional")["requestBody"]
    assert optional_body["required"] is False
    assert optional_body["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Pet"
    }
    assert operation(app, "POST", "/raw")["requestBody"]["content"] == {
        "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
    }


def test_every_documented_body_media_type_is_accepted() -> None:
    @post("/form")
    def form(
        data: Annotated[Pet, Body(media_type="application/x-www-form-urlencoded")],
    ) -> Pet:
        return data

    app = App([form])
    content = operation(app, "POST", "/form")["requestBody"]["content"]
    bodies: dict[str, Any] = {
        "application/x-www-form-urlencoded": b"id=1&name=x",
        "application/json": msgspec.json.encode({"id": 1, "name": "x"}),
        "application/x-msgpack": msgspec.msgpack.encode({"id": 1, "name": "x"}),
    }
    with TestClient(app) as client:
        for media_type in content:
            sent = client.post(
                "/form", content=bodies[media_type], headers={"content-type": media_type}
            )
            assert sent.status_code == 201, media_type


def test_router_and_controller_paths_and_tags() -> None:
    class Pets(Controller):
        path = "/pets"
        tags = ["pets"]

        @get("/{pet_id:int}")
        def get_pet(self, pet_id: int) -> Pet:
            return Pet(id=pet_id, name="x")

    document = validated(App([Router("/v1", [Pets], tags=["v1"])]))
    assert document["paths"]["/v1/pets/{pet_id}"]["get"]["tags"] == ["v1", "pets"]
