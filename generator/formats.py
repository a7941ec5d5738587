"""Scalar types and constraints of JSON schemas: formats -> primitive kinds, keywords -> Meta."""

from __future__ import annotations

import re
from typing import Any

import msgspec

from .errors import Report
from .ir import AnyType, Constraints, PrimitiveKind, PrimitiveType, TypeRef

__all__ = ["constraints_for", "primitive_for"]

_STRING_FORMATS: dict[str, PrimitiveKind] = {
    "date": "date",
    "date-time": "datetime",
    "time": "time",
    "duration": "duration",
    "uuid": "uuid",
    "byte": "bytes",
    "binary": "bytes",
    "base64": "bytes",
    "decimal": "decimal",
    "email": "email",
    "idn-email": "email",
    "uri": "uri",
    "url": "uri",
    "iri": "uri",
    "uri-reference": "uri",
    "iri-reference": "uri",
}
# Formats that are plain strings to Python: known, so not reported.
_PLAIN_STRING_FORMATS = frozenset(
    {
        "password",
        "hostname",
        "idn-hostname",
        "ipv4",
        "ipv6",
        "uri-template",
        "json-pointer",
        "relative-json-pointer",
        "regex",
        "char",
        "string",
        "text",
        "html",
    }
)
_INT_FORMATS = frozenset(
    {
        "int8",
        "int16",
        "int32",
        "int64",
        "uint8",
        "uint16",
        "uint32",
        "uint64",
        "integer",
        "long",
    }
)
_NUMBER_FORMATS: dict[str, PrimitiveKind] = {
    "float": "float",
    "double": "float",
    "number": "float",
    # a JSON number said to be exact: a float holds every JSON number and sends one back
    # (a Decimal would read numeric strings too and is documented as a string)
    "decimal": "float",
    "int32": "float",
    "int64": "float",
}
_BINARY_MEDIA = re.compile(r"^(application/(octet-stream|pdf|zip)|image/|audio/|video/)")


def primitive_for(schema: dict[str, Any], kind: str, pointer: str, report: Report) -> TypeRef:
    """The primitive type for JSON type `kind` (string, integer, number, boolean)."""
    fmt = schema.get("format")
    fmt = fmt if isinstance(fmt, str) else None
    if kind == "string":
        primitive: PrimitiveKind = "str"
        if fmt in _STRING_FORMATS:
            primitive = _STRING_FORMATS[fmt]
        elif fmt is not None and fmt not in _PLAIN_STRING_FORMATS:
            _unknown_format(fmt, kind, pointer, report)
        media = schema.get("contentMediaType")
        if schema.get("contentEncoding") == "base64" or (
            isinstance(media, str) and _BINARY_MEDIA.match(media)
        ):
            primitive = "bytes"
        if primitive in ("str", "email", "uri"):
            constraints = constraints_for(schema, "string", pointer, report)
        else:
            constraints = _unchecked(schema, _STRING_KEYS, f"a {primitive} value", pointer, report)
        return PrimitiveType(primitive, fmt, _with_content(schema, constraints))
    if kind == "integer":
        if fmt is not None and fmt not in _INT_FORMATS:
            _unknown_format(fmt, kind, pointer, report)
        constraints = constraints_for(schema, "number", pointer, report)
        return PrimitiveType("int", fmt, _int64_bounds(constraints, pointer, report))
    if kind == "number":
        number: PrimitiveKind = "float"
        if fmt is not None:
            if fmt in _NUMBER_FORMATS:
                number = _NUMBER_FORMATS[fmt]
            else:
                _unknown_format(fmt, kind, pointer, report)
        return PrimitiveType(number, fmt, constraints_for(schema, "number", pointer, report))
    if kind == "boolean":
        return PrimitiveType("bool", fmt)
    report.warn_grouped(f"type:{kind}", pointer, f"unknown type {kind!r}; typed as Any")
    return AnyType()


_INT64 = (-(2**63), 2**63 - 1)


