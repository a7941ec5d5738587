"""The merge's public records, without libcst (so generating a new package never loads it)."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Literal, Protocol

ChangeKind = Literal[
    "added",
    "removed",
    "renamed",
    "decorator_changed",
    "parameter_added",
    "parameter_removed",
    "parameter_changed",
    "return_changed",
]

OPERATIONS_ALIAS = "op"
REMOVED_MARKER = "# specloom: removed from the spec — no longer routed"
# a def the spec gives a method and path another operation has (`/a/{id}` is `/a/{name}`)
NOT_ROUTED_MARKER = "# specloom: not routed — another operation has its method and path"
MARKERS = (REMOVED_MARKER, NOT_ROUTED_MARKER)
LINE_LENGTH = 100


@dataclass(frozen=True)
class MergeChange:
    """One line of the regeneration report."""

    function: str
    kind: ChangeKind
    detail: str
    breaking: bool
    subject: str = ""  # the parameter a parameter_* line is about (its Python name)
    pointer: str = ""  # where in the spec: set once the run knows the operations
    at: str = ""  # `file:line` of the handler's def as the run leaves it
    breaks: tuple[str, ...] = ()


class ReportLine(Protocol):
    """What every line of the change report says: the subject (a handler or a model), the kind,
    the detail, whether it breaks, the JSON pointer of what changed in the spec, the `file:line`
    of the handler's def, and the user's calls the change breaks (model lines)."""

    @property
    def function(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def detail(self) -> str: ...
    @property
    def breaking(self) -> bool: ...
    @property
    def subject(self) -> str: ...
    @property
    def pointer(self) -> str: ...
    @property
    def at(self) -> str: ...
    @property
    def breaks(self) -> tuple[str, ...]: ...


@dataclass(frozen=True)
class MergeResult:
    """The merged module text, what changed, and each handler's spec-owned parameters now."""

    text: str
    changes: list[MergeChange]
    spec_params: dict[str, list[str]]


class MergeError(Exception):
    """A module could not be merged; nothing was changed."""

    def __init__(self, path: str, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.path = path
        self.line = line
        self.message = message


def spec_params_of(generated: str) -> dict[str, list[str]]:
    """Each handler's named parameters in a freshly generated module: what `merge_module`
    reports as `spec_params` when the module is new, read with the (much faster) `ast`."""
    found: dict[str, list[str]] = {}
    for node in ast.parse(generated).body:
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        if not any(_is_op_decorator(decorator) for decorator in node.decorator_list):
            continue
        args = node.args
        names = [arg.arg for arg in (*args.posonlyargs, *args.args)]
        names += [args.vararg.arg] if args.vararg else []
        names += [arg.arg for arg in args.kwonlyargs]
        names += [args.kwarg.arg] if args.kwarg else []
        found[node.name] = names
    return found


def _is_op_decorator(decorator: ast.expr) -> bool:
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    return (
        isinstance(target, ast.Attribute)
        and isinstance(target.value, ast.Name)
        and target.value.id == OPERATIONS_ALIAS
    )
