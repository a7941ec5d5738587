"""`specloom generate`: render the package, merge user files, and write everything atomically.

Nothing is written unless every step succeeded: the spec loads, every file renders and
formats, no generated file was edited by hand (unless forced) and every user file merges.
"""

from __future__ import annotations

import contextlib
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
from typing import TYPE_CHECKING, Any, Literal

import msgspec

from .build_ir import build_ir
from .errors import SpecWarning
from .formatting import FormattingError, format_modules
from .ir import (
    AnyType,
    Api,
    ListType,
    LiteralType,
    MapType,
    ModelRef,
    NoneType,
    Operation,
    PrimitiveType,
    TypeRef,
    UnionType,
)
from .loader import load_spec
from .merge import MARKERS, ChangeKind, MergeChange, MergeError, spec_params_of
from .render.package import RenderedPackage, render_package

if TYPE_CHECKING:
    import libcst as cst

__all__ = ["GenerateError", "GenerateResult", "generate"]

LOCK_NAME = "specloom.lock"
_EMPTY_HANDLERS = '"""Handlers of operations that were removed from the spec."""\n'


class GenerateError(Exception):
    """A generation that stopped before writing anything; the message says what and where."""


ReportKind = Literal[ChangeKind, "status_changed", "media_type_changed", "header_changed"]


@dataclass(frozen=True)
class OperationChange:
    """A report line found by comparing an operation's contract in the lock with the spec's.

    The handler's code shows only names (`@op.create_pet`, `op.CreatePetBody`), so a new
    status code, media type, response header or parameter type leaves it unchanged.
    """

    function: str
    kind: ReportKind
    detail: str
    breaking: bool


@dataclass
class GenerateResult:
    """What a run did (or, with --check/--dry-run, would do)."""

    written: list[str] = field(default_factory=list)  # relative paths that change
    diffs: dict[str, str] = field(default_factory=dict)
    changes: list[MergeChange | OperationChange] = field(default_factory=list)
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


_SPEC_NAME = re.compile(r"\b(?:op|m)\.")


def _is_marked(function: cst.FunctionDef) -> bool:
    lines = [*function.leading_lines, *function.lines_after_decorators]
    return any(line.comment is not None and line.comment.value in MARKERS for line in lines)


def _requoted(annotation: cst.Annotation | None, *, quote: bool) -> cst.Annotation | None:
    import libcst as cst

    if annotation is None:
        return None
    expression = annotation.annotation
    if quote and not isinstance(expression, cst.SimpleString | cst.ConcatenatedString):
        source = " ".join(cst.Module(body=[]).code_for_node(expression).split())
        if _SPEC_NAME.search(source) and '"' not in source:
            return annotation.with_changes(annotation=cst.SimpleString(f'"{source}"'))
    elif not quote and isinstance(expression, cst.SimpleString):
        value = expression.evaluated_value
        if isinstance(value, str) and _SPEC_NAME.search(value):
            try:
                return annotation.with_changes(annotation=cst.parse_expression(value))
            except cst.ParserSyntaxError:
                pass
    return annotation


def _requote_removed(text: str, *, quote: bool) -> str:
    """Quote (or, before a merge, unquote) the `op.`/`m.` annotations of removed handlers.

    An unrouted handler keeps its signature, but the names it was annotated with are gone from
    `_generated/` with its operation: evaluated at import, they would stop the app starting.
    """
    if not any(marker in text for marker in MARKERS):
        return text
    import libcst as cst  # only a package with removed operations needs it

    try:
        module = cst.parse_module(text)
    except cst.ParserSyntaxError:
        return text  # the merge reports where
    body: list[cst.BaseStatement] = []
    for statement in module.body:
        if isinstance(statement, cst.FunctionDef) and _is_marked(statement):
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


def _type_text(type_: TypeRef) -> str:
    """A type as report text (model names as in the spec's Python names)."""
    if isinstance(type_, PrimitiveType):
        return type_.kind
    if isinstance(type_, ListType):
        return f"list[{_type_text(type_.item)}]"
    if isinstance(type_, MapType):
        return f"dict[str, {_type_text(type_.value)}]"
    if isinstance(type_, ModelRef):
        return type_.name
    if isinstance(type_, UnionType):
        return " | ".join(_type_text(member) for member in type_.members)
    if isinstance(type_, LiteralType):
        return f"Literal[{', '.join(map(repr, type_.values))}]"
    if isinstance(type_, NoneType):
        return "None"
    assert isinstance(type_, AnyType)
    return "Any"


