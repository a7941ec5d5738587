"""Load a spec: read the file(s), bundle external `$ref`s into the root, check every `$ref`.

A `$ref` reads files only under the spec's root folder: the folder of the root document, or
the wider folder given as `spec_root` (`--spec-root`); one that leaves it (`../../etc/passwd`,
an absolute path, a symbolic link out: real paths are compared) is refused, and so is a
remote one. `limits.py` bounds the rest (file size, nesting, files read, YAML aliases).
"""

from __future__ import annotations

import copy
import os
import re
import sys
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from specloom.collector import collection_paused

from . import limits
from .errors import SpecError, SpecWarning, join_pointer
from .ref_loops import loop_warnings, ref_target
from .sources import LineMap, SourceMap, read_document
from .walk import Node, detect_version, walk, walk_document

__all__ = ["LoadedSpec", "load_spec", "resolve_pointer", "split_ref"]

_MISSING: Any = object()
_REMOTE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
# Where bundled external content goes, per kind; other kinds are inlined at the `$ref`.
_SECTIONS_V2 = {"schema": "definitions", "parameter": "parameters", "response": "responses"}
_SECTIONS_V3 = {
    "schema": "schemas",
    "parameter": "parameters",
    "response": "responses",
    "requestBody": "requestBodies",
    "header": "headers",
    "example": "examples",
    "link": "links",
    "callback": "callbacks",
    "securityScheme": "securitySchemes",
}
_MAX_INLINE_DEPTH = 64


@dataclass
class LoadedSpec:
    """A spec as read: one self-contained document, where its values came from, warnings."""

    document: dict[str, Any]
    source_map: SourceMap
    warnings: list[SpecWarning] = field(default_factory=list)
    source_name: str = "<string>"
    version: str = ""
    files: tuple[str, ...] = ()

    @property
    def positions(self) -> SourceMap:
        """Source positions by JSON pointer (what `build_ir(..., positions=)` takes)."""
        return self.source_map


def split_ref(ref: str) -> tuple[str, str]:
    """`'file.yaml#/a/b'` -> `('file.yaml', '/a/b')`; the pointer is percent-decoded."""
    location, _, fragment = ref.partition("#")
    return location, unquote(fragment)


def pointer_ref(pointer: str) -> str:
    """The local `$ref` to a JSON pointer: a URI fragment, so `%` is percent-encoded (RFC 6901
    section 6) and `split_ref` gives the pointer back exactly."""
    return "#" + pointer.replace("%", "%25")


def resolve_pointer(doc: Any, pointer: str) -> Any:
    """The value at a JSON pointer, or a private sentinel when there is none."""
    if pointer == "":
        return doc
    if not pointer.startswith("/"):
        return _MISSING
    node = doc
    for raw in pointer[1:].split("/"):
        segment = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict):
            node = node.get(segment, _MISSING)
        elif isinstance(node, list) and segment.isdigit() and int(segment) < len(node):
            node = node[int(segment)]
        else:
            return _MISSING
        if node is _MISSING:
            return _MISSING
    return node


def is_missing(value: Any) -> bool:
    """True for the sentinel `resolve_pointer` returns when nothing is there."""
    return value is _MISSING


def load_spec(
    path_or_text: str | os.PathLike[str],
    *,
    source_name: str | None = None,
    spec_root: str | os.PathLike[str] | None = None,
) -> LoadedSpec:
    """Load a spec from a path, from `-` (stdin) or from its text; raise SpecError if unusable.

    `spec_root`: the folder `$ref`s may read files under (it must hold the spec); by default
    the spec's own folder (the current folder for text and stdin)."""
    with collection_paused():  # what is read lives on, acyclic: no collection would free any of it
        return _load_spec(path_or_text, source_name, spec_root)


