"""Read YAML or JSON text into plain data while recording where each value starts."""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import yaml

from .errors import Position, SpecError, SpecWarning, join_pointer
from .json_keys import DuplicateKeys
from .json_positions import JsonPositions
from .limits import check_json_depth, check_size, deep_json_error
from .yaml_extent import check_extent

__all__ = ["LazyLines", "LineMap", "SourceMap", "read_document"]

# Line and column (1-based) of each JSON pointer of one file.
LineMap = Mapping[str, tuple[int, int]]

_YAML = "tag:yaml.org,2002:"
_SEQ, _MAP = _YAML + "seq", _YAML + "map"
_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# Scalar construction is borrowed from PyYAML; only the tree walk is ours (to keep marks).
_SCALARS = yaml.constructor.SafeConstructor()
_YAML12_BOOLEANS = frozenset(("true", "True", "TRUE", "false", "False", "FALSE"))


def read_document(text: str, file: str) -> tuple[Any, LineMap, list[SpecWarning]]:
    """Parse `text` (JSON or YAML) into plain data, its line map and leniency warnings; refuse
    text beyond the limits of `limits.py` (size, nesting, alias expansion)."""
    check_size(text, file)
    try:
        return _read_document(text, file)
    except RecursionError:
        raise SpecError("the document is nested too deeply", file=file) from None


def _read_document(text: str, file: str) -> tuple[Any, LineMap, list[SpecWarning]]:
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        raise SpecError("the document is empty", file=file)
    if text.lstrip()[:1] in ("{", "["):
        keys = DuplicateKeys()
        try:
            data = json.loads(text, object_pairs_hook=keys)
        except RecursionError:
            raise deep_json_error(text, file) from None
        except ValueError as exc:
            try:  # some ".json" files are really YAML flow style; try before giving up
                return _read_yaml(text, file)
            except SpecError:
                line, column = getattr(exc, "lineno", None), getattr(exc, "colno", None)
                message = f"invalid JSON: {getattr(exc, 'msg', exc)}"
                raise SpecError(message, file=file, line=line, column=column) from None
        check_json_depth(data, text, file)
        # json.loads runs in C; a position is found when it is asked for (json_positions.py)
        lines = JsonPositions(text, lambda: _json_lines(text))
        return data, lines, keys.warnings(data, file, lines)
    return _read_yaml(text, file)


class LazyLines(Mapping[str, tuple[int, int]]):
    """A line map computed the first time a position is looked up (errors and warnings are
    few; most loads never need one)."""

    def __init__(self, compute: Callable[[], dict[str, tuple[int, int]]]) -> None:
        self._compute: Callable[[], dict[str, tuple[int, int]]] | None = compute
        self._lines: dict[str, tuple[int, int]] = {}

    def _table(self) -> dict[str, tuple[int, int]]:
        if self._compute is not None:
            self._lines, self._compute = self._compute(), None
        return self._lines

    def __getitem__(self, pointer: str) -> tuple[int, int]:
        return self._table()[pointer]

    def __contains__(self, pointer: object) -> bool:
        return pointer in self._table()

    def __iter__(self) -> Iterator[str]:
        return iter(self._table())

    def __len__(self) -> int:
        return len(self._table())


# -- YAML --------------------------------------------------------------------------------------


def _read_yaml(text: str, file: str) -> tuple[Any, LineMap, list[SpecWarning]]:
    swap = _Yaml12Swap(text) if _YAML12_CONTENT.search(text) else None
    try:
        node = yaml.compose(swap.text if swap else text, Loader=_Loader)
    except yaml.reader.ReaderError as exc:
        raise _unprintable(text, exc, file) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "cannot be parsed"
        raise SpecError(
            f"invalid YAML: {problem}",
            file=file,
            line=mark.line + 1 if mark else None,
            column=mark.column + 1 if mark else None,
        ) from None
    except yaml.YAMLError as exc:
        raise SpecError(f"invalid YAML: {exc}", file=file) from None
    if node is None:
        raise SpecError("the document is empty", file=file)
    builder = _YamlBuilder(file, swap)
    lines = {"": (node.start_mark.line + 1, node.start_mark.column + 1)}
    builder.lines = lines
    try:
        check_extent(node, file)  # before anything is expanded
        data = builder.build(node, "")
    except (SpecError, RecursionError):
        if swap is not None:  # a misplaced control character is reported first, as it was
            swap.restore(node, file)
        raise
    if swap is not None:
        swap.check_quoted(file)
    return data, lines, builder.warnings


