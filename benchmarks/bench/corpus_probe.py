"""One corpus document, every step: generate, import, probe each operation, openapi(), diff,
names, and optionally ruff, black and mypy on the package. Prints one JSON object on stdout.

Run by `benchmarks/corpus.py` in a child process with a time limit, so that a crash, a hang or a
leak in one document cannot touch the others:
    python benchmarks/bench/corpus_probe.py SPEC WORKDIR [--lint] [--mypy-cache DIR]
        [--differences FILE]
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import io
import json
import re
import shutil
import subprocess
import sys
import time
import traceback
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

REPO = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
# the project's lint rules (pyproject.toml), without its first-party setting: in a user's
# package, specloom is a dependency
PROJECT_RULES = ["--line-length", "100", "--target-version", "py311"]
PROJECT_RULES += ["--select", "E,F,W,I,B,UP,SIM,RUF", "--ignore", "B008,RUF012"]
_HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_SAMPLES = {
    "int": "1",
    "float": "1.5",
    "bool": "true",
    "uuid": "123e4567-e89b-12d3-a456-426614174000",
    "date": "2024-01-02",
    "datetime": "2024-01-02T03:04:05Z",
    "time": "03:04:05",
    "decimal": "1.5",
}


def _tail(text: str, limit: int = 1500) -> str:
    return text if len(text) <= limit else "..." + text[-limit:]


def _error(exc: BaseException) -> dict[str, Any]:
    return {
        "ok": False,
        "error": f"{type(exc).__name__}: {exc}"[:1000],
        "traceback": _tail(traceback.format_exc(), 3000),
    }


def probe_arguments(doc: str | None) -> argparse.ArgumentParser:
    """The arguments every probe takes (the spec, its work folder, the spec root), described by
    the first line of the probe's docstring; a probe adds its own."""
    parser = argparse.ArgumentParser(description=(doc or "").splitlines()[0] if doc else None)
    parser.add_argument("spec", type=Path)
    parser.add_argument("work", type=Path)
    parser.add_argument("--spec-root", type=Path, help="the folder its $refs may read under")
    return parser


def import_app(work: Path, package: str) -> tuple[Any, dict[str, Any]]:
    """The generated package's `app` (None where importing it failed: the error) and the import
    step's result; what the import prints is not the probe's output."""
    sys.path.insert(0, str(work))
    started = time.perf_counter()
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            app = importlib.import_module(f"{package}.app").app
    except Exception as exc:
        return None, _error(exc)
    return app, {"ok": True, "seconds": round(time.perf_counter() - started, 3)}


def spec_operations(document: dict[str, Any]) -> list[tuple[str, str]]:
    """(method, path) of every operation under `paths` of the loaded input document."""
    found: list[tuple[str, str]] = []
    paths = document.get("paths")
    if not isinstance(paths, dict):
        return found
    for path, item in paths.items():
        if not isinstance(item, dict):
            continue
        for method in _HTTP_METHODS:
            if isinstance(item.get(method), dict):
                found.append((method, str(path)))
    return found


def _sample(api: Any, ir: Any, parameter: Any) -> str:
    inner = ir.without_none(parameter.type)
    if isinstance(inner, ir.ListType):
        inner = ir.without_none(inner.item)
    if isinstance(inner, ir.ModelRef):
        try:
            model = api.model(inner.name)
        except (KeyError, LookupError):
            return "x"
        if model.enum_members:
            return str(model.enum_members[0].value)
        return "x"
    if isinstance(inner, ir.LiteralType) and inner.values:
        return (
            str(inner.values[0]).lower()
            if isinstance(inner.values[0], bool)
            else str(inner.values[0])
        )
    if isinstance(inner, ir.PrimitiveType):
        constraints = inner.constraints
        if inner.kind in ("int", "float") and constraints is not None:
            low = constraints.ge if constraints.ge is not None else constraints.gt
            if low is not None:
                return str(int(low) + 1 if inner.kind == "int" else float(low) + 1)
        return _SAMPLES.get(inner.kind, "x")
    return "x"


