"""Route handler decorators: options, default status codes, sync/async/thread execution, and
definitions that must be rejected at start-up."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from specloom.runtime import (
    App,
    HTTPRouteHandler,
    MediaType,
    delete,
    get,
    head,
    patch,
    post,
    put,
    route,
)
from specloom.runtime.di import Provide
from specloom.runtime.exceptions import ImproperlyConfiguredException
from specloom.runtime.testing import TestClient


@pytest.mark.parametrize(
    ("decorator", "method", "status"),
    [
        (get, "GET", 200),
        (post, "POST", 201),
        (put, "PUT", 200),
        (patch, "PATCH", 200),
        (delete, "DELETE", 204),
        (head, "HEAD", 200),
    ],
)
def test_decorators_set_method_and_default_status(decorator: Any, method: str, status: int) -> None:
    @decorator("/thing")
    def handler() -> None:
        return None

    assert isinstance(handler, HTTPRouteHandler)
    assert handler.http_methods == frozenset({method})
    assert handler.status_code == status
    with TestClient(App([handler])) as client:
        response = client.request(method, "/thing")
    assert response.status_code == status


def test_decorator_options_are_kept_on_the_handler() -> None:
    @get(
        ["/a", "/b"],
        status_code=203,
        media_type=MediaType.TEXT,
        name="my-name",
        operation_id="getThing",
        include_in_schema=False,
        sync_to_thread=True,
    )
    def thing() -> str:
        return "x"

    assert thing.paths == ("/a", "/b")
    assert thing.status_code == 203
    assert thing.media_type == MediaType.TEXT
    assert thing.name == "my-name"
    assert thing.operation_id == "getThing"
    assert thing.include_in_schema is False
    assert thing.sync_to_thread is True


def test_name_defaults_to_function_name_and_path_to_root() -> None:
    @get()
    def index() -> str:
        return "root"

    assert index.name == "index"
    assert index.paths == ("/",)
    with TestClient(App([index])) as client:
        assert client.get("/").text == "root"


def test_path_list_serves_every_path() -> None:
    @get(["/one", "/two/{n:int}"])
    def handler(n: int = 1) -> int:
        return n * 10

    with TestClient(App([handler])) as client:
        assert client.get("/one").json() == 10
        assert client.get("/two/4").json() == 40


def test_status_code_and_media_type_are_used_in_the_response() -> None:
    @post("/made", status_code=202, media_type="text/html")
    def made() -> str:
        return "<p>ok</p>"

    with TestClient(App([made])) as client:
        response = client.post("/made")
    assert response.status_code == 202
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.text == "<p>ok</p>"


def test_str_return_defaults_to_text_and_others_to_json() -> None:
    @get("/s")
    def s() -> str:
        return "plain"

    @get("/j")
    def j() -> list[int]:
        return [1, 2]

    with TestClient(App([s, j])) as client:
        assert client.get("/s").headers["content-type"] == "text/plain; charset=utf-8"
        assert client.get("/j").headers["content-type"] == "application/json"
        assert client.get("/j").content == b"[1,2]"


def test_route_decorator_with_several_methods() -> None:
    @route("/r", http_method=["put", "PATCH"], status_code=202)
    def handler() -> dict[str, bool]:
        return {"ok": True}

    assert handler.http_methods == frozenset({"PUT", "PATCH"})
    with TestClient(App([handler])) as client:
        assert client.put("/r").status_code == 202
        assert client.patch("/r").status_code == 202
        assert client.get("/r").status_code == 405


def test_route_rejects_unknown_or_no_methods() -> None:
    with pytest.raises(ImproperlyConfiguredException, match="unknown HTTP method"):
        route("/x", http_method=["FETCH"])
    with pytest.raises(ImproperlyConfiguredException, match="at least one HTTP method"):
        route("/x", http_method=[])


def test_handler_dependencies_are_injected() -> None:
    @get("/dep", dependencies={"answer": Provide(lambda: 42)})
    def handler(answer: int) -> int:
        return answer

    with TestClient(App([handler])) as client:
        assert client.get("/dep").json() == 42


def _thread_app() -> App:
    @get("/inline")
    def inline() -> int:
        return threading.get_ident()

    @get("/threaded", sync_to_thread=True)
    def threaded() -> int:
        return threading.get_ident()

    @get("/async")
    async def async_handler() -> int:
        return threading.get_ident()

    return App([inline, threaded, async_handler])


def test_sync_handlers_run_inline_on_the_event_loop_thread() -> None:
    with TestClient(_thread_app()) as client:
        loop_thread = client.get("/async").json()
        assert client.get("/inline").json() == loop_thread


def test_sync_to_thread_runs_in_a_worker_thread() -> None:
    with TestClient(_thread_app()) as client:
        loop_thread = client.get("/async").json()
        worker = client.get("/threaded").json()
    assert worker != loop_thread
    assert worker != threading.get_ident()


def test_async_handler_is_awaited() -> None:
    @get("/a")
    async def handler() -> dict[str, str]:
        return {"async": "yes"}

    with TestClient(App([handler])) as client:
        assert client.get("/a").json() == {"async": "yes"}


def test_callable_object_handler() -> None:
    class Greeter:
        async def __call__(self, name: str) -> str:
            return f"hi {name}"

    handler = get("/greet")(Greeter())
    with TestClient(App([handler])) as client:
        assert client.get("/greet", params={"name": "bo"}).text == "hi bo"


# --- definitions rejected at App(...) ------------------------------------------------------


class Opaque:
    """A plain class msgspec cannot build from a request."""


def test_status_204_with_non_none_return_fails_naming_the_handler() -> None:
    @get("/nothing", status_code=204)
    def returns_int_on_204() -> int:
        return 1

    with pytest.raises(ImproperlyConfiguredException, match=r"returns_int_on_204.*204"):
        App([returns_int_on_204])


def test_delete_default_204_requires_none_return() -> None:
    @delete("/x")
    def delete_with_body() -> dict[str, str]:
        return {}

    with pytest.raises(ImproperlyConfiguredException, match="delete_with_body"):
        App([delete_with_body])

    @delete("/y")
    def delete_ok() -> None:
        return None

    App([delete_ok])  # None is fine


def test_unsupported_parameter_annotation_fails_naming_the_handler() -> None:
    @get("/q")
    def takes_opaque(value: Opaque) -> None: ...

    with pytest.raises(ImproperlyConfiguredException, match=r"takes_opaque.*value.*unsupported"):
        App([takes_opaque])


def test_unsupported_nested_parameter_annotation_fails() -> None:
    @get("/q")
    def takes_list_of_opaque(values: list[Opaque] | None = None) -> None: ...

    with pytest.raises(ImproperlyConfiguredException, match=r"takes_list_of_opaque.*unsupported"):
        App([takes_list_of_opaque])


def test_unsupported_body_annotation_fails_naming_the_handler() -> None:
    @post("/b")
    def takes_opaque_body(data: Opaque) -> None: ...

    with pytest.raises(
        ImproperlyConfiguredException, match=r"takes_opaque_body.*unsupported request body"
    ):
        App([takes_opaque_body])


def test_unresolvable_annotation_fails_naming_the_handler() -> None:
    @get("/q")
    def forward_ref(value: DoesNotExist) -> None:  # type: ignore[name-defined]  # noqa: F821
        ...

    with pytest.raises(ImproperlyConfiguredException, match="forward_ref"):
        App([forward_ref])


def test_positional_only_argument_fails() -> None:
    @get("/q")
    def positional(value: int, /) -> None: ...

    with pytest.raises(ImproperlyConfiguredException, match=r"positional.*positional-only"):
        App([positional])


def test_duplicate_handler_for_same_method_and_path_fails() -> None:
    @get("/dup")
    def first() -> None: ...

    @route("/dup", http_method=["GET", "POST"])
    def second() -> None: ...

    with pytest.raises(ImproperlyConfiguredException, match=r"duplicate route: GET /dup.*first"):
        App([first, second])


def test_handler_without_a_function_fails() -> None:
    with pytest.raises(ImproperlyConfiguredException, match="decorates no function"):
        App([get("/x")])


def test_decorating_a_non_callable_fails() -> None:
    with pytest.raises(ImproperlyConfiguredException, match="not callable"):
        get("/x")(42)  # type: ignore[type-var]
