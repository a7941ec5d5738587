"""Schemathesis (`--checks all`) against the example pet store and generated corpus servers.

Each server is served by uvicorn on 127.0.0.1 (tests/live_server.py, stopped by PID) and
tested on the document it serves (`/schema/openapi.json`). Counted as expected, by the
schemathesis configuration written beside the run:

- 501 from a stub (`not_a_server_error` expects 2xx, 3xx, 4xx and 501): a generated server's
  handlers are stubs until written, and the served document says so (runtime_answers.py);
- an event stream's events are not checked against the stream's schema: before OpenAPI 3.2
  (`itemSchema`) the schema of `text/event-stream` is the body's (a string), while
  schemathesis reads it as each event's; a path answering an event stream runs apart with
  every check but `response_schema_conformance` (schemathesis 4.32 does not apply a
  per-operation check setting under `--checks all`).

Run: `python benchmarks/schemathesis_bench.py [--examples 25] [--only museum]`; results in
benchmarks/results/schemathesis.{md,json}: checks run and failures per server.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.live_server import uvicorn_server  # noqa: E402

PUBLIC = Path(os.environ.get("SPECLOOM_PUBLIC_SPECS", "/work/shared/specs/public"))
RESULTS = REPO / "benchmarks" / "results"
SSE = "text/event-stream"


@dataclass(frozen=True)
class Server:
    name: str
    spec: Path | None = None  # a corpus document to generate; None: the example pet store
    headers: dict[str, str] = field(default_factory=dict)


PETSTORE = Server("petstore", headers={"X-API-Key": "dev-key"})
CORPUS = (
    Server("museum", PUBLIC / "Redocly__museum-openapi-example/openapi.yaml"),
    Server(
        "swagger-petstore",
        PUBLIC / "swagger-api__swagger-petstore/src/main/resources/openapi.yaml",
    ),
    Server(
        "petstore-expanded", PUBLIC / "OAI__learn.openapis.org/examples/v3.0/petstore-expanded.yaml"
    ),
    Server("tictactoe", PUBLIC / "OAI__learn.openapis.org/examples/v3.1/tictactoe.yaml"),
)


def generate(server: Server, folder: Path) -> tuple[str, Path]:
    """(the ASGI app to serve, its working folder): the pet store as committed, or a corpus
    document generated into `folder`."""
    if server.spec is None:
        return "examples.petstore.server.app:app", REPO
    package = folder / server.name.replace("-", "_")
    subprocess.run(
        [
            str(Path(sys.executable).with_name("specloom")),
            *("generate", str(server.spec), "--out", str(package), "--quiet"),
        ],
        check=True,
        timeout=600,
    )
    return f"{package.name}.app:app", folder


CONFIG = """[checks.not_a_server_error]
expected-statuses = ["2xx", "3xx", "4xx", "501"]
"""


def streams(document: dict[str, Any]) -> list[str]:
    """The paths with an operation that answers an event stream."""
    found: list[str] = []
    for path, item in (document.get("paths") or {}).items():
        for operation in item.values():
            responses = operation.get("responses") if isinstance(operation, dict) else None
            if any(
                SSE in (response.get("content") or {})
                for response in (responses or {}).values()
                if isinstance(response, dict)
            ):
                found.append(path)
                break
    return found


def _counts(events: Path) -> tuple[Counter[str], Counter[str]]:
    """Checks run and failed, by check name, from schemathesis's NDJSON events."""
    run: Counter[str] = Counter()
    failed: Counter[str] = Counter()
    for line in events.read_text().splitlines():
        event = json.loads(line)
        finished = event.get("ScenarioFinished")
        if not finished:
            continue
        for checks in finished["recorder"].get("checks", {}).values():
            for check in checks:
                run[check["name"]] += 1
                if check["status"] == "failure":
                    failed[check["name"]] += 1
    return run, failed


