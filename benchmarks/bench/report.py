"""Aggregate samples into medians and ratios; write latest.json and latest.md."""

from __future__ import annotations

import json
import math
import statistics
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

MIN_SERVER_CPU = 90.0  # below this the load generator, not the server, was the limit
BIG_TOLERANCE = 0.05


@dataclass
class Sample:
    framework: str
    endpoint: str
    round: int
    rps: float
    p99_ms: float
    cpu: float  # server CPU %, 100 = one full core
    idle: float  # idle % of the server's core: high with low cpu = client-bound, low = neighbours
    requests: int
    errors: int
    timeouts: int

    @property
    def counts(self) -> bool:
        return not self.why_not

    @property
    def why_not(self) -> str:
        """Why the measurement does not count ("" when it does)."""
        if self.errors:
            return f"{self.errors} errors"
        if self.cpu < MIN_SERVER_CPU:
            return f"server CPU {self.cpu:.0f}% < {MIN_SERVER_CPU:.0f}%, core idle {self.idle:.0f}%"
        return ""


def summarise(samples: list[Sample], frameworks: list[str], endpoints: list[str]) -> dict[str, Any]:
    cells: dict[str, dict[str, dict[str, Any]]] = {}
    for fw in frameworks:
        for ep in endpoints:
            mine = [s for s in samples if s.framework == fw and s.endpoint == ep]
            if mine:
                cells.setdefault(fw, {})[ep] = _cell(mine)
    for row in cells.values():
        for ep, cell in row.items():
            for ref, key in (("raw", "vs_raw"), ("litestar", "vs_litestar")):
                base = cells.get(ref, {}).get(ep)
                cell[key] = round(cell["rps"] / base["rps"], 3) if base else None
    geomean = {
        fw: {key: _geomean([c[key] for c in row.values()]) for key in ("vs_raw", "vs_litestar")}
        for fw, row in cells.items()
    }
    big, models = {}, {}
    for fw, row in cells.items():
        if "plaintext" in row and "big_plaintext" in row:
            big[fw] = _against_small(row, "big_plaintext", "big_route")
        if "plaintext" in row and "models_plaintext" in row:
            models[fw] = _against_small(row, "models_plaintext", "models_route")
    return {
        "endpoints": endpoints,
        "cells": cells,
        "geomean": geomean,
        "big_vs_small": big,
        "models_vs_small": models,
    }


def _against_small(row: dict[str, Any], plaintext: str, route: str) -> dict[str, Any]:
    """`/plaintext` of a large app (1,000 routes, or 1,000 models) against the small app's."""
    ratio = row[plaintext]["rps"] / row["plaintext"]["rps"]
    return {
        "small_plaintext_rps": row["plaintext"]["rps"],
        "big_plaintext_rps": row[plaintext]["rps"],
        "big_route_rps": row.get(route, {}).get("rps"),
        "big_over_small": round(ratio, 3),
        "within_5pct": abs(ratio - 1) <= BIG_TOLERANCE,
        "both_counted": bool(row["plaintext"]["counted"] and row[plaintext]["counted"]),
    }


def _cell(samples: list[Sample]) -> dict[str, Any]:
    counted = [s for s in samples if s.counts]
    used = counted or samples
    return {
        "rps": round(statistics.median(s.rps for s in used), 1),
        "p99_ms": round(statistics.median(s.p99_ms for s in used), 3),
        "cpu": round(statistics.median(s.cpu for s in used), 1),
        "samples": len(samples),
        "counted": len(counted),
    }


def _geomean(ratios: list[float | None]) -> float | None:
    vals = [r for r in ratios if r]
    return round(math.exp(sum(map(math.log, vals)) / len(vals)), 3) if vals else None


