"""The IR's types: one class per kind of type, and each kind decides everything about itself.

A kind is a frozen, tagged msgspec Struct (the IR still encodes) that answers:
- `annotation()`: its Python annotation (recording the imports it needs);
- `meta_arguments()`: the `msgspec.Meta(...)` keyword arguments (constraints, then docs);
- `report_text()`: how the change report and the contract show it;
- `schema()`: the JSON Schema the runtime re-emits for that annotation (runtime/openapi/schema.py
  after its tidying), models as `$ref`s to `#/components/schemas/<Python name>`;
- `map_children()`, `categories()`, `shape()`: its nested types, the msgspec union categories it
  takes, what a type checker sees of it.
Adding a schema construct is one kind here (see TupleType), the builder's reading of it
(schemas.py) and a fixture. Over 500 lines: nine kinds answering the same questions, kept
beside the TypeRef union they make.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, ClassVar, Literal

import msgspec

from .ir_kind import (
    REF_PREFIX,
    Constraints,
    JsonSchema,
    Node,
    Scalar,
    SchemaDocs,
    Shape,
    TypeKind,
    none_last,
    nullable_form,
)
from .pysource import Imports, literal

__all__ = [
    "REF_PREFIX",
    "STR_LIKE",
    "AnyType",
    "Constraints",
    "ListType",
    "LiteralType",
    "MapType",
    "ModelRef",
    "Node",
    "NoneType",
    "PrimitiveKind",
    "PrimitiveType",
    "Scalar",
    "SchemaDocs",
    "TupleType",
    "TypeKind",
    "TypeRef",
    "UnionType",
    "default_fits",
    "docs_over",
    "documented",
    "is_nullable",
    "literal_category",
    "undocumented",
    "union_of",
    "without_none",
]


# -- primitives -----------------------------------------------------------------------------------

PrimitiveKind = Literal[
    "str",
    "int",
    "float",
    "bool",
    "bytes",
    "date",
    "datetime",
    "time",
    "duration",
    "uuid",
    "decimal",
    "email",
    "uri",
    "nothing",  # no value at all (JSON Schema `false`): a key the schema both requires and forbids
]
# the Python type of each primitive kind, the module it needs, and what msgspec documents
# the JSON values a Python default of each primitive kind holds as written
_DEFAULT_TYPES: dict[str, tuple[type, ...]] = {
    "str": (str,),
    "email": (str,),
    "uri": (str,),
    "int": (int,),
    "float": (int, float),
    "bool": (bool,),
}
_PRIMITIVES: dict[str, tuple[str, str | None, dict[str, Any]]] = {
    "str": ("str", None, {"type": "string"}),
    "int": ("int", None, {"type": "integer"}),
    "float": ("float", None, {"type": "number"}),
    "bool": ("bool", None, {"type": "boolean"}),
    "bytes": ("bytes", None, {"type": "string", "contentEncoding": "base64"}),
    "date": ("datetime.date", "datetime", {"type": "string", "format": "date"}),
    "datetime": ("datetime.datetime", "datetime", {"type": "string"}),
    "time": ("datetime.time", "datetime", {"type": "string"}),
    "duration": ("datetime.timedelta", "datetime", {"type": "string", "format": "duration"}),
    "uuid": ("uuid.UUID", "uuid", {"type": "string", "format": "uuid"}),
    "decimal": ("decimal.Decimal", "decimal", {"type": "string", "format": "decimal"}),
    "email": ("str", None, {"type": "string"}),
    "uri": ("str", None, {"type": "string"}),
    "nothing": ("Nothing", None, {}),
}
# formats msgspec's own JSON schema already states for a Python type: not repeated in Meta
_NATIVE_FORMATS = {"date": "date", "duration": "duration", "uuid": "uuid", "decimal": "decimal"}
# RFC 3339 date-time and time carry an offset: `Meta(tz=True)` requires one (and msgspec then
# documents the format itself)
_AWARE_FORMATS = {"datetime": "date-time", "time": "time"}
STR_LIKE = frozenset(
    ("str", "bytes", "date", "datetime", "time", "duration", "uuid", "decimal", "email", "uri")
)
_SAME_PYTHON_TYPE = {"email": "str", "uri": "str"}
# numeric formats with a range the runtime checks (`specloom.runtime.formats.FORMAT_RANGES`)
RANGED_FORMATS = frozenset(
    ("int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "float", "double")
)


def _unchecked(constraints: Constraints | None) -> dict[str, Any]:
    """The keywords of `constraints` the type documents without checking them."""
    return dict(constraints.unchecked) if constraints is not None else {}


class PrimitiveType(TypeKind, frozen=True, tag="primitive"):
    """A scalar; `format` is the spec's raw format (kept for re-emission: int64, binary...)."""

    kind: PrimitiveKind
    format: str | None = None
    constraints: Constraints | None = None
    docs: SchemaDocs | None = None

    takes_format: ClassVar[bool] = True

    def _aware(self) -> bool:
        return self.format is not None and _AWARE_FORMATS.get(self.kind) == self.format

    def python(self, imports: Imports, model_prefix: str = "") -> str:
        name, module, _ = _PRIMITIVES[self.kind]
        if module:
            imports.add(module)
        if self.kind == "nothing":
            imports.add("specloom.runtime.untagged", "Nothing")
        return name

    def constraint_arguments(self) -> dict[str, Any]:
        own = self.constraints.meta_kwargs() if self.constraints is not None else {}
        return {"tz": True, **own} if self._aware() else own

    def annotation(
        self,
        imports: Imports,
        model_prefix: str = "",
        docs: Mapping[str, Any] | None = None,
        metadata: Sequence[str] = (),
    ) -> str:
        sides = self._range_sides()
        if sides is None:
            return super().annotation(imports, model_prefix, docs, metadata)
        imports.add("specloom.runtime.formats", "number_format")
        flags = ("" if sides[0] else ", low=False") + ("" if sides[1] else ", high=False")
        ranged = f"number_format({literal(self.format)}{flags})"
        return super().annotation(imports, model_prefix, docs, (ranged, *metadata))

    def _range_sides(self) -> tuple[bool, bool] | None:
        """The sides (low, high) of a numeric format's range the runtime checks (2**63 is no
        int64): those the spec leaves unbounded. None: no such format, or both bounded. The
        `number_format(...)` that checks them documents the format, not the range."""
        if self.kind not in ("int", "float") or self.format not in RANGED_FORMATS:
            return None
        written = set(self.constraints.meta_kwargs()) if self.constraints is not None else set()
        written |= set(_unchecked(self.constraints))
        low = not written & {"ge", "gt", "minimum", "exclusiveMinimum"}
        high = not written & {"le", "lt", "maximum", "exclusiveMaximum"}
        return (low, high) if low or high else None

    def schema_extra(self) -> dict[str, Any]:
        return {**self._format_extra(), **_unchecked(self.constraints)}

    def _format_extra(self) -> dict[str, Any]:
        if self.format is None or self._aware() or _NATIVE_FORMATS.get(self.kind) == self.format:
            return {}
        if self._range_sides() is not None:
            return {}  # `number_format(...)` documents it
        if self.kind == "bytes" and self.format == "byte":
            return {}  # msgspec documents bytes as base64 text: what `format: byte` means
        return {"format": self.format}

    def accepts(self, value: Any, model_accepts: Callable[[str, Any], bool]) -> bool:
        kinds = _DEFAULT_TYPES.get(self.kind)
        if kinds is None:
            return False  # dates, uuids, bytes...: written as text in the spec, kept out
        if self.kind != "bool" and isinstance(value, bool):
            return False
        return isinstance(value, kinds)

    def scalar(self, model_scalar: Callable[[str], bool]) -> bool:
        return self.kind != "bytes"

    def report_text(self) -> str:
        return self.kind

    def value_schema(self) -> JsonSchema:
        if self.kind == "nothing":
            return {}
        schema = dict(_PRIMITIVES[self.kind][2])
        if self._aware() or self._range_sides() is not None:
            schema["format"] = self.format
        if self.kind == "bytes" and self.format in ("binary", "base64"):
            del schema["contentEncoding"]  # the declared format says how (runtime openapi.tidy)
        if self.constraints is not None:
            lengths = ("minLength", "maxLength")
            schema.update(self.constraints.schema(lengths))
            schema.update(self.constraints.unchecked)  # over msgspec's own (a Decimal's type)
        return schema

    def schema(self) -> JsonSchema:
        if self.kind != "nothing":
            return super().schema()
        # the runtime writes `false` for no value, `not: {}` beside annotations
        docs = super().schema()
        assert isinstance(docs, dict)
        return {**docs, "not": {}} if docs else False

    def categories(self, of_model: Callable[[str], set[str]]) -> set[str]:
        return {"str" if self.kind in STR_LIKE else self.kind}

    def shape(self) -> Shape:
        return frozenset({("primitive", _SAME_PYTHON_TYPE.get(self.kind, self.kind))})


