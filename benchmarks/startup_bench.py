"""Start-up of a generated server against its size: import, app construction, app.openapi(), RSS.

    python3 benchmarks/startup_bench.py --synthetic 100,300,1000 --spec jira=PATH/openapi.yaml

Each document is generated once (`specloom generate --quiet`, synthetic ones written first by
`synthetic_spec.py`), then measured in fresh interpreters with the package bytecode cached (one
untimed run writes it): the import of `<pkg>._generated.routes` (models, operations, routes),
the import of `<pkg>.app` (the App built), the first and the second `app.openapi()`, each as
CPU seconds (`time.process_time`) and wall seconds, and the resident set at the end (VmRSS and
peak). Each repetition is three runs: one with the package's stored document deleted (the first
`openapi()` builds it and stores it in `.specloom-cache/`), then one that reads it back, as a
restarted server on unchanged code does, then one after a handler's body was edited (a new
`raise NotImplementedError(...)` in the first handler file), as in the development loop: the
document is built again from the component schemas stored apart. Medians of `--reps`
repetitions. Results go to
`results/startup.{md,json}` with the command.
Standard library only; the generated package runs under the project's venv (`--python`).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

PROBE = r"""
import importlib, json, resource, sys, time
name = sys.argv[1]
cpu, wall = time.process_time, time.perf_counter
out = {}
c, w = cpu(), wall()
importlib.import_module(name + "._generated.routes")
out["import_cpu"], out["import_wall"] = cpu() - c, wall() - w
c, w = cpu(), wall()
app = importlib.import_module(name + ".app").app
out["construct_cpu"], out["construct_wall"] = cpu() - c, wall() - w
for key in ("openapi_first", "openapi_second"):
    c, w = cpu(), wall()
    app.openapi()
    out[key + "_cpu"], out[key + "_wall"] = cpu() - c, wall() - w
with open("/proc/self/status") as status:
    for line in status:
        if line.startswith("VmRSS:"):
            out["rss_mib"] = int(line.split()[1]) / 1024
