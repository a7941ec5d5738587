"""Typed extra keys: an object with `properties` and a typed `additionalProperties` beside them.

msgspec decodes a Struct's fields and drops every other key. When a spec types the other keys
(`additionalProperties: {type: object}` beside `properties`), they are part of the value: they
must be checked, kept and sent back. A Struct declares them with an `ExtraKeys` attribute:

    class Payload(msgspec.Struct, kw_only=True, dict=True):
        actor: str | UnsetType = UNSET
        extra_keys = ExtraKeys["dict[str, Any]"]()   # the type of each extra key's value

`payload.extra_keys` is then a `dict[str, dict[str, Any]]` of the keys that are not fields
(`dict=True` gives the instance somewhere to keep them). The type may be a string, resolved in
the class's module on first use, so it can name models defined further down.

The runtime does the rest where a body or return type holds such a Struct (and only there):
a request body is decoded as usual and its extra keys are then read from the same document,
each converted to the declared type (a value that does not fit is a 400 naming its key); a
response gets its extra keys back beside the fields (a field wins over an extra key of the same
name); the OpenAPI schema has the type as `additionalProperties`. What is outside the runtime's
reach does not see them: `msgspec.json.encode(payload)`, `msgspec.structs.replace`, equality and
XML keep to the fields.
"""

from __future__ import annotations

import datetime
import decimal
import functools
import sys
import uuid
from collections.abc import Callable, Iterator, Mapping
from typing import Any, ForwardRef, Generic, TypeVar, get_args, get_type_hints, overload

import msgspec

from .signature import type_info_or_none
from .type_info import gathered, type_info

__all__ = ["ExtraKeys", "extra_keys_of", "holds_extra_keys", "read_extra_keys", "with_extra_keys"]

V = TypeVar("V")

# the classes that declared extra keys, in this process: none (most apps) answers
# `holds_extra_keys` without reading a type
_DECLARING: set[type] = set()

# what MessagePack carries natively: left as they are when extra keys join a response
_MSGPACK_NATIVE = (
    bytes,
    bytearray,
    memoryview,
    datetime.datetime,
    datetime.date,
    datetime.time,
    datetime.timedelta,
    uuid.UUID,
    decimal.Decimal,
)


class ExtraKeys(Generic[V]):
    """The keys of a Struct that are not its fields, each with a value of type `V`."""

    def __init__(self) -> None:
        self.name = ""
        self.owner: type | None = None

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name
        self.owner = owner
        _DECLARING.add(owner)

    @overload
    def __get__(self, obj: None, owner: type) -> ExtraKeys[V]: ...

    @overload
    def __get__(self, obj: object, owner: type) -> dict[str, V]: ...

    def __get__(self, obj: object | None, owner: type) -> ExtraKeys[V] | dict[str, V]:
        if obj is None:
            return self
        keys: dict[str, V] = _storage(obj, self.name).setdefault(self.name, {})
        return keys

    def __set__(self, obj: object, value: Mapping[str, V]) -> None:
        _storage(obj, self.name)[self.name] = dict(value)

    @functools.cached_property
    def value_type(self) -> Any:
        """`V`, its names resolved in the owner's module (`Any` when it was not given)."""
        args = get_args(getattr(self, "__orig_class__", None))
        if not args:
            return Any
        (declared,) = args
        if isinstance(declared, ForwardRef):
            declared = declared.__forward_arg__
        if not isinstance(declared, str):
            return declared
        # a new ForwardRef: typing caches `ExtraKeys["Tally"]`, and with it the ForwardRef and
        # its first evaluation, which would resolve every module's "Tally" to the first one's
        declared = ForwardRef(declared)
        module = sys.modules.get(self.owner.__module__) if self.owner else None

        def holder() -> None: ...

        holder.__annotations__ = {"value": declared}
        return get_type_hints(holder, globalns=vars(module) if module else {})["value"]


def _storage(obj: object, name: str) -> dict[str, Any]:
    storage = getattr(obj, "__dict__", None)
    if storage is None:
        raise TypeError(
            f"{type(obj).__name__}.{name}: a Struct with extra keys needs `dict=True` to keep them"
        )
    return storage  # type: ignore[no-any-return]


def extra_keys_of(cls: Any) -> ExtraKeys[Any] | None:
    """The class's `ExtraKeys` declaration (its own or a base's), or None.

    A generic Struct's alias (`Page[Item]`) is looked up on its class."""
    if not _DECLARING:  # no class declares them (most apps): none to look for
        return None
    return _declared_extra_keys(cls)


