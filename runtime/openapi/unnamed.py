"""`@unnamed_properties({...})`: properties of a Struct's schema that no field can hold.

msgspec refuses a field whose name on the wire holds a backslash, a double quote or a control
character (`'wind_timeutc"'`); a document may name a property so all the same. The class
declares such properties with their types, and its schema documents them beside its fields:

    @unnamed_properties({'wind_timeutc"': int}, required=())
    class Measure(msgspec.Struct, kw_only=True):
        wind_angle: float | UnsetType = UNSET

gives `properties: {wind_angle: ..., 'wind_timeutc"': {type: integer}}`. Decoding is
unchanged: msgspec reads such a key as an unknown one (not checked, not kept) and never writes
it. A type may be given by a function of no arguments that returns it (`lambda: Later`), or by
a string, resolved in the class's module: either when the schema is made (a class defined
further down the module).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from types import FunctionType
from typing import Any, TypeVar, get_type_hints

from ..exceptions import ImproperlyConfiguredException

__all__ = ["unnamed_leaves", "unnamed_properties", "unnamed_schemas"]

_T = TypeVar("_T")
_ATTRIBUTE = "__specloom_unnamed_properties__"


def unnamed_properties(
    properties: Mapping[str, Any], *, required: Sequence[str] = ()
) -> Callable[[_T], _T]:
    """Decorate a Struct: `properties` (name on the wire -> type) join its schema's properties,
    and the names in `required` its `required`."""
    unknown = sorted(set(required) - set(properties))
    if unknown:
        raise ImproperlyConfiguredException(f"required names no property declared: {unknown}")

    def decorate(cls: _T) -> _T:
        setattr(cls, _ATTRIBUTE, (dict(properties), tuple(required)))
        return cls

    return decorate


def _declared(cls: Any) -> tuple[dict[str, Any], tuple[str, ...]] | None:
    found = vars(cls).get(_ATTRIBUTE) if isinstance(cls, type) else None
    return found if isinstance(found, tuple) else None


def _resolved(cls: type, annotation: Any) -> Any:
    """A type given by a function (called) or a string (resolved in the class's module as an
    annotation is)."""
    if isinstance(annotation, FunctionType):
        return annotation()
    if not isinstance(annotation, str):
        return annotation
    holder = type("_Unnamed", (), {"__annotations__": {"value": annotation}})
    holder.__module__ = cls.__module__
    return get_type_hints(holder, include_extras=True)["value"]


def unnamed_leaves(
    classes: Sequence[Any], leaves: list[Any], found: dict[type, dict[str, int]]
) -> bool:
    """Add to `leaves` the types of the unnamed properties of `classes` not in `found` yet,
    recording class -> name -> leaf index in `found`; whether any was added."""
    added = False
    for cls in classes:
        declared = _declared(cls)
        if declared is None or cls in found:
            continue
        indexes: dict[str, int] = {}
        for name, annotation in declared[0].items():
            leaves.append(_resolved(cls, annotation))
            indexes[name] = len(leaves) - 1
        found[cls] = indexes
        added = True
    return added


def unnamed_schemas(
    found: Mapping[type, Mapping[str, int]], schemas: Sequence[Any]
) -> dict[type, dict[str, Any]]:
    """Class -> name -> the schema generated for its unnamed property's type."""
    return {cls: {name: schemas[i] for name, i in names.items()} for cls, names in found.items()}


def document_unnamed(cls: Any, component: dict[str, Any], schemas: Mapping[str, Any]) -> None:
    """Add the class's unnamed properties (and those it requires) to its component."""
    declared = _declared(cls)
    if declared is None:
        return
    component.setdefault("properties", {}).update(schemas)
    required = [name for name in declared[1] if name not in component.get("required", ())]
    if required:
        component["required"] = [*component.get("required", ()), *required]
