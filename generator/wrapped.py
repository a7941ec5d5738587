"""Properties kept as the `allOf` the spec wrote around their type (`in_all_of` in the code).

A document may write a property as an `allOf` that composes no object: one typed member (a
`$ref`, or an inline `anyOf`/`oneOf`) with annotations beside the allOf or in members of their
own (empty members, such as a 3.0 `nullable: true` alone, say nothing):

    parent: {allOf: [{$ref: Node}], description: The node above, type: object}
    vehicle: {allOf: [{$ref: Vehicle}, {description: The vehicle to route for}]}

The field's type is its typed member's; the field documents the keywords beside the allOf (a
`type` included, as written), and `in_all_of(beside=..., before=..., after=...)` has the
runtime write the allOf back around the type's schema. A `type` beside it that the member's
type excludes (a string enum beside `type: object`) admits no value: it is reported, typed by
the member and documented as written.

Anything else (a nullable type, keywords beside the allOf that validate, more than one typed
member) is read as before, as the one typed member with the docs beside it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .errors import Report
from .ir import Field, Model, ModelRef, SchemaDocs, TypeRef, UnionType, WrappedAllOf, is_nullable
from .pysource import Imports, literal
from .schema_utils import annotations_only, types_of
from .walk import ANNOTATION_KEYWORDS

__all__ = ["alias_wrapped_metadata", "wrapped_all_of", "wrapped_docs", "wrapped_metadata"]

# keys beside the allOf that the field itself can say (its docs, its default, a type or format)
_BESIDE = ANNOTATION_KEYWORDS | {"type", "format"}


def wrapped_all_of(prop: dict[str, Any], type_: TypeRef) -> WrappedAllOf | None:
    """The annotation-only members around the typed member of the property's allOf, when the
    allOf can be written back around the field's type; None otherwise."""
    parts = prop.get("allOf")
    if not isinstance(parts, list) or "$ref" in prop or is_nullable(type_):
        return None
    if any(key not in _BESIDE and not key.startswith("x-") for key in prop if key != "allOf"):
        return None
    typed: dict[str, Any] | None = None
    before: list[dict[str, Any]] = []
    after: list[dict[str, Any]] = []
    for part in parts:
        if not isinstance(part, dict):
            return None
        if not part:
            continue  # admits every value: says nothing
        if annotations_only(part) and "discriminator" not in part:
            (before if typed is None else after).append(part)
        elif typed is None and _typed_member(part, type_):
            typed = part
        else:
            return None
    return None if typed is None else WrappedAllOf(before=tuple(before), after=tuple(after))


def _typed_member(part: dict[str, Any], type_: TypeRef) -> bool:
    """A member whose schema is exactly what the runtime writes for `type_`."""
    if set(part) == {"$ref"}:
        return isinstance(type_, ModelRef)
    if len(part) == 1 and set(part) <= {"anyOf", "oneOf"}:
        return isinstance(type_, ModelRef | UnionType)
    return False


def wrapped_docs(
    prop: dict[str, Any],
    docs: SchemaDocs,
    member: Callable[[], dict[str, Any]],
    pointer: str,
    report: Report,
) -> SchemaDocs:
    """The field's docs with the `type` written beside the allOf (as written); `member`
    resolves the typed member, whose types a contradicting `type` is reported against."""
    written = prop.get("type")
    if written is None or "type" in docs.extra:
        return docs
    kinds = set(types_of(prop))
    own = set(types_of(member()))
    if "number" in kinds:
        kinds.add("integer")
    if own and kinds and not own & kinds:
        report.warn(
            pointer,
            f"type {written!r} beside an allOf whose member is of type {sorted(own)}: no value "
            "is valid by both; typed by the member, the type documented as written",
        )
    return SchemaDocs(
        title=docs.title,
        description=docs.description,
        examples=docs.examples,
        deprecated=docs.deprecated,
        read_only=docs.read_only,
        write_only=docs.write_only,
        extra={**docs.extra, "type": written},
    )


def wrapped_metadata(item: Field, docs: dict[str, Any], imports: Imports) -> tuple[str, ...]:
    """`in_all_of(...)` for a field kept as its allOf: `docs` are its `Meta` arguments, whose
    keywords stay beside the allOf (with its default, which msgspec writes there too)."""
    if item.all_of is None:
        return ()
    beside: list[str] = [key for key in ("title", "description", "examples") if key in docs]
    beside += list(docs.get("extra_json_schema") or {})
    if item.has_default:
        beside.append("default")
    arguments = [f"beside={literal(tuple(beside))}"] if beside else []
    if item.all_of.before:
        arguments.append(f"before={literal(list(item.all_of.before))}")
    if item.all_of.after:
        arguments.append(f"after={literal(list(item.all_of.after))}")
    imports.add("specloom.runtime.openapi", "in_all_of")
    return (f"in_all_of({', '.join(arguments)})",)


def alias_wrapped_metadata(model: Model, docs: dict[str, Any], imports: Imports) -> list[str]:
    """`in_all_of(...)` for a named alias the spec wrote as an allOf around one typed member
    with annotation-only members (`allOf: [{$ref: Link}, {example: ...}]`): `docs` are the
    alias's `Meta` arguments; they, and its target's own, stay beside the allOf."""
    if model.wrapped is None or model.target is None:
        return []
    target_docs = getattr(model.target, "docs", None)  # NoneType has none
    own = target_docs.meta_arguments() if target_docs is not None else {}
    beside: list[str] = []
    for arguments in (docs, own):
        for key in ("title", "description", "examples"):
            if key in arguments and key not in beside:
                beside.append(key)
        beside += [key for key in arguments.get("extra_json_schema") or {} if key not in beside]
    values = [f"beside={literal(tuple(beside))}"] if beside else []
    if model.wrapped.before:
        values.append(f"before={literal(list(model.wrapped.before))}")
    if model.wrapped.after:
        values.append(f"after={literal(list(model.wrapped.after))}")
    imports.add("specloom.runtime.openapi", "in_all_of")
    return [f"in_all_of({', '.join(values)})"]
