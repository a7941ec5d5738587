"""Which struct models are written back as the `allOf` the spec composed them of.

The schema builder records, on a struct built from `allOf` of component `$ref`s and inline
members (each a model of its own: all_of_members.py), the struct models it was composed of
(`Model.all_of`); the plan writes them as
`@all_of(A, B)`, and the runtime documents the class as `allOf: [{$ref: A}, {$ref: B}, own
part]`. Once the discriminated unions have tagged their members, this keeps that declaration
only where the runtime can say it (the same rules `@all_of` checks when the class is made):

- no extra keys and no `forbid_unknown_fields` on the model or a part (additionalProperties
  sees its own schema's properties only: it would refuse the other parts');
- no tagged part (its tag value would apply to the model too), unless its tag property is
  documented open (`open_tag`: no one-value enum) and is the model's tag field too;
- every field of a part is the model's too (its tag may be one), required where the part
  requires it, of a type within the part's (a narrowing: the allOf of both is the model's;
  by JSON values: a struct is an object of any values, a model composed of another is it,
  so is a struct every object of which meets the part's open struct (struct_within.py: a
  property of the part's it lacks is read unchecked, reported); an array or a map of such
  values is within the array or the map of the part's), or an enum
  with values the part's enum refuses: no instance holds those, a contradiction of the
  document, reported; the model's field still accepts them.

Elsewhere the model is written flattened, as msgspec documents any Struct.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import msgspec

from .errors import Report
from .ir import Field, Model, ModelRef
from .schema_utils import overrides_as_subtype
from .struct_within import Within, struct_fields, struct_within

__all__ = ["settle_all_of"]


def settle_all_of(models: dict[str, Model], report: Report | None = None) -> None:
    """Drop `all_of` from the struct models (keyed by pointer) the runtime cannot compose;
    mark those composed of a closed part (`all_of_closed`), which contradicts the other parts."""
    composed = [key for key, model in models.items() if model.all_of]
    verdicts = {key: _composable(models[key], models) for key in composed}
    for key, closed in verdicts.items():
        if closed is None:
            _drop_inline_members(key, models)
            models[key] = msgspec.structs.replace(models[key], all_of=())
        else:
            _warn_enum_conflicts(models[key], models, report)
        if closed:
            models[key] = msgspec.structs.replace(models[key], all_of_closed=True)
            if report is not None:
                report.warn(
                    key,
                    f"allOf member {closed} forbids other properties (additionalProperties: "
                    "false), so it refuses the other members' properties and no instance "
                    "holding them is valid; served accepting them, documented as written",
                )


def _drop_inline_members(key: str, models: dict[str, Model]) -> None:
    """Forget the models of the inline members of `key`'s allOf (and of theirs): the merged
    model says their fields, and nothing else uses them."""
    for part in models[key].all_of:
        if part.startswith(f"{key}/allOf/") and part in models:
            _drop_inline_members(part, models)
            del models[part]


def _chain(model: Model, models: Mapping[str, Model]) -> list[Model]:
    """The model and its bases, recursively (msgspec passes their options on)."""
    found = [model]
    for base in model.bases:
        if base in models:
            found += _chain(models[base], models)
    return found


def _closed_or_tagged(model: Model, models: Mapping[str, Model]) -> tuple[bool, bool, str | None]:
    """Whether the model or a base has typed extra keys; forbids unknown ones; its tag."""
    chain = _chain(model, models)
    extra = any(m.extra_fields is not None for m in chain)
    closed = any(m.forbid_unknown_fields for m in chain)
    return extra, closed, next((m.tag_field for m in chain if m.tag_field is not None), None)


def _composable(model: Model, models: Mapping[str, Model]) -> str | bool | None:
    """None when the runtime cannot compose the model; else the name of a closed part (a
    closed base counts), or False."""
    extra, closed, tag = _closed_or_tagged(model, models)
    if model.kind != "struct" or extra or model.forbid_unknown_fields:
        return None
    closed_bases = (
        b for b in model.bases if b in models and _closed_or_tagged(models[b], models)[1]
    )
    closed_part: str | bool = closed and next((models[b].name for b in closed_bases), True)
    mine = struct_fields(model, models)
    for key in model.all_of:
        part = _aliased(models.get(key), models)
        if part is None or part.kind != "struct":
            return None
        part_extra, part_closed, part_tag = _closed_or_tagged(part, models)
        open_tag = part.open_tag and part.tag_field == tag  # documented without its value
        if part_extra or (part_tag is not None and not open_tag):
            return None
        if part_closed and not closed_part:
            closed_part = part.name
        for wire, field in struct_fields(part, models).items():
            if wire == tag:
                continue
            own = mine.get(wire)
            if own is None or (field.required and not own.required):
                return None
            narrows = own.type == field.type or _narrows(own, field, models)
            if not narrows and not _enum_conflict(own, field, models):
                return None
    return closed_part


def _aliased(model: Model | None, models: Mapping[str, Model]) -> Model | None:
    """The model an alias part stands for (a schema that is another under a second name,
    through aliases of aliases); any other model as it is."""
    seen: set[str] = set()
    while model is not None and model.kind == "alias" and isinstance(model.target, ModelRef):
        if model.target.name in seen:
            return None
        seen.add(model.target.name)
        model = models.get(model.target.name)
    return model


def _narrows(
    own: Field, part: Field, models: Mapping[str, Model], within: Within = Within()
) -> bool:
    """Whether every value of the model's field is one of the part's field (the part's schema
    and the model's own, both applying, are the model's): a Python subtype, or a JSON one -
    a struct is an object of any values, and a model composed of (or extending) another
    meets it, and so does a struct every object of which is an instance of the part's
    (struct_within.py)."""
    if overrides_as_subtype(own, part, models):
        return True
    theirs = part.type.shape() | ({("unset",)} if not part.required else set())
    return all(
        any(_shape_within(mine, it, models, within) for it in theirs) for mine in own.type.shape()
    )


def _shape_within(
    mine: tuple[Any, ...],
    theirs: tuple[Any, ...],
    models: Mapping[str, Model],
    within: Within = Within(),
) -> bool:
    if mine == theirs or theirs == ("any",):
        return True
    values, allowed = _values(mine, models), _values(theirs, models)
    if values is not None and allowed is not None:
        return values <= allowed  # an enum narrowed to some of its values
    if mine[0] == theirs[0] and mine[0] in ("list", "map"):  # item by item, value by value
        return all(any(_shape_within(m, t, models, within) for t in theirs[1]) for m in mine[1])
    any_object = theirs == ("map", frozenset({("any",)}))
    if mine[0] != "model":
        return any_object and mine[0] == "map"
    if any_object:
        model = models.get(str(mine[1]))
        return model is not None and model.kind == "struct"
    if theirs[0] != "model":
        return False
    mine_name, their_name = str(mine[1]), str(theirs[1])
    return _composed_of(mine_name, their_name, models) or struct_within(
        mine_name, their_name, models, _narrows, within
    )


def _values(shape: tuple[Any, ...], models: Mapping[str, Model]) -> frozenset[Any] | None:
    """The values a literal or an enum model allows (None for any other type)."""
    if shape[0] == "literal":
        return frozenset({shape[1]})
    model = models.get(str(shape[1])) if shape[0] == "model" else None
    if model is None or model.kind != "enum":
        return None
    return frozenset(member.value for member in model.enum_members)


def _composed_of(name: str, part: str, models: Mapping[str, Model]) -> bool:
    """Whether the model `name` extends or is composed of `part` (deep)."""
    seen: set[str] = set()
    stack = [name]
    while stack:
        current = stack.pop()
        if current == part:
            return True
        model = models.get(current)
        if current not in seen and model is not None:
            seen.add(current)
            stack += [*model.bases, *model.all_of]
    return False


def _enum_conflict(own: Field, part: Field, models: Mapping[str, Model]) -> frozenset[Any] | None:
    """The values of the model's enum field that the part's enum of the same property refuses
    (None when either is no enum, or every value is the part's): the allOf of both admits
    none of them, a contradiction of the document, which the model's field still accepts."""
    mine, theirs = _enum_values(own, models), _enum_values(part, models)
    if mine is None or theirs is None or mine <= theirs:
        return None
    return mine - theirs


def _enum_values(field: Field, models: Mapping[str, Model]) -> frozenset[Any] | None:
    shapes = field.type.shape()
    return _values(next(iter(shapes)), models) if len(shapes) == 1 else None


def _warn_enum_conflicts(model: Model, models: Mapping[str, Model], report: Report | None) -> None:
    """Report each enum field of a kept allOf whose values a part's enum refuses, and each
    field typed by a struct lacking properties of the part's struct (not checked on reading)."""
    mine = struct_fields(model, models)
    for key in model.all_of:
        part = models.get(key)
        if part is None or report is None:
            continue
        for wire, field in struct_fields(part, models).items():
            own = mine.get(wire)
            if own is None or own.type == field.type:
                continue
            dead = _enum_conflict(own, field, models)
            if dead:
                shared = sorted(map(repr, (_enum_values(own, models) or frozenset()) - dead))
                refused = ", ".join(sorted(map(repr, dead)))
                report.warn(
                    own.pointer or model.pointer,
                    f"allOf member {part.name} refuses {refused} of property {wire!r} (its "
                    f"enum and this one share {', '.join(shared) or 'no value'}), so no "
                    "instance holds them; served as this enum, documented as written",
                )
            elif not dead and not _narrows(own, field, models, Within(strict=True)):
                report.warn(
                    own.pointer or model.pointer,
                    f"property {wire!r} is typed here by an object schema that lacks some "
                    f"properties of allOf member {part.name}'s: the value never holds them, "
                    "and when it is read they are not checked (unknown keys); documented as "
                    "written",
                )
