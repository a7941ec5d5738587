"""The generation benchmark's pieces: the tools' commands, measured runs, input conversion, imports.

Every run writes into a fresh temporary folder and is measured in its own wrapper process
(bench/rusage.py).
"""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.rusage import ChildRun, measure

SPECLOOM = "specloom"
DMC = "datamodel-codegen"
ORIGINAL = "original"
CONVERTED = "JSON conversion"

HELPER = Path(__file__).resolve().parent / "spec_helper.py"


@dataclass(frozen=True)
class Spec:
    key: str  # also the generated package's name: a Python identifier
    path: Path
    root: Path | None = None  # the folder its $refs may read under (`--spec-root`); its own


@dataclass(frozen=True)
class Tools:
    specloom: Path  # the `specloom` script of a venv with specloom[generator]
    dmc: Path  # the `datamodel-codegen` script

    @property
    def python(self) -> Path:
        """The interpreter of specloom's venv: converts specs and imports generated packages."""
        return self.specloom.parent / "python"

    def command(
        self, tool: str, spec_file: Path, key: str, out: Path, root: Path | None = None
    ) -> list[str]:
        """``root``: specloom's `--spec-root` (datamodel-codegen follows relative $refs itself)."""
        if tool == SPECLOOM:
            return [
                str(self.specloom),
                "generate",
                str(spec_file),
                "--out",
                str(out / key),
                "--quiet",
                *(("--spec-root", str(root)) if root is not None else ()),
            ]
        return [
            str(self.dmc),
            *("--input", str(spec_file), "--input-file-type", "openapi"),
            *("--output-model-type", "msgspec.Struct", "--output", str(out / "models")),
            *("--formatters", "black", "isort"),  # its current default, stated explicitly
        ]


@dataclass
class Run:
    spec: str
    tool: str
    input: str  # ORIGINAL or CONVERTED
    rep: int  # 0 = the untimed first run
    result: ChildRun
    py_files: int
    py_lines: int
    error: str  # the end of the tool's output when it failed


@dataclass(frozen=True)
class Runner:
    """Runs the tools into fresh folders under ``work``, their output logged under ``logs``."""

    tools: Tools
    work: Path
    logs: Path
    timeout: float = 1800.0  # seconds per run; the tool's process group is killed then

    def run(self, tool: str, spec: Spec, spec_file: Path, label: str, rep: int) -> tuple[Run, Path]:
        """Run ``tool`` on ``spec_file`` into a fresh folder; return the run and that folder."""
        out = self.work / f"{tool}-{spec.key}-{'json' if label == CONVERTED else 'orig'}-r{rep}"
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir(parents=True)
        log = self.logs / f"{out.name}.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        root = spec.root if label == ORIGINAL else None  # a conversion stands alone
        command = self.tools.command(tool, spec_file, spec.key, out, root)
        result = measure(command, out, log, self.timeout)
        # datamodel-codegen writes one module to the file `models` itself, several into that folder
        files = [p for p in out.rglob("*") if p.suffix == ".py" or p == out / "models"]
        files = [p for p in files if p.is_file()]
        lines = sum(len(p.read_bytes().splitlines()) for p in files)
        error = "" if result.returncode == 0 else _tail(log)
        if result.timed_out:
            error = f"timed out after {self.timeout:.0f} s"
        return Run(spec.key, tool, label, rep, result, len(files), lines, error), out

    def describe(self, spec: Spec) -> dict[str, Any]:
        """Version, operation and schema counts and size of ``spec``."""
        args = ["describe", str(spec.path), *([str(spec.root)] if spec.root else [])]
        info: dict[str, Any] = json.loads(helper(self.tools.python, *args))
        return {**info, "kib": round(spec.path.stat().st_size / 1024), "path": str(spec.path)}

    def convert_to_json(self, spec: Spec) -> Path:
        """``spec`` as JSON, read with specloom's lenient loader."""
        target = self.work / f"{spec.key}.json"
        root = [str(spec.root)] if spec.root else []
        helper(self.tools.python, "convert", str(spec.path), str(target), *root)
        return target


def _tail(log: Path, lines: int = 4) -> str:
    text = log.read_text(errors="replace").strip().splitlines()
    wanted = [ln for ln in text if "Warning" not in ln and not ln.startswith("  ")]
    return " | ".join((wanted or text)[-lines:])


def import_seconds(python: Path, cwd: Path, module: str, reps: int, cold: bool) -> list[float]:
    """Seconds to import ``module`` in a fresh interpreter, ``reps`` times.

    ``cold``: the package's ``__pycache__`` folders are removed first, so its bytecode is compiled
    again (specloom's own stays cached); otherwise a first import fills the cache.
    """
    package = cwd / module.split(".")[0]
    if not cold:
        _import(python, cwd, module)
    times = []
    for _ in range(reps):
        if cold:
            for cache in package.rglob("__pycache__"):
                shutil.rmtree(cache)
        times.append(_import(python, cwd, module))
    return times


def _import(python: Path, cwd: Path, module: str) -> float:
    return float(helper(python, "import", module, cwd=cwd))


def helper(python: Path, *args: str, cwd: Path | None = None) -> str:
    """Run bench/spec_helper.py under ``python`` (specloom's venv); return what it printed."""
    cmd = [str(python), str(HELPER), *args]
    return subprocess.run(cmd, cwd=cwd, check=True, capture_output=True, text=True).stdout


def median(values: list[float]) -> float:
    return round(statistics.median(values), 3)
