"""Model classes beyond what msgspec says of them: the component classes of growing leaves."""

from __future__ import annotations

import enum
from typing import Annotated, Any

import msgspec
import msgspec.inspect
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from specloom.runtime import type_info
from specloom.runtime.openapi import model_docs


class Colour(enum.Enum):
    RED = "red"


class Leaf(msgspec.Struct):
    colour: Colour


class Branch(msgspec.Struct):
    leaves: list[Leaf]
    other: dict[str, Branch] | None = None


class Apart(msgspec.Struct):
    value: int


def test_component_types_walk_only_the_leaves_added(monkeypatch: Any) -> None:
    leaves: list[Any] = [list[Branch]]
    collected = model_docs._ComponentTypes()
    assert collected.of(leaves) == [Branch, Leaf, Colour]
    asked: list[list[Any]] = []
    real = model_docs.multi_type_info

    def counting(annotations: list[Any]) -> Any:
        asked.append(annotations)
        return real(annotations)

    monkeypatch.setattr(model_docs, "multi_type_info", counting)
    leaves += [Apart, Leaf]
    assert collected.of(leaves) == [Branch, Leaf, Colour, Apart]  # as a walk of all of them
    assert asked == [[Apart, Leaf]]
    assert model_docs._ComponentTypes().of(leaves) == collected.of(leaves)


def test_component_types_of_a_refused_leaf_are_none() -> None:
    collected = model_docs._ComponentTypes()
    leaves: list[Any] = [Branch]
    assert collected.of(leaves) != []
    leaves.append(Annotated[int, msgspec.Meta(min_length=1)])  # a length on a number
    assert collected.of(leaves) == model_docs._ComponentTypes().of(leaves) == []


class Pair(msgspec.Struct):
    left: Leaf
    right: tuple[Apart, Colour] | None = None


_CLASSES = st.sampled_from([int, str, Colour, Leaf, Branch, Apart, Pair])


def _compose(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(
        children.map(lambda t: list[t]),  # type: ignore[valid-type]
        children.map(lambda t: dict[str, t]),  # type: ignore[valid-type]
        st.tuples(children, children).map(lambda ts: tuple[ts[0], ts[1]]),  # type: ignore[misc]
        children.map(lambda t: Annotated[t, msgspec.Meta(description="d")]),
        children.map(lambda t: t | None),
        st.tuples(children, children).map(lambda ts: _union(*ts)),
    )


def _union(a: Any, b: Any) -> Any:
    try:
        return a | b
    except TypeError:
        return a


@settings(max_examples=150, deadline=None)
@given(st.lists(st.recursive(_CLASSES, _compose, max_leaves=5), min_size=1, max_size=5))
def test_component_types_are_msgspecs_in_its_order(leaves: list[Any]) -> None:
    steps = pytest.importorskip("msgspec._json_schema")  # msgspec's own collection
    collect = steps._collect_component_types
    try:  # the kept answers, as the walk reads them (`X | Y` equals `Y | X`: one answer)
        infos = type_info.multi_type_info(leaves)
    except (TypeError, ValueError):
        return
    assert model_docs._ComponentTypes().of(leaves) == list(collect(infos))
