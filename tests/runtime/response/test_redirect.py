"""Redirect: status choice, `location` encoding, query parameters, no body, layered headers."""

from __future__ import annotations

from typing import Any

import pytest

from specloom.runtime import App, get
from specloom.runtime.background_tasks import BackgroundTask
from specloom.runtime.datastructures import Cookie, MultiDict
from specloom.runtime.exceptions import ImproperlyConfiguredException
from specloom.runtime.response import Redirect
from specloom.runtime.response.redirect import encode_location
from specloom.runtime.status_codes import HTTP_302_FOUND
from specloom.runtime.testing import TestClient


def get_redirect(*handlers: Any, path: str = "/", **app_kwargs: Any) -> Any:
    with TestClient(App(list(handlers), **app_kwargs)) as client:
        return client.get(path, follow_redirects=False)


def test_page_example() -> None:
    @get(path="/some-path", status_code=HTTP_302_FOUND)
    def redirect() -> Redirect:
        # do some stuff here
        # ...
        # finally return redirect
        return Redirect(path="/other-path")

    response = get_redirect(redirect, path="/some-path")
    assert response.status_code == 302
    assert response.headers.multi_items() == [("location", "/other-path"), ("content-length", "0")]
    assert response.content == b""


def test_default_is_302_not_the_get_handlers_200() -> None:
    @get("/")
    def handler() -> Redirect:
        return Redirect("/elsewhere")

    response = get_redirect(handler)
    assert response.status_code == 302
    assert "content-type" not in response.headers


def test_decorator_redirect_status_is_used_and_own_status_wins() -> None:
    @get("/a", status_code=301)
    def moved() -> Redirect:
        return Redirect("/b")

    @get("/c", status_code=301)
    def temporary() -> Redirect:
        return Redirect("/d", status_code=307)

    assert get_redirect(moved, temporary, path="/a").status_code == 301
    assert get_redirect(moved, temporary, path="/c").status_code == 307


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_allowed_statuses(status: int) -> None:
    @get("/")
    def handler() -> Redirect:
        return Redirect("/x", status_code=status)

    response = get_redirect(handler)
    assert response.status_code == status
    assert response.headers["location"] == "/x"


@pytest.mark.parametrize("status", [200, 300, 304, 305, 404])
def test_other_statuses_are_refused(status: int) -> None:
    with pytest.raises(ImproperlyConfiguredException, match=f"{status} is not a redirect"):
        Redirect("/x", status_code=status)


@pytest.mark.parametrize(
    ("path", "location"),
    [
        ("/other path/é", "/other%20path/%C3%A9"),
        (
            "https://example.com:8080/a;b=c?q=1&r=2#frag",
            "https://example.com:8080/a;b=c?q=1&r=2#frag",
        ),
        ("/already%20encoded", "/already%20encoded"),
        ("/evil\r\nset-cookie: x=y", "/evil%0D%0Aset-cookie:%20x=y"),
        ("/ünïcode?name=Zoë", "/%C3%BCn%C3%AFcode?name=Zo%C3%AB"),
    ],
)
def test_location_is_percent_encoded(path: str, location: str) -> None:
    assert encode_location(path) == location


@pytest.mark.parametrize(
    ("path", "query", "location"),
    [
        ("/search", {"q": "a b", "page": 2}, "/search?q=a+b&page=2"),
        ("/search", {"tag": ["x", "y"]}, "/search?tag=x&tag=y"),
        ("/search", MultiDict([("tag", "x"), ("tag", "y")]), "/search?tag=x&tag=y"),
        ("/search?lang=en", {"q": "ü"}, "/search?lang=en&q=%C3%BC"),
        ("/page#top", {"q": "1"}, "/page?q=1#top"),
        ("/page", {}, "/page"),
    ],
)
def test_query_params_are_appended(path: str, query: Any, location: str) -> None:
    @get("/")
    def handler() -> Redirect:
        return Redirect(path, query_params=query)

    assert get_redirect(handler).headers["location"] == location


def test_layered_and_own_headers_cookies_and_background() -> None:
    ran: list[str] = []

    @get("/", response_headers={"x-layer": "handler"})
    def handler() -> Redirect:
        return Redirect(
            "/next",
            headers={"x-own": "1"},
            cookies=[Cookie(key="seen", value="yes")],
            background=BackgroundTask(ran.append, "done"),
        )

    response = get_redirect(handler, response_headers={"x-app": "app"})
    assert response.status_code == 302
    assert response.headers["x-app"] == "app"
    assert response.headers["x-layer"] == "handler"
    assert response.headers["x-own"] == "1"
    assert response.headers["set-cookie"] == "seen=yes; Path=/; SameSite=lax"
    assert response.headers["content-length"] == "0"
    assert ran == ["done"]


def test_head_request() -> None:
    @get("/")
    def handler() -> Redirect:
        return Redirect("/x")

    with TestClient(App([handler])) as client:
        response = client.head("/")
    assert response.status_code == 302
    assert response.headers["location"] == "/x"
    assert response.content == b""
