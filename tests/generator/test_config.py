"""`[tool.specloom]` in pyproject.toml: found from the current folder upwards, its paths relative
to the pyproject.toml, overridden by the command line, refused with the file and key when wrong;
and `python -m specloom` is the `specloom` command."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from specloom.generator.cli import main
from specloom.generator.config import ConfigError, find_config

PETS = Path(__file__).parent / "cli_fixtures" / "pets.yaml"


def project(root: Path, table: str) -> Path:
    """A project folder: pets.yaml under api/, a pyproject.toml with `table`, a subfolder."""
    (root / "api").mkdir()
    shutil.copy(PETS, root / "api" / "pets.yaml")
    (root / "pyproject.toml").write_text(
        f'[project]\nname = "demo"\n\n[tool.specloom]\n{table}\n', encoding="utf-8"
    )
    (root / "src" / "deep").mkdir(parents=True)
    return root


def run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`python -m specloom ARGS` in a fresh interpreter, in `cwd`."""
    command = [sys.executable, "-m", "specloom", *args]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=120)


def test_generate_needs_no_arguments_in_a_configured_project(tmp_path: Path) -> None:
    root = project(tmp_path, 'spec = "api/pets.yaml"\nout = "pets_api"')
    done = run(root / "src" / "deep", "generate")  # found upwards, paths from its folder
    assert done.returncode == 0, done.stderr
    assert (root / "pets_api" / "app.py").is_file()
    assert "up to date" in run(root, "generate").stdout


def test_the_command_line_overrides_the_table(tmp_path: Path) -> None:
    root = project(tmp_path, 'spec = "api/pets.yaml"\nout = "pets_api"\nquiet = true')
    done = run(root, "generate", "--out", "other_api")
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""  # quiet from the table
    assert (root / "other_api" / "app.py").is_file() and not (root / "pets_api").exists()
    loud = run(root, "generate", "--no-quiet")
    assert loud.returncode == 0 and "wrote" in loud.stdout and (root / "pets_api").is_dir()


def test_report_path_is_relative_to_the_pyproject(tmp_path: Path) -> None:
    root = project(tmp_path, 'spec = "api/pets.yaml"\nout = "pets_api"\nreport = "report.json"')
    assert run(root / "src", "generate").returncode == 0
    assert (root / "report.json").is_file()


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('spec = "api/pets.yaml"\nouts = "x"', "[tool.specloom] outs: unknown key (known: "),
        ("spec = 3", "[tool.specloom] spec: expected a str, got int 3"),
        ('quiet = "yes"', "[tool.specloom] quiet: expected a bool, got str 'yes'"),
    ],
)
def test_a_wrong_table_is_refused_with_its_file_and_key(
    tmp_path: Path, table: str, message: str
) -> None:
    root = project(tmp_path, table)
    done = run(root, "generate")
    assert done.returncode == 2
    assert done.stderr.startswith(f"specloom: error: {root / 'pyproject.toml'}: {message}")
    assert "Traceback" not in done.stderr and not (root / "pets_api").exists()


def test_invalid_toml_is_refused_with_its_file(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.specloom\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"pyproject\.toml: not valid TOML"):
        find_config(tmp_path)


def test_without_a_spec_it_says_what_is_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert find_config(tmp_path) is None
    assert main(["generate"]) == 2
    assert "no spec given: pass it, or set `spec` in [tool.specloom] of pyproject.toml" in (
        capsys.readouterr().err
    )
    assert main(["generate", str(PETS)]) == 2
    assert "no out given" in capsys.readouterr().err


def test_the_nearest_table_wins(tmp_path: Path) -> None:
    root = project(tmp_path, 'spec = "api/pets.yaml"\nout = "outer"')
    inner = root / "src"
    (inner / "pyproject.toml").write_text('[tool.specloom]\nout = "inner"\n', encoding="utf-8")
    (inner / "deep" / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    config = find_config(inner / "deep")  # a pyproject.toml without the table is passed over
    assert config is not None and config.path == inner / "pyproject.toml"
    assert config.values == {"out": str(inner / "inner")}


def test_python_m_specloom_is_the_command(tmp_path: Path) -> None:
    done = run(tmp_path, "--help")
    assert done.returncode == 0 and "generate" in done.stdout and "diff" in done.stdout
