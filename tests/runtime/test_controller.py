"""Controller: methods are handlers bound to an instance; class attributes are a layer."""

from __future__ import annotations

from typing import Any

import pytest

from specloom.runtime import App, Controller, Router, delete, get, post
from specloom.runtime.di import Provide
from specloom.runtime.exceptions import ImproperlyConfiguredException, NotFoundException
from specloom.runtime.response import Response
from specloom.runtime.testing import TestClient


class ItemController(Controller):
    path = "/items"
    response_headers = {"x-layer": "controller"}
    dependencies = {"prefix": Provide(lambda: "item")}

    def __init__(self) -> None:
        self.created = "instance"

    @get()
    def list_items(self) -> list[str]:
        return ["a", "b"]

    @get("/{item_id:int}")
    def get_item(self, item_id: int, prefix: str) -> dict[str, Any]:
        return {"id": item_id, "prefix": prefix, "self": self.created}

    @post()
    def create(self, data: dict[str, int]) -> dict[str, int]:
        return data

    @delete("/{item_id:int}")
    def remove(self, item_id: int) -> None:
        return None


def test_controller_path_prefixes_its_handlers() -> None:
    with TestClient(App([ItemController])) as client:
        assert client.get("/items").json() == ["a", "b"]
        assert client.get("/items/3").json() == {"id": 3, "prefix": "item", "self": "instance"}
        assert client.post("/items", json={"n": 1}).status_code == 201
        assert client.delete("/items/3").status_code == 204
        assert client.get("/3").status_code == 404


def test_controller_attributes_are_layer_settings() -> None:
    with TestClient(App([ItemController], response_headers={"x-layer": "app"})) as client:
        assert client.get("/items").headers["x-layer"] == "controller"


def test_controller_under_router_joins_paths() -> None:
    app = App([Router("/api/v1", [ItemController])])
    with TestClient(app) as client:
        assert client.get("/api/v1/items/7").json()["id"] == 7
        assert client.get("/items/7").status_code == 404


def test_controller_instance_can_be_registered() -> None:
    controller = ItemController()
    controller.created = "custom instance"
    with TestClient(App([controller])) as client:
        assert client.get("/items/1").json()["self"] == "custom instance"


def test_subclass_overrides_handler_by_name_and_inherits_others() -> None:
    class Child(ItemController):
        path = "/child"

        @get()
        def list_items(self) -> list[str]:
            return ["child"]

    with TestClient(App([Child])) as client:
        assert client.get("/child").json() == ["child"]
        assert client.get("/child/2").json()["id"] == 2


def test_controller_is_registered_once_per_app() -> None:
    class Counted(Controller):
        path = "/c"

        @get()
        def index(self) -> str:
            return "x"

    first, second = App([Counted]), App([Counted])
    for app in (first, second):
        assert [c.handler.name for c in app.compiled_handlers if c.handler.name == "index"] == [
            "index"
        ]
    with pytest.raises(ImproperlyConfiguredException, match="duplicate route"):
        App([Counted, Counted])


def test_controller_exception_handler_and_guard() -> None:
    seen: list[str] = []

    def guard(request: Any, handler: Any) -> None:
        seen.append(handler.handler_name)

    class Guarded(Controller):
        path = "/g"
        guards = [guard]
        exception_handlers = {
            NotFoundException: lambda request, exc: Response({"controller": True}, status_code=410)
        }

        @get("/{x:int}")
        def missing(self, x: int) -> None:
            raise NotFoundException()

    with TestClient(App([Guarded])) as client:
        response = client.get("/g/1")
    assert response.status_code == 410
    assert response.json() == {"controller": True}
    assert seen == ["test_controller_exception_handler_and_guard.<locals>.Guarded.missing"]


def test_default_controller_path_is_root() -> None:
    class Root(Controller):
        @get("/ping")
        def ping(self) -> str:
            return "pong"

    with TestClient(App([Root])) as client:
        assert client.get("/ping").text == "pong"
