"""Turn canonical (3.1) JSON schemas into TypeRefs and Models.

Models are keyed by the JSON pointer of their schema while building; names are given at the
end (naming is global and needs every model). Which schemas become models:
- every entry of components/schemas (struct, enum, union or alias);
- inline schemas that need a name: objects with properties (or allOf of objects), str/int
  enums, and oneOf/anyOf with a discriminator. Other inline unions stay `UnionType`s.

Over 500 lines: one builder whose methods share its state (models by pointer, the pointers
being read, warnings); each keyword family is one method, the types themselves live in ir_types.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import msgspec
from msgspec import UNSET

from .all_of_members import inline_members
from .beside_union import beside_union_docs
from .errors import Report, join_pointer
from .formats import constraints_for, primitive_for
from .ir import (
    AnyType,
    Constraints,
    Discriminator,
    Field,
    ListType,
    LiteralType,
    MapType,
    Model,
    ModelRef,
    NoneType,
    PrimitiveType,
    SchemaDocs,
    TupleType,
    TypeRef,
    UnionType,
    docs_over,
    documented,
    is_nullable,
    undocumented,
    union_of,
)
from .loader import is_missing, resolve_pointer, split_ref
from .naming import pascal_name
from .schema_utils import (
    annotations_only,
    component_name,
    dead_values,
    default_docs,
    distinct,
    documented_keywords,
    drop_none,
    enum_assertions,
    enum_model,
    enum_outside_type,
    enum_type_of,
    external_docs,
    hint_from_pointer,
    infer_types,
    is_scalar,
    is_typed,
    name_fields,
    overrides_as_subtype,
    replace_field,
    schema_docs,
    types_of,
    unalias,
    with_docs,
)
from .shared_union import all_of_union, beside_union
from .union_shapes import items_into_members, kept_as_written, no_value_valid
from .walk import as_dict
from .wrapped import wrapped_all_of, wrapped_docs

__all__ = ["SchemaBuilder", "external_docs"]

_UNSUPPORTED = (
    "not",
    "if",
    "then",
    "else",
    "patternProperties",
    "dependentSchemas",
    "dependentRequired",
    "unevaluatedProperties",
    "unevaluatedItems",
    "contains",
    "minContains",
    "maxContains",
    "propertyNames",
    "$dynamicRef",
)

_MAX_DEPTH = 64
_JSON_TYPES = ("object", "array", "string", "number", "boolean", "null")  # integer is a number


def _warn_documented(report: Report, pointer: str, documented: dict[str, Any]) -> None:
    """What `documented_keywords` carries, reported: said, not checked."""
    keywords = ", ".join(f"'{keyword}'" for keyword in documented)
    report.warn(pointer, f"{keywords} cannot be checked; documented as written, not checked")


class SchemaBuilder:
    """Build TypeRefs for schemas of one canonical document, creating Models on the way."""

    def __init__(self, doc: dict[str, Any], report: Report) -> None:
        self.doc = doc
        self.report = report
        self.models: dict[str, Model] = {}  # key (schema pointer) -> model
        self.wanted: dict[str, tuple[str, str]] = {}  # key -> (wanted name, stable order)
        self.nullable_models: set[str] = set()
        self._building: set[str] = set()
        self._inline_refs: set[str] = set()
        self._depth = 0
        self.ignored_siblings: dict[str, dict[str, Any]] = {}  # by pointer: beside a 3.0 $ref
        self._deferred: dict[str, tuple[dict[str, Any], str]] = {}  # allOf of a model in making

    # -- entry points -----------------------------------------------------------------------

    def build_components(self) -> None:
        """A model for every entry of components/schemas."""
        schemas = self.doc.get("components", {}).get("schemas")
        if not isinstance(schemas, dict):
            return
        for name in schemas:
            self.ref_type(join_pointer("/components/schemas", name))
        self._complete_deferred()

    def _complete_deferred(self) -> None:
        """Build again the allOf models whose member was still being built when they were
        (reached from it through properties: `Thing.image` -> `Image`, an allOf of `Media`,
        which is an allOf of `Thing`); the members are complete now."""
        pending, self._deferred = self._deferred, {}
        for key, (schema, wanted) in pending.items():
            del self.models[key]
            self.model_for(key, schema, wanted, wire_name=component_name(key))

    def type_of(self, schema: Any, pointer: str, hint: str) -> TypeRef:
        """The type of `schema` at `pointer`; `hint` names the model it may need."""
        if schema is True or schema == {}:
            return AnyType()
        if not isinstance(schema, dict):
            self.report.warn(pointer, "a schema is not an object; typed as Any")
            return AnyType()
        if self._depth > _MAX_DEPTH:
            self.report.warn(pointer, "schema nested too deeply; typed as Any")
            return AnyType()
        self._depth += 1
        try:
            type_ = self._type_of(schema, pointer, hint)
        finally:
            self._depth -= 1
        if "$ref" in schema or not self._needs_model(schema):  # a model documents itself
            type_ = documented(type_, schema_docs(schema))
            type_ = documented(type_, _format_annotation(schema, type_))
            type_ = documented(type_, default_docs(schema))
            type_ = documented(type_, self._type_beside_ref(schema))
            type_ = documented(type_, beside_union_docs(schema, pointer, self.report))
        return type_

    def _type_of(self, schema: dict[str, Any], pointer: str, hint: str) -> TypeRef:
        if "$ref" in schema:
            self._check_ref_siblings(schema, pointer)
            return self.ref_type(split_ref(str(schema["$ref"]))[1])
        documented = documented_keywords(schema)
        if documented and not self._needs_model(schema):  # else: model_for
            _warn_documented(self.report, pointer, documented)
        for keyword in _UNSUPPORTED:
            if keyword in schema and keyword not in documented:
                self.report.warn_grouped(
                    f"keyword:{keyword}", pointer, f"'{keyword}' is not supported; ignored"
                )
        self._warn_null_outside_type(schema, pointer)
        if self._needs_model(schema):
            ref = self.model_for(pointer, schema, hint)
            return union_of([ref, NoneType()]) if self._admits_null(schema) else ref
        return self._plain(schema, pointer, hint)

    def _warn_null_outside_type(self, schema: dict[str, Any], pointer: str) -> None:
        """An `enum` holding null beside a `type` that admits no null (3.0: no `nullable:
        true`): no instance can be that value, a spec defect. Read as nullable, reported."""
        enum, kinds = schema.get("enum"), types_of(schema)
        if isinstance(enum, list) and None in enum and kinds and "null" not in kinds:
            self.report.warn(
                pointer,
                f"enum holds null but type {schema.get('type')!r} does not admit null: "
                "read as nullable",
            )

    def ref_type(self, target: str) -> TypeRef:
        """The type a `$ref` to `target` stands for."""
        name = component_name(target)
        schema = resolve_pointer(self.doc, target)
        if is_missing(schema):
            self.report.warn(target, "unresolvable schema $ref; typed as Any")
            return AnyType()
        if name is not None or self._needs_model(schema) or target in self.models:
            wanted = pascal_name(name) if name is not None else hint_from_pointer(target)
            ref = self.model_for(target, schema, wanted, wire_name=name)
            return union_of([ref, NoneType()]) if target in self.nullable_models else ref
        if target in self._inline_refs:
            self.report.warn(target, "recursive inline schema; typed as Any")
            return AnyType()
        self._inline_refs.add(target)
        try:
            return self.type_of(schema, target, hint_from_pointer(target))
        finally:
            self._inline_refs.discard(target)

    def model_for(
        self, key: str, schema: Any, wanted: str, *, wire_name: str | None = None
    ) -> ModelRef:
        """The model of the schema at `key`, built once."""
        if key in self.models or key in self._building:
            return ModelRef(key)
        self._building.add(key)
        self.wanted[key] = (wanted, f"{0 if wire_name is not None else 1}{key}")
        if isinstance(schema, dict) and self._admits_null(schema):
            self.nullable_models.add(key)
        try:
            model = self._model(key, as_dict(schema), wanted)
        finally:
            self._building.discard(key)
        docs = as_dict(schema)
        documented = documented_keywords(docs)
        if documented:
            _warn_documented(self.report, key, documented)
        model = with_docs(model, docs, key, wire_name)
        if model.kind == "struct" and self._says_no_type(docs):
            model = msgspec.structs.replace(model, untyped=True)
        if key in self.nullable_models:
            model = msgspec.structs.replace(model, nullable=True)
        self.models[key] = model
        return ModelRef(key)

    # -- decisions ----------------------------------------------------------------------------

    def _enum_as_written(
        self, schema: dict[str, Any], pointer: str, hint: str, why: str
    ) -> TypeRef:
        """A schema whose `enum` no Python type can check (`why`: values outside its `type`,
        or objects and arrays only): typed by its `type` (what the values are read as), the
        enum documented as written but not checked (reported)."""
        self.report.warn(
            pointer,
            f"enum {schema['enum']!r} {why}: typed by its type, the enum documented as "
            "written (not checked)",
        )
        rest = {key: value for key, value in schema.items() if key != "enum"}
        return documented(
            self._type_of(rest, pointer, hint), SchemaDocs(extra={"enum": schema["enum"]})
        )

    def _needs_model(self, schema: Any) -> bool:
        if not isinstance(schema, dict):
            return False
        if "$ref" in schema:
            return False
        variants = schema.get("oneOf") or schema.get("anyOf")
        if isinstance(variants, list):
            # a discriminated union, or one of objects only (an UntaggedUnion needs a name)
            discriminated = isinstance(schema.get("discriminator"), dict)
            return (
                discriminated
                or _objects_only(variants)
                or _is_closed_union(schema)
                or kept_as_written(schema, variants, self._resolve)
            )
        if isinstance(schema.get("allOf"), list):
            return self._all_of_is_object(schema)
        if isinstance(schema.get("enum"), list) and "const" not in schema:
            if enum_outside_type(schema):  # typed by its type: see _enum_as_written
                return isinstance(schema.get("properties"), dict) and bool(schema["properties"])
            return enum_type_of(schema["enum"]) is not None
        if _float_const(schema):
            return True
        if _empty_closed_object(schema):  # `{}` exactly: a struct that forbids every key
            return True
        return _object_properties(schema)

    def _admits_null(self, schema: dict[str, Any]) -> bool:
        enum = schema.get("enum")
        return "null" in types_of(schema) or (isinstance(enum, list) and None in enum)

    def _all_of_is_object(self, schema: dict[str, Any], seen: frozenset[int] = frozenset()) -> bool:
        """True when allOf builds a new object; `allOf: [$ref]` + annotations is just the ref."""
        if isinstance(schema.get("properties"), dict) and schema["properties"]:
            return True
        if id(schema) in seen:  # allOf that reaches itself: no object comes of it
            return False
        seen = seen | {id(schema)}
        parts = [part for part in schema["allOf"] if isinstance(part, dict)]
        meaningful = [part for part in parts if not annotations_only(part)]
        if len(meaningful) == 1 and "$ref" in meaningful[0]:
            return False
        for part in meaningful:
            target = self._resolve(part)
            if isinstance(target.get("properties"), dict) and target["properties"]:
                return True
            if isinstance(target.get("allOf"), list) and self._all_of_is_object(target, seen):
                return True
        return False

    def _type_beside_ref(self, schema: dict[str, Any]) -> SchemaDocs | None:
        """`type: object` beside `allOf: [$ref X]` (and annotations), X an object schema:
        said beside the ref, as written (where X says no type, any non-object is valid by
        it, so this restricts X; where X says it too, a reader of the ref alone, as in a
        cycle, still sees it). None for any other schema."""
        parts = schema.get("allOf")
        if schema.get("type") != "object" or not isinstance(parts, list):
            return None
        rest = {key: value for key, value in schema.items() if key not in ("allOf", "type")}
        if rest.get("properties") == {}:  # no property named: nothing said
            del rest["properties"]
        meaningful = [p for p in parts if not isinstance(p, dict) or not annotations_only(p)]
        if not annotations_only(rest) or len(meaningful) != 1:
            return None
        (part,) = meaningful
        if not isinstance(part, dict) or "$ref" not in part:
            return None
        target = self._resolve(part)
        if not (isinstance(target.get("properties"), dict) and target["properties"]) and not (
            isinstance(target.get("allOf"), list) and self._all_of_is_object(target)
        ):
            return None
        return SchemaDocs(extra={"type": schema["type"]})

    def _resolve(self, schema: dict[str, Any]) -> dict[str, Any]:
        seen = 0
        while "$ref" in schema and seen < 32:
            target = resolve_pointer(self.doc, split_ref(str(schema["$ref"]))[1])
            if not isinstance(target, dict):
                return {}
            schema, seen = target, seen + 1
        return schema

    def _check_ref_siblings(self, schema: dict[str, Any], pointer: str) -> None:
        structural = [
            key
            for key in ("properties", "items", "allOf", "oneOf", "anyOf", "enum")
            if key in schema
        ]
        if structural:
            self.report.warn(pointer, f"keywords beside $ref ignored: {', '.join(structural)}")

    # -- models -------------------------------------------------------------------------------

    def _model(self, key: str, schema: dict[str, Any], wanted: str) -> Model:
        if "$ref" in schema:  # a component that is another schema under a second name
            return self._ref_alias(key, schema, wanted)
        variants = schema.get("oneOf") if "oneOf" in schema else schema.get("anyOf")
        if isinstance(variants, list):
            return self._union_model(key, schema, variants, wanted)
        if isinstance(schema.get("allOf"), list) and self._all_of_is_object(schema):
            return self._all_of_model(key, schema, wanted)
        enum = schema.get("enum")
        if (
            isinstance(enum, list)
            and "const" not in schema
            and enum_type_of(enum) is not None
            and not enum_outside_type(schema)
        ):
            dead = dead_values(enum, enum_assertions(schema))
            if dead:
                self.report.warn(
                    key,
                    f"enum values {dead!r} break the assertions beside them, so no instance can "
                    "take them; kept as written",
                )
            return enum_model(key, enum, self.report, number=_any_number(schema))
        if _float_const(schema):  # Literal holds no float: a NumberEnum of one value
            return enum_model(key, [schema["const"]], self.report, number=True)
        if _object_properties(schema):
            return self.struct_model(key, schema, wanted, [(key, schema)])
        target = self._plain(schema, key, wanted)
        if isinstance(target, NoneType):  # `type: null`: the alias is None itself
            self.nullable_models.discard(key)
            return Model(name=wanted, kind="alias", pointer=key, target=target)
        if isinstance(target, UnionType) and any(isinstance(m, NoneType) for m in target.members):
            self.nullable_models.add(key)  # the alias drops None: every use of it adds it back
        if _empty_closed_object(schema):  # `{}` exactly: an empty struct
            return Model(name=wanted, kind="struct", pointer=key, forbid_unknown_fields=True)
        target = documented(drop_none(target), self._type_beside_ref(schema))
        # kept as the allOf written around it (a component admitting null: read as before)
        wrapper = None if key in self.nullable_models else wrapped_all_of(schema, target)
        return Model(name=wanted, kind="alias", pointer=key, target=target, wrapped=wrapper)

    def _ref_alias(self, key: str, schema: dict[str, Any], wanted: str) -> Model:
        """An alias of the schema `$ref` names, unless the chain of refs comes back to `key`
        (a schema defined as itself says nothing: any value, reported)."""
        seen, target = {key}, schema
        while isinstance(target, dict) and "$ref" in target:
            pointer = split_ref(str(target["$ref"]))[1]
            if pointer in seen:
                self.report.warn(key, "a chain of $refs leads back to this schema; typed as Any")
                return Model(name=wanted, kind="alias", pointer=key, target=AnyType())
            seen.add(pointer)
            target = resolve_pointer(self.doc, pointer)
        return Model(
            name=wanted, kind="alias", pointer=key, target=self.type_of(schema, key, wanted)
        )

    def _union_model(
        self, key: str, schema: dict[str, Any], variants: list[Any], wanted: str
    ) -> Model:
        word = "oneOf" if "oneOf" in schema else "anyOf"
        if "oneOf" in schema and "anyOf" in schema:
            self.report.warn(key, "both oneOf and anyOf; anyOf ignored")
        if isinstance(schema.get("properties"), dict) and schema["properties"]:
            shared = beside_union(self, key, schema, wanted)  # members extending them
            if shared is not None:
                return shared
            self.report.warn(key, f"properties beside {word} ignored")
        closed = self._closed_union(schema, key, word)
        variants = items_into_members(schema, variants)
        members = [
            self.type_of(variant, f"{key}/{word}/{i}", f"{wanted}Option{i + 1}")
            for i, variant in enumerate(variants)
        ]
        union = union_of([m for m in members if not isinstance(m, NoneType)])
        if any(isinstance(m, NoneType) for m in members):
            self.nullable_models.add(key)
        members_tuple = union.members if isinstance(union, UnionType) else (union,)
        as_written = kept_as_written(schema, variants, self._resolve)
        if as_written:
            members_tuple = tuple(members)
            self._warn_repeated(key, word, variants)
        objects = schema.get("type") == "object" and not closed  # said beside the members
        return Model(
            name=wanted,
            kind="union",
            pointer=key,
            union_members=members_tuple,
            discriminator=self._discriminator(key, schema, members_tuple),
            exclusive=word == "oneOf",
            closed=closed,
            as_written=as_written,
            objects=objects,
        )

    def _warn_repeated(self, key: str, word: str, variants: list[Any]) -> None:
        """A oneOf listing one member twice admits no value (served as written, reported)."""
        if word == "oneOf" and no_value_valid(variants):
            self.report.warn(
                key,
                "oneOf lists the same member twice, so no value is valid by exactly one of "
                "them; served as written (anyOf, or the member once, may be what is meant)",
            )

    def _closed_union(self, schema: dict[str, Any], pointer: str, word: str) -> bool:
        """`additionalProperties: false` beside a union, with no properties of its own: by JSON
        Schema it refuses every key of every member (it sees this schema's properties only)."""
        if not _is_closed_union(schema):
            return False
        self.report.warn(
            pointer,
            f"additionalProperties: false beside {word} refuses every key of every member "
            "(it applies to this schema, which has no properties); served as written "
            "(`unevaluatedProperties: false` may be what is meant)",
        )
        return True

    def _discriminator(
        self, key: str, schema: dict[str, Any], members: tuple[TypeRef, ...]
    ) -> Discriminator | None:
        spec = schema.get("discriminator")
        if not isinstance(spec, dict) or not isinstance(spec.get("propertyName"), str):
            return None
        mapping: dict[str, str] = {}
        explicit = as_dict(spec.get("mapping"))
        for value, target in explicit.items():
            ref = str(target) if str(target).startswith("#") else f"#/components/schemas/{target}"
            target_type = self.ref_type(split_ref(ref)[1])
            if isinstance(target_type, ModelRef):
                mapping[str(value)] = target_type.name
            else:
                self.report.warn(key, f"discriminator mapping {value!r} is not a model; ignored")
        mapped = set(mapping.values())
        for member in members:  # implicit mapping: the component name is the tag value
            if isinstance(member, ModelRef) and member.name not in mapped:
                name = component_name(member.name)
                if name is not None:
                    mapping.setdefault(name, member.name)
        return Discriminator(property_name=spec["propertyName"], mapping=mapping)

    def _all_of_model(self, key: str, schema: dict[str, Any], wanted: str) -> Model:
        union = all_of_union(self, key, schema, wanted)  # an object part and a oneOf
        if union is not None:
            return union
        parts = [(f"{key}/allOf/{i}", p) for i, p in enumerate(schema["allOf"])]
        refs = [(p, part) for p, part in parts if isinstance(part, dict) and "$ref" in part]
        inline = [(p, part) for p, part in parts if isinstance(part, dict) and "$ref" not in part]
        bases: tuple[str, ...] = ()
        composed: tuple[str, ...] = ()  # the struct models of the refs: kept as the allOf
        inherited: list[Field] = []
        if len(refs) == 1:
            base = self._part_type(refs[0][1], refs[0][0], wanted)
            if _excludes_null(schema):  # a member's type refuses the null the base admits
                base = drop_none(base)
            base_model = self.models.get(base.name) if isinstance(base, ModelRef) else None
            if isinstance(base, ModelRef) and base.name in self._building:
                self._deferred[key] = (schema, wanted)  # built again once the base is complete
            elif isinstance(base, ModelRef) and self._reaches(base.name, key):
                self.report.warn(key, "allOf refers back to this schema; the cycle is ignored")
            elif (
                isinstance(base, ModelRef)
                and base_model is not None
                and base_model.kind == "struct"
            ):
                bases = composed = (base.name,)
                inherited = self.all_fields(base.name)
            elif isinstance(base, ModelRef) and self._aliased_struct(base.name, key) is not None:
                struct = str(self._aliased_struct(base.name, key))
                bases, composed = (struct,), (base.name,)  # the alias is the part, as written
                inherited = self.all_fields(struct)
            else:
                inline = [self._located(refs[0][1], refs[0][0]), *inline]
        else:
            for pointer, part in refs:
                target = self._part_type(part, pointer, wanted)
                name = target.name if isinstance(target, ModelRef) else ""
                model = self.models.get(name)
                if name in self._building:
                    self._deferred[key] = (schema, wanted)  # built again once it is complete
                elif model is not None and model.kind == "struct" and not self._reaches(name, key):
                    inherited += self.all_fields(name)
                    composed += (name,)
                else:
                    self.report.warn(pointer, "allOf member is not an object schema; ignored")
        for pointer, part in inline:  # no Struct can say a union member of the object
            if any(isinstance(part.get(word), list) for word in ("oneOf", "anyOf")):
                self.report.warn(
                    pointer,
                    "a oneOf/anyOf member of an object's allOf is neither checked nor "
                    "documented; the object is served as its other members",
                )
        if len(composed) != len(refs):  # a member that is no object: the allOf cannot be kept
            composed = ()
        own = [(key, {k: v for k, v in schema.items() if k != "allOf"})]
        model = self.struct_model(key, schema, wanted, own + inline, inherited, bool(bases))
        by_wire = {field.wire_name: field for field in inherited}
        if bases and not all(
            overrides_as_subtype(field, by_wire[field.wire_name], self.models)
            for field in model.fields
            if field.wire_name in by_wire
        ):  # a field of another type than the base's: a subclass would not type-check
            model = self.struct_model(key, schema, wanted, own + inline, inherited, False)
            bases = ()
        model = msgspec.structs.replace(model, bases=bases, all_of=composed)
        members = inline_members(self, key, schema, wanted, model)  # each written as it is
        return model if members is None else msgspec.structs.replace(model, all_of=members)

    def _aliased_struct(self, name: str, key: str) -> str | None:
        """The complete struct model an alias model `name` stands for (through aliases of
        aliases), not composed of `key`: None for any other model."""
        target = unalias(ModelRef(name), self.models)
        found = target.name if isinstance(target, ModelRef) else name
        model = self.models.get(found)
        if model is None or model.kind != "struct" or found == name:
            return None
        if found in self._building or self._reaches(found, key):
            return None
        return found

    def _part_type(self, part: dict[str, Any], pointer: str, wanted: str) -> TypeRef:
        """The type of an allOf member `$ref`; a nullable object model is the model: null is
        the object's in the member only, the allOf's own `type` and other members say whether
        the composition admits it (its model's own `nullable`)."""
        type_ = self.type_of(part, pointer, wanted)
        if isinstance(type_, UnionType) and len(type_.members) == 2:
            ref, none = type_.members
            nullable = isinstance(ref, ModelRef) and ref.name in self.nullable_models
            if nullable and isinstance(none, NoneType):
                return ref
        return type_

    def all_of_is_object(self, schema: dict[str, Any]) -> bool:
        """Whether an `allOf` schema builds an object (a model of its own)."""
        return self._all_of_is_object(schema)

    def complete_struct(self, name: str, key: str) -> bool:
        """Whether the struct model `name` is complete and not composed of `key`."""
        return name not in self._building and not self._reaches(name, key)

    def _reaches(self, start: str, key: str) -> bool:
        """Whether the model `start` is composed of `key` (its bases and allOf parts, deep)."""
        seen: set[str] = set()
        stack = [start]
        while stack:
            name = stack.pop()
            if name == key:
                return True
            model = self.models.get(name)
            if name not in seen and model is not None:
                seen.add(name)
                stack += [*model.bases, *model.all_of]
        return False

    def unalias(self, type_: TypeRef) -> TypeRef:
        """`type_` with refs to alias models replaced by their targets (outermost only)."""
        return unalias(type_, self.models)

    def all_fields(self, key: str) -> list[Field]:
        """Fields of a struct model including those of its bases (overrides applied)."""
        model = self.models.get(key)
        if model is None or model.kind != "struct":
            return []
        fields: dict[str, Field] = {}
        for base in model.bases:
            for field in self.all_fields(base):
                fields[field.wire_name] = field
        for field in model.fields:
            fields[field.wire_name] = field
        return list(fields.values())

    def struct_model(
        self,
        key: str,
        schema: dict[str, Any],
        wanted: str,
        parts: list[tuple[str, dict[str, Any]]],
        inherited: list[Field] | None = None,
        has_base: bool | None = None,
    ) -> Model:
        """A struct from the properties of `parts` (schema itself, inline allOf parts); with
        `inherited`, the fields of a base it extends (its own fields only; `has_base` says
        otherwise where they are only merged in)."""
        if has_base is None:
            has_base = inherited is not None
        inherited = inherited or []
        required: set[str] = set()
        own: dict[str, Field] = {}
        for pointer, part in self._flatten(parts):
            if isinstance(part.get("required"), list):
                required.update(str(name) for name in part["required"])
            properties = part.get("properties")
            if not isinstance(properties, dict):
                continue
            for wire, prop in properties.items():
                prop_pointer = join_pointer(pointer, "properties", wire)
                hint = pascal_name(f"{wanted} {wire}")
                own[wire] = self._field(wire, prop, prop_pointer, hint)
        fields: dict[str, Field] = {} if has_base else {f.wire_name: f for f in inherited}
        fields.update(own)
        base_by_wire = {f.wire_name: f for f in inherited}
        # a property a base requires stays required where a part declares it again (allOf)
        required.update(w for w in own if w in base_by_wire and base_by_wire[w].required)
        extra = schema.get("additionalProperties")
        for wire in sorted(required):
            if wire in fields:
                fields[wire] = replace_field(fields[wire], required=True)
            elif wire in base_by_wire:  # a base's optional field made required here
                fields[wire] = replace_field(base_by_wire[wire], required=True)
            elif extra is False:  # required and forbidden: no value is valid, as written
                self.report.warn(
                    key,
                    f"required property {wire!r} is forbidden by additionalProperties: false, so "
                    "no value of this schema is valid; served as written (typed Nothing)",
                )
                field = self._field(wire, {}, f"{key}/required", pascal_name(f"{wanted} {wire}"))
                field = msgspec.structs.replace(field, type=PrimitiveType("nothing"))
                fields[wire] = own[wire] = replace_field(field, required=True)
            else:  # the key must be there, with whatever value extra keys may have
                self.report.warn(key, f"required property {wire!r} is not defined; any value")
                value = extra if isinstance(extra, dict) else {}
                hint = pascal_name(f"{wanted} {wire}")
                field = self._field(wire, value, f"{key}/required", hint)
                fields[wire] = own[wire] = replace_field(field, required=True)
        for wire, field in fields.items():
            if wire not in required and field.required and wire in own:
                fields[wire] = replace_field(field, required=False)
        extra_type = None
        if isinstance(extra, dict) and extra:  # typed extra keys: kept, each value checked
            extra_type = self.type_of(extra, f"{key}/additionalProperties", f"{wanted}Value")
        bounds = constraints_for(schema, "object", key, self.report)
        taken = {f.wire_name: f.name for f in inherited}
        named = name_fields(list(fields.values()), taken if has_base else {})
        return Model(
            name=wanted,
            kind="struct",
            pointer=key,
            fields=tuple(named),
            forbid_unknown_fields=extra is False,
            extra_fields=extra_type,
            property_bounds=(bounds.min_length, bounds.max_length) if bounds else None,
        )

    def _flatten(
        self, parts: list[tuple[str, dict[str, Any]]], seen: frozenset[int] = frozenset()
    ) -> list[tuple[str, dict[str, Any]]]:
        """`parts` followed by the allOf parts nested in them (refs followed), in order."""
        flat: list[tuple[str, dict[str, Any]]] = []
        for pointer, part in parts:
            if id(part) in seen:
                continue
            seen = seen | {id(part)}
            flat.append((pointer, part))
            nested = part.get("allOf")
            if isinstance(nested, list):
                inner = [
                    self._located(p, f"{pointer}/allOf/{i}")
                    for i, p in enumerate(nested)
                    if isinstance(p, dict)
                ]
                flat += self._flatten(inner, seen)
        return flat

    def _says_no_type(self, schema: dict[str, Any]) -> bool:
        """No part of an object schema (itself, its allOf parts, refs followed) says `type`:
        its keywords check objects only, and any other JSON value is valid as well."""
        return not any("type" in part for _, part in self._flatten([("", schema)]))

    def _located(self, schema: dict[str, Any], pointer: str) -> tuple[str, dict[str, Any]]:
        """A schema with `$ref`s followed, and the pointer where it really lives."""
        hops = 0
        while "$ref" in schema and hops < 32:
            pointer = split_ref(str(schema["$ref"]))[1]
            schema, hops = as_dict(resolve_pointer(self.doc, pointer)), hops + 1
        return pointer, schema

    def _field(self, wire: str, prop: Any, pointer: str, hint: str) -> Field:
        prop = as_dict(prop)
        type_ = self.type_of(prop, pointer, hint)
        # a `$ref` to a schema with no model of its own: that schema's docs are the property's
        target_docs = None
        if "$ref" in prop and not isinstance(type_, ModelRef | NoneType):
            target_docs = type_.docs
        if "$ref" in prop or not self._needs_model(prop):
            unchecked = None if "$ref" in prop else _unchecked_assertions(type_)
            type_ = undocumented(type_)  # the field carries the property's docs itself
            if enum_outside_type(prop) or _structured_only(prop):  # an enum it cannot check
                type_ = documented(type_, SchemaDocs(extra={"enum": prop["enum"]}))
            type_ = documented(type_, unchecked)  # nor assertions documented, not checked
        docs = docs_over(target_docs, schema_docs(prop) or SchemaDocs())
        # kept, not checked (reported by type_of, unless the union is a model of its own)
        beside = beside_union_docs(prop, pointer, self.report if self._needs_model(prop) else None)
        for annotation in (_format_annotation(prop, type_), self._type_beside_ref(prop), beside):
            if annotation is not None:
                docs = msgspec.structs.replace(docs, extra={**docs.extra, **annotation.extra})
        wrapper = wrapped_all_of(prop, type_)
        if wrapper is not None:  # kept as the allOf written around the type
            member = self._wrapped_member(prop)
            docs = wrapped_docs(prop, docs, member, pointer, self.report)
        # a default that is no value of the type (outside an enum...) is still documented:
        # the models plan keeps it out of Python and reports it
        default = prop.get("default", UNSET)
        return Field(
            name=wire,
            wire_name=wire,
            type=type_,
            required=False,
            nullable=is_nullable(type_),
            default=default,
            description=docs.description,
            examples=docs.examples,
            deprecated=docs.deprecated,
            read_only=docs.read_only,
            write_only=docs.write_only,
            title=docs.title,
            extra=docs.extra,
            pointer=pointer,
            comment=_ignored_description(self.ignored_siblings.get(pointer)),
            all_of=wrapper,
        )

    def _wrapped_member(self, prop: dict[str, Any]) -> Callable[[], dict[str, Any]]:
        """The typed member of a property's allOf, resolved when asked."""
        parts = [p for p in prop["allOf"] if isinstance(p, dict) and not annotations_only(p)]
        return lambda: self._resolve(parts[0]) if parts else {}

    # -- plain types --------------------------------------------------------------------------

    def _plain(self, schema: dict[str, Any], pointer: str, hint: str) -> TypeRef:
        """The type of a schema that needs no model of its own."""
        if "const" in schema:
            return LiteralType((schema["const"],)) if is_scalar(schema["const"]) else AnyType()
        if enum_outside_type(schema):
            why = f"holds values that are not of type {schema['type']!r}"
            return self._enum_as_written(schema, pointer, hint, why)
        enum = schema.get("enum")
        if isinstance(enum, list):
            scalars = distinct([v for v in enum if is_scalar(v)])
            if _structured_only(schema):
                why = "holds objects or arrays, which cannot be checked"
                return self._enum_as_written(schema, pointer, hint, why)
            return self._literal(scalars, pointer) if scalars else AnyType()
        if schema.get("properties") and not _object_properties(schema):
            self.report.warn(
                pointer, "properties beside a type that is not object never apply; ignored"
            )
        variants = schema.get("oneOf") if "oneOf" in schema else schema.get("anyOf")
        if isinstance(variants, list):
            word = "oneOf" if "oneOf" in schema else "anyOf"
            variants = items_into_members(schema, variants)
            return union_of(
                [
                    self.type_of(v, f"{pointer}/{word}/{i}", f"{hint}Option{i + 1}")
                    for i, v in enumerate(variants)
                ]
            )
        if isinstance(schema.get("allOf"), list):
            return self._all_of_plain(schema, pointer, hint)
        kinds = types_of(schema)
        if kinds:
            return union_of([self._typed(schema, kind, pointer, hint) for kind in kinds])
        inferred = infer_types(schema)
        if inferred == ["string"] and _format_alone(schema):
            self.report.warn_grouped(
                f"format-alone:{schema['format']}",
                pointer,
                f"format {schema['format']!r} without 'type' annotates any value; documented "
                "as written, not checked",
            )
            return AnyType()  # the format is documented beside it (_format_annotation)
        return self._untyped(schema, inferred[0], pointer, hint) if inferred else AnyType()

    def _literal(self, values: tuple[Any, ...], pointer: str) -> TypeRef:
        """One of `values`; floats beside other kinds cannot be checked (Literal holds no float
        and msgspec unions take no NumberEnum beside other types): any number, reported."""
        floats = [v for v in values if isinstance(v, float)]
        if not floats:
            return LiteralType(values)
        self.report.warn(
            pointer,
            f"enum mixes the numbers {floats!r} with other kinds of value: they cannot be "
            "checked, so any number is accepted there",
        )
        rest = tuple(v for v in values if not isinstance(v, int | float) or isinstance(v, bool))
        number = PrimitiveType("float")
        return union_of([LiteralType(rest), number]) if rest else number

    def _untyped(self, schema: dict[str, Any], kind: str, pointer: str, hint: str) -> TypeRef:
        """Keywords of one kind without `type`: they check values of that kind only (JSON
        Schema), so any other JSON value is valid as it is; the type says so."""
        self.report.warn(
            pointer,
            f"no 'type' beside {kind} keywords: any other JSON value is valid too; typed as a "
            f"union of every JSON type (add `type: {kind}` to the spec if only that is meant)",
        )
        others = [self._typed({}, other, pointer, hint) for other in _JSON_TYPES if other != kind]
        own = self._typed(schema, kind, pointer, hint)
        if isinstance(own, MapType) and isinstance(schema.get("required"), list):
            own = _required_unchecked(own, schema["required"], pointer, self.report)
        return union_of([own, *others])

    def _all_of_plain(self, schema: dict[str, Any], pointer: str, hint: str) -> TypeRef:
        """allOf of non-objects: the one typed part (`allOf: [$ref]` + annotations, usually)."""
        parts = [(f"{pointer}/allOf/{i}", p) for i, p in enumerate(schema["allOf"])]
        rest = {k: v for k, v in schema.items() if k != "allOf"}
        typed = [(p, part) for p, part in parts if isinstance(part, dict) and is_typed(part)]
        again = bool(typed) and self._says_member_type(rest, typed[0][1])
        if is_typed(rest) and self._type_beside_ref(schema) is None and not again:
            typed.append((pointer, rest))
        if not typed:
            return AnyType()
        if len(typed) > 1:
            self.report.warn(pointer, "allOf of several non-object schemas: the first is used")
        first_pointer, first = typed[0]
        if first is rest:
            return self._plain(rest, pointer, hint)
        return self.type_of(first, first_pointer, hint)

    def _says_member_type(self, rest: dict[str, Any], member: dict[str, Any]) -> bool:
        """`rest` (the keys beside an allOf) is a `type` and annotations only, and the typed
        `member` is of that type: it says the member's type again, no schema of its own."""
        if not annotations_only({key: v for key, v in rest.items() if key != "type"}):
            return False
        kinds, own = set(types_of(rest)), set(types_of(self._resolve(member)))
        return bool(kinds & own) or (not own and "$ref" in member)

    def _typed(self, schema: dict[str, Any], kind: str, pointer: str, hint: str) -> TypeRef:
        if kind == "null":
            return NoneType()
        if (
            kind == "array"
            and isinstance(schema.get("prefixItems"), list)
            and schema["prefixItems"]
        ):
            return self._tuple(schema, pointer, hint)
        if kind == "array":
            items = schema.get("items")
            item = self.type_of(items, f"{pointer}/items", f"{hint}Item") if items else AnyType()
            return ListType(item, constraints_for(schema, "array", pointer, self.report))
        if kind == "object":
            extra = schema.get("additionalProperties", True)
            if isinstance(extra, dict):
                value = self.type_of(extra, f"{pointer}/additionalProperties", f"{hint}Value")
            else:
                value = AnyType()
            return MapType(value, constraints_for(schema, "object", pointer, self.report))
        return primitive_for(schema, kind, pointer, self.report)

    def _tuple(self, schema: dict[str, Any], pointer: str, hint: str) -> TypeRef:
        """`prefixItems`: a tuple, each position of its own type, of exactly that many items
        (msgspec checks the length). `items` beside it (a schema): a list of any of the item
        types, the honest type msgspec can check; positions are then not checked."""
        items = tuple(
            self.type_of(item, f"{pointer}/prefixItems/{i}", f"{hint}Item{i + 1}")
            for i, item in enumerate(schema["prefixItems"])
        )
        rest = schema.get("items", True)
        if rest is not False and rest is not True and rest != {}:
            rest_type = self.type_of(rest, f"{pointer}/items", f"{hint}Item")
            self.report.warn(
                pointer,
                "items beside prefixItems: no tuple holds further items of another type; typed "
                "as a list of any of the item types (their positions are not checked)",
            )
            constraints = constraints_for(schema, "array", pointer, self.report)
            return ListType(union_of([*items, rest_type]), constraints)
        size, low, high = len(items), schema.get("minItems", 0), schema.get("maxItems")
        longest = size if rest is False else high
        if isinstance(high, int) and isinstance(longest, int):
            longest = min(longest, high)
        if (low, longest) != (size, size):
            admitted = f"{low} or more" if longest is None else f"{low} to {longest}"
            self.report.warn(
                pointer,
                f"prefixItems is typed as a tuple of exactly {size} items; the spec admits "
                f"{admitted} (minItems, maxItems and `items: false` say how many): other "
                "lengths are refused",
            )
        return TupleType(items)


def _excludes_null(schema: dict[str, Any]) -> bool:
    """Whether an allOf admits no null whatever its `$ref` does: it (or an inline member)
    says a `type` without null, and every member must hold."""
    parts = [schema, *(p for p in schema["allOf"] if isinstance(p, dict) and "$ref" not in p)]
    return any(types_of(part) and "null" not in types_of(part) for part in parts)


def _ignored_description(siblings: dict[str, Any] | None) -> str | None:
    """The text a 2.0/3.0 document wrote beside a property's `$ref` (which that version
    ignores), for the reader of the generated field."""
    found = siblings or {}
    texts = [found[key] for key in ("title", "description") if isinstance(found.get(key), str)]
    if not texts:
        return None
    return "Beside its $ref (ignored by OpenAPI 2.0/3.0): " + "\n".join(texts)


_UNCHECKED = (
    *("minLength", "maxLength", "pattern"),
    *("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"),
)


def _unchecked_assertions(type_: TypeRef) -> SchemaDocs | None:
    """The assertions a scalar type documents without checking them (a date-time's
    `minLength`, bounds beyond int64): they are no docs of the property, so they stay."""
    if not isinstance(type_, PrimitiveType) or type_.docs is None:
        return None
    found = {key: value for key, value in type_.docs.extra.items() if key in _UNCHECKED}
    return SchemaDocs(extra=found) if found else None


def _format_annotation(schema: dict[str, Any], type_: TypeRef) -> SchemaDocs | None:
    """A `format` no member of the type takes (object, array, enum...) or holds (the scalars
    of an untyped schema typed by its object keywords): an annotation."""
    fmt = schema.get("format")
    members = type_.members if isinstance(type_, UnionType) else (type_,)
    if isinstance(fmt, str) and not any(_holds_format(member, fmt) for member in members):
        return SchemaDocs(extra={"format": fmt})
    return None


def _holds_format(member: TypeRef, fmt: str) -> bool:
    if isinstance(member, PrimitiveType):
        return member.format == fmt
    return member.takes_format


def _required_unchecked(own: MapType, required: list[Any], pointer: str, report: Report) -> MapType:
    """`required` names without `properties`, on a mapping (which keeps every key): no dict
    type checks them, so they are documented as written, not checked (reported)."""
    report.warn(
        pointer,
        "required names without properties cannot be checked on a mapping; documented as "
        "written, not checked",
    )
    kept = own.constraints.unchecked if own.constraints is not None else {}
    constraints = own.constraints or Constraints()
    unchecked = {**kept, "required": required}
    return msgspec.structs.replace(
        own, constraints=msgspec.structs.replace(constraints, unchecked=unchecked)
    )


def _format_alone(schema: dict[str, Any]) -> bool:
    """`format` is the only keyword that asks for a string: JSON Schema makes it an annotation
    (validation 7.1, 2020-12: no assertion by default), so every value is valid."""
    string_keys = ("minLength", "maxLength", "pattern", "contentEncoding", "contentMediaType")
    return isinstance(schema.get("format"), str) and not any(k in schema for k in string_keys)


def _any_number(schema: dict[str, Any]) -> bool:
    """`type: number` (not integer): an integral value may be written `5.0` too."""
    kinds = types_of(schema)
    return "number" in kinds and "integer" not in kinds


def _object_properties(schema: dict[str, Any]) -> bool:
    """Properties that apply: named, and `type` admits objects (or says nothing)."""
    kinds = types_of(schema)
    properties = schema.get("properties")
    return isinstance(properties, dict) and bool(properties) and (not kinds or "object" in kinds)


def _empty_closed_object(schema: dict[str, Any]) -> bool:
    """An object with no property named and no other key allowed: only `{}` is valid."""
    return (
        schema.get("additionalProperties") is False
        and "object" in types_of(schema)
        and not schema.get("properties")
        and not schema.get("patternProperties")
    )


def _float_const(schema: dict[str, Any]) -> bool:
    """A `const` that is a number and no int (or any number under `type: number`): Literal
    cannot hold it."""
    value = schema.get("const")
    if isinstance(value, int) and not isinstance(value, bool):
        return _any_number(schema)
    return isinstance(value, float)


def _is_closed_union(schema: dict[str, Any]) -> bool:
    """A oneOf/anyOf with `additionalProperties: false` and no properties beside it."""
    return schema.get("additionalProperties") is False and not schema.get("properties")


def _structured_only(schema: dict[str, Any]) -> bool:
    """A typed schema whose `enum` holds objects or arrays only (`enum: [{}]`)."""
    enum = schema.get("enum")
    return (
        isinstance(enum, list)
        and bool(enum)
        and not any(is_scalar(value) for value in enum)
        and bool(types_of(schema))
    )


def _objects_only(variants: list[Any]) -> bool:
    """Two or more variants, each a `$ref` or an inline object schema with properties."""
    if len(variants) < 2:
        return False
    return all(
        isinstance(v, dict)
        and ("$ref" in v or (isinstance(v.get("properties"), dict) and bool(v["properties"])))
        for v in variants
    )
