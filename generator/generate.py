"""`specloom generate`: render the package, merge user files, and write everything atomically.

Nothing is written unless every step succeeded: the spec loads, every file renders and
formats, no generated file was edited by hand (unless forced) and every user file merges.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
import re
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import black

from .build_ir import build_ir
from .errors import SpecWarning
from .ir import Api
from .loader import load_spec
from .merge import MergeChange, MergeError, merge_module
from .render.package import RenderedPackage, render_package

__all__ = ["GenerateError", "GenerateResult", "generate"]

LOCK_NAME = "specloom.lock"
_BLACK_MODE = black.Mode(line_length=100)
_EMPTY_HANDLERS = '"""Handlers of operations that were removed from the spec."""\n'


class GenerateError(Exception):
    """A generation that stopped before writing anything; the message says what and where."""


@dataclass
class GenerateResult:
    """What a run did (or, with --check/--dry-run, would do)."""

    written: list[str] = field(default_factory=list)  # relative paths that change
    diffs: dict[str, str] = field(default_factory=dict)
    changes: list[MergeChange] = field(default_factory=list)
    added_modules: list[str] = field(default_factory=list)
    warnings: list[SpecWarning] = field(default_factory=list)
    api: Api | None = None

    def report(self) -> dict[str, Any]:
        """The run as JSON-able data (`--report`)."""
        return {
            "files": self.written,
            "changes": [
                {
                    "handler": change.function,
                    "kind": change.kind,
                    "detail": change.detail,
                    "breaking": change.breaking,
                }
                for change in self.changes
            ],
            "warnings": [
                {"pointer": w.pointer, "message": w.message, "file": w.file, "line": w.line}
                for w in self.warnings
            ],
        }


def _sha256(text: str | bytes) -> str:
    data = text.encode() if isinstance(text, str) else text
    return hashlib.sha256(data).hexdigest()


_ALIAS_IMPORT = re.compile(r"^from \S+ import (\w+)(?: as (\w+))?$")
_LONG_LINES_DIRECTIVE = "# ruff: noqa: E501\n"


def _tidy(text: str) -> str:
    """Drop module-alias imports nothing uses, and a long-line waiver no line needs."""
    lines = text.splitlines(keepends=True)
    kept: list[str] = []
    skip_blank = False
    for index, line in enumerate(lines):
        if skip_blank and line == "\n":
            skip_blank = False
            continue  # the removed import stood alone between blank lines: keep one of them
        skip_blank = False
        match = _ALIAS_IMPORT.match(line.rstrip("\n"))
        if match and line.startswith("from ."):
            name = match.group(2) or match.group(1)
            rest = "".join(lines[:index] + lines[index + 1 :])
            if not re.search(rf"\b{re.escape(name)}\.", rest):
                skip_blank = bool(kept) and kept[-1] == "\n"
                continue
        kept.append(line)
    text = "".join(kept)
    if _LONG_LINES_DIRECTIVE in text and all(len(line) <= 100 for line in text.splitlines()):
        text = text.replace(_LONG_LINES_DIRECTIVE, "", 1).replace('"""\n\n\n', '"""\n\n', 1)
    return text


def _format(path: str, text: str) -> str:
    try:
        return _tidy(black.format_str(text, mode=_BLACK_MODE))
    except Exception as exc:  # a renderer bug: report it with the file, never write it
        raise GenerateError(f"internal error: {path} is not valid Python ({exc})") from exc


def _module_path(out_dir: Path) -> str:
    """The package's dotted import path from the current folder (where uvicorn would run)."""
    try:
        relative = out_dir.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return out_dir.resolve().name
    parts = [part for part in relative.parts if part]
    return ".".join(parts) if parts and all(p.isidentifier() for p in parts) else relative.name


def _generator_version() -> str:
    try:
        return version("specloom")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0"


def _read_lock(out: Path) -> dict[str, Any]:
    path = out / LOCK_NAME
    if not path.is_file():
        return {}
    try:
        lock: dict[str, Any] = json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        message = f"{path}: unreadable lock file ({exc}); delete it to start over"
        raise GenerateError(message) from exc
    return lock


def _renames(lock: Mapping[str, Any], api: Api) -> dict[str, dict[str, str]]:
    """Per handler module, old function name -> new one, for operations whose name changed."""
    previous = lock.get("operations", {})
    renames: dict[str, dict[str, str]] = {}
    modules = {tag.name: tag.module for tag in api.tags}
    for op in api.operations:
        key = f"{op.method.upper()} {op.path}"
        old = previous.get(key)
        module = modules.get(op.tag, "default")
        if old and old.get("module") == module and old.get("function") != op.python_name:
            renames.setdefault(module, {})[old["function"]] = op.python_name
    return renames


