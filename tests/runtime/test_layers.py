"""Layered settings: app -> router -> controller -> handler, closest wins, resolved at start-up."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from specloom.runtime import App, Controller, Router, get, post
from specloom.runtime import app as app_module
from specloom.runtime.datastructures import Cookie, ResponseHeader
from specloom.runtime.di import Provide
from specloom.runtime.exceptions import HTTPException, PermissionDeniedException
from specloom.runtime.layers import LAYERED_OPTIONS, Merge, resolve_layers
from specloom.runtime.response import Response
from specloom.runtime.testing import TestClient

# --- resolve_layers (unit) -----------------------------------------------------------------


def _layer(**options: Any) -> SimpleNamespace:
    return SimpleNamespace(**options)


def test_scalar_closest_non_none_wins() -> None:
    config = resolve_layers(
        [
            _layer(request_max_body_size=1, include_in_schema=True),
            _layer(request_max_body_size=None, include_in_schema=False),
            _layer(request_max_body_size=3),
            _layer(),
        ]
    )
    assert config.request_max_body_size == 3
    assert config.include_in_schema is False


def test_mapping_merged_per_key_closest_wins() -> None:
    config = resolve_layers(
        [
            _layer(dependencies={"a": "app", "b": "app"}),
            _layer(dependencies={"b": "router", "c": "router"}),
            _layer(dependencies={"c": "handler"}),
        ]
    )
    assert dict(config.dependencies) == {"a": "app", "b": "router", "c": "handler"}


def test_headers_merged_case_insensitively_closest_wins() -> None:
    config = resolve_layers(
        [
            _layer(response_headers={"X-A": "app", "X-B": "app"}),
            _layer(response_headers=[ResponseHeader(name="x-b", value="handler")]),
        ]
    )
    assert {(h.name.lower(), h.value) for h in config.response_headers} == {
        ("x-a", "app"),
        ("x-b", "handler"),
    }


def test_cookies_merged_by_key() -> None:
    config = resolve_layers(
        [
            _layer(response_cookies=[Cookie(key="a", value="1"), Cookie(key="b", value="1")]),
            _layer(response_cookies=[Cookie(key="b", value="2")]),
        ]
    )
    assert {(c.key, c.value) for c in config.response_cookies} == {("a", "1"), ("b", "2")}


def test_guards_are_additive_in_order_and_tags_deduplicated() -> None:
    def g1() -> None: ...

    def g2() -> None: ...

    config = resolve_layers(
        [_layer(guards=[g1], tags=["x"]), _layer(guards=None), _layer(guards=[g2], tags=["x", "y"])]
    )
    assert config.guards == (g1, g2)
    assert config.tags == ("x", "y")


def test_every_layered_option_exists_on_every_layer() -> None:
    @get("/")
    def handler() -> None: ...

    for layer in (App(), Router("/r", []), Controller(), handler):
        for name in LAYERED_OPTIONS:
            assert hasattr(layer, name), (type(layer).__name__, name)
    assert LAYERED_OPTIONS["guards"] is Merge.ADDITIVE
    assert LAYERED_OPTIONS["request_max_body_size"] is Merge.SCALAR


# --- through the app -----------------------------------------------------------------------

calls: list[str] = []


def _guard(name: str) -> Any:
    def guard(request: Any, handler: Any) -> None:
        calls.append(name)
        if request.headers.get("x-deny") == name:
            raise PermissionDeniedException(f"denied by {name}")

    return guard


def _handler_for(name: str) -> Any:
    def handle(request: Any, exc: Exception) -> Response[dict[str, str]]:
        return Response({"handled_by": name}, status_code=418)

    return handle


class Boom(Exception):
    pass


class LayeredController(Controller):
    path = "/c"
    response_headers = {"x-layer": "controller", "x-controller": "1"}
    dependencies = {"who": Provide(lambda: "controller")}
    guards = [_guard("controller")]
    exception_handlers = {Boom: _handler_for("controller")}
    request_max_body_size = 20

    @get("/plain")
    def plain(self, who: str) -> str:
        return who

    @get(
        "/own",
        response_headers={"X-Layer": "handler"},
        dependencies={"who": Provide(lambda: "handler")},
        guards=[_guard("handler")],
        exception_handlers={Boom: _handler_for("handler")},
    )
    def own(self, who: str) -> str:
        return who

    @get("/boom")
    def boom(self) -> None:
        raise Boom()

    @get("/boom-own", exception_handlers={Boom: _handler_for("handler")})
    def boom_own(self) -> None:
        raise Boom()

    @post("/small")
    def small(self, data: str) -> str:
        return data

    @post("/big", request_max_body_size=100)
    def big(self, data: str) -> str:
        return data


@get("/top")
def top(who: str) -> str:
    return who


@get("/top-boom")
def top_boom() -> None:
    raise Boom()


@post("/top-body")
def top_body(data: str) -> str:
    return data


router = Router(
    "/r",
    [LayeredController, top, top_boom],
    response_headers={"x-layer": "router", "x-router": "1"},
    dependencies={"who": Provide(lambda: "router")},
    guards=[_guard("router")],
    exception_handlers={Boom: _handler_for("router")},
    request_max_body_size=10,
)

LAYERED_APP = App(
    [router, top_body],
    response_headers={"x-layer": "app", "x-app": "1"},
    dependencies={"who": Provide(lambda: "app")},
    guards=[_guard("app")],
    exception_handlers={Boom: _handler_for("app")},
    request_max_body_size=5,
)


@pytest.fixture(scope="module")
def client() -> Any:
    with TestClient(LAYERED_APP) as c:
        yield c


@pytest.fixture(autouse=True)
def _clear_calls() -> None:
    calls.clear()


def test_response_headers_merge_and_closest_wins(client: TestClient) -> None:
    plain = client.get("/r/c/plain").headers
    assert (plain["x-app"], plain["x-router"], plain["x-controller"]) == ("1", "1", "1")
    assert plain["x-layer"] == "controller"
    assert client.get("/r/c/own").headers["x-layer"] == "handler"
    assert client.get("/r/top").headers["x-layer"] == "router"
    assert "x-controller" not in client.get("/r/top").headers


def test_dependencies_closest_wins(client: TestClient) -> None:
    assert client.get("/r/c/plain").text == "controller"
    assert client.get("/r/c/own").text == "handler"
    assert client.get("/r/top").text == "router"


def test_guards_are_additive_from_app_inwards(client: TestClient) -> None:
    client.get("/r/c/own")
    assert calls == ["app", "router", "controller", "handler"]
    calls.clear()
    client.get("/r/top")
    assert calls == ["app", "router"]


def test_any_layer_guard_can_deny(client: TestClient) -> None:
    for layer in ("app", "router", "controller", "handler"):
        response = client.get("/r/c/own", headers={"x-deny": layer})
        assert response.status_code == 403
        assert response.json()["detail"] == f"denied by {layer}"


def test_exception_handlers_closest_wins(client: TestClient) -> None:
    assert client.get("/r/c/boom").json() == {"handled_by": "controller"}
    assert client.get("/r/c/boom-own").json() == {"handled_by": "handler"}
    assert client.get("/r/top-boom").json() == {"handled_by": "router"}
    assert client.get("/r/top-boom").status_code == 418


def test_request_max_body_size_closest_wins(client: TestClient) -> None:
    assert client.post("/top-body", content=b"123456").status_code == 413  # app: 5
    assert client.post("/top-body", content=b"12345").status_code == 201
    assert client.post("/r/c/small", content=b"x" * 21).status_code == 413  # controller: 20
    assert client.post("/r/c/small", content=b"x" * 20).status_code == 201
    assert client.post("/r/c/big", content=b"x" * 100).status_code == 201  # handler: 100
    assert client.post("/r/c/big", content=b"x" * 101).status_code == 413


def test_include_in_schema_is_layered() -> None:
    @get("/a")
    def a() -> None: ...

    @get("/b", include_in_schema=True)
    def b() -> None: ...

    app = App([Router("/r", [a, b], include_in_schema=False)])
    resolved = {c.handler.name: c.config.include_in_schema for c in app.compiled_handlers}
    assert (resolved["a"], resolved["b"]) == (False, True)


def test_layers_are_resolved_once_at_start_up(monkeypatch: pytest.MonkeyPatch) -> None:
    resolved: list[int] = []
    original = app_module.resolve_layers

    def counting(layers: Any) -> Any:
        resolved.append(len(layers))
        return original(layers)

    monkeypatch.setattr(app_module, "resolve_layers", counting)

    @get("/x")
    def x() -> str:
        return "x"

    layer = Router("/r", [x], response_headers={"x-h": "before"})
    app = App([layer])
    assert resolved[0] == 3  # app, router, handler: once per handler, at App()
    at_start_up = len(resolved)

    layer.response_headers = {"x-h": "after"}  # too late: the app has been built
    with TestClient(app) as c:
        for _ in range(3):
            assert c.get("/r/x").headers["x-h"] == "before"
    assert len(resolved) == at_start_up  # nothing is resolved per request


def test_http_exception_headers_are_sent() -> None:
    @get("/h")
    def h() -> None:
        raise HTTPException(status_code=429, headers={"retry-after": "3"})

    with TestClient(App([h], response_headers={"x-app": "1"})) as c:
        response = c.get("/h")
    assert response.status_code == 429
    assert response.headers["retry-after"] == "3"
