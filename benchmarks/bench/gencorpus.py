"""The generation benchmark over the corpus: which documents, each document's outcome, the
summary against the target (specloom's whole server in at most 0.5x datamodel-codegen's CPU
time for the models alone) and the report, results/generate_corpus.{md,json}.

Everything here but ``write`` is pure: the runs come in as ``bench.generate.Run`` values.
"""

from __future__ import annotations

import json
import math
import re
import statistics
from dataclasses import asdict
from pathlib import Path
from typing import Any

from bench.generate import CONVERTED, DMC, ORIGINAL, SPECLOOM, Run

TARGET = 0.5  # specloom CPU seconds / datamodel-codegen CPU seconds, at most
WORST = 15
OK, FAILED, TIMEOUT = "ok", "failed", "timeout"


def select(
    found: list[tuple[str, Path]],
    *,
    every: int = 1,
    offset: int = 0,
    limit: int | None = None,
    only: list[str] | None = None,
) -> list[tuple[int, str, Path]]:
    """(corpus index, id, path) of the documents to run: those whose id contains one of ``only``
    (all when empty), then every ``every``-th from ``offset``, then the first ``limit``. The
    index is the document's place in the whole corpus listing, so keys stay stable."""
    if every < 1 or offset < 0:
        raise ValueError("every must be >= 1 and offset >= 0")
    numbered = [(i, doc_id, path) for i, (doc_id, path) in enumerate(found)]
    if only:
        numbered = [item for item in numbered if any(part in item[1] for part in only)]
    chosen = numbered[offset::every]
    return chosen if limit is None else chosen[:limit]


def package_key(index: int, doc_id: str) -> str:
    """A Python identifier naming the generated package: the corpus index and a short slug."""
    stem = doc_id.removeprefix("apisguru/APIs/").removeprefix("public/")
    slug = re.sub(r"[^0-9A-Za-z]+", "_", stem).strip("_").lower()[:40]
    return f"c{index:03d}_{slug}".rstrip("_")


def status(runs: list[Run]) -> str:
    """ok when every run exited 0; timeout when any hit the time limit; else failed."""
    if any(r.result.timed_out for r in runs):
        return TIMEOUT
    return OK if runs and all(r.result.returncode == 0 for r in runs) else FAILED


def tool_outcome(runs: list[Run]) -> dict[str, Any]:
    """Status and medians of one tool's runs on one input (first runs included: rep >= 1)."""
    out: dict[str, Any] = {"status": status(runs), "runs": len(runs)}
    ok = [r for r in runs if r.result.returncode == 0]
    if out["status"] != OK:
        failed = [r for r in runs if r.result.returncode != 0]
        return {**out, "error": failed[-1].error if failed else ""}
    return {
        **out,
        "cpu_s": round(statistics.median(r.result.cpu_s for r in ok), 3),
        "wall_s": round(statistics.median(r.result.wall_s for r in ok), 3),
        "max_rss_mb": round(statistics.median(r.result.max_rss_mb for r in ok), 1),
        "py_lines": ok[0].py_lines,
    }


def outcome(runs: list[Run]) -> dict[str, Any]:
    """One document's outcome from all its runs: each tool on each input it ran, the input
    datamodel-codegen produced models from (the original file, else the JSON conversion), and
    the CPU and wall ratios of specloom on that same input."""
    tools: dict[str, dict[str, Any]] = {}
    for tool in (SPECLOOM, DMC):
        for label in (ORIGINAL, CONVERTED):
            mine = [r for r in runs if (r.tool, r.input) == (tool, label) and r.rep > 0]
            if mine:
                tools[f"{tool}/{label}"] = tool_outcome(mine)
    doc: dict[str, Any] = {"tools": tools, "dmc_input": None}
    own = tools.get(f"{SPECLOOM}/{ORIGINAL}", {"status": FAILED, "error": "not run"})
    doc["specloom"] = own["status"]
    dmc = [tools[f"{DMC}/{label}"] for label in (ORIGINAL, CONVERTED) if f"{DMC}/{label}" in tools]
    doc["dmc"] = next(
        (d["status"] for d in dmc if d["status"] == OK), dmc[-1]["status"] if dmc else FAILED
    )
    for label in (ORIGINAL, CONVERTED):
        theirs = tools.get(f"{DMC}/{label}")
        if theirs and theirs["status"] == OK:
            doc["dmc_input"] = label
            ours = tools.get(f"{SPECLOOM}/{label}")
            if ours and ours["status"] == OK:
                doc["ratio_cpu"] = round(ours["cpu_s"] / theirs["cpu_s"], 3)
                doc["ratio_wall"] = round(ours["wall_s"] / theirs["wall_s"], 3)
            break
    return doc


