"""The schema of an untagged union whose members extend a shared Struct (`UntaggedUnion.shared`).

A document may write properties beside a `oneOf` (`{type: object, properties: {id: ...},
required: [id], oneOf: [{properties: {a: ...}}, {properties: {b: ...}}]}`), or compose an
object part with one (`allOf: [{oneOf: [...]}, {properties: {id: ...}}]`): every value is an
object with the shared properties and those of one member. The generated union's members are
Structs that extend the shared Struct, so msgspec documents each of them flattened (the
shared fields and its own). Once every component is written, this gives the union back the
document's shape:

- each member's component keeps the fields its class declares itself (those it inherits from
  the shared Struct unchanged are the shared part's, said once);
- the union's component is the shared Struct's keywords beside the `oneOf` (`shared_all_of`
  None), or the `allOf` of `{oneOf: [...]}` and `$ref` to the shared Struct's component at
  place `shared_all_of` (an `@inline_schema` one is written there in full), the union's own
  documentation beside it.

A member that does not extend the shared Struct is written as msgspec documents it.
"""

from __future__ import annotations

import copy
import inspect
from collections.abc import Mapping
from typing import Any

from ..untagged import is_untagged_union
from .tidy import UNION_MARKER

__all__ = ["shared_union_components", "union_leaves"]

_REF_PREFIX = "#/components/schemas/"


def union_leaves(cls: Any) -> tuple[Any, ...]:
    """The types an untagged union's schema is made of: its members, and the Struct they
    share, if any."""
    members: tuple[Any, ...] = cls.member_types()
    shared = cls.shared_type()
    return members if shared is None else (*members, shared)


def shared_union_components(
    unions: Mapping[str, type], names: Mapping[Any, str], components: dict[str, Any]
) -> None:
    """Rewrite the component of each union with a shared Struct, and its members' (`unions`:
    component name -> union class; `names`: class -> component name)."""
    for name, cls in unions.items():
        if not is_untagged_union(cls):
            continue
        shared = cls.shared_type()  # type: ignore[attr-defined]
        union = components.get(name)
        shared_name = names.get(shared) if shared is not None else None
        shared_schema = components.get(shared_name) if shared_name is not None else None
        if not isinstance(union, dict) or not isinstance(shared_schema, dict):
            continue
        for member in cls.member_types():  # type: ignore[attr-defined]
            member_schema = components.get(names.get(member, ""))
            if _extends(member, shared) and isinstance(member_schema, dict):
                _own_part(member, shared, member_schema)
        components[name] = _union_schema(
            union, shared_schema, str(shared_name), cls.shared_all_of  # type: ignore[attr-defined]
        )


def _extends(member: Any, shared: Any) -> bool:
    return isinstance(member, type) and isinstance(shared, type) and issubclass(member, shared)


def _own_part(member: Any, shared: Any, schema: dict[str, Any]) -> None:
    """Drop from a member's component the shared fields its class does not declare again."""
    declared = set(inspect.get_annotations(member))
    wire = dict(zip(member.__struct_fields__, member.__struct_encode_fields__, strict=True))
    own = {wire[name] for name in declared if name in wire}
    inherited = set(shared.__struct_encode_fields__) - own
    properties = schema.get("properties")
    if isinstance(properties, dict):
        for key in inherited & set(properties):
            del properties[key]
        if not properties:
            del schema["properties"]
    required = schema.get("required")
    if isinstance(required, list):
        required[:] = [key for key in required if key not in inherited]
        if not required:
            del schema["required"]


def _union_schema(
    union: dict[str, Any], shared: dict[str, Any], shared_name: str, place: int | None
) -> dict[str, Any]:
    if place is None:  # the shared keywords beside the members
        return {**copy.deepcopy(shared), **union}
    keys = ("oneOf", "anyOf", "discriminator", UNION_MARKER)
    part = {key: value for key, value in union.items() if key in keys}
    rest = {key: value for key, value in union.items() if key not in keys}
    parts: list[dict[str, Any]] = [part]
    parts.insert(place, {"$ref": _REF_PREFIX + shared_name})
    return {"allOf": parts, **rest}
