"""CORS: `App(cors_config=CORSConfig(...))` on simple requests, preflights, 404 and 405."""

from __future__ import annotations

from specloom.runtime import App, get, post
from specloom.runtime.config.cors import CORSConfig
from specloom.runtime.testing import TestClient

ORIGIN = "https://app.example.com"


@get("/items", media_types=["application/json", "text/plain"])
async def items() -> list[int]:
    return [1]


@post("/items")
async def add() -> None:
    return None


def _client(**config: object) -> TestClient:
    return TestClient(App([items, add], cors_config=CORSConfig(**config)))  # type: ignore[arg-type]


def test_allow_all_by_default() -> None:
    with _client() as client:
        response = client.get("/items", headers={"origin": ORIGIN})
        assert response.headers["access-control-allow-origin"] == "*"
        assert "origin" not in response.headers.get("vary", "").lower()
        assert "access-control-allow-origin" not in client.get("/items").headers


def test_named_origins_are_echoed_and_varied_on() -> None:
    config = {
        "allow_origins": [ORIGIN],
        "allow_credentials": True,
        "expose_headers": ["x-b", "x-a"],
    }
    with _client(**config) as client:
        response = client.get("/items", headers={"origin": ORIGIN})
        assert response.headers["access-control-allow-origin"] == ORIGIN
        assert response.headers["access-control-allow-credentials"] == "true"
        assert response.headers["access-control-expose-headers"] == "x-a, x-b"
        assert response.headers["vary"] == "Accept, Origin"  # the handler's own Vary is kept
        other = client.get("/items", headers={"origin": "https://evil.example"})
        assert other.status_code == 200
        assert "access-control-allow-origin" not in other.headers


def test_origin_regex() -> None:
    with _client(allow_origins=[], allow_origin_regex=r"https://.*\.example\.org") as client:
        ok = client.get("/items", headers={"origin": "https://a.example.org"})
        assert ok.headers["access-control-allow-origin"] == "https://a.example.org"
        no = client.get("/items", headers={"origin": "https://a.example.org.evil"})
        assert "access-control-allow-origin" not in no.headers


def test_preflight_allowed() -> None:
    config = {
        "allow_origins": [ORIGIN],
        "allow_methods": ["GET", "POST"],
        "allow_headers": ["x-token"],
        "max_age": 42,
        "allow_credentials": True,
    }
    with _client(**config) as client:
        response = client.options(
            "/items",
            headers={
                "origin": ORIGIN,
                "access-control-request-method": "POST",
                "access-control-request-headers": "X-Token, content-type",
            },
        )
    assert response.status_code == 204
    assert response.headers["access-control-allow-origin"] == ORIGIN
    assert response.headers["access-control-allow-methods"] == "GET, POST"
    assert response.headers["access-control-allow-headers"] == (
        "Accept, Accept-Language, Content-Language, Content-Type, x-token"
    )
    assert response.headers["access-control-max-age"] == "42"
    assert response.headers["access-control-allow-credentials"] == "true"
    assert response.headers["vary"] == "Origin"


def test_preflight_refused_says_what() -> None:
    config = {"allow_origins": [ORIGIN], "allow_methods": ["GET"], "allow_headers": ["x-token"]}
    with _client(**config) as client:
        response = client.options(
            "/items",
            headers={
                "origin": "https://evil.example",
                "access-control-request-method": "DELETE",
                "access-control-request-headers": "x-other",
            },
        )
    assert response.status_code == 400
    assert response.text == "Disallowed CORS method, Origin, headers"


def test_preflight_allow_all_headers_echoes_the_request() -> None:
    with _client() as client:
        response = client.options(
            "/items",
            headers={
                "origin": ORIGIN,
                "access-control-request-method": "PUT",
                "access-control-request-headers": "x-a",
            },
        )
    assert response.status_code == 204
    assert response.headers["access-control-allow-origin"] == "*"
    assert "x-a" in response.headers["access-control-allow-headers"]


def test_plain_options_and_unrouted_answers_carry_cors() -> None:
    with _client() as client:
        options = client.options("/items")
        assert options.status_code == 204
        assert options.headers["allow"] == "GET, HEAD, OPTIONS, POST"
        missing = client.get("/nowhere", headers={"origin": ORIGIN})
        assert missing.status_code == 404
        assert missing.headers["access-control-allow-origin"] == "*"
        refused = client.put("/items", headers={"origin": ORIGIN})
        assert refused.status_code == 405
        assert refused.headers["access-control-allow-origin"] == "*"
