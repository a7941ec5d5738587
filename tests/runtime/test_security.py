"""Security schemes declared once: documented on the handler and enforced before it runs."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from specloom.runtime import App, Request, Router, get, post
from specloom.runtime.exceptions import ImproperlyConfiguredException
from specloom.runtime.security import Credentials, SecurityScheme
from specloom.runtime.testing import TestClient

calls: list[str] = []


def accept_secret(request: Request[Any, Any], credentials: Credentials, scopes: Any) -> bool:
    return credentials.value == "secret"


async def accept_admin(request: Request[Any, Any], credentials: Credentials, scopes: Any) -> bool:
    return (credentials.username, credentials.password) == ("admin", "pw")


SCHEMES = {
    "api_key": SecurityScheme(
        type="apiKey", name="X-API-Key", location="header", verifier=accept_secret
    ),
    "basic": SecurityScheme(type="http", scheme="basic", verifier=accept_admin),
    "bearer": SecurityScheme(type="http", scheme="bearer"),  # no verifier: denies
    "query_key": SecurityScheme(
        type="apiKey", name="key", location="query", verifier=accept_secret
    ),
}


@post("/pets", security=[{"api_key": []}])
async def create_pet(data: dict[str, str]) -> dict[str, str]:
    calls.append("create_pet")
    return data


@get("/either", security=[{"api_key": []}, {"basic": []}])
async def either() -> str:
    return "ok"


@get("/both", security=[{"api_key": [], "query_key": []}])
async def both() -> str:
    return "ok"


@get("/token", security=[{"bearer": []}])
async def token() -> str:
    return "never"


@get("/public", security=[])
async def public() -> str:
    return "public"


def make_client() -> TestClient:
    secured = Router("/", [create_pet, either, both, token, public], security=[{"basic": []}])
    return TestClient(App([secured], security_schemes=SCHEMES))


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def test_missing_credentials_are_401_before_the_body_is_parsed() -> None:
    calls.clear()
    with make_client() as client:
        response = client.post("/pets", content=b"not json")
    assert response.status_code == 401
    assert response.json()["status_code"] == 401
    assert calls == []


def test_wrong_credentials_are_403_and_right_ones_pass() -> None:
    with make_client() as client:
        assert client.post("/pets", json={}, headers={"x-api-key": "nope"}).status_code == 403
        ok = client.post("/pets", json={"name": "Rex"}, headers={"x-api-key": "secret"})
    assert ok.status_code == 201
    assert ok.json() == {"name": "Rex"}


def test_alternatives_any_requirement_passes() -> None:
    with make_client() as client:
        assert client.get("/either", headers={"authorization": basic("admin", "pw")}).text == "ok"
        assert client.get("/either", headers={"x-api-key": "secret"}).text == "ok"
        denied = client.get("/either", headers={"authorization": basic("admin", "bad")})
        missing = client.get("/either")
    assert denied.status_code == 403
    assert missing.status_code == 401
    assert missing.headers["www-authenticate"] == "Basic"


def test_all_schemes_of_one_requirement_are_needed() -> None:
    with make_client() as client:
        only_header = client.get("/both", headers={"x-api-key": "secret"})
        both_given = client.get("/both", params={"key": "secret"}, headers={"x-api-key": "secret"})
    assert only_header.status_code == 401
    assert both_given.text == "ok"


def test_scheme_without_verifier_denies_by_default() -> None:
    with make_client() as client:
        response = client.get("/token", headers={"authorization": "Bearer anything"})
        missing = client.get("/token")
    assert response.status_code == 403
    assert missing.headers["www-authenticate"] == "Bearer"


def test_empty_requirement_list_makes_a_handler_public_under_a_secured_router() -> None:
    with make_client() as client:
        assert client.get("/public").text == "public"


def test_undeclared_scheme_is_a_startup_error() -> None:
    with pytest.raises(ImproperlyConfiguredException, match="'oauth'"):
        App([get("/x", security=[{"oauth": ["read"]}])(public.fn)])  # type: ignore[arg-type]


def test_scheme_to_openapi() -> None:
    assert SCHEMES["api_key"].to_openapi() == {
        "type": "apiKey",
        "name": "X-API-Key",
        "in": "header",
    }
    assert SCHEMES["basic"].to_openapi() == {"type": "http", "scheme": "basic"}