@functools.cache
def _declared_extra_keys(cls: type) -> ExtraKeys[Any] | None:
    origin = getattr(cls, "__origin__", cls)
    for klass in getattr(origin, "__mro__", ()):
        for value in vars(klass).values():
            if isinstance(value, ExtraKeys):
                return value
    return None


@functools.cache
def _known_keys(cls: type) -> frozenset[str]:
    """The keys of `cls`'s fields on the wire, and its tag's."""
    config = getattr(cls, "__struct_config__", None)
    tag = getattr(config, "tag_field", None)
    names: tuple[str, ...] = getattr(cls, "__struct_encode_fields__", ())
    return frozenset((*names, tag) if tag else names)


def holds_extra_keys(annotation: Any) -> bool:
    """Whether a value of this type may hold a Struct that keeps extra keys."""
    if not _DECLARING:  # no class declares them: decided without reading the type
        return False
    info = type_info_or_none(annotation)
    return info is not None and _holds(info, set())


def _extra_or_union(node: Any) -> tuple[tuple[bool, Any], ...]:
    """(True, class) for a Struct that declares extra keys, (False, class) for an untagged
    union (whose members may)."""
    cls = getattr(node, "cls", None)
    if isinstance(node, msgspec.inspect.StructType) and extra_keys_of(cls) is not None:
        return ((True, cls),)
    if isinstance(node, msgspec.inspect.CustomType) and callable(
        getattr(cls, "member_types", None)
    ):
        return ((False, cls),)
    return ()


def _holds(info: msgspec.inspect.Type, seen: set[type]) -> bool:
    for declares, cls in gathered(info, _extra_or_union):
        if declares:
            return True
        if cls not in seen:
            seen.add(cls)
            if any(_holds(type_info(m), seen) for m in cls.member_types()):
                return True
    return False


def _structs(value: Any, other: Any, path: str) -> Iterator[tuple[msgspec.Struct, Any, str]]:
    """Every Struct in `value` with the part of `other` (the same document, untyped) it is."""
    if isinstance(value, msgspec.Struct):
        yield value, other, path
        if not isinstance(other, dict):
            return
        cls = type(value)
        for attr, key in zip(cls.__struct_fields__, cls.__struct_encode_fields__, strict=True):
            if key in other:
                yield from _structs(getattr(value, attr), other[key], f"{path}.{key}")
    elif isinstance(value, list | tuple) and isinstance(other, list | tuple):
        for index, (item, part) in enumerate(zip(value, other, strict=False)):
            yield from _structs(item, part, f"{path}[{index}]")
    elif isinstance(value, dict) and isinstance(other, dict):
        # keys that are not strings were converted (or collapsed: "1" and "01" are both 1)
        parts = list(other.values()) if len(other) == len(value) else []
        for index, (key, item) in enumerate(value.items()):
            part = other.get(key) if isinstance(key, str) else parts[index] if parts else None
            yield from _structs(item, part, f"{path}[{key!r}]")


def read_extra_keys(
    value: Any,
    document: Any,
    *,
    strict: bool = True,
    dec_hook: Callable[[type, Any], Any] | None = None,
) -> None:
    """Give each Struct in `value` the extra keys of its object in `document` (the same body,
    decoded without a type). A value of the wrong type raises `msgspec.ValidationError`."""
    for struct, part, path in _structs(value, document, "$"):
        declared = extra_keys_of(type(struct))
        if declared is None or not isinstance(part, dict):
            continue
        known = _known_keys(type(struct))
        kept: dict[str, Any] = {}
        for key, item in part.items():
            if key in known:
                continue
            try:
                kept[key] = msgspec.convert(
                    item, declared.value_type, strict=strict, dec_hook=dec_hook
                )
            except msgspec.ValidationError as exc:
                message, _, inner = str(exc).partition(" - at `$")
                where = f"{path}.{key}{inner[:-1] if inner else ''}"
                raise msgspec.ValidationError(f"{message} - at `{where}`") from None
        declared.__set__(struct, kept)


def with_extra_keys(
    value: Any, enc_hook: Callable[[Any], Any] | None = None, *, msgpack: bool = False
) -> Any:
    """`value` as builtins, each Struct with its extra keys beside its fields."""
    native = _MSGPACK_NATIVE if msgpack else ()
    out = msgspec.to_builtins(value, enc_hook=enc_hook, builtin_types=native)
    for struct, part, _ in _structs(value, out, "$"):
        declared = extra_keys_of(type(struct))
        if declared is None or not isinstance(part, dict):
            continue
        known = _known_keys(type(struct))
        for key, item in declared.__get__(struct, type(struct)).items():
            if key not in known:
                part[key] = msgspec.to_builtins(item, enc_hook=enc_hook, builtin_types=native)
    return out