def dmc_failure_reason(doc: dict[str, Any]) -> str | None:
    """Why datamodel-codegen gave no models for ``doc`` (None when it did), in a few words."""
    if doc["dmc"] == OK:
        return None
    if doc["dmc"] == TIMEOUT:
        return "timed out"
    if str(doc.get("version", "")).startswith("Swagger"):
        return "Swagger 2.0 (its openapi input reads OpenAPI 3 only)"
    errors = [t.get("error", "") for key, t in doc["tools"].items() if key.startswith(DMC)]
    error = errors[-1] if errors else ""
    if "Models not found" in error:
        return "no models found (nothing under components/schemas)"
    last = error.split(" | ")[-1].strip()
    return re.sub(r"\s+", " ", last)[:100] or "failed"


def percentile(values: list[float], fraction: float) -> float:
    """The nearest-rank percentile of ``values`` (not empty): the smallest value with at least
    ``fraction`` of the values at or below it."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def summarise(docs: dict[str, dict[str, Any]], target: float = TARGET) -> dict[str, Any]:
    """Counts, the ratio distribution and the worst documents over ``docs`` (id -> outcome
    with its description: version, kib, operations, schemas)."""
    both = {i: d for i, d in docs.items() if "ratio_cpu" in d}
    ratios = [d["ratio_cpu"] for d in both.values()]
    count = {
        tool: {s: sum(1 for d in docs.values() if d[tool] == s) for s in (OK, FAILED, TIMEOUT)}
        for tool in (SPECLOOM, "dmc")
    }
    reasons: dict[str, int] = {}
    for d in docs.values():
        reason = dmc_failure_reason(d)
        if reason is not None:
            reasons[reason] = reasons.get(reason, 0) + 1
    out: dict[str, Any] = {
        "documents": len(docs),
        "target": target,
        "status": count,
        "dmc_converted": sum(1 for d in both.values() if d["dmc_input"] == CONVERTED),
        "both_ran": len(both),
        "met_cpu": sum(1 for r in ratios if r <= target),
        "met_wall": sum(1 for d in both.values() if d["ratio_wall"] <= target),
        "dmc_failures": dict(sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0]))),
        "specloom_failures": {
            i: _tool_error(d, SPECLOOM) for i, d in docs.items() if d[SPECLOOM] != OK
        },
    }
    if ratios:
        out["ratio_cpu"] = {
            "min": min(ratios),
            "median": round(statistics.median(ratios), 3),
            "p90": percentile(ratios, 0.9),
            "max": max(ratios),
        }
        out["ratio_wall_median"] = round(
            statistics.median(d["ratio_wall"] for d in both.values()), 3
        )
    worst = sorted(both, key=lambda i: (-both[i]["ratio_cpu"], i))[:WORST]
    out["worst"] = worst
    return out


def _tool_error(doc: dict[str, Any], tool: str) -> str:
    mine = doc["tools"].get(f"{tool}/{ORIGINAL}", {})
    return str(mine.get("error", mine.get("status", "not run")))


def full_run_estimate(wall_s: float, selected: int, total: int) -> float:
    """Seconds a run over all ``total`` documents would take, scaled from this one."""
    return wall_s * total / selected if selected else 0.0


def write(out: Path, name: str, report: dict[str, Any], runs: list[Run]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    data = {**report, "runs": [asdict(r) for r in runs]}
    (out / f"{name}.json").write_text(json.dumps(data, indent=1) + "\n")
    (out / f"{name}.md").write_text(markdown(report))


def _s(doc: dict[str, Any], tool: str, key: str = "cpu_s") -> str:
    label = doc["dmc_input"] or ORIGINAL
    value = doc["tools"].get(f"{tool}/{label}", {}).get(key)
    return "-" if value is None else f"{value:.2f}"


def markdown(report: dict[str, Any]) -> str:
    meta, summary, docs = report["meta"], report["summary"], report["documents"]
    n, both = summary["documents"], summary["both_ran"]
    st = summary["status"]
    lines = [
        "# Generation over the corpus: `specloom generate` vs `datamodel-codegen`",
        "",
        f"{meta['date']} · `{meta['command']}` · commit {meta['commit']}",
        "",
        f"Target (issue #13): the whole server in at most {summary['target']}x the CPU time "
        "datamodel-codegen takes for the msgspec models alone, on every corpus document where "
        "both run.",
        "",
        f"{n} of {meta['corpus_documents']} corpus documents ({meta['selection']}), "
        f"{meta['reps']} run(s) per tool and input, medians; {meta['jobs']} job(s); time limit "
        f"{meta['timeout']:.0f} s per run. Each run writes into a fresh temporary folder and is "
        "measured in its own wrapper process (`bench/rusage.py`: CPU = user + system of the tool "
        "and its children from `getrusage(RUSAGE_CHILDREN)`, wall beside it). The ratio is "
        "specloom / datamodel-codegen on the same input: the original file, or where "
        "datamodel-codegen cannot read it a JSON conversion made with specloom's lenient loader "
        "(`load_spec(path).document`, $refs bundled). Both tools run with their bytecode "
        "cached (PYTHONDONTWRITEBYTECODE removed from the environment, one untimed warm-up run "
        "of each before the first document). This run took "
        f"{meta['wall_seconds'] / 60:.0f} min wall; a full run is `--every 1` "
        f"(about {meta['full_run_estimate_s'] / 3600:.1f} h at this rate).",
        "",
        "## Headline",
        "",
        f"- both ran: **{both}** of {n} documents ({summary['dmc_converted']} of them with "
        "datamodel-codegen on the JSON conversion)",
        f"- ratio <= {summary['target']} (CPU): **{summary['met_cpu']} of {both}**; on wall time: "
        f"{summary['met_wall']} of {both}",
    ]
    if "ratio_cpu" in summary:
        r = summary["ratio_cpu"]
        lines.append(
            f"- CPU ratio: median **{r['median']:.2f}**, p90 {r['p90']:.2f}, max {r['max']:.2f} "
            f"(min {r['min']:.2f}); wall ratio median {summary['ratio_wall_median']:.2f}"
        )
    lines += [
        f"- specloom: {st[SPECLOOM][OK]} ok, {st[SPECLOOM][FAILED]} failed, "
        f"{st[SPECLOOM][TIMEOUT]} timed out; datamodel-codegen: {st['dmc'][OK]} ok, "
        f"{st['dmc'][FAILED]} failed, {st['dmc'][TIMEOUT]} timed out",
        "- where datamodel-codegen gave no models: "
        + (
            "; ".join(f"{reason}: {k}" for reason, k in summary["dmc_failures"].items())
            or "nowhere"
        ),
        "",
        f"## The {min(WORST, both)} worst documents by CPU ratio",
        "",
        "| document | version | KiB | operations | schemas | input | specloom CPU s | "
        "datamodel-codegen CPU s | CPU ratio | wall ratio |",
        "|---|---|---:|---:|---:|---|---:|---:|---:|---:|",
    ]
    for doc_id in summary["worst"]:
        d = docs[doc_id]
        lines.append(
            f"| `{doc_id}` | {d.get('version', '?')} | {d.get('kib', 0):,} | "
            f"{d.get('operations', '?')} | {d.get('schemas', '?')} | {d['dmc_input']} | "
            f"{_s(d, SPECLOOM)} | {_s(d, DMC)} | {d['ratio_cpu']:.2f} | {d['ratio_wall']:.2f} |"
        )
    if summary["specloom_failures"]:
        lines += ["", "## Where specloom failed", ""]
        lines += [
            f"- `{doc_id}`: {error[:200]}" for doc_id, error in summary["specloom_failures"].items()
        ]
    lines += [
        "",
        "## Every document",
        "",
        "| document | KiB | operations | specloom | datamodel-codegen | specloom CPU s | "
        "datamodel-codegen CPU s | CPU ratio |",
        "|---|---:|---:|---|---|---:|---:|---:|",
    ]
    for doc_id, d in docs.items():
        ratio = f"{d['ratio_cpu']:.2f}" if "ratio_cpu" in d else "-"
        dmc = d["dmc"] + (" (JSON conversion)" if d["dmc_input"] == CONVERTED else "")
        lines.append(
            f"| `{doc_id}` | {d.get('kib', 0):,} | {d.get('operations', '?')} | {d[SPECLOOM]} | "
            f"{dmc} | {_s(d, SPECLOOM)} | {_s(d, DMC)} | {ratio} |"
        )
    lines += ["", "## Commands", ""]
    lines += [f"- {tool}: `{cmd}`" for tool, cmd in meta["tool_commands"].items()]
    lines += ["", "## Machine", "", "```", json.dumps(meta["machine"], indent=2), "```", ""]
    return "\n".join(lines)