def write(
    out: Path,
    meta: dict[str, Any],
    samples: list[Sample],
    failures: list[dict[str, Any]],
    summary: dict[str, Any],
    sse_lines: list[str],
    sse_samples: list[dict[str, Any]],
) -> None:
    """``summary["sse"]``, ``sse_lines`` and ``sse_samples``: the separate SSE section."""
    out.mkdir(parents=True, exist_ok=True)
    data = {
        **meta,
        "summary": summary,
        "failures": failures,
        "samples": [{**asdict(s), "why_not_counted": s.why_not} for s in samples],
        "sse_samples": sse_samples,
    }
    (out / "latest.json").write_text(json.dumps(data, indent=2) + "\n")
    (out / "latest.md").write_text(markdown(meta, samples, failures, summary, sse_lines))


def fmt(value: float | None, spec: str = ".2f") -> str:
    return "-" if value is None else format(value, spec)


def markdown(
    meta: dict[str, Any],
    samples: list[Sample],
    failures: list[dict[str, Any]],
    summary: dict[str, Any],
    sse_lines: list[str],
) -> str:
    s = meta["settings"]
    lines = [
        "# specloom benchmark results",
        "",
        f"{meta['date']} · `{meta['command']}`",
        "",
        f"{s['rounds']} round(s) x {s['duration']} s (+{s['warmup']} s warm-up, "
        f"{s['retries']} retry if not counted), wrk -t1 "
        f"-c{s['connections']}; server on core {s['server_core']}, wrk on core "
        f"{s['client_core']}. Median of counted rounds; † = no round counted "
        f"(server CPU < {MIN_SERVER_CPU:.0f}% or errors: the server was not the limit).",
        "",
        "| endpoint | framework | req/s | p99 ms | server CPU % | vs raw | vs Litestar | counted |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    cells = summary["cells"]
    for ep in summary["endpoints"]:
        for fw in s["frameworks"]:
            c = cells.get(fw, {}).get(ep)
            if c is None:
                lines.append(f"| {ep} | {fw} | broken / not run | | | | | |")
                continue
            mark = "" if c["counted"] else " †"
            lines.append(
                f"| {ep} | {fw} | {c['rps']:,.0f}{mark} | {c['p99_ms']:.2f} | {c['cpu']:.0f} | "
                f"{fmt(c['vs_raw'])} | {fmt(c['vs_litestar'])} | {c['counted']}/{c['samples']} |"
            )
    lines += ["", "## Geometric mean of ratios", "", "| framework | vs raw | vs Litestar |"]
    lines.append("|---|---:|---:|")
    for fw, g in summary["geomean"].items():
        lines.append(f"| {fw} | {fmt(g['vs_raw'])} | {fmt(g['vs_litestar'])} |")
    for title, key, route in (
        ("1,000-route app vs small app (`/plaintext`)", "big_vs_small", "/r999/items/7"),
        ("1,000-model app vs small app (`/plaintext`)", "models_vs_small", "/m999/7"),
    ):
        if not summary.get(key):
            continue
        lines += ["", f"## {title}", ""]
        lines += [
            f"| framework | small req/s | big req/s | big/small | within 5% | {route} req/s |"
        ]
        lines.append("|---|---:|---:|---:|---|---:|")
        for fw, b in summary[key].items():
            verdict = ("yes" if b["within_5pct"] else "NO") + ("" if b["both_counted"] else " †")
            lines.append(
                f"| {fw} | {b['small_plaintext_rps']:,.0f} | {b['big_plaintext_rps']:,.0f} | "
                f"{b['big_over_small']:.3f} | {verdict} | "
                f"{fmt(b['big_route_rps'], ',.0f')} |"
            )
    if sse_lines:
        lines += ["", *sse_lines]
    flagged = [x for x in samples if not x.counts]
    lines += ["", "## Measurements that do not count", ""]
    lines += [
        f"- {x.framework} {x.endpoint} round {x.round}: {x.why_not} ({x.rps:,.0f} req/s)"
        for x in flagged
    ] or ["none"]
    lines += ["", "## Failed correctness checks (not benchmarked)", ""]
    lines += [
        f"- {f['framework']} {f['endpoint']} round {f['round']}: {f['detail']}" for f in failures
    ] or ["none"]
    lines += ["", "## Machine", "", "```", json.dumps(meta["machine"], indent=2), "```", ""]
    return "\n".join(lines)