# -- containers -------------------------------------------------------------------------------


class ListType(TypeKind, frozen=True, tag="list"):
    """A JSON array."""

    item: TypeRef
    constraints: Constraints | None = None
    docs: SchemaDocs | None = None

    structured: ClassVar[bool] = True

    def python(self, imports: Imports, model_prefix: str = "") -> str:
        return f"list[{self.item.annotation(imports, model_prefix)}]"

    def constraint_arguments(self) -> dict[str, Any]:
        return self.constraints.meta_kwargs() if self.constraints is not None else {}

    def schema_extra(self) -> dict[str, Any]:
        unique = self.constraints is not None and self.constraints.unique_items
        return {**({"uniqueItems": True} if unique else {}), **_unchecked(self.constraints)}

    def accepts(self, value: Any, model_accepts: Callable[[str, Any], bool]) -> bool:
        return isinstance(value, list) and all(
            default_fits(self.item, item, model_accepts) for item in value
        )

    def report_text(self) -> str:
        return f"list[{self.item.report_text()}]"

    def value_schema(self) -> JsonSchema:
        schema: dict[str, Any] = {"type": "array"}
        item = self.item.schema()
        if item != {}:
            schema["items"] = item
        if self.constraints is not None:
            schema.update(self.constraints.schema(("minItems", "maxItems")))
        return schema

    def map_children(self, fn: Callable[[TypeRef], TypeRef]) -> TypeRef:
        item = fn(self.item)
        return self if item is self.item else msgspec.structs.replace(self, item=item)

    def categories(self, of_model: Callable[[str], set[str]]) -> set[str]:
        return {"array"}

    def shape(self) -> Shape:
        return frozenset({("list", self.item.shape())})


