"""`OpenAPIConfig(automatic_responses=False)`: only declared responses are documented."""

from __future__ import annotations

from specloom.runtime import App, post
from specloom.runtime.openapi import OpenAPIConfig, ResponseSpec
from specloom.runtime.security import SecurityScheme
from specloom.runtime.testing import TestClient

from .helpers import validated

SCHEMES = {"key": SecurityScheme(type="apiKey", name="X-Key", location="header")}


@post(
    "/items", security=[{"key": []}], responses={"default": ResponseSpec(dict, description="error")}
)
async def create(data: dict[str, int], limit: int = 1) -> dict[str, int]:
    return data


def test_automatic_error_responses_are_documented_by_default() -> None:
    app = App([create], security_schemes=SCHEMES)
    responses = validated(app)["paths"]["/items"]["post"]["responses"]
    assert {"201", "400", "401", "403", "default"} <= set(responses)


def test_without_automatic_responses_only_declared_ones_are_documented() -> None:
    config = OpenAPIConfig(automatic_responses=False)
    app = App([create], security_schemes=SCHEMES, openapi_config=config)
    responses = validated(app)["paths"]["/items"]["post"]["responses"]
    assert list(responses) == ["201", "default"]
    assert responses["default"]["description"] == "error"
    # the runtime still answers them: documentation is a choice, behaviour is not
    with TestClient(app) as client:
        assert client.post("/items", json={"a": 1}).status_code == 401
        bad = client.post("/items?limit=x", json={"a": 1}, headers={"x-key": "k"})
    assert bad.status_code == 403  # no verifier: the scheme denies
