"""Whether every object one struct model writes is an instance of another struct's schema.

An allOf member and the composed schema may both type a property by an object schema, neither
composed of the other (`links: {$ref: CatalogColumnLinks}` in the base, `links: {$ref:
DetectedCatalogColumnLinks}` in the subschema). By JSON Schema the property's value must meet
both; the model's field is typed by its own, and the allOf can be kept as written where every
object that type writes is an instance of the member's schema: the member's schema is open
(no `additionalProperties`, no tag of its own), every property it requires the model's type
requires too, and every property they share is of a type within the member's (the same rule,
deep; a cycle is assumed to hold, as a type meets itself). A property the member declares that
the model's type lacks is never written by it; when decoding, msgspec reads it as an unknown
key, unchecked: `strict` refuses that case, so that the caller can report it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import msgspec

from .ir import Field, Model, ModelRef

__all__ = ["Within", "struct_fields", "struct_within"]


class Within(msgspec.Struct, frozen=True):
    """How a type is compared: `strict` refuses a member's property the type lacks; `assumed`
    holds the pairs of models being compared (a recursive type meets itself)."""

    strict: bool = False
    assumed: frozenset[tuple[str, str]] = frozenset()


FieldWithin = Callable[[Field, Field, Mapping[str, Model], Within], bool]


def struct_within(
    mine: str,
    theirs: str,
    models: Mapping[str, Model],
    field_within: FieldWithin,
    within: Within,
) -> bool:
    """Whether every object the struct model `mine` writes meets the struct model `theirs`'s
    schema (`field_within` compares two fields of the same property)."""
    if (mine, theirs) in within.assumed:
        return True
    own, other = _struct(mine, models), _struct(theirs, models)
    if own is None or other is None:
        return False
    chain = _chain(other, models)
    if any(m.extra_fields is not None or m.forbid_unknown_fields for m in chain):
        return False  # its additionalProperties sees the properties of its own schema only
    if any(m.tag_field is not None for m in chain):
        return False  # its tag value would apply to the value too
    mine_fields, their_fields = struct_fields(own, models), struct_fields(other, models)
    own_tag = next((m.tag_field for m in _chain(own, models) if m.tag_field is not None), None)
    if own_tag is not None and own_tag in their_fields:
        return False  # written with one value of the model's own
    deeper = msgspec.structs.replace(within, assumed=within.assumed | {(mine, theirs)})
    for wire, field in their_fields.items():
        found = mine_fields.get(wire)
        if found is None:
            if field.required or within.strict:
                return False
            continue  # never written; read as an unknown key
        if field.required and not found.required:
            return False
        if found.type != field.type and not field_within(found, field, models, deeper):
            return False
    return True


def _struct(name: str, models: Mapping[str, Model]) -> Model | None:
    """The struct model `name` is (through aliases of a struct), else None."""
    seen: set[str] = set()
    model = models.get(name)
    while model is not None and model.kind == "alias" and isinstance(model.target, ModelRef):
        if model.target.name in seen:
            return None
        seen.add(model.target.name)
        model = models.get(model.target.name)
    return model if model is not None and model.kind == "struct" else None


def _chain(model: Model, models: Mapping[str, Model]) -> list[Model]:
    found, stack, seen = [], [model], set()
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        found.append(current)
        stack += [models[base] for base in current.bases if base in models]
    return found


def struct_fields(model: Model, models: Mapping[str, Model]) -> dict[str, Field]:
    """The model's fields by wire name, its bases' first (a field of its own wins)."""
    fields: dict[str, Field] = {}
    for base in model.bases:
        if base in models:
            fields.update(struct_fields(models[base], models))
    fields.update({field.wire_name: field for field in model.fields})
    return fields
