"""Spec defaults: whether one is a value of its type, and the enum member that says it."""

from __future__ import annotations

from typing import Any

from ..ir import (
    Api,
    ListType,
    LiteralType,
    MapType,
    ModelRef,
    PrimitiveType,
    TypeRef,
    UnionType,
    is_nullable,
    without_none,
)

__all__ = ["default_fits", "enum_member"]

_PYTHON_TYPES: dict[str, tuple[type, ...]] = {
    "str": (str,),
    "email": (str,),
    "uri": (str,),
    "int": (int,),
    "float": (int, float),
    "bool": (bool,),
}


def default_fits(type_: TypeRef, value: Any, api: Api | None = None) -> bool:
    """Whether a spec default is a valid value of the type (else it is dropped, with a warning)."""
    if value is None:
        return is_nullable(type_)
    inner = without_none(type_)
    if isinstance(inner, UnionType):
        return any(default_fits(member, value, api) for member in inner.members)
    if isinstance(inner, PrimitiveType):
        kinds = _PYTHON_TYPES.get(inner.kind)
        if kinds is None:
            return False  # dates, uuids, bytes...: written as text in the spec, kept out
        if inner.kind != "bool" and isinstance(value, bool):
            return False
        return isinstance(value, kinds)
    if isinstance(inner, LiteralType):
        return value in inner.values
    if isinstance(inner, ListType):
        return isinstance(value, list) and all(default_fits(inner.item, v, api) for v in value)
    if isinstance(inner, MapType):
        return isinstance(value, dict) and all(
            default_fits(inner.value, v, api) for v in value.values()
        )
    if isinstance(inner, ModelRef) and api is not None:
        model = api.model(inner.name)
        if model.kind == "enum" and model.enum_type == "float":  # 5 is 5.0 there
            return not isinstance(value, bool) and any(
                isinstance(value, int | float) and member.value == value
                for member in model.enum_members
            )
        if model.kind == "enum":
            return any(
                member.value == value and type(member.value) is type(value)
                for member in model.enum_members
            )
        if model.kind == "alias" and model.target is not None:
            return default_fits(model.target, value, api)
    return False


def enum_member(api: Api, type_: TypeRef, value: Any, prefix: str = "") -> str | None:
    """`Model.MEMBER` (after `prefix`, e.g. `m.`) for a default of an enum type, if one is."""
    inner = without_none(type_)
    if isinstance(inner, ModelRef):
        model = api.model(inner.name)
        if model.enum_type == "float":  # a NumberEnum has no members: the number is the value
            return None
        for member in model.enum_members:
            if member.value == value and type(member.value) is type(value):
                return prefix + model.name + "." + member.name
    return None
