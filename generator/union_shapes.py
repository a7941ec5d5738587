"""Which oneOf/anyOf are kept as written: decoded member by member, documented member by member.

msgspec decodes a union of at most one type per kind of JSON value (one string type, one
array type, one object type...) and documents it with its Structs after its other members. A
union the spec writes otherwise - two arrays (`oneOf: [array of A, array of string]`), two
strings of different formats or enums, two objects without a discriminator beside other
members, the same member twice, an object member before a scalar one - would be merged into
the nearest type msgspec takes (`list[A | str]`, `str`, `dict[str, Any]`) or reordered, which
changes what it means or how it reads. Such a union becomes a union model generated as the
runtime's `UntaggedUnion` (members tried in order; oneOf: exactly one must accept), whose
schema is its members as written, in order.

The decision reads the spec's member schemas (their `$ref`s followed), before any model
exists: each member's kinds of JSON value, by `type` or, without it, by the keywords of one
kind it uses. A member of unknown kind (`{}`, a composition) leaves the union as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .schema_utils import infer_types, same_value, types_of

__all__ = ["items_into_members", "kept_as_written", "no_value_valid"]

_MAX_DEPTH = 8


def kept_as_written(
    schema: dict[str, Any], variants: list[Any], resolve: Callable[[dict[str, Any]], Any]
) -> bool:
    """Whether the oneOf/anyOf `variants` of `schema` must be kept as written (see above)."""
    if len(variants) < 2 or not all(isinstance(v, dict) for v in variants):
        return False
    if isinstance(schema.get("discriminator"), dict):
        return False  # tagged Structs: msgspec decodes them
    kinds = [_kinds(v, resolve, 0) for v in variants]
    if any(k is None for k in kinds):
        return False
    known = [k for k in kinds if k is not None]
    if any(k == {"null"} for k in known):
        return False  # a null member is how the type says None (a member's own null stays its)
    if _repeated(variants):
        return True
    counts: dict[str, int] = {}
    for found in known:
        for kind in found - {"null"}:
            counts[kind] = counts.get(kind, 0) + 1
    if any(count > 1 for count in counts.values()):
        return True
    return _object_first(variants, known, resolve)


def items_into_members(schema: dict[str, Any], variants: list[Any]) -> list[Any]:
    """The members with the `items` written beside the union (`items: {type: string}` beside
    `oneOf: [{type: array, items: {}}, {type: string}]`): it applies to arrays only, so each
    array member that says no items of its own takes it; the others are unchanged. Unchanged
    when a member does not declare its type inline."""
    items = schema.get("items")
    if not isinstance(items, dict) or "type" in schema:
        return variants
    if not all(isinstance(v, dict) and "$ref" not in v and types_of(v) for v in variants):
        return variants
    return [
        {**v, "items": items} if "array" in types_of(v) and not v.get("items") else v
        for v in variants
    ]


def no_value_valid(variants: list[Any]) -> bool:
    """A oneOf that lists one member twice: every value valid by it is valid by both, so none
    is valid by exactly one."""
    return _repeated(variants)


def _repeated(variants: list[Any]) -> bool:
    return any(same_value(a, b) for i, a in enumerate(variants) for b in variants[i + 1 :])


def _object_first(
    variants: list[Any], kinds: list[set[str]], resolve: Callable[[dict[str, Any]], Any]
) -> bool:
    """An object member with properties (a Struct) before a member of another kind: msgspec
    would document the Struct after it."""
    seen_struct = False
    for variant, found in zip(variants, kinds, strict=True):
        target = resolve(variant)
        struct = found == {"object"} and isinstance(target, dict) and _has_properties(target)
        if seen_struct and "object" not in found and found != {"null"}:
            return True
        seen_struct = seen_struct or struct
    return False


def _has_properties(schema: dict[str, Any]) -> bool:
    properties = schema.get("properties")
    return (isinstance(properties, dict) and bool(properties)) or isinstance(
        schema.get("allOf"), list
    )


def _kinds(
    schema: dict[str, Any], resolve: Callable[[dict[str, Any]], Any], depth: int
) -> set[str] | None:
    """The kinds of JSON value a member admits, None when that cannot be read from it."""
    target = resolve(schema)
    if not isinstance(target, dict) or depth > _MAX_DEPTH:
        return None
    declared = types_of(target)
    if declared:
        return set(declared)
    if "enum" in target or "const" in target:
        values = target["enum"] if "enum" in target else [target["const"]]
        return _value_kinds(values) if isinstance(values, list) else None
    parts = target.get("allOf")
    if isinstance(parts, list) and parts:
        found = [_kinds(p, resolve, depth + 1) for p in parts if isinstance(p, dict)]
        typed = [k for k in found if k is not None]
        return set.intersection(*typed) if typed else None
    inferred = infer_types(target)
    return set(inferred) if inferred else None


def _value_kinds(values: list[Any]) -> set[str] | None:
    kinds: set[str] = set()
    for value in values:
        if value is None:
            kinds.add("null")
        elif isinstance(value, bool):
            kinds.add("boolean")
        elif isinstance(value, int):
            kinds.add("integer")
        elif isinstance(value, float):
            kinds.add("number")
        elif isinstance(value, str):
            kinds.add("string")
        else:
            return None
    return kinds or None
