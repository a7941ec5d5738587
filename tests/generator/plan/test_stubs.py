"""Stub bodies: a paginated operation pages with its paginator, with fallbacks and echoes."""

from __future__ import annotations

from pathlib import Path

import pytest

from specloom.generator.build_ir import parse
from specloom.generator.ir import Api, Constraints, Parameter, PrimitiveType
from specloom.generator.plan.operations import plan_operations
from specloom.generator.plan.stubs import page_fallback
from specloom.generator.plan.views import Arg, BodyStatement, Call, HandlerStub

FIXTURES = Path(__file__).parents[1] / "fixtures"


@pytest.fixture(scope="module")
def stubs() -> dict[str, HandlerStub]:
    api: Api = parse(FIXTURES / "pagination.yaml")
    return {stub.name: stub for stub in plan_operations(api).handlers["default"]}


def test_a_paging_argument_the_request_may_leave_out_gets_a_fallback(
    stubs: dict[str, HandlerStub],
) -> None:
    page = stubs["classic"].page
    assert page is not None
    assert page.fallbacks == (("per_page", 50), ("page", 1))
    assert page.result == "page_"  # `page` is a parameter: the page takes another name
    assert page.arguments == (Arg("page_size", "per_page"), Arg("current_page", "page"))


def test_a_nested_next_cursor_builds_the_nested_model(stubs: dict[str, HandlerStub]) -> None:
    page = stubs["cursor"].page
    assert page is not None
    nested = Call("m.CursorResponseMeta", (Arg("next_cursor", "page.cursor"),))
    assert page.returned == Call(
        "m.CursorResponse", (Arg("data", "page.items"), Arg("meta", nested))
    )


def test_an_optional_cursor_field_is_prepared_and_echoes_are_passed(
    stubs: dict[str, HandlerStub],
) -> None:
    feed, echo = stubs["feed"].page, stubs["echo"].page
    assert feed is not None and echo is not None
    assert feed.placings == (BodyStatement("next_", "str", "page.cursor"),)
    assert echo.returned.function == "Response"  # the success response has headers
    inner = echo.returned.args[0].value
    assert isinstance(inner, Call) and Arg("start_at", "start_at") in inner.args


def test_an_operation_without_pagination_raises(stubs: dict[str, HandlerStub]) -> None:
    assert stubs["bare"].page is None and stubs["bare"].note == ""


@pytest.mark.parametrize(
    ("bounds", "role", "kind", "expected"),
    [
        ({}, "size", "offset", 50),
        ({"le": 20}, "size", "offset", 20),
        ({"lt": 20}, "size", "offset", 19),
        ({"ge": 100}, "size", "offset", 100),
        ({}, "position", "classic", 1),
        ({}, "position", "offset", 0),
        ({"gt": 0}, "position", "offset", 1),
    ],
)
def test_page_fallbacks_stay_within_the_parameter_bounds(
    bounds: dict[str, int], role: str, kind: str, expected: int
) -> None:
    parameter = Parameter(
        name="n",
        python_name="n",
        location="query",
        type=PrimitiveType("int", constraints=Constraints(**bounds)),
    )
    assert page_fallback(parameter, role, kind) == expected
