"""Real version pairs: generate the older version of an API, fill every handler with code that
builds its models, regenerate from the newer version, and check that the user's code is kept
byte for byte, the package imports, and `mypy --strict` finds exactly the breakages the report
lists (each at a place the report cites, and each cited place an error).

The pairs are every provider and service of `../shared/specs/apisguru` with two versions.
"""

from __future__ import annotations

import ast
import itertools
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from specloom.generator.generate import generate

REPO = Path(__file__).resolve().parents[2]


def _apisguru() -> Path | None:
    configured = os.environ.get("SPECLOOM_SPECS")
    for folder in [Path(configured)] if configured else [REPO.parent / "shared" / "specs"]:
        if (folder / "apisguru" / "APIs").is_dir():
            return folder / "apisguru" / "APIs"
    return None


def _pairs() -> list[tuple[Path, Path]]:
    folder = _apisguru()
    if folder is None:
        return []
    versions: dict[Path, list[Path]] = {}
    for spec in sorted(folder.rglob("*.yaml")):
        versions.setdefault(spec.parent.parent, []).append(spec)
    found = []
    for specs in versions.values():
        if len(specs) > 1 and len({s.name for s in specs}) == 1:  # one API, several versions
            ordered = sorted(
                specs, key=lambda s: [int(p) for p in re.findall(r"\d+", s.parent.name)]
            )
            found += list(itertools.pairwise(ordered))
    return found


PAIRS = _pairs()


def _structs(models: str) -> dict[str, list[tuple[str, ast.expr]]]:
    """Struct class -> its fields and their annotations, as the models module writes them."""
    found: dict[str, list[tuple[str, ast.expr]]] = {}
    for node in ast.parse(models).body:
        if isinstance(node, ast.ClassDef) and any(
            isinstance(b, ast.Attribute) and b.attr == "Struct" for b in node.bases
        ):
            found[node.name] = [
                (item.target.id, item.annotation)
                for item in node.body
                if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name)
            ]
    return found


def _names(models: str) -> set[str]:
    """Every model the module defines: classes and aliases."""
    found = set()
    for node in ast.parse(models).body:
        if isinstance(node, ast.ClassDef):
            found.add(node.name)
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            found |= {t.id for t in targets if isinstance(t, ast.Name)}
    return found - {"__all__"}


class _Qualified(ast.NodeTransformer):
    def __init__(self, models: set[str]) -> None:
        self.models = models

    def visit_BinOp(self, node: ast.BinOp) -> ast.expr:
        """`T | UnsetType` is T: a handler that passes a keyword passes a value."""
        for kept, other in ((node.left, node.right), (node.right, node.left)):
            if isinstance(other, ast.Name) and other.id == "UnsetType":
                return self.visit(kept)  # type: ignore[no-any-return]
        return self.generic_visit(node)  # type: ignore[return-value]

    def visit_Name(self, node: ast.Name) -> ast.expr:
        if node.id in self.models:
            return ast.Attribute(ast.Name("m", ast.Load()), node.id, ast.Load())
        return node


def _imports(models: str) -> list[str]:
    """The models module's imports, written from the package's root."""
    lines = []
    for node in ast.parse(models).body:
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            node = ast.ImportFrom("._generated." + (node.module or ""), node.names, 1)
        if isinstance(node, ast.Import | ast.ImportFrom):
            lines.append(ast.unparse(node))
    return lines


