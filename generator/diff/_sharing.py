"""While documents are compared, each pure canonical step runs once per shared subtree.

Inlined references share their subtrees, so a step's result is kept by the identity of its
input for the length of a comparison.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

# while documents are compared: each pure canonical step's result by the identity of its input
# (kept beside it, so the identity stays its own), since inlined references share subtrees
_SHARED: ContextVar[dict[tuple[str, int], tuple[Any, Any]] | None] = ContextVar(
    "_SHARED", default=None
)


def _once_per_node(function: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """`function(node)` computed once per dict or list object while a comparison runs; its
    result is shared, so callers copy it before they change it."""
    name = function.__name__

    def once(node: Any) -> Any:
        memo = _SHARED.get()
        kind = type(node)
        if memo is None or not (kind is dict or kind is list or isinstance(node, dict | list)):
            return function(node)
        key = (name, id(node))
        found = memo.get(key)
        if found is None:
            found = memo[key] = (node, function(node))
        return found[1]

    once.__name__, once.__doc__ = name, function.__doc__
    return once


@contextmanager
def _sharing() -> Iterator[None]:
    """Share the canonical steps' results within this block (and the blocks it opens)."""
    if _SHARED.get() is not None:
        yield
        return
    token = _SHARED.set({})
    try:
        yield
    finally:
        _SHARED.reset(token)
