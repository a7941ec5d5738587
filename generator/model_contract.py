"""What each model promises (its fields, their types and whether they are required; its enum
values) and the report of what a new spec changes in it.

The lock keeps every model's contract. A handler builds response models by keyword
(`Pet(name=...)`), so a field renamed or removed in the spec breaks the user's code without
changing a line of it: only comparing the lock's contract with the spec's shows it. Each line
names the model, the field, its JSON pointer in the spec, and the calls in the user's files that
the change breaks: those passing a removed, renamed or incompatibly retyped field, those
omitting a field that became required, every call of a model removed.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

import msgspec

from .ir import Api, Model

__all__ = [
    "Builds",
    "ModelChange",
    "ModelReportKind",
    "field_uses",
    "model_changes",
    "model_contracts",
]

ModelReportKind = Literal[
    "field_added",
    "field_removed",
    "field_renamed",
    "field_changed",
    "enum_changed",
    "model_added",
    "model_removed",
    "model_changed",
]


@dataclass(frozen=True)
class ModelChange:
    """A report line about one model; `function` is the model's name (the report's subject)."""

    function: str
    kind: ModelReportKind
    detail: str
    breaking: bool
    pointer: str = ""


def _one(model: Model) -> dict[str, Any]:
    entry: dict[str, Any] = {"kind": model.kind, "pointer": model.pointer}
    if model.kind == "struct":
        entry["fields"] = {
            field.wire_name: {
                "name": field.name,
                "type": field.type.report_text(),
                "required": field.required,
            }
            for field in model.fields
        }
    elif model.kind == "enum":
        entry["values"] = [member.value for member in model.enum_members]
    return entry


def model_contracts(api: Api) -> dict[str, Any]:
    """Every model's contract, JSON-shaped as the lock reads it back."""
    found = {model.name: _one(model) for model in api.models}
    return dict(msgspec.json.decode(msgspec.json.encode(found)))


def _call_name(node: ast.Call) -> str | None:
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return None


class Builds:
    """Where the user's code calls each model (`Pet(...)`, `m.Pet(...)`) and with which keywords.

    `files` maps the user-owned modules' paths to their text; a module that does not parse is
    skipped (the merge reports it). A call that unpacks `**kwargs` passes every keyword.
    """

    def __init__(self, files: Mapping[str, str]) -> None:
        self.calls: dict[str, list[tuple[str, frozenset[str] | None]]] = {}
        for path, text in sorted(files.items()):
            try:
                tree = ast.parse(text)
            except SyntaxError:
                continue
            for node in ast.walk(tree):
                if isinstance(node, ast.Call) and (name := _call_name(node)) is not None:
                    names = [k.arg for k in node.keywords]
                    passed = None if None in names else frozenset(n for n in names if n)
                    self.calls.setdefault(name, []).append((f"{path}:{node.lineno}", passed))

    def of(self, model: str) -> list[str]:
        """Every call of the model."""
        return [where for where, _ in self.calls.get(model, [])]

    def passing(self, model: str, name: str) -> list[str]:
        """The calls that pass `name` (or may: `**kwargs`)."""
        return [w for w, kws in self.calls.get(model, []) if kws is None or name in kws]

    def omitting(self, model: str, name: str) -> list[str]:
        """The calls that do not pass `name`."""
        return [w for w, kws in self.calls.get(model, []) if kws is not None and name not in kws]


def field_uses(files: Mapping[str, str]) -> Builds:
    """The user's calls of models in `files` (path -> text)."""
    return Builds(files)


def _cited(where: list[str]) -> str:
    if not where:
        return ""
    more = f" and {len(where) - 3} more" if len(where) > 3 else ""
    return f"; breaks the code at {', '.join(where[:3])}{more}"


def _members(text: str) -> set[str]:
    return {part.strip() for part in text.split(" | ")}


def _widens(old: str, new: str) -> bool:
    """Whether every value of type `old` is one of type `new` (what was built still builds)."""
    before, after = _members(old), _members(new)
    return before <= after or (before <= after | {"int"} and "float" in after)


