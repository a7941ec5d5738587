"""The runtime's modules import one another without a cycle.

The graph is read from the source (ast), so an import moved into a function to dodge a cycle
still counts, as does one under `if TYPE_CHECKING:`. Only edges between modules of
`specloom.runtime` matter: optional dependencies imported lazily (jinja2, yaml) are not edges.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import specloom.runtime

PACKAGE = "specloom.runtime"
ROOT = Path(specloom.runtime.__file__).parent

# type-only references up the layers: each names a class in an annotation and nothing more
TYPE_ONLY_ALLOWED = {
    # `Request.app` is typed as the `App` that builds the requests
    ("request", "app"),
    # the `SSEData` alias names the SSE message class; `types` stays the bottom layer
    ("types", "response.sse"),
}


def _modules() -> dict[str, tuple[Path, bool]]:
    modules: dict[str, tuple[Path, bool]] = {}
    for path in sorted(ROOT.rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        if is_package:
            parts.pop()
        modules[".".join([PACKAGE, *parts])] = (path, is_package)
    return modules


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _targets(
    node: ast.Import | ast.ImportFrom, module: str, is_package: bool, known: set[str]
) -> list[str]:
    """The runtime modules an import statement loads (a package's submodule when named)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names if alias.name.startswith(PACKAGE)]
    if node.level:
        base = module.split(".") if is_package else module.split(".")[:-1]
        base = base[: len(base) - (node.level - 1)]
        target = ".".join([*base, *([node.module] if node.module else [])])
    else:
        target = node.module or ""
    if not target.startswith(PACKAGE):
        return []
    found = []
    for alias in node.names:
        submodule = f"{target}.{alias.name}"
        found.append(submodule if submodule in known else target)
    return found


def import_edges() -> dict[tuple[str, str], str]:
    """(importer, imported) -> "module", "function" or "type": every intra-package import."""
    modules = _modules()
    known = set(modules)
    edges: dict[tuple[str, str], str] = {}
    rank = {"module": 0, "function": 1, "type": 2}

    def visit(node: ast.AST, module: str, is_package: bool, kind: str) -> None:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) and kind != "type":
            kind = "function"
        if isinstance(node, ast.Import | ast.ImportFrom):
            for target in _targets(node, module, is_package, known):
                key = (module, target)
                if target != module and (key not in edges or rank[kind] < rank[edges[key]]):
                    edges[key] = kind
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.body:
                visit(child, module, is_package, "type")
            for child in node.orelse:
                visit(child, module, is_package, kind)
            return
        for child in ast.iter_child_nodes(node):
            visit(child, module, is_package, kind)

    for module, (path, is_package) in modules.items():
        visit(ast.parse(path.read_text(encoding="utf-8")), module, is_package, "module")
    return edges


def _short(module: str) -> str:
    return module.removeprefix(PACKAGE + ".")


def find_cycle(edges: set[tuple[str, str]]) -> list[str] | None:
    """One cycle of the graph (its modules in order, the first repeated at the end), or None."""
    graph: dict[str, list[str]] = {}
    for source, target in sorted(edges):
        graph.setdefault(source, []).append(target)
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def walk(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in graph.get(node, []):
            if state.get(target) == 1:
                return [*path[path.index(target) :], target]
            if target not in state:
                found = walk(target)
                if found:
                    return found
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            found = walk(node)
            if found:
                return found
    return None


def test_the_graph_sees_every_kind_of_import() -> None:
    edges = import_edges()
    names = {(_short(a), _short(b)): kind for (a, b), kind in edges.items()}
    assert names[("app", "compile")] == "module"
    assert names[("request", "app")] == "type"
    assert find_cycle({("a", "b"), ("b", "c"), ("c", "a")}) == ["a", "b", "c", "a"]


@pytest.mark.parametrize("kinds", [("module", "function"), ("module", "function", "type")])
def test_no_import_cycle(kinds: tuple[str, ...]) -> None:
    edges = {
        edge
        for edge, kind in import_edges().items()
        if kind in kinds and (_short(edge[0]), _short(edge[1])) not in TYPE_ONLY_ALLOWED
    }
    cycle = find_cycle(edges)
    assert cycle is None, "import cycle: " + " -> ".join(map(_short, cycle or []))


def test_the_allowed_type_only_imports_are_type_only() -> None:
    edges = {(_short(a), _short(b)): kind for (a, b), kind in import_edges().items()}
    for edge in TYPE_ONLY_ALLOWED:
        assert edges.get(edge) == "type", edge