def probe(api: Any, app: Any) -> dict[str, Any]:
    """One request per routable operation; the status each got, counted."""
    from specloom.generator import ir
    from specloom.runtime.testing import TestClient

    statuses: Counter[int] = Counter()
    unrouted: list[str] = []
    errors: list[str] = []
    with TestClient(app) as client:
        for op in api.operations:
            if op.kind != "operation" or not op.routable:
                continue
            # mounted under the servers' base path (`/api/v3`), as the spec means its paths
            path, query, headers = api.base_path + op.route_path, {}, {}
            for parameter in op.parameters:
                value = _sample(api, ir, parameter)
                if parameter.location == "path":
                    path = path.replace("{" + parameter.python_name + "}", value)
                elif not parameter.required:
                    continue
                elif parameter.location == "query":
                    query[parameter.name] = value
                elif parameter.location == "header":
                    headers[parameter.name] = value
                else:
                    headers["cookie"] = f"{parameter.name}={value}"
            path = re.sub(r"\{[^}]*\}", "x", path)  # a placeholder no parameter declares
            # a query string in the path key carries parameters: sent as the query it is
            path, _, in_path = path.partition("#")[0].partition("?")
            query = {**dict(parse_qsl(in_path, keep_blank_values=True)), **query}
            where = f"{op.method.upper()} {op.path}"
            try:
                response = client.request(op.method.upper(), path, params=query, headers=headers)
            except Exception as exc:
                errors.append(f"{where}: {type(exc).__name__}: {exc}"[:300])
                statuses[500] += 1
                continue
            statuses[response.status_code] += 1
            if response.status_code in (404, 405):
                unrouted.append(f"{where} -> {response.status_code}")
            elif response.status_code >= 500 and response.status_code != 501:
                errors.append(f"{where} -> {response.status_code}: {response.text[:200]}")
    return {
        "ok": not unrouted and not errors,
        "requests": sum(statuses.values()),
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "unrouted": unrouted[:20],
        "server_errors": errors[:20],
    }


def _component_names(document: dict[str, Any]) -> set[str]:
    """The component schema names of a document, but the runtime's own error schema (marked
    `x-specloom-runtime`: what the server answers on its own, not a name of the input)."""
    from specloom.runtime.openapi.runtime_answers import RUNTIME_MARK

    if isinstance(document.get("definitions"), dict) and "components" not in document:
        return set(document["definitions"])
    components = document.get("components")
    schemas = components.get("schemas") if isinstance(components, dict) else None
    if not isinstance(schemas, dict):
        return set()
    return {
        name
        for name, schema in schemas.items()
        if not (isinstance(schema, dict) and schema.get(RUNTIME_MARK) is True)
    }


def names_check(given_document: dict[str, Any], emitted: dict[str, Any]) -> dict[str, Any]:
    """The served component names against the input's. A 2.0 definition name OpenAPI 3
    refuses as a component key is expected under the key the upgrade must give it
    (`naming.component_keys`): counted as renamed, apart from names lost or added."""
    from specloom.generator.naming import component_keys

    given, served = _component_names(given_document), _component_names(emitted)
    forced: dict[str, str] = {}
    if given_document.get("swagger") == "2.0" and "components" not in given_document:
        forced = component_keys(given_document.get("definitions") or {})
    expected = {forced.get(name, name) for name in given}
    return {
        "ok": expected == served,
        "given": len(given),
        "missing": sorted(expected - served)[:20],
        "missing_count": len(expected - served),
        "added": sorted(served - expected)[:20],
        "added_count": len(served - expected),
        "renamed": dict(sorted(forced.items())[:20]),
        "renamed_count": len(forced),
    }


def _run_tool(command: list[str], cwd: Path, timeout: float) -> dict[str, Any]:
    started = time.perf_counter()
    try:
        run = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"ok": False, "error": f"timed out after {timeout:.0f} s"}
    output = (run.stdout + run.stderr).strip()
    result: dict[str, Any] = {"ok": run.returncode == 0, "seconds": time.perf_counter() - started}
    if run.returncode:
        lines = [
            line
            for line in output.splitlines()
            if ": error:" in line
            or re.match(r"^\S+:\d+:\d+: [A-Z]+\d+", line)
            or line.startswith("would reformat ")  # black, a file each
        ]
        codes = Counter(re.findall(r"\[([a-z-]+)\]\s*$", "\n".join(lines), re.M))
        codes.update(re.findall(r"^\S+:\d+:\d+: ([A-Z]+\d+)", output, re.M))
        result["count"] = len(lines) or 1
        result["codes"] = dict(codes.most_common(10))
        result["first"] = [line[:300] for line in (lines or output.splitlines())[:5]]
    return result


