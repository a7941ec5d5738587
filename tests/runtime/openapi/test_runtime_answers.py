"""`OpenAPIConfig(runtime_answers=True)`: the runtime's own answers on each operation they can
come from, marked, with one error component; what the operation documents is kept."""

from __future__ import annotations

import msgspec

from specloom.runtime import App, delete, get, post
from specloom.runtime.openapi import OpenAPIConfig, ResponseSpec
from specloom.runtime.security import SecurityScheme
from specloom.runtime.testing import TestClient

from .helpers import validated

SCHEMES = {"key": SecurityScheme(type="apiKey", name="X-Key", location="header")}
CONFIG = OpenAPIConfig(automatic_responses=False, runtime_answers=True)
MARK = "x-specloom-runtime"


class SpecloomError(msgspec.Struct):  # takes the component name the runtime would use
    reason: str


@post("/items", security=[{"key": []}], responses={400: ResponseSpec(SpecloomError)})
async def create(data: dict[str, int]) -> dict[str, int]:
    """Written."""
    return data


@get("/items/{item_id:int}", media_types=["application/json", "application/xml"])
async def show(item_id: int) -> dict[str, int]:
    """A stub."""
    raise NotImplementedError


@delete("/items", status_code=204)
async def clear() -> None:
    return None


def _responses(app: App) -> dict[str, dict[str, object]]:
    paths = validated(app)["paths"]
    return {
        f"{method.upper()} {path}": operation["responses"]
        for path, item in paths.items()
        for method, operation in item.items()
    }


def test_each_operation_documents_what_it_can_be_answered_with() -> None:
    app = App([create, show, clear], security_schemes=SCHEMES, openapi_config=CONFIG)
    responses = _responses(app)
    assert list(responses["POST /items"]) == ["201", "400", "401", "403", "413", "415"]
    assert MARK not in responses["POST /items"]["400"]  # declared: kept as declared
    assert list(responses["GET /items/{item_id}"]) == ["200", "400", "404", "406", "501"]
    assert list(responses["DELETE /items"]) == ["204"]  # no input, no security, written
    added = responses["GET /items/{item_id}"]["501"]
    assert added[MARK] is True
    assert added["content"] == {
        "application/json": {"schema": {"$ref": "#/components/schemas/SpecloomError_2"}}
    }
    schemas = validated(app)["components"]["schemas"]
    assert MARK not in schemas["SpecloomError"] and schemas["SpecloomError_2"][MARK] is True


def test_off_by_default() -> None:
    app = App([show], openapi_config=OpenAPIConfig(automatic_responses=False))
    assert list(_responses(app)["GET /items/{item_id}"]) == ["200"]


def test_the_documented_answers_are_the_sent_ones() -> None:
    app = App([create, show], security_schemes=SCHEMES, openapi_config=CONFIG)
    with TestClient(app) as client:
        assert client.get("/items/1").status_code == 501
        assert client.get("/items/x").status_code == 400
        assert client.get("/items/1", headers={"accept": "text/csv"}).status_code == 406
        assert client.post("/items", json={}).status_code == 401