class TupleType(TypeKind, frozen=True, tag="tuple"):
    """A JSON array of a fixed length whose every position has its own type (`prefixItems`)."""

    items: tuple[TypeRef, ...]
    docs: SchemaDocs | None = None

    structured: ClassVar[bool] = True

    def python(self, imports: Imports, model_prefix: str = "") -> str:
        members = [item.annotation(imports, model_prefix) for item in self.items]
        return f"tuple[{', '.join(members) or '()'}]"

    def report_text(self) -> str:
        return f"tuple[{', '.join(item.report_text() for item in self.items) or '()'}]"

    def value_schema(self) -> JsonSchema:
        size = len(self.items)
        schema: dict[str, Any] = {"type": "array", "minItems": size, "maxItems": size}
        if self.items:
            schema["prefixItems"] = [item.schema() for item in self.items]
            schema["items"] = False
        return schema

    def map_children(self, fn: Callable[[TypeRef], TypeRef]) -> TypeRef:
        items = tuple(fn(item) for item in self.items)
        if all(new is old for new, old in zip(items, self.items, strict=True)):
            return self
        return msgspec.structs.replace(self, items=items)

    def categories(self, of_model: Callable[[str], set[str]]) -> set[str]:
        return {"array"}

    def shape(self) -> Shape:
        return frozenset({("tuple", tuple(item.shape() for item in self.items))})


