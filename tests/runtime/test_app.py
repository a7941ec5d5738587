"""App: public imports, construction, automatic HEAD/OPTIONS, 404/405 and the ASGI surface."""

from __future__ import annotations

import asyncio
import gc
import importlib
from typing import Any

import pytest

from specloom.runtime import (
    App,
    Controller,
    MediaType,
    Request,
    Response,
    Router,
    get,
    head,
    post,
    route,
)
from specloom.runtime.exceptions import ImproperlyConfiguredException
from specloom.runtime.testing import TestClient


@pytest.mark.parametrize(
    ("module", "names"),
    [
        (
            "specloom.runtime",
            [
                "App",
                "Router",
                "Controller",
                "get",
                "post",
                "put",
                "patch",
                "delete",
                "head",
                "route",
                "Request",
                "Response",
                "MediaType",
            ],
        ),
        ("specloom.runtime.params", ["Parameter"]),
        ("specloom.runtime.di", ["Provide"]),
        (
            "specloom.runtime.exceptions",
            [
                "HTTPException",
                "ImproperlyConfiguredException",
                "NotFoundException",
                "ValidationException",
                "ClientException",
                "MethodNotAllowedException",
            ],
        ),
        ("specloom.runtime.testing", ["TestClient", "AsyncTestClient"]),
        ("specloom.runtime.status_codes", ["HTTP_200_OK", "HTTP_404_NOT_FOUND"]),
        ("specloom.runtime.datastructures", ["ResponseHeader", "Cookie", "MultiDict"]),
    ],
)
def test_public_import_paths(module: str, names: list[str]) -> None:
    imported = importlib.import_module(module)
    for name in names:
        assert hasattr(imported, name), f"{module}.{name}"
    exported = getattr(imported, "__all__", None)
    if exported is not None:
        assert set(names) <= set(exported)


def test_media_type_values() -> None:
    assert MediaType.JSON == "application/json"
    assert MediaType.TEXT == "text/plain"
    assert MediaType.HTML == "text/html"


def test_app_is_a_router_with_state_and_debug() -> None:
    app = App([], state={"count": 1}, debug=True)
    assert isinstance(app, Router)
    assert app.debug is True
    assert app.state.count == 1
    app.state.other = "x"
    assert app.state["other"] == "x"
    assert App().debug is False


def test_app_rejects_non_handlers() -> None:
    def undecorated() -> None: ...

    with pytest.raises(ImproperlyConfiguredException, match="not a route handler"):
        App([undecorated])  # type: ignore[list-item]


def test_construction_leaves_the_garbage_collector_as_it_was() -> None:
    """The collector is paused while routes compile; after, enabled or not, as before, also
    when construction fails."""

    class Opaque:
        pass

    @post("/b")
    def takes_opaque(data: Opaque) -> None: ...

    @get("/ok")
    def fine() -> None: ...

    assert gc.isenabled()
    App([fine])
    assert gc.isenabled()
    with pytest.raises(ImproperlyConfiguredException):
        App([takes_opaque])
    assert gc.isenabled()
    gc.disable()
    try:
        App([fine])
        assert not gc.isenabled()
    finally:
        gc.enable()


@get("/item")
def get_item() -> dict[str, str]:
    return {"name": "widget"}


@post("/item")
def create_item() -> dict[str, str]:
    return {"created": "yes"}


@head("/only-head")
def only_head() -> None:
    return None


@get("/text", media_type=MediaType.TEXT)
def text() -> str:
    return "hello"


APP = App([get_item, create_item, only_head, text])


@pytest.fixture(scope="module")
def client() -> Any:
    with TestClient(APP) as c:
        yield c


def test_automatic_head_has_get_headers_and_no_body(client: TestClient) -> None:
    got = client.get("/item")
    headed = client.head("/item")
    assert headed.status_code == got.status_code == 200
    assert headed.content == b""
    assert (
        headed.headers["content-length"] == got.headers["content-length"] == str(len(got.content))
    )
    assert headed.headers["content-type"] == got.headers["content-type"] == "application/json"


