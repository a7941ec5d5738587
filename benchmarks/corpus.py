"""The corpus runner: every public document through every step, counted.

For each document of `../shared/specs/public` (14) and `../shared/specs/apisguru` (300), in a
child process with a time limit: generate; import the app; send one request per operation;
build `app.openapi()`; diff it against the input; compare the component names; and, with
`--lint`, `ruff check` and `mypy --strict` on the package. Writes `corpus.md` and `corpus.json`.

`corpus_allowed.json` lists, per document and per class of difference (`difference_class`), the
round-trip differences that are spec defects (the document contradicts itself or the OpenAPI
specification), each with the defect and where it is. A document whose every difference is
listed is "exact but for spec defects", counted apart from exact ones; an entry that allows
more than the run finds is stale, and reported.

    python3 benchmarks/corpus.py                     # the whole corpus, 2 jobs
    python3 benchmarks/corpus.py --slice ci --lint   # what CI runs (tests/test_corpus.py)

Needs the project's virtualenv (`bash scripts/setup`); run it with any Python >= 3.11.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import shlex
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
PROBE = HERE / "bench" / "corpus_probe.py"
ALLOWED = HERE / "corpus_allowed.json"
# the steps of a document, in order; each is ok, failed, or not reached
STEPS = ("generate", "regenerate", "operations", "import", "probe", "openapi", "diff", "names")
LINT_STEPS = ("ruff", "ruff_defaults", "black", "mypy")


def shared_specs() -> Path | None:
    """`../shared/specs` beside the repository, or SPECLOOM_SPECS."""
    configured = os.environ.get("SPECLOOM_SPECS")
    candidates = [Path(configured)] if configured else []
    candidates.append(REPO.parent / "shared" / "specs")
    for candidate in candidates:
        if (candidate / "public" / "MANIFEST.md").is_file():
            return candidate
    return None


def documents(specs: Path) -> list[tuple[str, Path]]:
    """(id, path) of every corpus document: the public ones, then APIs.guru's in INDEX order."""
    sources = json.loads((specs / "public" / "SOURCES.json").read_text(encoding="utf-8"))
    public = [entry["file"] for entry in sources["documents"]]  # root documents, not their parts
    found = [(f"public/{relative}", specs / "public" / relative) for relative in public]
    index = json.loads((specs / "apisguru" / "INDEX.json").read_text(encoding="utf-8"))
    files = sorted(entry["file"] for entry in index["documents"])
    found += [(f"apisguru/{file}", specs / "apisguru" / file) for file in files]
    return found


def spec_root(doc_id: str, path: Path) -> Path:
    """The folder a corpus document's `$ref`s may read under (`--spec-root`): the top-level
    folder of its source (public/<source>/, apisguru/APIs/), one rule for every document."""
    below = len(doc_id.split("/")) - 2  # the parts of the path under that folder
    return path.parents[below - 1] if below > 0 else path.parent


def ci_slice(found: list[tuple[str, Path]]) -> list[tuple[str, Path]]:
    """The fixed slice CI runs: the 14 public documents and every tenth APIs.guru document."""
    guru = [item for item in found if item[0].startswith("apisguru/")]
    return [item for item in found if item[0].startswith("public/")] + guru[::10]


def run_one(
    spec: Path,
    work: Path,
    *,
    python: str,
    timeout: float,
    lint: bool,
    mypy_cache: Path | None,
    differences: Path | None = None,
    root: Path | None = None,
) -> dict[str, Any]:
    command = [python, str(PROBE), str(spec), str(work)]
    if root is not None:
        command += ["--spec-root", str(root)]
    if differences is not None:
        command += ["--differences", str(differences)]
    if lint:
        command.append("--lint")
        if mypy_cache is not None:
            command += ["--mypy-cache", str(mypy_cache)]
    outcome = run_probe(command, cwd=work.parent, timeout=timeout)
    if isinstance(outcome, str):
        return {"timeout": {"ok": False, "error": outcome}}
    result, seconds = outcome
    if "crash" in result:
        result["crash"] = {"ok": False, "error": result["crash"]}
    result["seconds"] = round(seconds, 2)
    return result


