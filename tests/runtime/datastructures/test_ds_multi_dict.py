"""MultiDict / ImmutableMultiDict: first-value lookups, getall, add, dict(), copy, equality."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from specloom.runtime.datastructures import ImmutableMultiDict, MultiDict


def test_seed_page_example() -> None:
    assert MultiDict([("foo", "bar"), ("foo", "baz")]).dict() == {"foo": ["bar", "baz"]}


def test_lookups_return_the_first_value() -> None:
    data = ImmutableMultiDict([("a", 1), ("b", 2), ("a", 3)])
    assert data["a"] == 1
    assert data.get("a") == 1
    assert data.get("z") is None
    assert data.getall("a") == [1, 3]
    assert data.getall("z", []) == []
    with pytest.raises(KeyError):
        data.getall("z")
    assert list(data) == ["a", "b"]
    assert len(data) == 2
    assert "b" in data and "z" not in data
    assert data.multi_items() == [("a", 1), ("b", 2), ("a", 3)]
    assert list(data.items()) == [("a", 1), ("b", 2)]


def test_construct_from_mapping_and_from_multidict() -> None:
    assert ImmutableMultiDict({"a": [1, 2]}).getall("a") == [[1, 2]]  # lists are not expanded
    source = MultiDict([("a", 1), ("a", 2)])
    assert ImmutableMultiDict(source).getall("a") == [1, 2]
    assert MultiDict().dict() == {}


def test_mutation() -> None:
    data: MultiDict[int] = MultiDict({"a": 1})
    data.add("a", 2)
    data.add("b", 3)
    assert data.getall("a") == [1, 2]
    data["a"] = 9
    assert data.getall("a") == [9]
    assert data.multi_items() == [("b", 3), ("a", 9)]
    data.extend([("b", 4)])
    assert data.popall("b") == [3, 4]
    assert "b" not in data
    del data["a"]
    assert len(data) == 0
    with pytest.raises(KeyError):
        del data["a"]
    data.update({"x": 1})
    assert data.pop("x") == 1


def test_copy_is_independent_and_keeps_the_class() -> None:
    data = MultiDict([("a", 1)])
    clone = data.copy()
    assert isinstance(clone, MultiDict) and clone == data
    clone.add("a", 2)
    assert data.getall("a") == [1]
    frozen = data.to_immutable()
    assert type(frozen) is ImmutableMultiDict and frozen == data
    assert type(frozen.copy()) is ImmutableMultiDict


def test_equality() -> None:
    assert MultiDict([("a", 1), ("b", 2)]) == ImmutableMultiDict([("b", 2), ("a", 1)])
    assert MultiDict([("a", 1), ("a", 2)]) != MultiDict([("a", 2), ("a", 1)])
    assert MultiDict([("a", 1)]) == {"a": 1}
    assert MultiDict([("a", 1)]) != [("a", 1)]


@given(st.lists(st.tuples(st.sampled_from("abcde"), st.integers()), max_size=30))
def test_matches_a_reference_model(pairs: list[tuple[str, int]]) -> None:
    data = MultiDict(pairs)
    expected: dict[str, list[int]] = {}
    for key, value in pairs:
        expected.setdefault(key, []).append(value)
    assert data.dict() == expected
    assert {key: data[key] for key in data} == {key: values[0] for key, values in expected.items()}
    assert data.multi_items() == pairs
    assert MultiDict(data.multi_items()) == data
