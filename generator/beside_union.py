"""Assertions written beside a `oneOf`/`anyOf`, kept as written.

A document may write a keyword that asserts on one kind of value beside the union whose
members say the kinds (`data: {anyOf: [{$ref: Resource}, {type: array, items: ...}],
uniqueItems: true}`). By JSON Schema it applies to the instance as the members do (and to a
value of another kind not at all); no Python type of the union checks it, so it is documented
as written beside the union, not checked, and reported once per keyword.
"""

from __future__ import annotations

from typing import Any

from .errors import Report
from .ir import SchemaDocs

__all__ = ["beside_union_docs"]

# assertions a union's Python type cannot check (each applies to one kind of value)
_ASSERTIONS = (
    *("uniqueItems", "minItems", "maxItems", "minProperties", "maxProperties"),
    *("minLength", "maxLength", "pattern", "multipleOf"),
    *("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"),
)


def beside_union_docs(
    schema: dict[str, Any], pointer: str, report: Report | None
) -> SchemaDocs | None:
    """The assertions beside the schema's oneOf/anyOf, documented as written (None if none);
    reported to `report` unless it is None (already reported)."""
    if "$ref" in schema or not any(isinstance(schema.get(k), list) for k in ("oneOf", "anyOf")):
        return None
    found = {key: schema[key] for key in _ASSERTIONS if key in schema}
    for key in found:
        if report is None:
            break
        report.warn_grouped(
            f"beside-union:{key}",
            pointer,
            f"{key} beside a oneOf/anyOf is checked by none of its members' types; documented "
            "as written, not checked",
        )
    return SchemaDocs(extra=found) if found else None
