"""Aggregate the generation runs into medians and verdicts; write generate.json and generate.md."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from bench.generate import CONVERTED, DMC, ORIGINAL, SPECLOOM, Run, median


def summarise(runs: list[Run], specs: list[str]) -> dict[str, Any]:
    timed = [r for r in runs if r.rep > 0]
    rows = []
    for spec in specs:
        for tool in (SPECLOOM, DMC):
            for label in (ORIGINAL, CONVERTED):
                mine = [r for r in timed if (r.spec, r.tool, r.input) == (spec, tool, label)]
                if mine:
                    rows.append(_row(spec, tool, label, mine))
    return {"rows": rows, "verdicts": [_verdict(spec, rows) for spec in specs]}


def _row(spec: str, tool: str, label: str, runs: list[Run]) -> dict[str, Any]:
    ok = [r for r in runs if r.result.returncode == 0]
    row: dict[str, Any] = {"spec": spec, "tool": tool, "input": label, "ok": len(ok)}
    row["runs"] = len(runs)
    if not ok:
        return {**row, "error": runs[-1].error}
    return {
        **row,
        "wall_s": median([r.result.wall_s for r in ok]),
        "cpu_s": median([r.result.cpu_s for r in ok]),
        "max_rss_mb": median([r.result.max_rss_mb for r in ok]),
        "py_files": ok[0].py_files,
        "py_lines": ok[0].py_lines,
    }


def _verdict(spec: str, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """specloom's whole server vs datamodel-codegen's models: met if not slower (median wall)."""
    mine = {(r["tool"], r["input"]): r for r in rows if r["spec"] == spec and r["ok"]}
    dmc = mine.get((DMC, ORIGINAL)) or mine.get((DMC, CONVERTED))
    verdict: dict[str, Any] = {"spec": spec, "met": None}
    if dmc is None:
        return {**verdict, "note": "datamodel-codegen produced nothing on this file"}
    verdict["dmc_input"] = dmc["input"]
    verdict["dmc_wall_s"] = dmc["wall_s"]
    verdict["dmc_cpu_s"] = dmc["cpu_s"]
    for label in (ORIGINAL, CONVERTED):
        own = mine.get((SPECLOOM, label))
        if own:
            key = "original" if label == ORIGINAL else "converted"
            verdict[f"specloom_{key}_wall_s"] = own["wall_s"]
            verdict[f"ratio_{key}"] = round(own["wall_s"] / dmc["wall_s"], 2)
    same = mine.get((SPECLOOM, dmc["input"]))
    if same is None:
        return {**verdict, "note": "specloom failed on this file"}
    verdict["cpu_ratio"] = round(same["cpu_s"] / dmc["cpu_s"], 2)
    return {**verdict, "met": same["wall_s"] <= dmc["wall_s"]}


def write(out: Path, meta: dict[str, Any], runs: list[Run], summary: dict[str, Any]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    data = {**meta, "summary": summary, "runs": [asdict(r) for r in runs]}
    (out / "generate.json").write_text(json.dumps(data, indent=2) + "\n")
    (out / "generate.md").write_text(markdown(meta, summary))


def _num(row: dict[str, Any], key: str, spec: str = ".2f") -> str:
    return format(row[key], spec) if key in row else "-"


def markdown(meta: dict[str, Any], summary: dict[str, Any]) -> str:
    s = meta["settings"]
    lines = [
        "# Generation benchmark: `specloom generate` vs `datamodel-codegen`",
        "",
        f"{meta['date']} · `{meta['command']}`",
        "",
        "specloom writes the whole server package (models, operations, handler stubs, headers, "
        "routes, app); datamodel-codegen writes msgspec models only. Each run writes into a fresh "
        "temporary folder and is measured in its own wrapper process "
        "(`resource.getrusage(RUSAGE_CHILDREN)`): wall time, CPU time (user + system) and peak "
        f"resident set. {s['reps']} timed run(s) per row after one untimed first run; medians.",
        "",
        "| file | version | KiB | operations | schemas | path |",
        "|---|---|---:|---:|---:|---|",
        *(
            f"| {key} | {i['version']} | {i['kib']:,} | {i['operations']:,} | {i['schemas']:,} | "
            f"`{i['path']}` |"
            for key, i in meta["specs"].items()
        ),
        "",
        "| file | tool | input | wall s | CPU s | peak RSS MiB | output .py files / lines | ok |",
        "|---|---|---|---:|---:|---:|---:|---:|",
    ]
    for r in summary["rows"]:
        output = f"{r['py_files']} / {r['py_lines']:,}" if "py_files" in r else "failed"
        lines.append(
            f"| {r['spec']} | {r['tool']} | {r['input']} | {_num(r, 'wall_s')} | "
            f"{_num(r, 'cpu_s')} | {_num(r, 'max_rss_mb', '.0f')} | {output} | "
            f"{r['ok']}/{r['runs']} |"
        )
    lines += [
        "",
        "## Target: the whole server in no more time than datamodel-codegen takes for models",
        "",
        "Median wall time, specloom on the same input as datamodel-codegen; ratio = specloom / "
        "datamodel-codegen (the original file's ratio too where datamodel-codegen needed a "
        "conversion). The CPU-time ratio is less sensitive to neighbours on a shared machine.",
        "",
        "| file | specloom s | datamodel-codegen s | wall ratio | CPU ratio | target met |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for v in summary["verdicts"]:
        lines.append(_verdict_line(v))
    lines += ["", "## Inputs and failures", ""]
    lines += [f"- **{spec}**: {note}" for spec, notes in meta["notes"].items() for note in notes]
    lines += ["", "## Import time of the generated package", "", *_import_lines(meta["imports"])]
    lines += ["", "## Commands", ""]
    lines += [f"- {tool}: `{cmd}`" for tool, cmd in meta["tool_commands"].items()]
    lines += ["", "## Machine", "", "```", json.dumps(meta["machine"], indent=2), "```", ""]
    return "\n".join(lines)


def _verdict_line(v: dict[str, Any]) -> str:
    if "dmc_wall_s" not in v:
        return f"| {v['spec']} | - | - | - | - | no target: {v['note']} |"
    key = "converted" if v["dmc_input"] == CONVERTED else "original"
    own = v.get(f"specloom_{key}_wall_s")
    ratio = f"{v[f'ratio_{key}']:.2f}" if own is not None else "-"
    extra = ""
    if key == "converted" and "ratio_original" in v:
        extra = (
            f" (original file: {v['specloom_original_wall_s']:.2f} s, {v['ratio_original']:.2f})"
        )
    verdict = {True: "**yes**", False: "**no**", None: v.get("note", "-")}[v["met"]]
    own_text = "-" if own is None else f"{own:.2f}"
    cpu = f"{v['cpu_ratio']:.2f}" if "cpu_ratio" in v else "-"
    return (
        f"| {v['spec']} ({v['dmc_input']}) | {own_text}{extra} | {v['dmc_wall_s']:.2f} | {ratio} | "
        f"{cpu} | {verdict} |"
    )


def _import_lines(imports: dict[str, Any]) -> list[str]:
    if not imports:
        return ["not measured"]
    return [
        f"`import {imports['module']}` in a fresh interpreter (`time.perf_counter()` around "
        f"`importlib.import_module`), median of {imports['reps']}; the generated package holds "
        f"{imports['py_files']} Python files, {imports['py_lines']:,} lines.",
        "",
        "| what | median s | runs s |",
        "|---|---:|---|",
        *(
            f"| {label} | {median(times):.3f} | {', '.join(f'{t:.3f}' for t in times)} |"
            for label, times in imports["times"].items()
        ),
    ]
