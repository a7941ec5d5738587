"""Model classes beyond what msgspec says of them: the component classes of growing leaves."""

from __future__ import annotations

import enum
from typing import Annotated, Any

import msgspec

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