class MapType(TypeKind, frozen=True, tag="map"):
    """A JSON object used as a mapping of string keys (additionalProperties)."""

    value: TypeRef
    constraints: Constraints | None = None
    docs: SchemaDocs | None = None

    structured: ClassVar[bool] = True

    def python(self, imports: Imports, model_prefix: str = "") -> str:
        return f"dict[str, {self.value.annotation(imports, model_prefix)}]"

    def constraint_arguments(self) -> dict[str, Any]:
        return self.constraints.meta_kwargs() if self.constraints is not None else {}

    def schema_extra(self) -> dict[str, Any]:
        return _unchecked(self.constraints)

    def accepts(self, value: Any, model_accepts: Callable[[str, Any], bool]) -> bool:
        return isinstance(value, dict) and all(
            default_fits(self.value, item, model_accepts) for item in value.values()
        )

    def report_text(self) -> str:
        return f"dict[str, {self.value.report_text()}]"

    def value_schema(self) -> JsonSchema:
        schema: dict[str, Any] = {"type": "object"}
        value = self.value.schema()
        if value != {}:
            schema["additionalProperties"] = value
        if self.constraints is not None:
            schema.update(self.constraints.schema(("minProperties", "maxProperties")))
        return schema

    def map_children(self, fn: Callable[[TypeRef], TypeRef]) -> TypeRef:
        value = fn(self.value)
        return self if value is self.value else msgspec.structs.replace(self, value=value)

    def categories(self, of_model: Callable[[str], set[str]]) -> set[str]:
        return {"object"}

    def shape(self) -> Shape:
        return frozenset({("map", self.value.shape())})


class ModelRef(TypeKind, frozen=True, tag="ref"):
    """A reference to a Model by its Python name (`docs`: annotations beside the `$ref`)."""

    name: str
    docs: SchemaDocs | None = None

    structured: ClassVar[bool] = True
    takes_format: ClassVar[bool] = True

    def python(self, imports: Imports, model_prefix: str = "") -> str:
        return f"{model_prefix}{self.name}"

    def accepts(self, value: Any, model_accepts: Callable[[str, Any], bool]) -> bool:
        return model_accepts(self.name, value)

    def scalar(self, model_scalar: Callable[[str], bool]) -> bool:
        return model_scalar(self.name)

    def report_text(self) -> str:
        return self.name

    def value_schema(self) -> JsonSchema:
        return {"$ref": REF_PREFIX + self.name}

    def categories(self, of_model: Callable[[str], set[str]]) -> set[str]:
        return of_model(self.name)

    def shape(self) -> Shape:
        return frozenset({("model", self.name)})


# -- unions and values ----------------------------------------------------------------------


class UnionType(TypeKind, frozen=True, tag="union"):
    """One of several types; already checked to be expressible as a msgspec union."""

    members: tuple[TypeRef, ...]
    docs: SchemaDocs | None = None

    def python(self, imports: Imports, model_prefix: str = "") -> str:
        return none_last([member.annotation(imports, model_prefix) for member in self.members])

    def accepts(self, value: Any, model_accepts: Callable[[str, Any], bool]) -> bool:
        return any(member.accepts(value, model_accepts) for member in self.members)

    def scalar(self, model_scalar: Callable[[str], bool]) -> bool:
        return all(without_none(member).scalar(model_scalar) for member in self.members)

    def report_text(self) -> str:
        return " | ".join(member.report_text() for member in self.members)

    def _python_members(self) -> list[TypeRef]:
        """The members as msgspec sees the annotation: a bare `Literal[...] | None` member is
        two members, and of the null members (`None`, `Annotated[None, ...]`) it keeps the
        last one, listed last."""
        found: list[TypeRef] = []
        for member in self.members:
            if (
                isinstance(member, LiteralType)
                and None in member.values
                and len(member.values) > 1
                and not member.meta_arguments()
            ):
                values = tuple(value for value in member.values if value is not None)
                found += [LiteralType(values), NoneType()]
            else:
                found.append(member)
        # the annotation writes a bare `None` last (none_last)
        found.sort(key=lambda member: _is_null(member) and not member.meta_arguments())
        nulls = [member for member in found if _is_null(member)]
        return [member for member in found if not _is_null(member)] + nulls[-1:]

    def value_schema(self) -> JsonSchema:
        # msgspec lists the members, Structs (models) after the others and null last; it drops
        # what a Struct member's Meta says (a ref to an Enum or an alias model keeps it)
        ordered = sorted(
            self._python_members(), key=lambda m: (_is_null(m), isinstance(m, ModelRef))
        )
        return {
            "anyOf": [
                undocumented(m).schema() if isinstance(m, ModelRef) else m.schema() for m in ordered
            ]
        }

    def schema(self) -> JsonSchema:
        docs = super().schema()
        assert isinstance(docs, dict)
        members = docs.pop("anyOf")
        return nullable_form(members, docs)

    def map_children(self, fn: Callable[[TypeRef], TypeRef]) -> TypeRef:
        members = tuple(fn(member) for member in self.members)
        if all(new is old for new, old in zip(members, self.members, strict=True)):
            return self
        return documented(union_of(members), self.docs)

    def categories(self, of_model: Callable[[str], set[str]]) -> set[str]:
        return set().union(*(member.categories(of_model) for member in self.members))

    def shape(self) -> Shape:
        return frozenset().union(*(member.shape() for member in self.members))


