"""A generated package in mock mode (`SPECLOOM_MOCK=1`): its stubs answer from the spec, with
bodies its response schemas accept; the one handler written answers as written."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jsonschema
import pytest

from specloom.generator.generate import generate
from specloom.runtime.testing import TestClient

from .served import fill_handlers, import_app

SPEC = Path(__file__).parent / "fixtures" / "mock.yaml"


def check(document: dict[str, Any], path: str, status: str, body: Any) -> None:
    """`body` against the operation's response schema in the app's own document."""
    content = document["paths"][path]["get"]["responses"][status]["content"]
    schema = {**content["application/json"]["schema"], "components": document["components"]}
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(body)]
    assert not errors, (path, body, errors)


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Any:
    package = tmp_path_factory.mktemp("mock") / "mock_pets_api"
    generate(SPEC, package)
    fill_handlers(package, {"POST /pets": "return m.Pet(id=99, name=data.name)"}, "pets")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SPECLOOM_MOCK", "1")
        app = import_app(package)  # the variable is read when the app is built
    assert app.mock
    with TestClient(app) as client:
        yield client


def test_the_written_handler_answers_as_written(client: TestClient) -> None:
    response = client.post("/pets", json={"name": "Felix"})
    assert response.status_code == 201
    assert response.json()["id"] == 99
    assert "x-specloom-mock" not in response.headers


def test_the_stubs_answer_their_examples(client: TestClient) -> None:
    response = client.get("/pets")
    assert response.status_code == 200
    assert [pet["name"] for pet in response.json()] == ["Tom", "Rex"]
    assert response.headers["x-total"] == "2"
    assert client.get("/pets", headers={"Prefer": "example=none"}).json() == []
    missing = client.get("/pets/3", headers={"Prefer": "code=404"})
    assert (missing.status_code, missing.json()) == (404, {"code": 404, "message": "no such pet"})


@pytest.mark.parametrize("dynamic", [False, True])
@pytest.mark.parametrize("path", ["/pets/{petId}", "/animals", "/tree"])
def test_generated_bodies_validate_against_the_documented_schema(
    client: TestClient, path: str, dynamic: bool
) -> None:
    headers = {"Prefer": "dynamic=true"} if dynamic else {}
    for _ in range(5 if dynamic else 1):
        response = client.get(path.replace("{petId}", "3"), headers=headers)
        assert response.status_code == 200
        assert response.headers["x-specloom-mock"] == "schema"
        check(client.app.openapi(), path, "200", response.json())


def test_a_discriminated_union_carries_its_tag(client: TestClient) -> None:
    animals = client.get("/animals").json()
    assert len(animals) >= 2
    assert {animal["type"] for animal in animals} == {"cat"}


def test_binary_and_text(client: TestClient) -> None:
    photo = client.get("/pets/3/photo")
    assert (photo.status_code, photo.headers["content-type"]) == (200, "image/png")
    health = client.get("/health")
    assert health.headers["content-type"].startswith("text/plain")
    assert 0 < len(health.text) <= 10
