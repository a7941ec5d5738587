"""Whether a value fits a JSON Schema, as far as mock mode needs: the check a documented
example passes before it is sent by default, and the one that picks a oneOf member.

`mismatch(value, schema, resolve)` says where and why it does not (`/pointer: reason`):
types, enum, const, required properties, closed objects, bounds, lengths, patterns, items,
properties, allOf, anyOf/oneOf as any member, and the formats of plain shape (uuid, date,
date-time, email, ipv4, ipv6).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["Resolve", "bounds", "fits", "format_holds", "is_number", "matches", "mismatch"]

Resolve = Callable[[Any], Any]  # a schema with its `$ref` followed


def bounds(schema: Mapping[str, Any], integer: bool) -> tuple[float | None, float | None]:
    """The inclusive bounds (3.1's numeric exclusive bounds, 3.0's boolean form too)."""
    raw_low, raw_high = schema.get("minimum"), schema.get("maximum")
    low: float | None = raw_low if is_number(raw_low) else None
    high: float | None = raw_high if is_number(raw_high) else None
    step = 1 if integer else 1e-6
    exclusive_low: Any = schema.get("exclusiveMinimum")
    exclusive_high: Any = schema.get("exclusiveMaximum")
    if exclusive_low is True and low is not None:
        low = low + step
    elif is_number(exclusive_low):
        low = exclusive_low + step if low is None else max(low, exclusive_low + step)
    if exclusive_high is True and high is not None:
        high = high - step
    elif is_number(exclusive_high):
        high = exclusive_high - step if high is None else min(high, exclusive_high - step)
    return low, high


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def fits(value: Any, schema: Mapping[str, Any]) -> bool:
    """Whether a primitive value keeps the schema's plain assertions (examples are checked so;
    a string its format too)."""
    if isinstance(value, dict | list):
        return False
    if "enum" in schema and value not in schema["enum"]:
        return False
    if "const" in schema and value != schema["const"]:
        return False
    types = schema.get("type")
    if types is not None:
        names = types if isinstance(types, list) else [types]
        if not any(_is_type(value, name) for name in names):
            return False
    if isinstance(value, str):
        if len(value) < schema.get("minLength", 0) or len(value) > schema.get("maxLength", 1e9):
            return False
        pattern = schema.get("pattern")
        if isinstance(pattern, str) and not matches(pattern, value):
            return False
        fmt = schema.get("format")
        return not isinstance(fmt, str) or format_holds(fmt, value)
    if is_number(value):
        low, high = bounds(schema, isinstance(value, int))
        return (low is None or value >= low) and (high is None or value <= high)
    return True


_FORMATS = {
    "uuid": re.compile(r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}"),
    "date": re.compile(r"\d{4}-\d{2}-\d{2}"),
    "date-time": re.compile(
        r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})"
    ),
    "email": re.compile(r"[^@\s]+@[^@\s]+"),
}


def format_holds(fmt: str, value: str) -> bool:
    """Whether a string is of its format, for the formats whose shape is plain (uuid, date,
    date-time, email, ipv4, ipv6); any other format holds."""
    if fmt in ("ipv4", "ipv6"):
        try:
            address = ipaddress.ip_address(value)
        except ValueError:
            return False
        return address.version == int(fmt[-1])
    shape = _FORMATS.get(fmt)
    return shape is None or shape.fullmatch(value) is not None


def _is_type(value: Any, name: str) -> bool:
    if name == "integer":
        return is_number(value) and float(value).is_integer()
    if name == "number":
        return is_number(value)
    kinds: dict[str, type | tuple[type, ...]] = {
        "string": str,
        "boolean": bool,
        "null": type(None),
        "object": dict,
        "array": list,
    }
    kind = kinds.get(name)
    return kind is not None and isinstance(value, kind)


def matches(pattern: str, value: str) -> bool:
    try:
        return re.search(pattern, value) is not None
    except (re.error, RecursionError):
        return True  # a pattern Python cannot read: nothing to check it against


def _fits_primitive(value: Any, schema: Mapping[str, Any]) -> bool:
    """`_fits` for any value: containers by their type, enum and const only."""
    if not isinstance(value, dict | list):
        return fits(value, schema)
    if "enum" in schema and value not in schema["enum"]:
        return False
    if "const" in schema and value != schema["const"]:
        return False
    types = schema.get("type")
    names = types if isinstance(types, list) else [types] if types is not None else None
    return names is None or any(_is_type(value, name) for name in names)


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _describe(schema: Mapping[str, Any]) -> str:
    keys = ("type", "enum", "const", "minimum", "maximum", "minLength", "maxLength", "pattern")
    return "{" + ", ".join(f"{k}: {schema[k]!r}" for k in keys if k in schema)[:120] + "}"


def mismatch(value: Any, schema: Any, resolve: Resolve, at: str = "", depth: int = 0) -> str | None:
    """Where and why `value` does not fit `schema` (`/pointer: reason`), or None: what an
    example is checked against before it is sent (types, enum, const, required, closed
    objects, bounds, lengths, patterns, items, properties, allOf, anyOf and oneOf as
    any member; the formats of plain shape)."""
    schema = resolve(schema)
    if depth > 64 or schema is True or not isinstance(schema, Mapping):
        return f"{at or '/'}: no value fits" if schema is False else None
    for part in schema.get("allOf") or ():
        found = mismatch(value, part, resolve, at, depth + 1)
        if found:
            return found
    for key in ("anyOf", "oneOf"):
        members = schema.get(key)
        if isinstance(members, list) and members:
            reasons = [mismatch(value, m, resolve, at, depth + 1) for m in members]
            if all(reasons):
                return reasons[0]
    if not _fits_primitive(value, schema):
        return f"{at or '/'}: {_short(value)} does not fit {_describe(schema)}"
    if isinstance(value, dict):
        return _object_mismatch(value, schema, resolve, at, depth)
    if isinstance(value, list):
        return _array_mismatch(value, schema, resolve, at, depth)
    return None


def _object_mismatch(
    value: dict[str, Any], schema: Mapping[str, Any], resolve: Resolve, at: str, depth: int
) -> str | None:
    properties = schema.get("properties") or {}
    for name in schema.get("required") or ():
        if name not in value:
            return f"{at or '/'}: the required property {name!r} is missing"
    extra = schema.get("additionalProperties", True)
    for name, item in value.items():
        sub = properties.get(name, extra if not schema.get("patternProperties") else True)
        segment = name.replace("~", "~0").replace("/", "~1")  # a JSON pointer's escapes
        found = mismatch(item, sub, resolve, f"{at}/{segment}", depth + 1)
        if found:
            return found
    return None


def _array_mismatch(
    value: list[Any], schema: Mapping[str, Any], resolve: Resolve, at: str, depth: int
) -> str | None:
    if len(value) < schema.get("minItems", 0) or len(value) > schema.get("maxItems", 1e9):
        return f"{at or '/'}: {len(value)} items is out of bounds"
    prefix = schema.get("prefixItems") or []
    for index, item in enumerate(value):
        sub = prefix[index] if index < len(prefix) else schema.get("items", True)
        found = mismatch(item, sub, resolve, f"{at}/{index}", depth + 1)
        if found:
            return found
    return None
