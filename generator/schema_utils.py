"""Helpers of schema building that need no builder state: docs, names, enums, inference."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Literal

import msgspec

from .errors import Report
from .ir import (
    AnyType,
    EnumMember,
    ExternalDocs,
    Field,
    Model,
    ModelRef,
    NoneType,
    SchemaDocs,
    TypeRef,
    UnionType,
    union_of,
)
from .naming import assign_unique, constant_name, pascal_name, snake_name
from .walk import ANNOTATION_KEYWORDS, NULL_BY_EXTENSION

__all__ = [
    "ENUM_ASSERTIONS",
    "annotations_only",
    "component_name",
    "dead_values",
    "default_docs",
    "distinct",
    "drop_none",
    "enum_assertions",
    "enum_model",
    "enum_outside_type",
    "enum_type_of",
    "external_docs",
    "hint_from_pointer",
    "infer_types",
    "is_scalar",
    "is_typed",
    "name_fields",
    "overrides_as_subtype",
    "replace_field",
    "same_value",
    "schema_docs",
    "schema_extra",
    "text_of",
    "types_of",
    "with_docs",
    "without_default",
]

_COMPONENT = re.compile(r"^/components/schemas/([^/]+)$")


def external_docs(node: Any) -> ExternalDocs | None:
    """The `externalDocs` of a spec object, if well formed."""
    docs = node.get("externalDocs") if isinstance(node, dict) else None
    if isinstance(docs, dict) and isinstance(docs.get("url"), str):
        description = docs.get("description")
        return ExternalDocs(docs["url"], description if isinstance(description, str) else None)
    return None


def text_of(node: dict[str, Any], key: str) -> str | None:
    value = node.get(key)
    return value if isinstance(value, str) else None


def types_of(schema: dict[str, Any]) -> list[str]:
    kind = schema.get("type")
    if isinstance(kind, str):
        return [kind]
    return [k for k in kind if isinstance(k, str)] if isinstance(kind, list) else []


_JSON_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "array": (list,),
    "object": (dict,),
}


def enum_outside_type(schema: dict[str, Any]) -> bool:
    """Whether a schema's `enum` holds a value of none of its declared types (`type: string`
    with `enum: [1, 2]`, `type: array` with `enum: ["a"]`): such values can never validate,
    a spec defect. Null values aside (a nullable enum)."""
    enum, kinds = schema.get("enum"), types_of(schema)
    if not isinstance(enum, list) or not kinds or not all(k in _JSON_TYPES for k in kinds):
        return False
    values = [value for value in enum if value is not None]

    def fits(value: Any, kind: str) -> bool:
        if isinstance(value, bool) and kind != "boolean":
            return False
        return isinstance(value, _JSON_TYPES[kind]) or (
            kind == "integer" and isinstance(value, float) and value.is_integer()
        )

    return any(not any(fits(value, kind) for kind in kinds) for value in values)


def component_name(pointer: str) -> str | None:
    match = _COMPONENT.match(pointer)
    return match.group(1).replace("~1", "/").replace("~0", "~") if match else None


def same_value(a: Any, b: Any) -> bool:
    """JSON equality: `1`, `1.0` and `true` are different enum values here."""
    return type(a) is type(b) and a == b


def distinct(values: list[Any]) -> tuple[Any, ...]:
    """`values` without repeats (by JSON equality), in order."""
    found: list[Any] = []
    for value in values:
        if not any(same_value(value, seen) for seen in found):
            found.append(value)
    return tuple(found)


def enum_model(key: str, enum: list[Any], report: Report, *, number: bool = False) -> Model:
    """An Enum model of the distinct non-null str/int/float values; colliding names are
    reported."""
    values: list[Any] = []
    for value in enum:
        if value is None:
            continue
        if any(same_value(value, seen) for seen in values):
            report.warn(key, f"duplicate enum value {value!r} ignored")
            continue
        values.append(value)
    enum_type = enum_type_of(values) or "str"
    if number and enum_type == "int":  # `type: number`: 500.0 is one of its values too
        enum_type = "float"
    names = assign_unique(
        ((i, constant_name(v), f"{type(v).__name__}:{v}") for i, v in enumerate(values)),
    )
    by_name: dict[str, list[Any]] = {}
    for value in values:
        by_name.setdefault(constant_name(value), []).append(value)
    for clashing in by_name.values():
        if len(clashing) > 1:
            shown = ", ".join(repr(v) for v in clashing)
            report.warn(key, f"enum values {shown} collide after naming; suffixed")
    members = tuple(EnumMember(name=names[i], value=v) for i, v in enumerate(values))
    return Model(name=key, kind="enum", pointer=key, enum_type=enum_type, enum_members=members)


def name_fields(fields: list[Field], inherited: dict[str, str]) -> list[Field]:
    """Give fields Python names: an override keeps its base's name; others avoid base names."""
    fresh = [f for f in fields if f.wire_name not in inherited]
    names = assign_unique(
        ((f.wire_name, snake_name(f.wire_name), f.wire_name) for f in fresh),
        taken=set(inherited.values()),
    )
    names.update(inherited)
    return [replace_field(f, name=names[f.wire_name]) for f in fields]


