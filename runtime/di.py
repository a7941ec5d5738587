"""Dependency injection: `Provide` wraps a callable whose result is passed to handlers by name."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import msgspec

from .exceptions import ImproperlyConfiguredException

__all__ = ["Provide"]

_UNSET: Any = msgspec.UNSET


class Provide:
    """A dependency provider: a function, async function, generator or class, called per request.

    With `use_cache=True` the first value is kept and reused for every later request; within one
    request a dependency shared by several dependents is always resolved once.
    """

    __slots__ = (
        "cached_value",
        "dependency",
        "is_async",
        "is_async_generator",
        "is_generator",
        "sync_to_thread",
        "use_cache",
    )

    def __init__(
        self,
        dependency: Callable[..., Any],
        use_cache: bool = False,
        sync_to_thread: bool | None = None,
    ) -> None:
        if not callable(dependency):
            raise ImproperlyConfiguredException(f"Provide() needs a callable, got {dependency!r}")
        self.dependency = dependency
        self.use_cache = use_cache
        self.sync_to_thread = bool(sync_to_thread)
        self.is_generator = inspect.isgeneratorfunction(dependency)
        self.is_async_generator = inspect.isasyncgenfunction(dependency)
        self.is_async = inspect.iscoroutinefunction(dependency) or (
            not isinstance(dependency, type)
            and not inspect.isroutine(dependency)
            and inspect.iscoroutinefunction(type(dependency).__call__)
        )
        if use_cache and (self.is_generator or self.is_async_generator):
            raise ImproperlyConfiguredException(
                f"{dependency!r}: a generator dependency cannot use use_cache=True"
            )
        self.cached_value: Any = _UNSET

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Provide) and other.dependency == self.dependency

    def __hash__(self) -> int:
        return hash(self.dependency)

    def __repr__(self) -> str:
        return f"Provide({self.dependency!r})"


def as_provider(value: Provide | Callable[..., Any]) -> Provide:
    """A `Provide` for a dependency given as `Provide(...)` or as a bare callable."""
    return value if isinstance(value, Provide) else Provide(value)
