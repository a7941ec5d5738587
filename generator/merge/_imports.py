"""Imports: make the user's module provide every name the generated module imports."""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst

from ._common import code
from ._report import LINE_LENGTH

_Import = cst.Import | cst.ImportFrom


def _module_name(node: cst.ImportFrom) -> str:
    dotted = "" if node.module is None else code(node.module)
    return "." * len(node.relative) + dotted


def _alias_code(alias: cst.ImportAlias) -> str:
    return code(alias.with_changes(comma=cst.MaybeSentinel.DEFAULT))


def _bound(node: _Import) -> list[str]:
    """What an import statement provides: bound names, or `module:*` for a star import."""
    if isinstance(node, cst.ImportFrom) and isinstance(node.names, cst.ImportStar):
        return [f"{_module_name(node)}:*"]
    assert not isinstance(node.names, cst.ImportStar)
    # `import a.b` is only provided by `import a.b`, so its key is the dotted name
    return [
        code(alias.asname.name) if alias.asname is not None else code(alias.name)
        for alias in node.names
    ]


def _small_imports(statement: cst.BaseStatement) -> list[_Import]:
    if not isinstance(statement, cst.SimpleStatementLine):
        return []
    return [small for small in statement.body if isinstance(small, _Import)]


def _is_import_line(statement: cst.BaseStatement) -> bool:
    return isinstance(statement, cst.SimpleStatementLine) and all(
        isinstance(small, _Import) for small in statement.body
    )


def _has_docstring(body: Sequence[cst.BaseStatement]) -> bool:
    if not body or not isinstance(body[0], cst.SimpleStatementLine):
        return False
    first = body[0].body[0]
    return isinstance(first, cst.Expr) and isinstance(
        first.value, cst.SimpleString | cst.ConcatenatedString
    )


def generated_imports(module: cst.Module) -> list[_Import]:
    """The top-level import statements of a module."""
    return [small for statement in module.body for small in _small_imports(statement)]


def used_names(statements: list[cst.BaseStatement]) -> set[str]:
    """Every name the statements refer to (import statements aside)."""
    collector = _NameCollector()
    for statement in statements:
        if not _small_imports(statement):
            statement.visit(collector)
    return collector.names


class _NameCollector(cst.CSTVisitor):
    def __init__(self) -> None:
        self.names: set[str] = set()

    def visit_Name(self, node: cst.Name) -> None:
        self.names.add(node.value)


def merge_imports(
    body: list[cst.BaseStatement], wanted: list[_Import], used: set[str] | None = None
) -> list[cst.BaseStatement]:
    """The body with the wanted imports added where missing; user imports are never removed.

    With `used`, a name nothing refers to is not added (a stub's import is not needed where
    the user's own body replaced the stub's); `__future__` imports always are.

    A name counts as provided when any top-level import of the user's binds it, so a user's
    own choice of source for a name is kept. Missing names join an existing `from X import`
    of the same module, or a new statement goes after the last top-level import (after the
    docstring when there is none; `__future__` imports always right after the docstring).
    """
    body = list(body)
    provided = {key for line in body for small in _small_imports(line) for key in _bound(small)}
    new: list[str] = []
    future: list[str] = []
    for node in wanted:
        missing = _missing(node, provided)
        if missing is not None and missing and used is not None and not _is_future(node):
            missing = [alias for alias in missing if _bound_root(alias) in used] or None
        if missing is None:
            continue
        provided.update(_bound(node))
        if missing and isinstance(node, cst.ImportFrom) and _extend_existing(body, node, missing):
            continue
        (future if _is_future(node) else new).append(_statement_text(node, missing))
    _insert(body, future, at=int(_has_docstring(body)))
    _insert(body, new, at=_after_imports(body))
    return body


def _bound_root(alias: cst.ImportAlias) -> str:
    """The name an alias binds in the module (`a` for `import a.b`)."""
    name = alias.asname.name if alias.asname is not None else alias.name
    return code(name).split(".")[0]


def _is_future(node: _Import) -> bool:
    return isinstance(node, cst.ImportFrom) and _module_name(node) == "__future__"


def _missing(node: _Import, provided: set[str]) -> list[cst.ImportAlias] | None:
    """The aliases still missing ([] for a missing star import); None when nothing is."""
    keys = _bound(node)
    if isinstance(node.names, cst.ImportStar):
        return None if keys[0] in provided else []
    missing = [alias for alias, key in zip(node.names, keys, strict=True) if key not in provided]
    return missing or None


def _statement_text(node: _Import, missing: list[cst.ImportAlias]) -> str:
    if isinstance(node, cst.Import):
        return f"import {', '.join(map(_alias_code, missing))}"
    head = f"from {_module_name(node)} import "
    if not missing:
        return head + "*"
    names = [_alias_code(alias) for alias in missing]
    if len(head) + len(", ".join(names)) <= LINE_LENGTH:
        return head + ", ".join(names)
    return head + "(\n" + "".join(f"    {name},\n" for name in names) + ")"


