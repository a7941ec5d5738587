"""Headers: case-insensitive, multi-valued, lazily decoded view over ASGI raw headers."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from specloom.runtime.datastructures import Headers

RAW = [
    (b"content-type", b"text/html"),
    (b"X-Multi", b"one"),
    (b"accept", b"*/*"),
    (b"x-multi", b"two"),
    (b"x-latin", "caf\xe9".encode("latin-1")),
]


def test_mapping_api_returns_first_value() -> None:
    headers = Headers(RAW)
    assert headers["Content-Type"] == "text/html"
    assert headers["x-multi"] == "one"
    assert headers.get("X-MULTI") == "one"
    assert headers.get("missing") is None
    assert headers.get("missing", "d") == "d"
    not_a_name: object = 1
    assert "ACCEPT" in headers and "nope" not in headers and not_a_name not in headers
    assert len(headers) == 4
    assert list(headers) == ["content-type", "x-multi", "accept", "x-latin"]
    with pytest.raises(KeyError):
        headers["missing"]


def test_getall_items_and_multi_items() -> None:
    headers = Headers(RAW)
    assert headers.getall("X-Multi") == ["one", "two"]
    assert headers.getall("missing") == []
    assert headers["x-latin"] == "café"
    assert dict(headers.items())["x-multi"] == "one"
    assert headers.multi_items() == [
        ("content-type", "text/html"),
        ("x-multi", "one"),
        ("accept", "*/*"),
        ("x-multi", "two"),
        ("x-latin", "café"),
    ]


def test_from_scope_and_raw_are_not_copied() -> None:
    scope = {"type": "http", "headers": RAW}
    headers = Headers.from_scope(scope)
    assert headers.raw is RAW
    assert Headers.from_scope({"type": "http"}) == Headers()
    assert len(Headers()) == 0


def test_index_is_built_once() -> None:
    headers = Headers(RAW)
    assert headers["accept"] == "*/*"
    index = headers._index
    assert index is not None
    assert headers.get("x-multi") == "one"
    assert headers._index is index


def test_from_mapping_and_equality() -> None:
    assert Headers({"Content-Type": "a"}) == Headers([(b"content-type", b"a")])
    assert Headers({"a": "1"}) == {"a": "1"}
    assert Headers({"a": "1"}) != Headers({"a": "2"})


_names = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_", min_size=1)
_values = st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0xFF))


@given(st.lists(st.tuples(_names, _values), max_size=20))
def test_round_trip_against_a_reference_model(pairs: list[tuple[str, str]]) -> None:
    raw = [(name.encode("latin-1"), value.encode("latin-1")) for name, value in pairs]
    headers = Headers(raw)
    expected: dict[str, list[str]] = {}
    for name, value in pairs:
        expected.setdefault(name.lower(), []).append(value)
    assert list(headers) == list(expected)
    for name, values in expected.items():
        assert headers.getall(name.upper()) == values
        assert headers[name] == values[0]
    assert headers.multi_items() == [(name.lower(), value) for name, value in pairs]