_EXTRA_KEYS = ("xml", "externalDocs", "$comment")


def schema_extra(schema: dict[str, Any]) -> dict[str, Any]:
    """The documentation a schema carries beyond title/description/examples, as written.

    `x-specloom-*` keys are the runtime's own markers: a spec cannot set them, but the
    normaliser's `NULL_BY_EXTENSION` (the null that `x-nullable` alone says) is passed on.
    """
    extra = {
        key: value
        for key, value in schema.items()
        if key in _EXTRA_KEYS
        or key == NULL_BY_EXTENSION
        or (key.startswith("x-") and not key.startswith("x-specloom-"))
    }
    extra.update(documented_keywords(schema))
    return extra


# assertions no Python type checks (JSON Schema's applicators that need an instance's other
# keys or items, conditionals, negation), carried as written where they refer to nothing
# (each with the kind of value it takes: a schema, a map, a count); runtime: schema_docs(unchecked=)
UNCHECKED_KINDS = {
    "not": "schema",
    "if": "schema",
    "then": "schema",
    "else": "schema",
    "patternProperties": "map",
    "dependentSchemas": "map",
    "dependentRequired": "map",
    "unevaluatedProperties": "schema",
    "unevaluatedItems": "schema",
    "propertyNames": "schema",
    "contains": "schema",
    "minContains": "count",
    "maxContains": "count",
}


def documented_keywords(schema: dict[str, Any]) -> dict[str, Any]:
    """The keywords of `schema` Python cannot check, carried as written: those of the kind of
    value they take that refer to nothing (a reference would name a spec component, not the
    generated one)."""
    return {
        key: schema[key]
        for key, kind in UNCHECKED_KINDS.items()
        if key in schema and _of_kind(schema[key], kind) and not _refers(schema[key])
    }


def _of_kind(value: Any, kind: str) -> bool:
    if kind == "schema":
        return isinstance(value, dict | bool)
    if kind == "map":
        return isinstance(value, dict)
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _refers(value: Any) -> bool:
    if isinstance(value, dict):
        return "$ref" in value or any(_refers(item) for item in value.values())
    return isinstance(value, list) and any(_refers(item) for item in value)


_STRING_ASSERTIONS = ("minLength", "maxLength", "pattern")
_NUMBER_ASSERTIONS = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf")
ENUM_ASSERTIONS = (*_STRING_ASSERTIONS, *_NUMBER_ASSERTIONS)  # runtime: schema_docs(implied=)


def enum_assertions(schema: dict[str, Any]) -> dict[str, Any]:
    """The string and number assertions written beside an enum, as written (the values are
    checked by membership; these say nothing more, unless a value breaks them: `dead_values`)."""
    return {
        key: schema[key]
        for key in ENUM_ASSERTIONS
        if key in schema and not isinstance(schema[key], bool)
    }


def dead_values(values: list[Any], assertions: dict[str, Any]) -> list[Any]:
    """The enum values that break an assertion beside them: no instance can take them."""
    return [value for value in values if not _meets(value, assertions)]


