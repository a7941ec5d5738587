"""Serve raw ASGI, Starlette, FastAPI, Litestar and specloom side by side and compare them.

Run ``benchmarks/setup.sh`` once, then ``python3 benchmarks/run.py``; see benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import shlex
import subprocess
import sys
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench.endpoints import ENDPOINTS, Endpoint, check  # noqa: E402
from bench.report import Sample, summarise, write  # noqa: E402
from bench.server import Server, core_idle_seconds  # noqa: E402
from bench.sse import SseSample, markdown_sse, measure_sse, run_client, summarise_sse  # noqa: E402
from bench.wrk import run_wrk  # noqa: E402

FRAMEWORKS = ["raw", "starlette", "fastapi", "litestar", "specloom"]
PACKAGES = [
    "uvicorn",
    "httptools",
    "uvloop",
    "starlette",
    "fastapi",
    "litestar",
    "msgspec",
    "pydantic",
    "specloom",
]
SERVER_CORE, CLIENT_CORE = 0, 1


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rounds", type=int, default=3, help="rounds; the median is reported")
    p.add_argument("--duration", type=int, default=8, help="seconds per measurement")
    p.add_argument("--warmup", type=int, default=1, help="seconds of warm-up before each")
    p.add_argument("--retries", type=int, default=0, help="re-measure when server CPU < 90%%")
    p.add_argument("--connections", type=int, default=64, help="wrk connections (-t1)")
    p.add_argument("--sse-events", type=int, default=200_000, help="events per SSE stream")
    p.add_argument("--sse-reps", type=int, default=3, help="SSE streams per framework and round")
    p.add_argument("--frameworks", default=",".join(FRAMEWORKS), help="comma-separated")
    p.add_argument("--endpoints", default=",".join(e.key for e in ENDPOINTS), help="comma-sep.")
    p.add_argument("--out", type=Path, default=HERE / "results", help="results folder")
    p.add_argument("--venv", type=Path, default=HERE / ".work" / "venv", help="peers' venv")
    args = p.parse_args()
    args.frameworks = _choose(args.frameworks, FRAMEWORKS, p)
    args.endpoints = _choose(args.endpoints, [e.key for e in ENDPOINTS], p)
    return args


def _choose(text: str, known: list[str], p: argparse.ArgumentParser) -> list[str]:
    chosen = [x.strip() for x in text.split(",") if x.strip()]
    unknown = set(chosen) - set(known)
    if unknown:
        p.error(f"unknown: {', '.join(sorted(unknown))}; choose from {', '.join(known)}")
    return [x for x in known if x in chosen]


def measure(server: Server, ep: Endpoint, args: argparse.Namespace, fw: str, rnd: int) -> Sample:
    url = f"http://127.0.0.1:{server.port}{ep.load.path}"
    script = HERE / ep.script if ep.script else None
    if args.warmup:
        run_wrk(url, args.warmup, args.connections, CLIENT_CORE, script)
    cpu0, idle0, t0 = server.cpu_seconds(), core_idle_seconds(SERVER_CORE), time.monotonic()
    res = run_wrk(url, args.duration, args.connections, CLIENT_CORE, script)
    wall = time.monotonic() - t0
    cpu = round(100 * (server.cpu_seconds() - cpu0) / wall, 1)
    idle = round(100 * (core_idle_seconds(SERVER_CORE) - idle0) / wall, 1)
    return Sample(
        fw, ep.key, rnd, res.rps, res.p99_ms, cpu, idle, res.requests, res.errors, res.timeouts
    )


def measure_wrk(
    server: Server, ep: Endpoint, args: argparse.Namespace, fw: str, rnd: int
) -> list[Sample]:
    samples = []
    for attempt in range(1 + args.retries):  # retry only when the server was not the limit
        s = measure(server, ep, args, fw, rnd)
        samples.append(s)
        flag = f"  does not count: {s.why_not}" if s.why_not else ""
        print(
            f"  {fw:9} {ep.key:16} {s.rps:>9,.0f} req/s  p99 {s.p99_ms:6.2f} ms  "
            f"cpu {s.cpu:3.0f}%{flag}{'  (retry)' if attempt else ''}",
            flush=True,
        )
        if s.counts or s.errors:
            break
    return samples


def measure_sse_reps(
    server: Server, args: argparse.Namespace, fw: str, rnd: int
) -> list[SseSample]:
    run_client(server.port, min(args.sse_events, 20_000), CLIENT_CORE)  # warm-up
    samples = []
    for rep in range(1, args.sse_reps + 1):
        s = measure_sse(server, fw, rnd, rep, args.sse_events, SERVER_CORE, CLIENT_CORE)
        samples.append(s)
        flag = f"  does not count: {s.why_not}" if s.why_not else ""
        print(
            f"  {fw:9} {'sse':16} {s.events_per_s:>9,.0f} events/s  {s.seconds:5.2f} s  "
            f"cpu {s.cpu:3.0f}%{flag}",
            flush=True,
        )
    return samples


def run_app(
    fw: str,
    attr: str,
    eps: list[Endpoint],
    args: argparse.Namespace,
    rnd: int,
    samples: list[Sample],
    sse_samples: list[SseSample],
    failures: list[dict[str, Any]],
) -> None:
    log = HERE / ".work" / "logs" / f"{fw}-{attr}-r{rnd}.log"
    server = Server(args.venv, HERE, f"apps.{fw}_app:{attr}", SERVER_CORE, log)
    try:
        error = server.wait_ready()
        for ep in eps:
            problem = error or check(server.port, ep)
            if problem:
                failures.append(
                    {"framework": fw, "endpoint": ep.key, "round": rnd, "detail": problem}
                )
                print(f"  {fw:9} {ep.key:16} BROKEN: {problem[:200]}", flush=True)
                continue
            if ep.kind == "sse":
                try:
                    sse_samples += measure_sse_reps(server, args, fw, rnd)
                except RuntimeError as exc:  # a stream broke off: report it, go on with the rest
                    failures.append(
                        {"framework": fw, "endpoint": ep.key, "round": rnd, "detail": str(exc)}
                    )
                    print(f"  {fw:9} {ep.key:16} BROKEN: {str(exc)[:200]}", flush=True)
            else:
                samples += measure_wrk(server, ep, args, fw, rnd)
    finally:
        server.stop()


def machine_info(venv: Path) -> dict[str, Any]:
    code = (
        "import sys, importlib.metadata as m\n"
        f"for p in {PACKAGES!r}:\n"
        "    try: print(p, m.version(p))\n"
        "    except m.PackageNotFoundError: print(p, 'missing')\n"
        "print('python', sys.version.split()[0])"
    )
    out = subprocess.run(
        [str(venv / "bin" / "python"), "-c", code], capture_output=True, text=True, check=True
    ).stdout
    versions = dict(line.split(" ", 1) for line in out.splitlines())
    cpu = next(
        (
            ln.split(":", 1)[1].strip()
            for ln in Path("/proc/cpuinfo").read_text().splitlines()
            if ln.startswith("model name")
        ),
        "?",
    )
    wrk = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split("\n")[0]
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "kernel": platform.release(),
        "python": versions.pop("python"),
        "packages": versions,
        "wrk": wrk.strip(),
        "loadavg_start": Path("/proc/loadavg").read_text().split()[:3],
    }


def main() -> int:
    args = parse_args()
    chosen = [e for e in ENDPOINTS if e.key in args.endpoints]
    wrk_keys = [e.key for e in chosen if e.kind == "wrk"]
    per = args.duration + args.warmup
    print(
        f"~{len(args.frameworks) * len(wrk_keys) * per * args.rounds / 60:.1f} min of wrk load "
        f"for {args.rounds} round(s)"
        + (", plus the SSE streams" if "sse" in args.endpoints else ""),
        flush=True,
    )
    meta: dict[str, Any] = {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "command": shlex.join(sys.orig_argv),
        "machine": machine_info(args.venv),
        "settings": {
            "rounds": args.rounds,
            "duration": args.duration,
            "warmup": args.warmup,
            "retries": args.retries,
            "connections": args.connections,
            "sse_events": args.sse_events,
            "sse_reps": args.sse_reps,
            "frameworks": args.frameworks,
            "endpoints": args.endpoints,
            "server_core": SERVER_CORE,
            "client_core": CLIENT_CORE,
        },
    }
    samples: list[Sample] = []
    sse_samples: list[SseSample] = []
    failures: list[dict[str, Any]] = []
    for rnd in range(1, args.rounds + 1):
        shift = (rnd - 1) % len(args.frameworks)
        order = args.frameworks[shift:] + args.frameworks[:shift]  # interleave, rotate per round
        print(f"round {rnd}/{args.rounds}: {', '.join(order)}", flush=True)
        for fw in order:
            for attr in ("app", "app_big", "app_models", "app_mw"):
                eps = [
                    e
                    for e in chosen
                    if e.app == attr and (e.frameworks is None or fw in e.frameworks)
                ]
                if eps:
                    run_app(fw, attr, eps, args, rnd, samples, sse_samples, failures)
    meta["machine"]["loadavg_end"] = Path("/proc/loadavg").read_text().split()[:3]
    summary = summarise(samples, args.frameworks, wrk_keys)
    summary["sse"] = summarise_sse(sse_samples, args.frameworks)
    sse_lines = markdown_sse(summary["sse"], sse_samples, args.sse_events) if sse_samples else []
    sse_rows = [{**asdict(s), "why_not_counted": s.why_not} for s in sse_samples]
    write(args.out, meta, samples, failures, summary, sse_lines, sse_rows)
    print(f"wrote {args.out / 'latest.json'} and {args.out / 'latest.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
