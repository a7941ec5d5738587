"""`custom_types.custom_classes` against msgspec's own answer (`msgspec.inspect`), which it
stands in for at start-up: the same classes for every shape, read as Python types where that is
sure and asked of msgspec where it is not."""

from __future__ import annotations

import collections.abc
import dataclasses
import datetime
import enum
import typing
import uuid
from typing import Annotated, Any, Literal, NewType, TypedDict, TypeVar

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from specloom.runtime import custom_types
from specloom.runtime.untagged import Nothing, NumberEnum, UntaggedUnion


class Opaque:
    """A class msgspec knows nothing of: a custom type."""


class Other:
    pass


class Colour(enum.Enum):
    RED = "red"


class Rate(NumberEnum):
    values = (0.5, 1.5)


class Either(UntaggedUnion):
    members = (int, str)


class Leaf(msgspec.Struct):
    name: str
    when: datetime.datetime | None = None


class HoldsOpaque(msgspec.Struct):
    thing: Opaque | msgspec.UnsetType = msgspec.UNSET
    items: list[Annotated[Other, msgspec.Meta(description="x")]] = []


class Tree(msgspec.Struct):
    value: int
    children: list[Tree] = []  # a string under this module's future import: msgspec reads it
    extra: Opaque | None = None


class Derived(HoldsOpaque):
    colour: Colour = Colour.RED
    rate: Rate | None = None


T = TypeVar("T")


class Box(msgspec.Struct, typing.Generic[T]):
    item: T


@dataclasses.dataclass
class Point:
    where: Opaque
    id: uuid.UUID


class Mapping(TypedDict):
    key: Other


UserId = NewType("UserId", int)


def _plain_structs() -> tuple[type, ...]:
    """Structs declared with evaluated annotations (this module postpones its own)."""
    scope: dict[str, Any] = {
        "__name__": __name__,  # msgspec reads their string annotations in this module
        "msgspec": msgspec,
        "datetime": datetime,
        "Opaque": Opaque,
        "Either": Either,
        "Leaf": Leaf,
        "Nothing": Nothing,
        "Annotated": Annotated,
        "Literal": Literal,
    }
    source = (
        "class Cell(msgspec.Struct):\n"
        "    name: str\n"
        "    when: datetime.datetime | None = None\n"
        "class Plain(msgspec.Struct, kw_only=True):\n"
        "    a: Annotated[int, msgspec.Meta(ge=0)] | msgspec.UnsetType = msgspec.UNSET\n"
        "    b: dict[str, list[Cell]] = {}\n"
        "    c: tuple[int, ...] = ()\n"
        "    d: Literal['x', 'y'] = 'x'\n"
        "class Wide(Plain):\n"
        "    e: Either | None = None\n"
        "    f: tuple[Opaque, str] | None = None\n"
        "class Mixed(Wide):\n"
        "    g: 'Leaf | None' = None\n"
        "class Empty(msgspec.Struct):\n"
        "    n: Nothing | None = None\n"
    )
    # the shapes generated models.py declares; compiled without this module's future import
    code = compile(source, "<fixture>", "exec", dont_inherit=True)
    exec(code, scope)
    return scope["Plain"], scope["Wide"], scope["Mixed"], scope["Empty"]


Plain, Wide, Mixed, Empty = _plain_structs()

# the declared classes (and NewType) of this module, each a shape of its own and a leaf of the
# composed ones
CLASSES: list[Any] = [
    Opaque,
    Other,
    Colour,
    Rate,
    Either,
    Nothing,
    Leaf,
    HoldsOpaque,
    Tree,
    Derived,
    Point,
    Mapping,
    UserId,
    Plain,
    Wide,
    Mixed,
    Empty,
]
SHAPES: list[Any] = [
    int,
    str,
    None,
    Any,
    object,
    *CLASSES,
    Box[Opaque],
    Box,
    list[Opaque],
    dict[str, Other],
    tuple[Opaque, ...],
    tuple[()],
    Literal[1, 2],
    collections.abc.Sequence[Opaque],
    typing.List[Either],  # noqa: UP006
    Annotated[Mixed | None, "not msgspec's"],
    Opaque | msgspec.UnsetType,
    msgspec.UnsetType,
    "Opaque",
    T,
    list,
    dict,
]


def _msgspec(annotation: Any) -> set[type]:
    return set(custom_types._msgspec_answer(annotation))


@pytest.mark.parametrize("annotation", SHAPES, ids=repr)
def test_each_shape_answers_as_msgspec_does(annotation: Any) -> None:
    assert set(custom_types.custom_classes(annotation)) == _msgspec(annotation)


def test_plain_structs_are_read_without_msgspec(monkeypatch: pytest.MonkeyPatch) -> None:
    """The point of the module: a Struct of plain annotations over known types asks msgspec
    only about its leaf classes, never to translate the Struct."""
    asked: list[Any] = []
    real = custom_types._msgspec_answer

    def spy(annotation: Any) -> tuple[type, ...]:
        asked.append(annotation)
        return real(annotation)

    monkeypatch.setattr(custom_types, "_msgspec_answer", spy)
    monkeypatch.setattr(custom_types, "_STRUCTS", {})
    monkeypatch.setattr(custom_types, "_LEAVES", {})
    assert set(custom_types.custom_classes(list[Plain] | None)) == set()
    assert asked == []
    assert set(custom_types.custom_classes(Wide)) == {Opaque, Either}
    assert set(asked) == {Opaque, Either}  # leaves, each once
    # a string annotation: that class (only) is msgspec's to read
    assert set(custom_types.custom_classes(Mixed)) == {Opaque, Either}
    assert set(asked) == {Opaque, Either, Mixed}


_LEAVES_ST = st.sampled_from([int, str, float, bool, bytes, uuid.UUID, datetime.date, *CLASSES])


def _compose(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(
        children.map(lambda t: list[t]),  # type: ignore[valid-type]
        children.map(lambda t: dict[str, t]),  # type: ignore[valid-type]
        children.map(lambda t: tuple[t, ...]),  # type: ignore[valid-type]
        st.tuples(children, children).map(lambda ts: ts[0] | ts[1] if _unionable(*ts) else ts[0]),
        children.map(lambda t: Annotated[t, msgspec.Meta(description="d")]),
        children.map(lambda t: collections.abc.Sequence[t]),  # type: ignore[valid-type]
    )


def _unionable(a: Any, b: Any) -> bool:
    try:
        a | b
    except TypeError:
        return False
    return True


@settings(max_examples=200, deadline=None)
@given(st.recursive(_LEAVES_ST, _compose, max_leaves=6))
def test_composed_types_answer_as_msgspec_does(annotation: Any) -> None:
    try:
        msgspec.json.Decoder(annotation)
    except TypeError:  # msgspec refuses the type (a union of a custom type and another): the
        return  # callers refuse it before they ask (a body's decoder, a parameter's type_info)
    assert set(custom_types.custom_classes(annotation)) == _msgspec(annotation)
