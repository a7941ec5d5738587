"""A generated package with response validation on (`SPECLOOM_VALIDATE_RESPONSES`): a handler
filled wrongly is logged with its operation and the JSON pointers of what does not fit (and
answered as a 500 when strict); one filled rightly is sent as it is."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest

from specloom.generator.generate import generate
from specloom.runtime.testing import TestClient

from .served import fill_handlers, import_app

SPEC = Path(__file__).parent / "fixtures" / "response_validation.yaml"
LOGGER = "specloom.runtime.validation"
BODIES = {
    # a name the schema refuses (minLength 1), and no X-Total header (required)
    "GET /pets": 'return [m.Pet(id=1, name="Tom"), m.Pet(id=2, name="")]',
    "GET /pets/{petId}": 'return m.Pet(id=pet_id, name="Tom")',
}


def built(tmp_path_factory: pytest.TempPathFactory, mode: str) -> Any:
    package = tmp_path_factory.mktemp("validated") / f"checked_pets_{mode}"
    generate(SPEC, package)
    fill_handlers(package, BODIES, "pets")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SPECLOOM_VALIDATE_RESPONSES", mode)
        app = import_app(package)  # the variable is read when the app is built
    assert app.validate_responses == mode
    return app


def test_a_handler_filled_wrongly_is_logged(
    tmp_path_factory: pytest.TempPathFactory, caplog: pytest.LogCaptureFixture
) -> None:
    app = built(tmp_path_factory, "log")
    with TestClient(app) as client, caplog.at_level(logging.WARNING, LOGGER):
        pets = client.get("/pets")
        pet = client.get("/pets/3")
    assert pets.status_code == 200 and pets.json()[1]["name"] == ""
    assert pet.status_code == 200
    lines = [r.getMessage() for r in caplog.records if r.name == LOGGER]
    assert lines == [
        "response validation: GET /pets (listPets) answered 200: the required header X-Total "
        "is missing (spec #/paths/~1pets/get/responses/200/headers/X-Total)",
        "response validation: GET /pets (listPets) answered 200: the body does not fit its "
        "schema at /1/name: '' does not fit {type: 'string', minLength: 1, maxLength: 20} "
        "(spec #/paths/~1pets/get/responses/200/content/application~1json/schema, body /1/name)",
    ]


def test_strict_answers_it_as_a_500(tmp_path_factory: pytest.TempPathFactory) -> None:
    with TestClient(built(tmp_path_factory, "strict")) as client:
        assert client.get("/pets").status_code == 500
        assert client.get("/pets/3").json() == {"id": 3, "name": "Tom"}