def _is_null(type_: TypeRef) -> bool:
    """Whether the annotation of `type_` is `None` (perhaps Annotated)."""
    return isinstance(type_, NoneType) or (
        isinstance(type_, LiteralType) and type_.values == (None,)
    )


def literal_category(value: Any) -> str:
    """The msgspec union category of one literal value."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    return "float" if isinstance(value, float) else "str"


_JSON_TYPE = {
    "null": "null",
    "bool": "boolean",
    "int": "integer",
    "float": "number",
    "str": "string",
}


def _sorted_values(values: Sequence[Scalar]) -> list[Scalar]:
    """Literal values as msgspec lists them: by type name, then value."""
    try:
        return sorted(values, key=lambda value: (type(value).__name__, value))
    except TypeError:
        return list(values)


class LiteralType(TypeKind, frozen=True, tag="literal"):
    """One of fixed JSON values (`const`, or an enum that is not a str/int Enum)."""

    values: tuple[Scalar, ...]
    docs: SchemaDocs | None = None

    def python(self, imports: Imports, model_prefix: str = "") -> str:
        imports.add("typing", "Literal")
        values = [value for value in self.values if value is not None]
        parts = [f"Literal[{', '.join(literal(v) for v in values)}]"] if values else []
        if None in self.values:
            parts.append("None")
        return " | ".join(parts)

    def accepts(self, value: Any, model_accepts: Callable[[str, Any], bool]) -> bool:
        return value in self.values

    def scalar(self, model_scalar: Callable[[str], bool]) -> bool:
        return True

    def report_text(self) -> str:
        return f"Literal[{', '.join(map(repr, self.values))}]"

    def _values_schema(self, values: list[Scalar]) -> dict[str, Any]:
        kinds: list[str] = []
        for value in values:
            kind = _JSON_TYPE[literal_category(value)]
            if kind not in kinds:
                kinds.append(kind)
        if sorted(kinds) == ["integer", "number"]:
            kinds = ["number"]
        return {"enum": values, "type": kinds[0] if len(kinds) == 1 else kinds}

    def value_schema(self) -> JsonSchema:
        values = [value for value in self.values if value is not None]
        if None not in self.values:
            return self._values_schema(_sorted_values(values))
        if not values:
            return {"type": "null"}
        return {"anyOf": [self._values_schema(_sorted_values(values)), {"type": "null"}]}

    def schema(self) -> JsonSchema:
        docs = super().schema()
        assert isinstance(docs, dict)
        if "anyOf" not in docs:
            return docs
        members = docs.pop("anyOf")
        return nullable_form(members, docs)

    def categories(self, of_model: Callable[[str], set[str]]) -> set[str]:
        return {literal_category(value) for value in self.values}

    def shape(self) -> Shape:
        return frozenset(("literal", value) for value in self.values)


class AnyType(TypeKind, frozen=True, tag="any"):
    """Anything: the honest type when the spec says nothing or cannot be expressed."""

    docs: SchemaDocs | None = None

    def python(self, imports: Imports, model_prefix: str = "") -> str:
        imports.add("typing", "Any")
        return "Any"

    def scalar(self, model_scalar: Callable[[str], bool]) -> bool:
        return True  # any value read from a string is that string

    def report_text(self) -> str:
        return "Any"

    def value_schema(self) -> JsonSchema:
        return {}

    def categories(self, of_model: Callable[[str], set[str]]) -> set[str]:
        return {"any"}

    def shape(self) -> Shape:
        return frozenset({("any",)})


class NoneType(TypeKind, frozen=True, tag="none"):
    """JSON null."""

    def python(self, imports: Imports, model_prefix: str = "") -> str:
        return "None"

    def scalar(self, model_scalar: Callable[[str], bool]) -> bool:
        return True  # `type: null`: no text is a value (null is absence)

    def report_text(self) -> str:
        return "None"

    def value_schema(self) -> JsonSchema:
        return {"type": "null"}

    def categories(self, of_model: Callable[[str], set[str]]) -> set[str]:
        return {"null"}

    def shape(self) -> Shape:
        return frozenset({("literal", None)})


TypeRef = (
    PrimitiveType
    | ListType
    | TupleType
    | MapType
    | ModelRef
    | UnionType
    | LiteralType
    | AnyType
    | NoneType
)


# -- building and taking apart ----------------------------------------------------------------


def union_of(members: list[TypeRef] | tuple[TypeRef, ...]) -> TypeRef:
    """A flat union of `members` without duplicates (None last); one member is itself."""
    flat: list[TypeRef] = []
    for member in members:
        for item in member.members if isinstance(member, UnionType) else (member,):
            if item not in flat:
                flat.append(item)
    if any(isinstance(item, AnyType) for item in flat):
        return AnyType()
    flat.sort(key=lambda item: isinstance(item, NoneType))
    if not flat:
        return AnyType()
    return flat[0] if len(flat) == 1 else UnionType(tuple(flat))


def is_nullable(type_: TypeRef) -> bool:
    """True when JSON null is a value of `type_`."""
    if isinstance(type_, NoneType | AnyType):
        return True
    if isinstance(type_, UnionType):
        return any(isinstance(member, NoneType) for member in type_.members)
    return isinstance(type_, LiteralType) and None in type_.values


def without_none(type_: TypeRef) -> TypeRef:
    """`type_` minus its None member (`X | None` -> `X`); the union's docs stay on X."""
    if isinstance(type_, UnionType):
        rest = union_of([member for member in type_.members if not isinstance(member, NoneType)])
        return documented(rest, type_.docs)
    return type_


