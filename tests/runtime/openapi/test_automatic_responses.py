"""`OpenAPIConfig(automatic_responses=False)`: only what handlers declare is documented."""

from __future__ import annotations

from pathlib import Path

from specloom.runtime import App, get, post
from specloom.runtime.datastructures import ResponseHeader
from specloom.runtime.openapi import OpenAPIConfig, ResponseSpec
from specloom.runtime.response import File, Redirect, ServerSentEvent
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


def _kinds_app(automatic: bool, tmp_path: Path) -> tuple[App, Path]:
    photo = tmp_path / "photo.png"
    photo.write_bytes(b"\x89PNG....")
    location = ResponseHeader(name="Location", documentation_only=True, description="The new one")

    @get("/photo", media_type="image/png")
    async def get_photo() -> File:
        return File(photo)

    @get("/old", status_code=301, response_headers=[location])
    async def old() -> Redirect:
        return Redirect("/new")

    @get("/events")
    async def events() -> ServerSentEvent:
        return ServerSentEvent(iter(["a"]))

    config = OpenAPIConfig(automatic_responses=automatic)
    return App([get_photo, old, events], openapi_config=config), photo


def test_without_automatic_responses_what_a_kind_adds_is_left_to_declarations(
    tmp_path: Path,
) -> None:
    app, _ = _kinds_app(False, tmp_path)
    paths = validated(app)["paths"]
    photo = paths["/photo"]["get"]["responses"]
    assert list(photo) == ["200"]  # no 206/304/416
    assert "headers" not in photo["200"]  # no validators, ranges or disposition
    assert photo["200"]["content"] == {
        "image/png": {"schema": {"type": "string", "format": "binary"}}
    }
    # the declared Location, as declared (not made required)
    assert paths["/old"]["get"]["responses"]["301"]["headers"] == {
        "Location": {"description": "The new one", "schema": {"type": "string"}}
    }
    assert "headers" not in paths["/events"]["get"]["responses"]["200"]
    # the wire is the same either way
    with TestClient(app) as client:
        ranged = client.get("/photo", headers={"Range": "bytes=0-1"})
        assert ranged.status_code == 206 and ranged.headers["etag"]
        assert client.get("/old", follow_redirects=False).headers["location"] == "/new"
        assert client.get("/events").headers["cache-control"] == "no-cache"


def test_with_automatic_responses_the_kinds_document_what_they_add(tmp_path: Path) -> None:
    app, _ = _kinds_app(True, tmp_path)
    paths = validated(app)["paths"]
    assert set(paths["/photo"]["get"]["responses"]) == {"200", "206", "304", "416"}
    assert paths["/old"]["get"]["responses"]["301"]["headers"]["Location"]["required"] is True
    assert "Cache-Control" in paths["/events"]["get"]["responses"]["200"]["headers"]
