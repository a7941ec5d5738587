"""signature._type_hints: a handler's annotations as `typing.get_type_hints` gives them, read
as written where nothing in them needs evaluating."""

from __future__ import annotations

import typing
from typing import Annotated, Any, Optional

import msgspec
import pytest

from specloom.runtime.exceptions import ImproperlyConfiguredException
from specloom.runtime.signature import _type_hints


class Model(msgspec.Struct):
    name: str


def _function(annotations: dict[str, Any]) -> Any:
    def handler(**kwargs: Any) -> None:
        return None

    handler.__annotations__ = annotations
    return handler


PLAIN: list[dict[str, Any]] = [
    {"a": int, "return": None},
    {"a": Annotated[int | None, msgspec.Meta(ge=0)], "b": list[Model]},
    {"a": Optional[dict[str, Annotated[Model, "x"]]]},  # noqa: UP045  # typing's own generic
]
UNRESOLVED: list[dict[str, Any]] = [
    {"a": "Model"},
    {"a": list["Model"]},
    {"a": Annotated[dict[str, "Model"], msgspec.Meta(description="d")] | None},
    {"a": typing.List[typing.ForwardRef("Model")]},  # noqa: UP006
]


@pytest.mark.parametrize("annotations", PLAIN + UNRESOLVED, ids=repr)
def test_the_hints_are_get_type_hints_answer(annotations: dict[str, Any]) -> None:
    handler = _function(annotations)
    expected = typing.get_type_hints(handler, globalns=globals(), include_extras=True)
    assert _type_hints(handler, {}) == expected


@pytest.mark.parametrize("annotations", PLAIN, ids=repr)
def test_annotations_with_nothing_to_evaluate_are_the_objects_written(
    annotations: dict[str, Any],
) -> None:
    hints = _type_hints(_function(annotations), {})
    for name, value in annotations.items():
        assert hints[name] is (type(None) if value is None else value)


def test_a_name_that_does_not_resolve_is_a_clear_error() -> None:
    with pytest.raises(ImproperlyConfiguredException, match="cannot resolve type annotations"):
        _type_hints(_function({"a": "Missing"}), {})
