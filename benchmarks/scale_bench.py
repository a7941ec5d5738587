"""Cost of `specloom generate` against the number of operations, and of an unchanged rerun.

    python3 benchmarks/scale_bench.py                       # sizes 100..5000 + the large docs
    python3 benchmarks/scale_bench.py --sizes 100,1000 --real none --reps 1 --name try
    python3 benchmarks/scale_bench.py --baseline /other/checkout/.venv/bin/specloom

Inputs: synthetic documents of each size (`synthetic_spec.py`, JSON, seed 0) and the largest
public documents (`--real KEY=PATH`, repeatable; default: docusign, dracoon, here.com
tracking, Jira, bunq, evetech and jellyfin from the APIs.guru corpus). Each run writes into a
fresh folder, measured in a wrapper process of its own (`bench/rusage.py`: wall, CPU seconds
of the process and its children, peak RSS); after each timed run, the same command again on
the package it left is the no-op regeneration. With `--baseline`, a second `specloom` (say, the
main branch's) runs beside it, interleaved run by run. Medians of `--reps` runs; time per
operation is CPU seconds over operations (wall time on a shared machine moves with the
neighbours). Writes `results/<name>.md` and `results/<name>.json`.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from bench.generate import helper  # noqa: E402
from bench.rusage import measure  # noqa: E402

CORPUS = Path("/work/shared/specs/apisguru/APIs")
DEFAULT_REAL = [
    f"docusign={CORPUS}/docusign.net/v2.1/openapi.yaml",
    f"dracoon={CORPUS}/dracoon.team/4.29.1/openapi.yaml",
    f"here_tracking={CORPUS}/here.com/tracking/2.1.58/openapi.yaml",
    f"jira={CORPUS}/atlassian.com/jira/1001.0.0-SNAPSHOT/openapi.yaml",
    f"bunq={CORPUS}/bunq.com/1.0/openapi.yaml",
    f"evetech={CORPUS}/evetech.net/0.8.6/swagger.yaml",
    f"jellyfin={CORPUS}/jellyfin.local/v1/openapi.yaml",
]


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default="100,500,1000,2000,5000", help="synthetic operation counts")
    p.add_argument("--real", action="append", metavar="KEY=PATH", help="'none': no real document")
    p.add_argument("--reps", type=int, default=3, help="timed runs per input and tool; median")
    p.add_argument("--specloom", type=Path, default=REPO / ".venv" / "bin" / "specloom")
    p.add_argument("--baseline", type=Path, help="another specloom script to run beside it")
    p.add_argument("--out", type=Path, default=HERE / "results")
    p.add_argument("--name", default="scale")
    args = p.parse_args()
    args.sizes = [int(n) for n in args.sizes.split(",") if n]
    real = [] if args.real == ["none"] else (args.real or DEFAULT_REAL)
    args.real = []
    for item in real:
        key, _, path = item.partition("=")
        if not Path(path).is_file():
            print(f"skipped {key}: {path} is not there", file=sys.stderr)
            continue
        args.real.append((key, Path(path)))
    return args


def _median(values: list[float]) -> float:
    return round(statistics.median(values), 3) if values else float("nan")


def _run(tool: Path, spec: Path, out: Path, log: Path) -> dict[str, Any]:
    command = [str(tool), "generate", str(spec), "--out", str(out), "--quiet"]
    run = measure(command, out.parent, log, timeout=3600)
    return {
        "ok": run.returncode == 0,
        "wall_s": run.wall_s,
        "cpu_s": run.cpu_s,
        "rss": run.max_rss_mb,
    }


def _inputs(args: argparse.Namespace, tmp: Path, python: Path) -> list[dict[str, Any]]:
    inputs = []
    for n in args.sizes:
        path = tmp / f"synthetic_{n}.json"
        subprocess.run(
            [
                sys.executable,
                str(HERE / "synthetic_spec.py"),
                "--operations",
                str(n),
                "--out",
                str(path),
            ],
            check=True,
            capture_output=True,
        )
        inputs.append({"key": f"synthetic_{n}", "path": path, "operations": n})
    for key, path in args.real:
        info = json.loads(helper(python, "describe", str(path)))
        inputs.append({"key": key, "path": path, "operations": info["operations"]})
    for item in inputs:
        item["mib"] = round(item["path"].stat().st_size / 2**20, 2)
    return inputs


def measure_all(args: argparse.Namespace, tmp: Path) -> dict[str, Any]:
    tools = {"specloom": args.specloom}
    if args.baseline:
        tools["baseline"] = args.baseline
    logs = HERE / ".work" / "logs" / "scale"
    logs.mkdir(parents=True, exist_ok=True)
    inputs = _inputs(args, tmp, args.specloom.parent / "python")
    rows = []
    for item in inputs:
        samples: dict[str, dict[str, list[Any]]] = {t: {"full": [], "noop": []} for t in tools}
        for rep in range(args.reps):
            for tool, script in tools.items():  # interleaved: drift spreads over both
                out = tmp / f"{tool}-{item['key']}-r{rep}" / "pkg"
                out.parent.mkdir(parents=True)
                for kind in ("full", "noop"):  # noop: the same again on what it left
                    log = logs / f"{out.parent.name}-{kind}.log"
                    samples[tool][kind].append(_run(script, item["path"], out, log))
                shutil.rmtree(out.parent)
                full, noop = samples[tool]["full"][-1], samples[tool]["noop"][-1]
                print(
                    f"{item['key']:16} {tool:9} rep {rep}: {full['wall_s']:7.2f} s wall "
                    f"{full['cpu_s']:7.2f} s cpu {full['rss']:6.0f} MiB; no-op "
                    f"{noop['wall_s']:5.2f} s wall {noop['cpu_s']:5.2f} s cpu",
                    flush=True,
                )
        row = {k: (str(v) if isinstance(v, Path) else v) for k, v in item.items()}
        for tool, got in samples.items():
            full = [s for s in got["full"] if s["ok"]]
            noop = [s for s in got["noop"] if s["ok"]]
            cpu = _median([s["cpu_s"] for s in full])
            row[tool] = {
                "ok": f"{len(full)}/{len(got['full'])}",
                "wall_s": _median([s["wall_s"] for s in full]),
                "cpu_s": cpu,
                "cpu_ms_per_operation": round(1000 * cpu / item["operations"], 2),
                "peak_rss_mib": _median([s["rss"] for s in full]),
                "noop_wall_s": _median([s["wall_s"] for s in noop]),
                "noop_cpu_s": _median([s["cpu_s"] for s in noop]),
                "samples": got,
            }
        rows.append(row)
    return {"tools": {k: str(v) for k, v in tools.items()}, "rows": rows}


def report(data: dict[str, Any]) -> str:
    tools = list(data["tools"])
    lines = [
        "# Generation cost against size: `specloom generate`",
        "",
        f"{data['date']} · `{data['command']}` · {data['reps']} timed run(s) per cell, medians",
        "",
        "CPU s: user + system of the run and its children (ruff); ms/op: CPU ms per operation; "
        "no-op: the same command again on the package it left (nothing changed).",
        "",
    ]
    head = "| input | operations | MiB |"
    rule = "|---|---:|---:|"
    for tool in tools:
        head += f" {tool} wall s | CPU s | ms/op | peak RSS MiB | no-op wall s | no-op CPU s |"
        rule += "---:|---:|---:|---:|---:|---:|"
    lines += [head, rule]
    for row in data["rows"]:
        line = f"| {row['key']} | {row['operations']:,} | {row['mib']} |"
        for tool in tools:
            r = row[tool]
            line += (
                f" {r['wall_s']} | {r['cpu_s']} | {r['cpu_ms_per_operation']} | "
                f"{r['peak_rss_mib']:.0f} | {r['noop_wall_s']} | {r['noop_cpu_s']} |"
            )
        lines.append(line)
    synthetic = [r for r in data["rows"] if r["key"].startswith("synthetic_")]
    if len(synthetic) > 1:
        lines += ["", "## Linear cost (synthetic documents)", ""]
        for tool in tools:
            per_op = [r[tool]["cpu_ms_per_operation"] for r in synthetic]
            spread = max(per_op) / min(per_op)
            verdict = "within" if spread <= 1.5 else "NOT within"
            lines.append(
                f"- {tool}: CPU ms per operation {', '.join(map(str, per_op))} "
                f"(sizes {', '.join(str(r['operations']) for r in synthetic)}): max/min "
                f"{spread:.2f}, {verdict} 1.5x"
            )
    lines += ["", "## Tools", ""] + [f"- {k}: `{v}`" for k, v in data["tools"].items()]
    lines += ["", f"Machine: {data['machine']}", ""]
    return "\n".join(lines)


def main() -> int:
    args = parse_args()
    started = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    with tempfile.TemporaryDirectory(prefix="specloom-scale-") as tmp:
        data = measure_all(args, Path(tmp))
    data.update(
        date=started,
        command=shlex.join(sys.orig_argv),
        reps=args.reps,
        machine=f"{os.cpu_count()} cores, load average at the end "
        f"{' '.join(Path('/proc/loadavg').read_text().split()[:3])}",
    )
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / f"{args.name}.json").write_text(json.dumps(data, indent=1) + "\n")
    (args.out / f"{args.name}.md").write_text(report(data))
    print(f"wrote {args.out / (args.name + '.md')} and .json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