class _Loader(_BaseLoader):  # type: ignore[misc]
    """PyYAML's safe loader (libyaml's when built), its tag resolution called without the
    path-resolver steps the safe loader never uses (it has no path resolvers): the composer
    calls these once per node, from C."""

    descend_resolver: Any = {}.get  # (parent, index) -> None, no Python frame
    ascend_resolver: Any = int  # () -> 0, no Python frame

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        """The implicit resolvers of the safe loader, as `Resolver.resolve` applies them."""
        if kind is yaml.ScalarNode:
            if implicit[0]:
                for tag, regexp in _IMPLICIT.get(value[:1], ()):
                    if regexp.match(value):
                        return str(tag)
            return _YAML + "str"
        return _YAML + ("seq" if kind is yaml.SequenceNode else "map")


# The safe loader's implicit resolvers by first character ("" for the empty scalar); it has
# no wildcard ones (keyed None), which `resolve` above would otherwise have to try as well.
_IMPLICIT: dict[str, tuple[tuple[str, re.Pattern[str]], ...]] = {
    first: tuple(resolvers) for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}
assert None not in _IMPLICIT and not _BaseLoader.yaml_path_resolvers


# What YAML 1.2 reads as content where PyYAML (a YAML 1.1 reader) does not: NEL, LS and PS are
# not line breaks (YAML 1.2.2 section 5.4), and DEL, the C1 controls, U+FFFE and U+FFFF are
# allowed inside quoted scalars (section 5.1: "all non-C0 characters inside quoted scalars").
_YAML12_CONTENT = re.compile("[\x7f-\x9f\u2028\u2029\ufffe\uffff]")
_QUOTED_ONLY = re.compile("[\x7f-\x84\x86-\x9f\ufffe\uffff]")
_ESCAPED = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


class _Yaml12Swap:
    """The text with each such character swapped for a private-use one that it does not hold
    (nor name by an escape): one character for one, so every mark stays where it was."""

    def __init__(self, text: str) -> None:
        self.original = text
        found = sorted(set(_YAML12_CONTENT.findall(text)))
        free = _unused_private(text, len(found))
        for character, private in zip(found, free, strict=True):
            text = text.replace(character, private)  # one C pass each (translate is slower)
        self.text = text
        self._back = {ord(p): c for c, p in zip(found, free, strict=True)}
        self._swapped = re.compile("[" + "".join(free) + "]")
        self._quoted: list[tuple[int, int]] = []

    def restore_scalar(self, node: yaml.ScalarNode) -> None:
        """Put the characters back in one scalar, noting a quoted one that holds any."""
        if self._swapped.search(node.value):
            node.value = node.value.translate(self._back)
            if node.style in ("'", '"'):
                self._quoted.append((node.start_mark.index, node.end_mark.index))

    def check_quoted(self, file: str) -> None:
        """Once every scalar is restored: refuse a character that is outside quotes."""
        self._check_quoted(sorted(self._quoted), file)

    def restore(self, root: yaml.Node, file: str) -> None:
        """Put the characters back in every scalar; refuse one that is outside quotes."""
        quoted: list[tuple[int, int]] = []
        pending, seen = [root], set()
        while pending:
            node = pending.pop()
            if id(node) in seen:
                continue
            seen.add(id(node))
            if isinstance(node, yaml.ScalarNode):
                node.value = node.value.translate(self._back)
                if node.style in ("'", '"'):
                    quoted.append((node.start_mark.index, node.end_mark.index))
            elif isinstance(node, yaml.SequenceNode):
                pending.extend(node.value)
            elif isinstance(node, yaml.MappingNode):
                pending.extend(part for pair in node.value for part in pair)
        self._check_quoted(sorted(quoted), file)

    def _check_quoted(self, quoted: list[tuple[int, int]], file: str) -> None:
        starts = [start for start, _ in quoted]
        for match in _QUOTED_ONLY.finditer(self.original):
            at = bisect.bisect_right(starts, match.start()) - 1
            if at < 0 or match.start() >= quoted[at][1]:
                code = ord(match.group())
                message = (
                    f"invalid YAML: control character U+{code:04X} outside a quoted string; "
                    f"YAML 1.2 allows it only inside quotes: remove it, or write it as the "
                    f"escape \\u{code:04X} in a double-quoted string"
                )
                line, column = _line_column(self.original, match.start())
                raise SpecError(message, file=file, line=line, column=column)


