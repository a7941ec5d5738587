"""Documentation carried as metadata: model docs, examples, callbacks, path and info docs."""

from __future__ import annotations

import datetime
import enum
from pathlib import Path
from typing import Annotated

import msgspec
import pytest

from specloom.runtime import NO_OPERATION_ID, App, get, post
from specloom.runtime.datastructures import ResponseHeader
from specloom.runtime.exceptions import ImproperlyConfiguredException
from specloom.runtime.openapi import (
    ContentSpec,
    OpenAPIConfig,
    ResponseSpec,
    inline_schema,
    schema_docs,
)
from specloom.runtime.params import Body, Parameter
from specloom.runtime.response import File, Redirect, Stream
from specloom.runtime.testing import TestClient

from .helpers import operation, validated


@schema_docs(
    title="A pet",
    examples=[{"name": "Rex"}],
    external_docs={"url": "https://example.com/pets"},
    xml={"name": "pet"},
    extensions={"x-internal": True},
)
class Pet(msgspec.Struct):
    """
    A pet of the store.

      Indented lines stay as they are.
    """

    name: Annotated[str, msgspec.Meta(extra_json_schema={"xml": {"attribute": True}})]


class Dog(Pet):
    """A dog (documents itself: nothing is inherited from Pet's `schema_docs`)."""


@schema_docs(format="http-method", implied={"minLength": 3, "pattern": "^[A-Z]+$"})
class Method(enum.StrEnum):
    GET = "GET"


def test_schema_docs_join_the_component() -> None:
    @get("/pet")
    async def pet() -> Pet:
        return Pet(name="Rex")

    @get("/dog")
    async def dog(method: Method) -> Dog:
        return Dog(name="Rex")

    schemas = validated(App([pet, dog]))["components"]["schemas"]
    assert schemas["Pet"] == {
        "title": "A pet",
        "description": "A pet of the store.\n\n  Indented lines stay as they are.",
        "type": "object",
        "properties": {"name": {"type": "string", "xml": {"attribute": True}}},
        "required": ["name"],
        "examples": [{"name": "Rex"}],
        "externalDocs": {"url": "https://example.com/pets"},
        "xml": {"name": "pet"},
        "x-internal": True,
    }
    assert "xml" not in schemas["Dog"] and "title" not in schemas["Dog"]
    assert schemas["Method"] == {
        "enum": ["GET"],
        "type": "string",
        "format": "http-method",
        "minLength": 3,
        "pattern": "^[A-Z]+$",
    }


@schema_docs(default="GET")
class Verb(enum.StrEnum):
    GET = "GET"
    POST = "POST"


@schema_docs(default={"theme": "light"})
class Settings(msgspec.Struct):
    theme: str = "dark"


def test_schema_docs_default_is_the_schema_default_as_written() -> None:
    @get("/verb")
    async def verb(method: Verb) -> Settings:
        return Settings()

    schemas = validated(App([verb]))["components"]["schemas"]
    assert schemas["Verb"]["default"] == "GET"
    assert schemas["Settings"]["default"] == {"theme": "light"}


def test_schema_docs_take_only_x_extensions() -> None:
    with pytest.raises(ImproperlyConfiguredException):
        schema_docs(extensions={"format": "x"})
    with pytest.raises(ImproperlyConfiguredException, match="implied takes the assertions"):
        schema_docs(implied={"type": "string"})
    with pytest.raises(ImproperlyConfiguredException, match="unchecked takes the assertions"):
        schema_docs(unchecked={"required": ["a"]})


@schema_docs(
    unchecked={
        "dependentRequired": {"card": ["address"]},
        "if": {"required": ["card"]},
        "then": {"properties": {"card": {"minLength": 12}}},
    }
)
class Payment(msgspec.Struct, kw_only=True):
    card: str | None = None
    address: str | None = None


