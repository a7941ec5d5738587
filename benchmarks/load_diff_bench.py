"""Time loading a spec and `specloom diff` against document size.

    python3 benchmarks/load_diff_bench.py                       # synthetic 100..1,200 + corpus
    python3 benchmarks/load_diff_bench.py --sizes 100,300 --reps 3 --no-corpus

For each synthetic size N (`synthetic_spec.py`, seeds 0 and 1: two different documents of N
operations, JSON) it times `load_spec` of each and `diff_specs` of the pair; for the largest
public documents (`--corpus`, under the shared specs folder) it times `load_spec` and a diff
of the document against itself. Every measurement runs in a fresh interpreter (so no cache
of one run helps the next), `--reps` times; the report gives medians of CPU seconds and
wall seconds (the machine is shared: CPU time is the steadier figure). It also times the
whole command, `python -m specloom diff A B` (output discarded), from the process's start
to its exit: interpreter and imports, loading both documents, the judge, printing (CPU: user
plus system time of the child, from rusage), and the same with `--json`. Writes
`results/load_diff.{md,json}` (or `--out`).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SPECS = Path(os.environ.get("SPECLOOM_SPECS", ROOT.parent / "shared" / "specs"))
CORPUS = (
    "apisguru/APIs/docusign.net/v2.1/openapi.yaml",
    "apisguru/APIs/dracoon.team/4.29.1/openapi.yaml",
    "apisguru/APIs/here.com/tracking/2.1.58/openapi.yaml",
    "apisguru/APIs/atlassian.com/jira/1001.0.0-SNAPSHOT/openapi.yaml",
    "apisguru/APIs/bunq.com/1.0/openapi.yaml",
    "apisguru/APIs/evetech.net/0.8.6/swagger.yaml",
    "apisguru/APIs/jellyfin.local/v1/openapi.yaml",
)
# run in a fresh interpreter: load A (and B), diff them; print CPU and wall seconds as JSON
CHILD = """
import json, sys, time
from specloom.generator.loader import load_spec
from specloom.generator.diff import diff_specs
def now():
    return time.perf_counter(), time.process_time()
a, b = sys.argv[1], sys.argv[2]
w0, c0 = now(); old = load_spec(a).document; w1, c1 = now()
new = load_spec(b).document if b != a else load_spec(a).document; w2, c2 = now()
found = diff_specs(old, new); w3, c3 = now()
print(json.dumps({"load_cpu": c1 - c0, "load_wall": w1 - w0, "diff_cpu": c3 - c2,
                  "diff_wall": w3 - w2, "differences": len(found)}))
"""


def measure(python: str, a: Path, b: Path, reps: int, timeout: float) -> dict[str, Any]:
    runs = []
    for _ in range(reps):
        try:
            done = subprocess.run(
                [python, "-c", CHILD, str(a), str(b)],
                capture_output=True,
                text=True,
                timeout=timeout,
                check=True,
            )
        except subprocess.TimeoutExpired:
            return {"timeout": timeout}
        except subprocess.CalledProcessError as exc:
            return {"error": exc.stderr.strip().splitlines()[-1:]}
        run = json.loads(done.stdout)
        run["cli_cpu"], run["cli_wall"] = command_seconds(python, a, b, timeout)
        run["json_cpu"], run["json_wall"] = command_seconds(python, a, b, timeout, "--json")
        runs.append(run)
    result: dict[str, Any] = {
        key: round(statistics.median(run[key] for run in runs), 3)
        for key in (
            "load_cpu",
            "load_wall",
            "diff_cpu",
            "diff_wall",
            "cli_cpu",
            "cli_wall",
            "json_cpu",
            "json_wall",
        )
    }
    result["differences"] = runs[0]["differences"]
    result["runs"] = runs
    return result


def command_seconds(
    python: str, a: Path, b: Path, timeout: float, *options: str
) -> tuple[float, float]:
    """CPU (user + system) and wall seconds of `specloom diff A B [options]`, the whole
    process (infinite when it was stopped at `timeout`)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    try:
        subprocess.run(
            [python, "-m", "specloom", "diff", str(a), str(b), *options],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=timeout,
            check=False,  # 1: the documents differ
        )
    except subprocess.TimeoutExpired:
        return float("inf"), float("inf")
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall


