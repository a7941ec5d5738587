"""Spec defaults: whether one is a value of its type, and the enum member that says it."""

from __future__ import annotations

from typing import Any

from ..ir import Api, ModelRef, TypeRef, without_none
from ..ir_types import ListType
from ..ir_types import default_fits as _fits
from ..render.pyexpr import literal

__all__ = ["default_factory", "default_fits", "default_source", "enum_default", "enum_member"]


def default_fits(type_: TypeRef, value: Any, api: Api | None = None) -> bool:
    """Whether a spec default is a valid value of the type (else it is dropped, with a warning).

    Each kind of type answers for itself (`accepts`); a model answers here, from the API."""

    def model_accepts(name: str, value: Any) -> bool:
        if api is None:
            return False
        model = api.model(name)
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
            return _fits(model.target, value, model_accepts)
        return False

    return _fits(type_, value, model_accepts)


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


def default_source(api: Api, type_: TypeRef, value: Any, prefix: str = "") -> str:
    """A default that fits its type as Python source of that type: an enum's member, a list of
    an enum's members, else the literal (a list of strings is no `list[Enum]` to mypy)."""
    member = enum_member(api, type_, value, prefix)
    if member is not None:
        return member
    inner = without_none(type_)
    if isinstance(inner, ListType) and isinstance(value, list) and value:
        members = [enum_member(api, inner.item, item, prefix) for item in value]
        if all(members):
            return "[" + ", ".join(str(member) for member in members) + "]"
    return literal(value)


def default_factory(value: Any) -> str | None:
    """How a mutable default is made anew for each instance: `list`/`dict` for an empty one
    (msgspec documents those), else `lambda` (the literal); None for an immutable value."""
    if not isinstance(value, list | dict):
        return None
    if not value:
        return "list" if isinstance(value, list) else "dict"
    return "lambda"


def enum_default(api: Api, type_: TypeRef, value: Any) -> str | None:
    """`Enum.MEMBER` for a default of an enum type (a NumberEnum has no members)."""
    inner = without_none(type_)
    if isinstance(inner, ModelRef) and api.model(inner.name).kind == "enum":
        return enum_member(api, type_, value)
    return None
