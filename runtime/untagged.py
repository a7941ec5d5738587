"""Unions of several untagged object types: a class that stands for `A | B` where msgspec cannot.

msgspec decodes a union holding at most one object type (or Structs tagged on one field). A
spec's `oneOf: [A, B]` of plain objects is neither, so a generated model declares it as

    if TYPE_CHECKING:
        Item: TypeAlias = A | B          # what the code, and mypy, see
    else:
        class Item(UntaggedUnion):       # what msgspec sees: a custom type
            members = ("A", "B")         # names in the class's module, or the classes
            exclusive = True             # oneOf (exactly one member matches); False: anyOf

A member may be any type msgspec decodes, not only a class: `members = ("list[Channel]",
"list[str]")` stands for a union msgspec cannot decode (two arrays, two strings of different
formats, the same schema twice...). A string is a type expression, read in the class's module as
`typing` reads a forward reference; the schema gives each member as written, in order.

Values are always members (an `A` or a `B`): they encode as themselves. Decoding goes through
`decode_untagged` (msgspec's `dec_hook`): the value is converted to each member in order; with
`exclusive`, exactly one must accept it, otherwise the first that does wins. A value no member
accepts is a validation error naming why each refused it. The OpenAPI schema is the members'
`oneOf`/`anyOf` (with their discriminator when the members are Structs tagged on one field).

`objects = True` is a union that says `type: object` beside its members (members that are
object schemas without `type` each admit every non-object; with it, only objects are valid).

`shared = "ItemBase"` is a union of objects with properties of their own beside the members
(`{type: object, properties: {id: ...}, oneOf: [{properties: {a: ...}}, ...]}`), or an `allOf`
of an object part and the oneOf (`allOf: [{oneOf: [...]}, {properties: {id: ...}}]`): each
member is a Struct that extends the shared Struct (every value has the shared fields and the
member's own), so decoding checks both as JSON Schema does. The schema is written as the spec
did: the shared Struct's keywords beside the `oneOf` and each member's own fields in it, or,
with `shared_all_of = n`, the `allOf` whose member `n` is the shared Struct and the other the
`oneOf` (shared_union.py in `openapi`).

`closed = True` is a union that is an object with `additionalProperties: false` and no
properties of its own. JSON Schema applies that keyword to the union's own (absent)
properties, so no key is allowed, and the members must accept an object without keys. A spec
that says so is served as it says (the generator reports it as a likely defect).

`Nothing` is the type with no values (JSON Schema's `false`): a required key that
`additionalProperties: false` forbids has it, so its object can never be valid.

`NumberEnum` is a number among fixed values (an `enum` of non-integer numbers, or a float
`const`), which `Literal` cannot hold. As with unions, mypy sees `float` and msgspec a class:

    if TYPE_CHECKING:
        Level: TypeAlias = float
    else:
        class Level(NumberEnum):
            values = (2.4, 3.65, 5)

Decoding refuses any other value; the value is a plain `float`; the schema is the `enum`.
"""

from __future__ import annotations

import functools
import re
import sys
from contextvars import ContextVar
from typing import Any, ClassVar

import msgspec

from .type_info import type_info

__all__ = [
    "Nothing",
    "NumberEnum",
    "UntaggedUnion",
    "decode_untagged",
    "decode_untagged_text",
    "is_number_enum",
    "is_untagged_union",
]


class _UnionMeta(type):
    """`isinstance(value, Union)` is true of its members' instances (msgspec checks it)."""

    def __instancecheck__(cls, instance: Any) -> bool:
        if cls is UntaggedUnion:
            return False
        if instance is _PICKED.get():  # the value `pick` just gave msgspec back
            return True
        members: tuple[Any, ...] = cls.member_types()  # type: ignore[attr-defined]
        return any(_instance_of(instance, member) for member in members)


# msgspec checks that a hook's value is an instance of the custom type: the value `pick` made
# is one, whatever its member type (a str, a list...)
_PICKED: ContextVar[Any] = ContextVar("specloom_untagged_picked", default=None)


def _instance_of(instance: Any, member: Any) -> bool:
    """Whether `instance` is already a decoded value of `member`: an instance of a class of
    its own (a Struct, an Enum). A plain value (a str, a list...) is always checked against
    every member (a oneOf's exclusivity, a member's constraints), never passed through."""
    return (
        isinstance(member, type)
        and member.__module__ != "builtins"
        and isinstance(instance, member)
    )


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    names = {bool: "bool", int: "int", float: "float", str: "str", list: "array"}
    return names.get(type(value), type(value).__name__)


def _member_name(member: Any) -> str:
    """How an error names a member: a class by its name, a type by its expression without
    module paths (`list[Channel]`)."""
    if isinstance(member, type):
        return member.__name__
    return re.sub(r"\b(?:[A-Za-z_]\w*\.)+(?=[A-Za-z_])", "", repr(member))


