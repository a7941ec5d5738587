"""Tag the member Structs of discriminated unions (msgspec tag_field and tag).

A oneOf/anyOf with a discriminator becomes a union of Structs that msgspec tells apart by
one field: each member gets the union's property name as its tag field and the mapping's
value (or its own schema name) as its tag. Members that already declare the property keep
it documented as written; a member used by unions with different tag fields, or whose
declared tag values disagree with the mapping, is reported and left untagged.
"""

from __future__ import annotations

from typing import Any

import msgspec

from .errors import Report
from .ir import AnyType, Field, LiteralType, Model, ModelRef, PrimitiveType, TypeRef, without_none
from .ir_types import STR_LIKE
from .struct_within import struct_fields

__all__ = ["tag_unions"]


def tag_unions(models: dict[str, Model], report: Report) -> None:
    """Tag the member structs of discriminated unions (msgspec tag_field/tag)."""
    for key in sorted(models):
        union = models[key]
        if union.kind != "union" or union.discriminator is None:
            continue
        prop = union.discriminator.property_name
        for value, member_key in union.discriminator.mapping.items():
            member = models.get(member_key)
            if member is None or member.kind != "struct":
                report.warn(
                    key,
                    f"discriminator value {value!r} maps to a non-object schema"
                    + _any_value_member(union, member),
                )
                continue
            if member.tag_field is not None:
                if (member.tag_field, member.tag) != (prop, value):
                    report.warn(
                        key,
                        f"{member.pointer} is already tagged {member.tag_field}={member.tag!r}; "
                        f"cannot also be {prop}={value!r}",
                    )
                continue
            models[member_key] = _tagged(member, prop, value, models)
            required = union.extra.get("required") == [prop]  # the union requires it of each
            _warn_tag_as_written(models[member_key], key, report, required=required)
    for key in sorted(models):  # a subclass redeclaring its tagged base's tag property
        tag_field = _inherited_tag(models[key], models)
        if tag_field is not None and any(f.wire_name == tag_field for f in models[key].fields):
            # msgspec refuses the field there: the subclass holds its base's fields instead
            fields = tuple(_all_fields(models[key], models))
            models[key] = msgspec.structs.replace(models[key], fields=fields, bases=())


def _any_value_member(union: Model, member: Model | None) -> str:
    """What a oneOf means with a member that admits every value (no `type`, no assertion:
    extensions only, say): it contradicts the discriminator's other members."""
    if member is None or member.kind != "alias" or not isinstance(member.target, AnyType):
        return ""
    if not union.exclusive:
        return ""
    return (
        f" ({member.pointer} admits every value, so by oneOf no value another member admits is "
        "valid, whatever its discriminator value says); typed as any value"
    )


def _inherited_tag(model: Model, models: dict[str, Model]) -> str | None:
    """The tag field a struct's bases give it (msgspec passes it on to subclasses)."""
    for base in model.bases:
        found = models.get(base)
        if found is not None:
            tag = found.tag_field or _inherited_tag(found, models)
            if tag is not None:
                return tag
    return None


def _all_fields(model: Model, models: dict[str, Model]) -> list[Field]:
    return list(struct_fields(model, models).values())


def _tagged(member: Model, prop: str, value: str, models: dict[str, Model]) -> Model:
    everything = _all_fields(member, models)
    # msgspec refuses a tag field that any base declares, overridden here or not
    inherited = any(
        f.wire_name == prop
        for base in member.bases
        if base in models
        for f in _all_fields(models[base], models)
    )
    tag_field = next((f for f in everything if f.wire_name == prop), None)
    # a plain string property (no enum of its own): documented open, as the spec has it
    inner = without_none(tag_field.type) if tag_field is not None else None
    open_tag = isinstance(inner, PrimitiveType) and inner.kind in STR_LIKE
    declarations = _declarations(member, prop, models)
    tag_docs = _tag_docs(declarations, models)
    values = _enum_values(inner, models) if inner is not None else None
    if values is not None and value not in values:  # the enum as written, not the tag
        open_tag, tag_docs = True, {**tag_docs, "enum": values}
    tagged = {
        "tag_field": prop,
        "tag": value,
        "open_tag": open_tag,
        "tag_docs": tag_docs,
        "optional_tag": bool(declarations) and not any(f.required for f in declarations),
        "undeclared_tag": not declarations,
    }
    if inherited:  # the tag field lives in a base: msgspec forbids it there, so flatten
        fields = tuple(f for f in everything if f.wire_name != prop)
        return msgspec.structs.replace(member, fields=fields, bases=(), **tagged)
    fields = tuple(f for f in member.fields if f.wire_name != prop)
    return msgspec.structs.replace(member, fields=fields, **tagged)


def _warn_tag_as_written(member: Model, union: str, report: Report, *, required: bool) -> None:
    """What a member's spec says against its tag: the Discriminator Object expects the property
    in every payload, holding the value that picks the member (the mapping's, or the schema's
    name)."""
    where, values = member.pointer or union, member.tag_docs.get("enum")
    if (member.optional_tag or member.undeclared_tag) and not required:
        said = "not required" if member.optional_tag else "not declared"
        report.warn(
            where,
            f"the discriminator property {member.tag_field!r} is {said} here, but a payload must "
            "carry it to pick this schema (Discriminator Object): decoding requires it; "
            "documented as written",
        )
    if isinstance(values, list) and member.tag not in values:
        report.warn(
            where,
            f"the discriminator picks this schema by the value {member.tag!r}, which its "
            f"property {member.tag_field!r} does not allow ({values!r}): decoding takes "
            f"{member.tag!r}; the enum is documented as written",
        )


def _declarations(model: Model, prop: str, models: dict[str, Model]) -> list[Field]:
    """Every field declaring `prop` in the model and its bases, the furthest base first."""
    found: list[Field] = []
    for base in model.bases:
        if base in models:
            found += _declarations(models[base], prop, models)
    return found + [f for f in model.fields if f.wire_name == prop]


def _tag_docs(declarations: list[Field], models: dict[str, Model]) -> dict[str, Any]:
    """What the declarations of a tag property say beside its value (description, format, the
    enum it is one of): each applies (allOf), so all are documented; a later one wins on the
    same keyword."""
    docs: dict[str, Any] = {}
    for field in declarations:
        inner = without_none(field.type)
        if isinstance(inner, PrimitiveType) and inner.format is not None:
            docs["format"] = inner.format
        values = _enum_values(inner, models)
        if values is not None and len(values) > 1:  # one value: msgspec's enum says it
            docs["enum"] = values
        own = {
            "title": field.title,
            "description": field.description,
            "examples": list(field.examples) or None,
            "deprecated": field.deprecated or None,
            "readOnly": field.read_only or None,
            "writeOnly": field.write_only or None,
            **field.extra,
        }
        docs.update({key: value for key, value in own.items() if value is not None})
    return docs


def _enum_values(type_: TypeRef, models: dict[str, Model]) -> list[Any] | None:
    """The values of an enum (a str/int Enum model or a Literal), None for other types."""
    if isinstance(type_, LiteralType):
        return [value for value in type_.values if value is not None]
    model = models.get(type_.name) if isinstance(type_, ModelRef) else None
    if model is not None and model.kind == "enum":
        return [member.value for member in model.enum_members]
    return None
