"""What response validation costs: CPU seconds per request, in-process, off / log / strict, and
the runtime of the branch point (a build without the feature) on the same app.

Each variant is run in a child process of its own (the same interpreter): an `App` of two
handlers (one small object by a path parameter; a page of 20 objects), called through its ASGI
callable directly (no server, no sockets), `--requests` requests per endpoint and repeat,
`--repeats` repeats; the parent runs `--rounds` rounds, the variants interleaved in each, and
keeps the CPU seconds (`time.process_time`) of every repeat. Reported: the median and the best
microseconds per request, and requests per CPU second from the median.

The branch point's runtime is taken from git (`git archive REV entry runtime`) into a temporary
folder put first on the child's `sys.path`, so the app is served by that code as it was.

    .venv/bin/python benchmarks/response_validation.py            # writes benchmarks/results/
    .venv/bin/python benchmarks/response_validation.py --base 1b3fc34 --rounds 1 --out /tmp/x
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path
from typing import Any

import msgspec

REPO = Path(__file__).resolve().parent.parent
VARIANTS = ("base", "off", "log", "strict")
ENDPOINTS = {"small": "/pets/7", "page": "/pets"}
BASE_REVISION = "1b3fc34"  # the branch point: the runtime before response validation


class Pet(msgspec.Struct):
    id: int
    name: str
    tag: str | None = None


class Page(msgspec.Struct):
    items: list[Pet]
    total: int


def build_app(variant: str) -> Any:
    from specloom.runtime import App, get

    page = Page(items=[Pet(id=i, name=f"pet {i}", tag="cat") for i in range(20)], total=20)

    @get("/pets", operation_id="listPets")
    async def list_pets() -> Page:
        return page

    @get("/pets/{pet_id:int}", operation_id="showPet")
    async def show_pet(pet_id: int) -> Pet:
        return Pet(id=pet_id, name="Tom")

    options: dict[str, Any] = {}
    if variant != "base":  # the branch point has no such option
        options["validate_responses"] = {"off": None, "log": "log", "strict": "strict"}[variant]
    return App([list_pets, show_pet], **options)


def scope_of(path: str) -> dict[str, Any]:
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"bench"), (b"accept", b"application/json")],
        "client": ("127.0.0.1", 5000),
        "server": ("127.0.0.1", 8000),
    }


async def _measure(app: Any, path: str, requests: int, repeats: int) -> list[float]:
    """CPU seconds per request of each repeat."""
    template = scope_of(path)
    statuses: list[int] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            statuses.append(message["status"])

    for _ in range(200):  # warm-up (and the document, built on the first checked answer)
        await app(dict(template), receive, send)
    assert set(statuses) == {200}, statuses
    found: list[float] = []
    for _ in range(repeats):
        start = time.process_time()
        for _ in range(requests):
            await app(dict(template), receive, send)
        found.append((time.process_time() - start) / requests)
    return found


def child(variant: str, requests: int, repeats: int) -> None:
    import specloom.runtime

    app = build_app(variant)
    result: dict[str, Any] = {"runtime": specloom.runtime.__file__, "endpoints": {}}
    for name, path in ENDPOINTS.items():
        result["endpoints"][name] = asyncio.run(_measure(app, path, requests, repeats))
    print(json.dumps(result))


def base_tree(revision: str, folder: Path) -> Path:
    """The branch point's `specloom` package (entry + runtime) under `folder`."""
    archive = subprocess.run(
        ["git", "archive", "--format=tar", revision, "entry", "runtime"],
        cwd=REPO,
        check=True,
        capture_output=True,
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(folder / "tree", filter="data")
    package = folder / "specloom"
    (folder / "tree" / "entry").rename(package)
    (folder / "tree" / "runtime").rename(package / "runtime")
    return folder


def run_child(variant: str, args: argparse.Namespace, base: Path) -> dict[str, Any]:
    env = {k: v for k, v in os.environ.items() if k != "SPECLOOM_VALIDATE_RESPONSES"}
    if variant == "base":
        env["PYTHONPATH"] = str(base)
    command = [sys.executable, __file__, "--child", variant]
    command += ["--requests", str(args.requests), "--repeats", str(args.repeats)]
    done = subprocess.run(command, env=env, check=True, capture_output=True, text=True)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    expected = str(base) if variant == "base" else str(REPO)
    assert result["runtime"].startswith(expected), (variant, result["runtime"])
    return result


def summarise(samples: dict[str, dict[str, list[float]]]) -> dict[str, Any]:
    table: dict[str, Any] = {}
    for variant, endpoints in samples.items():
        table[variant] = {}
        for name, values in endpoints.items():
            median = statistics.median(values)
            table[variant][name] = {
                "median_us": round(median * 1e6, 2),
                "best_us": round(min(values) * 1e6, 2),
                "requests_per_cpu_second": round(1 / median),
                "samples": len(values),
            }
    return table


def markdown(table: dict[str, Any], args: argparse.Namespace) -> str:
    lines = [
        "# Response validation: CPU per request, in-process",
        "",
        f"`{' '.join(['python', 'benchmarks/response_validation.py', *sys.argv[1:]])}`: "
        f"{args.rounds} rounds x {args.repeats} repeats x {args.requests} requests per endpoint "
        "and variant, through the app's ASGI callable (no server); CPU seconds "
        "(`time.process_time`) of each repeat. `base`: the runtime of the branch point "
        f"({args.base}), before the feature; `off`: the default; `log`, `strict`: validation on.",
        "",
        "| endpoint | variant | median us/request | best us/request | requests/CPU s "
        "| median vs base |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for name in ENDPOINTS:
        base = table["base"][name]["median_us"]
        for variant in VARIANTS:
            row = table[variant][name]
            ratio = row["median_us"] / base
            lines.append(
                f"| {name} | {variant} | {row['median_us']:.2f} | {row['best_us']:.2f} "
                f"| {row['requests_per_cpu_second']:,} | {ratio:.3f}x |"
            )
    lines += [
        "",
        "`small`: `GET /pets/7`, one object (27 bytes); `page`: `GET /pets`, 20 objects "
        "(~800 bytes). Both answers match their documentation, so `log` and `strict` check "
        "and send them (a mismatch costs its log record besides).",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", choices=VARIANTS)
    parser.add_argument("--requests", type=int, default=20000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--base", default=BASE_REVISION)
    parser.add_argument("--out", default=str(REPO / "benchmarks" / "results"))
    args = parser.parse_args()
    if args.child:
        child(args.child, args.requests, args.repeats)
        return
    samples: dict[str, dict[str, list[float]]] = {v: {e: [] for e in ENDPOINTS} for v in VARIANTS}
    with tempfile.TemporaryDirectory(prefix="specloom-base-") as folder:
        base = base_tree(args.base, Path(folder))
        for round_number in range(args.rounds):
            order = VARIANTS[round_number % 4 :] + VARIANTS[: round_number % 4]
            for variant in order:
                result = run_child(variant, args, base)
                for name, values in result["endpoints"].items():
                    samples[variant][name].extend(values)
                print(f"round {round_number + 1}: {variant} done", file=sys.stderr)
    table = summarise(samples)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    settings = {k: getattr(args, k) for k in ("requests", "repeats", "rounds", "base")}
    payload = {"settings": settings, "results": table, "samples_s": samples}
    (out / "response_validation.json").write_text(json.dumps(payload, indent=2) + "\n")
    (out / "response_validation.md").write_text(markdown(table, args))
    print(markdown(table, args))


if __name__ == "__main__":
    main()
