"""prefixItems end to end: read as a tuple, generated as `tuple[A, B]`, checked when served."""

from __future__ import annotations

from pathlib import Path

from specloom.generator.generate import generate
from specloom.runtime.testing import TestClient

from .served import fill_handlers, import_app

FIXTURES = Path(__file__).parent / "fixtures"


def test_a_tuple_body_is_checked_position_by_position(tmp_path: Path) -> None:
    package = tmp_path / "tuples_api"
    generate(FIXTURES / "tuples.yaml", package)
    models = (package / "_generated" / "models.py").read_text()
    assert "    tuple[Annotated[float, Meta(ge=-180, le=180)]" in models
    fill_handlers(package, {"POST /tracks": "return data"})
    app = import_app(package)
    track = {
        "start": [1.5, 2],
        "stops": [],
        "label": ["a", 1],
        "end": [[0, 0], "2024-01-02T03:04:05Z"],
    }
    with TestClient(app) as client:
        sent = client.post("/tracks", json=track)
        assert sent.status_code == 201, sent.text
        assert sent.json() == {**track, "start": [1.5, 2.0], "end": [[0.0, 0.0], track["end"][1]]}
        for bad in ({"start": [1.5], "stops": []}, {"start": [1, 2, 3], "stops": []}):
            assert client.post("/tracks", json=bad).status_code == 400
        wrong = client.post("/tracks", json={"start": [200, 0], "stops": []})
        assert wrong.json()["extra"][0]["key"] == "start[0]"
