"""Python source for values and types: every spec string becomes a literal, never code.

Strings are written with `repr()`, which always produces a literal that evaluates back to the
same string, so no description, name, pattern or example in a spec can escape into code.
Docstrings get the same guarantee through `docstring()`.
"""

from __future__ import annotations

import math
import re
import sys
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..ir import (
    AnyType,
    Constraints,
    ListType,
    LiteralType,
    MapType,
    ModelRef,
    NoneType,
    PrimitiveType,
    SchemaDocs,
    Server,
    TypeRef,
    UnionType,
)
from .line_width import LINE_LENGTH, text_width
from .unambiguous import escape_ambiguous

__all__ = [
    "Imports",
    "docs_arguments",
    "docstring",
    "exact_docstring",
    "exports_order",
    "fit_pieces",
    "literal",
    "servers_data",
    "type_expr",
    "with_unset",
]

# the Python type of each primitive kind, and the module it needs
_PRIMITIVES: dict[str, tuple[str, str | None]] = {
    "str": ("str", None),
    "int": ("int", None),
    "float": ("float", None),
    "bool": ("bool", None),
    "bytes": ("bytes", None),
    "date": ("datetime.date", "datetime"),
    "datetime": ("datetime.datetime", "datetime"),
    "time": ("datetime.time", "datetime"),
    "duration": ("datetime.timedelta", "datetime"),
    "uuid": ("uuid.UUID", "uuid"),
    "decimal": ("decimal.Decimal", "decimal"),
    "email": ("str", None),
    "uri": ("str", None),
    "nothing": ("Nothing", None),
}
# formats msgspec's own JSON schema already states for a Python type: not repeated in Meta
_NATIVE_FORMATS = {
    "date": "date",
    "duration": "duration",
    "uuid": "uuid",
    "decimal": "decimal",
}
# RFC 3339 date-time and time carry an offset: `Meta(tz=True)` requires one (and msgspec then
# documents the format itself)
_AWARE_FORMATS = {"datetime": "date-time", "time": "time"}


@dataclass
class Imports:
    """The imports a rendered module needs, collected while rendering it."""

    modules: set[str] = field(default_factory=set)
    names: dict[str, set[str]] = field(default_factory=dict)

    def add(self, module: str, name: str | None = None) -> None:
        if name is None:
            self.modules.add(module)
        else:
            self.names.setdefault(module, set()).add(name)

    def lines(self) -> list[str]:
        """Import statements sorted as isort/ruff do: standard library, then third party."""
        groups: list[list[str]] = []
        for third_party in (False, True):
            group = [
                f"import {module}"
                for module in sorted(self.modules)
                if _is_third_party(module) == third_party
            ]
            group += [
                f"from {module} import {', '.join(sorted(names, key=_name_order))}"
                for module, names in sorted(self.names.items())
                if _is_third_party(module) == third_party
            ]
            if group:
                groups.append(group)
        lines: list[str] = []
        for group in groups:
            if lines:
                lines.append("")
            lines.extend(group)
        return lines


def _is_third_party(module: str) -> bool:
    return module.split(".")[0] not in sys.stdlib_module_names


def _name_order(name: str) -> tuple[int, str]:
    # isort's order by type: CONSTANTS, then Classes, then functions and modules
    if name.isupper() and len(name) > 1:
        return (0, name)
    if name[:1].isupper():
        return (1, name)
    return (2, name)


_DIGITS = re.compile(r"(\d+)")


def exports_order(name: str) -> tuple[int, list[tuple[int, int, int | str]]]:
    """The sort key of an `__all__` entry as ruff's RUF022 sorts: by casing, then naturally.

    CONSTANTS, then Classes, then the rest. As in natord, digits sort before letters and `_`;
    a digit run compares as a number, or as text where one starts with `0` (`09` < `1`).
    """
    kind, _ = _name_order(name)
    parts: list[tuple[int, int, int | str]] = []
    for index, piece in enumerate(_DIGITS.split(name)):
        if index % 2 == 0:
            parts += [(ord(char), 0, 0) for char in piece]
        elif piece.startswith("0"):
            parts.append((ord("0"), 0, piece))
        else:
            parts.append((ord("0"), 1, int(piece)))
    return kind, parts


def servers_data(servers: Sequence[Server]) -> list[dict[str, Any]]:
    """Server objects as JSON data (for `servers=` arguments)."""
    result = []
    for server in servers:
        entry: dict[str, Any] = {"url": server.url}
        if server.description:
            entry["description"] = server.description
        if server.variables:
            entry["variables"] = {
                v.name: {
                    "default": v.default,
                    **({"enum": list(v.enum)} if v.enum else {}),
                    **({"description": v.description} if v.description else {}),
                }
                for v in server.variables
            }
        result.append(entry)
    return result