def _schemathesis(
    url: str, folder: Path, name: str, options: list[str], examples: int, seed: int
) -> tuple[dict[str, Any], Counter[str], Counter[str], subprocess.CompletedProcess[str]]:
    command = [
        str(Path(sys.executable).with_name("schemathesis")),
        "--config-file",
        str(folder / "schemathesis.toml"),
        "run",
        url,
        "--checks",
        "all",
        "--max-examples",
        str(examples),
        "--seed",
        str(seed),
        "--workers",
        "1",
        "--no-color",
        "--generation-database",
        "none",
        "--report",
        "json,ndjson",
        "--report-json-path",
        str(folder / f"{name}.json"),
        "--report-ndjson-path",
        str(folder / f"{name}.ndjson"),
        *options,
    ]
    done = subprocess.run(command, cwd=folder, capture_output=True, text=True, timeout=1200)
    report = json.loads((folder / f"{name}.json").read_text())
    run, failed = _counts(folder / f"{name}.ndjson")
    return report, run, failed, done


def run_server(server: Server, examples: int, seed: int = 1) -> dict[str, Any]:
    """Schemathesis against one server: checks run, failures (by check) and their codes.
    Paths answering an event stream run apart, without `response_schema_conformance`."""
    with tempfile.TemporaryDirectory(prefix="specloom-st-") as tmp:
        folder = Path(tmp)
        app, cwd = generate(server, folder)
        (folder / "schemathesis.toml").write_text(CONFIG)
        headers = [f"--header={name}: {value}" for name, value in server.headers.items()]
        runs = []
        with uvicorn_server(app, cwd=cwd, timeout=60) as base_url:
            url = f"{base_url}/schema/openapi.json"
            apart = streams(httpx.get(url).json())
            main = [f"--exclude-path={path}" for path in apart]
            runs.append(_schemathesis(url, folder, "main", headers + main, examples, seed))
            if apart:
                only = [f"--include-path={path}" for path in apart]
                only.append("--exclude-checks=response_schema_conformance")
                runs.append(_schemathesis(url, folder, "streams", headers + only, examples, seed))
    run: Counter[str] = Counter()
    failed: Counter[str] = Counter()
    for _, ran, fails, _ in runs:
        run.update(ran)
        failed.update(fails)
    reports = [report for report, *_ in runs]
    return {
        "server": server.name,
        "examples_per_operation": examples,
        "operations": sum(r["operations"]["tested"] for r in reports),
        "test_cases": sum(r["test_cases"]["generated"] for r in reports),
        "checks_run": sum(run.values()),
        "failures": sum(failed.values()),
        "failed_checks": dict(failed),
        "failure_codes": [
            f"{f['code']} {f['title']}: {f['operations']}" for r in reports for f in r["failures"]
        ],
        "errors": [error for r in reports for error in r["errors"]],
        "exit_codes": [done.returncode for *_, done in runs],
        "output": "".join(done.stdout[-4000:] for *_, done in runs if done.returncode),
    }


def _markdown(rows: list[dict[str, Any]]) -> str:
    lines = [
        "# Schemathesis against served documents",
        "",
        "`python benchmarks/schemathesis_bench.py`: schemathesis "
        "(`--checks all`, every phase, seed 1) against each server's own document; 501 from a "
        "stub is expected (see the script's docstring).",
        "",
        "| Server | Operations | Examples per operation | Test cases | Checks run | Failures |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        lines.append(
            f"| {row['server']} | {row['operations']} | {row['examples_per_operation']} | "
            f"{row['test_cases']:,} | {row['checks_run']:,} | {row['failures']} |"
        )
    for row in rows:
        for code in row["failure_codes"]:
            lines.append(f"\n- {row['server']}: {code}")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=25)
    parser.add_argument("--only", action="append", default=[])
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    if shutil.which("schemathesis", path=str(Path(sys.executable).parent)) is None:
        sys.exit("schemathesis is not installed (pip install -e '.[dev]')")
    servers = [PETSTORE, *(s for s in CORPUS if s.spec is not None and s.spec.exists())]
    if args.only:
        servers = [s for s in servers if any(part in s.name for part in args.only)]
    rows = []
    for server in servers:
        row = run_server(server, args.examples)
        print(f"{row['server']}: {row['checks_run']} checks, {row['failures']} failures")
        rows.append(row)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "schemathesis.json").write_text(json.dumps(rows, indent=2) + "\n")
    (args.out / "schemathesis.md").write_text(_markdown(rows))


if __name__ == "__main__":
    main()