def _contract(op: Operation) -> dict[str, Any]:
    """What an operation promises beyond its handler's names: kept in the lock, compared."""
    success = next((r for r in op.responses if r.status_code == op.status_code), None)
    params: dict[str, dict[str, Any]] = {}
    for param in op.parameters:
        entry: dict[str, Any] = {
            "in": param.location,
            "required": param.required,
            "type": msgspec.to_builtins(param.type),
        }
        if param.default is not msgspec.UNSET:
            entry["default"] = msgspec.to_builtins(param.default)
        params[param.python_name] = entry
    if op.body is not None:
        params[op.body.python_name] = {
            "in": "body",
            "required": op.body.required,
            "type": msgspec.to_builtins(op.body.type),
        }
    headers = {} if success is None else {h.name: h.type for h in success.headers}
    return {
        "status": op.status_code,
        "request_media": [] if op.body is None else [c.media_type for c in op.body.content],
        "response_media": [] if success is None else [c.media_type for c in success.content],
        "headers": {name: msgspec.to_builtins(type_) for name, type_ in headers.items()},
        "params": params,
    }


def _shown_type(raw: Any) -> str:
    try:
        return _type_text(msgspec.convert(raw, TypeRef))
    except (msgspec.ValidationError, TypeError):
        return json.dumps(raw, sort_keys=True)


def _type_change(old: Any, new: Any) -> str:
    before, after = _shown_type(old), _shown_type(new)
    if before == after:
        return f"type {before} (format or constraints changed)"
    return f"type {before} -> {after}"


def _contract_changes(
    name: str, old: Mapping[str, Any], new: Mapping[str, Any]
) -> list[OperationChange]:
    """The report lines of one operation whose contract changed (the lock's against the spec's)."""
    changes: list[OperationChange] = []
    if old.get("status") != new["status"]:
        detail = f"status {old.get('status')} -> {new['status']}"
        changes.append(OperationChange(name, "status_changed", detail, True))
    for side in ("request", "response"):
        before, after = old.get(f"{side}_media", []), new[f"{side}_media"]
        if set(before) != set(after):
            detail = f"{side} media types {', '.join(before) or '(none)'} -> "
            detail += ", ".join(after) or "(none)"
            changes.append(
                OperationChange(name, "media_type_changed", detail, bool(set(before) - set(after)))
            )
    old_headers, new_headers = old.get("headers", {}), new["headers"]
    for header, type_ in new_headers.items():
        if header not in old_headers:
            detail = f"response header {header!r} added: {_shown_type(type_)}"
            changes.append(OperationChange(name, "header_changed", detail, False))
        elif old_headers[header] != type_:
            detail = f"response header {header!r} {_type_change(old_headers[header], type_)}"
            changes.append(OperationChange(name, "header_changed", detail, True))
    for header in old_headers:
        if header not in new_headers:
            detail = f"response header {header!r} removed"
            changes.append(OperationChange(name, "header_changed", detail, True))
    old_params = old.get("params", {})
    for param, now in new["params"].items():
        was = old_params.get(param)
        if was is None:
            continue  # a new parameter: the merge reports it
        parts, breaking = [], False
        if was.get("in") != now["in"]:
            parts.append(f"in {was.get('in')} -> {now['in']}")
            breaking = True
        if was.get("type") != now["type"]:
            parts.append(_type_change(was.get("type"), now["type"]))
            breaking = True
        if was.get("required") != now["required"]:
            parts.append("now required" if now["required"] else "now optional")
            breaking = breaking or now["required"]
        if was.get("default") != now.get("default"):
            parts.append(f"default {was.get('default')!r} -> {now.get('default')!r}")
        if parts:
            detail = f"parameter {param!r} " + ", ".join(parts)
            changes.append(OperationChange(name, "parameter_changed", detail, breaking))
    return changes


