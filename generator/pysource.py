"""Python source pieces shared by the IR and the renderer: imports, literals, `Annotated[...]`.

Neutral ground: the IR's type kinds write their own annotations with these, and render/
re-exports them (render/pyexpr.py), so neither imports the other's internals.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .render.unambiguous import escape_ambiguous

__all__ = ["Imports", "annotated", "literal", "meta_source", "name_order"]


@dataclass
class Imports:
    """The imports a rendered module needs, collected while rendering it."""

    modules: set[str] = field(default_factory=set)
    names: dict[str, set[str]] = field(default_factory=dict)

    def add(self, module: str, name: str | None = None) -> None:
        if name is None:
            self.modules.add(module)
        else:
            self.names.setdefault(module, set()).add(name)

    def lines(self) -> list[str]:
        """Import statements sorted as isort/ruff do: standard library, then third party."""
        groups: list[list[str]] = []
        for third_party in (False, True):
            group = [
                f"import {module}"
                for module in sorted(self.modules)
                if _is_third_party(module) == third_party
            ]
            group += [
                f"from {module} import {', '.join(sorted(names, key=name_order))}"
                for module, names in sorted(self.names.items())
                if _is_third_party(module) == third_party
            ]
            if group:
                groups.append(group)
        lines: list[str] = []
        for group in groups:
            if lines:
                lines.append("")
            lines.extend(group)
        return lines


def _is_third_party(module: str) -> bool:
    return module.split(".")[0] not in sys.stdlib_module_names


def name_order(name: str) -> tuple[int, str]:
    """isort's order of imported names by type: CONSTANTS, then Classes, then the rest."""
    if name.isupper() and len(name) > 1:
        return (0, name)
    if name[:1].isupper():
        return (1, name)
    return (2, name)


def literal(value: Any) -> str:
    """A Python expression that evaluates to the given JSON value."""
    if value is None or isinstance(value, bool):
        return repr(value)
    if isinstance(value, int):
        return repr(value)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return f"float({str(value)!r})"
        return repr(value).replace("e+", "e")  # black writes exponents without "+"
    if isinstance(value, str):
        return escape_ambiguous(repr(value))
    if isinstance(value, Mapping):
        items = ", ".join(f"{literal(str(k))}: {literal(v)}" for k, v in value.items())
        return "{" + items + "}"
    if isinstance(value, Sequence):
        return "[" + ", ".join(literal(item) for item in value) + "]"
    return escape_ambiguous(repr(str(value)))


def meta_source(arguments: Mapping[str, Any]) -> list[str]:
    """`name=value` sources of `msgspec.Meta` keyword arguments (tuples written as lists)."""
    return [
        f"{name}={literal(list(value) if isinstance(value, tuple) else value)}"
        for name, value in arguments.items()
    ]


def annotated(
    base: str, meta_args: list[str], imports: Imports, metadata: Sequence[str] = ()
) -> str:
    """`base`, wrapped in `Annotated[base, Meta(...), *metadata]` when there is metadata."""
    parts = [*([f"Meta({', '.join(meta_args)})"] if meta_args else []), *metadata]
    if not parts:
        return base
    imports.add("typing", "Annotated")
    if meta_args:
        imports.add("msgspec", "Meta")
    return f"Annotated[{base}, {', '.join(parts)}]"
