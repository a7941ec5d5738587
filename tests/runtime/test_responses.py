"""Responses beyond the page's examples: hooks, encodable values, layered response classes,
conditional requests, header order, returned ASGI apps."""

from __future__ import annotations

import dataclasses
import datetime
import enum
import uuid
from decimal import Decimal
from pathlib import PurePosixPath
from typing import Any, TypedDict

import attrs
import msgspec
import pydantic
import pytest

from specloom.runtime import App, Controller, MediaType, Request, Response, Router, get, post
from specloom.runtime.datastructures import Cookie, ETag, ResponseHeader
from specloom.runtime.exceptions import ImproperlyConfiguredException
from specloom.runtime.testing import TestClient
from specloom.runtime.types import Receive, Scope, Send


def tag(label: str) -> Any:
    def after_request(response: Response[Any]) -> Response[Any]:
        response.headers["x-after"] = label
        return response

    return after_request


def test_after_request_closest_layer_wins_and_sees_layered_headers() -> None:
    seen: list[dict[str, str]] = []

    def record(response: Response[Any]) -> Response[Any]:
        seen.append(dict(response.headers))
        response.headers["x-after"] = "handler"
        return response

    @get("/own", after_request=record, response_headers={"x-handler": "h"})
    async def own() -> dict[str, int]:
        return {"a": 1}

    @get("/inherited")
    async def inherited() -> dict[str, int]:
        return {"a": 2}

    class Things(Controller):
        path = "/things"
        after_request = staticmethod(tag("controller"))

        @get()
        async def things(self) -> list[int]:
            return [1]

    router = Router("/r", [own, inherited, Things], after_request=tag("router"))
    app = App([router], after_request=tag("app"), response_headers={"x-app": "a"})
    with TestClient(app) as client:
        assert client.get("/r/own").headers["x-after"] == "handler"
        assert client.get("/r/inherited").headers["x-after"] == "router"
        assert client.get("/r/things").headers["x-after"] == "controller"
    # the hook saw the final response: its own layered headers and the app's
    assert seen == [{"x-app": "a", "x-handler": "h"}]


def test_before_request_can_answer_instead_of_the_handler() -> None:
    calls: list[str] = []

    def gate(request: Request[Any, Any]) -> Any:
        if request.query_params.get("stop"):
            return {"stopped": True}
        return None

    @get("/work", before_request=gate)
    async def work() -> dict[str, bool]:
        calls.append("work")
        return {"stopped": False}

    with TestClient(App([work])) as client:
        assert client.get("/work", params={"stop": "1"}).json() == {"stopped": True}
        assert client.get("/work").json() == {"stopped": False}
    assert calls == ["work"]


def test_after_response_runs_after_sending_on_every_layer() -> None:
    events: list[str] = []

    def after(label: str) -> Any:
        async def hook(request: Request[Any, Any]) -> None:
            events.append(f"{label}:{request.url.path}")

        return hook

    @get("/a")
    async def a() -> str:
        return "a"

    @get("/b", after_response=after("handler"))
    async def b() -> str:
        return "b"

    with TestClient(App([a, b], after_response=after("app"))) as client:
        client.get("/a")
        client.get("/b")
    assert events == ["app:/a", "handler:/b"]


class Colour(enum.Enum):
    RED = "red"


@dataclasses.dataclass
class Point:
    x: int


@attrs.define
class Size:
    width: int


class Shape(TypedDict):
    sides: int


class Named(pydantic.BaseModel):
    name: str


class Item(msgspec.Struct):
    id: int


def test_encodable_values() -> None:
    value = {
        "struct": Item(id=1),
        "dataclass": Point(x=2),
        "attrs": Size(width=3),
        "typeddict": Shape(sides=4),
        "pydantic": Named(name="n"),
        "datetime": datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.UTC),
        "date": datetime.date(2024, 1, 2),
        "uuid": uuid.UUID(int=1),
        "decimal": Decimal("1.50"),
        "path": PurePosixPath("/tmp/x"),
        "enum": Colour.RED,
        "set": {7},
        "list": [Item(id=5)],
    }

    @get("/all")
    async def everything() -> dict[str, Any]:
        return value

    @get("/packed", media_type=MediaType.MESSAGEPACK)
    async def packed() -> dict[str, Any]:
        return value

    with TestClient(App([everything, packed])) as client:
        body = client.get("/all").json()
        unpacked = msgspec.msgpack.decode(client.get("/packed").content)
    expected = {
        "struct": {"id": 1},
        "dataclass": {"x": 2},
        "attrs": {"width": 3},
        "typeddict": {"sides": 4},
        "pydantic": {"name": "n"},
        "datetime": "2024-01-02T03:04:05Z",
        "date": "2024-01-02",
        "uuid": "00000000-0000-0000-0000-000000000001",
        "decimal": 1.5,
        "path": "/tmp/x",
        "enum": "red",
        "set": [7],
        "list": [{"id": 5}],
    }
    assert body == expected
    assert unpacked["struct"] == {"id": 1} and unpacked["enum"] == "red"


