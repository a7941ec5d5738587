"""status_codes: every constant matches http.HTTPStatus, and every HTTPStatus has a constant."""

from __future__ import annotations

import re
from http import HTTPStatus

from specloom.runtime import status_codes

_NAME_RE = re.compile(r"(HTTP|WS)_(\d{3,4})_([A-Z_]+)")
# Names that http.HTTPStatus (Python 3.11) does not carry; checked by number only.
_EXTRA_NAMES = {
    "HTTP_306_RESERVED",
    "HTTP_413_CONTENT_TOO_LARGE",
    "HTTP_414_URI_TOO_LONG",
    "HTTP_416_RANGE_NOT_SATISFIABLE",
    "HTTP_422_UNPROCESSABLE_CONTENT",
}


def _constants() -> dict[str, int]:
    return {name: getattr(status_codes, name) for name in status_codes.__all__}


def test_all_lists_every_public_constant() -> None:
    public = {name for name in vars(status_codes) if _NAME_RE.fullmatch(name)}
    assert public == set(status_codes.__all__)


def test_constants_match_http_status() -> None:
    for name, value in _constants().items():
        match = _NAME_RE.fullmatch(name)
        assert match is not None, name
        kind, number, phrase_name = match.groups()
        assert type(value) is int and value == int(number), name
        if kind == "WS":
            assert 1000 <= value < 5000
        elif name in _EXTRA_NAMES:
            assert value == 306 or HTTPStatus(value)
        else:
            assert HTTPStatus(value).name == phrase_name, name


def test_every_http_status_has_a_constant() -> None:
    constants = _constants()
    for status in HTTPStatus:
        name = f"HTTP_{status.value}_{status.name}"
        assert constants.get(name) == status.value, name


def test_seed_page_names() -> None:
    assert status_codes.HTTP_200_OK == 200
    assert status_codes.HTTP_201_CREATED == 201
    assert status_codes.HTTP_202_ACCEPTED == 202
    assert status_codes.HTTP_204_NO_CONTENT == 204
    assert status_codes.HTTP_302_FOUND == 302
    assert status_codes.HTTP_304_NOT_MODIFIED == 304
    assert status_codes.HTTP_400_BAD_REQUEST == 400
    assert status_codes.HTTP_418_IM_A_TEAPOT == 418
    assert status_codes.HTTP_422_UNPROCESSABLE_ENTITY == 422
    assert status_codes.HTTP_500_INTERNAL_SERVER_ERROR == 500
