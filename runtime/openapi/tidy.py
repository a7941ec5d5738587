"""Tidy generated JSON Schema into OpenAPI 3.1 form: type arrays, typed enums, union keywords."""

from __future__ import annotations

from typing import Any

from specloom.marks import NULL_BY_EXTENSION

from ..formats import IMPLIED_MARKER
from .wrapped import unwrapped

__all__ = [
    "ANY_MARKER",
    "COMPONENT_MARKER",
    "NOTHING_MARKER",
    "NULL_BY_EXTENSION",
    "RESTATED_MARKER",
    "UNION_MARKER",
    "admits_null",
    "null_absorbed",
    "tidy",
]

UNION_MARKER = "x-specloom-union"
COMPONENT_MARKER = "x-specloom-component"  # hoisted into a named component by the registry
ANY_MARKER = "x-specloom-any"  # msgspec refuses an empty schema from its hook: this one is dropped
NOTHING_MARKER = "x-specloom-nothing"  # no value: `false`, or `not: {}` beside annotations
# the keys a use of a named alias says again, as the alias does (kept beside its `$ref`)
RESTATED_MARKER = "x-specloom-restated"
_NULL = {"type": "null"}
_COMPOSITE = ("$ref", "anyOf", "oneOf", "allOf", "not", "const")


def tidy(schema: Any) -> Any:
    """A copy of `schema` in OpenAPI 3.1 form (recursively)."""
    if isinstance(schema, list):
        return [tidy(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    result = {key: tidy(value) for key, value in schema.items()}
    result.pop(ANY_MARKER, None)
    result.pop(RESTATED_MARKER, None)
    _implied_dropped(result)
    if result.pop(NOTHING_MARKER, None):
        return {**result, "not": {}} if result else False
    if result.pop(NULL_BY_EXTENSION, None) is not None:
        result = _null_dropped(result)
    keyword = result.pop(UNION_MARKER, None)
    if keyword in ("oneOf", "anyOf"):
        for existing in ("anyOf", "oneOf"):
            if existing in result and existing != keyword:
                result[keyword] = result.pop(existing)
    elif "anyOf" in result:
        result = _nullable(result)
    _type_enum(result)
    _declared_binary(result)
    if result.get("required") == [] and result.get("type") == "object":
        del result["required"]
    return unwrapped(result)  # a use written as the allOf around its type (`in_all_of`)


def _implied_dropped(schema: dict[str, Any]) -> None:
    """Bounds a format implies (`format_range`) are checked, not documented: the format says
    them. A bound the spec wrote itself is another value, or on the other side, and stays."""
    implied = schema.pop(IMPLIED_MARKER, None)
    if isinstance(implied, dict):
        for key, value in implied.items():
            if key in schema and schema[key] == value and type(schema[key]) is type(value):
                del schema[key]


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    """`anyOf: [{type: T, ...}, {type: null}]` becomes `type: [T, null]` (simple members only)."""
    members = schema["anyOf"]
    if _NULL not in members or len(members) < 2:
        return schema
    others = [member for member in members if member != _NULL]
    simple = all(
        isinstance(m, dict) and isinstance(m.get("type"), str) and not (set(m) & set(_COMPOSITE))
        for m in others
    )
    if not simple:
        return schema
    rest = {key: value for key, value in schema.items() if key != "anyOf"}
    if len(others) == 1:
        (only,) = others
        merged = {**only, **rest, "type": [only["type"], "null"]}
        if "enum" in merged:
            merged["enum"] = [*merged["enum"], None]
        return merged
    if all(set(member) == {"type"} for member in others):
        return {**rest, "type": [*(member["type"] for member in others), "null"]}
    return schema


def _null_dropped(schema: dict[str, Any]) -> dict[str, Any]:
    """`schema` without the null its type, enum or union member says (an extension says it)."""
    kind = schema.get("type")
    if isinstance(kind, list) and "null" in kind:
        kinds = [k for k in kind if k != "null"]
        schema["type"] = kinds[0] if len(kinds) == 1 else kinds
    if isinstance(schema.get("enum"), list) and None in schema["enum"]:
        schema["enum"] = [value for value in schema["enum"] if value is not None]
    for keyword in ("anyOf", "oneOf"):
        members = schema.get(keyword)
        if not isinstance(members, list) or _NULL not in members:
            continue
        others = [member for member in members if member != _NULL]
        rest = {key: value for key, value in schema.items() if key != keyword}
        only = others[0] if len(others) == 1 else None
        if not isinstance(only, dict) or any(only[k] != v for k, v in rest.items() if k in only):
            return {**rest, keyword: others}
        return _null_dropped({**only, **rest})
    return schema


def _declared_binary(schema: dict[str, Any]) -> None:
    """`bytes` declared `format: binary` or `format: base64`: the declared format says how the
    bytes are written, so msgspec's `contentEncoding: base64` (given to every `bytes`) goes.

    `format: binary` is how OpenAPI names unencoded octets (a file, an image body: what a binary
    media type serves); base64 is only how a JSON body has to carry bytes, and `format: base64`
    already says so.
    """
    if (
        schema.get("format") in ("binary", "base64")
        and schema.get("contentEncoding") == "base64"
        and schema.get("type") == "string"
    ):
        del schema["contentEncoding"]


def _type_enum(schema: dict[str, Any]) -> None:
    """Give an untyped `enum` the type of its values (msgspec leaves enums untyped)."""
    values = schema.get("enum")
    if "type" in schema or not isinstance(values, list) or not values:
        return
    kinds = []
    for value in values:
        if isinstance(value, bool):
            kind = "boolean"
        elif isinstance(value, int):
            kind = "integer"
        elif isinstance(value, float):
            kind = "number"
        elif isinstance(value, str):
            kind = "string"
        elif value is None:
            kind = "null"
        else:
            return
        if kind not in kinds:
            kinds.append(kind)
    if kinds == ["integer", "number"] or kinds == ["number", "integer"]:
        kinds = ["number"]
    schema["type"] = kinds[0] if len(kinds) == 1 else kinds


def admits_null(schema: Any) -> bool:
    """Whether a (tidied) component schema says null is one of its values."""
    if not isinstance(schema, dict):
        return schema is True
    kind = schema.get("type")
    if kind == "null" or (isinstance(kind, list) and "null" in kind):
        return True
    if isinstance(schema.get("enum"), list) and None in schema["enum"]:
        return True
    if schema.get("x-nullable") is True:  # null said by the extension, as written
        return True
    members = [*schema.get("anyOf", ()), *schema.get("oneOf", ())]
    return any(member == _NULL for member in members)


def null_absorbed(schema: Any, nullable: set[str]) -> Any:
    """`anyOf: [$ref X, null]` is `$ref X` when X admits null itself (`nullable`: the `$ref`s
    of such components; a spec's nullable schema, whose every use the generated code writes
    `X | None`)."""
    if isinstance(schema, list):
        return [null_absorbed(item, nullable) for item in schema]
    if not isinstance(schema, dict):
        return schema
    result = {key: null_absorbed(value, nullable) for key, value in schema.items()}
    for keyword in ("anyOf", "oneOf"):
        members = result.get(keyword)
        if not isinstance(members, list) or len(members) != 2 or _NULL not in members:
            continue
        other = next((member for member in members if member != _NULL), None)
        if isinstance(other, dict) and other.get("$ref") in nullable:
            rest = {key: value for key, value in result.items() if key != keyword}
            return {**other, **rest}
    return result
