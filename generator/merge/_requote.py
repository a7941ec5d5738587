"""Quoting the `op.`/`m.` annotations of removed handlers, so the module still imports.

An unrouted handler keeps its signature, but the names it was annotated with are gone from
`_generated/` with its operation: evaluated at import, they would stop the app starting. Before
a merge they are unquoted again, so the merge compares them as written.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ._report import MARKERS

if TYPE_CHECKING:
    import libcst as cst

_SPEC_NAME = re.compile(r"\b(?:op|m)\.")


def quoted_annotation(source: str) -> str:
    """An unrouted handler's annotation as it is written: a string where it names the
    package's aliases or models (`op.`, `m.`), which its operation may no longer have."""
    if _SPEC_NAME.search(source) and '"' not in source:
        return f'"{source}"'
    return source


def _requoted(annotation: cst.Annotation | None, *, quote: bool) -> cst.Annotation | None:
    import libcst as cst

    if annotation is None:
        return None
    expression = annotation.annotation
    if quote and not isinstance(expression, cst.SimpleString | cst.ConcatenatedString):
        source = " ".join(cst.Module(body=[]).code_for_node(expression).split())
        quoted = quoted_annotation(source)
        if quoted != source:
            return annotation.with_changes(annotation=cst.SimpleString(quoted))
    elif not quote and isinstance(expression, cst.SimpleString):
        value = expression.evaluated_value
        if isinstance(value, str) and _SPEC_NAME.search(value):
            try:
                return annotation.with_changes(annotation=cst.parse_expression(value))
            except cst.ParserSyntaxError:
                pass
    return annotation


def requote_removed(text: str, *, quote: bool) -> str:
    """Quote (or, before a merge, unquote) the `op.`/`m.` annotations of removed handlers."""
    if not any(marker in text for marker in MARKERS):
        return text
    import libcst as cst  # only a package with removed operations needs it

    from ._common import has_marker

    try:
        module = cst.parse_module(text)
    except cst.ParserSyntaxError:
        return text  # the merge reports where
    body: list[cst.BaseStatement] = []
    for statement in module.body:
        if isinstance(statement, cst.FunctionDef) and has_marker(statement):
            params = statement.params

            def fix(param: cst.Param) -> cst.Param:
                return param.with_changes(annotation=_requoted(param.annotation, quote=quote))

            star = params.star_arg
            params = params.with_changes(
                posonly_params=[fix(param) for param in params.posonly_params],
                params=[fix(param) for param in params.params],
                star_arg=fix(star) if isinstance(star, cst.Param) else star,
                kwonly_params=[fix(param) for param in params.kwonly_params],
                star_kwarg=None if params.star_kwarg is None else fix(params.star_kwarg),
            )
            returns = _requoted(statement.returns, quote=quote)
            statement = statement.with_changes(params=params, returns=returns)
        body.append(statement)
    return module.with_changes(body=body).code
