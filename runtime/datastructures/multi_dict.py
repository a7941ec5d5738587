"""MultiDict and ImmutableMultiDict: str-keyed mappings that keep every value of a key."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, MutableMapping
from typing import Any, Generic, TypeVar, overload

__all__ = ["ImmutableMultiDict", "MultiDict"]

T = TypeVar("T")
D = TypeVar("D")


def _pairs(data: Mapping[str, T] | Iterable[tuple[str, T]] | None) -> list[tuple[str, T]]:
    if data is None:
        return []
    if isinstance(data, ImmutableMultiDict):
        return data.multi_items()
    if isinstance(data, Mapping):
        return list(data.items())
    return [(key, value) for key, value in data]


class ImmutableMultiDict(Mapping[str, T], Generic[T]):
    """Read-only multi-valued mapping; `[]` and `get` return the FIRST value of a key.

    First-value semantics follow Litestar/`multidict`; use `getall` for every value. Keys are
    case-sensitive. A mapping argument is taken as one value per key (lists are not expanded).
    """

    __slots__ = ("_index", "_items")

    def __init__(self, data: Mapping[str, T] | Iterable[tuple[str, T]] | None = None) -> None:
        self._items: list[tuple[str, T]] = _pairs(data)
        self._index: dict[str, list[T]] = {}
        for key, value in self._items:
            self._index.setdefault(key, []).append(value)

    def __getitem__(self, key: str) -> T:
        return self._index[key][0]

    def __contains__(self, key: object) -> bool:
        return key in self._index

    def __iter__(self) -> Iterator[str]:
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)

    @overload
    def getall(self, key: str) -> list[T]: ...

    @overload
    def getall(self, key: str, default: D) -> list[T] | D: ...

    def getall(self, key: str, default: Any = ...) -> Any:
        """Every value of `key` in insertion order; `default` (or KeyError) if it is absent."""
        if key in self._index:
            return list(self._index[key])
        if default is ...:
            raise KeyError(key)
        return default

    def multi_items(self) -> list[tuple[str, T]]:
        """Every (key, value) pair in insertion order."""
        return list(self._items)

    def dict(self) -> dict[str, list[T]]:
        """A plain `{key: [values...]}` dict (what a JSON encoder wants)."""
        return {key: list(values) for key, values in self._index.items()}

    def copy(self) -> ImmutableMultiDict[T]:
        """A shallow copy of the same class."""
        return type(self)(self._items)

    def __eq__(self, other: object) -> bool:
        # Order matters between values of one key, not between keys (as for dicts).
        if isinstance(other, ImmutableMultiDict):
            return self._index == other._index
        if isinstance(other, Mapping):
            return dict(self.items()) == dict(other.items())
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._items!r})"


class MultiDict(ImmutableMultiDict[T], MutableMapping[str, T]):
    """Mutable multi-valued mapping; `[]` returns the first value, `[k] = v` replaces all values."""

    __slots__ = ()

    def __setitem__(self, key: str, value: T) -> None:
        if key in self._index:
            self._remove(key)
        self.add(key, value)

    def __delitem__(self, key: str) -> None:
        if key not in self._index:
            raise KeyError(key)
        self._remove(key)

    def _remove(self, key: str) -> None:
        del self._index[key]
        self._items = [item for item in self._items if item[0] != key]

    def add(self, key: str, value: T) -> None:
        """Append one more value for `key`."""
        self._items.append((key, value))
        self._index.setdefault(key, []).append(value)

    def extend(self, data: Mapping[str, T] | Iterable[tuple[str, T]]) -> None:
        """`add` every pair of `data`."""
        for key, value in _pairs(data):
            self.add(key, value)

    def popall(self, key: str) -> list[T]:
        """Remove `key` and return all its values (KeyError if absent)."""
        values = self.getall(key)
        self._remove(key)
        return values

    def copy(self) -> MultiDict[T]:
        """A shallow copy."""
        return type(self)(self._items)

    def to_immutable(self) -> ImmutableMultiDict[T]:
        """An immutable snapshot."""
        return ImmutableMultiDict(self._items)