def _extend_existing(
    body: list[cst.BaseStatement], node: cst.ImportFrom, missing: list[cst.ImportAlias]
) -> bool:
    """Add the missing names to the user's first `from` import of the same module, if any."""
    module = _module_name(node)
    for position, line in enumerate(body):
        if not isinstance(line, cst.SimpleStatementLine):
            continue
        for index, small in enumerate(line.body):
            if (
                isinstance(small, cst.ImportFrom)
                and not isinstance(small.names, cst.ImportStar)
                and _module_name(small) == module
            ):
                smalls = [*line.body]
                smalls[index] = _extended(small, missing)
                body[position] = line.with_changes(body=smalls)
                return True
    return False


def _separator(indent: str | None) -> cst.BaseParenthesizableWhitespace:
    if indent is None:
        return cst.SimpleWhitespace(" ")
    return cst.ParenthesizedWhitespace(indent=True, last_line=cst.SimpleWhitespace(indent))


def _item_indent(node: cst.ImportFrom) -> str | None:
    """The indentation of a multi-line parenthesized import's names; None on one line."""
    spaces = [node.lpar.whitespace_after] if node.lpar is not None else []
    assert not isinstance(node.names, cst.ImportStar)
    spaces += [a.comma.whitespace_after for a in node.names if isinstance(a.comma, cst.Comma)]
    for space in spaces:
        if isinstance(space, cst.ParenthesizedWhitespace):
            return space.last_line.value
    return None


def _extended(node: cst.ImportFrom, missing: list[cst.ImportAlias]) -> cst.ImportFrom:
    """The import with names appended, in the layout it already has."""
    assert not isinstance(node.names, cst.ImportStar)
    extra = [cst.ImportAlias(name=alias.name, asname=alias.asname) for alias in missing]
    indent = _item_indent(node) if node.lpar is not None else None
    names = _appended_names([*node.names], extra, indent)
    extended = node.with_changes(names=names)
    if node.lpar is not None or len(code(extended)) <= LINE_LENGTH:
        return extended
    return _exploded(node, [*node.names, *extra])


def _appended_names(
    names: list[cst.ImportAlias], extra: list[cst.ImportAlias], indent: str | None
) -> list[cst.ImportAlias]:
    last, tail = names[-1], names[-1].comma
    if isinstance(tail, cst.Comma):
        # the old trailing comma now separates (its comment stays on its line); the new last
        # name takes over the trailing comma and the line break before `)`
        space = tail.whitespace_after
        separator = _separator(indent)
        if isinstance(space, cst.ParenthesizedWhitespace) and indent is not None:
            separator = space.with_changes(last_line=cst.SimpleWhitespace(indent))
        names[-1] = last.with_changes(comma=tail.with_changes(whitespace_after=separator))
        closing: cst.Comma | cst.MaybeSentinel = tail.with_changes(whitespace_after=_bare(space))
    else:
        names[-1] = last.with_changes(comma=cst.Comma(whitespace_after=_separator(indent)))
        closing = cst.MaybeSentinel.DEFAULT
    commas = [cst.Comma(whitespace_after=_separator(indent)) for _ in extra[:-1]] + [closing]
    return [
        *names,
        *(alias.with_changes(comma=comma) for alias, comma in zip(extra, commas, strict=True)),
    ]


def _bare(space: cst.BaseParenthesizableWhitespace) -> cst.BaseParenthesizableWhitespace:
    """The same line break without its comments."""
    if isinstance(space, cst.ParenthesizedWhitespace):
        return space.with_changes(first_line=cst.TrailingWhitespace(), empty_lines=[])
    return space


def _exploded(node: cst.ImportFrom, names: list[cst.ImportAlias]) -> cst.ImportFrom:
    """A too-long one-line import, parenthesized with one name per line (black's shape)."""
    closing = cst.ParenthesizedWhitespace(indent=True, last_line=cst.SimpleWhitespace(""))
    spaces = [_separator("    ") for _ in names[:-1]] + [closing]
    return node.with_changes(
        names=[
            alias.with_changes(comma=cst.Comma(whitespace_after=space))
            for alias, space in zip(names, spaces, strict=True)
        ],
        lpar=cst.LeftParen(whitespace_after=_separator("    ")),
        rpar=cst.RightParen(),
    )


def _after_imports(body: Sequence[cst.BaseStatement]) -> int:
    positions = [i for i, statement in enumerate(body) if _is_import_line(statement)]
    return positions[-1] + 1 if positions else int(_has_docstring(body))


def _insert(body: list[cst.BaseStatement], texts: list[str], *, at: int) -> None:
    """Insert new import statements at `at`, a blank line apart from a docstring above."""
    for offset, text in enumerate(texts):
        statement = cst.parse_statement(text + "\n")
        if offset == 0 and at > 0 and not _is_import_line(body[at - 1]):
            statement = statement.with_changes(leading_lines=[cst.EmptyLine()])
        body.insert(at + offset, statement)