def _with_contract_changes(
    changes: list[MergeChange | OperationChange], previous: Mapping[str, Any], api: Api
) -> list[MergeChange | OperationChange]:
    """The merge's report plus what only the lock shows, one operation's lines together.

    Where the lock knows an operation's contract, it (not the handler's alias names) says
    whether a parameter changed; a rename's new `@op.<name>` decorator goes without saying.
    """
    found: list[MergeChange | OperationChange] = []
    known: set[str] = set()
    for op in api.operations:
        old = previous.get(f"{op.method.upper()} {op.path}", {}).get("contract")
        if op.kind == "operation" and op.routable and isinstance(old, dict):
            known.add(op.python_name)
            found += _contract_changes(op.python_name, old, _contract(op))
    renamed = {change.function for change in changes if change.kind == "renamed"}
    kept = [
        change
        for change in changes
        if not (change.kind == "parameter_changed" and change.function in known)
        and not (change.kind == "decorator_changed" and change.function in renamed)
    ]
    order = {change.function: index for index, change in reversed(list(enumerate(kept)))}
    everything = [*kept, *found]
    return sorted(everything, key=lambda change: order.get(change.function, len(kept)))


def _remove_folders(created: list[Path]) -> None:
    for folder in sorted(set(created), key=lambda p: len(p.parts), reverse=True):
        with contextlib.suppress(OSError):
            folder.rmdir()  # only when empty: nothing of the user's is ever removed


def _atomic_write(files: Mapping[Path, str]) -> None:
    """Write every file to a temporary sibling first, then move them all into place."""
    staged: list[tuple[Path, str]] = []
    created: list[Path] = []  # folders made here, removed again if anything fails
    try:
        for path, text in files.items():
            missing = [p for p in (path.parent, *path.parent.parents) if not p.exists()]
            path.parent.mkdir(parents=True, exist_ok=True)
            created.extend(reversed(missing))
            fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
            staged.append((path, temp))
    except BaseException:
        for _, temp in staged:
            Path(temp).unlink(missing_ok=True)
        _remove_folders(created)
        raise
    replaced: list[tuple[Path, bytes | None]] = []
    try:
        for path, temp in staged:
            previous = path.read_bytes() if path.is_file() else None
            os.replace(temp, path)
            replaced.append((path, previous))
    except BaseException:  # put back what was replaced: a failed run leaves every file as it was
        for path, previous in reversed(replaced):
            if previous is None:
                path.unlink(missing_ok=True)
            else:
                path.write_bytes(previous)
        for _, temp in staged[len(replaced) :]:
            Path(temp).unlink(missing_ok=True)
        _remove_folders(created)
        raise


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
    located = [w.located(loaded.source_map.locate(w.pointer)) for w in rendered.warnings]
    result = GenerateResult(warnings=[*api.warnings, *located], api=api)
    lock = _read_lock(out_dir)
    targets: dict[str, str] = {}

    try:
        formatted = format_modules({**rendered.generated, **rendered.user})
    except FormattingError as exc:
        raise GenerateError(str(exc)) from exc
    generated = {path: formatted[path] for path in rendered.generated}
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
    user = {path: formatted[path] for path in rendered.user}
    for path in lock.get("spec_params", {}):
        if path not in user and (out_dir / path).is_file():  # every operation of it is gone
            user[path] = _EMPTY_HANDLERS
    for path, text in user.items():
        existing_path = out_dir / path
        if not existing_path.is_file():
            targets[path] = text
            result.added_modules.append(path)
            if path in rendered.merged:
                spec_params[path] = spec_params_of(text)
                if lock:  # a regeneration: the new module's operations are new
                    detail = f"new operation: handler stub added in {path}"
                    result.changes += [
                        MergeChange(name, "added", detail, False) for name in spec_params[path]
                    ]
            continue
        if path not in rendered.merged and path not in lock.get("spec_params", {}):
            continue  # created once, then the user's alone (app.py, __init__.py)
        existing = _requote_removed(existing_path.read_text(encoding="utf-8"), quote=False)
        module = Path(path).stem
        from .merge import merge_module  # libcst: loaded only when there is a file to merge

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
        targets[path] = _requote_removed(merged.text, quote=True)
        spec_params[path] = merged.spec_params
        result.changes.extend(merged.changes)
    result.changes = _with_contract_changes(result.changes, lock.get("operations", {}), api)

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
                "contract": _contract(op),
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