def _int64_bounds(
    constraints: Constraints | None, pointer: str, report: Report
) -> Constraints | None:
    """Integer bounds msgspec can check (within int64); the others are documented only."""
    if constraints is None:
        return None
    beyond: dict[str, Any] = {}
    for key, name in _NUMBER_KEYS[:4]:
        value = getattr(constraints, name)
        if value is not None and not _INT64[0] <= value <= _INT64[1]:
            beyond[key] = value
            constraints = msgspec.structs.replace(constraints, **{name: None})
    if beyond:
        report.warn(pointer, f"integer bounds beyond int64 {beyond} are documented, not checked")
        constraints = msgspec.structs.replace(constraints, unchecked=beyond)
    empty = not constraints.meta_kwargs() and not constraints.unique_items and not beyond
    return None if empty else constraints


_STRING_KEYS = ("minLength", "maxLength", "pattern")


def _unchecked(
    schema: dict[str, Any], keys: tuple[str, ...], what: str, pointer: str, report: Report
) -> Constraints | None:
    """`keys` of `schema` that the Python type (`what`) cannot check: kept as written, as
    documentation, and reported once."""
    written = {key: schema[key] for key in keys if key in schema}
    if not written:
        return None
    report.warn(
        pointer,
        f"{', '.join(written)} cannot be checked on {what}; documented as written, not checked",
    )
    return Constraints(unchecked=written)


# JSON Schema's content keywords beside `contentEncoding` (2020-12 section 8): annotations, no
# validator checks them, so they are documented as written and need no report
_CONTENT_ANNOTATIONS = ("contentMediaType", "contentSchema")


def _with_content(schema: dict[str, Any], constraints: Constraints | None) -> Constraints | None:
    """`constraints` with the string's content annotations (the media type of its text, the
    schema of what it holds) documented as written beside them."""
    written = {key: schema[key] for key in _CONTENT_ANNOTATIONS if key in schema}
    if not written:
        return constraints
    base = constraints or Constraints()
    return msgspec.structs.replace(base, unchecked={**base.unchecked, **written})


def _unknown_format(fmt: str, kind: str, pointer: str, report: Report) -> None:
    report.warn_grouped(
        f"format:{kind}:{fmt}", pointer, f"unknown {kind} format {fmt!r}; read as plain {kind}"
    )


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


_NUMBER_KEYS = (
    ("minimum", "ge"),
    ("exclusiveMinimum", "gt"),
    ("maximum", "le"),
    ("exclusiveMaximum", "lt"),
    ("multipleOf", "multiple_of"),
)
_LENGTH_KEYS = {
    "string": ("minLength", "maxLength"),
    "array": ("minItems", "maxItems"),
    "object": ("minProperties", "maxProperties"),
}


def constraints_for(
    schema: dict[str, Any], kind: str | None, pointer: str, report: Report
) -> Constraints | None:
    """Constraints of `schema` that apply to `kind` (number, string, array, object)."""
    values: dict[str, Any] = {}
    if kind == "number":
        for key, name in _NUMBER_KEYS:
            if key not in schema:
                continue
            value = schema[key]
            if _number(value) and (name != "multiple_of" or value > 0):
                values[name] = value
            else:
                report.warn(pointer, f"invalid {key} {value!r} ignored")
    elif kind in _LENGTH_KEYS:
        low, high = _LENGTH_KEYS[kind]
        for key, name in ((low, "min_length"), (high, "max_length")):
            if key not in schema:
                continue
            if _count(schema[key]):
                values[name] = schema[key]
            else:
                report.warn(pointer, f"invalid {key} {schema[key]!r} ignored")
        if kind == "string" and "pattern" in schema:
            pattern = schema["pattern"]
            if isinstance(pattern, str) and _compiles(pattern):
                values["pattern"] = pattern
            else:
                report.warn(
                    pointer,
                    f"pattern {pattern!r} is not a Python regex; documented as written, "
                    "not checked",
                )
                values["unchecked"] = {"pattern": pattern}
        if kind == "array" and schema.get("uniqueItems") is True:
            values["unique_items"] = True
    return Constraints(**values) if values else None


def _compiles(pattern: str) -> bool:
    try:
        re.compile(pattern)
    except (re.error, RecursionError, OverflowError):
        return False
    return True
