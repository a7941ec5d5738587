"""An `allOf` member that is itself an `allOf`: its members are the outer one's.

An instance is valid against an `allOf` when it is valid against every member (JSON Schema
core 10.2.1.1), so `allOf: [{allOf: [A, B]}, C]` and `allOf: [A, B, C]` hold the same
instances; the annotations of the inner schema (a description...) apply to the same instance
location as the outer one's (core 7.7.1), so they go beside the outer `allOf`, unless that
would write two different values of one keyword there (both apply: the nesting stays).
A `type` of the inner schema is one more member (`_kept_all_of` then writes the members'
types once, beside the allOf).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def flattened_members(
    members: list[dict[str, Any]], beside: dict[str, Any], is_annotation: Callable[[str], bool]
) -> list[dict[str, Any]]:
    """`members` with each inner `allOf` (beside only annotations and `type`) spread out;
    the inner annotations are added to `beside` (changed in place)."""
    found: list[dict[str, Any]] = []
    pending = list(members)
    while pending:
        member = pending.pop(0)
        inner: Any = member.get("allOf")
        rest = {key: value for key, value in member.items() if key not in ("allOf", "type")}
        spreads = (
            isinstance(inner, list)
            and all(isinstance(part, dict) for part in inner)
            and all(map(is_annotation, rest))
            and all(beside.get(key, value) == value for key, value in rest.items())
        )
        if not spreads:
            found.append(member)
            continue
        beside.update(rest)
        typed = [{"type": member["type"]}] if "type" in member else []
        pending = [*inner, *typed, *pending]
    return found
