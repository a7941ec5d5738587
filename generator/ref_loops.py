"""`$ref` loops: a chain of `$ref`s that comes back to itself and never reaches a definition.

`#/components/responses/A` -> `#/components/responses/B` -> `#/components/responses/A` is
read as an empty response (a parameter without a name, a path item without operations...).
Each `$ref` whose chain ends in such a loop is reported at its own place. Schemas are left to
the schema builder, which types such a schema as `Any` and says so (`schemas.py`). Every chain
is followed once (what it leads to is kept per pointer), so the check is linear.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from .errors import SpecWarning, join_pointer, show_pointer

__all__ = ["loop_warnings"]

# (pointer of a $ref object, its kind, the pointer it refers to)
Candidate = tuple[str, str, str]
Follow = Callable[[str], str | None]  # a pointer -> the pointer its own $ref names, or None


def loop_warnings(candidates: Iterable[Candidate], follow: Follow) -> list[SpecWarning]:
    """A warning (placed by pointer, `<ref pointer>/$ref`) for each `$ref` whose chain loops."""
    leads: dict[str, tuple[str, ...] | None] = {}  # pointer -> the loop its chain ends in
    found = []
    for pointer, kind, target in candidates:
        loop = _loop(target, follow, leads)
        if loop is None:
            continue
        chain = " -> ".join(f"'{show_pointer(step)}'" for step in (*loop, loop[0]))
        into = "is in" if pointer in loop else "leads into"
        message = (
            f"this $ref {into} a $ref loop ({chain}) that never reaches a definition; "
            f"it is read as an empty {kind}"
        )
        found.append(SpecWarning(join_pointer(pointer, "$ref"), message))
    return found


def _loop(
    start: str, follow: Follow, leads: dict[str, tuple[str, ...] | None]
) -> tuple[str, ...] | None:
    path: list[str] = []
    at: dict[str, int] = {}
    pointer: str | None = start
    while True:
        if pointer is None:
            result = None
            break
        if pointer in leads:
            result = leads[pointer]
            break
        if pointer in at:
            result = tuple(path[at[pointer] :])
            break
        at[pointer] = len(path)
        path.append(pointer)
        pointer = follow(pointer)
    for step in path:
        leads[step] = result
    return result


def ref_target(node: Any) -> str | None:
    """The `$ref` string of an object that is a `$ref`, else None."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            return ref
    return None
