"""The whole module: handlers merged, new definitions appended, leftovers unrouted."""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping, Sequence
from types import MappingProxyType

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from ._common import ConflictError, has_marker, is_handler
from ._handler import HandlerMerge, unroute
from ._imports import generated_imports, merge_imports, used_names
from ._parameters import named
from ._report import NOT_ROUTED_MARKER, MergeChange, MergeError, MergeResult

_Definition = cst.FunctionDef | cst.ClassDef
_NO_RENAMES: Mapping[str, str] = MappingProxyType({})


def merge_module(
    existing: str,
    generated: str,
    *,
    previous_spec_params: Mapping[str, Sequence[str]],
    renames: Mapping[str, str] = _NO_RENAMES,
    path: str = "<module>",
) -> MergeResult:
    """Merge `generated` (the fresh module) into `existing` (the user's copy of it)."""
    module = _parse(existing, path)
    fresh = _parse(generated, f"{path} (generated)")
    merger = _ModuleMerger(module, previous_spec_params, renames, path)
    for definition in _definitions(fresh):
        if is_handler(definition):
            merger.merge_handler(definition)
        else:
            merger.add_plain_item(definition)
    merger.unroute_leftovers()
    used = used_names([*merger.body, *merger.appended])
    body = merge_imports(merger.body, generated_imports(fresh), used)
    grown = len(body) > len(module.body) or bool(merger.appended)
    body += [_appended(definition, first=not body) for definition in merger.appended]
    # added code ends its line even when the user's file did not end with a newline
    newline = module.has_trailing_newline or grown
    text = module.with_changes(body=body, has_trailing_newline=newline).code
    if existing.endswith("\n") and not text.endswith("\n"):
        text += "\n"  # libcst drops it after a trailing comment that ends in a backslash
    return MergeResult(text=text, changes=merger.changes, spec_params=merger.spec_params)


def _parse(source: str, path: str) -> cst.Module:
    try:
        return cst.parse_module(source)
    except cst.ParserSyntaxError as error:
        line, message = error.raw_line, error.message
    except Exception as error:  # libcst refuses some code Python's tokenizer lets through
        line, message = 1, str(error)
    try:  # Python's own parser names the line and the problem better
        ast.parse(source)
    except SyntaxError as python_error:
        line, message = python_error.lineno or line, python_error.msg
    except ValueError:  # e.g. a null byte; libcst's account stands
        pass
    raise MergeError(path, line, message)


def _definitions(module: cst.Module) -> Iterator[_Definition]:
    for statement in module.body:
        if isinstance(statement, _Definition):
            yield statement


def _appended(definition: _Definition, *, first: bool) -> _Definition:
    """A generated definition ready to append: its comments kept, two blank lines above."""
    lines = list(definition.leading_lines)
    while lines and lines[0].comment is None:
        lines.pop(0)
    blank = [] if first else [cst.EmptyLine(), cst.EmptyLine()]
    return definition.with_changes(leading_lines=[*blank, *lines])


class _ModuleMerger:
    """Walks the generated definitions and updates the user's module body."""

    def __init__(
        self,
        module: cst.Module,
        previous: Mapping[str, Sequence[str]],
        renames: Mapping[str, str],
        path: str,
    ) -> None:
        self.module = module
        self.previous = previous
        self.renames = renames
        self.path = path
        self.body: list[cst.BaseStatement] = list(module.body)
        self.names: dict[str, int] = {}
        for position, statement in enumerate(self.body):
            if isinstance(statement, _Definition):
                self.names.setdefault(statement.name.value, position)
        self.merged: set[int] = set()
        self.appended: list[_Definition] = []
        self.changes: list[MergeChange] = []
        self.spec_params: dict[str, list[str]] = {}

    def merge_handler(self, fresh: cst.FunctionDef) -> None:
        """Update the user's def of this handler, or queue a new stub."""
        name = fresh.name.value
        self.spec_params[name] = [param.name.value for param in named(fresh.params)]
        found = self._find(name)
        if found is None:
            self._append(fresh, "new operation: handler stub added")
            return
        position, old_name = found
        current = self.body[position]
        if not isinstance(current, cst.FunctionDef) or not (
            is_handler(current) or has_marker(current)
        ):
            # rewriting a helper's signature would break it; appending would shadow it
            message = f"{name!r} is a generated handler but the name is taken by a user definition"
            raise MergeError(self.path, self._line(current), message)
        merge = HandlerMerge(
            current,
            fresh,
            old_name=old_name,
            previous=self.previous.get(old_name),
            indent=self.module.default_indent,
        )
        try:
            self.body[position] = merge.run()
        except ConflictError as error:
            raise MergeError(self.path, self._line(current), str(error)) from None
        self.merged.add(position)
        self.changes += merge.changes

    def add_plain_item(self, fresh: _Definition) -> None:
        """Append a generated class or function whose name the user's module lacks."""
        if isinstance(fresh, cst.FunctionDef) and has_marker(fresh):
            self.unroute_shadowed(fresh)
            return
        kind = "class" if isinstance(fresh, cst.ClassDef) else "function"
        self._append(fresh, f"new {kind}")

    def unroute_shadowed(self, fresh: cst.FunctionDef) -> None:
        """A stub the spec leaves unrouted (another operation has its method and path): the
        user's routed def of it is unrouted and marked as the stub is; a new one is appended."""
        name = fresh.name.value
        position = self.names.get(name)
        if position is None:
            self._append(fresh, "new operation, not routed: another has its method and path")
            return
        current = self.body[position]
        if position in self.merged or not is_handler(current):
            return
        self.body[position] = unroute(current, NOT_ROUTED_MARKER)
        self.merged.add(position)
        detail = "not routed: another operation has its method and path; the def is kept"
        self.changes.append(MergeChange(name, "removed", detail, True))

    def unroute_leftovers(self) -> None:
        """Unroute and mark the user's handlers that the spec no longer has."""
        detail = "no longer in the spec: unrouted and marked; the def is kept at"
        for position, statement in enumerate(self.body):
            if position not in self.merged and is_handler(statement):
                where = f"{self.path}:{self._line(statement)}"
                self.body[position] = unroute(statement)
                self.changes.append(
                    MergeChange(statement.name.value, "removed", f"{detail} {where}", True)
                )

    def _find(self, name: str) -> tuple[int, str] | None:
        """Where the user's def of a handler is, and its name there."""
        position = self.names.get(name)
        if position is not None and position not in self.merged:
            return position, name
        for old, new in self.renames.items():
            position = self.names.get(old)
            if new != name or position is None or position < 0 or position in self.merged:
                continue
            if is_handler(self.body[position]) or has_marker(self.body[position]):
                return position, old
        return None

    def _append(self, fresh: _Definition, detail: str) -> None:
        name = fresh.name.value
        if name in self.names:  # the user's module has it (or it was queued already)
            return
        self.names[name] = -1
        self.appended.append(fresh)
        self.changes.append(MergeChange(name, "added", detail, False))

    def _line(self, node: cst.CSTNode) -> int:
        positions = MetadataWrapper(self.module, unsafe_skip_copy=True).resolve(PositionProvider)
        return positions[node].start.line if node in positions else 1
