"""Make unions and aliases expressible with msgspec, after all models exist.

msgspec decodes a union only if it holds at most one str-like type (str, Enum of str,
Literal of str, date, uuid, bytes...), one int-like, one array-like and one object-like type
(any number of Structs tagged on the same field count as one). Discriminated oneOfs become
tagged Structs; other conflicts are merged into the nearest honest type (str, int,
list[A | B], dict[str, Any]) and reported. Aliases that reach themselves only through
other aliases cannot be written as module-level type aliases: the cycle is cut with Any
(alias_cycles.py).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import msgspec

from .errors import Report
from .ir import (
    AnyType,
    Constraints,
    Field,
    ListType,
    LiteralType,
    MapType,
    Model,
    ModelRef,
    PrimitiveKind,
    PrimitiveType,
    TupleType,
    TypeKind,
    TypeRef,
    UnionType,
    documented,
    union_of,
    without_none,
)
from .ir_types import STR_LIKE, literal_category
from .schema_utils import distinct, unalias

__all__ = [
    "fit_unions",
    "is_untagged_union",
    "map_types",
    "model_refs",
    "tag_unions",
    "tuple_beside_checks",
]

_MAX_DEPTH = 8
# the type a category's conflicting members merge into (a NumberEnum beside others: float)
_MERGED: dict[str, PrimitiveKind] = {"str": "str", "int": "int", "custom": "float"}


def is_untagged_union(model: Model, models: dict[str, Model]) -> bool:
    """A union model of several untagged struct models and nothing else (no discriminator),
    a closed one (`additionalProperties: false` beside it) of struct models, or one kept as
    written (`Model.as_written`: members of any type, see union_shapes).

    msgspec cannot decode it as `A | B`; the runtime's `UntaggedUnion` can (one member
    after the other), so it is generated as one rather than degraded to `dict[str, Any]`.
    A closed union needs it whatever its members: only the runtime refuses its keys.
    """
    if model.kind != "union" or len(model.union_members) < 2:
        return False
    if model.as_written:
        return True
    if model.discriminator is not None and not model.closed:
        return False
    for member in model.union_members:
        target = models.get(member.name) if isinstance(member, ModelRef) else None
        if target is None or target.kind != "struct":
            return False
        if target.tag_field is not None and not model.closed:
            return False
    return True


def tuple_beside_checks(members: Sequence[TypeRef]) -> bool:
    """A tuple and a member with value checks (bounds, lengths, a pattern) in one union: a
    union msgspec cannot build a decoder for (it crashes)."""
    tuples = [member for member in members if isinstance(member, TupleType)]
    checked = [member for member in members if _checks(member)]
    return bool(tuples) and bool(checked)


def _checks(member: TypeRef) -> bool:
    constraints = getattr(member, "constraints", None)  # of the kinds that have them
    return isinstance(constraints, Constraints) and bool(constraints.meta_kwargs())


def map_types(value: Any, fn: Callable[[TypeRef], TypeRef]) -> Any:
    """`value` (any IR node) with `fn` applied to every TypeRef in it, innermost first."""
    if isinstance(value, TypeKind):  # each kind knows its nested types
        return fn(value.map_children(lambda child: map_types(child, fn)))
    if isinstance(value, msgspec.Struct):
        changes = {}
        for name in value.__struct_fields__:
            old = getattr(value, name)
            if old.__class__ in _LEAVES or old == ():  # no type inside: not worth a call
                continue
            new = map_types(old, fn)
            if new is not old:
                changes[name] = new
        return msgspec.structs.replace(value, **changes) if changes else value
    if isinstance(value, tuple):
        items = tuple(map_types(item, fn) for item in value)
        return items if any(n is not o for n, o in zip(items, value, strict=True)) else value
    return value


# values map_types leaves as they are, known by their class alone (it runs over every node of
# the IR several times: a call per string and dict of every field was most of its cost)
_LEAVES = frozenset({str, int, float, bool, type(None), dict, list, bytes})


def model_refs(value: Any) -> set[str]:
    """Names of the models any IR node (a type, a field, a whole model...) refers to."""
    found: set[str] = set()

    def collect(type_: TypeRef) -> TypeRef:
        if isinstance(type_, ModelRef):
            found.add(type_.name)
        return type_

    map_types(tuple(value) if isinstance(value, list) else value, collect)
    return found


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


def _all_fields(model: Model, models: dict[str, Model]) -> list[Any]:
    fields: dict[str, Any] = {}
    for base in model.bases:
        if base in models:
            for field in _all_fields(models[base], models):
                fields[field.wire_name] = field
    for field in model.fields:
        fields[field.wire_name] = field
    return list(fields.values())


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


class _Fitter:
    def __init__(self, models: dict[str, Model], report: Report) -> None:
        self.models, self.report = models, report
        self._depth = 0
        self._fitted: set[str] = set()

    def categories(self, type_: TypeRef, seen: frozenset[str] = frozenset()) -> set[str]:
        """The msgspec union categories of a type's values (each kind says its own)."""
        return type_.categories(lambda name: self._model_categories(name, seen))

    def _model_categories(self, name: str, seen: frozenset[str]) -> set[str]:
        model = self.models.get(name)
        if model is None or name in seen:
            return {"any"}
        seen = seen | {name}
        if model.kind == "struct":
            return {f"object:{model.tag_field}" if model.tag_field else "object"}
        if model.kind == "enum" and model.enum_type == "float":
            return {"custom"}
        if model.kind == "enum":
            return {model.enum_type or "str"}
        if model.kind == "alias" and model.target is not None:
            return self.categories(model.target, seen)
        return set().union(*(self.categories(m, seen) for m in model.union_members))

    def conflicts(self, members: tuple[TypeRef, ...]) -> set[str]:
        counts: dict[str, int] = {}
        objects: set[str] = set()
        for member in members:
            for category in self.categories(member):
                if category.startswith("object"):
                    objects.add(category)
                    category = "object"
                counts[category] = counts.get(category, 0) + 1
        found = {c for c in ("str", "int", "array") if counts.get(c, 0) > 1}
        # a custom type (NumberEnum) may only stand beside None in a msgspec union
        if counts.get("custom") and len(set(counts) - {"null"}) > 1:
            found.add("custom")
        if counts.get("object", 0) > 1 and (len(objects) > 1 or "object" in objects):
            found.add("object")
        return found

    def fit(self, members: tuple[TypeRef, ...], pointer: str) -> TypeRef:
        members = self._untupled(self._distinct_aliases(members), pointer)
        found = self.conflicts(members)
        if not found:
            return union_of(members)
        if self._depth > _MAX_DEPTH:  # list[A | B] merging can chase recursive aliases
            return AnyType()
        self._depth += 1
        try:
            return self._fit(members, found, pointer)
        finally:
            self._depth -= 1

    def _distinct_aliases(self, members: tuple[TypeRef, ...]) -> tuple[TypeRef, ...]:
        """Members without the aliases that say what an earlier alias says (the same target,
        the same docs: `anyOf: [$ref PlayerID, $ref TeamID]`, both `integer >= 1`): one of
        them admits the same values, where msgspec would take no two ints."""
        kept: list[TypeRef] = []
        said: list[Model] = []
        for member in members:
            model = self.models.get(member.name) if isinstance(member, ModelRef) else None
            if model is None or model.kind != "alias" or model.target is None:
                kept.append(member)
                continue
            same = msgspec.structs.replace(model, name="", pointer="", wire_name=None)
            if same not in said:
                said.append(same)
                kept.append(member)
        return tuple(kept)

    def _untupled(self, members: tuple[TypeRef, ...], pointer: str) -> tuple[TypeRef, ...]:
        """Tuples beside a checked member become lists of any of their item types, reported:
        msgspec (0.23) crashes building a decoder for `tuple[A] | Annotated[B, Meta(ge=1)]`."""
        if not tuple_beside_checks([self.unalias(member) for member in members]):
            return members
        self.report.warn(
            pointer,
            "a tuple (prefixItems) beside a member with value checks cannot be decoded by "
            "msgspec; the tuple is typed as a list of any of its item types",
        )
        untupled = []
        for member in members:
            inner = self.unalias(member)
            if isinstance(inner, TupleType):
                member = ListType(union_of(inner.items), docs=inner.docs)
            untupled.append(member)
        return tuple(untupled)

    def _fit(self, members: tuple[TypeRef, ...], found: set[str], pointer: str) -> TypeRef:
        flat = self.expand(members)
        found = found | self.conflicts(tuple(flat))  # expanded unions may bring more
        slots: list[TypeRef | str] = []  # a member, or the category merged at its first place
        buckets: dict[str, list[TypeRef]] = {c: [] for c in found}
        for member in flat:
            bucket = self._bucket(member, found)
            if bucket is None:
                slots.append(member)
                continue
            if not buckets[bucket]:
                slots.append(bucket)
            buckets[bucket].append(member)
        merged: list[TypeRef] = []
        replacements = []
        for slot in slots:
            if isinstance(slot, str):
                slot, description = self._merge(slot, buckets[slot], pointer)
                replacements.append(description)
            merged.append(slot)
        message = (
            f"union with several {'/'.join(sorted(found))} members cannot be decoded by msgspec; "
            f"those members are typed as {', '.join(replacements)}"
        )
        self.report.warn(pointer, message)
        return union_of(merged)

    def expand(self, members: tuple[TypeRef, ...]) -> list[TypeRef]:
        """Members with unions (inline or union models, fitted first) flattened.

        Alias refs stay refs: their structure is not copied (it may be recursive).
        """
        flat: list[TypeRef] = []
        todo, seen = list(members), set()
        while todo:
            member = todo.pop(0)
            name = member.name if isinstance(member, ModelRef) else ""
            if name and name not in seen and name in self.models:
                self.fit_model(name)
            model = self.models.get(name)
            if model is not None and name not in seen and model.kind == "union":
                seen.add(name)
                todo[:0] = list(model.union_members)
            elif isinstance(member, UnionType):
                todo[:0] = list(member.members)
            elif isinstance(member, LiteralType):
                by_category: dict[str, list[Any]] = {}
                for value in member.values:
                    by_category.setdefault(literal_category(value), []).append(value)
                flat += [LiteralType(tuple(values)) for values in by_category.values()]
            else:
                flat.append(member)
        return flat

    def fit_model(self, key: str) -> None:
        """Fit a union model once (a union that is not expressible becomes an alias)."""
        model = self.models[key]
        if model.kind != "union" or key in self._fitted:
            return
        self._fitted.add(key)  # before fitting: a union reaching itself sees it as it is
        if is_untagged_union(model, self.models):
            return  # kept: the runtime's UntaggedUnion decodes it member by member
        fitted = self.fit(model.union_members, key)
        if isinstance(fitted, UnionType):
            self.models[key] = msgspec.structs.replace(model, union_members=fitted.members)
        else:
            self.models[key] = msgspec.structs.replace(
                model,
                kind="alias",
                target=fitted,
                union_members=(),
                discriminator=None,
                exclusive=False,
            )

    def unalias(self, type_: TypeRef) -> TypeRef:
        """`type_` with refs to alias models replaced by their targets (outermost only)."""
        return unalias(type_, self.models)

    def _fit_type(self, type_: TypeRef, pointer: str) -> TypeRef:
        if isinstance(type_, UnionType):
            return documented(self.fit(type_.members, pointer), type_.docs)
        return type_

    def _bucket(self, member: TypeRef, found: set[str]) -> str | None:
        categories = {c.split(":")[0] for c in self.categories(member)}
        for category in found:
            if category in categories:
                return category
        return None

    def _merge(self, category: str, items: list[TypeRef], pointer: str) -> tuple[TypeRef, str]:
        """The one type the members of a category merge into, and how the report names it."""
        if category in ("str", "int") and all(isinstance(i, LiteralType) for i in items):
            values = distinct([v for i in items if isinstance(i, LiteralType) for v in i.values])
            return LiteralType(values), f"Literal{list(values)}"
        if category in _MERGED:
            kind = _MERGED[category]
            return PrimitiveType(kind), kind
        if category == "array":
            arrays = [self.unalias(i) for i in items]
            inner = [
                i.item if isinstance(i, ListType) else union_of(i.items)
                for i in arrays
                if isinstance(i, ListType | TupleType)
            ]
            item = union_of(inner) if len(inner) == len(items) else AnyType()
            return ListType(map_types(item, lambda t: self._fit_type(t, pointer))), "list[...]"
        return MapType(AnyType()), "dict[str, Any]"


def fit_unions(models: dict[str, Model], report: Report) -> Callable[[Any, str], Any]:
    """Fit union models in place; return a function fitting the unions inside any IR node."""
    fitter = _Fitter(models, report)
    for key in sorted(models):
        fitter.fit_model(key)

    def fit_node(node: Any, pointer: str) -> Any:
        return map_types(node, lambda type_: fitter._fit_type(type_, pointer))

    return fit_node
