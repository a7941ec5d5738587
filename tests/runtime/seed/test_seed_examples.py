"""Every example of the Responses page served by specloom.runtime and checked on the wire.

The example modules in `examples/` are the page's code with only `litestar` -> `specloom.runtime`
and `Litestar` -> `App` changed. Not here: the SQLAlchemy pagination example (it needs
Litestar's SQLAlchemy plugin, which is not part of the page's subject) and the container
examples (Redirect, File, Stream, SSE, Template), which are in `test_seed_containers.py`.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import msgspec
import pytest

from specloom.runtime import App, MediaType, get
from specloom.runtime.datastructures import ETag
from specloom.runtime.openapi import ResponseSpec
from specloom.runtime.testing import TestClient

from .examples import (
    after_request_headers,
    background_decorator,
    background_multiple,
    background_response,
    basic_resource,
    cache_control,
    content_negotiation,
    custom_response,
    dynamic_headers,
    etag,
    html,
    json_vendor,
    json_vendor_typing,
    layered_headers,
    mapping_headers,
    media_type_text,
    msgpack,
    msgpack_typing,
    pagination_classic,
    pagination_cursor,
    pagination_offset,
    plaintext,
    returning_asgi_app,
    returning_response,
    returning_starlette_response,
    status_code,
)


def client_for(*handlers: Any) -> TestClient:
    return TestClient(App(route_handlers=list(handlers)))


def test_basic_resource_is_json_200() -> None:
    with client_for(basic_resource.retrieve_resource) as client:
        response = client.get("/resources")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {"id": 1, "name": "my resource"}


def test_media_type_text() -> None:
    with client_for(media_type_text.retrieve_resource) as client:
        response = client.get("/resources")
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert response.text == "The rumbling rabbit ran around the rock"


@pytest.mark.parametrize("module", [json_vendor, json_vendor_typing])
def test_vendor_json_media_type_and_teapot(module: Any) -> None:
    with TestClient(module.app) as client:
        response = client.get("/resources")
    assert response.status_code == 418
    assert response.headers["content-type"] == "application/vnd.example.resource+json"
    assert response.json() == {
        "title": "Server thinks it is a teapot",
        "type": "Server delusion",
        "status": 418,
    }


@pytest.mark.parametrize("module", [msgpack, msgpack_typing])
def test_messagepack_response(module: Any) -> None:
    with client_for(module.health_check) as client:
        response = client.get("/health-check")
    assert response.headers["content-type"] == "application/x-msgpack"
    assert msgspec.msgpack.decode(response.content) == {"hello": "world"}


def test_plaintext_and_html() -> None:
    with client_for(plaintext.health_check, html.health_check) as client:
        text = client.get("/health-check")
        page = client.get("/page")
    assert (text.headers["content-type"], text.text) == ("text/plain; charset=utf-8", "healthy")
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert "<span>Hello World!</span>" in page.text


@pytest.mark.parametrize(
    ("accept", "body", "media_type"),
    [
        (None, "Hello World!", "text/plain; charset=utf-8"),
        ("text/html", "<h1>Hello World!</h1>", "text/html; charset=utf-8"),
        ("application/xml", "<xml><msg>Hello World!</msg></xml>", "application/xml"),
    ],
)
def test_content_negotiation_three_curls(accept: str | None, body: str, media_type: str) -> None:
    headers = {"Accept": accept} if accept else {}
    with TestClient(content_negotiation.app) as client:
        response = client.get("/resource", headers=headers)
    assert response.status_code == 200
    assert response.text == body
    assert response.headers["content-type"] == media_type


def test_content_negotiation_declares_and_documents_each_media_type() -> None:
    """The page's handler picks its media type at run time, so the document cannot infer it:
    declared with `responses=` at its success status, each type it may send is documented, and
    what it sends is unchanged (no 406: the handler's own default answers any Accept)."""
    offered = [MediaType.TEXT, MediaType.HTML, "application/xml"]
    declared = get(
        "/resource",
        sync_to_thread=False,
        responses={200: ResponseSpec(content={media_type: bytes for media_type in offered})},
    )(content_negotiation.retrieve_resource.fn)
    app = App(route_handlers=[declared])
    content = app.openapi()["paths"]["/resource"]["get"]["responses"]["200"]["content"]
    assert list(content) == ["text/plain", "text/html", "application/xml"]
    assert content["text/html"]["schema"] == {"type": "string", "format": "binary"}
    with TestClient(app) as client:
        for accept, media_type in [("text/html", "text/html"), ("image/png", "text/plain")]:
            response = client.get("/resource", headers={"Accept": accept})
            assert response.status_code == 200
            assert response.headers["content-type"].split(";")[0] == media_type
    undeclared = content_negotiation.app.openapi()["paths"]["/resource"]["get"]
    assert list(undeclared["responses"]["200"]["content"]) == ["text/plain"]


def test_status_code_202() -> None:
    with client_for(status_code.retrieve_resource) as client:
        response = client.get("/resources")
    assert response.status_code == 202
    assert response.json() == {"id": 1, "name": "my resource"}


def test_returning_response_with_header_and_cookie() -> None:
    with TestClient(returning_response.app) as client:
        response = client.get("/resources")
    assert response.status_code == 200
    assert response.json() == {"id": 1, "name": "my resource"}
    assert response.headers["my-header"] == "xyz"
    assert response.headers["set-cookie"] == "my-cookie=abc; Path=/; SameSite=lax"


def test_returning_an_asgi_app_calls_it() -> None:
    # the page's app body is `...`: it is called and sends nothing, which the client reports
    with client_for(returning_asgi_app.handler) as client, pytest.raises(RuntimeError):
        client.get("/")


def test_returning_a_starlette_response() -> None:
    with client_for(returning_starlette_response.handler) as client:
        response = client.get("/")
    assert response.status_code == 200
    assert response.json() == {"hello": "world"}


def test_layered_headers_from_every_layer() -> None:
    with TestClient(layered_headers.app) as client:
        response = client.get("/router-path/controller-path/handler-path")
    assert response.text == "hello world"
    assert {
        name: response.headers[name]
        for name in (
            "my-local-header",
            "controller-level-header",
            "router-level-header",
            "app-level-header",
        )
    } == {
        "my-local-header": "local header",
        "controller-level-header": "controller header",
        "router-level-header": "router header",
        "app-level-header": "app header",
    }


def test_headers_as_a_mapping() -> None:
    with client_for(mapping_headers.handler) as client:
        response = client.get("/")
    assert response.status_code == 200
    assert response.headers["my-header"] == "header-value"


def test_documentation_only_header_set_by_response() -> None:
    with TestClient(dynamic_headers.app) as client:
        response = client.get("/resources")
    assert 1 <= int(response.headers["random-header"]) <= 100
    assert response.headers.get_list("random-header") == [response.headers["random-header"]]


def test_after_request_hook_overrides_header() -> None:
    with TestClient(after_request_headers.app) as client:
        values = {
            int(client.get("/router-path/resources").headers["random-header"]) for _ in range(20)
        }
    assert values and all(1 <= value <= 100 for value in values)


def test_cache_control_layers() -> None:
    with TestClient(cache_control.app) as client:
        assert client.get("/population").headers["cache-control"] == "max-age=2628288, public"
        assert client.get("/chance_of_rain").headers["cache-control"] == "max-age=86400, public"
        timestamp = client.get("/timestamp")
    assert timestamp.headers["cache-control"] == "no-store"
    assert abs(timestamp.json() - time.time()) < 60


def test_etag_layers_and_documentation_only() -> None:
    with TestClient(etag.app) as client:
        assert client.get("/chance_of_rain").headers["etag"] == '"foo"'
        # the page's docstring says W/"bar", but ETag(value="bar") is a strong validator
        assert client.get("/timestamp").headers["etag"] == '"bar"'
        assert client.get("/population").headers["etag"] == '"bar"'
    # the page defines this handler but does not register it: register it under the same app etag
    dynamic_app = App([etag.get_population_count_dynamic], etag=ETag(value="bar"))
    with TestClient(dynamic_app) as client:
        dynamic = client.get("/population-dynamic")
    assert dynamic.headers["etag"] == dynamic.text
    assert dynamic.headers.get_list("etag") == [dynamic.text]


def test_etag_from_header() -> None:
    assert ETag.from_header('"foo"') == ETag(value="foo")
    assert ETag.from_header('W/"foo"') == ETag(value="foo", weak=True)


def test_custom_response_class_type_encoders() -> None:
    with TestClient(custom_response.app) as client:
        response = client.get("/")
    assert response.text == '{"foo":["bar","baz"]}'


def test_background_task_on_response(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    with TestClient(background_response.app) as client:
        response = client.get("/", params={"name": "Ada"})
    assert response.json() == {"hello": "Ada"}
    assert "greeter: was called with name Ada" in caplog.messages


def test_background_task_on_decorator(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    with TestClient(background_decorator.app) as client:
        response = client.get("/")
    assert response.json() == {"hello": "world"}
    assert "greeter: was called" in caplog.messages


def test_background_tasks_run_in_order(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    with TestClient(background_multiple.app) as client:
        client.get("/", params={"name": "Grace"})
    assert "Grace was greeted" in caplog.messages
    assert "Grace" in background_multiple.greeted


def test_classic_pagination() -> None:
    with TestClient(pagination_classic.app) as client:
        body = client.get("/people", params={"page_size": 10, "current_page": 2}).json()
    assert set(body) == {"items", "page_size", "current_page", "total_pages"}
    assert (body["page_size"], body["current_page"], body["total_pages"]) == (10, 2, 5)
    assert len(body["items"]) == 10
    assert set(body["items"][0]) == {"id", "name"}


def test_offset_pagination() -> None:
    with TestClient(pagination_offset.app) as client:
        body = client.get("/people", params={"limit": 10, "offset": 39}).json()
    assert set(body) == {"items", "limit", "offset", "total"}
    assert (body["limit"], body["offset"], body["total"]) == (10, 39, 50)
    assert len(body["items"]) == 10


def test_cursor_pagination() -> None:
    with TestClient(pagination_cursor.app) as client:
        body = client.get("/people", params={"results_per_page": 5}).json()
    assert set(body) == {"items", "results_per_page", "cursor"}
    assert body["results_per_page"] == 5
    assert body["cursor"] == body["items"][-1]["id"]
    missing = client_for(pagination_cursor.people_handler)
    with missing as client:
        assert client.get("/people").status_code == 400