def _atomic_write(files: Mapping[Path, str]) -> None:
    """Write every file to a temporary sibling first, then move them all into place."""
    staged: list[tuple[Path, str]] = []
    try:
        for path, text in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
            staged.append((path, temp))
    except BaseException:
        for _, temp in staged:
            Path(temp).unlink(missing_ok=True)
        raise
    for path, temp in staged:
        os.replace(temp, path)


def generate(
    spec: str | os.PathLike[str],
    out: str | os.PathLike[str],
    *,
    force: bool = False,
    check: bool = False,
    dry_run: bool = False,
) -> GenerateResult:
    """Generate (or regenerate) the server package `out` from `spec`."""
    out_dir = Path(out)
    loaded = load_spec(spec)
    api = build_ir(loaded.document, positions=loaded.source_map, warnings=loaded.warnings)
    package = _module_path(out_dir)
    rendered: RenderedPackage = render_package(
        api, package=package, spec_name=Path(str(spec)).name if str(spec) != "-" else "<stdin>"
    )
    result = GenerateResult(warnings=[*api.warnings, *rendered.warnings], api=api)
    lock = _read_lock(out_dir)
    targets: dict[str, str] = {}

    generated = {path: _format(path, text) for path, text in rendered.generated.items()}
    edited = [
        path
        for path, digest in lock.get("generated", {}).items()
        if (out_dir / path).is_file() and _sha256((out_dir / path).read_bytes()) != digest
    ]
    if edited and not force:
        raise GenerateError(
            "generated files were edited by hand (their content no longer matches "
            f"{LOCK_NAME}): {', '.join(sorted(edited))}; move your changes into the handler "
            "modules, or pass --force to overwrite them"
        )
    targets.update(generated)

    previous_params: dict[str, dict[str, list[str]]] = lock.get("spec_params", {})
    renames = _renames(lock, api)
    spec_params: dict[str, dict[str, list[str]]] = {}
    user = {path: _format(path, text) for path, text in rendered.user.items()}
    for path in lock.get("spec_params", {}):
        if path not in user and (out_dir / path).is_file():  # every operation of it is gone
            user[path] = _EMPTY_HANDLERS
    for path, text in user.items():
        existing_path = out_dir / path
        if not existing_path.is_file():
            targets[path] = text
            result.added_modules.append(path)
            if path in rendered.merged:
                merged = merge_module(text, text, previous_spec_params={}, path=path)
                spec_params[path] = merged.spec_params
            continue
        if path not in rendered.merged and path not in lock.get("spec_params", {}):
            continue  # created once, then the user's alone (app.py, __init__.py)
        existing = existing_path.read_text(encoding="utf-8")
        module = Path(path).stem
        try:
            merged = merge_module(
                existing,
                text,
                previous_spec_params=previous_params.get(path, {}),
                renames=renames.get(module, {}),
                path=str(existing_path),
            )
        except MergeError as exc:
            raise GenerateError(str(exc)) from exc
        targets[path] = merged.text
        spec_params[path] = merged.spec_params
        result.changes.extend(merged.changes)

    new_lock = {
        "specloom": _generator_version(),
        "spec": {
            "name": Path(str(spec)).name,
            "sha256": _sha256(json.dumps(loaded.document, sort_keys=True, default=str)),
        },
        "generated": {path: _sha256(text) for path, text in sorted(generated.items())},
        "spec_params": {path: params for path, params in sorted(spec_params.items())},
        "operations": {
            f"{op.method.upper()} {op.path}": {
                "operation_id": op.operation_id,
                "module": {tag.name: tag.module for tag in api.tags}.get(op.tag, "default"),
                "function": op.python_name,
            }
            for op in api.operations
            if op.kind == "operation" and op.routable
        },
    }
    targets[LOCK_NAME] = json.dumps(new_lock, indent=2, sort_keys=True) + "\n"

    changed: dict[Path, str] = {}
    for path, text in sorted(targets.items()):
        target = out_dir / path
        current = target.read_text(encoding="utf-8") if target.is_file() else None
        if current == text:
            continue
        changed[target] = text
        result.written.append(path)
        result.diffs[path] = "".join(
            difflib.unified_diff(
                (current or "").splitlines(keepends=True),
                text.splitlines(keepends=True),
                fromfile=f"a/{path}",
                tofile=f"b/{path}",
            )
        )
    if not (check or dry_run):
        _atomic_write(changed)
    return result