def test_assertions_a_class_does_not_check_are_documented_as_written() -> None:
    """`unchecked`: the schema says them, the class does not enforce them."""

    @post("/payments", status_code=204)
    async def pay(data: Payment) -> None:
        del data

    schema = validated(App([pay]))["components"]["schemas"]["Payment"]
    assert schema["dependentRequired"] == {"card": ["address"]}
    assert schema["if"] == {"required": ["card"]}
    assert schema["then"] == {"properties": {"card": {"minLength": 12}}}
    with TestClient(App([pay])) as client:  # documented, not checked: a card alone is taken
        assert client.post("/payments", json={"card": "4111"}).status_code == 204


def test_aware_datetimes_are_documented_as_date_time() -> None:
    @get("/at")
    async def at() -> Annotated[datetime.datetime, msgspec.Meta(tz=True)]:
        return datetime.datetime.now(datetime.UTC)

    schema = operation(App([at]), "GET", "/at")["responses"]["200"]["content"]
    assert schema["application/json"]["schema"] == {"type": "string", "format": "date-time"}


def test_no_operation_id_names_none_and_an_empty_one_is_written() -> None:
    @get("/a", name="a", operation_id=NO_OPERATION_ID)
    async def a() -> None:
        return None

    @get("/b", name="b", operation_id="")
    async def b() -> None:
        return None

    app = App([a, b])
    assert "operationId" not in operation(app, "GET", "/a")
    assert operation(app, "GET", "/b")["operationId"] == ""


def test_parameter_and_body_examples_in_both_spellings() -> None:
    @post("/items")
    async def create(
        data: Annotated[dict[str, int], Body(media_types=["application/json"], example={"a": 1})],
        q: Annotated[str, Parameter(query="q", examples={"one": {"value": "x", "summary": "s"}})],
        n: Annotated[int, Parameter(query="n", example=3)] = 0,
    ) -> None:
        return None

    op = operation(App([create]), "POST", "/items")
    parameters = {p["name"]: p for p in op["parameters"]}
    assert parameters["q"]["examples"] == {"one": {"value": "x", "summary": "s"}}
    assert parameters["n"]["example"] == 3
    assert op["requestBody"]["content"]["application/json"]["example"] == {"a": 1}


def test_an_example_object_needs_no_value() -> None:
    """Every field of an Example Object is optional: one of `summary`, `description` and `x-`
    extensions only is kept as it is; any other mapping is a value."""

    @get(
        "/n",
        responses={
            200: ResponseSpec(
                dict[str, int],
                description="",
                examples={
                    "extensions": {"x-data": {"a": 1}, "x-status": 200},
                    "said": {"summary": "s", "description": "d"},
                    "value": {"a": 1},
                    "empty": {},
                },
            )
        },
    )
    async def numbers() -> dict[str, int]:
        return {}

    content = operation(App([numbers]), "GET", "/n")["responses"]["200"]["content"]
    assert content["application/json"]["examples"] == {
        "extensions": {"x-data": {"a": 1}, "x-status": 200},
        "said": {"summary": "s", "description": "d"},
        "value": {"value": {"a": 1}},
        "empty": {"value": {}},
    }


def test_a_response_spec_at_the_success_status_documents_it() -> None:
    @get(
        "/n",
        response_description="",
        responses={
            200: ResponseSpec(int, description="the number", example=1),
            404: ResponseSpec(None, description=""),
        },
    )
    async def number() -> int:
        return 1

    responses = operation(App([number]), "GET", "/n")["responses"]
    assert responses["200"]["description"] == "the number"
    assert responses["200"]["content"]["application/json"]["example"] == 1
    assert responses["404"]["description"] == ""


def test_a_declared_header_documents_a_container_header_more_closely() -> None:
    location = ResponseHeader(
        name="Location", documentation_only=True, description="The pet.", schema=str
    )

    @get("/old", status_code=302, response_headers=[location])
    async def old() -> Redirect:
        return Redirect("/new")

    header = operation(App([old]), "GET", "/old")["responses"]["302"]["headers"]["Location"]
    assert header == {"description": "The pet.", "required": True, "schema": {"type": "string"}}


