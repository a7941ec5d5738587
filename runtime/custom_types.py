"""The classes msgspec would hand a decode hook, found from the Python types where that is sure.

A request body's type and each parameter's are asked, at start-up, which classes in them msgspec
cannot decode by itself (`signature.find_custom_type`, `needs_decode_hook`). msgspec's own
answer (`msgspec.inspect`, kept per process in `type_info.py`) translates every type the
annotation reaches into msgspec's type objects: at start-up of a generated app of 1,000
operations that was a third of `App`'s construction, spent only to learn that the answer is
"none". Here the common shapes are read as Python types instead (`Annotated`, unions, the
builtin containers, msgspec Structs, enums and the scalars msgspec knows), each Struct class
once per process. Whatever is not one of them is asked of msgspec: a class or other
self-contained leaf as itself, and a Struct whose annotations are not all plain objects
(strings, forward references, type variables, generics it does not know) as a whole class,
since only msgspec resolves those as it decodes them. So the answer is msgspec's wherever this
module is not certain of it.
"""

from __future__ import annotations

import datetime
import decimal
import enum
import types
import uuid
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import msgspec

from .type_info import gathered, type_info

__all__ = ["custom_classes"]

# types msgspec decodes by itself, with no part below them
_SCALARS: frozenset[Any] = frozenset(
    {
        Any,
        None,
        type(None),
        bool,
        int,
        float,
        str,
        bytes,
        bytearray,
        datetime.datetime,
        datetime.date,
        datetime.time,
        datetime.timedelta,
        uuid.UUID,
        decimal.Decimal,
        msgspec.Raw,
    }
)
_CONTAINERS: frozenset[Any] = frozenset({list, set, frozenset, tuple, dict})
_UNIONS: frozenset[Any] = frozenset({Union, types.UnionType})

# Struct class -> the custom classes it reaches (its fields' types, and theirs)
_STRUCTS: dict[type, tuple[type, ...]] = {}
# any other class -> msgspec's answer for it
_LEAVES: dict[type, tuple[type, ...]] = {}


class _Unsure(Exception):
    """A part only msgspec can read in context (a string, a forward reference, ...)."""


def custom_classes(annotation: Any) -> tuple[type, ...]:
    """The classes in `annotation` that msgspec would decode only with a hook (never `object`),
    each once."""
    found: dict[type, None] = {}
    try:
        _walk(annotation, found, set())
    except _Unsure:
        return _msgspec_answer(annotation)
    return tuple(found)


def _msgspec_answer(annotation: Any) -> tuple[type, ...]:
    try:
        info = type_info(annotation)
    except (TypeError, ValueError):
        return ()
    return gathered(info, _custom_class)


def _custom_class(node: Any) -> tuple[type, ...]:
    """A custom type's class (not `object`: `Any` in a TypedDict, say)."""
    if isinstance(node, msgspec.inspect.CustomType) and node.cls is not object:
        return (node.cls,)
    return ()


def _walk(tp: Any, found: dict[type, None], active: set[type]) -> None:
    try:
        if tp in _SCALARS:
            return
    except TypeError:  # unhashable (an annotation carrying a list, say)
        pass
    origin = get_origin(tp)
    if origin is Annotated:
        _walk(tp.__origin__, found, active)
    elif origin in _UNIONS:
        for arg in get_args(tp):
            if arg is not msgspec.UnsetType:  # a member msgspec leaves out (a field unset)
                _walk(arg, found, active)
    elif origin in _CONTAINERS:
        args = get_args(tp)
        if not args:
            raise _Unsure
        for arg in args:
            if arg is not Ellipsis:
                _walk(arg, found, active)
    elif origin is Literal:
        return
    elif origin is not None:
        raise _Unsure  # another generic: msgspec reads it (in context)
    elif isinstance(tp, type):
        if isinstance(tp, enum.EnumMeta):
            return
        if issubclass(tp, msgspec.Struct):
            found.update(dict.fromkeys(_struct(tp, active)))
        else:
            leaf = _LEAVES.get(tp)
            if leaf is None:
                leaf = _LEAVES[tp] = _msgspec_answer(tp)
            found.update(dict.fromkeys(leaf))
    else:
        raise _Unsure


def _struct(cls: type, active: set[type]) -> tuple[type, ...]:
    known = _STRUCTS.get(cls)
    if known is not None:
        return known
    if cls in active or bool(getattr(cls, "__parameters__", None)):
        raise _Unsure  # a cycle or a generic Struct: msgspec's reading, from the top
    active.add(cls)
    found: dict[type, None] = {}
    try:
        for annotation in _field_annotations(cls):
            _walk(annotation, found, active)
        answer = tuple(found)
    except _Unsure:
        answer = _msgspec_answer(cls)
    finally:
        active.discard(cls)
    _STRUCTS[cls] = answer
    return answer


def _field_annotations(cls: type) -> list[Any]:
    """The annotation of each of a Struct's fields, as its class (or the nearest base) wrote
    it."""
    layers = [vars(base).get("__annotations__", {}) for base in cls.__mro__]
    out = []
    for name in getattr(cls, "__struct_fields__", ()):
        for layer in layers:
            if name in layer:
                out.append(layer[name])
                break
        else:
            raise _Unsure
    return out
