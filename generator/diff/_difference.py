"""A difference between two documents: its pointer and kind, whether it breaks clients, its
class (for tallies over many documents) and how it is shown."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from ..json_text import indented
from ._documents import _HTTP_METHODS
from ._order import json_prefix

Kind = Literal["added", "removed", "changed"]


@dataclass(frozen=True)
class Difference:
    """One difference: a JSON pointer, its kind, the two values, and whether it breaks clients."""

    pointer: str
    kind: Kind
    old: Any = None
    new: Any = None
    breaking: bool = False

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"pointer": self.pointer, "kind": self.kind}
        if self.kind != "added":
            data["old"] = self.old
        if self.kind != "removed":
            data["new"] = self.new
        data["breaking"] = self.breaking
        return data

    def __str__(self) -> str:
        flag = " (breaking)" if self.breaking else ""
        if self.kind == "added":
            return f"+ {self.pointer}: {_short(self.new)}{flag}"
        if self.kind == "removed":
            return f"- {self.pointer}: {_short(self.old)}{flag}"
        return f"~ {self.pointer}: {_short(self.old)} -> {_short(self.new)}{flag}"


def differences_json(differences: Iterable[Difference]) -> str:
    """The differences as a JSON array of `Difference.to_json()` objects, each subtree written
    once.

    Inlined references share their subtrees (each target is resolved once), so a value's text
    can be exponentially longer than the document it came from (an allOf chain over earlier
    schemas names each of them along every path). A dict or list that is written out a second
    time is written as `{"$ref": "#/<index>/<old|new>/..."}` instead: a JSON pointer into this
    same output, to where that subtree was first written (so the output is as large as the
    documents, not as their expansion). Empty containers are written as they are.
    """
    first: dict[int, str] = {}  # a shared container's id -> the pointer where it was written

    def plain(value: Any, pointer: str) -> Any:
        if not (type(value) is dict or type(value) is list) or not value:
            return value
        seen = first.get(id(value))
        if seen is not None:
            return {"$ref": "#" + seen}
        first[id(value)] = pointer
        if isinstance(value, list):
            return [plain(item, f"{pointer}/{index}") for index, item in enumerate(value)]
        return {
            key: plain(item, f"{pointer}/{escape_pointer(str(key))}") for key, item in value.items()
        }

    data = []
    for index, difference in enumerate(differences):
        entry = difference.to_json()
        for side in ("old", "new"):
            if side in entry:
                entry[side] = plain(entry[side], f"/{index}/{side}")
        data.append(entry)
    return indented(data, default=str)


def _short(value: Any, limit: int = 120) -> str:
    text = json_prefix(value, limit)  # a shared subtree's text can be far longer than it
    return text if len(text) <= limit else text[: limit - 3] + "..."


def escape_pointer(token: str) -> str:
    """Escape one JSON pointer reference token (RFC 6901)."""
    return token.replace("~", "~0").replace("/", "~1")


def _classify(difference: Difference) -> Difference:
    """Flag changes that can break existing clients of the old document."""
    parts = difference.pointer.split("/")
    breaking = False
    if parts[1:2] == ["paths"]:
        depth = len(parts)
        if difference.kind == "removed" and depth <= 4:
            breaking = True  # a path or an operation is gone
        elif "parameters" in parts:
            last = parts[-1]
            if difference.kind == "added" and parts[-2] == "parameters":
                breaking = bool(
                    isinstance(difference.new, Mapping) and difference.new.get("required")
                )
            elif last == "required" and difference.new is True:
                breaking = True
            elif "schema" in parts and difference.kind != "added":
                breaking = last in ("type", "format", "enum", "pattern", "maximum", "minimum") or (
                    difference.kind == "removed" and last == "schema"
                )
        elif "responses" in parts:
            index = parts.index("responses")
            if difference.kind == "removed" and len(parts) == index + 2:
                breaking = True  # a documented status is gone
            elif "schema" in parts and difference.kind in ("removed", "changed"):
                breaking = (
                    parts[-1] in ("type", "format", "properties") or parts[-2] == "properties"
                )
        elif "requestBody" in parts:
            if parts[-1] == "required" and difference.new is True:
                breaking = True
            elif "schema" in parts and parts[-1] == "required" and difference.kind == "changed":
                breaking = bool(set(difference.new or []) - set(difference.old or []))
            elif "schema" in parts and parts[-1] in ("type", "format"):
                breaking = True
    return Difference(difference.pointer, difference.kind, difference.old, difference.new, breaking)


# pointer tokens after which the next token is a name the writer chose, not a keyword
_NAMED_AFTER = frozenset(
    (
        "paths",
        "webhooks",
        "properties",
        "schemas",
        "responses",
        "content",
        "headers",
        "callbacks",
        "securitySchemes",
        "links",
        "examples",
        "mapping",
        "patternProperties",
        "$defs",
        "encoding",
        "variables",
        "parameters",
    )
)


def difference_class(difference: Difference) -> str:
    """A difference's class: its kind, the document's section and the keyword it is at, the
    names the writer chose taken out (`removed paths: default`, `added components/schemas:
    schemas/*` for a whole component)."""
    tokens = [t.replace("~1", "/").replace("~0", "~") for t in difference.pointer.split("/")[1:]]
    section = tokens[0] if tokens else ""
    if section == "components" and len(tokens) > 1:
        section = f"components/{tokens[1]}"
    keyword, named = "", False  # named: the previous token was a name, not a keyword
    for index, token in enumerate(tokens):
        previous = tokens[index - 1] if index else ""
        if previous in _NAMED_AFTER and not named:
            keyword, named = f"{previous}/*", True  # a path, a property, a component...
            continue
        named = False
        if not (token.isdigit() or token in _HTTP_METHODS):
            keyword = token
    return f"{difference.kind} {section}: {keyword or '(document)'}"
