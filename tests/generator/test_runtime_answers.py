"""What the runtime answers on its own, through the real pipeline: documented on the operations
it can come from (marked, one error component), never where the spec documents the status,
and sent in the media type and shape the spec declares (problem+json, a `default` Error)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from specloom.generator.diff import diff_specs
from specloom.generator.generate import generate
from specloom.generator.loader import load_spec
from specloom.runtime.testing import TestClient

from .served import allow_every_credential, import_app

FIXTURE = Path(__file__).parent / "fixtures" / "runtime_answers.yaml"
MARK = "x-specloom-runtime"


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Any:
    package = tmp_path_factory.mktemp("answers") / "answers_api"
    generate(FIXTURE, package)
    allow_every_credential(package)
    return import_app(package)


def test_the_runtime_s_answers_are_documented_and_marked(app: Any) -> None:
    document = app.openapi()
    buy = document["paths"]["/tickets"]["post"]["responses"]
    assert buy["400"]["content"] == {
        "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
    }
    assert MARK not in buy["400"]  # the spec's own
    for status in ("401", "403", "413", "415", "501"):
        assert buy[status][MARK] is True
        assert buy[status]["content"] == {
            "application/json": {"schema": {"$ref": "#/components/schemas/SpecloomError"}}
        }
    assert "WWW-Authenticate" in buy["401"]["headers"]
    # `default` documents every other status: nothing is added there
    assert set(document["paths"]["/tickets/{ticketId}"]["get"]["responses"]) == {"200", "default"}
    error = document["components"]["schemas"]["SpecloomError"]
    assert error[MARK] is True and error["required"] == ["status_code", "detail"]


def test_the_round_trip_leaves_the_marked_answers_out(app: Any) -> None:
    assert diff_specs(load_spec(FIXTURE).document, app.openapi()) == []


def test_an_unmarked_extra_response_is_still_a_difference(app: Any) -> None:
    served = app.openapi()
    del served["paths"]["/tickets"]["post"]["responses"]["415"][MARK]
    differences = diff_specs(load_spec(FIXTURE).document, served)
    assert [d.pointer for d in differences] == ["/paths/~1tickets/post/responses/415"]


def test_errors_go_out_as_the_spec_declares_them(app: Any) -> None:
    with TestClient(app) as client:
        problem = client.post("/tickets", json={"name": 3}, auth=("a", "b"))
        assert problem.status_code == 400
        assert problem.headers["content-type"] == "application/problem+json"
        assert problem.json()["status"] == 400 and problem.json()["title"] == "Bad Request"
        missing = client.post("/tickets", json={})
        assert missing.status_code == 401  # not documented: the runtime's own object
        assert missing.headers["content-type"] == "application/json"
        assert missing.json()["status_code"] == 401
        invalid = client.get("/tickets/99999999999")  # beyond int32
        assert invalid.status_code == 400
        assert invalid.headers["content-type"] == "application/json"
        body = invalid.json()
        assert body["code"] == 400 and isinstance(body["message"], str)
        stub = client.get("/tickets/1")
        assert stub.status_code == 501
        assert stub.json() == {"code": 501, "message": "Not Implemented"}