def synthetic(folder: Path, n: int, seed: int) -> Path:
    out = folder / f"s{n}-{seed}.json"
    if not out.exists():
        script = HERE / "synthetic_spec.py"
        command = [sys.executable, str(script), "--operations", str(n), "--seed", str(seed)]
        subprocess.run([*command, "--out", str(out)], check=True, capture_output=True)
    return out


def _cell(entry: dict[str, Any], key: str) -> str:
    if "timeout" in entry:
        return f"> {entry['timeout']:.0f} s"
    if "error" in entry:
        return "error"
    if entry[key + "_wall"] == float("inf"):
        return "stopped"
    return f"{entry[key + '_cpu']:.2f} ({entry[key + '_wall']:.2f})"


def report(rows: list[dict[str, Any]], command: str) -> str:
    lines = [
        "# Loading and `specloom diff` against document size",
        "",
        "Medians of fresh interpreters; CPU seconds, wall seconds in brackets (a shared",
        "2-core machine: CPU time is the steadier figure). Load: `load_spec` of the first",
        "document (parse, bundle, check every `$ref`). Diff: `diff_specs` of the two loaded",
        "documents (normalise both, make them canonical, compare). Command: the whole",
        "`python -m specloom diff A B` process (start-up, both loads, the judge, printing);",
        "`--json`: the same with `--json` (every difference's values written out).",
        "",
        "| document | MB | operations | load | diff | command | `--json` | differences |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        entry = row["result"]
        lines.append(
            f"| {row['name']} | {row['mb']:.1f} | {row.get('operations', '')} | "
            f"{_cell(entry, 'load')} | {_cell(entry, 'diff')} | {_cell(entry, 'cli')} | "
            f"{_cell(entry, 'json')} | {entry.get('differences', '')} |"
        )
    lines += [
        "",
        f"Command: `{command}`",
        f"Python {platform.python_version()}, {platform.machine()}, "
        f"{os.cpu_count()} CPUs, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,300,600,1200", help="synthetic operations")
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=900)
    parser.add_argument("--no-corpus", action="store_true", help="synthetic documents only")
    parser.add_argument("--python", default=str(ROOT / ".venv" / "bin" / "python"))
    parser.add_argument("--out", type=Path, default=HERE / "results")
    args = parser.parse_args(argv)
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as work:
        for n in (int(size) for size in args.sizes.split(",") if size):
            a, b = synthetic(Path(work), n, 0), synthetic(Path(work), n, 1)
            result = measure(args.python, a, b, args.reps, args.timeout)
            name = f"synthetic {n}, seed 0 vs seed 1"
            rows.append({"name": name, "mb": a.stat().st_size / 1e6, "operations": n})
            rows[-1]["result"] = result
            print(name, {k: v for k, v in result.items() if k != "runs"}, flush=True)
    if not args.no_corpus:
        for relative in CORPUS:
            spec = SPECS / relative
            if not spec.exists():
                continue
            result = measure(args.python, spec, spec, args.reps, args.timeout)
            name = f"{relative.split('APIs/')[-1]} against itself"
            rows.append({"name": name, "mb": spec.stat().st_size / 1e6, "result": result})
            print(name, {k: v for k, v in result.items() if k != "runs"}, flush=True)
    command = "python3 benchmarks/load_diff_bench.py " + " ".join(
        sys.argv[1:] if argv is None else argv
    )
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "load_diff.md").write_text(report(rows, command.strip()))
    payload = {"command": command.strip(), "rows": rows}
    (args.out / "load_diff.json").write_text(json.dumps(payload, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
