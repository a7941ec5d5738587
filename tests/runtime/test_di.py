"""Dependency injection: Provide with sync, async and generator providers, layering, caching."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Iterator
from typing import Annotated, Any

import pytest

from specloom.runtime import App, Request, Router, get
from specloom.runtime.di import Provide
from specloom.runtime.exceptions import ImproperlyConfiguredException, NotFoundException
from specloom.runtime.params import Dependency, Parameter
from specloom.runtime.testing import TestClient


def test_sync_and_async_providers_and_bare_callables() -> None:
    def sync_dep() -> int:
        return 1

    async def async_dep() -> int:
        return 2

    @get("/", dependencies={"a": Provide(sync_dep), "b": Provide(async_dep), "c": lambda: 3})
    def handler(a: int, b: int, c: int) -> list[int]:
        return [a, b, c]

    with TestClient(App([handler])) as client:
        assert client.get("/").json() == [1, 2, 3]


def test_provider_classes_are_instantiated_per_request() -> None:
    class Counter:
        def __init__(self) -> None:
            self.ident = id(self)

    seen: list[int] = []

    @get("/", dependencies={"counter": Provide(Counter)})
    def handler(counter: Counter) -> None:
        seen.append(counter.ident)
        assert isinstance(counter, Counter)

    with TestClient(App([handler], signature_namespace={"Counter": Counter})) as client:
        client.get("/")
        client.get("/")
    assert len(seen) == 2


def test_dependencies_receive_request_parameters() -> None:
    def page(offset: int = 0, limit: Annotated[int, Parameter(le=50)] = 10) -> tuple[int, int]:
        return offset, limit

    def owner(user_id: int) -> str:
        return f"user-{user_id}"

    @get("/users/{user_id:int}/items", dependencies={"page": Provide(page), "owner": owner})
    def handler(page: tuple[int, int], owner: str) -> dict[str, Any]:
        return {"page": list(page), "owner": owner}

    with TestClient(App([handler])) as client:
        response = client.get("/users/4/items?offset=5")
        assert response.json() == {"page": [5, 10], "owner": "user-4"}
        errors = client.get("/users/4/items?limit=99&offset=x").json()["extra"]
        assert {e["key"] for e in errors} == {"limit", "offset"}


def test_generator_dependency_cleanup_runs_after_the_handler() -> None:
    events: list[str] = []

    def session() -> Iterator[str]:
        events.append("open")
        yield "session"
        events.append("close")

    @get("/", dependencies={"db": Provide(session)})
    def handler(db: str) -> str:
        events.append(f"handler:{db}")
        return db

    with TestClient(App([handler])) as client:
        assert client.get("/").text == "session"
    assert events == ["open", "handler:session", "close"]


def test_async_generator_cleanup_runs_when_the_handler_raises() -> None:
    events: list[str] = []

    async def session() -> AsyncIterator[str]:
        events.append("open")
        try:
            yield "session"
        except NotFoundException as exc:
            events.append(f"saw:{exc.detail}")
            raise
        finally:
            events.append("close")

    @get("/", dependencies={"db": Provide(session)})
    def handler(db: str) -> None:
        events.append("handler")
        raise NotFoundException("no such thing")

    with TestClient(App([handler])) as client:
        response = client.get("/")
    assert response.status_code == 404
    assert response.json()["detail"] == "no such thing"
    assert events == ["open", "handler", "saw:no such thing", "close"]


def test_sync_generator_cleanup_runs_when_the_handler_raises() -> None:
    events: list[str] = []

    def session() -> Iterator[str]:
        try:
            yield "s"
        finally:
            events.append("close")

    @get("/", dependencies={"db": Provide(session)})
    def handler(db: str) -> None:
        raise RuntimeError("boom")

    with TestClient(App([handler])) as client:
        assert client.get("/").status_code == 500
    assert events == ["close"]


def test_generator_cleanups_run_in_reverse_order() -> None:
    events: list[str] = []

    def outer() -> Iterator[str]:
        yield "outer"
        events.append("close outer")

    def inner(outer: str) -> Iterator[str]:
        yield f"inner({outer})"
        events.append("close inner")

    @get("/", dependencies={"outer": outer, "inner": inner})
    def handler(inner: str) -> str:
        return inner

    with TestClient(App([handler])) as client:
        assert client.get("/").text == "inner(outer)"
    assert events == ["close inner", "close outer"]


def test_shared_dependency_is_resolved_once_per_request() -> None:
    calls: list[int] = []

    def shared() -> dict[str, int]:
        calls.append(1)
        return {"n": len(calls)}

    def left(shared: dict[str, int]) -> int:
        return shared["n"]

    async def right(shared: dict[str, int]) -> int:
        return shared["n"]

    @get("/", dependencies={"shared": shared, "left": left, "right": right})
    def handler(left: int, right: int, shared: dict[str, int]) -> list[int]:
        return [left, right, shared["n"]]

    with TestClient(App([handler])) as client:
        assert client.get("/").json() == [1, 1, 1]
        assert client.get("/").json() == [2, 2, 2]  # but once per request, not once ever
    assert len(calls) == 2


def test_use_cache_reuses_the_first_value_across_requests() -> None:
    calls: list[int] = []

    def expensive() -> int:
        calls.append(1)
        return len(calls)

    @get("/", dependencies={"value": Provide(expensive, use_cache=True)})
    def handler(value: int) -> int:
        return value

    with TestClient(App([handler])) as client:
        assert [client.get("/").json() for _ in range(3)] == [1, 1, 1]
    assert calls == [1]


def test_use_cache_is_refused_for_generators() -> None:
    def gen() -> Iterator[int]:
        yield 1

    with pytest.raises(ImproperlyConfiguredException, match="use_cache"):
        Provide(gen, use_cache=True)


def test_sync_to_thread_provider_runs_in_a_worker_thread() -> None:
    def where() -> int:
        return threading.get_ident()

    @get(
        "/",
        dependencies={"inline": Provide(where), "threaded": Provide(where, sync_to_thread=True)},
    )
    async def handler(inline: int, threaded: int) -> dict[str, int]:
        return {"loop": threading.get_ident(), "inline": inline, "threaded": threaded}

    with TestClient(App([handler])) as client:
        result = client.get("/").json()
    assert result["inline"] == result["loop"]
    assert result["threaded"] != result["loop"]


def test_layered_dependencies_closest_wins() -> None:
    @get("/plain")
    def plain(name: str, app_only: str) -> str:
        return f"{name}/{app_only}"

    @get("/own", dependencies={"name": lambda: "handler"})
    def own(name: str) -> str:
        return name

    router = Router("/r", [plain, own], dependencies={"name": lambda: "router"})
    app = App([router], dependencies={"name": lambda: "app", "app_only": lambda: "from-app"})
    with TestClient(app) as client:
        assert client.get("/r/plain").text == "router/from-app"
        assert client.get("/r/own").text == "handler"


def test_dependency_can_depend_on_a_higher_layer_dependency() -> None:
    @get("/", dependencies={"greeting": lambda base: f"{base}, world"})
    def handler(greeting: str) -> str:
        return greeting

    with TestClient(App([handler], dependencies={"base": lambda: "hello"})) as client:
        assert client.get("/").text == "hello, world"


def test_circular_dependencies_fail_at_start_up() -> None:
    def a(b: int) -> int:
        return b

    def b(a: int) -> int:
        return a

    @get("/", dependencies={"a": a, "b": b})
    def handler(a: int) -> int:
        return a

    with pytest.raises(ImproperlyConfiguredException, match="circular dependency"):
        App([handler])


def test_dependency_marker_without_provider_fails_at_start_up() -> None:
    @get("/")
    def needs_provider(db: Annotated[str, Dependency()]) -> str:
        return db

    with pytest.raises(ImproperlyConfiguredException, match=r"needs_provider.*no provider"):
        App([needs_provider])


def test_dependency_marker_default_is_used_without_provider() -> None:
    @get("/")
    def handler(db: Annotated[str, Dependency(default="fallback")]) -> str:
        return db

    with TestClient(App([handler])) as client:
        assert client.get("/").text == "fallback"
    with TestClient(App([handler], dependencies={"db": lambda: "provided"})) as client:
        assert client.get("/").text == "provided"


def test_provider_exception_is_answered_and_earlier_generators_cleaned_up() -> None:
    events: list[str] = []

    def first() -> Iterator[str]:
        try:
            yield "first"
        finally:
            events.append("first closed")

    def second(first: str) -> str:
        raise NotFoundException("second failed")

    @get("/", dependencies={"first": first, "second": second})
    def handler(second: str) -> str:
        events.append("handler")
        return second

    with TestClient(App([handler])) as client:
        response = client.get("/")
    assert response.status_code == 404
    assert "handler" not in events
    assert events == ["first closed"]


def test_provide_needs_a_callable() -> None:
    with pytest.raises(ImproperlyConfiguredException, match="callable"):
        Provide(42)  # type: ignore[arg-type]


def test_dependency_can_take_the_request() -> None:
    def current_user(request: Request[Any, Any]) -> str:
        return request.headers.get("x-user", "anonymous")

    @get("/", dependencies={"user": Provide(current_user)})
    def handler(user: str) -> str:
        return user

    with TestClient(App([handler])) as client:
        assert client.get("/", headers={"x-user": "bob"}).text == "bob"
        assert client.get("/").text == "anonymous"