def _meets(value: Any, assertions: dict[str, Any]) -> bool:
    if isinstance(value, str):
        low, high, pattern = (assertions.get(k) for k in _STRING_ASSERTIONS)
        if isinstance(low, int) and len(value) < low:
            return False
        if isinstance(high, int) and len(value) > high:
            return False
        try:
            return not isinstance(pattern, str) or re.search(pattern, value) is not None
        except re.error:
            return True  # a pattern Python cannot read is reported where it is used
    if isinstance(value, int | float) and not isinstance(value, bool):
        bounds = {
            key: bound
            for key in _NUMBER_ASSERTIONS
            if isinstance(bound := assertions.get(key), int | float) and not isinstance(bound, bool)
        }
        return (
            value >= bounds.get("minimum", value)
            and value <= bounds.get("maximum", value)
            and ("exclusiveMinimum" not in bounds or value > bounds["exclusiveMinimum"])
            and ("exclusiveMaximum" not in bounds or value < bounds["exclusiveMaximum"])
            and (not bounds.get("multipleOf") or (value / bounds["multipleOf"]).is_integer())
        )
    return True


def schema_docs(schema: Any) -> SchemaDocs | None:
    """The documentation keywords of a schema, None when it has none."""
    if not isinstance(schema, dict):
        return None
    examples = schema.get("examples")
    docs = SchemaDocs(
        title=text_of(schema, "title"),
        description=text_of(schema, "description"),
        examples=tuple(examples) if isinstance(examples, list) else (),
        deprecated=schema.get("deprecated") is True,
        read_only=schema.get("readOnly") is True,
        write_only=schema.get("writeOnly") is True,
        extra=schema_extra(schema),
    )
    return None if docs == SchemaDocs() else docs


def default_docs(schema: Any) -> SchemaDocs | None:
    """A schema's `default` as documentation (JSON Schema: an annotation), None without one.

    Where a Python default says it (a field, a parameter), that one is the value and this is
    dropped; everywhere else (array items, map values, response headers...) the annotation is
    all there is."""
    if not isinstance(schema, dict) or "default" not in schema:
        return None
    return SchemaDocs(extra={"default": schema["default"]})


def without_default(type_: TypeRef) -> TypeRef:
    """`type_` without the `default` its schema documents (`default_docs`): for a parameter,
    whose own default says it."""
    docs = type_.docs if not isinstance(type_, NoneType) else None
    if docs is None or "default" not in docs.extra:
        return type_
    extra = {key: value for key, value in docs.extra.items() if key != "default"}
    trimmed = msgspec.structs.replace(docs, extra=extra)
    return msgspec.structs.replace(type_, docs=None if trimmed == SchemaDocs() else trimmed)


def with_docs(model: Model, schema: dict[str, Any], key: str, wire_name: str | None) -> Model:
    examples = schema.get("examples")
    extra = {k: v for k, v in schema_extra(schema).items() if k != "externalDocs"}
    if "default" in schema:  # an annotation of the model's schema, as written
        extra["default"] = schema["default"]
    for keyword in ("readOnly", "writeOnly"):
        if schema.get(keyword) is True:
            extra[keyword] = True
    if model.kind in ("enum", "struct", "union") and isinstance(schema.get("format"), str):
        extra["format"] = schema["format"]  # a format its type does not take: an annotation
    if model.kind == "enum":  # assertions beside the values: each value meets them or is dead
        extra.update(enum_assertions(schema))
    if model.kind == "union" and _requires_tag_only(schema):
        extra["required"] = schema["required"]  # each member's tag: decoding needs it too
    if model.kind == "struct" and isinstance(schema.get("discriminator"), dict):
        # on a plain object (a Swagger 2.0 base type) it picks no member: documentation
        extra["discriminator"] = schema["discriminator"]
    return msgspec.structs.replace(
        model,
        pointer=key,
        wire_name=wire_name,
        title=text_of(schema, "title"),
        description=text_of(schema, "description"),
        deprecated=schema.get("deprecated") is True,
        examples=tuple(examples) if isinstance(examples, list) else (),
        external_docs=external_docs(schema),
        extra=extra,
    )


def _requires_tag_only(schema: dict[str, Any]) -> bool:
    """A union's `required` naming its discriminator's property alone (no properties of its
    own): every member's payload must carry the tag, as decoding a tagged union needs."""
    discriminator = schema.get("discriminator")
    name = discriminator.get("propertyName") if isinstance(discriminator, dict) else None
    return schema.get("required") == [name] and not schema.get("properties")