def documented(type_: TypeRef, docs: SchemaDocs | None) -> TypeRef:
    """`type_` with `docs` added (its own docs fill what `docs` leaves unsaid)."""
    if docs is None or isinstance(type_, NoneType):
        return type_
    return msgspec.structs.replace(type_, docs=docs_over(type_.docs, docs))


def docs_over(own: SchemaDocs | None, docs: SchemaDocs) -> SchemaDocs:
    """`docs`, with `own` filling what it leaves unsaid."""
    if own is None:
        return docs
    changes = {
        name: getattr(docs, name)
        for name in docs.__struct_fields__
        if getattr(docs, name) not in (None, (), False, {})
    }
    extra = {**own.extra, **docs.extra}
    return msgspec.structs.replace(own, **{**changes, "extra": extra})


def undocumented(type_: TypeRef) -> TypeRef:
    """`type_` without its own (outermost) docs."""
    if isinstance(type_, NoneType) or type_.docs is None:
        return type_
    return msgspec.structs.replace(type_, docs=None)


def default_fits(type_: TypeRef, value: Any, model_accepts: Callable[[str, Any], bool]) -> bool:
    """Whether a spec default (null included) is a value of `type_` a Python default can hold."""
    if value is None:
        return is_nullable(type_)
    return without_none(type_).accepts(value, model_accepts)