@pytest.mark.parametrize("example", ["abc-123", 0, None, {"nested": [1, 2]}])
def test_a_header_example_is_documented_as_written(example: object) -> None:
    request_id = ResponseHeader(name="X-Request-Id", documentation_only=True, example=example)

    @get("/pets", response_headers=[request_id])
    async def pets() -> list[str]:
        return []

    header = operation(App([pets]), "GET", "/pets")["responses"]["200"]["headers"]
    assert header["X-Request-Id"] == {"schema": {"type": "string"}, "example": example}


def test_a_header_serialized_as_a_media_type_is_documented_by_content() -> None:
    meta = ResponseHeader(
        name="X-Meta", documentation_only=True, schema=dict[str, int], media_type="application/json"
    )

    @get("/pets", response_headers=[meta])
    async def pets() -> list[str]:
        return []

    header = operation(App([pets]), "GET", "/pets")["responses"]["200"]["headers"]["X-Meta"]
    schema = {"type": "object", "additionalProperties": {"type": "integer"}}
    assert header == {"content": {"application/json": {"schema": schema}}}


def test_an_x_key_of_responses_is_an_extension_of_the_responses_object() -> None:
    @get("/pets", responses={404: ResponseSpec(None, description="none"), "x-ratelimited": True})
    async def pets() -> list[str]:
        return []

    responses = operation(App([pets]), "GET", "/pets")["responses"]
    assert responses["x-ratelimited"] is True
    assert responses["404"] == {"description": "none"}
    assert list(responses)[-1] == "x-ratelimited"  # after the statuses


def test_a_media_type_s_extensions_are_documented_as_given() -> None:
    declared = ContentSpec(list[str], extensions={"x-cache": {"ttl": 60}})

    @get("/pets", responses={200: ResponseSpec(content={"application/json": declared})})
    async def pets() -> list[str]:
        return []

    content = operation(App([pets]), "GET", "/pets")["responses"]["200"]["content"]
    assert content["application/json"]["x-cache"] == {"ttl": 60}
    with pytest.raises(ImproperlyConfiguredException):
        ContentSpec(str, extensions={"cache": 1})


def test_response_links_are_documented_at_any_status() -> None:
    link = {"operationId": "getPet", "parameters": {"petId": "$response.body#/id"}}

    @post(
        "/pets",
        status_code=201,
        responses={
            201: ResponseSpec(None, description="Created", links={"GetPet": link}),
            409: ResponseSpec(None, description="Exists", links={"Existing": link}),
        },
    )
    async def create() -> dict[str, int]:
        return {"id": 1}

    @get("/pets/{pet_id:int}", operation_id="getPet")
    async def get_pet(pet_id: int) -> dict[str, int]:
        return {"id": pet_id}

    responses = operation(App([create, get_pet]), "POST", "/pets")["responses"]
    assert responses["201"]["links"] == {"GetPet": link}
    assert responses["201"]["content"]["application/json"]["schema"]["type"] == "object"
    assert responses["409"]["links"] == {"Existing": link}


def test_a_declared_success_type_documents_a_files_content(tmp_path: Path) -> None:
    image = tmp_path / "qr.png"
    image.write_bytes(b"png")
    qr = Annotated[bytes, msgspec.Meta(description="A QR code", title="QR")]

    @get("/qr", media_type="image/png", responses={200: ResponseSpec(qr, media_type="image/png")})
    async def code() -> File:
        return File(image)

    content = operation(App([code]), "GET", "/qr")["responses"]["200"]["content"]
    assert content == {
        "image/png": {
            "schema": {
                "type": "string",
                "format": "binary",
                "description": "A QR code",
                "title": "QR",
            }
        }
    }