def replace_field(node: Field, **changes: Any) -> Field:
    return msgspec.structs.replace(node, **changes)


def drop_none(type_: TypeRef) -> TypeRef:
    if isinstance(type_, UnionType):
        return union_of([m for m in type_.members if not isinstance(m, NoneType)])
    return AnyType() if isinstance(type_, NoneType) else type_


def is_scalar(value: Any) -> bool:
    return value is None or isinstance(value, str | int | float | bool)


def enum_type_of(values: list[Any]) -> Literal["str", "int", "float"] | None:
    """'str' or 'int' when the non-null values make a Python Enum, 'float' when they are
    numbers and one is not an int (a NumberEnum: Literal holds no float); None otherwise."""
    present = [v for v in values if v is not None]
    if present and all(isinstance(v, str) for v in present):
        return "str"
    if present and all(isinstance(v, int) and not isinstance(v, bool) for v in present):
        return "int"
    if present and all(isinstance(v, int | float) and not isinstance(v, bool) for v in present):
        return "float"
    return None


def is_typed(schema: dict[str, Any]) -> bool:
    keys = (
        *("$ref", "type", "enum", "const", "items", "prefixItems", "properties"),
        *("oneOf", "anyOf", "allOf"),
    )
    return any(key in schema for key in keys)


_ANNOTATION_KEYS = ANNOTATION_KEYWORDS | {"discriminator"}


def annotations_only(schema: dict[str, Any]) -> bool:
    return all(key in _ANNOTATION_KEYS or key.startswith("x-") for key in schema)


def infer_types(schema: dict[str, Any]) -> list[str]:
    if any(k in schema for k in ("properties", "additionalProperties", "required")):
        return ["object"]
    if any(k in schema for k in ("items", "prefixItems", "minItems", "maxItems", "uniqueItems")):
        return ["array"]
    if any(k in schema for k in ("minLength", "maxLength", "pattern", "format")):
        return ["string"]
    if any(k in schema for k in ("minimum", "maximum", "exclusiveMinimum", "multipleOf")):
        return ["number"]
    return []


def hint_from_pointer(pointer: str) -> str:
    """A wanted model name for a schema known only by its location."""
    segments = [s.replace("~1", "/").replace("~0", "~") for s in pointer.split("/") if s]
    skip = {"components", "schemas", "properties", "content", "schema", "paths", "items"}
    useful = [s for s in segments if s not in skip][-3:]
    return pascal_name(" ".join(useful) or "Schema")


def unalias(type_: TypeRef, models: Mapping[str, Model]) -> TypeRef:
    """`type_` with refs to alias models replaced by their targets (outermost only)."""
    seen: set[str] = set()
    while isinstance(type_, ModelRef) and type_.name not in seen:
        model = models.get(type_.name)
        if model is None or model.kind != "alias" or model.target is None:
            break
        seen.add(type_.name)
        type_ = model.target
    return type_


def overrides_as_subtype(
    field: Field, base: Field, models: Mapping[str, Model] | None = None
) -> bool:
    """Whether `field`, redeclared in a subclass, is typed as (part of) the `base` field's type.

    A subclass field of another type (an allOf narrowing an inherited enum to its own) is
    fine for msgspec but not for mypy, which requires an override to be a subtype. A literal
    or an enum of `models` narrows the type of its values (`Literal["a"]`, a StrEnum: a str).
    """

    def shape(item: Field) -> frozenset[tuple[Any, ...]]:
        unset = not item.required and not item.has_default  # rendered `| UnsetType`
        return item.type.shape() | ({("unset",)} if unset else set())

    own, inherited = shape(field), shape(base)
    if ("any",) in inherited or own == {("any",)} or own <= inherited:
        return True
    return {_value_type(part, models or {}) for part in own} <= inherited


def _value_type(part: tuple[Any, ...], models: Mapping[str, Model]) -> tuple[Any, ...]:
    """The primitive shape a literal value or an enum model's values are of (else `part`)."""
    if part[0] == "literal" and isinstance(part[1], bool | int | str):
        return ("primitive", type(part[1]).__name__)
    model = models.get(part[1]) if part[0] == "model" else None
    if model is not None and model.kind == "enum" and model.enum_type in ("str", "int"):
        return ("primitive", model.enum_type)
    return part