class UntaggedUnion(metaclass=_UnionMeta):
    """Base of the classes standing for an untagged union (never instantiated)."""

    members: ClassVar[tuple[Any, ...]] = ()
    exclusive: ClassVar[bool] = True
    closed: ClassVar[bool] = False  # additionalProperties: false beside the union: no key at all
    objects: ClassVar[bool] = False  # type: object beside the union: its values are objects
    shared: ClassVar[Any] = None  # the Struct (or its name) every member extends, or None
    shared_all_of: ClassVar[int | None] = None  # its place in an allOf with the oneOf; None: beside

    def __new__(cls, *args: Any, **kwargs: Any) -> UntaggedUnion:
        raise TypeError(f"{cls.__name__} stands for a union: build one of its members instead")

    @classmethod
    def member_types(cls) -> tuple[Any, ...]:
        """The member types (type expressions read in the class's module on first use)."""
        resolved: tuple[Any, ...] | None = cls.__dict__.get("_member_types")
        if resolved is None:
            module = vars(sys.modules[cls.__module__])
            found = []
            for member in cls.members:
                target = _read_type(member, module) if isinstance(member, str) else member
                try:
                    type_info(target)
                except (TypeError, ValueError) as exc:
                    raise TypeError(f"{cls.__name__}: member {member!r} is not a type") from exc
                found.append(target)
            resolved = tuple(found)
            cls._member_types = resolved  # type: ignore[attr-defined]
        return resolved

    @classmethod
    def shared_type(cls) -> Any:
        """The shared Struct (a name read in the class's module on first use), or None."""
        shared = cls.shared
        if isinstance(shared, str):
            shared = _read_type(shared, vars(sys.modules[cls.__module__]))
        return shared

    @classmethod
    def pick(cls, value: Any, strict: bool = True) -> Any:
        """`value` as the member that accepts it; ValueError when none (or, oneOf, several) do.

        `strict=False` converts text as forms and XML carry it (`"1"` for an int).
        """
        hook = decode_untagged if strict else decode_untagged_text
        if cls.closed and isinstance(value, dict) and value:
            keys = ", ".join(f"`{key}`" for key in list(value)[:5]) + (
                ", ..." if len(value) > 5 else ""
            )
            raise ValueError(
                f"no key is allowed, got {keys}: the schema has `additionalProperties: false` "
                "and no properties of its own beside its members"
            )
        if cls.objects and not isinstance(value, dict):
            raise ValueError(f"Expected `object`, got `{_json_type(value)}`")
        accepted: list[Any] = []
        refusals: list[str] = []
        for member in cls.member_types():
            try:
                converted: Any = msgspec.convert(value, member, strict=strict, dec_hook=hook)
            except msgspec.ValidationError as exc:
                refusals.append(f"{_member_name(member)}: {exc}")
                continue
            if not cls.exclusive:
                _PICKED.set(converted)
                return converted
            accepted.append(converted)
        if len(accepted) == 1:
            _PICKED.set(accepted[0])
            return accepted[0]
        if accepted:
            names = ", ".join(type(item).__name__ for item in accepted)
            raise ValueError(f"matches more than one of the oneOf members ({names})")
        raise ValueError("matches none of the union's members (" + "; ".join(refusals) + ")")


def _read_type(expression: str, namespace: dict[str, Any]) -> Any:
    """A member's type expression, read in its module (a forward reference, as `typing` reads
    one): the module's namespace its globals, a dict of its own its locals, so the module is
    left as it was (a copy of a large models module's namespace per expression, thousands of
    names, cost more than the reading)."""
    try:
        return eval(expression, namespace, {})  # the class's own source text
    except Exception as exc:  # a name the module lacks: say which member
        raise TypeError(f"member {expression!r} cannot be read: {exc}") from exc


class Nothing:
    """The type with no values (JSON Schema `false`): decoding any value into it fails."""

    def __new__(cls, *args: Any, **kwargs: Any) -> Nothing:
        raise TypeError("Nothing has no values")


class _NumberMeta(type):
    """`isinstance(value, Level)` is true of the floats it allows (msgspec checks it)."""

    def __instancecheck__(cls, instance: Any) -> bool:
        values: tuple[float, ...] = getattr(cls, "values", ())
        return isinstance(instance, float) and any(instance == value for value in values)


class NumberEnum(metaclass=_NumberMeta):
    """Base of the classes standing for a number among `values` (never instantiated)."""

    values: ClassVar[tuple[int | float, ...]] = ()

    def __new__(cls, *args: Any, **kwargs: Any) -> NumberEnum:
        raise TypeError(f"{cls.__name__} stands for a float: use one of {cls.values!r}")

    @classmethod
    def pick(cls, value: Any, strict: bool = True) -> float:
        """`value` as a float when it is one of `values`; ValueError otherwise.

        `strict=False` reads the number from text, as parameters and forms carry it.
        """
        if not strict and isinstance(value, str):
            value = msgspec.convert(value, float, strict=False)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(f"Expected `number`, got `{type(value).__name__}`")
        if not any(value == allowed for allowed in cls.values):
            shown = ", ".join(repr(allowed) for allowed in cls.values)
            raise ValueError(f"Expected one of {shown}, got {value!r}")
        return float(value)


def is_number_enum(cls: Any) -> bool:
    return isinstance(cls, type) and issubclass(cls, NumberEnum) and cls is not NumberEnum


def is_untagged_union(cls: Any) -> bool:
    return isinstance(cls, type) and issubclass(cls, UntaggedUnion) and cls is not UntaggedUnion


def decode_untagged(type_: Any, value: Any, strict: bool = True) -> Any:
    """msgspec's `dec_hook` for untagged unions, number enums and `Nothing` (no other custom
    type)."""
    if is_untagged_union(type_) or is_number_enum(type_):
        return type_.pick(value, strict)
    if type_ is Nothing:
        raise ValueError("no value is allowed here: the schema admits none")
    raise NotImplementedError(f"{type_!r} cannot be decoded")


# the hook for `msgspec.convert(..., strict=False)` (forms, XML)
decode_untagged_text = functools.partial(decode_untagged, strict=False)
