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

import types
import typing
from collections.abc import Callable, Sequence
from typing import Any

import msgspec

from .errors import Report
from .ir import (
    AnyType,
    Constraints,
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
)
from .ir_types import literal_category
from .schema_utils import distinct, unalias

__all__ = [
    "fit_unions",
    "is_untagged_union",
    "map_types",
    "model_refs",
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
        for name in _typed_fields(value.__class__):
            old = getattr(value, name)
            if old.__class__ in _LEAVES or old == ():  # no type inside: not worth a call
                continue
            new = map_types(old, fn)
            if new is not old:
                changes[name] = new
        return msgspec.structs.replace(value, **changes) if changes else value
    if isinstance(value, tuple):
        items: list[Any] | None = None  # made at the first item that changes
        for index, item in enumerate(value):
            new = item if item.__class__ in _LEAVES else map_types(item, fn)
            if items is not None:
                items.append(new)
            elif new is not item:
                items = [*value[:index], new]
        return value if items is None else tuple(items)
    return value


def _typed_fields(cls: type) -> tuple[str, ...]:
    """The fields of an IR node class whose declared type may hold a type (a `TypeRef`, or a
    node or tuple that may): its strings, flags, documentation dicts and raw JSON values
    (`Any`: defaults, examples) never do, so map_types does not look at them."""
    plan = _TYPED_FIELDS.get(cls)
    if plan is None:
        plan = _TYPED_FIELDS[cls] = _fields_holding_types(cls, frozenset())
    return plan


_TYPED_FIELDS: dict[type, tuple[str, ...]] = {}


def _fields_holding_types(cls: type, active: frozenset[type]) -> tuple[str, ...]:
    names: tuple[str, ...] = getattr(cls, "__struct_fields__", ())
    try:
        hints = typing.get_type_hints(cls)
    except Exception:  # an annotation that does not resolve: look at every field
        return names
    active |= {cls}
    return tuple(name for name in names if _may_hold_types(hints.get(name, object), active))


def _may_hold_types(annotation: Any, active: frozenset[type]) -> bool:
    if annotation is Any:
        return False  # a raw JSON value
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType, tuple, list):
        return any(_may_hold_types(a, active) for a in typing.get_args(annotation) if a != ...)
    if origin in (typing.Literal, dict):
        return False
    if isinstance(annotation, type):
        if issubclass(annotation, TypeKind):
            return True
        if issubclass(annotation, msgspec.Struct):
            return annotation in active or bool(_fields_holding_types(annotation, active))
        return annotation is object  # str, int, bool, None, UNSET's type...: no type inside
    return True  # anything else: looked into, as any value was


# values map_types leaves as they are, known by their class alone (it runs over every node of
# the IR several times: a call per string and dict of every field was most of its cost)
_LEAVES = frozenset({str, int, float, bool, type(None), dict, list, bytes})


def model_refs(value: Any) -> set[str]:
    """Names of the models any IR node (a type, a field, a whole model...) refers to."""
    found: set[str] = set()
    _collect_refs(tuple(value) if isinstance(value, list) else value, found)
    return found


def _collect_refs(value: Any, found: set[str]) -> None:
    """`map_types(value, fn)` with an `fn` that notes each ModelRef's name and changes nothing:
    the same walk, without the calls and copies that look for changes (it runs over every
    model and field several times)."""
    if isinstance(value, TypeKind):
        if isinstance(value, ModelRef):
            found.add(value.name)
        value.map_children(lambda child: _noted(child, found))
    elif isinstance(value, msgspec.Struct):
        for name in _typed_fields(value.__class__):
            old = getattr(value, name)
            if old.__class__ not in _LEAVES and old != ():
                _collect_refs(old, found)
    elif isinstance(value, tuple):
        for item in value:
            if item.__class__ not in _LEAVES:
                _collect_refs(item, found)


def _noted(child: TypeRef, found: set[str]) -> TypeRef:
    _collect_refs(child, found)
    return child


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
        if is_untagged_union(model, self.models):
            return {"custom"}  # an UntaggedUnion class: msgspec takes it beside None only
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
        # a custom type (NumberEnum, UntaggedUnion) may only stand beside None in a msgspec union
        if counts.get("custom", 0) > 1 or (
            counts.get("custom") and len(set(counts) - {"null"}) > 1
        ):
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
