"""Documentation a spec writes that the runtime gives back as written: parameters serialized as
a media type, request body encodings, empty example maps, operation ids."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec

from specloom.runtime import App, get, post
from specloom.runtime.datastructures import ResponseHeader
from specloom.runtime.openapi import ContentSpec, OpenAPIConfig, ResponseSpec, component
from specloom.runtime.params import Body, Parameter
from specloom.runtime.testing import TestClient

from .helpers import operation, validated

FORM = "application/x-www-form-urlencoded"


class Form(msgspec.Struct):
    json: str = ""


def test_a_parameter_serialized_as_a_media_type_is_documented_by_content() -> None:
    @get("/items")
    async def items(
        q: Annotated[str | None, Parameter(query="q", media_type="application/json")] = None,
    ) -> str:
        return q or "-"

    app = App([items])
    (parameter,) = operation(app, "GET", "/items")["parameters"]
    assert parameter == {
        "name": "q",
        "in": "query",
        "required": False,
        "content": {"application/json": {"schema": {"type": "string"}}},
    }
    with TestClient(app) as client:  # the handler reads the raw text
        assert client.get("/items", params={"q": "[1, 2]"}).text == "[1, 2]"


def test_a_body_documents_its_encoding_and_empty_examples() -> None:

    @post("/forms", status_code=200, responses={200: ResponseSpec(str, examples={})})
    async def send(
        data: Annotated[
            Form,
            Body(
                media_types=[FORM],
                content={FORM: ContentSpec(Form, encoding={"json": {"contentType": "a/b"}})},
            ),
        ],
    ) -> str:
        return data.json

    app = App([send])
    op = operation(app, "POST", "/forms")
    assert op["requestBody"]["content"][FORM]["encoding"] == {"json": {"contentType": "a/b"}}
    (sent,) = op["responses"]["200"]["content"].values()
    assert sent["examples"] == {}
    with TestClient(app) as client:
        assert client.post("/forms", data={"json": "x"}).text == "x"


def test_declared_content_keeps_an_empty_encoding() -> None:
    @post("/forms", status_code=204)
    async def send(
        data: Annotated[
            bytes,
            Body(media_types=["text/plain"], content={"text/plain": ContentSpec(encoding={})}),
        ],
    ) -> None:
        return None

    entry = operation(App([send]), "POST", "/forms")["requestBody"]["content"]["text/plain"]
    assert entry["encoding"] == {}


def test_any_content_and_a_text_body_keep_the_docs_they_are_annotated_with() -> None:
    @post("/relation", status_code=200)
    async def relation(
        data: Annotated[
            Annotated[str, msgspec.Meta(examples=['{"a": 1}'], description="JSON text")],
            Body(media_types=["application/json"]),
        ],
    ) -> Annotated[Any, msgspec.Meta(description="varies")]:
        return {"text": data}

    app = App([relation])
    op = operation(app, "POST", "/relation")
    assert op["requestBody"]["content"]["application/json"]["schema"] == {
        "type": "string",
        "examples": ['{"a": 1}'],
        "description": "JSON text",
    }
    sent = op["responses"]["200"]["content"]["application/json"]
    assert sent["schema"] == {"description": "varies"}


MetaInfo = Annotated[dict[str, Any], msgspec.Meta(title="Meta"), component("Meta")]


class Resource(msgspec.Struct):
    again: Annotated[
        MetaInfo,
        msgspec.Meta(title="Meta", extra_json_schema={"x-specloom-restated": ["title"]}),
    ]


def test_a_use_of_an_alias_keeps_what_it_restates_when_marked() -> None:
    @get("/resource")
    async def resource() -> Resource:
        return Resource(again={})

    config = OpenAPIConfig(component_types=[MetaInfo])  # the alias's own schema comes first
    document = validated(App([resource], openapi_config=config))
    properties = document["components"]["schemas"]["Resource"]["properties"]
    assert document["components"]["schemas"]["Meta"] == {"type": "object", "title": "Meta"}
    assert properties["again"] == {"$ref": "#/components/schemas/Meta", "title": "Meta"}
    assert "x-specloom-restated" not in str(document)


Email = Annotated[str, msgspec.Meta(pattern="^[a-z]+@[a-z]+$"), component("Email")]


def test_a_json_string_body_is_documented_as_the_type_that_checks_it() -> None:
    @post("/lost-password", status_code=202)
    async def lost(
        data: Annotated[Email | None, Body(media_types=["application/json"])] = None,
    ) -> None:
        return None

    app = App([lost])
    body = operation(app, "POST", "/lost-password")["requestBody"]
    assert body["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Email"}
    assert app.openapi()["components"]["schemas"]["Email"]["pattern"] == "^[a-z]+@[a-z]+$"
    with TestClient(app) as client:  # the JSON string is checked by its pattern
        assert client.post("/lost-password", json="a@b").status_code == 202
        assert client.post("/lost-password", json="A B").status_code == 400


def test_a_response_header_keeps_its_extensions() -> None:
    header = ResponseHeader(
        name="retry-after", documentation_only=True, extensions={"x-example": "5"}
    )

    @get("/later", response_headers=[header])
    async def later() -> str:
        return "x"

    documented = operation(App([later]), "GET", "/later")["responses"]["200"]["headers"]
    assert documented["retry-after"] == {"schema": {"type": "string"}, "x-example": "5"}
