"""Server-sent events throughput: run the stream client pinned to a core, aggregate events/s."""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.report import MIN_SERVER_CPU, fmt
from bench.server import Server, core_idle_seconds

CLIENT = Path(__file__).resolve().parent / "sse_client.py"


@dataclass
class SseSample:
    framework: str
    round: int
    rep: int
    events: int
    seconds: float  # request sent to N-th event, as the client measured it
    events_per_s: float
    first_event_ms: float
    cpu: float  # server CPU % over the stream, 100 = one full core
    idle: float  # idle % of the server's core over the stream
    cpu_us_per_event: float  # server CPU time per event: barely moved by neighbours taking the core

    @property
    def counts(self) -> bool:
        return not self.why_not

    @property
    def why_not(self) -> str:
        if self.cpu < MIN_SERVER_CPU:
            return f"server CPU {self.cpu:.0f}% < {MIN_SERVER_CPU:.0f}%, core idle {self.idle:.0f}%"
        return ""


def run_client(port: int, events: int, core: int) -> dict[str, Any]:
    """One stream of ``events`` events, read by sse_client.py pinned to ``core``."""
    cmd = ["taskset", "-c", str(core), sys.executable, str(CLIENT)]
    cmd += ["--port", str(port), "--events", str(events)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    if proc.returncode != 0:
        raise RuntimeError(f"SSE client failed ({proc.returncode}): {proc.stderr[-1500:]}")
    result: dict[str, Any] = json.loads(proc.stdout)
    return result


def measure_sse(
    server: Server, fw: str, rnd: int, rep: int, events: int, server_core: int, client_core: int
) -> SseSample:
    cpu0, idle0 = server.cpu_seconds(), core_idle_seconds(server_core)
    res = run_client(server.port, events, client_core)
    seconds, used = res["seconds"], server.cpu_seconds() - cpu0
    cpu = round(100 * used / seconds, 1)
    idle = round(100 * (core_idle_seconds(server_core) - idle0) / seconds, 1)
    per_event = round(1e6 * used / res["events"], 2)
    return SseSample(
        fw,
        rnd,
        rep,
        res["events"],
        seconds,
        res["events_per_s"],
        res["first_event_ms"],
        cpu,
        idle,
        per_event,
    )


def summarise_sse(samples: list[SseSample], frameworks: list[str]) -> dict[str, Any]:
    cells: dict[str, dict[str, Any]] = {}
    for fw in frameworks:
        mine = [s for s in samples if s.framework == fw]
        if not mine:
            continue
        counted = [s for s in mine if s.counts]
        used = counted or mine
        cells[fw] = {
            "events_per_s": round(statistics.median(s.events_per_s for s in used), 1),
            "cpu": round(statistics.median(s.cpu for s in used), 1),
            "cpu_us_per_event": round(statistics.median(s.cpu_us_per_event for s in used), 2),
            "first_event_ms": round(statistics.median(s.first_event_ms for s in used), 2),
            "samples": len(mine),
            "counted": len(counted),
        }
    for cell in cells.values():
        for ref, key in (("raw", "vs_raw"), ("litestar", "vs_litestar")):
            base = cells.get(ref)
            cell[key] = round(cell["events_per_s"] / base["events_per_s"], 3) if base else None
    return cells


def markdown_sse(cells: dict[str, Any], samples: list[SseSample], events: int) -> list[str]:
    lines = [
        f"## Server-sent events (`GET /sse?n={events:,}`, events/s)",
        "",
        "One stream at a time, read by `bench/sse_client.py` (raw asyncio streams) pinned to the "
        "client core; median over every repetition of every round; † = none counted. Server CPU "
        "µs/event is the server's CPU time over the stream divided by N.",
        "",
        "| framework | events/s | server CPU % | server CPU µs/event | first event ms | vs raw "
        "| vs Litestar | counted |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for fw, c in cells.items():
        mark = "" if c["counted"] else " †"
        lines.append(
            f"| {fw} | {c['events_per_s']:,.0f}{mark} | {c['cpu']:.0f} | "
            f"{c['cpu_us_per_event']:.2f} | {c['first_event_ms']:.2f} | {fmt(c['vs_raw'])} | "
            f"{fmt(c['vs_litestar'])} | "
            f"{c['counted']}/{c['samples']} |"
        )
    flagged = [
        f"- {s.framework} sse round {s.round} rep {s.rep}: {s.why_not} "
        f"({s.events_per_s:,.0f} events/s)"
        for s in samples
        if not s.counts
    ]
    if flagged:
        lines += ["", "SSE measurements that do not count:", "", *flagged]
    return [*lines, ""]
