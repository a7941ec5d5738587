"""The base path of a spec's servers: routes are mounted under it and documented relative to it,
unless the user asks for the paths as written (`--ignore-base-path`, `ignore_base_path`)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from specloom.generator.build_ir import build_ir
from specloom.generator.cli import main
from specloom.generator.diff import diff_documents
from specloom.generator.generate import generate
from specloom.runtime.testing import TestClient

from .served import fill_handlers, import_app

SPEC = Path(__file__).parent / "fixtures" / "base_path.yaml"
BODIES = {
    "GET /": "return 'root'",
    "GET /pet/{petId}": "return pet_id",
    "GET /api/v3/twice": "return None",
}


def _spec() -> dict[str, object]:
    loaded: dict[str, object] = yaml.safe_load(SPEC.read_text())
    return loaded


def test_routes_are_served_under_the_servers_path_and_documented_relative_to_it(
    tmp_path: Path,
) -> None:
    package = tmp_path / "base_api"
    generate(SPEC, package)
    fill_handlers(package, BODIES)
    app = import_app(package)
    with TestClient(app) as client:
        assert client.get("/api/v3/pet/7").json() == 7
        assert client.get("/api/v3").json() == "root"
        assert client.get("/api/v3/api/v3/twice").status_code == 204
        assert client.get("/pet/7").status_code == 404  # not at the path as written
    document = app.openapi()
    assert list(document["paths"]) == ["/", "/pet/{petId}", "/api/v3/twice"]
    assert [str(d) for d in diff_documents(_spec(), document)] == []


def test_the_base_path_can_be_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["generate", str(SPEC), "--out", "as_written", "--ignore-base-path"]) == 0
    package = tmp_path / "as_written"
    fill_handlers(package, BODIES)
    app = import_app(package)
    with TestClient(app) as client:
        assert client.get("/pet/7").json() == 7
        assert client.get("/api/v3/twice").status_code == 204
        assert client.get("/api/v3/pet/7").status_code == 404
    routes = (package / "_generated" / "routes.py").read_text()
    assert "relative_to_servers=False" in routes
    assert [str(d) for d in diff_documents(_spec(), app.openapi())] == []
    # the option is part of what a rerun compares: without it, the routes move back
    assert main(["generate", str(SPEC), "--out", "as_written"]) == 0
    assert "relative_to_servers" not in (package / "_generated" / "routes.py").read_text()


def test_ignore_base_path_in_pyproject(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "pyproject.toml").write_text(
        f'[tool.specloom]\nspec = "{SPEC}"\nout = "configured"\nignore_base_path = true\n'
    )
    monkeypatch.chdir(tmp_path)
    assert main(["generate", "--quiet"]) == 0
    routes = (tmp_path / "configured" / "_generated" / "routes.py").read_text()
    assert "relative_to_servers=False" in routes
    assert main(["generate", "--quiet", "--no-ignore-base-path"]) == 0  # the flag wins
    routes = (tmp_path / "configured" / "_generated" / "routes.py").read_text()
    assert '"/api/v3"' in routes and "relative_to_servers" not in routes


@pytest.mark.parametrize(
    ("servers", "base", "warned"),
    [
        ([], "", None),
        ([{"url": "https://host"}, {"url": "http://localhost:8080/"}], "", None),
        ([{"url": "https://host/v1"}, {"url": "/v1"}], "/v1", None),
        ([{"url": "https://host/v1"}, {"url": "https://host/v2"}], "", "different paths"),
        ([{"url": "https://host/{prefix}/v1"}], "", "variable without a default"),
        ([{"url": "https://host/{prefix}", "variables": {"prefix": {"default": "x"}}}], "/x", None),
    ],
)
def test_the_base_path_is_the_one_every_server_says(
    servers: list[dict[str, object]], base: str, warned: str | None
) -> None:
    api = build_ir({"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "servers": servers})
    assert api.base_path == base
    messages = [w.message for w in api.warnings if w.pointer == "/servers"]
    assert (warned is None and not messages) or (warned is not None and warned in messages[0])


def test_swagger_2_base_path_is_mounted() -> None:
    doc = {
        "swagger": "2.0",
        "info": {"title": "t", "version": "1"},
        "host": "api.example.com",
        "basePath": "/v2/",
        "paths": {},
    }
    assert build_ir(doc).base_path == "/v2"
