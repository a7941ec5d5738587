"""The small libcst helpers every part of the merge shares (its records are in `_report`)."""

from __future__ import annotations

import ast
from collections.abc import Sequence
from typing import TypeGuard

import libcst as cst

from ._report import MARKERS, OPERATIONS_ALIAS

NO_SPACE = cst.SimpleWhitespace("")

_RENDERER = cst.Module(body=[])


class ConflictError(Exception):
    """The user's parameters cannot be combined with the spec's (reported as a MergeError)."""


def code(node: cst.CSTNode) -> str:
    """The source text of one node."""
    return _RENDERER.code_for_node(node)


def squash(text: str) -> str:
    """Collapse whitespace runs, for report text."""
    return " ".join(text.split())


def _canonical(text: str) -> str:
    # the AST ignores layout, comments and quote style, so black's reformatting is no change
    try:
        return ast.dump(ast.parse(text.strip(), mode="eval"))
    except SyntaxError:
        return squash(text)


def same(left: cst.CSTNode | None, right: cst.CSTNode | None) -> bool:
    """Whether two expressions are the same code, layout aside."""
    if left is None or right is None:
        return left is right
    return _canonical(code(left)) == _canonical(code(right))


def shown(node: cst.CSTNode | None) -> str:
    """An expression as report text."""
    return "(none)" if node is None else squash(code(node))


def is_op_decorator(decorator: cst.Decorator) -> bool:
    """Whether this is a spec-owned `@op.<name>` (or `@op.<name>(...)`) decorator."""
    target = decorator.decorator
    if isinstance(target, cst.Call):
        target = target.func
    return (
        isinstance(target, cst.Attribute)
        and isinstance(target.value, cst.Name)
        and target.value.value == OPERATIONS_ALIAS
    )


def is_handler(node: cst.CSTNode) -> TypeGuard[cst.FunctionDef]:
    """Whether a statement is a routed handler: a def with an `@op.…` decorator."""
    return isinstance(node, cst.FunctionDef) and any(map(is_op_decorator, node.decorators))


def comment_line(text: str) -> cst.EmptyLine:
    """An own-line comment."""
    return cst.EmptyLine(comment=cst.Comment(text))


def has_marker(node: cst.CSTNode) -> bool:
    """Whether a def carries an unrouted marker (removed from the spec, or not routed)."""
    if not isinstance(node, cst.FunctionDef):
        return False
    lines = [*node.leading_lines, *node.lines_after_decorators]
    return any(line.comment is not None and line.comment.value in MARKERS for line in lines)


def without_marker(lines: Sequence[cst.EmptyLine]) -> list[cst.EmptyLine]:
    """The lines minus the unrouted markers."""
    return [line for line in lines if line.comment is None or line.comment.value not in MARKERS]