def literal(value: Any) -> str:
    """A Python expression that evaluates to the given JSON value."""
    if value is None or isinstance(value, bool):
        return repr(value)
    if isinstance(value, int):
        return repr(value)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return f"float({str(value)!r})"
        return repr(value).replace("e+", "e")  # black writes exponents without "+"
    if isinstance(value, str):
        return escape_ambiguous(repr(value))
    if isinstance(value, Mapping):
        items = ", ".join(f"{literal(str(k))}: {literal(v)}" for k, v in value.items())
        return "{" + items + "}"
    if isinstance(value, Sequence):
        return "[" + ", ".join(literal(item) for item in value) + "]"
    return escape_ambiguous(repr(str(value)))


def docstring(text: str, indent: str = "", width: int = 96) -> str:
    """A triple-quoted docstring literal whose value is `text` (escaped, never terminated early)."""
    cleaned = "".join(ch if ch in "\n\t" or ch.isprintable() else " " for ch in text).strip()
    cleaned = cleaned.replace("\\", "\\\\")
    # trailing quotes would merge with the closing `"""`: escape every one of them
    body = cleaned.rstrip('"')
    cleaned = body.replace('"""', '\\"\\"\\"') + '\\"' * (len(cleaned) - len(body))
    room = width - len(indent) - 6
    lines = []
    for line in cleaned.splitlines() or [""]:
        # long lines are wrapped (between words) so the docstring stays within the line limit
        wrapped = textwrap.wrap(
            escape_ambiguous(line), width=room, break_long_words=False, break_on_hyphens=False
        )
        lines += [piece for part in wrapped for piece in fit_pieces(part, room)] or [""]
    body = "\n".join(f"{indent}{line}".rstrip() for line in lines)[len(indent) :]
    if len(lines) > 1:
        return f'"""{body}\n{indent}"""'
    return f'"""{body}"""'


# one character of literal source: an escape sequence is never cut
_SOURCE_UNIT = re.compile(r"\\(?:x[0-9a-f]{2}|u[0-9a-f]{4}|U[0-9a-f]{8}|.)|.", re.DOTALL)


def fit_pieces(text: str, room: int, rounds: int = 3) -> list[str]:
    """`text` (literal or comment source) cut into pieces at most `room` columns wide.

    An escape sequence is never cut. A piece of a word can look ambiguous where the whole word
    did not: it is escaped again.
    """
    if text_width(text) <= room or rounds == 0:
        return [text]
    pieces: list[str] = []
    current, used = "", 0
    for unit in _SOURCE_UNIT.findall(text):
        size = text_width(unit)
        if current and used + size > room:
            pieces.append(current)
            current, used = "", 0
        current += unit
        used += size
    pieces.append(current)
    escaped = map(escape_ambiguous, pieces)
    return [part for piece in escaped for part in fit_pieces(piece, room, rounds - 1)]


def exact_docstring(text: str, indent: str) -> str | None:
    """A docstring literal from which `inspect`/msgspec read back exactly `text`, else None.

    msgspec documents a class by `textwrap.dedent(__doc__).strip()`; black strips trailing
    spaces and leading blanks. Text that those would change, or with a line too long for the
    line limit, gets no exact docstring.
    """
    if not text or text != text.strip() or "\r" in text:
        return None
    lines = text.split("\n")
    if any(line != line.rstrip() or not line.isprintable() for line in lines):
        return None
    escaped = text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    escaped = "\n".join(escape_ambiguous(line) for line in escaped.split("\n"))
    one_line = f'"""{escaped}"""'
    if (
        len(lines) == 1
        and escaped[-1] not in '"\\'
        and text_width(indent + one_line) <= LINE_LENGTH
    ):
        return one_line
    if any(text_width(indent + line) > LINE_LENGTH for line in escaped.split("\n")):
        return None
    body = "\n".join(f"{indent}{line}" if line else "" for line in escaped.split("\n"))
    return f'"""\n{body}\n{indent}"""'


def _meta_args(
    constraints: Constraints | None, extra_schema: Mapping[str, Any] | None = None, **docs: Any
) -> list[str]:
    args = []
    if constraints is not None:
        args += [f"{name}={literal(value)}" for name, value in constraints.meta_kwargs().items()]
    for name, value in docs.items():
        if value is not None and value != ():
            args.append(f"{name}={literal(list(value) if isinstance(value, tuple) else value)}")
    if extra_schema:
        args.append(f"extra_json_schema={literal(dict(extra_schema))}")
    return args


