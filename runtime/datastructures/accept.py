"""Accept: the request's Accept header, parsed for content negotiation (RFC 9110, 12.5.1)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TypeVar

from specloom.runtime.datastructures._grammar import is_token, split_unquoted, unquote

__all__ = ["Accept", "media_range_covers"]

T = TypeVar("T", bound=str)

# qvalue is "0" to "1" with up to three decimals; we accept any number of decimals.
_QVALUE_RE = re.compile(r"(?:0(?:\.[0-9]*)?|1(?:\.0*)?)")

Params = tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class _MediaRange:
    type: str
    subtype: str
    params: Params
    quality: float
    order: int  # position in the client's header

    @property
    def specificity(self) -> int:
        if self.type == "*":
            return 0
        if self.subtype == "*":
            return 1
        return 2 + len(self.params)

    def matches(self, type_: str, subtype: str, params: frozenset[tuple[str, str]]) -> bool:
        return _range_matches(self.type, self.subtype, self.params, type_, subtype, params)

    def __str__(self) -> str:
        params = "".join(f";{name}={value}" for name, value in self.params)
        quality = "" if self.quality == 1 else f";q={self.quality:g}"
        return f"{self.type}/{self.subtype}{params}{quality}"


def _parse_media_range(text: str) -> tuple[str, str, Params, float] | None:
    """(type, subtype, params, q) in lower case, or None if `text` is malformed."""
    pieces = split_unquoted(text, ";")
    type_, slash, subtype = next(pieces).lower().partition("/")
    type_, subtype = type_.strip(), subtype.strip()
    if not slash or not is_token(type_) or not is_token(subtype):
        return None
    if type_ == "*" and subtype != "*":
        return None
    params: list[tuple[str, str]] = []
    quality = 1.0
    for piece in pieces:
        name, equals, value = piece.partition("=")
        name = name.strip().lower()
        if not equals or not is_token(name):
            continue  # a malformed parameter is dropped, the range is kept
        value = unquote(value.strip()).lower()
        if name == "q":
            if not _QVALUE_RE.fullmatch(value):
                return None
            quality = float(value)
            break  # what follows the weight are accept-ext parameters, not media type ones
        params.append((name, value))
    return type_, subtype, tuple(params), quality


def _range_matches(
    range_type: str,
    range_subtype: str,
    range_params: Iterable[tuple[str, str]],
    type_: str,
    subtype: str,
    params: frozenset[tuple[str, str]],
) -> bool:
    """Whether a media range covers a media type: wildcards, and every parameter it names."""
    return (
        (range_type == "*" or range_type == type_)
        and (range_subtype == "*" or range_subtype == subtype)
        and all(param in params for param in range_params)
    )


@lru_cache(maxsize=512)
def _parse_provided(media_type: str) -> tuple[str, str, frozenset[tuple[str, str]]] | None:
    # Provided types come from handler code, so the cache stays small; headers are not cached.
    parsed = _parse_media_range(media_type)
    return None if parsed is None else (parsed[0], parsed[1], frozenset(parsed[2]))


def media_range_covers(media_range: str, media_type: str) -> bool:
    """Whether a media range (`*/*`, `image/*`, `text/plain;charset=utf-8`) covers a media type,
    as an Accept header's range does; case-insensitive, False when either is malformed."""
    covering, covered = _parse_provided(media_range), _parse_provided(media_type)
    return covering is not None and covered is not None and _range_matches(*covering, *covered)


class Accept:
    """Parsed Accept header; media ranges are kept in the client's order of preference.

    Preference is q-value first, then specificity (`text/html;level=1` > `text/html` >
    `text/*` > `*/*`), then the header's order. A type's quality comes from the most specific
    range matching it, so `q=0` refuses a type even when a wildcard would accept it. Malformed
    ranges are ignored; an empty, missing or wholly malformed header means `*/*`.
    """

    __slots__ = ("_ranges",)

    def __init__(self, header_value: str | None = None) -> None:
        ranges: list[_MediaRange] = []
        if header_value:
            for order, part in enumerate(split_unquoted(header_value, ",")):
                parsed = _parse_media_range(part) if part else None
                if parsed is not None:
                    ranges.append(_MediaRange(*parsed, order=order))
        if not ranges:
            ranges.append(_MediaRange("*", "*", (), 1.0, 0))
        ranges.sort(key=lambda item: (-item.quality, -item.specificity, item.order))
        self._ranges: tuple[_MediaRange, ...] = tuple(ranges)

    def _rank(self, media_type: str) -> tuple[float, int] | None:
        """(quality, preference position) of the range that decides for `media_type`."""
        # str.__str__ gives the plain value of any str subclass, including (str, Enum) members.
        parsed = _parse_provided(str.__str__(media_type))
        if parsed is None:
            return None
        # The most specific matching range decides; among equally specific ones a refusal (q=0)
        # wins, then the first listed.
        decider: tuple[int, bool, int] | None = None  # lowest wins
        rank: tuple[float, int] | None = None
        for position, media_range in enumerate(self._ranges):
            if media_range.matches(*parsed):
                key = (-media_range.specificity, media_range.quality > 0, media_range.order)
                if decider is None or key < decider:
                    decider = key
                    rank = (media_range.quality, position)
        return rank

    def quality(self, media_type: str) -> float:
        """The q-value the client gives `media_type` (0.0 if not acceptable)."""
        rank = self._rank(media_type)
        return 0.0 if rank is None else rank[0]

    def accepts(self, media_type: str) -> bool:
        """True if the client accepts `media_type` (a matching range with q > 0)."""
        return self.quality(media_type) > 0

    def best_match(self, provided_types: Sequence[T], default: T | None = None) -> T | None:
        """The provided type the client prefers, returned as given; `default` if none fits.

        Ties go to the client's order of preference, then to the order of `provided_types`.
        """
        best: T | None = None
        best_key: tuple[float, int, int] | None = None
        for index, media_type in enumerate(provided_types):
            rank = self._rank(media_type)
            if rank is None or rank[0] <= 0:
                continue
            key = (-rank[0], rank[1], index)
            if best_key is None or key < best_key:
                best, best_key = media_type, key
        return default if best is None else best

    def __iter__(self) -> Iterator[str]:
        return (str(media_range) for media_range in self._ranges)

    def __len__(self) -> int:
        return len(self._ranges)

    def __getitem__(self, index: int) -> str:
        return str(self._ranges[index])

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(self)!r})"