def _load_spec(
    path_or_text: str | os.PathLike[str],
    source_name: str | None,
    spec_root: str | os.PathLike[str] | None,
) -> LoadedSpec:
    if isinstance(path_or_text, str) and path_or_text == "-":
        text, display = sys.stdin.read(limits.MAX_FILE_BYTES + 1), source_name or "<stdin>"
        base = Path.cwd().resolve() / "<stdin>"
    elif isinstance(path_or_text, str) and _looks_like_text(path_or_text):
        text, display = path_or_text, source_name or "<string>"
        base = Path.cwd().resolve() / "<string>"
    else:
        path = Path(path_or_text)
        display = source_name or str(path_or_text)
        try:
            text = limits.read_file(path)
        except SpecError as exc:
            raise SpecError(f"cannot read the spec: {exc.message}", file=display) from None
        except (OSError, UnicodeDecodeError) as exc:
            raise SpecError(f"cannot read the spec: {exc}", file=display) from None
        base = path.resolve()
    root = _root_folder(base, spec_root, display)
    doc, lines, warnings = read_document(text, display)
    version = _check_document(doc, display, warnings)
    bundler = _Bundler(doc, str(base), display, lines, version)
    bundler.root_folder, bundler.widened = root, spec_root is not None
    bundler.run()
    source_map = SourceMap(display, bundler.lines_by_display(), bundler.mounts)
    # nothing bundled: the document's objects are the ones the bundler walked (only `$ref`
    # strings naming the root file itself were rewritten), so its `$ref`s are not sought again
    found = None if bundler.mounts else bundler.found
    loops = _check_local_refs(doc, version, source_map, found)
    return LoadedSpec(
        document=doc,
        source_map=source_map,
        warnings=warnings + bundler.warnings + loops,
        source_name=display,
        version=version,
        files=tuple(bundler.displays.values()),
    )


def _root_folder(base: Path, spec_root: str | os.PathLike[str] | None, display: str) -> str:
    """The real path of the folder `$ref`s may read under; SpecError when the folder given
    is none, or does not hold the spec."""
    if spec_root is None:
        return str(base.parent)
    root = Path(spec_root).resolve()
    if not root.is_dir():
        raise SpecError(f"the spec root {spec_root} is not a folder", file=display)
    if not _inside(str(base), str(root)):
        message = f"the spec root {spec_root} does not hold the spec ({base})"
        raise SpecError(message, file=display)
    return str(root)


def _inside(path: str, folder: str) -> bool:
    return os.path.commonpath([path, folder]) == folder


def _looks_like_text(value: str) -> bool:
    """A spec's text rather than a path: several lines, or JSON."""
    if "\n" not in value and not value.lstrip().startswith(("{", "[")):
        return False
    try:
        return not os.path.exists(value)
    except (OSError, ValueError):
        return True


def _check_document(doc: Any, file: str, warnings: list[SpecWarning]) -> str:
    if not isinstance(doc, dict):
        raise SpecError(
            f"not an OpenAPI document: the top level is a {type(doc).__name__}, not a mapping",
            file=file,
        )
    version = detect_version(doc)
    if not version:
        if "swagger" in doc or "openapi" in doc:
            declared = doc.get("swagger", doc.get("openapi"))
            raise SpecError(f"unsupported OpenAPI version {declared!r}", file=file, pointer="")
        raise SpecError("not an OpenAPI document: no 'openapi' or 'swagger' field", file=file)
    declared = str(doc.get("openapi", ""))
    if version == "3.1" and not declared.startswith("3.1"):
        warnings.append(SpecWarning("/openapi", f"OpenAPI {declared} is read as 3.1", file=file))
    return version


