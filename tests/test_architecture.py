"""Size rules of the code base: modules readable top to bottom, functions that do one job.

- A module of `runtime/` or `generator/` has at most 500 lines, unless its docstring says why
  it is longer in a line that starts with "Over 500 lines:".
- A function's body (its statements after the docstring) has at most 80 lines. The signature
  is not counted: Litestar's layered API has constructors with forty keyword parameters,
  which are one line each and no logic.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("runtime", "generator")
MODULE_LINES = 500
BODY_LINES = 80
REASON = "Over 500 lines:"


def _sources() -> list[Path]:
    return sorted(path for package in PACKAGES for path in (ROOT / package).rglob("*.py"))


def _body_lines(node: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    body = node.body
    if (
        len(body) > 1
        and isinstance(body[0], ast.Expr)
        and isinstance(body[0].value, ast.Constant)
        and isinstance(body[0].value.value, str)
    ):
        body = body[1:]  # the docstring
    end = node.end_lineno or node.lineno
    return end - body[0].lineno + 1


@pytest.mark.parametrize("path", _sources(), ids=lambda path: str(path.relative_to(ROOT)))
def test_module_size(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    lines = text.count("\n")
    if lines <= MODULE_LINES:
        return
    docstring = ast.get_docstring(ast.parse(text)) or ""
    assert any(line.startswith(REASON) for line in docstring.splitlines()) or (
        f" {REASON}" in docstring
    ), f"{path.relative_to(ROOT)}: {lines} lines and no line saying why ({REASON!r})"


@pytest.mark.parametrize("path", _sources(), ids=lambda path: str(path.relative_to(ROOT)))
def test_function_size(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    long = [
        f"{node.name} (line {node.lineno}): {_body_lines(node)} lines"
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and _body_lines(node) > BODY_LINES
    ]
    assert not long, f"{path.relative_to(ROOT)}: " + "; ".join(long)


def test_the_rules_measure_what_they_say() -> None:
    tree = ast.parse('def f(\n    a: int,\n    b: int,\n) -> None:\n    """Doc."""\n    x = 1\n')
    function = tree.body[0]
    assert isinstance(function, ast.FunctionDef)
    assert _body_lines(function) == 1
