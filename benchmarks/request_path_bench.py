"""CPU per request of the small, the 1,000-route and the 1,000-model app, in one process.

    .venv/bin/python benchmarks/request_path_bench.py [--requests 20000] [--rounds 7]

wrk's req/s on this shared machine swings by half between rounds (neighbours take the server's
core), more than the 5% the request path is held to. This measures the same `/plaintext` and
`/m999/7` requests of `run.py`'s apps (`apps/specloom_app.py`) by calling each ASGI app
directly (no socket, no server), as CPU microseconds per request (`time.process_time`), the
apps alternated within every round so a slower moment weighs on all of them; medians over
rounds. Results: `results/request_path.{md,json}` with the command.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from apps.specloom_app import app, app_big, app_models  # noqa: E402

SCOPE: dict[str, Any] = {
    "type": "http",
    "asgi": {"version": "3.0"},
    "http_version": "1.1",
    "method": "GET",
    "scheme": "http",
    "query_string": b"",
    "root_path": "",
    "headers": [(b"host", b"127.0.0.1")],
    "client": ("127.0.0.1", 50000),
    "server": ("127.0.0.1", 8000),
}
CASES = (
    ("small app, /plaintext", app, "/plaintext"),
    ("1,000-route app, /plaintext", app_big, "/plaintext"),
    ("1,000-model app, /plaintext", app_models, "/plaintext"),
    ("1,000-route app, /r999/items/7", app_big, "/r999/items/7"),
    ("1,000-model app, /m999/7", app_models, "/m999/7"),
)


async def _receive() -> dict[str, Any]:
    return {"type": "http.request", "body": b"", "more_body": False}


async def _requests(asgi: Any, path: str, count: int) -> None:
    scope = {**SCOPE, "path": path, "raw_path": path.encode()}
    statuses: list[int] = []

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            statuses.append(message["status"])

    for _ in range(count):
        await asgi(dict(scope), _receive, send)
    if set(statuses) != {200}:
        raise SystemExit(f"{path}: statuses {sorted(set(statuses))}")


async def _measure(requests: int, rounds: int) -> dict[str, list[float]]:
    for _, asgi, path in CASES:
        await _requests(asgi, path, 2000)  # warm
    samples: dict[str, list[float]] = {name: [] for name, _, _ in CASES}
    for _ in range(rounds):
        for name, asgi, path in CASES:
            start = time.process_time()
            await _requests(asgi, path, requests)
            samples[name].append((time.process_time() - start) / requests * 1e6)
    return samples


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--requests", type=int, default=20000, help="requests per app and round")
    p.add_argument("--rounds", type=int, default=7)
    p.add_argument("--out", type=Path, default=HERE / "results")
    args = p.parse_args(argv)
    samples = asyncio.run(_measure(args.requests, args.rounds))
    medians = {name: statistics.median(values) for name, values in samples.items()}
    small = medians[CASES[0][0]]
    command = " ".join(["python", "benchmarks/request_path_bench.py", *(argv or sys.argv[1:])])
    lines = [
        "# CPU per request against the app's size (in process)",
        "",
        f"{datetime.datetime.now(datetime.UTC).isoformat(timespec='seconds')} · `{command}`",
        "",
        f"{args.requests:,} requests per app and round, {args.rounds} rounds, apps alternated "
        "within each; CPU µs per request, median over rounds (each round's figure beside it).",
        "",
        "| request | CPU µs/request | against the small app's /plaintext | rounds |",
        "|---|---:|---:|---|",
    ]
    for name, values in samples.items():
        rounds = ", ".join(f"{value:.2f}" for value in values)
        lines.append(f"| {name} | {medians[name]:.2f} | {medians[name] / small:.3f} | {rounds} |")
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "request_path.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (args.out / "request_path.json").write_text(
        json.dumps({"command": command, "samples": samples, "medians": medians}, indent=2) + "\n",
        encoding="utf-8",
    )
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