def lint(root: Path, package: str, mypy_cache: Path | None, timeout: float) -> dict[str, Any]:
    ruff = [
        str(VENV_BIN / "ruff"),
        "check",
        "--no-cache",
        "--isolated",
        "--output-format",
        "concise",
    ]
    mypy = [str(VENV_BIN / "mypy"), "--strict", "--no-error-summary", "--show-error-codes"]
    if mypy_cache is not None:
        mypy += ["--cache-dir", str(mypy_cache)]
    return {
        "ruff": _run_tool([*ruff, *PROJECT_RULES, package], root, timeout),
        "ruff_defaults": _run_tool([*ruff, package], root, timeout),
        "black": _run_tool(
            [str(VENV_BIN / "black"), "--check", "-l", "100", package], root, timeout
        ),
        "mypy": _run_tool([*mypy, "-p", package], root, timeout),
    }


def _regenerate(spec: Path, package: Path, spec_root: Path | None) -> dict[str, Any]:
    """A second run on the unchanged spec: it must want to write nothing and report nothing.

    A full run (the cache that lets an unchanged rerun skip everything is removed first): the
    step checks what a regeneration decides, not the skip."""
    from specloom.generator.generate import generate
    from specloom.generator.unchanged import CACHE

    shutil.rmtree(package / CACHE, ignore_errors=True)
    started = time.perf_counter()
    try:
        again = generate(spec, package, check=True, spec_root=spec_root)
    except Exception as exc:
        return _error(exc)
    reported = [
        f"{change.kind}: {change.function}: {change.detail}"[:300] for change in again.changes
    ]
    return {
        "ok": not again.written and not reported,
        "seconds": round(time.perf_counter() - started, 3),
        "files": again.written[:5],
        "changes": len(reported),
        "first": reported[:5],
    }


def run(
    spec: Path,
    work: Path,
    *,
    with_lint: bool,
    mypy_cache: Path | None,
    differences_file: Path | None = None,
    spec_root: Path | None = None,
) -> dict[str, Any]:
    from specloom.generator.diff import diff_specs, difference_class
    from specloom.generator.errors import SpecError
    from specloom.generator.generate import GenerateError, generate
    from specloom.generator.loader import load_spec

    result: dict[str, Any] = {}
    package = "corpus_pkg"
    started = time.perf_counter()
    try:
        loaded = load_spec(spec, spec_root=spec_root)
        generated = generate(spec, work / package, spec_root=spec_root)
    except (SpecError, GenerateError) as exc:
        result["generate"] = {"ok": False, "refused": True, "error": str(exc)[:1000]}
        return result
    except Exception as exc:
        result["generate"] = _error(exc)
        return result
    api = generated.api
    result["generate"] = {
        "ok": True,
        "seconds": round(time.perf_counter() - started, 3),
        "warnings": len(generated.warnings),
        "files": len(generated.written),
    }
    result["regenerate"] = _regenerate(spec, work / package, spec_root)
    operations = spec_operations(loaded.document)
    routable = [op for op in api.operations if op.kind == "operation" and op.routable]
    result["operations"] = {
        "spec": len(operations),
        "routable": len(routable),
        "ok": len(routable) >= len(operations),
    }

    app, result["import"] = import_app(work, package)
    if app is None:
        return result
    if with_lint:  # before the probe, so a crash there still leaves these figures
        result.update(lint(work, package, mypy_cache, timeout=600))

    try:
        result["probe"] = probe(api, app)
    except Exception as exc:
        result["probe"] = _error(exc)

    started = time.perf_counter()
    try:
        emitted = app.openapi()
    except Exception as exc:
        result["openapi"] = _error(exc)
        return result
    result["openapi"] = {"ok": True, "seconds": round(time.perf_counter() - started, 3)}

    try:
        differences = diff_specs(loaded.document, emitted)
    except Exception as exc:
        result["diff"] = _error(exc)
    else:
        classes = Counter(difference_class(d) for d in differences)
        if differences_file is not None:  # every difference, one a line, to study them
            differences_file.write_text("".join(f"{d}\n" for d in differences))
        result["diff"] = {
            "ok": not differences,
            "count": len(differences),
            "classes": dict(classes.most_common()),
            "first": [str(d)[:300] for d in differences[:10]],
        }

    result["names"] = names_check(loaded.document, emitted)
    return result


def main() -> None:
    parser = probe_arguments(__doc__)
    parser.add_argument("--lint", action="store_true", help="also ruff and mypy --strict")
    parser.add_argument("--mypy-cache", type=Path)
    parser.add_argument("--differences", type=Path, help="write every difference to this file")
    args = parser.parse_args()
    sys.setrecursionlimit(10_000)
    result = run(
        args.spec,
        args.work,
        with_lint=args.lint,
        mypy_cache=args.mypy_cache,
        differences_file=args.differences,
        spec_root=args.spec_root,
    )
    sys.stdout.write(json.dumps(result, default=str) + "\n")


if __name__ == "__main__":
    main()