def _unused_private(text: str, count: int) -> list[str]:
    """`count` private-use characters that `text` neither holds nor names by an escape."""
    taken = set(text)
    taken.update(chr(int(m.group(1) or m.group(2), 16) % 0x110000) for m in _ESCAPED.finditer(text))
    free = (chr(code) for code in range(0xE000, 0xF900) if chr(code) not in taken)
    return [next(free) for _ in range(count)]


def _unprintable(text: str, exc: yaml.reader.ReaderError, file: str) -> SpecError:
    """A character no YAML allows, at its line and column (the reader gives an offset that is
    in bytes for the C parser): the first one in the text is the one it stopped at."""
    character = exc.character if isinstance(exc.character, str) else chr(exc.character)
    offset = text.find(character)
    line, column = _line_column(text, offset) if offset >= 0 else (None, None)
    return SpecError(
        f"invalid YAML: control character U+{ord(character):04X} is not allowed anywhere; "
        f"remove it, or write it as the escape \\u{ord(character):04X} in a double-quoted string",
        file=file,
        line=line,
        column=column,
    )


def _line_column(text: str, offset: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1


class _YamlBuilder:
    """Turn a composed YAML node tree into dicts/lists/scalars, keeping each value's mark."""

    def __init__(self, file: str, swap: _Yaml12Swap | None = None) -> None:
        self.file = file
        self.lines: dict[str, tuple[int, int]] = {}
        self.warnings: list[SpecWarning] = []
        self._open: set[int] = set()
        self._restore = swap.restore_scalar if swap is not None else None

    def warn(self, node: yaml.Node, pointer: str, message: str) -> None:
        mark = node.start_mark
        self.warnings.append(
            SpecWarning(pointer, message, self.file, mark.line + 1, mark.column + 1)
        )

    def build(self, node: yaml.Node, pointer: str) -> Any:
        if isinstance(node, yaml.ScalarNode):
            if self._restore is not None:
                self._restore(node)
            return self.scalar(node, pointer)
        if id(node) in self._open:
            mark = node.start_mark
            raise SpecError(
                "recursive YAML alias",
                file=self.file,
                line=mark.line + 1,
                column=mark.column + 1,
                pointer=pointer,
            )
        self._open.add(id(node))
        try:
            if isinstance(node, yaml.SequenceNode):
                if node.tag != _SEQ:
                    self.unknown_tag(node, pointer, "a plain sequence")
                return self.sequence(node, pointer)
            assert isinstance(node, yaml.MappingNode)
            if node.tag != _MAP:
                self.unknown_tag(node, pointer, "a plain mapping")
            return self.mapping(node, pointer)
        finally:
            self._open.discard(id(node))

    def sequence(self, node: yaml.SequenceNode, pointer: str) -> list[Any]:
        items = []
        for index, child in enumerate(node.value):
            child_pointer = f"{pointer}/{index}"
            self.lines[child_pointer] = (child.start_mark.line + 1, child.start_mark.column + 1)
            items.append(self.build(child, child_pointer))
        return items

    def mapping(self, node: yaml.MappingNode, pointer: str) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _YAML + "merge":
                merged = self.build(value_node, pointer)
                for part in merged if isinstance(merged, list) else [merged]:
                    if isinstance(part, dict):
                        for key, value in part.items():
                            result.setdefault(key, value)
                continue
            key = self.key(key_node, pointer)
            child_pointer = join_pointer(pointer, key)
            if key in result:
                self.warn(key_node, child_pointer, f"duplicate key {key!r}; the last one is used")
            # Point at the key: that is the line a reader looks for.
            self.lines[child_pointer] = (
                key_node.start_mark.line + 1,
                key_node.start_mark.column + 1,
            )
            result[key] = self.build(value_node, child_pointer)
        return result

    def key(self, node: yaml.Node, pointer: str) -> str:
        if isinstance(node, yaml.ScalarNode):
            if self._restore is not None:
                self._restore(node)
            # The key's own text: `200:` stays "200", `yes:` stays "yes".
            return str(node.value)
        self.warn(node, pointer, "a mapping key is not a scalar; its YAML text is used")
        return str(self.build(node, pointer))

    def scalar(self, node: yaml.ScalarNode, pointer: str) -> Any:
        tag = node.tag
        if tag == _YAML + "str":
            return node.value
        if tag == _YAML + "null":
            return None
        if tag == _YAML + "bool" and node.value not in _YAML12_BOOLEANS:
            # OpenAPI documents are YAML 1.2: `on`, `off`, `yes`, `no` are strings there
            message = f"{node.value!r} is a string in YAML 1.2 (a boolean only in YAML 1.1)"
            self.warn(node, pointer, message)
            return node.value
        if tag in (_YAML + "bool", _YAML + "int", _YAML + "float"):
            kind = tag[len(_YAML) :]
            return getattr(_SCALARS, f"construct_yaml_{kind}")(node)
        if tag == _YAML + "timestamp":
            return node.value  # dates stay text: an OpenAPI document is JSON data
        if tag == _YAML + "value":
            self.warn(node, pointer, f"YAML 1.1 'value' scalar {node.value!r} read as a string")
            return node.value
        if tag != _YAML + "binary":
            self.unknown_tag(node, pointer, "a string")
        return node.value

    def unknown_tag(self, node: yaml.Node, pointer: str, read_as: str) -> None:
        """A tag no JSON value has (`!!python/object...`, `!!set`, a local `!tag`): the value
        is read as the plain data it is written as (never constructed), with a warning."""
        message = f"unknown YAML tag {node.tag!r}; read as {read_as} (tags are not applied)"
        self.warn(node, pointer, message)


# -- JSON --------------------------------------------------------------------------------------

# strings, brackets and other scalars; `,` `:` and whitespace are skipped by the scan itself
# (half of a document's tokens: the loop below is per token, in Python)
# a string's runs of plain characters taken whole (`++`): a third of the scan's time
_JSON_TOKEN = re.compile(r'"(?:[^"\\]++|\\.)*+"|[{}\[\]]|[^\s{}\[\],:"]++', re.S)


def _json_lines(text: str) -> dict[str, tuple[int, int]]:
    """Line map of valid JSON text: one pass over its tokens with a stack of containers."""
    lines: dict[str, tuple[int, int]] = {}
    # the line is counted forward from the last position marked (tokens come in order)
    line, line_start, counted = 1, 0, 0

    def mark(pointer: str, offset: int) -> None:
        nonlocal line, line_start, counted
        newlines = text.count("\n", counted, offset)
        if newlines:
            line += newlines
            line_start = text.rfind("\n", counted, offset) + 1
        counted = offset
        lines[pointer] = (line, offset - line_start + 1)

    # Each frame: [pointer, is_object, next index or pending key, expecting a key].
    stack: list[list[Any]] = []
    pointer = ""
    mark("", len(text) - len(text.lstrip()))
    for match in _JSON_TOKEN.finditer(text):
        token = match.group()
        if token == "}" or token == "]":
            stack.pop()
            continue
        frame = stack[-1] if stack else None
        if frame is not None and frame[1] and frame[3]:
            key = json.loads(token) if "\\" in token else token[1:-1]
            frame[2], frame[3] = key, False
            mark(join_pointer(frame[0], key), match.start())
            continue
        opens = token == "{" or token == "["
        if frame is None:
            pointer = ""
        elif frame[1]:
            frame[3] = True
            if not opens:
                continue  # a member's scalar value: its key was marked
            pointer = join_pointer(frame[0], frame[2])
        else:
            pointer = f"{frame[0]}/{frame[2]}"
            mark(pointer, match.start())
            frame[2] += 1
        if token == "{":
            stack.append([pointer, True, None, True])
        elif token == "[":
            stack.append([pointer, False, 0, False])
    return lines


# -- locating pointers -------------------------------------------------------------------------


def _ancestors(pointer: str) -> list[str]:
    result = [pointer]
    while pointer:
        pointer = pointer.rsplit("/", 1)[0]
        result.append(pointer)
    return result


class SourceMap:
    """Find the file, line and column of a JSON pointer of a (bundled, normalised) document."""

    def __init__(
        self,
        root_file: str,
        files: Mapping[str, LineMap] | None = None,
        mounts: Mapping[str, tuple[str, str]] | None = None,
        moves: Mapping[str, str] | None = None,
        base: SourceMap | None = None,
    ) -> None:
        self.root_file = root_file
        self.files: dict[str, LineMap] = dict(files or {})
        # document prefix -> (file, prefix in that file): content bundled from other files
        self.mounts: dict[str, tuple[str, str]] = dict(mounts or {})
        # new prefix -> old prefix, when this map describes a rewritten (normalised) document
        self.moves: dict[str, str] = dict(moves or {})
        self.base = base

    def relocated(self, moves: Mapping[str, str]) -> SourceMap:
        """A map for a rewritten document whose `new prefix -> old prefix` moves are given."""
        return SourceMap(self.root_file, moves=moves, base=self)

    def source_pointer(self, pointer: str) -> str:
        """`pointer` of the rewritten document as the pointer of the same place in the
        document as written (2.0's `/definitions/Pet` for `/components/schemas/Pet`)."""
        return pointer if self.base is None else self.base.source_pointer(self._moved(pointer))

    def place(self, warning: SpecWarning) -> SpecWarning:
        """`warning`, about a place of the rewritten document, at its file, line and column,
        and with the pointer the document as written has for it."""
        if warning.file is not None:
            return warning
        position = self.locate(warning.pointer)
        pointer = self.source_pointer(warning.pointer)
        return SpecWarning(pointer, warning.message, *(position or ()))

    def _moved(self, pointer: str) -> str:
        """`pointer` of this map's document in its base's document."""
        for prefix in _ancestors(pointer):
            if prefix in self.moves:
                return self.moves[prefix] + pointer[len(prefix) :]
        return pointer

    def locate(self, pointer: str) -> Position | None:
        """Position of `pointer`, or of its nearest ancestor that has one."""
        if self.base is not None:
            return self.base.locate(self._moved(pointer))
        file, inner = self.root_file, pointer
        for prefix in _ancestors(pointer):
            if prefix in self.mounts:
                file, start = self.mounts[prefix]
                inner = start + pointer[len(prefix) :]
                break
        lines = self.files.get(file)
        if lines is None:
            return None
        for candidate in _ancestors(inner):
            if candidate in lines:
                line, column = lines[candidate]
                return Position(file, line, column)
        return None