out["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
out["routes"] = len(app.compiled_handlers)
print(json.dumps(out))
"""


def _env(package_parent: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = str(package_parent)
    return env


def _count_models(package: Path) -> int:
    text = (package / "_generated" / "models.py").read_text(encoding="utf-8")
    return sum(1 for line in text.splitlines() if line.startswith("class "))


_STUB = re.compile(r"raise NotImplementedError(\([^)\n]*\))?")


def _edit_a_handler_body(package: Path, count: int) -> None:
    """A new body for the first stub handler: its code changes, its signature does not."""
    for path in sorted((package / "handlers").glob("*.py")):
        text = path.read_text(encoding="utf-8")
        if _STUB.search(text):
            edited = f'raise NotImplementedError("edited {count}")'
            path.write_text(_STUB.sub(edited, text, count=1), encoding="utf-8")
            return
    raise SystemExit(f"{package}: no stub handler body to edit")


def measure(
    key: str, spec: Path, work: Path, python: str, specloom: str, reps: int
) -> dict[str, Any]:
    package = work / key
    subprocess.run(
        [specloom, "generate", str(spec), "--out", str(package), "--quiet"],
        check=True,
        timeout=3600,
    )
    env = _env(work)
    probe = [python, "-c", PROBE, key]
    subprocess.run(probe, check=True, env=env, capture_output=True, timeout=3600)  # bytecode
    runs: list[dict[str, Any]] = []
    stored_runs: list[dict[str, Any]] = []
    edited_runs: list[dict[str, Any]] = []
    for rep in range(reps):
        for path in (package / ".specloom-cache").glob("*-*.json"):
            path.unlink()  # built (documents and their schemas stored apart), then stored
        for into in (runs, stored_runs, edited_runs):  # then read back, then a body edited
            if into is edited_runs:
                _edit_a_handler_body(package, rep)
            done = subprocess.run(
                probe, check=True, env=env, capture_output=True, text=True, timeout=3600
            )
            into.append(json.loads(done.stdout.strip().splitlines()[-1]))
    medians = {name: statistics.median(run[name] for run in runs) for name in runs[0]}
    stored = {name: statistics.median(run[name] for run in stored_runs) for name in runs[0]}
    edited = {name: statistics.median(run[name] for run in edited_runs) for name in runs[0]}
    return {
        "key": key,
        "spec": str(spec),
        "operations": runs[0]["routes"],
        "model_classes": _count_models(package),
        "median": medians,
        "stored_median": stored,
        "edited_median": edited,
        "runs": runs,
        "stored_runs": stored_runs,
        "edited_runs": edited_runs,
    }


def _markdown(rows: list[dict[str, Any]], command: str, reps: int) -> str:
    lines = [
        "# Start-up of a generated server",
        "",
        f"{datetime.datetime.now(datetime.UTC).isoformat(timespec='seconds')} · `{command}`",
        "",
        f"Fresh interpreter per run, package bytecode cached; medians of {reps} run(s). "
        "CPU = `time.process_time()` (the figure neighbours on a shared machine move least), "
        "wall beside it. Import: `<pkg>._generated.routes` (models, operations, routes); "
        "construction: `<pkg>.app` (the App built); RSS after the second `openapi()`. "
        "Built: the first `openapi()` builds the document (none stored); stored: it reads the "
        "one an earlier process on the same code stored in the package's `.specloom-cache/`; "
        "after an edit: a handler's body changed since then, so the document is built again "
        "from the component schemas stored apart (their key leaves handler bodies out).",
        "",
        "| document | operations | model classes | import CPU s (wall) | construction CPU s "
        "(wall) | import + construction CPU s | first openapi() built CPU s (wall) | first "
        "openapi() stored CPU s (wall) | first openapi() after an edit CPU s (wall) | second "
        "openapi() CPU s | RSS MiB built (peak) | RSS MiB stored (peak) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        m, stored, edited = row["median"], row["stored_median"], row["edited_median"]
        lines.append(
            f"| {row['key']} | {row['operations']:,} | {row['model_classes']:,} "
            f"| {m['import_cpu']:.2f} ({m['import_wall']:.2f}) "
            f"| {m['construct_cpu']:.2f} ({m['construct_wall']:.2f}) "
            f"| {m['import_cpu'] + m['construct_cpu']:.2f} "
            f"| {m['openapi_first_cpu']:.2f} ({m['openapi_first_wall']:.2f}) "
            f"| {stored['openapi_first_cpu']:.2f} ({stored['openapi_first_wall']:.2f}) "
            f"| {edited['openapi_first_cpu']:.2f} ({edited['openapi_first_wall']:.2f}) "
            f"| {m['openapi_second_cpu']:.3f} | {m['rss_mib']:.0f} ({m['peak_rss_mib']:.0f}) "
            f"| {stored['rss_mib']:.0f} ({stored['peak_rss_mib']:.0f}) |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--synthetic", default="100,300,1000", help="operation counts, comma-separated")
    p.add_argument("--spec", action="append", default=[], help="KEY=PATH, repeatable")
    p.add_argument("--reps", type=int, default=3)
    p.add_argument("--python", default=str(ROOT / ".venv" / "bin" / "python"))
    p.add_argument("--specloom", default=str(ROOT / ".venv" / "bin" / "specloom"))
    p.add_argument("--out", type=Path, default=HERE / "results")
    args = p.parse_args(argv)
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="startup-") as tmp:
        work = Path(tmp)
        specs: list[tuple[str, Path]] = []
        for count in filter(None, args.synthetic.split(",")):
            path = work / f"synthetic{count}.json"
            subprocess.run(
                [
                    sys.executable,
                    str(HERE / "synthetic_spec.py"),
                    "--operations",
                    count,
                    "--out",
                    str(path),
                ],
                check=True,
                capture_output=True,
            )
            specs.append((f"synthetic{count}", path))
        for item in args.spec:
            key, _, path_text = item.partition("=")
            specs.append((key, Path(path_text)))
        for key, spec in specs:
            row = measure(key, spec, work, args.python, args.specloom, args.reps)
            rows.append(row)
            print(json.dumps({"key": key, **row["median"]}), flush=True)
    command = " ".join(["python3", "benchmarks/startup_bench.py", *(argv or sys.argv[1:])])
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "startup.json").write_text(
        json.dumps({"command": command, "rows": rows}, indent=2) + "\n", encoding="utf-8"
    )
    (args.out / "startup.md").write_text(_markdown(rows, command, args.reps), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