class _Bundler:
    """Move content reached through external `$ref`s into the root document (deterministic)."""

    def __init__(self, root: dict[str, Any], path: str, display: str, lines: LineMap, version: str):
        self.root, self.root_path, self.version = root, path, version
        self.root_folder, self.widened = os.path.dirname(path), False  # load_spec sets them
        self.real: dict[str, str] = {}  # a file a $ref names -> its real path
        self.docs: dict[str, Any] = {path: root}
        self.lines: dict[str, LineMap] = {path: lines}
        self.displays: dict[str, str] = {path: display}
        self.mounts: dict[str, tuple[str, str]] = {}
        self.placed: dict[tuple[str, str, str], str] = {}
        # the objects holding a `$ref` that the walk of the root document found, in its order
        self.found: list[Node] = []
        self.warnings: list[SpecWarning] = []
        self.sections = _SECTIONS_V2 if version == "2.0" else dict(_SECTIONS_V3)
        if version == "3.1":
            self.sections["pathItem"] = "pathItems"

    def lines_by_display(self) -> dict[str, LineMap]:
        return {self.displays[path]: lines for path, lines in self.lines.items()}

    def run(self) -> None:
        self.found = [item for item in walk_document(self.root, self.version) if "$ref" in item[1]]
        pending = deque(
            (pointer, node, kind, self.root_path, 0) for pointer, node, kind in self.found
        )
        while pending:
            pointer, node, kind, base, depth = pending.popleft()
            pending.extend(self._bundle(pointer, node, kind, base, depth))

    def _error(self, message: str, pointer: str) -> SpecError:
        where = SourceMap(self.displays[self.root_path], self.lines_by_display(), self.mounts)
        return SpecError(message, pointer=pointer).located(
            where.locate(join_pointer(pointer, "$ref"))
        )

    def _bundle(
        self, pointer: str, node: dict[str, Any], kind: str, base: str, depth: int
    ) -> list[tuple[str, dict[str, Any], str, str, int]]:
        ref = node["$ref"]
        if not isinstance(ref, str):
            raise self._error(f"$ref must be a string, not {type(ref).__name__}", pointer)
        location, fragment = split_ref(ref)
        if _REMOTE.match(location) and not re.match(r"^[A-Za-z]:[\\/]", location):
            raise self._error(f"remote $ref {ref!r} is not fetched; download it first", pointer)
        target = (
            base
            if not location
            else os.path.normpath(os.path.join(os.path.dirname(base), location))
        )
        if location:
            self._check_inside(target, ref, pointer)
        if target == self.root_path:
            # keep the fragment as written (still percent-encoded): it is decoded when followed
            node["$ref"] = "#" + ref.partition("#")[2]
            return []
        content = resolve_pointer(self._document(target, ref, pointer), fragment)
        if content is _MISSING:
            raise self._error(f"unresolvable $ref {ref!r}", pointer)
        display = self.displays[target]
        section = self.sections.get(kind)
        if section is not None:
            key = (target, fragment, kind)
            if key in self.placed:
                node["$ref"] = pointer_ref(self.placed[key])
                return []
            local = self._place(section, _component_name(target, fragment), content)
            self.placed[key] = local
            node["$ref"] = pointer_ref(local)
            self.mounts[local] = (display, fragment)
            placed = resolve_pointer(self.root, local)
            return [
                (p, n, k, target, 0)
                for p, n, k in walk(placed, kind, local, v2=self.v2)
                if "$ref" in n
            ]
        if depth > _MAX_INLINE_DEPTH or not isinstance(content, dict):
            raise self._error(f"circular or unusable external $ref {ref!r}", pointer)
        siblings = {key: value for key, value in node.items() if key != "$ref"}
        node.clear()
        node.update(copy.deepcopy(content))
        node.update(siblings)
        self.mounts[pointer] = (display, fragment)
        return [
            (p, n, k, target, depth + 1)
            for p, n, k in walk(node, kind, pointer, v2=self.v2)
            if "$ref" in n
        ]

    def _check_inside(self, target: str, ref: str, pointer: str) -> None:
        """Refuse a `$ref` whose file (its real path: symbolic links followed) is outside the
        root folder."""
        real = self.real.get(target)
        if real is None:
            real = self.real[target] = os.path.realpath(target)
        if _inside(real, self.root_folder):
            return
        allow = (
            "pass a wider --spec-root DIR"
            if self.widened
            else "pass --spec-root DIR (or set spec_root in [tool.specloom])"
        )
        message = (
            f"$ref {ref!r} reads {real}, outside the spec's root folder {self.root_folder}; "
            f"a $ref may read files only under it: {allow} with a folder that holds both "
            "to allow it"
        )
        raise self._error(message, pointer)

    @property
    def v2(self) -> bool:
        return self.version == "2.0"

    def _document(self, path: str, ref: str, pointer: str) -> Any:
        if path not in self.docs:
            root_dir = os.path.dirname(self.root_path)
            root_display = self.displays[self.root_path]
            relative = os.path.relpath(path, root_dir)
            display = os.path.normpath(os.path.join(os.path.dirname(root_display), relative))
            if len(self.docs) >= limits.MAX_FILES:
                message = (
                    f"$ref {ref!r} would read a file beyond the {limits.MAX_FILES:,} that specloom "
                    "reads for one spec (MAX_FILES)"
                )
                raise self._error(message, pointer)
            try:
                text = limits.read_file(path)
            except SpecError as exc:
                raise self._error(f"$ref {ref!r}: {exc.message}", pointer) from None
            except (OSError, UnicodeDecodeError) as exc:
                message = f"unresolvable $ref {ref!r}: {exc.__class__.__name__}"
                raise self._error(message, pointer) from None
            self.displays[path] = display
            doc, lines, warnings = read_document(text, display)
            self.docs[path], self.lines[path] = doc, lines
            self.warnings.extend(warnings)
        return self.docs[path]

    def _place(self, section: str, name: str, content: Any) -> str:
        if self.v2:
            container = self.root.setdefault(section, {})
            prefix = join_pointer("", section)
        else:
            components = self.root.setdefault("components", {})
            container = components.setdefault(section, {})
            prefix = join_pointer("/components", section)
        unique, n = name, 2
        while unique in container:
            unique, n = f"{name}{n}", n + 1
        container[unique] = copy.deepcopy(content)
        return join_pointer(prefix, unique)