def test_automatic_head_for_text_handler(client: TestClient) -> None:
    headed = client.head("/text")
    assert headed.content == b""
    assert headed.headers["content-length"] == "5"
    assert headed.headers["content-type"] == "text/plain; charset=utf-8"


def test_automatic_options_is_204_with_allow(client: TestClient) -> None:
    response = client.options("/item")
    assert response.status_code == 204
    assert response.content == b""
    assert response.headers["allow"] == "GET, HEAD, OPTIONS, POST"


def test_explicit_head_route_does_not_answer_get(client: TestClient) -> None:
    assert client.head("/only-head").status_code == 200
    response = client.get("/only-head")
    assert response.status_code == 405
    assert response.headers["allow"] == "HEAD, OPTIONS"


def test_method_not_allowed_is_405_json_with_allow(client: TestClient) -> None:
    response = client.delete("/item")
    assert response.status_code == 405
    assert response.headers["content-type"] == "application/json"
    assert response.headers["allow"] == "GET, HEAD, OPTIONS, POST"
    assert response.json() == {"status_code": 405, "detail": "Method Not Allowed"}


def test_not_found_is_404_json(client: TestClient) -> None:
    response = client.get("/missing")
    assert response.status_code == 404
    assert response.json() == {"status_code": 404, "detail": "Not Found"}


def test_route_with_several_methods() -> None:
    @route("/both", http_method=["GET", "post"])
    def both(request: Request[Any, Any]) -> str:
        return request.method

    with TestClient(App([both])) as c:
        assert c.get("/both").text == "GET"
        assert c.post("/both").text == "POST"
        assert c.post("/both").status_code == 200  # several methods: default 200
        assert c.put("/both").status_code == 405


def test_websocket_scope_is_closed() -> None:
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "websocket.connect"}

    async def send(message: Any) -> None:
        sent.append(message)

    asyncio.run(APP({"type": "websocket", "path": "/item", "headers": []}, receive, send))
    assert sent == [{"type": "websocket.close", "code": 1000}]


def test_app_can_be_called_as_raw_asgi() -> None:
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Any) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "GET", "path": "/item", "headers": [], "query_string": b""}
    asyncio.run(APP(scope, receive, send))
    assert sent[0]["status"] == 200
    assert sent[1]["body"] == b'{"name":"widget"}'


def test_returning_a_response_object() -> None:
    @get("/custom")
    def custom() -> Response[dict[str, int]]:
        return Response({"a": 1}, status_code=202, headers={"x-custom": "yes"})

    with TestClient(App([custom])) as c:
        response = c.get("/custom")
    assert response.status_code == 202
    assert response.headers["x-custom"] == "yes"
    assert response.json() == {"a": 1}


def test_trailing_slash_and_root_route() -> None:
    @get("/")
    def root() -> str:
        return "root"

    @get("/static")
    def static() -> str:
        return "static"

    with TestClient(App([root, Router("/r", [static])])) as c:
        assert c.get("/").text == "root"
        assert c.get("/r/static").text == "static"
        assert c.get("/r/static/").text == "static"
        assert c.get("/static").status_code == 404


def test_a_declared_trailing_slash_is_matched_either_way_and_documented() -> None:
    @get("/services/")
    def services() -> str:
        return "services"

    class Pets(Controller):
        path = "/pets/"

        @get("/")
        def pets(self) -> str:
            return "pets"

        @get("/{pet_id:int}/")
        def pet(self, pet_id: int) -> int:
            return pet_id

    app = App([services, Router("/v1/", [Pets])])
    with TestClient(app) as c:
        assert c.get("/services").text == c.get("/services/").text == "services"
        assert c.get("/v1/pets").text == c.get("/v1/pets/").text == "pets"
        assert c.get("/v1/pets/3/").json() == c.get("/v1/pets/3").json() == 3
    assert set(app.openapi()["paths"]) == {"/services/", "/v1/pets", "/v1/pets/{pet_id}/"}


def test_one_path_with_and_without_its_trailing_slash_is_one_route() -> None:
    @get("/a")
    def a() -> str:
        return "a"

    @get("/a/")
    def a_slash() -> str:
        return "a/"

    with pytest.raises(ImproperlyConfiguredException, match="duplicate route"):
        App([a, a_slash])