def test_a_header_without_an_example_documents_none() -> None:
    plain = ResponseHeader(name="X-Plain", documentation_only=True)

    @get("/pets", response_headers=[plain])
    async def pets() -> list[str]:
        return []

    header = operation(App([pets]), "GET", "/pets")["responses"]["200"]["headers"]["X-Plain"]
    assert "example" not in header


def test_callbacks_are_documented_from_their_handlers() -> None:
    @post("/", operation_id="onEvent")
    async def on_event(
        data: Annotated[dict[str, str], Body(media_types=["application/json"])],
    ) -> None:
        return None

    @post("/subscribe", callbacks={"event": {"{$request.body#/url}": on_event}})
    async def subscribe() -> None:
        return None

    op = operation(App([subscribe]), "POST", "/subscribe")
    callback = op["callbacks"]["event"]["{$request.body#/url}"]["post"]
    assert callback["operationId"] == "onEvent"
    assert callback["requestBody"]["content"]["application/json"]["schema"]["type"] == "object"


def test_a_callback_documents_the_path_parameters_its_expression_names() -> None:
    @post("/", operation_id="onEvent")
    async def on_event(hook_url: Annotated[str, Parameter(path="webhookURL")]) -> None:
        return None

    @post("/subscribe", callbacks={"event": {"{webhookURL}": on_event}})
    async def subscribe() -> None:
        return None

    op = operation(App([subscribe]), "POST", "/subscribe")
    callback = op["callbacks"]["event"]["{webhookURL}"]["post"]
    assert callback["parameters"] == [
        {"name": "webhookURL", "in": "path", "required": True, "schema": {"type": "string"}}
    ]


def test_path_item_and_info_documentation() -> None:
    @get("/a")
    async def a() -> None:
        return None

    config = OpenAPIConfig(
        path_docs={"/a": {"description": "Things", "x-kind": "list"}, "/b": {"summary": "B"}},
        info_extensions={"x-logo": {"url": "logo.png"}},
    )
    document = App([a], openapi_config=config).openapi()
    assert document["paths"]["/a"]["description"] == "Things"
    assert document["paths"]["/a"]["x-kind"] == "list" and "get" in document["paths"]["/a"]
    assert document["paths"]["/b"] == {"summary": "B"}
    assert document["info"]["x-logo"] == {"url": "logo.png"}
    with pytest.raises(ImproperlyConfiguredException):
        OpenAPIConfig(path_docs={"/a": {"get": {}}})


def test_a_declared_success_type_documents_what_a_stream_holds() -> None:
    class Line(msgspec.Struct):
        n: int

    @get(
        "/lines",
        media_type="application/x-ndjson",
        responses={200: ResponseSpec(Line, media_type="application/x-ndjson")},
    )
    async def lines() -> Stream:
        return Stream(iter([b'{"n":1}\n']))

    @get("/raw", media_type="application/x-ndjson")
    async def raw() -> Stream:
        return Stream(iter([b""]))

    app = App([lines, raw])
    documented = operation(app, "GET", "/lines")["responses"]["200"]["content"]
    assert documented == {"application/x-ndjson": {"schema": {"$ref": "#/components/schemas/Line"}}}
    bare = operation(app, "GET", "/raw")["responses"]["200"]["content"]
    assert bare["application/x-ndjson"]["schema"] == {"type": "string", "format": "binary"}


@schema_docs(discriminator={"propertyName": "code"})
class Problem(msgspec.Struct):
    code: int


def test_a_base_types_discriminator_is_documented() -> None:
    @get("/problem")
    async def problem() -> Problem:
        return Problem(code=1)

    document = validated(App([problem]))
    assert document["components"]["schemas"]["Problem"]["discriminator"] == {"propertyName": "code"}


@schema_docs(open_tag=True)
class Kitten(msgspec.Struct, tag_field="kind", tag="kitten"):
    lives: int = 9


@schema_docs()
class Puppy(msgspec.Struct, tag_field="kind", tag="puppy"):
    barks: bool = True


