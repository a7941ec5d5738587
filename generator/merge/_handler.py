"""One handler def: its spec-owned decorators, parameters and return annotation rewritten."""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst

from ._common import (
    comment_line,
    has_marker,
    is_handler,
    is_op_decorator,
    same,
    shown,
    squash,
    without_marker,
)
from ._parameters import ParameterPlan, annotation, named, param_code
from ._report import REMOVED_MARKER, ChangeKind, MergeChange


def _orphaned(decorator: cst.Decorator) -> list[cst.EmptyLine]:
    """The comments of a decorator being dropped, as comment lines."""
    lines = list(decorator.leading_lines)
    comment = decorator.trailing_whitespace.comment
    return [*lines, comment_line(comment.value)] if comment is not None else lines


def _with_lines_above(decorator: cst.Decorator, lines: list[cst.EmptyLine]) -> cst.Decorator:
    if not lines:
        return decorator
    return decorator.with_changes(leading_lines=[*lines, *decorator.leading_lines])


def replace_op_decorators(
    current: Sequence[cst.Decorator], fresh: Sequence[cst.Decorator]
) -> tuple[list[cst.Decorator], list[cst.EmptyLine]]:
    """Swap the `@op.…` decorators for `fresh` where they stand; user decorators stay put.

    Also returns the comment lines of dropped decorators that found no decorator below them.
    """
    last_op = max(i for i, decorator in enumerate(current) if is_op_decorator(decorator))
    result: list[cst.Decorator] = []
    orphans: list[cst.EmptyLine] = []
    used = 0
    for position, decorator in enumerate(current):
        if not is_op_decorator(decorator):
            result.append(_with_lines_above(decorator, orphans))
            orphans = []
            continue
        if used < len(fresh):
            expression = fresh[used].decorator
            if not same(decorator.decorator, expression):
                decorator = decorator.with_changes(decorator=expression)
            result.append(_with_lines_above(decorator, orphans))
            orphans = []
        else:
            orphans += _orphaned(decorator)
        used += 1
        if position == last_op:
            result += [extra.with_changes(leading_lines=[]) for extra in fresh[used:]]
    return result, orphans


def unroute(function: cst.FunctionDef, marker_text: str = REMOVED_MARKER) -> cst.FunctionDef:
    """Drop the `@op.…` decorators and mark the def, once, as no longer routed."""
    decorators, orphans = replace_op_decorators(function.decorators, [])
    above = list(function.leading_lines)
    after = [*orphans, *function.lines_after_decorators]
    if not decorators:  # nothing left between these comments and the def: keep them together
        above, after = [*above, *after], []
    marker = [] if has_marker(function) else [comment_line(marker_text)]
    return function.with_changes(
        decorators=decorators, leading_lines=[*above, *marker], lines_after_decorators=after
    )


class HandlerMerge:
    """Rewrites the spec-owned parts of one handler def and records what changed."""

    def __init__(
        self,
        current: cst.FunctionDef,
        fresh: cst.FunctionDef,
        *,
        old_name: str,
        previous: Sequence[str] | None,
        indent: str,
    ) -> None:
        self.current = current
        self.fresh = fresh
        self.name = fresh.name.value
        self.old_name = old_name
        self.previous = previous
        self.indent = indent
        self.changes: list[MergeChange] = []

    def run(self) -> cst.FunctionDef:
        """The merged def (raises ConflictError when the signatures cannot be combined)."""
        merged = self._rename(self.current)
        merged = self._merge_decorators(merged)
        merged = self._merge_returns(merged)  # before the params: the header length needs it
        return self._merge_parameters(merged)

    def _report(self, kind: ChangeKind, detail: str, breaking: bool, subject: str = "") -> None:
        self.changes.append(MergeChange(self.name, kind, detail, breaking, subject))

    def _rename(self, merged: cst.FunctionDef) -> cst.FunctionDef:
        if self.old_name == self.name:
            return merged
        self._report("renamed", f"renamed {self.old_name!r} -> {self.name!r}", False)
        return merged.with_changes(name=merged.name.with_changes(value=self.name))

    def _merge_decorators(self, merged: cst.FunctionDef) -> cst.FunctionDef:
        fresh = [decorator for decorator in self.fresh.decorators if is_op_decorator(decorator)]
        if not is_handler(merged):  # unrouted by an earlier run; its operation is back
            self._report("added", "back in the spec: the existing def is routed again", False)
            return merged.with_changes(
                decorators=[*(d.with_changes(leading_lines=[]) for d in fresh), *merged.decorators],
                leading_lines=without_marker(merged.leading_lines),
                lines_after_decorators=without_marker(merged.lines_after_decorators),
            )
        before = [d.decorator for d in merged.decorators if is_op_decorator(d)]
        after = [d.decorator for d in fresh]
        if len(before) != len(after) or not all(map(same, before, after)):
            old, new = (", ".join(f"@{shown(e)}" for e in side) for side in (before, after))
            self._report("decorator_changed", f"decorator {old} -> {new}", False)
        decorators, orphans = replace_op_decorators(merged.decorators, fresh)
        lines = [*orphans, *merged.lines_after_decorators]
        return merged.with_changes(decorators=decorators, lines_after_decorators=lines)

    def _merge_returns(self, merged: cst.FunctionDef) -> cst.FunctionDef:
        old, new = merged.returns, self.fresh.returns
        old_type = None if old is None else old.annotation
        new_type = None if new is None else new.annotation
        if same(old_type, new_type):
            return merged
        self._report("return_changed", f"return {shown(old_type)} -> {shown(new_type)}", True)
        if old is None or new is None:
            return merged.with_changes(returns=new)
        return merged.with_changes(returns=old.with_changes(annotation=new.annotation))

    def _merge_parameters(self, merged: cst.FunctionDef) -> cst.FunctionDef:
        present = {param.name.value for param in named(merged.params)}
        if self.previous is not None:
            before = list(self.previous)
        else:  # no record: the names the generated signature shares with the def are the spec's
            before = [p.name.value for p in named(self.fresh.params) if p.name.value in present]
        self._report_parameters(merged.params, before)
        return ParameterPlan(merged, self.fresh.params, before).apply(merged, self.indent)

    def _report_parameters(self, current: cst.Parameters, before: Sequence[str]) -> None:
        existing = {param.name.value: param for param in named(current)}
        fresh = {param.name.value: param for param in named(self.fresh.params)}
        for name, param in fresh.items():
            old = existing.get(name)
            if name in before and old is not None:
                self._report_changed_parameter(name, old, param)
                continue
            detail = f"parameter {name!r} added: {squash(param_code(param))}"
            if old is not None:
                detail += " (replaces the user's parameter of that name)"
            breaking = param.default is None and not param.star
            self._report("parameter_added", detail, breaking, name)
        for name in before:
            if name not in fresh:
                # the body may still use it, so the user has something to fix
                self._report("parameter_removed", f"parameter {name!r} removed", True, name)

    def _report_changed_parameter(self, name: str, old: cst.Param, new: cst.Param) -> None:
        old_type, new_type = annotation(old), annotation(new)
        parts = []
        if not same(old_type, new_type):
            parts.append(f"type {shown(old_type)} -> {shown(new_type)}")
        if not same(old.default, new.default):
            parts.append(f"default {shown(old.default)} -> {shown(new.default)}")
        if parts:
            detail = f"parameter {name!r} " + ", ".join(parts)
            self._report("parameter_changed", detail, not same(old_type, new_type), name)
