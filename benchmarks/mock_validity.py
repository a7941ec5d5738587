"""Mock mode over the corpus: are the bodies valid? Side by side with Prism when it is given.

For each document (`--slice ci` by default: the 14 public documents and every tenth APIs.guru
one), in a child process with a time limit (`bench/mock_probe.py`): generate the package, build
its app with `SPECLOOM_MOCK=1`, serve it on uvicorn, and request every operation whose default
answer is a JSON 2xx (a sample value for each required parameter, a request body made from its
schema, credentials for its security); each body is validated with `jsonschema` (formats
asserted) against the operation's response schema in `app.openapi()`. With `--prism PATH`
(`npm install @stoplight/prism-cli`), Prism's mock server on the same document gets the same
requests, validated the same way. Writes `mock.md` and `mock.json`.

    python3 benchmarks/mock_validity.py --jobs 1 [--prism node_modules/.bin/prism]

Latency: per request, sequential, one client on 127.0.0.1 (the first request of each server
not counted); the median over every answered request of the run.
"""

from __future__ import annotations

import argparse
import datetime
import json
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from corpus import ci_slice, documents, run_probe, shared_specs, spec_root  # noqa: E402

PROBE = HERE / "bench" / "mock_probe.py"
SERVERS = ("mock", "prism")


def run_one(
    spec: Path, work: Path, python: str, timeout: float, prism: str | None, root: Path
) -> Any:
    # the folder its $refs may read under, by the corpus runner's rule
    command = [python, str(PROBE), str(spec), str(work), "--spec-root", str(root)]
    if prism:
        command += ["--prism", prism]
    outcome = run_probe(command, cwd=work, timeout=timeout, stderr_tail=800)
    if isinstance(outcome, str):
        return {"timeout": outcome}
    result, seconds = outcome
    result["seconds"] = round(seconds, 2)
    return result


def totals(results: dict[str, Any], server: str) -> dict[str, Any]:
    count: Counter[str] = Counter()
    sources: Counter[str] = Counter()
    invalid_sources: Counter[str] = Counter()
    unanswered: Counter[str] = Counter()
    latencies: list[float] = []
    for result in results.values():
        measured = result.get(server)
        if not isinstance(measured, dict) or not measured.get("ok"):
            count["not_measured"] += 1
            continue
        count["documents"] += 1
        for key in ("json_2xx", "answered", "valid"):
            count[key] += measured[key]
        sources.update(measured["sources"])
        invalid_sources.update(measured["invalid_sources"])
        count["invalid_pattern"] += sum(
            "does not match" in item["error"] for item in measured["invalid"]
        )
        unanswered.update(measured["unanswered"])
        latencies.extend(measured["latencies_ms"])
    answered = count["answered"]
    return {
        **dict(count),
        "valid_percent": round(100 * count["valid"] / answered, 2) if answered else None,
        "answered_percent": (
            round(100 * answered / count["json_2xx"], 2) if count["json_2xx"] else None
        ),
        "sources": dict(sources),
        "invalid_sources": dict(invalid_sources),
        "unanswered": dict(unanswered.most_common()),
        "median_latency_ms": round(statistics.median(latencies), 3) if latencies else None,
    }


