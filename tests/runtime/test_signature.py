"""signature._type_hints: a handler's annotations as `typing.get_type_hints` gives them, read
as written where nothing in them needs evaluating."""

from __future__ import annotations

import inspect
import typing
from typing import Annotated, Any, Optional

import msgspec
import pytest

from specloom.runtime.exceptions import ImproperlyConfiguredException
from specloom.runtime.signature import _type_hints, parse_signature


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


def _param_converter(annotation: Any) -> Any:
    def handler(value: Any = None) -> None:
        return None

    handler.__annotations__ = {"value": annotation, "return": None}
    signature = parse_signature(handler, path_params={}, dependency_names=set())
    (param,) = signature.params
    return param.convert


def test_parameters_that_check_alike_share_one_conversion() -> None:
    """What only documents a parameter's schema (its description, examples) changes nothing it
    reads: every operation's own description shares the conversion of its constraints."""
    converters = {
        _param_converter(
            Annotated[int, msgspec.Meta(ge=1, le=9, description=text, examples=[2])] | None
        )
        for text in ("one", "two", "three")
    }
    assert len(converters) == 1
    (convert,) = converters
    assert convert("5") == 5
    with pytest.raises(msgspec.ValidationError, match=">= 1"):
        convert("0")


def _params(
    annotations: dict[str, Any],
    path_params: dict[str, Any] | None = None,
    dependencies: frozenset[str] | set[str] = frozenset(),
) -> Any:
    def handler(**kwargs: Any) -> None:
        return None

    handler.__annotations__ = annotations
    handler.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY) for name in annotations]
    )
    signature = parse_signature(
        handler, path_params=path_params or {}, dependency_names=dependencies
    )
    assert signature.dependencies == sorted(dependencies)
    return {param.name: param for param in signature.params}


def test_an_alias_handlers_share_is_read_once_and_only_where_alike() -> None:
    """One annotation object (the alias generated operations share) gives one spec; the same
    annotation under another name, as a path parameter or with another marker gives its own."""
    from specloom.runtime.params import Parameter

    limit = Annotated[int, Parameter(query="limit", schema_extra={"x": 1})]
    first = _params({"limit": limit})["limit"]
    assert _params({"limit": limit})["limit"] is first
    assert first.source == "query" and first.key == "limit" and first.required
    assert _params({"limit": limit}, dependencies={"limit"}) == {}  # provided: no parameter
    other = _params({"size": limit})["size"]
    assert other is not first and other.name == "size"
    equal = Annotated[int, Parameter(query="limit", schema_extra={"x": 1})]
    assert _params({"limit": equal})["limit"] == first  # equal, read again: not kept by value
    path = Annotated[int, Parameter(path="limit")]
    assert _params({"limit": path}, {"limit": int})["limit"].source == "path"
    assert _params({"limit": path}, {"limit": str})["limit"].annotation is path  # as written
    assert _params({"id": Any}, {"id": int})["id"].annotation is int  # untyped: the template's
    assert _params({"id": Any}, {"id": str})["id"].annotation is str
