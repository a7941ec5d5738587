"""An operation's contract (what it promises beyond its handler's names) and its change report.

The lock keeps each operation's contract; on regeneration, comparing it with the spec's finds
what the merge cannot see in the handler's code: a new status code, media type, response header
or parameter type.
"""

from __future__ import annotations

import ast
import json
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

import msgspec

from .errors import join_pointer
from .ir import Api, Operation, TypeRef
from .merge import ChangeKind, MergeChange, ReportLine
from .naming import paginator_name

__all__ = [
    "OperationChange",
    "ReportKind",
    "contract",
    "left_behind",
    "with_contract_changes",
    "with_places",
]

ReportKind = Literal[
    ChangeKind,
    "status_changed",
    "media_type_changed",
    "header_changed",
    "security_changed",
    "left_behind",
]


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
    pointer: str = ""  # where in the spec: the parameter, header, responses... that changed
    subject: str = ""  # the parameter a parameter_changed line is about (its Python name)
    at: str = ""  # `file:line` of the handler's def, once the run knows it
    breaks: tuple[str, ...] = ()


def contract(op: Operation) -> dict[str, Any]:
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
        if param.style is not None:
            entry["style"] = param.style
        if param.explode is not None:
            entry["explode"] = param.explode
        params[param.python_name] = entry
    if op.body is not None:
        params[op.body.python_name] = {
            "in": "body",
            "required": op.body.required,
            "type": msgspec.to_builtins(op.body.type),
        }
    headers = {} if success is None else {h.name: h.type for h in success.headers}
    found = {
        "status": op.status_code,
        "request_media": [] if op.body is None else [c.media_type for c in op.body.content],
        "response_media": [] if success is None else [c.media_type for c in success.content],
        "headers": {name: msgspec.to_builtins(type_) for name, type_ in headers.items()},
        "params": params,
        "security": [
            [[need.scheme, list(need.scopes)] for need in alternative]
            for alternative in op.security
        ],
    }
    # As the lock will read it back: JSON has lists, not tuples, so an unchanged spec compares
    # equal to its own lock.
    return dict(msgspec.json.decode(msgspec.json.encode(found)))


def _shown_type(raw: Any) -> str:
    try:
        type_: TypeRef = msgspec.convert(raw, TypeRef)
        return type_.report_text()
    except (msgspec.ValidationError, TypeError):
        return json.dumps(raw, sort_keys=True)


def _type_change(old: Any, new: Any) -> str:
    before, after = _shown_type(old), _shown_type(new)
    if before == after:
        return f"type {before} (format or constraints changed)"
    return f"type {before} -> {after}"


def _alternatives(security: list[Any]) -> set[frozenset[tuple[str, tuple[str, ...]]]]:
    return {
        frozenset((scheme, tuple(sorted(scopes))) for scheme, scopes in alternative)
        for alternative in security
    }


def _shown_security(security: list[Any]) -> str:
    if not security:
        return "(none)"
    return " or ".join(
        " and ".join(f"{s}[{' '.join(scopes)}]" if scopes else s for s, scopes in alternative)
        or "(anonymous)"
        for alternative in security
    )


def _security_change(op: Operation, old: list[Any], new: list[Any]) -> OperationChange:
    """A changed security requirement breaks clients unless every way they could authenticate
    still works (each old alternative is still one) or the operation is now open."""
    breaking = bool(new) and not _alternatives(old) <= _alternatives(new)
    detail = f"security {_shown_security(old)} -> {_shown_security(new)}"
    pointer = join_pointer(op.pointer, "security")
    return OperationChange(op.python_name, "security_changed", detail, breaking, pointer)


def _media_changes(
    op: Operation, old: Mapping[str, Any], new: Mapping[str, Any]
) -> list[OperationChange]:
    changes = []
    for side, pointer in (
        ("request", join_pointer(op.pointer, "requestBody", "content")),
        ("response", join_pointer(op.pointer, "responses", str(new["status"]), "content")),
    ):
        before, after = old.get(f"{side}_media", []), new[f"{side}_media"]
        if set(before) != set(after):
            detail = f"{side} media types {', '.join(before) or '(none)'} -> "
            detail += ", ".join(after) or "(none)"
            breaking = bool(set(before) - set(after))
            changes.append(
                OperationChange(op.python_name, "media_type_changed", detail, breaking, pointer)
            )
    return changes


def _header_changes(
    op: Operation, old: Mapping[str, Any], new: Mapping[str, Any]
) -> list[OperationChange]:
    name, changes = op.python_name, []
    old_headers, new_headers = old.get("headers", {}), new["headers"]
    headers = join_pointer(op.pointer, "responses", str(new["status"]), "headers")
    for header, type_ in new_headers.items():
        at = join_pointer(headers, header)
        if header not in old_headers:
            detail = f"response header {header!r} added: {_shown_type(type_)}"
            changes.append(OperationChange(name, "header_changed", detail, False, at))
        elif old_headers[header] != type_:
            detail = f"response header {header!r} {_type_change(old_headers[header], type_)}"
            changes.append(OperationChange(name, "header_changed", detail, True, at))
    for header in old_headers:
        if header not in new_headers:
            detail = f"response header {header!r} removed"
            changes.append(OperationChange(name, "header_changed", detail, True, headers))
    return changes