def _fill(package: Path) -> dict[str, list[str]]:
    """Every handler that returns a struct builds it from typed values; model -> value names."""
    models_text = (package / "_generated" / "models.py").read_text()
    structs = _structs(models_text)
    values = [
        # the annotations name models a new version may drop: mypy reports those, the import
        # must not fail on them (the generated models module has no such import any more)
        "from __future__ import annotations",
        *[line for line in _imports(models_text) if "__future__" not in line],
        "from typing import cast",
        "from ._generated import models as m",
    ]
    used: dict[str, list[str]] = {}
    for module in sorted((package / "handlers").glob("*.py")):
        text = module.read_text()
        lines = text.splitlines(keepends=True)
        for node in ast.parse(text).body:
            returns = getattr(node, "returns", None)
            if not isinstance(node, ast.AsyncFunctionDef) or not isinstance(returns, ast.Attribute):
                continue
            name = returns.attr
            last = lines[node.end_lineno - 1]
            if name not in structs or last.strip() != "raise NotImplementedError":
                continue
            arguments = ", ".join(f"{f}=v.{name}__{f}" for f, _ in structs[name])
            lines[node.end_lineno - 1] = f"    return m.{name}({arguments})\n"
            used[name] = [f for f, _ in structs[name]]
        text = "".join(lines).replace(
            "from .._generated import operations as op\n",
            "from .._generated import operations as op\nfrom .. import fill_values as v\n",
        )
        module.write_text(text)
    qualify = _Qualified(_names(models_text))
    for name in sorted(used):
        for field, annotation in structs[name]:
            typed = ast.unparse(qualify.visit(annotation))
            values.append(f"{name}__{field}: {typed} = cast({typed!r}, None)")
    (package / "fill_values.py").write_text("\n".join(values) + "\n")
    return used


def _mypy(root: Path, package: str) -> set[str]:
    """`file:line` of every error mypy --strict finds in the user's files of the package."""
    run = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-error-summary", "-p", package],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=1200,
        env={**os.environ, "MYPYPATH": str(root)},
    )
    found = set()
    for line in run.stdout.splitlines():
        match = re.match(r"(.+?):(\d+): error:", line)
        if match and "_generated" not in match.group(1):
            found.add(f"{Path(match.group(1)).as_posix()}:{match.group(2)}")
    return found


def _spans(package: Path, root: Path) -> dict[str, tuple[str, int, int]]:
    """handler name -> (file, first line, last line) in the user's handler modules."""
    spans = {}
    for module in sorted((package / "handlers").glob("*.py")):
        for node in ast.parse(module.read_text()).body:
            if isinstance(node, ast.AsyncFunctionDef | ast.FunctionDef):
                relative = module.relative_to(root).as_posix()
                spans[node.name] = (relative, node.lineno, node.end_lineno or node.lineno)
    return spans


@pytest.mark.skipif(not PAIRS, reason="the shared APIs.guru corpus is not here (../shared/specs)")
@pytest.mark.parametrize("old, new", PAIRS, ids=[p[0].parent.parent.name for p in PAIRS])
def test_a_new_version_breaks_exactly_what_the_report_says(
    tmp_path: Path, old: Path, new: Path
) -> None:
    package = tmp_path / "pair_pkg"
    generate(old, package)
    used = _fill(package)
    assert used, "no handler returns a model: nothing to check"
    assert _mypy(tmp_path, "pair_pkg") == set(), "the filled package type-checks"
    bodies = {
        path: [line for line in path.read_text().splitlines() if "return m." in line]
        for path in (package / "handlers").glob("*.py")
    }
    values = (package / "fill_values.py").read_text()

    report = generate(new, package).report()

    for path, kept in bodies.items():  # the user's lines, byte for byte
        assert set(kept) <= set(path.read_text().splitlines()), path
    assert (package / "fill_values.py").read_text() == values
    imported = subprocess.run(
        [sys.executable, "-c", "import pair_pkg.app"], cwd=tmp_path, capture_output=True, text=True
    )
    assert imported.returncode == 0, imported.stderr[-2000:]

    errors = _mypy(tmp_path, "pair_pkg")
    prefix = f"{tmp_path}/"
    cited = {
        where.removeprefix(prefix)
        for change in report["changes"]
        for where in change.get("breaks", [])
    }
    spans = _spans(package, tmp_path)
    changed = {c["handler"] for c in report["changes"] if c["breaking"]}

    def explained(error: str) -> bool:
        path, line = error.rsplit(":", 1)
        return error in cited or any(
            f == path and first <= int(line) <= last and name in changed
            for name, (f, first, last) in spans.items()
        )

    assert sorted(e for e in errors if not explained(e)) == [], "mypy errors the report misses"
    assert sorted(cited - errors) == [], "places the report says break but mypy accepts"
    print(json.dumps(report["summary"]))
