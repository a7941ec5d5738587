"""Field annotations written as strings, only where one cannot be evaluated as it is read.

The models module has no `from __future__ import annotations` (model_order.py says why), so a
struct field's annotation is an expression evaluated in the class body when the class is
defined. Two things would fail there, and only the fields they touch are written as a string,
which msgspec and typing resolve in the module when the type is first used:

- a model it names is not defined yet: the field closes a cycle (a model that contains itself,
  or models that contain one another);
- a name it uses is bound in the class body by then: a field called `number_format` with a
  default (bound before its own annotation is evaluated), then a field whose `Annotated`
  calls `number_format(...)` (a string is resolved in the module's names). Module names
  (`uuid`, `datetime`...) are never field names (`naming.RESERVED_FIELD`).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Sequence

from ..ir import Field
from ..pysource import literal
from ..unions import model_refs
from .views import FieldView

__all__ = ["forward_fields"]


def forward_fields(
    items: Sequence[Field], views: list[FieldView], defined: set[str]
) -> list[FieldView]:
    """`views` (the fields of `items`, in order), each annotation a string where it must be.

    `defined`: the models defined above the class."""
    bound: set[str] = set()  # names the class body has bound so far
    result = []
    for item, view in zip(items, views, strict=True):
        if view.default is not None or view.options:
            bound.add(view.name)  # bound before its annotation is evaluated
        if model_refs(item.type) - defined or _uses(view.annotation, bound):
            view = FieldView(
                view.name, literal(view.annotation), view.default, view.options, view.comment
            )
        result.append(view)
    return result


def _uses(annotation: str, bound: set[str]) -> bool:
    """Whether `annotation` reads one of the `bound` names (the text is searched first: the
    expression is parsed only when a bound name occurs in it). Few names bound: each is
    searched for in the text; many (a class of many defaulted fields, where a search each
    was quadratic): the text's words are looked up, a name it reads being one of them."""
    if len(bound) < _SEARCHED:
        if not any(name in annotation for name in bound):
            return False
    elif bound.isdisjoint(_WORDS.findall(annotation)):
        return False
    tree = ast.parse(annotation, mode="eval")
    return any(isinstance(node, ast.Name) and node.id in bound for node in ast.walk(tree))


_WORDS = re.compile(r"\w+")
# a search is a pass in C over the text, a word a string made and looked up: past this many
# names the words cost less (an annotation carries its descriptions, often long)
_SEARCHED = 16
