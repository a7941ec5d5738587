"""Python source for values and types: every spec string becomes a literal, never code.

Strings are written with `repr()`, which always produces a literal that evaluates back to the
same string, so no description, name, pattern or example in a spec can escape into code.
Docstrings get the same guarantee through `docstring()`.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Mapping, Sequence
from typing import Any

from ..ir import SchemaDocs, Server, TypeRef
from ..pysource import Imports, annotated, literal, name_order
from .line_width import LINE_LENGTH, text_width
from .unambiguous import escape_ambiguous

__all__ = [
    "Imports",
    "annotated",
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

_DIGITS = re.compile(r"(\d+)")


def exports_order(name: str) -> tuple[int, list[tuple[int, int, int | str]]]:
    """The sort key of an `__all__` entry as ruff's RUF022 sorts: by casing, then naturally.

    CONSTANTS, then Classes, then the rest. As in natord, digits sort before letters and `_`;
    a digit run compares as a number, or as text where one starts with `0` (`09` < `1`).
    """
    kind, _ = name_order(name)
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
        if server.description is not None:
            entry["description"] = server.description
        if server.variables is not None:  # as written, an empty `variables: {}` too
            entry["variables"] = {
                v.name: {
                    "default": v.default,
                    **({"enum": list(v.enum)} if v.enum else {}),
                    **({"description": v.description} if v.description is not None else {}),
                }
                for v in server.variables
            }
        result.append(entry)
    return result


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


def comment_lines(text: str, indent: str = "", width: int = 96) -> tuple[str, ...]:
    """`text` as `# ` comment lines, wrapped (between words) within the line limit."""
    cleaned = "".join(ch if ch in "\n\t" or ch.isprintable() else " " for ch in text).strip()
    room = width - len(indent) - 2
    lines: list[str] = []
    for line in cleaned.splitlines():
        wrapped = textwrap.wrap(
            escape_ambiguous(line), width=room, break_long_words=False, break_on_hyphens=False
        )
        lines += [piece for part in wrapped for piece in fit_pieces(part, room)] or [""]
    return tuple(f"# {line}".rstrip() for line in lines)


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


def docs_arguments(docs: SchemaDocs | None) -> dict[str, Any]:
    """`Meta` keyword arguments (title, description, examples, extra_json_schema) for docs."""
    return {} if docs is None else docs.meta_arguments()


_OR_NONE = " | None"


def with_unset(annotation: str) -> str:
    """`annotation | UnsetType`, keeping a top-level `None` last (RUF036)."""
    if annotation == "None":  # a field that is always null when sent
        return "UnsetType | None"
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
    """The annotation for a type (its kind writes it); `docs` (description, examples...) go
    into its `Meta`, `metadata` (expressions) after it in the `Annotated`."""
    return type_.annotation(imports, model_prefix, docs, metadata)
