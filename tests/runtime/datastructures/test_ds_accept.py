"""Accept: parsing, preference order and best_match (content negotiation)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from specloom.runtime.datastructures import Accept
from specloom.runtime.datastructures.accept import media_range_covers
from specloom.runtime.enums import MediaType

PROVIDED = [MediaType.TEXT, MediaType.HTML, "application/xml"]


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("text/html", MediaType.HTML),
        ("application/xml", "application/xml"),
        (None, MediaType.TEXT),
        ("", MediaType.TEXT),
        ("*/*", MediaType.TEXT),
        ("image/png", MediaType.TEXT),  # nothing matches: the default
    ],
)
def test_seed_page_content_negotiation(header: str | None, expected: str) -> None:
    result = Accept(header).best_match(PROVIDED, default=MediaType.TEXT)
    assert result == expected
    assert result is expected or result is PROVIDED[PROVIDED.index(expected)]


def test_returns_the_provided_object() -> None:
    assert Accept("text/html").best_match(PROVIDED) is MediaType.HTML
    assert Accept("image/png").best_match(PROVIDED) is None


def test_rfc_9110_quality_example() -> None:
    accept = Accept(
        "text/*;q=0.3, text/html;q=0.7, text/html;level=1, text/html;level=2;q=0.4, */*;q=0.5"
    )
    assert accept.quality("text/html;level=1") == 1
    assert accept.quality("text/html") == 0.7
    assert accept.quality("text/plain") == 0.3
    assert accept.quality("image/jpeg") == 0.5
    assert accept.quality("text/html;level=2") == 0.4
    assert accept.quality("text/html;level=3") == 0.7
    assert list(accept) == [
        "text/html;level=1",
        "text/html;q=0.7",
        "*/*;q=0.5",
        "text/html;level=2;q=0.4",
        "text/*;q=0.3",
    ]


def test_q_zero_excludes_even_when_a_wildcard_matches() -> None:
    accept = Accept("*/*, text/html;q=0")
    assert not accept.accepts("text/html")
    assert accept.accepts("text/plain")
    assert accept.best_match(["text/html"], default="fallback") == "fallback"
    assert accept.best_match(["text/html", "text/plain"]) == "text/plain"


def test_ties_follow_client_preference_then_provided_order() -> None:
    assert Accept("text/html, */*").best_match(["text/plain", "text/html"]) == "text/html"
    assert Accept("text/plain, text/html").best_match(["text/html", "text/plain"]) == "text/plain"
    assert Accept("text/*").best_match(["text/html", "text/plain"]) == "text/html"
    assert (
        Accept("application/json;q=0.5, text/*").best_match(["application/json", "text/csv"])
        == "text/csv"
    )


def test_equally_specific_duplicates_refusal_wins_then_first() -> None:
    assert not Accept("text/html;q=0.1, text/html;q=0").accepts("text/html")
    assert Accept("text/html;q=0.4, text/html;q=0.9").quality("text/html") == 0.4


def test_more_specific_wins_at_equal_q() -> None:
    accept = Accept("*/*, text/*, text/html")
    assert list(accept) == ["text/html", "text/*", "*/*"]


def test_whitespace_case_and_malformed_parts() -> None:
    accept = Accept(" Text/HTML ; Q=0.8 ,, garbage, */html, text/plain;q=2, text/csv;q=abc, a/b;x")
    assert list(accept) == ["a/b", "text/html;q=0.8"]
    assert accept.quality("text/html") == 0.8
    assert not accept.accepts("text/plain")
    assert Accept("garbage").accepts("anything/at-all")  # wholly malformed means */*


def test_parameters_and_quoted_commas() -> None:
    accept = Accept('text/html;charset="utf-8, x";q=0.5, application/json')
    assert len(accept) == 2
    assert accept.quality('text/html;charset="utf-8, x"') == 0.5
    assert accept.quality("text/html") == 0
    assert accept.best_match(["text/html; charset=UTF-8", "application/json"]) == "application/json"
    assert Accept("text/html;charset=utf-8").accepts("text/html; charset=UTF-8")


def test_accept_ext_after_q_is_ignored() -> None:
    assert list(Accept("text/html;q=0.5;ext=1")) == ["text/html;q=0.5"]


def test_indexing_and_repr() -> None:
    accept = Accept("text/html, application/json;q=0.9")
    assert accept[0] == "text/html"
    assert len(accept) == 2
    assert "application/json;q=0.9" in repr(accept)


_types = st.sampled_from(["text", "application", "image", "*"])
_subtypes = st.sampled_from(["html", "plain", "json", "xml", "png", "*"])
_qvalues = st.sampled_from(["0", "0.1", "0.5", "0.75", "1", "1.0", None])


@st.composite
def _media_range(draw: st.DrawFn) -> str:
    type_, subtype = draw(_types), draw(_subtypes)
    if type_ == "*":
        subtype = "*"
    q = draw(_qvalues)
    space = draw(st.sampled_from(["", " "]))
    return f"{type_}/{subtype}" + ("" if q is None else f"{space};{space}q={q}")


_header = st.lists(_media_range(), max_size=8).map(", ".join)
_concrete = st.lists(
    st.tuples(
        st.sampled_from(["text", "application", "image"]),
        st.sampled_from(["html", "plain", "json", "xml", "png"]),
    ).map("/".join),
    max_size=6,
)


@given(st.text())
def test_never_raises_on_arbitrary_input(header: str) -> None:
    accept = Accept(header)
    assert len(accept) >= 1
    assert isinstance(accept.best_match(["text/html", "application/json"]), str | None)
    list(accept)


@given(_header, _concrete)
def test_best_match_is_a_most_acceptable_provided_type(header: str, provided: list[str]) -> None:
    accept = Accept(header)
    sentinel = "default/value"
    result = accept.best_match(provided, default=sentinel)
    qualities = [accept.quality(media_type) for media_type in provided]
    if result == sentinel:
        assert all(quality == 0 for quality in qualities)
    else:
        assert result in provided
        assert accept.accepts(result)
        assert accept.quality(result) == max(qualities)


@given(_header)
def test_preference_order_is_stable_and_has_non_increasing_q(header: str) -> None:
    rendered = list(Accept(header))
    q_values = [float(item.split("q=")[1]) if "q=" in item else 1.0 for item in rendered]
    assert q_values == sorted(q_values, reverse=True)
    assert list(Accept(", ".join(rendered))) == rendered


@given(_header, st.sampled_from(["text/html", "application/json", "image/png"]))
def test_explicit_q_zero_is_never_chosen(header: str, refused: str) -> None:
    accept = Accept(f"{header}, {refused};q=0" if header else f"*/*, {refused};q=0")
    assert not accept.accepts(refused)
    assert accept.best_match([refused], default=None) is None


@pytest.mark.parametrize(
    ("media_range", "media_type", "expected"),
    [
        ("*/*", "application/json", True),
        ("image/*", "image/png", True),
        ("IMAGE/*", "image/png", True),
        ("image/*", "text/plain", False),
        ("text/plain", "text/plain", True),
        ("text/plain;charset=utf-8", "text/plain", False),
        ("text/plain", "text/plain;charset=utf-8", True),
        ("*/json", "application/json", False),
        ("not a type", "text/plain", False),
    ],
)
def test_media_range_covers(media_range: str, media_type: str, expected: bool) -> None:
    """The matching an Accept header uses, also for a body's declared media ranges."""
    assert media_range_covers(media_range, media_type) is expected
