"""A generated server keeps its built document in the package's `.specloom-cache/`: the next
process on the same code reads it instead of building it, an edited handler builds it again,
and the stored document never makes a regeneration do work."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from specloom.generator.generate import generate
from specloom.generator.unchanged import CACHE

FIXTURES = Path(__file__).parent / "cli_fixtures"

# prints the served document; with "refuse", building it (rather than reading it) fails
PROBE = """
import sys
from specloom.runtime.openapi import document
if sys.argv[1] == "refuse":
    def refuse(app, *kept):
        raise SystemExit("built, not read back")
    document._encoded_document = refuse
from pets_api.app import app
sys.stdout.buffer.write(document.encoded_document(app, "json"))
"""


def _served(root: Path, mode: str) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run(
        [sys.executable, "-c", PROBE, mode], cwd=root, env=env, capture_output=True, timeout=120
    )


@pytest.fixture
def package(tmp_path: Path) -> Path:
    spec = tmp_path / "pets.yaml"
    shutil.copy(FIXTURES / "pets.yaml", spec)
    out = tmp_path / "pets_api"
    generate(spec, out)
    return out


def test_the_next_process_reads_the_document_the_first_built(package: Path) -> None:
    built = _served(package.parent, "build")
    assert built.returncode == 0, built.stderr.decode()
    assert len(list((package / CACHE).glob("openapi-*.json"))) == 1
    read = _served(package.parent, "refuse")
    assert read.returncode == 0, read.stderr.decode()
    assert read.stdout == built.stdout and b'"paths"' in built.stdout


def test_an_edited_handler_builds_it_again(package: Path) -> None:
    assert _served(package.parent, "build").returncode == 0
    handler = next((package / "handlers").glob("[!_]*.py"))
    handler.write_text(handler.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    refused = _served(package.parent, "refuse")
    assert refused.returncode != 0 and b"built, not read back" in refused.stderr
    assert _served(package.parent, "build").returncode == 0
    assert len(list((package / CACHE).glob("openapi-*.json"))) == 2


def test_a_stored_document_leaves_a_regeneration_a_no_op(package: Path) -> None:
    assert _served(package.parent, "build").returncode == 0
    again = generate(package.parent / "pets.yaml", package)
    assert (again.written, again.changes) == ([], [])
