"""What every kind of type of the IR answers (TypeKind), and the documentation and constraints
kinds carry. The kinds themselves are in ir_types.py.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

import msgspec

from .pysource import Imports, annotated, meta_source

if TYPE_CHECKING:
    from .ir_types import TypeRef

__all__ = [
    "REF_PREFIX",
    "Constraints",
    "JsonSchema",
    "Node",
    "Scalar",
    "SchemaDocs",
    "Shape",
    "TypeKind",
    "none_last",
    "nullable_form",
]

Scalar = str | int | float | bool | None
JsonSchema = dict[str, Any] | bool  # `false`: no value (JSON Schema)
REF_PREFIX = "#/components/schemas/"
Shape = frozenset[tuple[Any, ...]]


class Node(msgspec.Struct, frozen=True, omit_defaults=True, kw_only=True):
    """Base of the IR structs: immutable, compact when encoded."""


_NUMBER_SCHEMA = {
    "gt": "exclusiveMinimum",
    "ge": "minimum",
    "lt": "exclusiveMaximum",
    "le": "maximum",
    "multiple_of": "multipleOf",
    "pattern": "pattern",
}


class Constraints(Node, frozen=True):
    """Value constraints named as `msgspec.Meta` names them (`min_length` bounds str/list/dict)."""

    gt: int | float | None = None
    ge: int | float | None = None
    lt: int | float | None = None
    le: int | float | None = None
    multiple_of: int | float | None = None
    pattern: str | None = None
    min_length: int | None = None
    max_length: int | None = None
    unique_items: bool = False  # not a Meta constraint: a template may choose `set` or a check
    # keywords as written that the Python type cannot check (a pattern on a date, bounds beyond
    # int64...): documented in `extra_json_schema`, reported by the builder, never checked
    unchecked: dict[str, Any] = {}

    def meta_kwargs(self) -> dict[str, Any]:
        """The keyword arguments of `msgspec.Meta(...)` these constraints translate to."""
        names = ("gt", "ge", "lt", "le", "multiple_of", "pattern", "min_length", "max_length")
        return {name: getattr(self, name) for name in names if getattr(self, name) is not None}

    def schema(self, lengths: tuple[str, str]) -> dict[str, Any]:
        """The JSON Schema keywords msgspec writes for them; `lengths` names min/max_length."""
        names = {**_NUMBER_SCHEMA, "min_length": lengths[0], "max_length": lengths[1]}
        return {names[name]: value for name, value in self.meta_kwargs().items()}


class SchemaDocs(Node, frozen=True):
    """The documentation keywords of a schema: carried as written, they change no value.

    `extra` holds `xml`, `externalDocs`, `$comment` and the `x-` extensions.
    """

    title: str | None = None
    description: str | None = None
    examples: tuple[Any, ...] = ()
    deprecated: bool = False
    read_only: bool = False
    write_only: bool = False
    extra: dict[str, Any] = {}

    def meta_arguments(self) -> dict[str, Any]:
        """`Meta` keyword arguments (title, description, examples, extra_json_schema)."""
        extra: dict[str, Any] = {}
        if self.read_only:
            extra["readOnly"] = True
        if self.write_only:
            extra["writeOnly"] = True
        if self.deprecated:
            extra["deprecated"] = True
        extra.update(self.extra)
        arguments: dict[str, Any] = {
            "title": self.title,
            "description": self.description,
            "examples": self.examples or None,
            "extra_json_schema": extra or None,
        }
        return {key: value for key, value in arguments.items() if value is not None}


def _given(value: Any) -> bool:
    return value is not None and value != ()


def _merge_json(into: dict[str, Any], more: Mapping[str, Any]) -> dict[str, Any]:
    """`more` over `into` as msgspec merges metadata: dicts merged, lists joined."""
    result = dict(into)
    for key, value in more.items():
        mine = result.get(key)
        if isinstance(mine, dict) and isinstance(value, dict):
            result[key] = _merge_json(mine, value)
        elif isinstance(mine, list | tuple) and isinstance(value, list | tuple):
            result[key] = [*mine, *value]
        else:
            result[key] = value
    return result


class TypeKind(Node, frozen=True):
    """What every kind of type answers. The IR holds its subclasses (`TypeRef`) only."""

    structured: ClassVar[bool] = False  # a JSON array or object (sent as JSON by default)
    takes_format: ClassVar[bool] = False  # a `format` beside it may say something of its values

    # -- Python --------------------------------------------------------------------------------

    def python(self, imports: Imports, model_prefix: str = "") -> str:
        """The bare annotation, without its `Meta`."""
        raise NotImplementedError

    def constraint_arguments(self) -> dict[str, Any]:
        """The `Meta` keyword arguments that check values (before the docs)."""
        return {}

    def schema_extra(self) -> dict[str, Any]:
        """What the kind itself adds to `extra_json_schema` (a format, `uniqueItems`)."""
        return {}

    def own_docs(self) -> SchemaDocs | None:
        docs = getattr(self, "docs", None)
        return docs if isinstance(docs, SchemaDocs) else None

    def meta_arguments(self, docs: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """`Meta(...)` keyword arguments: constraints, docs, then `extra_json_schema`.

        The type's own docs come first; `docs` given here win over them.
        """
        own_docs = self.own_docs()
        own = own_docs.meta_arguments() if own_docs is not None else {}
        given = dict(docs or {})
        extra: dict[str, Any] = {
            **self.schema_extra(),
            **(own.pop("extra_json_schema", None) or {}),
            **(given.pop("extra_json_schema", None) or {}),
        }
        text = {**own, **{key: value for key, value in given.items() if _given(value)}}
        arguments = {
            **self.constraint_arguments(),
            **{key: value for key, value in text.items() if _given(value)},
        }
        if extra:
            arguments["extra_json_schema"] = extra
        return arguments

    def annotation(
        self,
        imports: Imports,
        model_prefix: str = "",
        docs: Mapping[str, Any] | None = None,
        metadata: Sequence[str] = (),
    ) -> str:
        """The annotation: `Annotated[python, Meta(...), *metadata]` when there is metadata."""
        base = self.python(imports, model_prefix)
        return annotated(base, meta_source(self.meta_arguments(docs)), imports, metadata)

    # -- values ------------------------------------------------------------------------------

    def accepts(self, value: Any, model_accepts: Callable[[str, Any], bool]) -> bool:
        """Whether a spec default (a JSON value, not null) is a value of this type that a Python
        default can hold as written; `model_accepts` answers for a model, by its name."""
        return False

    def scalar(self, model_scalar: Callable[[str], bool]) -> bool:
        """Whether a value is read from one string (a path, query, header or cookie value);
        `model_scalar` answers for a model, by its name."""
        return False

    # -- reports and the round trip ---------------------------------------------------------

    def report_text(self) -> str:
        """The type as the change report shows it (models by their Python names)."""
        raise NotImplementedError

    def value_schema(self) -> JsonSchema:
        """The JSON Schema of the values (what msgspec writes for the bare annotation)."""
        raise NotImplementedError

    def schema(self) -> JsonSchema:
        """The JSON Schema the runtime re-emits for `annotation()` (docs included)."""
        value = self.value_schema()
        if value is False:
            return False
        arguments = self.meta_arguments()
        docs: dict[str, Any] = {
            key: list(arguments[key]) if isinstance(arguments[key], tuple) else arguments[key]
            for key in ("title", "description", "examples")
            if key in arguments
        }
        docs = _merge_json(docs, arguments.get("extra_json_schema") or {})
        assert isinstance(value, dict)
        return {**docs, **value}

    # -- structure ------------------------------------------------------------------------------

    def map_children(self, fn: Callable[[TypeRef], TypeRef]) -> TypeRef:
        """The type with `fn` applied to its nested types (itself when none changes)."""
        return self  # type: ignore[return-value]

    def categories(self, of_model: Callable[[str], set[str]]) -> set[str]:
        """The msgspec union categories of its values (`of_model`: those of a model)."""
        raise NotImplementedError

    def shape(self) -> Shape:
        """The members of the type as a Python type checker sees it (docs, constraints aside)."""
        raise NotImplementedError


_OR_NONE = " | None"
_NULL = {"type": "null"}
_COMPOSITE = ("$ref", "anyOf", "oneOf", "allOf", "not", "const")


def none_last(members: Sequence[str]) -> str:
    """`A | B` of the members, `None` at the end wherever the spec put null (ruff's RUF036)."""
    nullable = False
    kept = []
    for member in members:
        if member == "None" or member.endswith(_OR_NONE):  # a top-level `None`, not Annotated's
            nullable = True
            member = member.removesuffix(_OR_NONE) if member != "None" else ""
        if member:
            kept.append(member)
    return " | ".join([*kept, "None"] if nullable else kept)


def nullable_form(members: list[JsonSchema], rest: dict[str, Any]) -> dict[str, Any]:
    """The runtime's tidy form of `anyOf: members` beside `rest`: `type: [T, null]` where the
    other members are simple."""
    schema = {**rest, "anyOf": members}
    if _NULL not in members or len(members) < 2:
        return schema
    others = [member for member in members if member != _NULL]
    if not all(
        isinstance(m, dict) and isinstance(m.get("type"), str) and not set(m) & set(_COMPOSITE)
        for m in others
    ):
        return schema
    if len(others) == 1:
        (only,) = others
        assert isinstance(only, dict)
        merged = {**only, **rest, "type": [only["type"], "null"]}
        if "enum" in merged:
            merged["enum"] = [*merged["enum"], None]
        return merged
    if all(isinstance(m, dict) and set(m) == {"type"} for m in others):
        return {**rest, "type": [m["type"] for m in others if isinstance(m, dict)] + ["null"]}
    return schema
