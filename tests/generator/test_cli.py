"""The `specloom` command line, through its public entries: `main([...])` and `python -m`.

`generate` writes the package layout of DESIGN.md; a bad spec exits 2 with file, line and JSON
pointer and writes nothing; `--check`, `--dry-run`, `--force` and `--report` do what they say;
`diff` exits 0 (equivalent), 1 (different, with pointers) or 2 (unreadable).
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path

import pytest
import yaml

from specloom.generator.cli import main

FIXTURES = Path(__file__).parent / "cli_fixtures"
PETS = FIXTURES / "pets.yaml"  # 3.1: tags pets and store, a response header, an apiKey scheme
LAYOUT = {
    "__init__.py",
    "_generated/__init__.py",
    "_generated/models.py",
    "_generated/operations.py",
    "_generated/headers.py",
    "_generated/routes.py",
    "handlers/__init__.py",
    "handlers/pets.py",
    "handlers/store.py",
    "paginators.py",
    "security.py",
    "app.py",
    "specloom.lock",
    # the inputs of the last run, so an unchanged rerun has nothing to do (ignored by git)
    ".specloom-cache/.gitignore",
    ".specloom-cache/inputs.json",
}
Snapshot = dict[str, tuple[bytes, int]]
Run = Callable[..., tuple[int, str, str]]


def snapshot(folder: Path) -> Snapshot:
    """Every file under `folder`: its bytes and modification time (ns)."""
    return {
        str(path.relative_to(folder)): (path.read_bytes(), path.stat().st_mtime_ns)
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def run_module(
    *args: str, stdin: str | None = None, cwd: Path | None = None
) -> tuple[int, str, str]:
    """`python -m specloom.generator.cli ARGS` in a fresh interpreter."""
    completed = subprocess.run(
        [sys.executable, "-m", "specloom.generator.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
    )
    return completed.returncode, completed.stdout, completed.stderr


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Run:
    """`cli(*args)` -> (exit code, stdout, stderr) of `main([...])`, run in tmp_path."""
    monkeypatch.chdir(tmp_path)

    def run(*args: str | Path) -> tuple[int, str, str]:
        code = main([str(arg) for arg in args])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


@pytest.fixture(scope="module")
def pets_package(tmp_path_factory: pytest.TempPathFactory) -> Snapshot:
    """The package generated from pets.yaml once (by the real entry point), as a snapshot."""
    root = tmp_path_factory.mktemp("pets")
    code, _, err = run_module("generate", str(PETS), "--out", "pets_api", cwd=root)
    assert code == 0, err
    return snapshot(root / "pets_api")


def copy_package(files: Snapshot, out: Path) -> None:
    for relative, (data, _) in files.items():
        (out / relative).parent.mkdir(parents=True, exist_ok=True)
        (out / relative).write_bytes(data)


# -- generate ----------------------------------------------------------------------------------


def test_generate_writes_the_package_layout(pets_package: Snapshot) -> None:
    assert set(pets_package) == LAYOUT
    lock = json.loads(pets_package["specloom.lock"][0])
    assert lock["spec"]["name"] == "pets.yaml"
    assert set(lock["generated"]) == {p for p in LAYOUT if p.startswith("_generated/")}
    assert {entry["function"] for entry in lock["operations"].values()} == {
        "list_pets",
        "create_pet",
        "show_pet",
        "list_orders",
    }
    handlers = pets_package["handlers/pets.py"][0].decode()
    assert "async def list_pets(" in handlers and "raise NotImplementedError" in handlers
    banner = pets_package["_generated/models.py"][0].decode().splitlines()[0]
    assert "do not edit" in banner


def test_generate_prints_what_it_wrote(cli: Run, tmp_path: Path) -> None:
    code, out, err = cli("generate", PETS, "--out", tmp_path / "api")
    assert code == 0, err
    assert "wrote 13 file(s)" in out and "_generated/models.py" in out
    code, out, _ = cli("generate", PETS, "--out", tmp_path / "api")
    assert code == 0 and "is up to date" in out


def test_generate_quiet_prints_nothing(cli: Run, tmp_path: Path) -> None:
    code, out, err = cli("generate", PETS, "--out", tmp_path / "api", "--quiet")
    assert (code, out, err) == (0, "", "")


def test_generate_from_stdin(tmp_path: Path, pets_package: Snapshot) -> None:
    code, _, err = run_module(
        "generate", "-", "--out", "pets_api", stdin=PETS.read_text(), cwd=tmp_path
    )
    assert code == 0, err
    written = snapshot(tmp_path / "pets_api")
    # no cache of the inputs: stdin cannot be read again to tell whether it changed
    assert set(written) == {path for path in LAYOUT if not path.startswith(".specloom-cache/")}
    # the same code as from the file; only the banner names the source differently
    models = written["_generated/models.py"][0].decode()
    assert "<stdin>" in models.splitlines()[0]
    expected = pets_package["_generated/models.py"][0].decode().replace("pets.yaml", "<stdin>")
    assert models == expected


# -- errors: exit 2, located, nothing written ---------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "located"),
    [
        ("bad_yaml.yaml", ["bad_yaml.yaml:8:", "invalid YAML"]),
        (
            "bad_ref.yaml",
            [
                "bad_ref.yaml:15:",
                "#/paths/~1pets/get/responses/200/content/application~1json/schema",
                "unresolvable $ref '#/components/schemas/Missing'",
            ],
        ),
        ("not_openapi.json", ["not_openapi.json", "not an OpenAPI document"]),
        ("missing.yaml", ["missing.yaml", "cannot read the spec"]),
    ],
)
def test_bad_spec_exits_2_and_writes_nothing(
    spec: str, located: list[str], cli: Run, tmp_path: Path
) -> None:
    out = tmp_path / "api"
    code, _, err = cli("generate", FIXTURES / spec, "--out", out)
    assert code == 2
    assert err.startswith("specloom: error: ")
    for part in located:
        assert part in err
    assert "nothing was written" in err
    assert not out.exists()


@pytest.mark.parametrize("spec", ["bad_yaml.yaml", "bad_ref.yaml", "not_openapi.json"])
def test_bad_spec_leaves_an_existing_package_untouched(
    spec: str, cli: Run, tmp_path: Path, pets_package: Snapshot
) -> None:
    out = tmp_path / "api"
    copy_package(pets_package, out)
    before = snapshot(out)
    code, _, _ = cli("generate", FIXTURES / spec, "--out", out)
    assert code == 2
    assert snapshot(out) == before  # same bytes, same mtimes, no new files


def test_errors_through_the_module_entry(tmp_path: Path) -> None:
    code, _, err = run_module(
        "generate", str(FIXTURES / "bad_ref.yaml"), "--out", "api", cwd=tmp_path
    )
    assert code == 2
    assert "bad_ref.yaml:15:17: #/paths/~1pets/get/responses/200/content/" in err
    assert not (tmp_path / "api").exists()


def test_a_failed_write_leaves_no_folders(cli: Run, tmp_path: Path) -> None:
    out = tmp_path / "api"
    out.mkdir()
    (out / "handlers").write_text("a file where the handlers folder must go\n")
    code, _, err = cli("generate", PETS, "--out", out)
    assert code == 2 and "nothing was written" in err
    assert sorted(p.name for p in out.iterdir()) == ["handlers"]  # no `_generated/` left


# -- --check, --dry-run, --force, --report ------------------------------------------------------


def test_check_exits_1_when_out_of_date_then_0(cli: Run, tmp_path: Path) -> None:
    out = tmp_path / "api"
    code, stdout, _ = cli("generate", PETS, "--out", out, "--check")
    assert code == 1 and "would change" in stdout
    assert not out.exists()
    assert cli("generate", PETS, "--out", out)[0] == 0
    before = snapshot(out)
    code, stdout, _ = cli("generate", PETS, "--out", out, "--check")
    assert code == 0 and "up to date" in stdout
    removed = FIXTURES / "pets_removed.yaml"
    code, stdout, _ = cli("generate", removed, "--out", out, "--check")
    assert code == 1 and "_generated/operations.py" in stdout
    assert snapshot(out) == before


def test_dry_run_prints_a_unified_diff_and_writes_nothing(
    cli: Run, tmp_path: Path, pets_package: Snapshot
) -> None:
    out = tmp_path / "api"
    code, stdout, _ = cli("generate", PETS, "--out", out, "--dry-run")
    assert code == 0
    assert "--- a/_generated/models.py\n+++ b/_generated/models.py\n@@ " in stdout
    assert not out.exists()
    copy_package(pets_package, out)
    before = snapshot(out)
    removed = FIXTURES / "pets_removed.yaml"
    code, stdout, _ = cli("generate", removed, "--out", out, "--dry-run")
    assert code == 0
    assert "--- a/_generated/operations.py\n+++ b/_generated/operations.py\n" in stdout
    assert "\n-list_orders = get(" in stdout  # the removed operation's decorator goes
    assert snapshot(out) == before


def test_hand_edit_in_generated_is_refused_without_force(
    cli: Run, tmp_path: Path, pets_package: Snapshot
) -> None:
    out = tmp_path / "api"
    copy_package(pets_package, out)
    models = out / "_generated" / "models.py"
    edited = models.read_text() + "\nHAND_EDIT = 1\n"
    models.write_text(edited)
    before = snapshot(out)
    code, _, err = cli("generate", PETS, "--out", out)
    assert code == 2
    assert "_generated/models.py" in err and "--force" in err
    assert snapshot(out) == before
    code, _, err = cli("generate", PETS, "--out", out, "--force")
    assert code == 0, err
    assert models.read_bytes() == pets_package["_generated/models.py"][0]


def test_report_is_json_with_files_changes_and_warnings(
    cli: Run, tmp_path: Path, pets_package: Snapshot
) -> None:
    out = tmp_path / "api"
    copy_package(pets_package, out)
    report = tmp_path / "report.json"
    removed = FIXTURES / "pets_removed.yaml"
    code, _, err = cli("generate", removed, "--out", out, "--report", report)
    assert code == 0, err
    data = json.loads(report.read_text())
    assert set(data) == {"files", "summary", "recovered", "changes", "warnings"}
    assert "_generated/operations.py" in data["files"] and "specloom.lock" in data["files"]
    (change,) = [c for c in data["changes"] if c["handler"] == "list_orders"]
    assert change["kind"] == "removed" and change["breaking"] is True
    assert data["warnings"] == []

    degraded = tmp_path / "degraded.json"
    code, _, _ = cli(
        "generate", FIXTURES / "degraded.yaml", "--out", tmp_path / "deg", "--report", degraded
    )
    assert code == 0
    warnings = json.loads(degraded.read_text())["warnings"]
    assert {"pointer", "message", "file", "line"} <= set(warnings[0])
    assert "/components/schemas/Result" in {w["pointer"] for w in warnings}


def test_warnings_are_printed_with_file_line_and_pointer(cli: Run, tmp_path: Path) -> None:
    spec = FIXTURES / "degraded.yaml"
    code, _, err = cli("generate", spec, "--out", tmp_path / "deg")
    assert code == 0
    assert (
        f"warning: {spec}:25:5: #/components/schemas/Result: "
        "required property 'missing' is not defined" in err
    )


def test_render_warnings_are_located_too(cli: Run, tmp_path: Path) -> None:
    spec = FIXTURES / "degraded.yaml"
    code, _, err = cli("generate", spec, "--out", tmp_path / "deg")
    assert code == 0
    line = next(line for line in err.splitlines() if "query parameter 'filter'" in line)
    assert line.startswith(f"warning: {spec}:10:")


# -- diff --------------------------------------------------------------------------------------


@pytest.mark.parametrize("other", ["pets30.yaml", "pets20.yaml", "reordered"])
def test_diff_equivalent_exits_0(other: str, cli: Run, tmp_path: Path) -> None:
    if other == "reordered":  # the same document, every mapping's keys reversed, as JSON

        def reverse(value: object) -> object:
            if isinstance(value, dict):
                return {key: reverse(value[key]) for key in reversed(list(value))}
            if isinstance(value, list):
                return [reverse(item) for item in value]
            return value

        target = tmp_path / "reordered.json"
        target.write_text(json.dumps(reverse(yaml.safe_load(PETS.read_text()))))
    else:
        target = FIXTURES / other
    code, out, err = cli("diff", PETS, target)
    assert (code, out.strip(), err) == (0, "equivalent", "")
    code, out, _ = cli("diff", PETS, target, "--json")
    assert code == 0 and json.loads(out) == []


def test_diff_changed_type_exits_1_with_pointers(cli: Run) -> None:
    changed = FIXTURES / "pets_changed.yaml"  # Pet.id: integer/int64 -> string
    code, out, _ = cli("diff", PETS, changed)
    assert code == 1
    assert '~ /components/schemas/Pet/properties/id/type: "integer" -> "string"' in out
    code, out, _ = cli("diff", PETS, changed, "--json")
    assert code == 1
    differences = json.loads(out)
    assert all(set(d) <= {"pointer", "kind", "old", "new", "breaking"} for d in differences)
    by_pointer = {d["pointer"]: d for d in differences}
    change = by_pointer["/components/schemas/Pet/properties/id/type"]
    assert change == {
        "pointer": "/components/schemas/Pet/properties/id/type",
        "kind": "changed",
        "old": "integer",
        "new": "string",
        "breaking": change["breaking"],
    }
    assert by_pointer["/components/schemas/Pet/properties/id/format"]["kind"] == "removed"


def test_diff_removed_operation_exits_1(cli: Run) -> None:
    removed = FIXTURES / "pets_removed.yaml"
    code, out, _ = cli("diff", PETS, removed, "--json")
    assert code == 1
    (difference,) = json.loads(out)
    assert difference["pointer"] == "/paths/~1orders"
    assert difference["kind"] == "removed" and difference["breaking"] is True
    assert difference["old"]["get"]["operationId"] == "listOrders"
    assert "new" not in difference
    code, out, _ = cli("diff", PETS, removed)
    assert code == 1 and out.startswith("- /paths/~1orders: ")


@pytest.mark.parametrize(
    ("spec", "located"),
    [
        ("missing.yaml", "missing.yaml: cannot read the spec"),
        ("bad_yaml.yaml", "bad_yaml.yaml:8:"),
        ("not_openapi.json", "not an OpenAPI document"),
    ],
)
def test_diff_unreadable_exits_2(spec: str, located: str, cli: Run) -> None:
    code, out, err = cli("diff", PETS, FIXTURES / spec)
    assert code == 2 and out == ""
    assert err.startswith("specloom: error: ") and located in err
    code, _, _ = cli("diff", FIXTURES / spec, PETS)
    assert code == 2


def test_diff_reads_stdin() -> None:
    code, out, err = run_module("diff", "-", str(FIXTURES / "pets30.yaml"), stdin=PETS.read_text())
    assert (code, out.strip()) == (0, "equivalent"), err


# -- --version and the console script ----------------------------------------------------------


def test_version(cli: Run) -> None:
    code, out, _ = cli("--version")
    assert (code, out) == (0, f"specloom {version('specloom')}\n")


def test_console_script_and_module_agree() -> None:
    script = Path(sys.executable).parent / "specloom"
    completed = subprocess.run(
        [str(script), "--version"], capture_output=True, text=True, timeout=60
    )
    assert completed.returncode == 0
    assert completed.stdout == run_module("--version")[1] == f"specloom {version('specloom')}\n"


# -- the user's app.py ------------------------------------------------------------------------

_MIDDLEWARE_EDIT = """
def stamp(app: ASGIApp) -> ASGIApp:
    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        async def stamped(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), (b"x-stamp", b"yes")]
            await send(message)

        await app(scope, receive, stamped)

    return middleware


