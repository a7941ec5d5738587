"""Cookie: Set-Cookie serialisation, validation, and round trips through http.cookies."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from http.cookies import SimpleCookie

import pytest
from hypothesis import given
from hypothesis import strategies as st

from specloom.runtime.datastructures import Cookie
from specloom.runtime.exceptions import ImproperlyConfiguredException


def _parse(header: str) -> SimpleCookie:
    cookie = SimpleCookie()
    cookie.load(header)
    return cookie


def test_defaults() -> None:
    cookie = Cookie(key="my-cookie", value="abc")
    assert cookie.to_header() == "my-cookie=abc; Path=/; SameSite=lax"
    assert cookie.to_header(include_header_name=True) == (
        "set-cookie: my-cookie=abc; Path=/; SameSite=lax"
    )
    assert cookie.to_encoded_header() == (b"set-cookie", b"my-cookie=abc; Path=/; SameSite=lax")
    assert Cookie(key="empty").to_header() == "empty=; Path=/; SameSite=lax"


def test_all_attributes() -> None:
    cookie = Cookie(
        key="k",
        value="v",
        max_age=60,
        expires=datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC),
        path="/api",
        domain="example.com",
        secure=True,
        httponly=True,
        samesite="strict",
        partitioned=True,
    )
    assert cookie.to_header() == (
        "k=v; Path=/api; Domain=example.com; Max-Age=60; "
        "Expires=Wed, 02 Jan 2030 03:04:05 GMT; Secure; HttpOnly; SameSite=strict; Partitioned"
    )


def test_samesite_none_and_partitioned_force_secure() -> None:
    assert "; Secure" in Cookie(key="k", value="v", samesite="none").to_header()
    assert "; Secure" in Cookie(key="k", value="v", partitioned=True).to_header()
    assert "Secure" not in Cookie(key="k", value="v", secure=False).to_header()


def test_expires_in_seconds_from_now_and_naive_datetime() -> None:
    header = Cookie(key="k", value="v", expires=3600).to_header()
    expires = parsedate_to_datetime(_parse(header)["k"]["expires"])
    assert abs(expires.timestamp() - (time.time() + 3600)) < 5
    naive = Cookie(key="k", expires=datetime(2030, 1, 1)).to_header()
    assert "Expires=Tue, 01 Jan 2030 00:00:00 GMT" in naive
    aware = datetime(2030, 1, 1, 2, tzinfo=UTC).astimezone(timezone(timedelta(hours=2)))
    assert "Expires=Tue, 01 Jan 2030 02:00:00 GMT" in Cookie(key="k", expires=aware).to_header()


@pytest.mark.parametrize("key", ["", "a b", "a;b", "a\r\nSet-Cookie: x=y", "a=b", 'a"', "é"])
def test_invalid_keys_are_rejected(key: str) -> None:
    with pytest.raises(ImproperlyConfiguredException):
        Cookie(key=key, value="v")


@pytest.mark.parametrize(
    "kwargs",
    [
        {"path": "/a;Domain=evil"},
        {"path": "/a\r\nX: y"},
        {"domain": "a.com;Secure"},
        {"samesite": "sideways"},
        {"max_age": "60"},
        {"max_age": True},
        {"expires": 1.5},
        {"value": "snowman \u2603"},
    ],
)
def test_invalid_attributes_are_rejected(kwargs: dict[str, object]) -> None:
    with pytest.raises(ImproperlyConfiguredException):
        Cookie(key="k", **kwargs)  # type: ignore[arg-type]


def test_samesite_is_normalised() -> None:
    assert Cookie(key="k", samesite="Strict").samesite == "strict"  # type: ignore[arg-type]


def test_values_that_need_quoting_cannot_inject_attributes() -> None:
    header = Cookie(key="k", value="x; Domain=evil.com\r\nSet-Cookie: a=b").to_header()
    assert "\r" not in header and "\n" not in header
    assert header.count(";") == 2  # only the separators before Path and SameSite
    assert _parse(header)["k"].value == "x; Domain=evil.com\r\nSet-Cookie: a=b"


_keys = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.!", min_size=1
)
_values = st.text(alphabet=st.characters(max_codepoint=0xFF))
# http.cookies treats attribute names as reserved keys.
_reserved = {"expires", "path", "comment", "domain", "max-age", "secure", "httponly", "version"}


@given(
    key=_keys.filter(lambda key: key.lower() not in _reserved | {"samesite"}),
    value=_values,
    max_age=st.none() | st.integers(min_value=0, max_value=10**9),
    path=st.sampled_from(["/", "/api", "/a/b"]),
    domain=st.none() | st.sampled_from(["example.com", ".example.org"]),
    secure=st.none() | st.booleans(),
    httponly=st.none() | st.booleans(),
    samesite=st.sampled_from(["lax", "strict", "none"]),
)
def test_round_trip_through_http_cookies(
    key: str,
    value: str,
    max_age: int | None,
    path: str,
    domain: str | None,
    secure: bool | None,
    httponly: bool | None,
    samesite: str,
) -> None:
    cookie = Cookie(
        key=key,
        value=value,
        max_age=max_age,
        path=path,
        domain=domain,
        secure=secure,
        httponly=httponly,
        samesite=samesite,  # type: ignore[arg-type]
    )
    header = cookie.to_header()
    header.encode("latin-1")
    assert not any(char in header for char in "\r\n\x00")
    morsel = _parse(header)[key]
    assert morsel.value == value
    assert morsel["path"] == path
    assert morsel["domain"] == (domain or "")
    assert morsel["max-age"] == ("" if max_age is None else str(max_age))
    assert bool(morsel["secure"]) == bool(secure or samesite == "none")
    assert bool(morsel["httponly"]) == bool(httponly)
    assert morsel["samesite"] == samesite