class Money:
    def __init__(self, cents: int) -> None:
        self.cents = cents


class EuroResponse(Response[Any]):
    type_encoders = {Money: lambda m: f"EUR {m.cents / 100:.2f}"}


class CentResponse(Response[Any]):
    type_encoders = {Money: lambda m: m.cents}


def test_response_class_and_type_encoders_closest_layer_wins() -> None:
    @get("/app")
    async def app_level() -> Any:
        return Money(250)

    @get("/handler", response_class=CentResponse)
    async def handler_level() -> Any:
        return Money(250)

    @get("/encoders", type_encoders={Money: lambda m: {"cents": m.cents}})
    async def encoders() -> Any:
        return Money(5)

    app = App(
        [Router("/", [app_level, handler_level]), encoders],
        response_class=EuroResponse,
    )
    with TestClient(app) as client:
        assert client.get("/app").json() == "EUR 2.50"
        assert client.get("/handler").json() == 250
        assert client.get("/encoders").json() == {"cents": 5}


def test_a_returned_response_status_and_media_type_beat_the_decorator() -> None:
    @post("/made", media_type=MediaType.TEXT)
    async def made() -> Response[dict[str, int]]:
        return Response({"a": 1}, status_code=202, media_type=MediaType.JSON)

    with TestClient(App([made])) as client:
        response = client.post("/made")
    assert response.status_code == 202
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {"a": 1}


def test_conditional_get_with_layered_etag_and_with_a_response_etag() -> None:
    @get("/static", etag=ETag(value="v1"))
    async def static() -> dict[str, int]:
        return {"v": 1}

    @get("/dynamic")
    async def dynamic() -> Response[dict[str, int]]:
        return Response({"v": 2}, headers={"etag": 'W/"v2"'})

    with TestClient(App([static, dynamic])) as client:
        assert client.get("/static", headers={"if-none-match": '"v0"'}).status_code == 200
        fresh = client.get("/static", headers={"if-none-match": '"v0", W/"v1"'})
        assert fresh.status_code == 304
        assert fresh.content == b"" and "content-length" not in fresh.headers
        assert fresh.headers["etag"] == '"v1"'
        assert client.get("/dynamic", headers={"if-none-match": "*"}).status_code == 304
        assert client.get("/dynamic", headers={"if-none-match": '"v2"'}).status_code == 304


def test_headers_once_each_in_a_stable_order_cookies_repeated() -> None:
    @get(
        "/h",
        response_headers=[ResponseHeader(name="X-Layer", value="handler")],
        response_cookies=[Cookie(key="a", value="1")],
    )
    async def h() -> Response[str]:
        return Response(
            "x",
            headers={"x-layer": "own", "X-Own": "o"},
            cookies=[Cookie(key="b", value="2")],
            media_type=MediaType.TEXT,
        )

    app = App([h], response_headers={"x-app": "app", "X-LAYER": "app"})
    with TestClient(app) as client:
        first = client.get("/h").headers.multi_items()
        second = client.get("/h").headers.multi_items()
    assert first == second
    names = [name for name, _ in first if name != "set-cookie"]
    assert len(names) == len(set(names))
    assert dict(first)["x-layer"] == "own"
    assert [v for k, v in first if k == "set-cookie"] == [
        "a=1; Path=/; SameSite=lax",
        "b=2; Path=/; SameSite=lax",
    ]


class MethodApp:
    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 207, "headers": []})
        await send({"type": "http.response.body", "body": b"method"})


class CallableApp:
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 208, "headers": []})
        await send({"type": "http.response.body", "body": b"instance"})


def test_returning_asgi_apps_of_every_kind() -> None:
    @get("/method")
    async def method() -> Any:
        return MethodApp().handle

    @get("/instance")
    async def instance() -> Any:
        return CallableApp()

    with TestClient(App([method, instance])) as client:
        assert (client.get("/method").status_code, client.get("/method").text) == (207, "method")
        assert client.get("/instance").status_code == 208


@pytest.mark.parametrize("status", [204, 304, 101])
def test_no_body_statuses_need_a_none_annotation(status: int) -> None:
    @get("/x", status_code=status)
    async def bad() -> dict[str, int]:
        return {}

    with pytest.raises(ImproperlyConfiguredException, match="must be None"):
        App([bad])
