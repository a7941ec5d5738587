"""Time `specloom generate` (a whole server) against datamodel-codegen (msgspec models only).

Run ``benchmarks/setup.sh`` once, then ``python3 benchmarks/generate_bench.py``; see
benchmarks/README.md. Writes results/generate.md and results/generate.json.

``--corpus`` runs both tools over the corpus documents of benchmarks/corpus.py instead
(``--every K``, ``--offset``, ``--limit``, ``--only`` choose which) and writes
results/generate_corpus.{md,json}: per document the status of each tool, CPU and wall medians,
and the CPU ratio specloom / datamodel-codegen against the target of 0.5.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402
from bench import gencorpus, genreport  # noqa: E402
from bench.generate import (  # noqa: E402
    CONVERTED,
    DMC,
    ORIGINAL,
    SPECLOOM,
    Run,
    Runner,
    Spec,
    Tools,
    import_seconds,
)

PUBLIC = Path("/work/shared/specs/public")
DEFAULT_SPECS = [
    f"jira={PUBLIC}/APIs-guru__openapi-directory/APIs/atlassian.com/jira/1001.0.0-SNAPSHOT/"
    "openapi.yaml",
    f"twilio_messaging={PUBLIC}/twilio__twilio-oai/spec/json/twilio_messaging_v1.json",
    f"netlify={PUBLIC}/netlify__open-api/swagger.yml",
]
Plan = dict[str, list[tuple[str, str, Path]]]  # spec key -> (tool, input label, file)


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--reps", type=int, default=3, help="timed runs per tool and file; median")
    p.add_argument(
        "--spec",
        action="append",
        metavar="KEY=PATH",
        help="a spec (repeatable); KEY names the "
        "generated package; default: Jira, Twilio Messaging v1 and Netlify",
    )
    p.add_argument("--import-module", default="jira.app", help="generated module to import")
    p.add_argument("--import-reps", type=int, default=3, help="imports per measurement")
    p.add_argument("--specloom", type=Path, default=REPO / ".venv" / "bin" / "specloom")
    p.add_argument("--venv", type=Path, default=HERE / ".work" / "venv", help="datamodel-codegen's")
    p.add_argument("--out", type=Path, default=HERE / "results", help="results folder")
    corpus_mode = p.add_argument_group("corpus mode")
    corpus_mode.add_argument(
        "--corpus", action="store_true", help="run over corpus documents (benchmarks/corpus.py)"
    )
    corpus_mode.add_argument("--every", type=int, default=1, help="every K-th document")
    corpus_mode.add_argument("--offset", type=int, default=0, help="first document taken")
    corpus_mode.add_argument("--limit", type=int, help="at most N documents")
    corpus_mode.add_argument(
        "--only", action="append", default=[], help="document ids containing this (repeatable)"
    )
    corpus_mode.add_argument("--jobs", type=int, default=1, help="documents at a time")
    corpus_mode.add_argument("--timeout", type=float, default=300.0, help="seconds per run")
    corpus_mode.add_argument("--name", default="generate_corpus", help="results' file stem")
    args = p.parse_args()
    if args.corpus:
        args.specs = []
        return args
    specs = []
    for item in args.spec or DEFAULT_SPECS:
        key, sep, path = item.partition("=")
        if not (sep and key.isidentifier() and Path(path).is_file()):
            p.error(f"--spec {item!r}: want KEY=PATH, KEY a Python identifier, PATH a file")
        specs.append(Spec(key, Path(path)))
    args.specs = specs
    return args


def plan_inputs(
    runner: Runner,
    specs: list[Spec],
    info: dict[str, dict[str, Any]],
    runs: list[Run],
    notes: dict[str, list[str]],
) -> Plan:
    """Untimed first runs; they decide what datamodel-codegen reads (the file, or a JSON
    conversion when it cannot load the file) and warm the caches."""
    plan: Plan = {}
    for spec in specs:
        mine = notes.setdefault(spec.key, [])
        plan[spec.key] = [(SPECLOOM, ORIGINAL, spec.path)]
        first, _ = runner.run(DMC, spec, spec.path, ORIGINAL, 0)
        runs.append(first)
        if first.result.returncode == 0:
            plan[spec.key].append((DMC, ORIGINAL, spec.path))
        else:
            mine.append(f"datamodel-codegen fails on the file: {first.error}")
            converted = runner.convert_to_json(spec)
            again, _ = runner.run(DMC, spec, converted, CONVERTED, 0)
            runs.append(again)
            if again.result.returncode == 0:
                mine.append(
                    "datamodel-codegen reads a JSON conversion made with specloom's lenient "
                    "loader (`load_spec(path).document`); specloom is timed on the original file "
                    "and on that conversion"
                )
                plan[spec.key] += [(DMC, CONVERTED, converted), (SPECLOOM, CONVERTED, converted)]
            else:
                mine.append(f"and on a JSON conversion too: {again.error}")
                if info[spec.key]["version"].startswith("Swagger"):
                    mine.append(
                        f"the file is {info[spec.key]['version']}: datamodel-codegen's openapi "
                        "input reads OpenAPI 3 only (schemas under components/schemas)"
                    )
        for tool, label, file in plan[spec.key]:
            if tool == SPECLOOM:
                run, _ = runner.run(tool, spec, file, label, 0)
                runs.append(run)
                if run.result.returncode:
                    mine.append(f"specloom fails: {run.error}")
    return plan


def timed_runs(runner: Runner, specs: list[Spec], plan: Plan, reps: int, runs: list[Run]) -> None:
    """Tools and files interleaved within each repetition, so drift spreads over all of them."""
    for rep in range(1, reps + 1):
        for spec in specs:
            for tool, label, file in plan[spec.key]:
                run, out = runner.run(tool, spec, file, label, rep)
                runs.append(run)
                shutil.rmtree(out)
                r = run.result
                status = "ok" if r.returncode == 0 else f"FAILED ({r.returncode})"
                print(
                    f"  rep {rep} {spec.key:16} {tool:17} {label:15} {r.wall_s:7.2f} s wall "
                    f"{r.cpu_s:7.2f} s cpu {r.max_rss_mb:6.0f} MiB  {status}",
                    flush=True,
                )


def measure_imports(runner: Runner, module: str, reps: int, runs: list[Run]) -> dict[str, Any]:
    key = module.split(".")[0]
    done = [r for r in runs if (r.spec, r.tool, r.input, r.rep) == (key, SPECLOOM, ORIGINAL, 0)]
    if not done or done[0].result.returncode:
        return {}
    cwd = runner.work / f"{SPECLOOM}-{key}-orig-r0"  # the untimed first run's package
    python = runner.tools.python
    return {
        "module": module,
        "reps": reps,
        "py_files": done[0].py_files,
        "py_lines": done[0].py_lines,
        "times": {
            f"`import {module}`, cold (package bytecode compiled)": import_seconds(
                python, cwd, module, reps, cold=True
            ),
            f"`import {module}`, warm (bytecode cached)": import_seconds(
                python, cwd, module, reps, cold=False
            ),
            "`import specloom.runtime` alone, warm": import_seconds(
                python, cwd, "specloom.runtime", reps, cold=False
            ),
        },
    }


def machine_info(tools: Tools) -> dict[str, Any]:
    def version(cmd: list[str]) -> str:
        proc = subprocess.run(cmd, capture_output=True, text=True)
        return (proc.stdout or proc.stderr).strip()

    cpu = next(
        (
            ln.split(":", 1)[1].strip()
            for ln in Path("/proc/cpuinfo").read_text().splitlines()
            if ln.startswith("model name")
        ),
        "?",
    )
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "kernel": platform.release(),
        "specloom": version([str(tools.specloom), "--version"]),
        "specloom_python": version([str(tools.python), "--version"]),
        "datamodel_codegen": version([str(tools.dmc), "--version"]),
        "datamodel_codegen_python": version([str(tools.dmc.parent / "python"), "--version"]),
        "loadavg_start": Path("/proc/loadavg").read_text().split()[:3],
    }


def corpus_document(
    runner: Runner, index: int, doc_id: str, path: Path, reps: int
) -> tuple[dict[str, Any], list[Run]]:
    """One corpus document: its description and every run of both tools on it.

    The first round decides the inputs: datamodel-codegen on the file, and where it fails (not
    at the time limit, not on Swagger 2.0, which its openapi input does not read) on a JSON
    conversion, with specloom on that conversion too. Only inputs both tools ran on are run
    again, ``reps`` rounds in all; every round counts (each run starts in a fresh folder)."""
    spec = Spec(gencorpus.package_key(index, doc_id), path, corpus.spec_root(doc_id, path))
    info: dict[str, Any] = {"path": str(path), "key": spec.key}
    try:
        info.update(runner.describe(spec))
    except subprocess.CalledProcessError as exc:
        info.update(kib=round(path.stat().st_size / 1024), describe_error=exc.stderr[-300:])
    runs: list[Run] = []

    def run(tool: str, file: Path, label: str, rep: int) -> Run:
        done, out = runner.run(tool, spec, file, label, rep)
        shutil.rmtree(out, ignore_errors=True)
        runs.append(done)
        return done

    plan: list[tuple[str, str, Path]] = []
    first = run(DMC, path, ORIGINAL, 1)
    if first.result.returncode == 0:
        plan.append((DMC, ORIGINAL, path))
    elif not first.result.timed_out and not str(info.get("version", "")).startswith("Swagger"):
        try:
            converted = runner.convert_to_json(spec)
        except subprocess.CalledProcessError:
            info["convert_error"] = "specloom's loader could not read it"
        else:
            if run(DMC, converted, CONVERTED, 1).result.returncode == 0:
                plan += [(DMC, CONVERTED, converted), (SPECLOOM, CONVERTED, converted)]
    own = run(SPECLOOM, path, ORIGINAL, 1)
    if own.result.returncode == 0:
        plan.append((SPECLOOM, ORIGINAL, path))
    for tool, label, file in plan:
        if (tool, label) == (SPECLOOM, CONVERTED):
            run(tool, file, label, 1)
    if not any(tool == DMC for tool, _, _ in plan) or own.result.returncode:
        return info, runs  # no ratio: one round is enough to record the failure
    for rep in range(2, reps + 1):
        for tool, label, file in plan:
            run(tool, file, label, rep)
    return info, runs


def corpus_main(args: argparse.Namespace, tools: Tools) -> int:
    specs = corpus.shared_specs()
    if specs is None:
        sys.exit("the corpus (../shared/specs) is not here: set SPECLOOM_SPECS")
    found = corpus.documents(specs)
    chosen = gencorpus.select(
        found, every=args.every, offset=args.offset, limit=args.limit, only=args.only
    )
    selection = f"every {args.every}th from #{args.offset}" if args.every > 1 else "all"
    if args.only:
        selection += f", ids containing {' or '.join(args.only)}"
    if args.limit is not None:
        selection += f", at most {args.limit}"
    started = time.perf_counter()
    meta: dict[str, Any] = {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "command": shlex.join(sys.orig_argv),
        "commit": corpus._git_commit(),
        "machine": machine_info(tools),
        "corpus_documents": len(found),
        "selection": selection,
        "reps": args.reps,
        "jobs": args.jobs,
        "timeout": args.timeout,
        "tool_commands": {  # ROOT: the top folder of the document's source (corpus.spec_root)
            tool: shlex.join(tools.command(tool, Path("SPEC"), "KEY", Path("OUT"), Path("ROOT")))
            for tool in (SPECLOOM, DMC)
        },
    }
    docs: dict[str, dict[str, Any]] = {}
    runs: list[Run] = []
    with tempfile.TemporaryDirectory(prefix="specloom-gencorpus-") as tmp:
        logs = HERE / ".work" / "logs" / "generate_corpus"
        runner = Runner(tools, Path(tmp), logs, timeout=args.timeout)
        # untimed, unrecorded: each tool once on the corpus' first document, so that the first
        # timed run of either finds its bytecode cached as later ones do
        warm = Spec("warmup", found[0][1], corpus.spec_root(*found[0]))
        for tool in (SPECLOOM, DMC):
            shutil.rmtree(runner.run(tool, warm, warm.path, ORIGINAL, 0)[1])
        meta["warmup"] = f"each tool once, untimed, on {found[0][0]}"

        def one(item: tuple[int, str, Path]) -> tuple[str, dict[str, Any], list[Run]]:
            index, doc_id, path = item
            info, mine = corpus_document(runner, index, doc_id, path, args.reps)
            doc = {**info, **gencorpus.outcome(mine)}
            ratio = f"{doc['ratio_cpu']:.2f}" if "ratio_cpu" in doc else "-"
            print(
                f"[{index:3d}] {doc[SPECLOOM]:7} {doc['dmc']:7} ratio {ratio:>6}  {doc_id}",
                flush=True,
            )
            return doc_id, doc, mine

        with ThreadPoolExecutor(max_workers=max(args.jobs, 1)) as pool:
            for doc_id, doc, mine in pool.map(one, chosen):
                docs[doc_id] = doc
                runs += mine
    meta["wall_seconds"] = round(time.perf_counter() - started, 1)
    meta["full_run_estimate_s"] = round(
        gencorpus.full_run_estimate(meta["wall_seconds"], len(chosen), len(found))
    )
    meta["machine"]["loadavg_end"] = Path("/proc/loadavg").read_text().split()[:3]
    summary = gencorpus.summarise(docs)
    report = {"meta": meta, "summary": summary, "documents": docs}
    gencorpus.write(args.out, args.name, report, runs)
    print(gencorpus.markdown(report).split("## The ")[0])
    print(f"wrote {args.out / (args.name + '.md')} and .json")
    return 0


def main() -> int:
    args = parse_args()
    # Both tools run as installed: with their bytecode cached. With PYTHONDONTWRITEBYTECODE set
    # (some shells here export it), specloom's editable install never caches its bytecode and
    # every run compiles ~165 modules again (~0.3 s CPU), while datamodel-codegen's pip install
    # came with its bytecode: the timing would be of the compiler, not the tool.
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    tools = Tools(args.specloom, args.venv / "bin" / "datamodel-codegen")
    for exe in (tools.specloom, tools.dmc):
        if not exe.is_file():
            sys.exit(f"{exe} is missing: run benchmarks/setup.sh (and `pip install -e .[dev]`)")
    if args.corpus:
        return corpus_main(args, tools)
    sample = Path("SPEC")
    meta: dict[str, Any] = {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "command": shlex.join(sys.orig_argv),
        "machine": machine_info(tools),
        "settings": {
            "reps": args.reps,
            "import_reps": args.import_reps,
            "specs": {s.key: str(s.path) for s in args.specs},
        },
        "tool_commands": {
            tool: shlex.join(tools.command(tool, sample, "KEY", Path("OUT")))
            for tool in (SPECLOOM, DMC)
        },
    }
    runs: list[Run] = []
    notes: dict[str, list[str]] = {}
    with tempfile.TemporaryDirectory(prefix="specloom-genbench-") as tmp:
        runner = Runner(tools, Path(tmp), HERE / ".work" / "logs" / "generate")
        meta["specs"] = {spec.key: runner.describe(spec) for spec in args.specs}
        print("untimed first runs", flush=True)
        plan = plan_inputs(runner, args.specs, meta["specs"], runs, notes)
        print(f"{args.reps} timed repetition(s)", flush=True)
        timed_runs(runner, args.specs, plan, args.reps, runs)
        print("import times", flush=True)
        meta["imports"] = measure_imports(runner, args.import_module, args.import_reps, runs)
    meta["notes"] = notes
    meta["machine"]["loadavg_end"] = Path("/proc/loadavg").read_text().split()[:3]
    summary = genreport.summarise(runs, [s.key for s in args.specs])
    genreport.write(args.out, meta, runs, summary)
    for v in summary["verdicts"]:
        print(f"{v['spec']}: target met = {v['met']} {v.get('note', '')}")
    print(f"wrote {args.out / 'generate.json'} and {args.out / 'generate.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
