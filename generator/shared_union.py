"""An object schema whose `oneOf`/`anyOf` members each add their own properties.

Documents write the properties every value has beside the union, or compose them with it:

    {type: object, properties: {id: ...}, required: [id],
     oneOf: [{properties: {project: ...}, required: [project]}, {properties: {projects: ...}}]}
    allOf: [{oneOf: [{title: A, properties: ...}, {title: B, properties: ...}]},
            {type: object, properties: {fixedDelay: ...}}]

By JSON Schema a value is an object meeting the shared part and (exactly) one member. It
becomes a struct of the shared part (its properties, `required`, `type`) and one struct per
member that extends it with the member's own fields, joined as an untagged union
(`UntaggedUnion` with `shared`): decoding tries each member, whose class checks the shared
fields too, and the runtime writes the union back in the document's shape (the shared
keywords beside the `oneOf`, or the `allOf` of both in the order written; `shared_all_of`).

Only what that says exactly is taken: inline members that are object schemas with properties
of their own (a member requiring a shared property it does not declare, a redeclared property
of a type outside the shared one's, a `$ref` member, a discriminator, `additionalProperties`
on either side... leave the schema to the union and allOf rules as before); the shared part of
an allOf is one inline object schema or a `$ref` to an object component.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import msgspec

from .ir import Model, ModelRef
from .naming import pascal_name
from .schema_utils import annotations_only, overrides_as_subtype, with_docs

if TYPE_CHECKING:
    from .schemas import SchemaBuilder

__all__ = ["all_of_union", "beside_union"]

_WORDS = ("oneOf", "anyOf")
_OBJECT_KEYS = frozenset(("type", "properties", "required"))


def beside_union(
    builder: SchemaBuilder, key: str, schema: dict[str, Any], wanted: str
) -> Model | None:
    """The union model of an object schema with properties beside its oneOf/anyOf (members
    extending a struct of them), or None when it is not that construct."""
    word = _word(schema)
    if word is None or not _object_part({k: v for k, v in schema.items() if k != word}):
        return None
    variants = schema[word]
    if not _members(variants):
        return None
    shared_key = f"{key}/properties"  # the struct of the keywords beside the union
    part = {k: v for k, v in schema.items() if k in _OBJECT_KEYS}
    shared = builder.struct_model(shared_key, part, f"{wanted}Base", [(key, part)])
    shared = msgspec.structs.replace(shared, untyped="type" not in schema)
    builder.models[shared_key] = shared
    builder.wanted[shared_key] = (shared.name, f"1{shared_key}")
    return _union(builder, key, word, variants, wanted, shared_key, None, own=True)


def all_of_union(
    builder: SchemaBuilder, key: str, schema: dict[str, Any], wanted: str
) -> Model | None:
    """The union model of `allOf: [{oneOf: [...]}, object part]` (either order), or None when
    the schema is not that construct."""
    parts = schema.get("allOf")
    rest = {k: v for k, v in schema.items() if k != "allOf"}
    if not isinstance(parts, list) or len(parts) != 2 or not annotations_only(rest):
        return None
    unions = [i for i, part in enumerate(parts) if isinstance(part, dict) and _word(part)]
    if len(unions) != 1 or len(parts[unions[0]]) != 1:
        return None  # the union part says nothing but its members
    place = 1 - unions[0]
    word = str(_word(parts[unions[0]]))
    variants, part = parts[unions[0]][word], parts[place]
    if not _members(variants) or not isinstance(part, dict):
        return None
    pointer = f"{key}/allOf/{place}"
    if "$ref" in part and len(part) == 1:
        target = builder.type_of(part, pointer, wanted)
        shared_key = target.name if isinstance(target, ModelRef) else ""
        model = builder.models.get(shared_key)
        if model is None or model.kind != "struct" or not builder.complete_struct(shared_key, key):
            return None
        own = False
    elif _object_part(part):
        builder.model_for(pointer, part, f"{wanted}Base")
        shared_key, own = pointer, True
    else:
        return None
    return _union(builder, key, word, variants, wanted, shared_key, place, own=own)


def _union(
    builder: SchemaBuilder,
    key: str,
    word: str,
    variants: list[Any],
    wanted: str,
    shared_key: str,
    place: int | None,
    *,
    own: bool,
) -> Model | None:
    """The union of one struct per member, each extending the shared struct; None (and the
    models made here forgotten) when a member redeclares a shared property as another type."""
    inherited = {field.wire_name: field for field in builder.all_fields(shared_key)}
    members: list[str] = []
    for i, variant in enumerate(variants):
        member_key = f"{key}/{word}/{i}"
        name = pascal_name(f"{wanted} Option {i + 1}")
        model = builder.struct_model(
            member_key, variant, name, [(member_key, variant)], list(inherited.values())
        )
        model = with_docs(model, variant, member_key, None)
        model = msgspec.structs.replace(model, bases=(shared_key,), untyped="type" not in variant)
        builder.models[member_key] = model
        builder.wanted[member_key] = (name, f"1{member_key}")
        members.append(member_key)
        if not all(
            overrides_as_subtype(field, inherited[field.wire_name], builder.models)
            for field in model.fields
            if field.wire_name in inherited
        ):
            for made in [*members, *([shared_key] if own else [])]:
                del builder.models[made], builder.wanted[made]
            return None
    return Model(
        name=wanted,
        kind="union",
        pointer=key,
        union_members=tuple(ModelRef(member) for member in members),
        exclusive=word == "oneOf",
        shared=shared_key,
        shared_all_of=place,
    )


def _word(schema: dict[str, Any]) -> str | None:
    """The union keyword of a schema with exactly one of oneOf/anyOf (a list), no
    discriminator."""
    found = [word for word in _WORDS if word in schema]
    if len(found) != 1 or not isinstance(schema[found[0]], list) or "discriminator" in schema:
        return None
    return found[0]


def _object_part(schema: dict[str, Any]) -> bool:
    """An inline object schema a struct says as written: properties (some), `required` among
    them, `type: object` or none, and annotations."""
    core = {key: value for key, value in schema.items() if not annotations_only({key: value})}
    if "$ref" in schema or set(core) - _OBJECT_KEYS or core.get("type", "object") != "object":
        return False
    properties = core.get("properties")
    required = core.get("required", [])
    return (
        isinstance(properties, dict)
        and bool(properties)
        and isinstance(required, list)
        and all(name in properties for name in required)
    )


def _members(variants: Any) -> bool:
    """Two or more inline object members, each with properties of its own and requiring
    only those."""
    return (
        isinstance(variants, list)
        and len(variants) >= 2
        and all(isinstance(v, dict) and _object_part(v) for v in variants)
    )
