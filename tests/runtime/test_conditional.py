"""The one evaluation of conditional requests, shared by handler responses and `File`."""

from __future__ import annotations

import pytest

from specloom.runtime.conditional import (
    http_date_seconds,
    is_not_modified,
    not_modified,
    not_modified_headers,
    opaque_tag,
)

DATE = "Sun, 06 Nov 1994 08:49:37 GMT"
SECONDS = 784111777


def test_http_dates_and_tags() -> None:
    assert http_date_seconds(DATE) == SECONDS
    assert http_date_seconds("yesterday") is None
    assert opaque_tag(' W/"a" ') == '"a"' and opaque_tag('"a"') == '"a"'


@pytest.mark.parametrize(
    ("if_none_match", "if_modified_since", "etag", "modified", "expected"),
    [
        ('"a"', None, '"a"', None, True),
        ('"b", W/"a"', None, '"a"', None, True),  # the weak comparison
        ('"b"', None, '"a"', None, False),
        ('"a"', None, None, None, False),
        ("*", None, None, None, True),  # any current representation matches
        ('"b"', DATE, '"a"', SECONDS, False),  # If-None-Match takes precedence
        (None, DATE, None, SECONDS, True),
        (None, DATE, None, SECONDS + 1, False),
        (None, "not a date", None, SECONDS, False),
        (None, DATE, None, None, False),
        (None, None, '"a"', SECONDS, False),
    ],
)
def test_not_modified(
    if_none_match: str | None,
    if_modified_since: str | None,
    etag: str | None,
    modified: int | None,
    expected: bool,
) -> None:
    assert not_modified(if_none_match, if_modified_since, etag, modified) is expected


def test_a_response_s_own_headers_are_its_validators() -> None:
    headers = [(b"etag", b'"a"'), (b"last-modified", DATE.encode()), (b"content-length", b"2")]

    def scope(method: str, *request: tuple[bytes, bytes]) -> dict[str, object]:
        return {"method": method, "headers": list(request)}

    assert is_not_modified(scope("GET", (b"if-none-match", b'"a"')), headers)
    assert is_not_modified(scope("HEAD", (b"if-modified-since", DATE.encode())), headers)
    assert not is_not_modified(scope("POST", (b"if-none-match", b'"a"')), headers)
    assert not is_not_modified(scope("GET"), headers)
    assert not_modified_headers(headers) == headers[:2]