def run_probe(
    command: list[str], *, cwd: Path, timeout: float, stderr_tail: int = 1500
) -> tuple[dict[str, Any], float] | str:
    """Run a probe child and read the JSON object it prints last: (that object, or
    {"crash": why} when it printed none, and its wall seconds), or why it timed out. The child
    has a session of its own, so that a timeout stops its children (mypy, a server) too."""
    started = time.perf_counter()
    with subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=cwd,
        start_new_session=True,
    ) as process:
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            return f"timed out after {timeout:.0f} s"
    seconds = time.perf_counter() - started
    lines = stdout.strip().splitlines()
    try:
        result: dict[str, Any] = json.loads(lines[-1]) if lines else {}
    except json.JSONDecodeError:
        result = {}
    if not result:
        tail = stderr.strip()[-stderr_tail:]
        result = {"crash": f"the probe exited {process.returncode}: {tail}"}
    return result, seconds


def load_allowed(path: Path = ALLOWED) -> dict[str, dict[str, Any]]:
    """The allow-list: document id -> difference class -> {count, kind, why}."""
    documents_: dict[str, dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))[
        "documents"
    ]
    return documents_


def apply_allowed(
    results: dict[str, dict[str, Any]], allowed: dict[str, dict[str, Any]]
) -> dict[str, dict[str, Any]]:
    """Each document's diff with `allowed` (how many of its differences the allow-list covers:
    per class, at most the entry's count) and `stale` (entries allowing more than found)."""
    for doc_id, result in results.items():
        diff, entries = result.get("diff"), allowed.get(doc_id, {})
        if not isinstance(diff, dict) or "count" not in diff:
            continue
        found: dict[str, int] = diff.get("classes", {})
        diff["allowed"] = sum(
            min(n, entries[name]["count"]) for name, n in found.items() if name in entries
        )
        diff["stale"] = [
            f"{name}: {entry['count']} allowed, {found.get(name, 0)} found"
            for name, entry in entries.items()
            if found.get(name, 0) < entry["count"]
        ]
    return results


def defects_only(result: dict[str, Any]) -> bool:
    """Whether the document differs, and only by allow-listed spec defects."""
    diff = result.get("diff", {})
    return bool(diff.get("count")) and diff.get("allowed") == diff.get("count")


def first_failure(result: dict[str, Any], lint: bool) -> str | None:
    """The first step that failed, or None when every step passed."""
    for step in ("timeout", "crash", *STEPS, *(LINT_STEPS if lint else ())):
        if step in result and not result[step].get("ok", False):
            return step
    for step in STEPS[:-2]:  # openapi and diff are not reached without these
        if step not in result:
            return step
    return None


def _ok(result: dict[str, Any], step: str) -> bool:
    return bool(result.get(step, {}).get("ok"))


def totals(results: dict[str, dict[str, Any]], lint: bool) -> dict[str, Any]:
    n = len(results)
    out: dict[str, Any] = {"documents": n}
    for step in (*STEPS, *(LINT_STEPS if lint else ())):
        out[step] = sum(1 for r in results.values() if _ok(r, step))
    out["diff_defects_only"] = sum(1 for r in results.values() if defects_only(r))
    out["allowed_differences"] = sum(r.get("diff", {}).get("allowed", 0) for r in results.values())
    out["stale_allowed"] = [
        f"{doc_id}: {entry}"
        for doc_id, r in results.items()
        for entry in r.get("diff", {}).get("stale", [])
    ]
    out["names_renamed"] = sum(r.get("names", {}).get("renamed_count", 0) for r in results.values())
    out["refused"] = sum(1 for r in results.values() if r.get("generate", {}).get("refused"))
    out["timeouts"] = sum(1 for r in results.values() if "timeout" in r)
    out["crashes"] = sum(
        1
        for r in results.values()
        if "crash" in r
        or ("generate" in r and not _ok(r, "generate") and "traceback" in r["generate"])
    )
    out["server_errors"] = sum(
        len(r.get("probe", {}).get("server_errors", [])) for r in results.values()
    )
    out["spec_operations"] = sum(r.get("operations", {}).get("spec", 0) for r in results.values())
    out["unrouted_operations"] = sum(
        max(0, r.get("operations", {}).get("spec", 0) - r.get("operations", {}).get("routable", 0))
        + len(r.get("probe", {}).get("unrouted", []))
        for r in results.values()
    )
    classes: Counter[str] = Counter()
    documents_by_class: Counter[str] = Counter()
    for r in results.values():
        found = r.get("diff", {}).get("classes", {})
        classes.update(found)
        documents_by_class.update(found.keys())
    out["difference_classes"] = {
        name: {"differences": count, "documents": documents_by_class[name]}
        for name, count in classes.most_common()
    }
    out["differences"] = sum(classes.values())
    return out


