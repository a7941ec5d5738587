"""ResponseHeader validation and normalize_response_headers."""

from __future__ import annotations

import pytest

from specloom.runtime.datastructures import ResponseHeader, normalize_response_headers
from specloom.runtime.exceptions import ImproperlyConfiguredException


def test_defaults_and_documentation_only() -> None:
    header = ResponseHeader(name="my-local-header", value="local header", description="local")
    assert (header.name, header.value, header.description) == (
        "my-local-header",
        "local header",
        "local",
    )
    assert header.documentation_only is False and header.required is False
    assert header.schema is None
    assert ResponseHeader(name="Random-Header", documentation_only=True).value is None


def test_missing_value_message() -> None:
    with pytest.raises(ImproperlyConfiguredException) as info:
        ResponseHeader(name="x")
    assert (
        str(info.value) == "ResponseHeader 'x' has no value; set a value or documentation_only=True"
    )


@pytest.mark.parametrize("name", ["", "a b", "x:y", "x\r\ny", "x\x00", "é"])
def test_invalid_names(name: str) -> None:
    with pytest.raises(ImproperlyConfiguredException):
        ResponseHeader(name=name, value="v")


@pytest.mark.parametrize("value", ["a\r\nSet-Cookie: x=y", "a\nb", "a\rb", "a\x00b", "\u2603"])
def test_invalid_values(value: str) -> None:
    with pytest.raises(ImproperlyConfiguredException):
        ResponseHeader(name="x", value=value)


def test_allowed_values() -> None:
    assert ResponseHeader(name="x", value="").value == ""
    assert ResponseHeader(name="x", value="a\tb café").value == "a\tb café"


def test_normalize_response_headers() -> None:
    assert normalize_response_headers(None) == []
    assert normalize_response_headers({"my-header": "header-value"}) == [
        ResponseHeader(name="my-header", value="header-value")
    ]
    headers = [ResponseHeader(name="a", value="1"), ResponseHeader(name="b", value="2")]
    result = normalize_response_headers(headers)
    assert result == headers and result is not headers
    assert normalize_response_headers(tuple(headers)) == headers
    with pytest.raises(ImproperlyConfiguredException):
        normalize_response_headers({"bad name": "v"})
    with pytest.raises(ImproperlyConfiguredException):
        normalize_response_headers([("a", "1")])  # type: ignore[list-item]
    with pytest.raises(ImproperlyConfiguredException):
        normalize_response_headers("a: 1")  # type: ignore[arg-type]
