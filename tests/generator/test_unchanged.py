"""An unchanged rerun has nothing to do (generator/unchanged.py): it reads no spec, writes no
file and reports what the run that left the package reported; any change of an input or of a
file the run left makes a full run, whose report and `--check` are as without the cache."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from specloom.generator import generate as generate_module
from specloom.generator.generate import generate
from specloom.generator.unchanged import CACHE

FIXTURES = Path(__file__).parent / "cli_fixtures"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    monkeypatch.chdir(tmp_path)
    spec = tmp_path / "pets.yaml"
    shutil.copy(FIXTURES / "pets.yaml", spec)
    out = tmp_path / "pets_api"
    first = generate(spec, out)
    assert first.written and (out / CACHE / "inputs.json").is_file()
    assert (out / CACHE / ".gitignore").read_text().splitlines()[-1] == "*"
    return spec, out


def _no_load(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the spec was loaded")

    monkeypatch.setattr(generate_module, "load_spec", refuse)


def test_unchanged_rerun_loads_nothing_and_reports_the_warnings(
    project: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    spec, out = project
    full = generate(spec, out, check=True)  # the cache is not used by what follows
    _no_load(monkeypatch)
    for options in ({}, {"check": True}, {"dry_run": True}):
        again = generate(spec, out, **options)  # type: ignore[arg-type]
        assert (again.written, again.changes) == ([], [])
        assert [str(w) for w in again.warnings] == [str(w) for w in full.warnings]


@pytest.mark.parametrize(
    "edit",
    ["spec", "handler", "generated", "lock", "created_once_deleted", "other_spec", "cache"],
)
def test_any_change_makes_a_full_run(
    project: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, edit: str
) -> None:
    spec, out = project
    loads: list[object] = []
    real = generate_module.load_spec

    def counting(*args: object, **kwargs: object) -> object:
        loads.append(args)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(generate_module, "load_spec", counting)
    source = spec
    if edit == "spec":
        spec.write_text(spec.read_text().replace("Pet", "Pets", 1))
    elif edit == "handler":
        handlers = out / "handlers" / "pets.py"
        handlers.write_text(handlers.read_text() + "\n# mine\n")
    elif edit == "generated":
        (out / "_generated" / "routes.py").unlink()
    elif edit == "lock":
        lock = json.loads((out / "specloom.lock").read_text())
        lock["operations"] = {}
        (out / "specloom.lock").write_text(json.dumps(lock))
    elif edit == "created_once_deleted":
        (out / "app.py").unlink()
    elif edit == "other_spec":
        source = spec.parent / "other.yaml"
        shutil.copy(spec, source)
    else:
        (out / CACHE / "inputs.json").write_text("{")
    result = generate(source, out, check=True)
    assert len(loads) == 1
    if edit in ("generated", "created_once_deleted"):
        assert result.written  # --check says what a run would restore
    if edit == "handler":
        assert result.written == []  # a body of the user's is kept: nothing to change


def test_a_full_run_after_a_skip_reports_the_spec_change(
    project: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    spec, out = project
    assert generate(spec, out).written == []  # skipped
    text = spec.read_text()
    assert "summary:" in text
    spec.write_text(text.replace("type: integer", "type: string", 1))
    checked = generate(spec, out, check=True)
    assert checked.written and "specloom.lock" in checked.written
    written = generate(spec, out)
    assert written.written == checked.written
    assert generate(spec, out).written == []