def _percent(part: int, whole: int) -> str:
    return f"{part} ({100 * part / whole:.1f}%)" if whole else "0"


def markdown(report: dict[str, Any]) -> str:
    meta, total, results = report["meta"], report["totals"], report["documents"]
    lint = meta["lint"]
    n = total["documents"]
    lines = [
        "# Corpus",
        "",
        f"`{meta['command']}` at {meta['commit']} on {meta['date']}: {n} documents,",
        f"{meta['jobs']} jobs, {meta['wall_seconds']:.0f} s wall, "
        f"{meta['cpu_seconds']:.0f} s CPU of the children, "
        f"time limit {meta['timeout']:.0f} s each.",
        "",
        "| step | documents passing |",
        "|---|---|",
    ]
    names = {
        "generate": "generates (exit 0)",
        "regenerate": "regenerating the unchanged spec writes and reports nothing",
        "operations": "every spec operation is routable in the IR",
        "import": "the app imports",
        "probe": "every operation routed, no 500 (one request each)",
        "openapi": "`app.openapi()` builds",
        "diff": "round trip exact (`specloom diff`)",
        "names": "component names survive (none lost or added; renames OpenAPI 3 forces apart)",
        "ruff": "`ruff check`, the project's rules",
        "ruff_defaults": "`ruff check`, ruff's defaults",
        "black": "`black --check -l 100`",
        "mypy": "`mypy --strict`",
    }
    for step in (*STEPS, *(LINT_STEPS if lint else ())):
        lines.append(f"| {names[step]} | {_percent(total[step], n)} |")
        if step == "diff" and "diff_defects_only" in total:
            label = "round trip exact but for spec defects (`corpus_allowed.json`)"
            lines.append(f"| {label} | {_percent(total['diff_defects_only'], n)} |")
    lines += [
        "",
        f"Allow-listed spec defects: {total.get('allowed_differences', 0)} differences; stale "
        f"entries: {len(total.get('stale_allowed', []))}"
        + "".join(f"\n- `{entry}`" for entry in total.get("stale_allowed", [])),
        "",
        f"Component names OpenAPI 3 refuses, renamed as the 2.0 upgrade must (not counted as "
        f"lost or added): {total.get('names_renamed', 0)}.",
        "",
        f"Refused as not OpenAPI: {total['refused']}; timed out: {total['timeouts']}; crashed: "
        f"{total['crashes']}. Operations: {total['spec_operations']}, unrouted: "
        f"{total['unrouted_operations']}; probe requests answered 500: {total['server_errors']}.",
        "",
        f"## Round-trip differences by class ({total['differences']} in all)",
        "",
        "| class | differences | documents |",
        "|---|---:|---:|",
    ]
    for name, counts in list(total["difference_classes"].items())[:60]:
        lines.append(f"| `{name}` | {counts['differences']} | {counts['documents']} |")
    lines += ["", "## Documents", "", "| document | first failing step | detail |", "|---|---|---|"]
    for doc_id, result in results.items():
        failing = first_failure(result, lint)
        if failing is None:
            continue
        step = result.get(failing, {})
        if failing == "diff":
            detail = f"{step.get('count', '?')} differences"
            if step.get("allowed"):
                detail += f", {step['allowed']} of them allow-listed spec defects"
        elif failing == "names":
            detail = f"missing {step.get('missing_count')}, added {step.get('added_count')}"
        elif failing == "probe" and "unrouted" in step:
            detail = "; ".join((step["unrouted"] + step["server_errors"])[:2])
        elif failing == "regenerate" and "changes" in step:
            detail = f"{len(step['files'])} files, {step['changes']} changes: " + "; ".join(
                step["first"][:1]
            )
        elif failing == "operations":
            detail = f"{step.get('routable')} of {step.get('spec')} routable"
        elif failing in LINT_STEPS:
            detail = f"{step.get('count', '?')} errors: " + ", ".join(step.get("codes", {}))
        else:
            detail = str(step.get("error", ""))
        detail = detail.replace("|", "\\|").replace("\n", " ")[:200]
        lines.append(f"| `{doc_id}` | {failing} | {detail} |")
    return "\n".join(lines) + "\n"


def _children_cpu(before: Any) -> float:
    """CPU seconds (user + system) of the child processes ended since `before` (os.times)."""
    after = os.times()
    return float(
        (after.children_user - before.children_user)
        + (after.children_system - before.children_system)
    )


def _git_commit() -> str:
    try:
        run = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True
        )
        return run.stdout.strip() or "?"
    except OSError:
        return "?"


