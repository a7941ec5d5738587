"""The filters that lay out a view's values: a call, a list, a tuple, a dict, or its text.

A filter rather than a template macro: operations and models hold tens of thousands of
values, and a Jinja macro call costs about a hundred times a function call.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..plan.views import Arg, Call, DictOf, ListOf, TupleOf, Value

__all__ = ["arguments", "expression"]


def expression(value: Value) -> str:
    """`f(a, k=v)`, `[a, b]`, `(a,)`, `{k: v}`, or the text itself."""
    if isinstance(value, Call):
        return value.function + "(" + arguments(value.args) + ")"
    if isinstance(value, ListOf):
        return "[" + ", ".join(map(expression, value.items)) + "]"
    if isinstance(value, TupleOf):
        comma = "," if len(value.items) == 1 else ""
        return "(" + ", ".join(map(expression, value.items)) + comma + ")"
    if isinstance(value, DictOf):
        return "{" + ", ".join(key + ": " + expression(v) for key, v in value.items) + "}"
    return value


def arguments(args: Iterable[Arg]) -> str:
    """`a, k=v`: positional arguments, then keywords, as the view orders them."""
    return ", ".join((arg.name + "=" if arg.name else "") + expression(arg.value) for arg in args)
