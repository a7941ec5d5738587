"""The generated routes module imports the handlers, models and operations with the garbage
collector paused (`specloom.runtime.startup`), and leaves it enabled."""

from __future__ import annotations

import ast
import gc
from pathlib import Path

from specloom.generator.generate import generate

from .served import import_app

FIXTURE = Path(__file__).parent / "fixtures" / "runtime_answers.yaml"


def test_routes_import_the_package_with_the_collector_paused(tmp_path: Path) -> None:
    package = tmp_path / "paused_api"
    generate(FIXTURE, package)
    tree = ast.parse((package / "_generated" / "routes.py").read_text())
    paused = [
        node
        for node in tree.body
        if isinstance(node, ast.With)
        and ast.unparse(node.items[0].context_expr) == "collection_paused()"
    ]
    assert len(paused) == 1
    imported = {
        alias.asname or alias.name
        for node in paused[0].body
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }
    assert "models" in imported
    assert any(name.endswith("_handlers") for name in imported)
    assert gc.isenabled()
    app = import_app(package)
    assert gc.isenabled()
    assert app.openapi()["paths"]