def _component_name(path: str, fragment: str) -> str:
    segments = [s for s in fragment.split("/") if s]
    raw = segments[-1].replace("~1", "/").replace("~0", "~") if segments else Path(path).stem
    name = re.sub(r"[^A-Za-z0-9._-]+", "_", raw).strip("_")
    return name or "external"


def _check_local_refs(
    doc: dict[str, Any], version: str, source_map: SourceMap, found: list[Node] | None = None
) -> list[SpecWarning]:
    """Every `$ref` left is local: each must point at something. The warnings of `$ref` loops
    (`ref_loops.py`), placed. `found`: the document's objects that hold a `$ref`, in the
    order of its walk, when they are known (else the document is walked for them)."""
    candidates = []
    for pointer, node, kind in walk_document(doc, version) if found is None else found:
        ref = node.get("$ref")
        if ref is None:
            continue
        location, fragment = split_ref(ref) if isinstance(ref, str) else ("?", "")
        target = resolve_pointer(doc, fragment) if not location else _MISSING
        if target is _MISSING:
            position = source_map.locate(join_pointer(pointer, "$ref"))
            raise SpecError(f"unresolvable $ref {ref!r}", pointer=pointer).located(position)
        if kind != "schema" and ref_target(target) is not None:
            candidates.append((pointer, kind, fragment))
    if not candidates:
        return []
    loops = loop_warnings(candidates, lambda at: _follow(doc, at))
    return [warning.located(source_map.locate(warning.pointer)) for warning in loops]


def _follow(doc: dict[str, Any], pointer: str) -> str | None:
    """The pointer the `$ref` at `pointer` names (a local one that resolves), else None."""
    ref = ref_target(resolve_pointer(doc, pointer))
    if ref is None:
        return None
    location, fragment = split_ref(ref)
    return None if location or resolve_pointer(doc, fragment) is _MISSING else fragment
