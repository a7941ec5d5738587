"""CacheControlHeader: serialisation, parsing and round trips."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from specloom.runtime.datastructures import CacheControlHeader
from specloom.runtime.exceptions import ImproperlyConfiguredException

_SECONDS = {
    "max_age",
    "s_maxage",
    "stale_while_revalidate",
    "stale_if_error",
    "max_stale",
    "min_fresh",
}
_DIRECTIVE_FIELDS = [
    field.name
    for field in fields(CacheControlHeader)
    if field.name not in ("documentation_only", "description")
]


def test_seed_page_values() -> None:
    assert CacheControlHeader(max_age=86_400, public=True).to_header() == "max-age=86400, public"
    assert (
        CacheControlHeader(max_age=2_628_288, public=True).to_header() == "max-age=2628288, public"
    )
    assert CacheControlHeader(no_store=True).to_header() == "no-store"
    assert CacheControlHeader.prevent_storing() == CacheControlHeader(no_store=True)
    assert CacheControlHeader.HEADER_NAME == "cache-control"
    assert CacheControlHeader(no_cache=True).to_header(include_header_name=True) == (
        "cache-control: no-cache"
    )


def test_every_directive_in_field_order() -> None:
    kwargs: dict[str, Any] = {name: (7 if name in _SECONDS else True) for name in _DIRECTIVE_FIELDS}
    assert CacheControlHeader(**kwargs).to_header() == (
        "max-age=7, s-maxage=7, no-cache, no-store, private, public, no-transform, "
        "must-revalidate, proxy-revalidate, must-understand, immutable, "
        "stale-while-revalidate=7, stale-if-error=7, max-stale=7, min-fresh=7, only-if-cached"
    )


def test_false_none_are_not_emitted_but_zero_is() -> None:
    assert CacheControlHeader(no_cache=False, public=None, max_age=0).to_header() == "max-age=0"
    assert CacheControlHeader().to_header() == ""


def test_from_header_is_lenient_about_form() -> None:
    parsed = CacheControlHeader.from_header(
        ' Max-Age="60" , no-cache="Set-Cookie, X-Foo", private, community="UCI", , max-stale'
    )
    assert parsed == CacheControlHeader(max_age=60, no_cache=True, private=True)
    assert CacheControlHeader.from_header("") == CacheControlHeader()
    assert CacheControlHeader.from_header("max-age=1, max-age=2").max_age == 2


@pytest.mark.parametrize(
    "value", ["max-age", "max-age=", "max-age=-1", "max-age=1.5", "s-maxage=x"]
)
def test_from_header_rejects_bad_seconds(value: str) -> None:
    with pytest.raises(ImproperlyConfiguredException):
        CacheControlHeader.from_header(value)
    with pytest.raises(ValueError):
        CacheControlHeader.from_header(value)


@pytest.mark.parametrize("kwargs", [{"max_age": -1}, {"max_age": "60"}, {"min_fresh": True}])
def test_invalid_field_values(kwargs: dict[str, Any]) -> None:
    with pytest.raises(ImproperlyConfiguredException):
        CacheControlHeader(**kwargs)


_headers = st.builds(
    CacheControlHeader,
    **{
        name: (
            (st.none() | st.integers(0, 2**40))
            if name in _SECONDS
            else st.sampled_from([None, True])
        )
        for name in _DIRECTIVE_FIELDS
    },
)


@given(_headers)
def test_round_trip(header: CacheControlHeader) -> None:
    assert CacheControlHeader.from_header(header.to_header()) == header


@given(
    st.builds(
        CacheControlHeader,
        **{
            name: (
                (st.none() | st.integers(0, 10**6))
                if name in _SECONDS
                else st.none() | st.booleans()
            )
            for name in _DIRECTIVE_FIELDS
        },
    )
)
def test_serialisation_is_stable_with_false_flags(header: CacheControlHeader) -> None:
    text = header.to_header()
    assert CacheControlHeader.from_header(text).to_header() == text
