"""Headers: a read-only, case-insensitive, multi-valued view over ASGI raw headers."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from specloom.runtime.types import RawHeaders, Scope

__all__ = ["Headers"]


class Headers(Mapping[str, str]):
    """Request headers; `[]`/`get` give the first value of a name, `getall` every value.

    Names are matched case-insensitively and iterated in lower case. Values are decoded from
    latin-1 (the HTTP default) only when the view is first read.
    """

    __slots__ = ("_index", "_raw")

    def __init__(
        self, raw: Iterable[tuple[bytes, bytes]] | Mapping[str, str] | None = None
    ) -> None:
        if raw is None:
            self._raw: RawHeaders = []
        elif isinstance(raw, Mapping):
            self._raw = [
                (name.lower().encode("latin-1"), value.encode("latin-1"))
                for name, value in raw.items()
            ]
        else:
            # A list from the ASGI server is used as is: no copy on the request path.
            self._raw = raw if isinstance(raw, list) else list(raw)
        self._index: dict[str, list[str]] | None = None

    @classmethod
    def from_scope(cls, scope: Scope) -> Headers:
        """The headers of an ASGI HTTP or WebSocket scope."""
        return cls(scope.get("headers") or [])

    @property
    def raw(self) -> RawHeaders:
        """The underlying ASGI header list (do not mutate it)."""
        return self._raw

    def _build_index(self) -> dict[str, list[str]]:
        # Built once, on first lookup, so repeated lookups are plain dict hits.
        index: dict[str, list[str]] = {}
        for name, value in self._raw:
            key = name.decode("latin-1").lower()
            decoded = value.decode("latin-1")
            if key in index:
                index[key].append(decoded)
            else:
                index[key] = [decoded]
        self._index = index
        return index

    def __getitem__(self, name: str) -> str:
        index = self._index if self._index is not None else self._build_index()
        return index[name.lower()][0]

    def __contains__(self, name: object) -> bool:
        if not isinstance(name, str):
            return False
        index = self._index if self._index is not None else self._build_index()
        return name.lower() in index

    def __iter__(self) -> Iterator[str]:
        index = self._index if self._index is not None else self._build_index()
        return iter(index)

    def __len__(self) -> int:
        index = self._index if self._index is not None else self._build_index()
        return len(index)

    def getall(self, name: str) -> list[str]:
        """Every value of `name`, in the order received; an empty list if it is absent."""
        index = self._index if self._index is not None else self._build_index()
        return list(index.get(name.lower(), ()))

    def multi_items(self) -> list[tuple[str, str]]:
        """Every (lower-case name, value) pair, in the order received."""
        return [
            (name.decode("latin-1").lower(), value.decode("latin-1")) for name, value in self._raw
        ]

    def __eq__(self, other: Any) -> bool:
        if isinstance(other, Headers):
            return sorted(self.multi_items()) == sorted(other.multi_items())
        return super().__eq__(other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.multi_items()!r})"
