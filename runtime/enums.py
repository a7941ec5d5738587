"""Enumerations shared by the runtime's public API, and the base of generated string enums."""

from __future__ import annotations

import enum
import sys
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["HttpMethod", "MediaType", "StrEnum"]

# The standard library's own quick construction of an Enum from a plain class (it builds
# `re.RegexFlag`, `http.HTTPStatus`...): private, so used only where it exists, and only
# before 3.13, whose class statement builds an enum as fast (2,250 enums of a generated
# package: 0.09 s against 0.15 on 3.11, 0.11 against 0.15 on 3.12, 0.17 against 0.15 on 3.13).
_SIMPLE: Callable[..., Callable[[type], type]] | None = (
    getattr(enum, "_simple_enum", None) if sys.version_info < (3, 13) else None
)
_QUICK_BASE: type | None = None  # `StrEnum`, once defined


class _StrEnumType(enum.EnumType):
    """The metaclass of `StrEnum`. A direct subclass whose body holds only members (and a
    docstring) is built by `enum._simple_enum`, which leaves out the checks and hooks of a
    class statement (a third of the time of each class); anything else as a class statement
    builds it."""

    @classmethod
    def __prepare__(  # type: ignore[override]
        metacls, cls: str, bases: tuple[type, ...], **kwds: Any
    ) -> Mapping[str, Any]:
        if _SIMPLE is None or kwds or _QUICK_BASE is None or bases != (_QUICK_BASE,):
            return super().__prepare__(cls, bases, **kwds)
        return _Body()  # a plain namespace: `__new__` decides

    def __new__(metacls, cls: str, bases: tuple[type, ...], classdict: Any, **kwds: Any) -> Any:
        if kwds or isinstance(classdict, enum._EnumDict) or _SIMPLE is None:
            return super().__new__(metacls, cls, bases, classdict, **kwds)
        if not _plain(classdict):  # more than members: the class statement's way
            prepared = super().__prepare__(cls, bases)
            for name, value in classdict.items():
                prepared[name] = value
            return super().__new__(metacls, cls, bases, prepared)
        made = _SIMPLE(bases[0])(_Source(cls, classdict))  # type: ignore[arg-type]
        made.__doc__ = classdict.get("__doc__")  # None without one, as a class statement
        made._new_member_ = bases[0]._new_member_  # type: ignore[attr-defined]  # str's checks
        return made


class _Source:
    """What `_simple_enum` reads of the class it converts (its name and namespace), without
    making that class."""

    __slots__ = ("__dict__", "__name__")

    def __init__(self, name: str, namespace: dict[str, Any]) -> None:
        self.__name__ = name
        self.__dict__ = namespace


class _Body(dict[str, Any]):
    """A class body's namespace that refuses a name given twice, as a class statement's."""

    def __setitem__(self, key: str, value: Any) -> None:
        if key in self:
            raise TypeError(f"{key!r} already defined as {self[key]!r}")
        super().__setitem__(key, value)


def _plain(classdict: Mapping[str, Any]) -> bool:
    """Whether a class body holds str members only, besides its module, name and docstring
    (a name a class statement refuses, `mro`, goes that way, to be refused)."""
    return all(
        (isinstance(value, str) and not name.startswith("_") and name != "mro")
        or name in ("__module__", "__qualname__", "__doc__")
        for name, value in classdict.items()
    )


class StrEnum(enum.StrEnum, metaclass=_StrEnumType):
    """`enum.StrEnum`, built faster: the base of generated enums of strings (a package of
    1,000 operations declares 2,000 of them). A subclass is an `enum.StrEnum` like any other,
    its members read by type checkers as written; only its construction differs."""


_QUICK_BASE = StrEnum


class MediaType(enum.StrEnum):
    """Common media types; any IANA media type string is accepted wherever these are."""

    JSON = "application/json"
    MESSAGEPACK = "application/x-msgpack"
    TEXT = "text/plain"
    HTML = "text/html"
    CSS = "text/css"
    XML = "application/xml"


class HttpMethod(enum.StrEnum):
    GET = "GET"
    POST = "POST"
    PUT = "PUT"
    PATCH = "PATCH"
    DELETE = "DELETE"
    HEAD = "HEAD"
    OPTIONS = "OPTIONS"
    TRACE = "TRACE"