def _pairs_renamed(removed: dict[str, Any], added: dict[str, Any]) -> list[tuple[str, str]]:
    """Removed and added fields of one model taken as renames: the only pair of a type."""
    pairs: list[tuple[str, str]] = []
    for old, was in removed.items():
        same = [new for new, now in added.items() if now["type"] == was["type"]]
        twins = [o for o, w in removed.items() if w["type"] == was["type"]]
        if len(same) == 1 and len(twins) == 1:
            pairs.append((old, same[0]))
    return pairs


def _field_changes(
    model: str, old: Mapping[str, Any], new: Mapping[str, Any], builds: Builds
) -> Iterable[ModelChange]:
    """What changed in one struct's fields; each line cites the user's calls it breaks."""
    pointer = str(new.get("pointer", ""))
    was_fields, now_fields = old.get("fields", {}), new.get("fields", {})
    removed = {k: v for k, v in was_fields.items() if k not in now_fields}
    added = {k: v for k, v in now_fields.items() if k not in was_fields}
    at = f"{pointer}/properties/"
    for old_key, new_key in _pairs_renamed(removed, added):
        was, now = removed.pop(old_key), added.pop(new_key)
        detail = f"field {was['name']!r} ({old_key}) renamed to {now['name']!r} ({new_key})"
        cited = _cited(builds.passing(model, was["name"]))
        yield ModelChange(model, "field_renamed", detail + cited, True, at + new_key)
    for key, was in removed.items():
        detail = f"field {was['name']!r} ({key}) removed" + _cited(
            builds.passing(model, was["name"])
        )
        yield ModelChange(model, "field_removed", detail, True, at + key)
    for key, now in added.items():
        detail = f"field {now['name']!r} ({key}) added: {now['type']}"
        if now["required"]:
            detail += ", required" + _cited(builds.omitting(model, now["name"]))
        else:
            detail += ", optional"
        yield ModelChange(model, "field_added", detail, now["required"], at + key)
    for key, now in now_fields.items():
        was = was_fields.get(key)
        if was is None:
            continue
        parts, breaks = [], []
        if was["type"] != now["type"]:
            parts.append(f"type {was['type']} -> {now['type']}")
            if not _widens(was["type"], now["type"]):
                breaks += builds.passing(model, now["name"])
        if was["required"] != now["required"]:
            parts.append("now required" if now["required"] else "now optional")
            if now["required"]:
                breaks += builds.omitting(model, now["name"])
        if parts:
            detail = f"field {now['name']!r} ({key}) " + ", ".join(parts) + _cited(sorted(breaks))
            yield ModelChange(model, "field_changed", detail, True, at + key)


def model_changes(
    previous: Mapping[str, Any], current: Mapping[str, Any], builds: Builds | None = None
) -> list[ModelChange]:
    """What the spec changed in each model the lock knew (nothing on a lock without models)."""
    builds = builds or Builds({})
    found: list[ModelChange] = []
    for name, old in sorted(previous.items()):
        new = current.get(name)
        if new is None:
            detail = "model removed" + _cited(builds.of(name))
            pointer = str(old.get("pointer", ""))
            found.append(ModelChange(name, "model_removed", detail, True, pointer))
            continue
        if old.get("kind") != new.get("kind"):
            detail = f"now a {new.get('kind')} (was a {old.get('kind')})" + _cited(builds.of(name))
            found.append(
                ModelChange(name, "model_changed", detail, True, str(new.get("pointer", "")))
            )
            continue
        found += _field_changes(name, old, new, builds)
        was_values, now_values = old.get("values", []), new.get("values", [])
        gone = [v for v in was_values if v not in now_values]
        new_values = [v for v in now_values if v not in was_values]
        if gone or new_values:
            parts = [f"values removed {gone}"] if gone else []
            parts += [f"values added {new_values}"] if new_values else []
            found.append(
                ModelChange(
                    name, "enum_changed", ", ".join(parts), bool(gone), str(new.get("pointer", ""))
                )
            )
    if previous:
        for name in sorted(set(current) - set(previous)):
            found.append(
                ModelChange(
                    name, "model_added", "model added", False, str(current[name].get("pointer", ""))
                )
            )
    return found
