"""Documented == sent: for every return kind and every layer, the wire matches the document."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import msgspec
import pytest

from specloom.runtime import (
    App,
    Controller,
    MediaType,
    Response,
    Router,
    delete,
    get,
    head,
    post,
)
from specloom.runtime.datastructures import CacheControlHeader, Cookie, ETag, ResponseHeader
from specloom.runtime.exceptions import NotFoundException
from specloom.runtime.openapi import ResponseSpec
from specloom.runtime.pagination import ClassicPagination, CursorPagination, OffsetPagination
from specloom.runtime.params import Parameter
from specloom.runtime.response import File, Redirect, ServerSentEvent, Stream, Template
from specloom.runtime.security import SecurityScheme
from specloom.runtime.template import TemplateConfig

from .helpers import assert_documented_equals_sent, operation


class Pet(msgspec.Struct):
    id: int
    name: str


class Problem(msgspec.Struct):
    message: str


PET = Pet(id=1, name="Rex")
HERE = Path(__file__)


def app_of(*handlers: Any, **kwargs: Any) -> App:
    return App(list(handlers), **kwargs)


def test_value_is_sent_with_the_plan_status_and_media_type() -> None:
    @get("/pet")
    def handler() -> Pet:
        return PET

    response = assert_documented_equals_sent(app_of(handler), "GET", "/pet")
    assert response.json() == {"id": 1, "name": "Rex"}


def test_post_default_201() -> None:
    @post("/pets")
    def handler(data: Pet) -> Pet:
        return data

    app = app_of(handler)
    assert_documented_equals_sent(app, "POST", "/pets", json={"id": 2, "name": "Tom"})
    assert operation(app, "POST", "/pets")["responses"]["201"]["content"]["application/json"]


def test_response_of_t_with_declared_status() -> None:
    @get("/pet", status_code=202)
    def handler() -> Response[Pet]:
        return Response(PET)

    app = app_of(handler)
    response = assert_documented_equals_sent(app, "GET", "/pet")
    assert response.status_code == 202
    schema = operation(app, "GET", "/pet")["responses"]["202"]["content"]["application/json"]
    assert schema["schema"] == {"$ref": "#/components/schemas/Pet"}


def test_response_none_and_none_are_empty() -> None:
    @delete("/pets/{pet_id:int}")
    def remove(pet_id: int) -> None:
        return None

    @get("/ping", status_code=204)
    def ping() -> Response[None]:
        return Response(None)

    @get("/null")
    def null() -> None:
        return None

    app = app_of(remove, ping, null)
    assert_documented_equals_sent(app, "DELETE", "/pets/{pet_id}", "/pets/1")
    assert_documented_equals_sent(app, "GET", "/ping")
    assert "content" not in operation(app, "GET", "/ping")["responses"]["204"]
    # `-> None` declares no content: an empty 200 without content-type, documented so
    response = assert_documented_equals_sent(app, "GET", "/null")
    assert response.content == b""
    assert "content-type" not in response.headers
    assert "content" not in operation(app, "GET", "/null")["responses"]["200"]


@pytest.mark.parametrize(("status", "expected"), [(None, 302), (301, 301), (307, 307)])
def test_redirect_is_documented_with_its_real_status(status: int | None, expected: int) -> None:
    extra = {} if status is None else {"status_code": status}

    @get("/old", **extra)  # type: ignore[arg-type]
    def handler() -> Redirect:
        return Redirect("/new")

    app = app_of(handler)
    response = assert_documented_equals_sent(app, "GET", "/old", follow_redirects=False)
    assert response.status_code == expected
    documented = operation(app, "GET", "/old")["responses"]
    assert list(documented) == [str(expected)]
    assert documented[str(expected)]["headers"]["Location"]["required"] is True


def test_file_with_declared_media_type() -> None:
    @get("/source", media_type="text/x-python")
    def handler() -> File:
        return File(HERE)

    app = app_of(handler)
    assert_documented_equals_sent(app, "GET", "/source")
    documented = operation(app, "GET", "/source")["responses"]
    assert documented["200"]["content"] == {
        "text/x-python": {"schema": {"type": "string", "format": "binary"}}
    }
    response = assert_documented_equals_sent(app, "GET", "/source", headers={"range": "bytes=0-9"})
    assert response.status_code == 206
    etag = response.headers["etag"]
    assert_documented_equals_sent(app, "GET", "/source", headers={"if-none-match": etag})
    response = assert_documented_equals_sent(
        app, "GET", "/source", headers={"range": "bytes=999999-"}
    )
    assert response.status_code == 416


def test_file_without_media_type_is_any_media_type() -> None:
    @get("/download")
    def handler() -> File:
        return File(HERE, filename="report.pdf")

    app = app_of(handler)
    response = assert_documented_equals_sent(app, "GET", "/download")
    assert response.headers["content-type"] == "application/pdf"
    assert "*/*" in operation(app, "GET", "/download")["responses"]["200"]["content"]


def test_stream_uses_its_media_type() -> None:
    @get("/numbers", media_type=MediaType.TEXT)
    def handler() -> Stream:
        return Stream(iter(["1", "2"]))

    @get("/bytes")
    def raw() -> Stream:
        return Stream(iter([b"\x00"]))

    app = app_of(handler, raw)
    assert_documented_equals_sent(app, "GET", "/numbers")
    content = operation(app, "GET", "/numbers")["responses"]["200"]["content"]
    assert content == {"text/plain": {"schema": {"type": "string", "format": "binary"}}}
    response = assert_documented_equals_sent(app, "GET", "/bytes")
    assert response.headers["content-type"] == "application/octet-stream"


def test_server_sent_events_are_an_event_stream() -> None:
    @get("/events")
    def handler() -> ServerSentEvent:
        return ServerSentEvent(iter(["a", "b"]))

    app = app_of(handler)
    response = assert_documented_equals_sent(app, "GET", "/events")
    assert response.text.startswith("data: a")
    assert list(operation(app, "GET", "/events")["responses"]["200"]["content"]) == [
        "text/event-stream"
    ]


def test_template_is_html() -> None:
    @get("/page")
    def handler() -> Template:
        return Template(template_str="<p>{{ name }}</p>", context={"name": "x"})

    app = app_of(handler, template_config=TemplateConfig())
    response = assert_documented_equals_sent(app, "GET", "/page")
    assert response.text == "<p>x</p>"
    assert list(operation(app, "GET", "/page")["responses"]["200"]["content"]) == ["text/html"]


def test_pagination_containers_have_their_real_shape() -> None:
    @get("/classic")
    def classic() -> ClassicPagination[Pet]:
        return ClassicPagination(items=[PET], page_size=1, current_page=1, total_pages=1)

    @get("/offset")
    def offset() -> OffsetPagination[Pet]:
        return OffsetPagination(items=[PET], limit=1, offset=0, total=1)

    @get("/cursor")
    def cursor() -> CursorPagination[str, Pet]:
        return CursorPagination(items=[PET], results_per_page=1, cursor="next")

    app = app_of(classic, offset, cursor)
    components = app.openapi()["components"]["schemas"]
    for path in ("/classic", "/offset", "/cursor"):
        response = assert_documented_equals_sent(app, "GET", path)
        ref = operation(app, "GET", path)["responses"]["200"]["content"]["application/json"]
        schema = components[ref["schema"]["$ref"].rsplit("/", 1)[1]]
        assert set(schema["properties"]) == set(response.json())
        assert schema["properties"]["items"]["items"] == {"$ref": "#/components/schemas/Pet"}
    cursor_schema = components["CursorPagination_str__Pet_"]["properties"]["cursor"]
    assert cursor_schema == {"type": ["string", "null"]}


def test_union_of_response_kinds_documents_each() -> None:
    @get("/maybe")
    def handler(go: bool = False) -> Pet | Redirect:
        return Redirect("/elsewhere") if go else PET

    app = app_of(handler)
    assert_documented_equals_sent(app, "GET", "/maybe")
    assert_documented_equals_sent(app, "GET", "/maybe", "/maybe?go=true", follow_redirects=False)
    assert set(operation(app, "GET", "/maybe")["responses"]) == {"200", "302", "400"}


def test_union_of_response_types_is_one_of() -> None:
    @get("/either")
    def handler(problem: bool = False) -> Response[Pet] | Response[Problem]:
        return Response(Problem("x")) if problem else Response(PET)

    app = app_of(handler)
    assert_documented_equals_sent(app, "GET", "/either", "/either?problem=1")
    schema = operation(app, "GET", "/either")["responses"]["200"]["content"]["application/json"]
    assert schema["schema"] == {
        "oneOf": [{"$ref": "#/components/schemas/Pet"}, {"$ref": "#/components/schemas/Problem"}]
    }


@pytest.mark.parametrize(
    "media_type",
    [MediaType.MESSAGEPACK.value, "application/vnd.example.pet+json", MediaType.TEXT.value],
)
def test_media_types(media_type: str) -> None:
    @get("/pet", media_type=media_type)
    def handler() -> Pet:
        return PET

    app = app_of(handler)
    assert_documented_equals_sent(app, "GET", "/pet")
    assert list(operation(app, "GET", "/pet")["responses"]["200"]["content"]) == [media_type]


def test_str_and_bytes() -> None:
    @get("/text")
    def text() -> str:
        return "hi"

    @get("/raw", media_type="application/octet-stream")
    def raw() -> bytes:
        return b"\x00"

    app = app_of(text, raw)
    assert_documented_equals_sent(app, "GET", "/text")
    assert_documented_equals_sent(app, "GET", "/raw")
    raw_content = operation(app, "GET", "/raw")["responses"]["200"]["content"]
    assert raw_content["application/octet-stream"]["schema"] == {
        "type": "string",
        "format": "binary",
    }


def test_headers_and_cookies_from_every_layer_closest_wins() -> None:
    class Pets(Controller):
        path = "/pets"
        response_headers = [ResponseHeader("X-Layer", "controller", description="controller")]
        etag = ETag("v1")

        @get("/", response_headers=[ResponseHeader("X-Handler", "h", description="handler")])
        def list_pets(self) -> list[Pet]:
            return [PET]

    router = Router(
        "/api",
        [Pets],
        response_headers=[
            ResponseHeader("X-Layer", "router", description="router"),
            ResponseHeader("X-Router", "r"),
        ],
        cache_control=CacheControlHeader(max_age=60),
    )
    app = App(
        [router],
        response_headers=[
            ResponseHeader("X-Layer", "app"),
            ResponseHeader("X-Docs", description="set by a hook", documentation_only=True),
        ],
        response_cookies=[Cookie(key="session", value="abc", description="the session")],
    )
    response = assert_documented_equals_sent(app, "GET", "/api/pets", doc_only=("X-Docs",))
    assert response.headers["x-layer"] == "controller"
    assert response.headers["cache-control"] == "max-age=60"
    headers = operation(app, "GET", "/api/pets")["responses"]["200"]["headers"]
    assert headers["X-Layer"]["description"] == "controller"
    assert headers["X-Docs"] == {"description": "set by a hook", "schema": {"type": "string"}}
    assert "session" in headers["Set-Cookie"]["description"]
    for header in headers.values():
        assert "schema" in header
    # the layered ETag is a validator: a matching If-None-Match is answered 304, as documented
    response = assert_documented_equals_sent(
        app, "GET", "/api/pets", doc_only=("X-Docs",), headers={"if-none-match": '"v1"'}
    )
    assert response.status_code == 304


def test_layered_headers_on_containers() -> None:
    @get("/old", response_headers={"X-Trace": "1"})
    def old() -> Redirect:
        return Redirect("/new")

    @get("/events", response_headers={"X-Trace": "1"}, cache_control=CacheControlHeader(max_age=5))
    def events() -> ServerSentEvent:
        return ServerSentEvent(iter(["a"]))

    app = app_of(old, events)
    assert_documented_equals_sent(app, "GET", "/old", follow_redirects=False)
    response = assert_documented_equals_sent(app, "GET", "/events")
    assert response.headers["cache-control"] == "no-cache"  # the event stream's own wins


def test_documentation_only_cache_control_and_etag() -> None:
    @get(
        "/population",
        etag=ETag(documentation_only=True),
        cache_control=CacheControlHeader(documentation_only=True),
    )
    def handler() -> Response[str]:
        return Response("42", headers={"etag": '"42"'}, media_type=MediaType.TEXT)

    app = app_of(handler)
    assert_documented_equals_sent(app, "GET", "/population", doc_only=("cache-control",))
    headers = operation(app, "GET", "/population")["responses"]["200"]["headers"]
    assert set(headers) == {"Cache-Control", "ETag"}


def test_validation_error_is_documented_400() -> None:
    @get("/pets/{pet_id:int}")
    def handler(pet_id: int, limit: Annotated[int, Parameter(ge=1)] = 10) -> Pet:
        return PET

    app = app_of(handler)
    response = assert_documented_equals_sent(app, "GET", "/pets/{pet_id}", "/pets/1?limit=0")
    assert response.status_code == 400


def test_declared_responses_and_raises() -> None:
    @get(
        "/pets/{pet_id:int}",
        responses={
            404: ResponseSpec(
                Problem,
                description="No such pet",
                headers=[ResponseHeader("X-Reason", documentation_only=True, schema=str)],
                extensions={"x-retry": False},
            )
        },
        raises=[NotFoundException],
    )
    def handler(pet_id: int) -> Pet:
        raise NotFoundException("no")

    app = app_of(handler)
    response = assert_documented_equals_sent(
        app, "GET", "/pets/{pet_id}", "/pets/2", doc_only=("X-Reason",)
    )
    assert response.status_code == 404
    documented = operation(app, "GET", "/pets/{pet_id}")["responses"]["404"]
    assert documented["description"] == "No such pet"
    assert documented["x-retry"] is False
    assert documented["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Problem"
    }


def test_raises_only_is_documented_with_the_error_shape() -> None:
    @get("/gone", raises=[NotFoundException])
    def handler() -> Pet:
        raise NotFoundException("gone")

    app = app_of(handler)
    response = assert_documented_equals_sent(app, "GET", "/gone")
    schema = operation(app, "GET", "/gone")["responses"]["404"]["content"]["application/json"]
    assert set(schema["schema"]["properties"]) >= set(response.json())


def test_security_errors_are_documented() -> None:
    schemes = {"bearer": SecurityScheme(type="http", scheme="bearer")}

    @get("/secret", security=[{"bearer": []}])
    def handler() -> Pet:
        return PET

    app = app_of(handler, security_schemes=schemes)
    response = assert_documented_equals_sent(app, "GET", "/secret")
    assert response.status_code == 401
    document = app.openapi()
    assert document["components"]["securitySchemes"] == {
        "bearer": {"type": "http", "scheme": "bearer"}
    }
    assert document["paths"]["/secret"]["get"]["security"] == [{"bearer": []}]


LAYER_SETTINGS: dict[str, Any] = {
    "response_headers": [
        ResponseHeader("X-Version", "1", description="API version", schema=int, required=True),
        ResponseHeader("X-Hook", description="set by a hook", documentation_only=True),
    ],
    "response_cookies": [Cookie(key="theme", value="dark", description="UI theme")],
    "cache_control": CacheControlHeader(max_age=30, public=True),
    "etag": ETag("layered", weak=True),
}


@pytest.mark.parametrize("layer", ["app", "router", "controller", "handler"])
def test_each_layer_documents_what_it_sends(layer: str) -> None:
    on = {layer: LAYER_SETTINGS}
    handler_settings = on.get("handler", {})

    class Items(Controller):
        path = "/items"
        response_headers = on.get("controller", {}).get("response_headers")
        response_cookies = on.get("controller", {}).get("response_cookies")
        cache_control = on.get("controller", {}).get("cache_control")
        etag = on.get("controller", {}).get("etag")

        @get("/", **handler_settings)
        def list_items(self) -> list[int]:
            return [1, 2]

    app = App([Router("/v1", [Items], **on.get("router", {}))], **on.get("app", {}))
    response = assert_documented_equals_sent(app, "GET", "/v1/items", doc_only=("X-Hook",))
    assert response.headers["x-version"] == "1"
    headers = operation(app, "GET", "/v1/items")["responses"]["200"]["headers"]
    assert headers["X-Version"] == {
        "description": "API version",
        "required": True,
        "schema": {"type": "integer"},
    }
    assert set(headers) == {"X-Version", "X-Hook", "Set-Cookie", "Cache-Control", "ETag"}
    not_modified = assert_documented_equals_sent(
        app, "GET", "/v1/items", doc_only=("X-Hook",), headers={"if-none-match": 'W/"layered"'}
    )
    assert not_modified.status_code == 304


def test_explicit_head_handler_documents_no_body() -> None:
    @head("/exists", response_headers={"X-Exists": "yes"})
    def exists() -> None:
        return None

    app = app_of(exists)
    assert_documented_equals_sent(app, "HEAD", "/exists")
    assert "content" not in operation(app, "HEAD", "/exists")["responses"]["200"]
