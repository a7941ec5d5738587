"""Aliases that reach themselves only through other aliases or unions cannot be written as
module-level type aliases: the reference that closes such a cycle becomes Any, reported."""

from __future__ import annotations

from .errors import Report
from .ir import AnyType, Model, ModelRef, TypeRef
from .unions import map_types, model_refs

__all__ = ["break_alias_cycles"]


def break_alias_cycles(models: dict[str, Model], report: Report) -> None:
    """Replace refs that close a cycle made only of alias/union models by Any."""
    named = {k for k, m in models.items() if m.kind in ("alias", "union")}
    edges = {
        key: sorted(model_refs((models[key].target, models[key].union_members)) & named)
        for key in sorted(named)
    }
    state: dict[str, int] = {}
    cut: dict[str, set[str]] = {}
    for start in sorted(named):
        if start in state:
            continue
        stack = [(start, iter(edges[start]))]
        state[start] = 1
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                state[node] = 2
                stack.pop()
            elif state.get(child) == 1:
                cut.setdefault(node, set()).add(child)
            elif child not in state:
                state[child] = 1
                stack.append((child, iter(edges[child])))
    for key, targets in cut.items():
        report.warn(key, "type alias refers to itself; the recursive part is typed as Any")

        def replace(type_: TypeRef, targets: set[str] = targets) -> TypeRef:
            return AnyType() if isinstance(type_, ModelRef) and type_.name in targets else type_

        models[key] = map_types(models[key], replace)
