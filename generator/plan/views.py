"""The views the templates lay out: every output decision is made before rendering.

Values that are Python expressions are either text (from `render.pyexpr`'s `literal` and
`type_expr`) or small structures the templates lay out: a call with its arguments, a list,
a dict. Nothing here is code text put together by hand.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypeAlias

from ..errors import SpecWarning

__all__ = [
    "Arg",
    "BodyStatement",
    "Call",
    "DictOf",
    "FieldView",
    "HandlerStub",
    "ListOf",
    "ModelBlock",
    "ModelsView",
    "OperationView",
    "OperationsView",
    "PageCall",
    "SignatureParam",
    "TupleOf",
    "TypeAliasView",
    "Value",
    "call",
]


@dataclass(frozen=True)
class Call:
    """`function(arguments)`: a decorator, a constructor, a marker in an `Annotated`."""

    function: str
    args: tuple[Arg, ...] = ()


@dataclass(frozen=True)
class ListOf:
    """`[item, item]`."""

    items: tuple[Value, ...]


@dataclass(frozen=True)
class TupleOf:
    """`(item, item)`, or `(item,)`."""

    items: tuple[Value, ...]


@dataclass(frozen=True)
class DictOf:
    """`{key: value}`, keys already expressions (`200`, `'default'`), in order."""

    items: tuple[tuple[str, Value], ...]


Value: TypeAlias = "str | Call | ListOf | TupleOf | DictOf"


@dataclass(frozen=True)
class Arg:
    """One argument of a call: positional when `name` is empty."""

    name: str
    value: Value


def call(function: str, *positional: Value, **keywords: Value) -> Call:
    """A call of `function`: positional arguments, then keywords in the order given."""
    args = [Arg("", value) for value in positional]
    args += [Arg(name, value) for name, value in keywords.items()]
    return Call(function, tuple(args))


@dataclass(frozen=True)
class TypeAliasView:
    """`name: TypeAlias = Annotated[base, marker]`: a parameter's or a body's type."""

    name: str
    base: str  # the type expression
    marker: Call  # `Parameter(...)` or `Body(...)`
    or_none: bool = False  # `base | None`: an optional body
    # an earlier alias that says the same (`name: TypeAlias = same_as`): one object, built once
    same_as: str | None = None


@dataclass(frozen=True)
class SignatureParam:
    """`name: (op.Alias) = default` in a handler's signature."""

    name: str
    alias: str
    default: str | None  # expression text, None: no default


@dataclass(frozen=True)
class PageCall:
    """A paginated stub's body: fallbacks, the paginator call, and the response it returns."""

    fallbacks: tuple[tuple[str, int], ...]  # (argument, value) when the request leaves it out
    result: str  # the variable holding the page
    paginator: str
    arguments: tuple[Arg, ...]  # of the paginator call: the handler's paging arguments
    placings: tuple[BodyStatement, ...]  # optional cursor fields, prepared before the return
    returned: Call  # the response model built from the page (in `Response` with headers)


@dataclass(frozen=True)
class BodyStatement:
    """`name: kind | UnsetType = UNSET`, set to `value` when it is not None."""

    name: str
    kind: str
    value: str


@dataclass
class HandlerStub:
    """A handler function: in a user-owned handlers module, or documenting a webhook."""

    name: str
    decorator: str  # "": not routed (then `marker` says why)
    params: list[SignatureParam]
    alias_prefix: str  # `op.` in handler modules, "" beside the aliases
    returns: str
    in_response: bool  # `Response[returns]`: the handler sets headers too
    doc: str
    note: str = ""  # after `raise NotImplementedError  # `
    page: PageCall | None = None  # instead of raising: page with the paginator
    marker: str = ""


@dataclass
class OperationView:
    """One operation (or webhook, callback) in the operations module."""

    name: str
    comment: str
    aliases: list[TypeAliasView]
    call: Call  # the decorator
    stub: HandlerStub | None = None  # webhooks, callbacks: the function it documents


@dataclass
class OperationsView:
    """Everything operations.py, headers.py and the handler modules need."""

    operations: list[OperationView]
    operation_imports: list[str]
    header_constants: list[tuple[str, ListOf]]  # (constant, its headers)
    header_imports: list[str]
    handlers: dict[str, list[HandlerStub]]  # tag module -> stubs
    handler_imports: dict[str, list[str]]
    handler_local_imports: dict[str, list[str]]  # `from .. import <name>` (`paginators`)
    tag_headers: dict[str, str]  # tag module -> header constant for its router
    app_headers: str | None
    webhooks: list[tuple[str, list[HandlerStub]]] = field(default_factory=list)  # name, stubs
    warnings: list[SpecWarning] = field(default_factory=list)


@dataclass(frozen=True)
class FieldView:
    """`name: annotation = default` or `= msgspec.field(...)` when `options` are given."""

    name: str
    annotation: str
    default: str | None
    options: tuple[Arg, ...] = ()  # msgspec.field arguments (`name=`, `default_factory=`)
    comment: tuple[str, ...] = ()  # `# ` lines above it: what the reader is told, not served


@dataclass
class ModelBlock:
    """One model: a class (struct, enum, untagged union) or a type alias."""

    kind: str  # struct, enum, untagged, alias, union
    name: str
    bases: tuple[Arg, ...] = ()  # class header: bases and keywords
    doc: str | None = None
    decorators: list[Value] = field(default_factory=list)
    fields: list[FieldView] = field(default_factory=list)
    attributes: list[tuple[str, Value, str]] = field(default_factory=list)  # name, value, comment
    extra_keys: tuple[str, str] | None = None  # (attribute, ExtraKeys argument)
    bounds: tuple[str, str, str] | None = None  # properties_between(low, high), its docstring
    expr: str = ""  # alias target; for untagged classes what mypy sees
    union: tuple[tuple[str, ...], tuple[Value, ...]] | None = None  # members, Annotated metadata


@dataclass
class ModelsView:
    """Everything the models template lays out."""

    imports: list[str]
    blocks: list[ModelBlock]
    names: list[str]
    warnings: list[SpecWarning]
