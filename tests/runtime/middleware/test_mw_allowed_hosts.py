"""Allowed hosts: `App(allowed_hosts=[...])`, wildcards, 400 on others, the www redirect."""

from __future__ import annotations

import pytest

from specloom.runtime import App, get
from specloom.runtime.config.allowed_hosts import AllowedHostsConfig
from specloom.runtime.testing import TestClient


@get(["/", "/health"])
async def index() -> str:
    return "ok"


@pytest.mark.parametrize(
    ("host", "status"),
    [
        ("example.com", 200),
        ("example.com:8000", 200),
        ("api.example.org", 200),
        ("a.b.example.org", 200),
        ("example.org", 400),
        ("evil.com", 400),
        ("example.com.evil.com", 400),
    ],
)
def test_hosts(host: str, status: int) -> None:
    app = App([index], allowed_hosts=["example.com", "*.example.org"])
    with TestClient(app) as client:
        response = client.get("/", headers={"host": host})
    assert response.status_code == status
    if status == 400:
        assert response.json() == {"status_code": 400, "detail": "Invalid host header"}


def test_unrouted_requests_are_checked_too() -> None:
    with TestClient(App([index], allowed_hosts=["example.com"])) as client:
        assert client.get("/nowhere", headers={"host": "evil.com"}).status_code == 400
        assert client.get("/nowhere", headers={"host": "example.com"}).status_code == 404


def test_star_allows_any_and_exclude_skips() -> None:
    with TestClient(App([index], allowed_hosts=["*"])) as client:
        assert client.get("/", headers={"host": "anything"}).status_code == 200
    config = AllowedHostsConfig(allowed_hosts=["example.com"], exclude="^/health")
    with TestClient(App([index], allowed_hosts=config)) as client:
        assert client.get("/health", headers={"host": "evil.com"}).status_code == 200
        assert client.get("/", headers={"host": "evil.com"}).status_code == 400


def test_www_redirect() -> None:
    with TestClient(App([index], allowed_hosts=["www.example.com"])) as client:
        response = client.get(
            "/health?x=1", headers={"host": "example.com"}, follow_redirects=False
        )
    assert response.status_code == 301
    assert response.headers["location"] == "http://www.example.com/health?x=1"