def test_an_open_tag_is_documented_without_msgspecs_enum() -> None:
    @get("/pets")
    async def pets() -> list[Kitten | Puppy]:
        return [Kitten()]

    schemas = validated(App([pets]))["components"]["schemas"]
    assert schemas["Kitten"]["properties"]["kind"] == {"type": "string"}
    assert schemas["Puppy"]["properties"]["kind"]["enum"] == ["puppy"]  # as msgspec has it


@schema_docs(optional_tag=True)
class Keys(msgspec.Struct, tag_field="mode", tag="keys"):
    key: str


@schema_docs(undeclared_tag=True)
class Role(msgspec.Struct, tag_field="mode", tag="role"):
    arn: str = ""


def test_a_tag_left_optional_or_undeclared_is_documented_so() -> None:
    @post("/rules")
    async def add_rule(data: Keys | Role) -> Keys | Role:
        return data

    app = App([add_rule])
    schemas = validated(app)["components"]["schemas"]
    assert schemas["Keys"]["required"] == ["key"]
    assert schemas["Keys"]["properties"]["mode"] == {"enum": ["keys"], "type": "string"}
    assert "required" not in schemas["Role"] and "mode" not in schemas["Role"]["properties"]
    # decoding still picks the class by the tag: a payload must carry it
    client = TestClient(app)
    assert client.post("/rules", json={"mode": "role", "arn": "a"}).json() == {
        "mode": "role",
        "arn": "a",
    }
    assert client.post("/rules", json={"arn": "a"}).status_code == 400


def test_responses_and_bodies_carry_their_extensions_and_empty_headers() -> None:
    """`ResponseSpec(headers=[])` documents `headers: {}`; `extensions` are written as given,
    on the success response, another response and the request body."""

    @post(
        "/things",
        status_code=201,
        responses={
            201: ResponseSpec(None, description="made", headers=[], extensions={"x-made": 1}),
            400: ResponseSpec(None, description="bad", headers=[], extensions={"x-why": "bad"}),
        },
    )
    def make(data: Annotated[str, Body(extensions={"x-form-data": True})]) -> None:
        return None

    op = operation(App([make]), "POST", "/things")
    assert op["responses"]["201"] == {"description": "made", "headers": {}, "x-made": 1}
    assert op["responses"]["400"] == {"description": "bad", "headers": {}, "x-why": "bad"}
    assert op["requestBody"]["x-form-data"] is True
    with pytest.raises(ImproperlyConfiguredException, match="x-"):
        Body(extensions={"form": True})


@schema_docs(untyped=True)
class Note(msgspec.Struct):
    """A note, written without `type` in its spec."""

    text: str | None = None


@schema_docs(untyped=True)
@inline_schema
class NewNote(msgspec.Struct, forbid_unknown_fields=True):
    text: str


class TypedNote(Note):
    """A subclass documents itself: it says `type: object` unless it declares otherwise."""


def test_an_untyped_class_is_documented_without_type() -> None:
    @post("/notes")
    async def add(data: NewNote) -> Note:
        return Note(text=data.text)

    @get("/typed")
    async def typed() -> TypedNote:
        return TypedNote()

    app = App([add, typed])
    document = validated(app)
    schemas = document["components"]["schemas"]
    assert schemas["Note"] == {  # no `type`, and no empty `required` beside it
        "description": "A note, written without `type` in its spec.",
        "properties": {"text": {"type": ["string", "null"], "default": None}},
    }
    assert schemas["TypedNote"]["type"] == "object"
    body = document["paths"]["/notes"]["post"]["requestBody"]["content"]["application/json"]
    assert body["schema"] == {  # inline where used, untyped too
        "properties": {"text": {"type": "string"}},
        "required": ["text"],
        "additionalProperties": False,
    }
    with TestClient(app) as client:  # what is served is unchanged: objects only
        assert client.post("/notes", json={"text": "hi"}).json() == {"text": "hi"}
        assert client.post("/notes", json="hi").status_code == 400
