"""How large and how deep a composed YAML document is once its aliases are expanded, worked out
on the node graph before anything is expanded (`limits.py` has the bounds).

PyYAML composes an alias as the very node its anchor names, so the graph holds each value
once; the builder (`sources.py`) expands every alias into a copy of its own. Here each node's
expanded size (its values, keys included) and height are computed once and kept by identity:
the pass is linear in the nodes written, however often aliases repeat them, and it recurses
no deeper than MAX_DEPTH. A recursive alias (a node inside itself) counts nothing here: the
builder reports it.
"""

from __future__ import annotations

from collections.abc import Iterator

import yaml

from . import limits
from .errors import SpecError, join_pointer
from .limits import MAX_DEPTH, too_deep

__all__ = ["check_extent"]

_MERGE = "tag:yaml.org,2002:merge"
_SCALAR, _SEQUENCE = yaml.ScalarNode, yaml.SequenceNode
_OPEN = (0, 0)  # the (size, height) of a node being visited: a recursive alias adds nothing


class _TooDeep(Exception):
    def __init__(self, node: yaml.Node, through_alias: bool) -> None:
        super().__init__()
        self.node = node
        self.through_alias = through_alias
        self.last = node  # the node whose level the exception is leaving
        self.path: list[str | int] = []  # segments from the node up, appended on the way out


def check_extent(root: yaml.Node, file: str) -> None:
    """Refuse a document nested deeper than MAX_DEPTH, or whose aliases expand it beyond
    max(MAX_ALIAS_VALUES, ALIAS_FACTOR x the values it writes), before it is expanded."""
    if isinstance(root, yaml.ScalarNode):
        return
    extent = _Extent()
    try:
        size, _ = extent.visit(root, 1)
    except _TooDeep as exc:
        where = "the document is"
        if exc.through_alias:
            where = "through the alias here, the value it repeats is"
        raise _error(too_deep(where), exc.node, list(reversed(exc.path)), file) from None
    bound = max(limits.MAX_ALIAS_VALUES, limits.ALIAS_FACTOR * extent.written)
    if size > bound:
        raise extent.too_large(root, bound, file)


def _error(message: str, node: yaml.Node, path: list[str | int], file: str) -> SpecError:
    mark = node.start_mark
    return SpecError(
        message,
        file=file,
        line=mark.line + 1,
        column=mark.column + 1,
        pointer=join_pointer("", *path),
    )


def _children(node: yaml.Node) -> Iterator[tuple[str | int | None, yaml.Node]]:
    """Each child of a collection node with its pointer segment (None: no segment of its own,
    a key, or a merged mapping, whose values land in the parent)."""
    if isinstance(node, yaml.SequenceNode):
        yield from enumerate(node.value)
        return
    for key, value in node.value:
        yield None, key
        if key.tag == _MERGE:
            yield None, value
        else:
            yield (str(key.value) if isinstance(key, yaml.ScalarNode) else "?"), value


class _Extent:
    def __init__(self) -> None:
        self.known: dict[int, tuple[int, int]] = {}  # id(node) -> (expanded size, height)
        self.written = 0  # values written in the text: each collection once, each scalar

    def visit(self, node: yaml.Node, level: int) -> tuple[int, int]:
        """(expanded size, height) of the collection `node`, found at nesting `level`."""
        known = self.known.get(id(node))
        if known is not None:
            if level + known[1] - 1 > MAX_DEPTH:
                raise _TooDeep(node, through_alias=True)
            return known
        if level > MAX_DEPTH:
            raise _TooDeep(node, through_alias=False)
        self.known[id(node)] = _OPEN
        try:
            found = self._measure(node, level)
        except _TooDeep as exc:  # the way down, one segment a level, on the way out
            segment = next(found for found, part in _children(node) if part is exc.last)
            if segment is not None:
                exc.path.append(segment)
            exc.last = node
            raise
        self.known[id(node)] = found
        return found

    def _measure(self, node: yaml.Node, level: int) -> tuple[int, int]:
        """The hot loop (every value written goes through it once): types compared by
        identity, pairs read in place."""
        size, height, scalars = 1, 0, 0
        visit = self.visit
        if type(node) is _SEQUENCE:
            for child in node.value:
                if type(child) is _SCALAR:
                    scalars += 1
                else:
                    child_size, child_height = visit(child, level + 1)
                    size += child_size
                    height = child_height if child_height > height else height
        else:
            for key, value in node.value:
                if type(key) is _SCALAR:
                    scalars += 1
                else:  # a collection as a key (read as its text, but expanded first)
                    child_size, child_height = visit(key, level + 1)
                    size += child_size
                    height = child_height if child_height > height else height
                if type(value) is _SCALAR:
                    scalars += 1
                else:
                    child_size, child_height = visit(value, level + 1)
                    size += child_size
                    height = child_height if child_height > height else height
        self.written += 1 + scalars
        return size + scalars, height + 1

    def size(self, node: yaml.Node) -> int:
        return 1 if isinstance(node, yaml.ScalarNode) else self.known[id(node)][0]

    def too_large(self, root: yaml.Node, bound: int, file: str) -> SpecError:
        """The error at the innermost value that alone expands beyond `bound`, naming the
        largest value it repeats."""
        node, path = root, []
        descended = True
        while descended:
            descended = False
            for segment, child in _children(node):
                if self.size(child) > bound:
                    node, descended = child, True
                    if segment is not None:
                        path.append(segment)
                    break
        largest = max((child for _, child in _children(node)), key=self.size)
        repeated = largest.start_mark.line + 1
        message = (
            f"YAML aliases expand this value to {self.size(node):,} values, from "
            f"{self.written:,} written in the whole document; specloom expands at most "
            f"{bound:,} (the larger of MAX_ALIAS_VALUES = {limits.MAX_ALIAS_VALUES:,} and "
            f"ALIAS_FACTOR = {limits.ALIAS_FACTOR} x the values written): its aliases repeat "
            "the value "
            f"anchored at line {repeated}; write the values out, or share them with $ref"
        )
        return _error(message, node, path, file)
