"""Middleware on every layer, in Litestar's order, composed once per route at start-up."""

from __future__ import annotations

from typing import Any

import pytest

from specloom.runtime import App, Controller, Router, get
from specloom.runtime.compile import CompiledHandler
from specloom.runtime.exceptions import NotAuthorizedException
from specloom.runtime.middleware import AbstractMiddleware, DefineMiddleware
from specloom.runtime.middleware.stack import MiddlewareRoute
from specloom.runtime.testing import TestClient
from specloom.runtime.types import ASGIApp, Message, Receive, Scope, Send


def tagging(name: str) -> Any:
    """A plain factory: the middleware appends its name to `x-trail` and to the scope's trail."""

    def factory(app: ASGIApp) -> ASGIApp:
        async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
            scope.setdefault("trail", []).append(name)

            async def send_tagged(message: Message) -> None:
                if message["type"] == "http.response.start":
                    headers = list(message.get("headers", ()))
                    headers.append((b"x-trail", name.encode()))
                    message["headers"] = headers
                await send(message)

            await app(scope, receive, send_tagged)

        return middleware

    return factory


class Tag(AbstractMiddleware):
    def __init__(self, app: ASGIApp, name: str, **kwargs: Any) -> None:
        super().__init__(app, **kwargs)
        self.name = name

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        scope.setdefault("trail", []).append(self.name)
        await self.app(scope, receive, send)


def _trail(scope: Scope) -> list[str]:
    return list(scope.get("trail", []))


def test_order_across_layers_and_within_lists() -> None:
    class Items(Controller):
        path = "/items"
        middleware = [tagging("controller")]

        @get(
            "/{item_id:int}",
            middleware=[tagging("handler-1"), DefineMiddleware(Tag, name="handler-2")],
        )
        async def one(self, item_id: int, scope: Scope) -> dict[str, Any]:
            return {"id": item_id, "trail": _trail(scope)}

    router = Router("/api", [Items], middleware=[tagging("router")])
    app = App([router], middleware=[tagging("app-1"), tagging("app-2")])
    with TestClient(app) as client:
        response = client.get("/api/items/3")
    assert response.status_code == 200
    expected = ["app-1", "app-2", "router", "controller", "handler-1", "handler-2"]
    assert response.json() == {"id": 3, "trail": expected}
    # the innermost middleware's header is added first: send passes outwards
    assert response.headers.get_list("x-trail") == [
        "handler-1",
        "controller",
        "router",
        "app-2",
        "app-1",
    ]


def test_no_middleware_serves_the_compiled_handler_itself() -> None:
    @get("/plain")
    async def plain() -> str:
        return "x"

    @get("/wrapped", middleware=[tagging("h")])
    async def wrapped() -> str:
        return "y"

    app = App([plain, wrapped])
    assert type(app.route_table.static["/plain"].handlers["GET"]) is CompiledHandler
    assert type(app.route_table.static["/wrapped"].handlers["GET"]) is MiddlewareRoute
    with TestClient(app) as client:
        assert client.get("/plain").headers.get("x-trail") is None
        assert client.get("/wrapped").headers["x-trail"] == "h"
        assert client.head("/wrapped").headers["x-trail"] == "h"


def test_abstract_middleware_exclude_patterns_and_opt_key() -> None:
    seen: list[str] = []

    class Recorder(AbstractMiddleware):
        exclude = ["^/health", r"/skip/\d+$"]
        exclude_opt_key = "no_recorder"

        async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
            seen.append(scope["path"])
            await self.app(scope, receive, send)

    @get(["/health", "/work", "/skip/{n:int}", "/skip/{n:int}/more"])
    async def many(n: int = 0) -> str:
        return "ok"

    @get("/quiet", opt={"no_recorder": True})
    async def quiet() -> str:
        return "ok"

    app = App([many, quiet], middleware=[Recorder])
    assert type(app.route_table.static["/quiet"].handlers["GET"]) is CompiledHandler
    with TestClient(app) as client:
        for path in ("/health", "/work", "/skip/1", "/skip/1/more", "/quiet"):
            assert client.get(path).status_code == 200
    assert seen == ["/work", "/skip/1/more"]


def test_define_middleware_arguments_and_instance_options() -> None:
    seen: list[str] = []

    class Named(AbstractMiddleware):
        def __init__(self, app: ASGIApp, label: str, **kwargs: Any) -> None:
            super().__init__(app, **kwargs)
            self.label = label

        async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
            seen.append(self.label)
            await self.app(scope, receive, send)

    @get(["/a", "/b"])
    async def handler() -> str:
        return "ok"

    app = App([handler], middleware=[DefineMiddleware(Named, label="one", exclude="^/b")])
    with TestClient(app) as client:
        client.get("/a")
        client.get("/b")
    assert seen == ["one"]
    assert "Named" in repr(DefineMiddleware(Named, label="one"))


def test_websocket_only_middleware_is_left_out() -> None:
    class SocketsOnly(AbstractMiddleware):
        scopes = frozenset({"websocket"})

        async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
            raise AssertionError("never on HTTP")

    @get("/")
    async def index() -> str:
        return "ok"

    app = App([index], middleware=[SocketsOnly])
    assert type(app.route_table.static["/"].handlers["GET"]) is CompiledHandler
    with TestClient(app) as client:
        assert client.get("/").text == "ok"


def test_an_exception_in_middleware_is_answered_by_the_handlers_exception_handlers() -> None:
    def refuse(app: ASGIApp) -> ASGIApp:
        async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["path"] == "/private":
                raise NotAuthorizedException("no token")
            await app(scope, receive, send)

        return middleware

    @get(["/private", "/public"])
    async def handler() -> str:
        return "ok"

    app = App([handler], middleware=[refuse])
    with TestClient(app) as client:
        response = client.get("/private")
        assert response.status_code == 401
        assert response.json()["detail"] == "no token"
        assert client.get("/public").text == "ok"


def test_middleware_can_answer_without_calling_the_handler() -> None:
    def teapot(app: ASGIApp) -> ASGIApp:
        async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
            await send({"type": "http.response.start", "status": 418, "headers": []})
            await send({"type": "http.response.body", "body": b"short"})

        return middleware

    @get("/")
    async def index() -> str:
        raise AssertionError("not called")

    with TestClient(App([index], middleware=[teapot])) as client:
        response = client.get("/")
    assert (response.status_code, response.text) == (418, "short")


@pytest.mark.parametrize("path", ["/items/1", "/items/2?x=1"])
def test_path_parameters_pass_through_the_stack(path: str) -> None:
    @get("/items/{item_id:int}", middleware=[tagging("h")])
    async def item(item_id: int) -> int:
        return item_id

    with TestClient(App([item])) as client:
        assert client.get(path).json() == int(path.split("/")[2].split("?")[0])


def test_the_schema_routes_get_the_apps_middleware() -> None:
    @get("/")
    async def index() -> str:
        return "ok"

    app = App([index], middleware=[tagging("app")], allowed_hosts=["example.com"])
    with TestClient(app) as client:
        schema = client.get("/schema/openapi.json", headers={"host": "example.com"})
        assert schema.status_code == 200
        assert schema.headers["x-trail"] == "app"
        assert client.get("/schema/openapi.json", headers={"host": "evil.com"}).status_code == 400
