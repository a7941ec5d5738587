"""The inline members of an `allOf` object, each a model of its own, so it is written back.

A spec composes an object of `$ref`s and inline members (`allOf: [{description: ...},
{properties: ...}]`, `allOf: [{$ref: A}, {examples: [...]}, {properties: ...}]`). The class
holds every member's fields (it is what decodes); each inline member becomes a Struct of its
own, documented inline where it is used, so that `@all_of(A, Part1, Part2)` writes the
`allOf` with the members as written: a member with docs only is an empty Struct with those
docs and no `type`, a member with its own `allOf` is composed the same way.

A member this cannot say as a Struct (a oneOf, typed extra keys, any other assertion) leaves
the allOf as before: its inline members merged into the class's own part. A closed member
(`additionalProperties: false`) is a closed Struct: composition.py says what that means.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import msgspec

from .ir import AnyType, Field, Model
from .naming import pascal_name
from .schema_utils import annotations_only, replace_field, with_docs

if TYPE_CHECKING:
    from .schemas import SchemaBuilder

__all__ = ["inline_members"]

# keys of an inline member a Struct of its own can say (annotations aside)
_STRUCT_KEYS = frozenset(("properties", "required", "type", "allOf", "additionalProperties"))


def _struct_member(part: Any) -> bool:
    """Whether an inline member is an object schema a Struct says as written."""
    if not isinstance(part, dict) or "$ref" in part:
        return False
    core = {key: value for key, value in part.items() if not annotations_only({key: value})}
    if any(key not in _STRUCT_KEYS for key in core) or core.get("type", "object") != "object":
        return False
    if "discriminator" in part or core.get("additionalProperties", True) not in (True, False):
        return False
    if not isinstance(core.get("properties", {}), dict):
        return False
    nested = core.get("allOf")
    if nested is None:
        return True
    return isinstance(nested, list) and all(
        (isinstance(m, dict) and "$ref" in m) or _struct_member(m) for m in nested
    )


def inline_members(
    builder: SchemaBuilder, key: str, schema: dict[str, Any], wanted: str, model: Model
) -> tuple[str, ...] | None:
    """The model keys of the allOf's members in order (the refs' `composed` models, a new
    model per inline member), or None when an inline member is no Struct of its own."""
    parts = schema["allOf"]
    refs = [part for part in parts if isinstance(part, dict) and "$ref" in part]
    if len(model.all_of) != len(refs):
        return None
    if not all((isinstance(p, dict) and "$ref" in p) or _struct_member(p) for p in parts):
        return None
    composed = iter(model.all_of)
    fields = {field.wire_name: field for field in model.fields}
    members: list[str] = []
    for i, part in enumerate(parts):
        if "$ref" in part:
            members.append(next(composed))
            continue
        pointer = f"{key}/allOf/{i}"
        name = pascal_name(f"{wanted} Part {i + 1}")
        if pointer not in builder.models:
            builder.models[pointer] = _member_model(builder, pointer, part, name, fields)
            builder.wanted[pointer] = (name, f"1{pointer}")
        members.append(pointer)
    return (*members, *_outer_member(builder, key, schema, wanted, fields))


def _outer_member(
    builder: SchemaBuilder, key: str, schema: dict[str, Any], wanted: str, fields: dict[str, Field]
) -> tuple[str, ...]:
    """The properties and required names written beside the allOf, as one more member (each
    keyword beside an allOf applies as its members do): the runtime writes a class's own part
    from its fields, which cannot say a name required both here and by a member."""
    outer = {k: v for k, v in schema.items() if k != "allOf" and not annotations_only({k: v})}
    outer.pop("discriminator", None)
    if not ({"properties", "required"} & set(outer)) or not set(outer) <= {*_STRUCT_KEYS} - {
        "allOf",
        "additionalProperties",
    }:
        return ()
    if not _struct_member(outer):
        return ()
    pointer = f"{key}/allOf/{len(schema['allOf'])}"  # none in the document: beside the allOf
    if pointer not in builder.models:
        name = pascal_name(f"{wanted} Part {len(schema['allOf']) + 1}")
        builder.models[pointer] = _member_model(builder, pointer, outer, name, fields, key)
        builder.wanted[pointer] = (name, f"1{pointer}")
    return (pointer,)


def _member_model(
    builder: SchemaBuilder,
    pointer: str,
    part: dict[str, Any],
    name: str,
    fields: dict[str, Field],
    located: str | None = None,
) -> Model:
    """The model of a member at `pointer` (its properties read where they are: `located`)."""
    if isinstance(part.get("allOf"), list) and builder.all_of_is_object(part):
        ref = builder.model_for(pointer, part, name)
        return builder.models[ref.name]
    properties = {k: v for k, v in part.items() if k in ("properties", "type")}
    if part.get("additionalProperties") is False:  # closed: see composition.settle_all_of
        properties["additionalProperties"] = False
    model = builder.struct_model(pointer, properties, name, [(located or pointer, properties)])
    own = {field.wire_name: field for field in model.fields}
    for wire in part.get("required") or ():
        if wire in own:
            own[wire] = replace_field(own[wire], required=True)
        elif isinstance(wire, str) and wire in fields:  # defined by another member: any value
            own[wire] = Field(name=fields[wire].name, wire_name=wire, type=AnyType(), required=True)
    model = msgspec.structs.replace(model, fields=tuple(own.values()))
    model = with_docs(model, part, pointer, None)
    if "type" not in part:
        model = msgspec.structs.replace(model, untyped=True)
    return model