def markdown(report: dict[str, Any]) -> str:
    meta = report["meta"]
    lines = [
        "# Mock mode: valid bodies over the corpus",
        "",
        f"`{meta['command']}` at `{meta['commit']}` on {meta['date']}: {meta['documents']} "
        f"documents, {meta['wall_seconds']} s wall. How it is measured: the docstring of "
        "`benchmarks/mock_validity.py`.",
        "",
        "| server | documents | operations with a JSON 2xx | answered | bodies valid | "
        "median latency |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for server in SERVERS:
        total = report["totals"].get(server)
        if not total or not total.get("documents"):
            lines.append(f"| {server} | not measured | | | | |")
            continue
        lines.append(
            f"| {'specloom' if server == 'mock' else 'Prism'} | {total['documents']} | "
            f"{total['json_2xx']} | {total['answered']} ({total['answered_percent']}%) | "
            f"{total['valid']} ({total['valid_percent']}%) | {total['median_latency_ms']} ms |"
        )
    lines += ["", "Where the bodies came from, and which were invalid:", ""]
    for server in SERVERS:
        total = report["totals"].get(server) or {}
        if total.get("documents"):
            lines.append(
                f"- {server}: sources {total['sources']}, invalid {total['invalid_sources']} "
                f"({total.get('invalid_pattern', 0)} of the first ten per document: a string "
                f"that does not match its `pattern`), not answered {total['unanswered']}"
            )
    lines += ["", "## Invalid bodies (the first of each document)", ""]
    for doc_id, result in report["documents"].items():
        for server in SERVERS:
            measured = result.get(server)
            if isinstance(measured, dict) and measured.get("invalid"):
                first = measured["invalid"][0]
                lines.append(
                    f"- {server} `{doc_id}` {first['operation']} ({first['source']}): "
                    f"{first['error']}"
                )
    lines += ["", "## Documents not measured", ""]
    for doc_id, result in report["documents"].items():
        failed = [
            f"{key}: {str(value)[:200]}"
            for key, value in result.items()
            if key in ("timeout", "crash") or (isinstance(value, dict) and value.get("ok") is False)
        ]
        if failed:
            lines.append(f"- `{doc_id}`: {'; '.join(failed)}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--slice", choices=("all", "ci", "public"), default="ci")
    p.add_argument("--only", action="append", default=[], help="document ids containing this")
    p.add_argument("--jobs", type=int, default=1)
    p.add_argument("--timeout", type=float, default=300.0, help="seconds per document")
    p.add_argument("--prism", help="Prism's executable (npm's @stoplight/prism-cli)")
    p.add_argument("--out", type=Path, default=HERE / "results")
    p.add_argument("--name", default="mock")
    p.add_argument("--python", default=str(HERE.parent / ".venv" / "bin" / "python"))
    args = p.parse_args(argv)
    specs = shared_specs()
    if specs is None:
        print("mock_validity: the corpus (../shared/specs) is not here: nothing measured")
        return 0
    found = documents(specs)
    if args.slice == "ci":
        found = ci_slice(found)
    elif args.slice == "public":
        found = [item for item in found if item[0].startswith("public/")]
    if args.only:
        found = [item for item in found if any(part in item[0] for part in args.only)]
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="specloom-mock-") as scratch:

        def one(item: tuple[int, tuple[str, Path]]) -> tuple[str, Any]:
            number, (doc_id, path) = item
            work = Path(scratch) / f"d{number:03d}"
            work.mkdir()
            root = spec_root(doc_id, path)
            result = run_one(path, work, args.python, args.timeout, args.prism, root)
            mock = result.get("mock") or {}
            print(
                f"[{number + 1}/{len(found)}] {mock.get('valid', '-')}/"
                f"{mock.get('answered', '-')}/{mock.get('json_2xx', '-')} {doc_id}",
                flush=True,
            )
            return doc_id, result

        with ThreadPoolExecutor(max_workers=args.jobs) as pool:
            results = dict(pool.map(one, enumerate(found)))
    command = "python3 benchmarks/mock_validity.py " + shlex.join(
        sys.argv[1:] if argv is None else argv
    )
    measured = {server: totals(results, server) for server in SERVERS}
    for result in results.values():  # the figures are in the totals; keep the file small
        for server in SERVERS:
            if isinstance(result.get(server), dict):
                result[server].pop("latencies_ms", None)
    report = {
        "meta": {
            "command": command.strip(),
            "commit": subprocess.run(
                ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True
            ).stdout.strip(),
            "date": datetime.date.today().isoformat(),
            "documents": len(found),
            "wall_seconds": round(time.perf_counter() - started, 1),
        },
        "totals": measured,
        "documents": results,
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / f"{args.name}.json").write_text(json.dumps(report, indent=1) + "\n")
    (args.out / f"{args.name}.md").write_text(markdown(report))
    print(markdown(report).split("## Invalid")[0])
    return 0


if __name__ == "__main__":
    sys.exit(main())