def annotated(
    base: str, meta_args: list[str], imports: Imports, metadata: Sequence[str] = ()
) -> str:
    """`base`, wrapped in `Annotated[base, Meta(...), *metadata]` when there is metadata."""
    parts = [*([f"Meta({', '.join(meta_args)})"] if meta_args else []), *metadata]
    if not parts:
        return base
    imports.add("typing", "Annotated")
    if meta_args:
        imports.add("msgspec", "Meta")
    return f"Annotated[{base}, {', '.join(parts)}]"


def _format_schema(type_: PrimitiveType) -> dict[str, Any]:
    if type_.format and _AWARE_FORMATS.get(type_.kind) == type_.format:
        return {}
    if type_.format and _NATIVE_FORMATS.get(type_.kind) != type_.format:
        if type_.kind == "bytes" and type_.format == "byte":
            return {}  # msgspec documents bytes as base64 text: what `format: byte` means
        return {"format": type_.format}
    return {}


def docs_arguments(docs: SchemaDocs | None) -> dict[str, Any]:
    """`Meta` keyword arguments (title, description, examples, extra_json_schema) for docs."""
    if docs is None:
        return {}
    extra: dict[str, Any] = {}
    if docs.read_only:
        extra["readOnly"] = True
    if docs.write_only:
        extra["writeOnly"] = True
    if docs.deprecated:
        extra["deprecated"] = True
    extra.update(docs.extra)
    arguments: dict[str, Any] = {
        "title": docs.title,
        "description": docs.description,
        "examples": docs.examples or None,
        "extra_json_schema": extra or None,
    }
    return {key: value for key, value in arguments.items() if value is not None}


_OR_NONE = " | None"


def _none_last(members: Sequence[str]) -> str:
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


def with_unset(annotation: str) -> str:
    """`annotation | UnsetType`, keeping a top-level `None` last."""
    if annotation.endswith(_OR_NONE):
        return f"{annotation.removesuffix(_OR_NONE)} | UnsetType{_OR_NONE}"
    return f"{annotation} | UnsetType"


def type_expr(
    type_: TypeRef,
    imports: Imports,
    model_prefix: str = "",
    docs: Mapping[str, Any] | None = None,
    metadata: Sequence[str] = (),
) -> str:
    """The annotation for a type; `docs` (description, examples...) go into its `Meta`,
    `metadata` (expressions) after it in the `Annotated`.

    The type's own docs (`TypeRef.docs`) come first; `docs` given here win over them.
    """
    own = {} if isinstance(type_, NoneType) else docs_arguments(type_.docs)
    given = dict(docs or {})
    extra: dict[str, Any] = {
        **(own.pop("extra_json_schema", None) or {}),
        **(given.pop("extra_json_schema", None) or {}),
    }
    docs = {**own, **{k: v for k, v in given.items() if v is not None and v != ()}}
    if isinstance(type_, PrimitiveType):
        name, module = _PRIMITIVES[type_.kind]
        if module:
            imports.add(module)
        if type_.kind == "nothing":
            imports.add("specloom.runtime.untagged", "Nothing")
        extra = {**_format_schema(type_), **extra}
        args = _meta_args(type_.constraints, extra, **docs)
        if type_.format and _AWARE_FORMATS.get(type_.kind) == type_.format:
            args.insert(0, "tz=True")
        return annotated(name, args, imports, metadata)
    if isinstance(type_, ListType):
        item = type_expr(type_.item, imports, model_prefix)
        constraints = type_.constraints
        if constraints is not None and constraints.unique_items:
            extra = {"uniqueItems": True, **extra}
        return annotated(f"list[{item}]", _meta_args(constraints, extra, **docs), imports, metadata)
    if isinstance(type_, MapType):
        value = type_expr(type_.value, imports, model_prefix)
        return annotated(
            f"dict[str, {value}]", _meta_args(type_.constraints, extra, **docs), imports, metadata
        )
    if isinstance(type_, ModelRef):
        return annotated(
            f"{model_prefix}{type_.name}", _meta_args(None, extra, **docs), imports, metadata
        )
    if isinstance(type_, UnionType):
        members = [type_expr(member, imports, model_prefix) for member in type_.members]
        return annotated(_none_last(members), _meta_args(None, extra, **docs), imports, metadata)
    if isinstance(type_, LiteralType):
        imports.add("typing", "Literal")
        values = [value for value in type_.values if value is not None]
        parts = [f"Literal[{', '.join(literal(v) for v in values)}]"] if values else []
        if None in type_.values:
            parts.append("None")
        return annotated(" | ".join(parts), _meta_args(None, extra, **docs), imports, metadata)
    if isinstance(type_, NoneType):
        return annotated("None", _meta_args(None, extra, **docs), imports, metadata)
    assert isinstance(type_, AnyType)
    imports.add("typing", "Any")
    return annotated("Any", _meta_args(None, extra, **docs), imports, metadata)
