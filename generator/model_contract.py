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
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

import msgspec

from .ir import Api, Model

__all__ = [
    "Builds",
    "ModelChange",
    "ModelReportKind",
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
    breaks: tuple[str, ...] = ()  # `file:line` of each call of the user's this change breaks
    subject: str = ""  # the report's protocol (merge.ReportLine): a model line has no handler
    at: str = ""


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
        entry["base"] = model.enum_type  # str, int or float: the enum's members are of it
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


def _by_place(where: str) -> tuple[str, int]:
    path, _, line = where.rpartition(":")
    return path, int(line)


def _named(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    return node.attr if isinstance(node, ast.Attribute) else None


class Builds:
    """Where the user's code calls each model (`Pet(...)`, `m.Pet(...)`) and with which keywords.

    `files` maps the user-owned modules' paths to their text; a module that does not parse is
    skipped (the merge reports it). A call that unpacks `**kwargs` passes every keyword.
    """

    def __init__(self, files: Mapping[str, str]) -> None:
        self.calls: dict[str, list[tuple[str, frozenset[str] | None]]] = {}
        self.references: dict[str, set[str]] = {}
        self.members: dict[str, set[str]] = {}  # `Model.X`: an enum member, a class attribute
        self.bases: dict[str, str] = {}  # enum -> its base type, from the lock (model_changes)
        self.removed: set[str] = set()  # the models the new spec no longer has (model_changes)
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
                named = node.id if isinstance(node, ast.Name) else getattr(node, "attr", None)
                if isinstance(node, ast.Name | ast.Attribute) and isinstance(named, str):
                    self.references.setdefault(named, set()).add(f"{path}:{node.lineno}")
                if isinstance(node, ast.Attribute) and (owner := _named(node.value)):
                    self.members.setdefault(owner, set()).add(f"{path}:{node.lineno}")

    def of(self, model: str) -> list[str]:
        """Every line that names the model (a call, an annotation, a base class...)."""
        return sorted(self.references.get(model, ()), key=_by_place)

    def used(self, model: str) -> list[str]:
        """The lines that call the model or read one of its members (what a change of kind
        breaks; an annotation naming it still holds)."""
        calls = {where for where, _ in self.calls.get(model, [])}
        return sorted(calls | self.members.get(model, set()), key=_by_place)

    def passing(self, model: str, name: str) -> list[str]:
        """The calls that pass `name` (or may: `**kwargs`)."""
        return [w for w, kws in self.calls.get(model, []) if kws is None or name in kws]

    def omitting(self, model: str, name: str) -> list[str]:
        """The calls that do not pass `name`."""
        return [w for w, kws in self.calls.get(model, []) if kws is not None and name not in kws]


def _change(
    model: str, kind: ModelReportKind, detail: str, breaking: bool, pointer: str, where: list[str]
) -> ModelChange:
    """A report line citing (a few of) the calls it breaks; every one in `breaks`."""
    return ModelChange(model, kind, detail + _cited(where), breaking, pointer, tuple(where))


def _cited(where: list[str]) -> str:
    if not where:
        return ""
    more = f" and {len(where) - 3} more" if len(where) > 3 else ""
    return f"; breaks the code at {', '.join(where[:3])}{more}"


def _members(text: str) -> set[str]:
    return {part.strip() for part in text.split(" | ")}


def _widens(old: str, new: str, bases: Mapping[str, str] | None = None) -> bool:
    """Whether every value of type `old` is one of type `new` (what was built still builds):
    each member of `old` is one of `new`, an int where a float is, or a member of an enum whose
    base (`bases`: enum -> str, int or float) is one."""
    after = _members(new)
    for member in _members(old):
        base = (bases or {}).get(member)
        if not (member in after or (member == "int" and "float" in after) or base in after):
            return False
    return True


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
        where = builds.passing(model, was["name"])
        yield _change(model, "field_renamed", detail, True, at + new_key, where)
    for key, was in removed.items():
        detail = f"field {was['name']!r} ({key}) removed"
        yield _change(
            model, "field_removed", detail, True, at + key, builds.passing(model, was["name"])
        )
    for key, now in added.items():
        detail = f"field {now['name']!r} ({key}) added: {now['type']}"
        detail += ", required" if now["required"] else ", optional"
        where = builds.omitting(model, now["name"]) if now["required"] else []
        yield _change(model, "field_added", detail, now["required"], at + key, where)
    for key, now in now_fields.items():
        was = was_fields.get(key)
        if was is None:
            continue
        parts, breaks = [], []
        if was["type"] != now["type"]:
            parts.append(f"type {was['type']} -> {now['type']}")
            # a type naming a model the spec removed breaks where the user names that model
            gone = set(re.findall(r"\w+", was["type"])) & builds.removed
            if not gone and not _widens(was["type"], now["type"], builds.bases):
                breaks += builds.passing(model, now["name"])
        if was["required"] != now["required"]:
            parts.append("now required" if now["required"] else "now optional")
            if now["required"]:
                breaks += builds.omitting(model, now["name"])
        if parts:
            detail = f"field {now['name']!r} ({key}) " + ", ".join(parts)
            yield _change(model, "field_changed", detail, True, at + key, sorted(set(breaks)))


def model_changes(
    previous: Mapping[str, Any], current: Mapping[str, Any], builds: Builds | None = None
) -> list[ModelChange]:
    """What the spec changed in each model the lock knew (nothing on a lock without models)."""
    builds = builds or Builds({})
    builds.bases = {n: str(m["base"]) for n, m in previous.items() if m.get("base")}
    builds.removed = set(previous) - set(current)
    found: list[ModelChange] = []
    for name, old in sorted(previous.items()):
        new = current.get(name)
        if new is None:
            pointer = str(old.get("pointer", ""))
            found.append(
                _change(name, "model_removed", "model removed", True, pointer, builds.of(name))
            )
            continue
        if old.get("kind") != new.get("kind"):
            detail = f"now a {new.get('kind')} (was a {old.get('kind')})"
            pointer = str(new.get("pointer", ""))
            found.append(_change(name, "model_changed", detail, True, pointer, builds.used(name)))
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