MIDDLEWARE: list[Middleware] = [stamp]
"""

_SERVE = """
from specloom.runtime.testing import TestClient
from pets_api.app import app
with TestClient(app) as client:
    response = client.get("/pets")
    print(response.headers.get("x-stamp"), response.headers.get("content-encoding"))
"""


def test_app_py_offers_middleware_and_keeps_it_across_regeneration(
    cli: Run, tmp_path: Path
) -> None:
    code, _, err = cli("generate", PETS, "--out", tmp_path / "pets_api")
    assert code == 0, err
    app_py = tmp_path / "pets_api" / "app.py"
    text = app_py.read_text()
    assert "MIDDLEWARE: list[Middleware] = []" in text and "middleware=MIDDLEWARE," in text
    assert "# compression_config=CompressionConfig(" in text
    edited = text.replace("MIDDLEWARE: list[Middleware] = []\n", _MIDDLEWARE_EDIT.lstrip())
    edited = edited.replace(
        "from specloom.runtime.middleware import Middleware\n",
        "from specloom.runtime.middleware import Middleware\n"
        "from specloom.runtime.types import ASGIApp, Message, Receive, Scope, Send\n",
    )
    edited = edited.replace(
        '    # compression_config=CompressionConfig(backend="gzip", minimum_size=500),\n',
        '    compression_config=CompressionConfig(backend="gzip", minimum_size=0),\n',
    )
    edited = edited.replace(
        "from specloom.runtime import App\n",
        "from specloom.runtime import App\n"
        "from specloom.runtime.config.compression import CompressionConfig\n",
    )
    app_py.write_text(edited)
    code, out, err = cli("generate", FIXTURES / "pets_changed.yaml", "--out", tmp_path / "pets_api")
    assert code == 0, err + out
    assert app_py.read_text() == edited  # the user's file is never rewritten
    served = subprocess.run(
        [sys.executable, "-c", _SERVE], capture_output=True, text=True, cwd=tmp_path, timeout=120
    )
    assert served.stdout.split() == ["yes", "gzip"], served.stderr


def test_generate_does_not_import_the_runtime(tmp_path: Path) -> None:
    """The generator writes code for the runtime but never runs it: a run loads no module of
    `specloom.runtime` (its import is a tenth of a second, most of a small spec's run)."""
    script = (
        "import sys\n"
        "from specloom.generator.cli import main\n"
        f"code = main(['generate', {str(PETS)!r}, '--out', {str(tmp_path / 'pkg')!r}, '--quiet'])\n"
        "print(code, sorted(m for m in sys.modules if m.startswith('specloom.runtime')))\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=300, check=True
    )
    assert completed.stdout.strip() == "0 []", completed.stderr


def test_the_command_exits_after_generate_with_its_code_and_output(tmp_path: Path) -> None:
    """`specloom generate` ends without the interpreter's teardown (`cli.script`): its exit
    code, what it printed and every file are still there; an error's code too."""
    script = Path(sys.executable).parent / "specloom"
    spec = FIXTURES / "pets.yaml"
    done = subprocess.run(
        [str(script), "generate", str(spec), "--out", str(tmp_path / "pets"), "--no-quiet"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout or done.stderr  # the run's summary was flushed
    assert (tmp_path / "pets" / "specloom.lock").is_file()
    assert (tmp_path / "pets" / "_generated" / "models.py").is_file()
    missing = subprocess.run(
        [sys.executable, "-m", "specloom", "generate", str(tmp_path / "none.yaml"), "--out", "x"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert missing.returncode != 0
    assert "none.yaml" in missing.stderr


def test_a_profiled_generate_exits_as_usual(tmp_path: Path) -> None:
    """Under a profiler the command exits through the interpreter, which writes the profile."""
    profile = tmp_path / "run.prof"
    profiled = [sys.executable, "-m", "cProfile", "-o", str(profile), "-m", "specloom"]
    done = subprocess.run(
        [*profiled, "generate", str(FIXTURES / "pets.yaml"), "--out", str(tmp_path / "pets")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert profile.stat().st_size > 0


def test_a_swagger2_document_s_warnings_name_its_own_places(cli: Run, tmp_path: Path) -> None:
    """Normalising, building and rendering read a 2.0 document as 3.0 (its definitions are
    components/schemas); what they report is placed, and named, in the document as written."""
    spec = FIXTURES / "degraded20.yaml"
    code, _, err = cli("generate", spec, "--out", tmp_path / "deg")
    assert code == 0
    lines = [line for line in err.splitlines() if line.startswith("warning: ")]
    assert "#/components" not in err
    normalised = next(line for line in lines if "keys beside a schema's $ref" in line)
    assert normalised.startswith(f"warning: {spec}:18:7: #/definitions/Result/properties/owner: ")
    built = next(line for line in lines if "required property 'missing'" in line)
    assert built.startswith(f"warning: {spec}:14:3: #/definitions/Result: ")
    rendered = next(line for line in lines if "default 'ten'" in line)
    assert rendered.startswith(f"warning: {spec}:8:11: #/paths/~1results/get/parameters/0")