def _parameter_change(
    op: Operation, param: str, was: Mapping[str, Any], now: Mapping[str, Any]
) -> OperationChange | None:
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
    for key in ("style", "explode"):  # how a client writes the value
        if was.get(key) != now.get(key):
            parts.append(f"{key} {was.get(key, '(default)')} -> {now.get(key, '(default)')}")
            breaking = True
    if was.get("default") != now.get("default"):
        parts.append(f"default {was.get('default')!r} -> {now.get('default')!r}")
    if not parts:
        return None
    detail = f"parameter {param!r} " + ", ".join(parts)
    pointer = _parameter_pointer(op, param)
    return OperationChange(op.python_name, "parameter_changed", detail, breaking, pointer, param)


def _parameter_pointer(op: Operation, python_name: str) -> str:
    """Where a handler's parameter is in the spec: its Parameter object, the request body, or
    (for one the spec no longer has) the operation."""
    for param in op.parameters:
        if param.python_name == python_name and param.pointer:
            return param.pointer
    if op.body is not None and op.body.python_name == python_name:
        return join_pointer(op.pointer, "requestBody")
    return op.pointer


def _contract_changes(
    op: Operation, old: Mapping[str, Any], new: Mapping[str, Any]
) -> list[OperationChange]:
    """The report lines of one operation whose contract changed (the lock's against the spec's)."""
    changes: list[OperationChange] = []
    if old.get("status") != new["status"]:
        detail = f"status {old.get('status')} -> {new['status']}"
        pointer = join_pointer(op.pointer, "responses")
        changes.append(OperationChange(op.python_name, "status_changed", detail, True, pointer))
    changes += _media_changes(op, old, new)
    changes += _header_changes(op, old, new)
    if "security" in old and old["security"] != new["security"]:
        changes.append(_security_change(op, old["security"], new["security"]))
    old_params = old.get("params", {})
    for param, now in new["params"].items():
        was = old_params.get(param)
        if was is not None:  # a new parameter: the merge reports it
            change = _parameter_change(op, param, was, now)
            changes += [] if change is None else [change]
    return changes


def with_contract_changes(
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
            found += _contract_changes(op, old, contract(op))
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


def left_behind(previous: Mapping[str, Any], api: Api, paginators: Path) -> list[OperationChange]:
    """The paginator classes of operations the spec no longer has, still in `paginators.py`
    (the user's file: kept, and said where), one line each."""
    now = {f"{op.method.upper()} {op.path}" for op in api.operations if op.routable}
    gone = {
        paginator_name(entry["function"]): entry["function"]
        for key, entry in previous.items()
        if key not in now and isinstance(entry, dict) and "function" in entry
    }
    if not gone or not paginators.is_file():
        return []
    try:
        tree = ast.parse(paginators.read_text(encoding="utf-8"))
    except SyntaxError:
        return []
    return [
        OperationChange(
            gone[node.name],
            "left_behind",
            f"paginator {node.name} of the removed operation is kept at {paginators}:{node.lineno}",
            False,
        )
        for node in tree.body
        if isinstance(node, ast.ClassDef) and node.name in gone
    ]


def _definitions(files: Mapping[str, str]) -> dict[str, str]:
    """`file:line` of each top-level def and class of the user's files, first one wins."""
    found: dict[str, str] = {}
    for path, text in files.items():
        try:
            tree = ast.parse(text)
        except SyntaxError:
            continue
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                found.setdefault(node.name, f"{path}:{node.lineno}")
    return found


def _removed_pointers(previous: Mapping[str, Any]) -> dict[str, str]:
    """The JSON pointer, in the spec the lock was made from, of each operation it knew."""
    found: dict[str, str] = {}
    for key, entry in previous.items():
        method, _, path = key.partition(" ")
        if isinstance(entry, dict) and "function" in entry and path.startswith("/"):
            found[entry["function"]] = join_pointer("/paths", path, method.lower())
    return found


def with_places(
    changes: list[ReportLine], api: Api, previous: Mapping[str, Any], files: Mapping[str, str]
) -> list[ReportLine]:
    """Each line with where it is: the JSON pointer of what changed in the spec (the operation's
    where the line names no part of it; for a removed operation, where the old spec had it) and
    the `file:line` of the handler's def in `files`, the user's modules as the run leaves them."""
    operations = {op.python_name: op for op in api.operations}
    gone = _removed_pointers(previous)
    placed = (MergeChange, OperationChange)
    # the user's modules parsed only for lines that name a handler (a first run has none)
    defs = _definitions(files) if any(isinstance(c, placed) for c in changes) else {}
    found: list[ReportLine] = []
    for change in changes:
        if not isinstance(change, placed):
            found.append(change)  # a model's line: its pointer and the calls it breaks
            continue
        op = operations.get(change.function)
        pointer = change.pointer
        if not pointer and op is not None:
            pointer = _parameter_pointer(op, change.subject) if change.subject else op.pointer
        elif not pointer:
            pointer = gone.get(change.function, "")
        found.append(replace(change, pointer=pointer, at=defs.get(change.function, "")))
    return found
