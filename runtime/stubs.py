"""Whether a handler function is a stub: its body (after a docstring) only raises
NotImplementedError, which the runtime answers 501 Not Implemented.

Read from the function's source once, when its document is built; a function whose source
cannot be read (built in, made at run time) is not a stub.
"""

from __future__ import annotations

import ast
import inspect
import textwrap
from collections.abc import Callable
from typing import Any

__all__ = ["is_stub"]

_cache: dict[Any, bool] = {}


def is_stub(fn: Callable[..., Any]) -> bool:
    """True when the function's body is `raise NotImplementedError` (with or without a
    message), after an optional docstring."""
    target = inspect.unwrap(fn)
    code = getattr(target, "__code__", None)
    if code is None:
        return False
    known = _cache.get(code)
    if known is None:
        known = _cache[code] = _reads_as_stub(target)
    return known


def _reads_as_stub(fn: Callable[..., Any]) -> bool:
    try:
        source = textwrap.dedent(inspect.getsource(fn))
        tree = ast.parse(source)
    except (OSError, TypeError, SyntaxError):
        return False
    function = next(iter(tree.body), None)
    if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
        return False
    body = list(function.body)
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]  # the docstring
    if len(body) != 1 or not isinstance(body[0], ast.Raise) or body[0].exc is None:
        return False
    raised = body[0].exc
    if isinstance(raised, ast.Call):
        raised = raised.func
    return isinstance(raised, ast.Name) and raised.id == "NotImplementedError"