def run_corpus(
    selected: list[tuple[str, Path]],
    *,
    jobs: int,
    timeout: float,
    lint: bool,
    python: str,
    progress: Callable[[str, dict[str, Any]], None] | None = None,
    differences: Path | None = None,
) -> dict[str, dict[str, Any]]:
    """Every selected document through the probe, `jobs` at a time; results in input order."""
    results: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="specloom-corpus-") as scratch:
        root = Path(scratch)

        def one(item: tuple[int, tuple[str, Path]]) -> tuple[str, dict[str, Any]]:
            number, (doc_id, path) = item
            work = root / f"d{number:03d}"
            work.mkdir()
            cache = root / f"mypy-cache-{number % max(jobs, 1)}" if lint else None
            listing = None
            if differences is not None:
                listing = differences / (doc_id.replace("/", "__") + ".txt")
            result = run_one(
                path,
                work,
                python=python,
                timeout=timeout,
                lint=lint,
                mypy_cache=cache,
                differences=listing,
                root=spec_root(doc_id, path),
            )
            if progress is not None:
                progress(doc_id, result)
            return doc_id, result

        with ThreadPoolExecutor(max_workers=jobs) as pool:
            done = dict(pool.map(one, enumerate(selected)))
    for doc_id, _ in selected:
        results[doc_id] = done[doc_id]
    return apply_allowed(results, load_allowed())


def build_report(
    results: dict[str, dict[str, Any]],
    *,
    command: str,
    jobs: int,
    timeout: float,
    lint: bool,
    wall: float,
    cpu: float = 0.0,
) -> dict[str, Any]:
    return {
        "meta": {
            "command": command,
            "commit": _git_commit(),
            "date": datetime.date.today().isoformat(),
            "jobs": jobs,
            "timeout": timeout,
            "lint": lint,
            "wall_seconds": round(wall, 1),
            "cpu_seconds": round(cpu, 1),  # of every child process, over the whole run
        },
        "totals": totals(results, lint),
        "documents": results,
    }


def parse_args(argv: Iterable[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--slice", choices=("all", "ci", "public"), default="all")
    p.add_argument("--only", action="append", default=[], help="document ids containing this")
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--timeout", type=float, default=300.0, help="seconds per document")
    p.add_argument("--lint", action="store_true", help="also ruff and mypy --strict (slower)")
    p.add_argument("--out", type=Path, default=HERE / "results", help="folder for corpus.md/json")
    p.add_argument("--name", default="corpus", help="file name stem of the results")
    p.add_argument("--python", default=str(REPO / ".venv" / "bin" / "python"))
    p.add_argument(
        "--differences", type=Path, help="folder: every document's differences, one file each"
    )
    return p.parse_args(list(argv) if argv is not None else None)


def main(argv: Iterable[str] | None = None) -> int:
    args = parse_args(argv)
    specs = shared_specs()
    if specs is None:
        print("corpus: ../shared/specs is not here (set SPECLOOM_SPECS)", file=sys.stderr)
        return 2
    found = documents(specs)
    if args.slice == "ci":
        found = ci_slice(found)
    elif args.slice == "public":
        found = [item for item in found if item[0].startswith("public/")]
    if args.only:
        found = [item for item in found if any(part in item[0] for part in args.only)]
    started, before = time.perf_counter(), os.times()
    if args.differences is not None:
        args.differences.mkdir(parents=True, exist_ok=True)
    count = [0]

    def progress(doc_id: str, result: dict[str, Any]) -> None:
        count[0] += 1
        failing = first_failure(result, args.lint) or "ok"
        print(f"[{count[0]}/{len(found)}] {failing:10} {result.get('seconds', 0):6.1f}s {doc_id}")

    results = run_corpus(
        found,
        jobs=args.jobs,
        timeout=args.timeout,
        lint=args.lint,
        python=args.python,
        progress=progress,
        differences=args.differences,
    )
    command = "python3 benchmarks/corpus.py " + shlex.join(sys.argv[1:] if argv is None else argv)
    report = build_report(
        results,
        command=command.strip(),
        jobs=args.jobs,
        timeout=args.timeout,
        lint=args.lint,
        wall=time.perf_counter() - started,
        cpu=_children_cpu(before),
    )
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / f"{args.name}.json").write_text(json.dumps(report, indent=1) + "\n")
    (args.out / f"{args.name}.md").write_text(markdown(report))
    print(markdown(report).split("## Round-trip")[0])
    return 0


if __name__ == "__main__":
    sys.exit(main())
