"""ETag: the seed page's parsing examples, serialisation and validation."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from specloom.runtime.datastructures import ETag
from specloom.runtime.exceptions import ImproperlyConfiguredException


def test_seed_page_examples() -> None:
    assert ETag.from_header('"foo"') == ETag(value="foo")
    assert ETag.from_header('W/"foo"') == ETag(value="foo", weak=True)


def test_to_header() -> None:
    assert ETag(value="foo").to_header() == '"foo"'
    assert ETag(value="bar", weak=True).to_header() == 'W/"bar"'
    assert ETag(value="foo").to_header(include_header_name=True) == 'etag: "foo"'
    assert ETag.HEADER_NAME == "etag"
    assert ETag(value="").to_header() == '""'


def test_documentation_only() -> None:
    etag = ETag(documentation_only=True)
    assert etag.value is None
    with pytest.raises(ImproperlyConfiguredException):
        etag.to_header()
    with pytest.raises(ImproperlyConfiguredException):
        ETag()


@pytest.mark.parametrize("value", ['a"b', "a b", "a\r\nb", "\x00", "\u2603"])
def test_invalid_values(value: str) -> None:
    with pytest.raises(ImproperlyConfiguredException):
        ETag(value=value)


@pytest.mark.parametrize("header", ["foo", '"foo', 'w/"foo"', "W/foo", '"a"b"', '"a" "b"', ""])
def test_invalid_headers(header: str) -> None:
    with pytest.raises(ValueError):
        ETag.from_header(header)


_etagc = st.text(
    alphabet=st.characters(codec="latin-1").filter(
        lambda c: c == "!" or "#" <= c <= "~" or c >= "\x80"
    )
)


@given(_etagc, st.booleans())
def test_round_trip(value: str, weak: bool) -> None:
    etag = ETag(value=value, weak=weak)
    assert ETag.from_header(etag.to_header()) == etag
    assert ETag.from_header(f"  {etag.to_header()} ") == etag
