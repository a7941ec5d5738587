"""Local `$ref`s: read as the document's version says, and inlined where they are used.

Before 3.1 the keys beside a `$ref` are ignored; in 3.1 a Schema Object's siblings apply
beside its target and a Reference Object's `summary`/`description` override the target's.
Inside a cycle of references, where the cycle is entered, its members stay as the names they
point to.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote

from ..graphs import strong_components

_SCHEMA_REF = "#/components/schemas/"
# keys whose values are data (examples, defaults, enum values), never OpenAPI objects
_DATA_KEYS = frozenset(("example", "examples", "default", "enum", "const", "value"))
# keys whose values map names to objects: a key there is a name (a property called `$ref`,
# `default` or `x-id`), never a keyword or an extension
_NAME_MAPS = frozenset(
    (
        "properties",
        "patternProperties",
        "dependentSchemas",
        "$defs",
        "definitions",
        "schemas",
        "responses",
        "parameters",
        "requestBodies",
        "headers",
        "securitySchemes",
        "links",
        "callbacks",
        "pathItems",
        "paths",
        "webhooks",
        "content",
        "encoding",
    )
)
_EXTENSIBLE_MAPS = frozenset(("paths", "responses"))  # maps where an `x-` key is an extension


class _Resolver:
    """Inlines local `$ref`s; inside a cycle of references, its members stay `{"$ref": name}`.

    A reference into a cycle is inlined where the cycle is entered, with the cycle's members
    inside it kept by name: inlining them along each path through the cycle grows
    exponentially with its size. So each target resolves one way, once, and is shared.
    """

    def __init__(self, document: Mapping[str, Any]) -> None:
        self.document = document
        self._resolved: dict[str, Any] = {}
        self._cycles: dict[str, frozenset[str]] | None = None

    def lookup(self, ref: str) -> Any:
        if not ref.startswith("#"):
            return None
        node: Any = self.document
        for raw in _pointer_of(ref).split("/")[1:]:
            token = _unescape(raw)
            if isinstance(node, dict) and token in node:
                node = node[token]
            elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
                node = node[int(token)]
            else:
                return None
        return node

    def resolve(self, node: Any, cycle: frozenset[str] = frozenset()) -> Any:
        """`node` with its references inlined; `cycle` holds the references being expanded."""
        if isinstance(node, dict):  # plain data: `_member_mappings` made it so
            ref = node.get("$ref")
            if isinstance(ref, str):
                name = _unescape(_pointer_of(ref).rsplit("/", 1)[-1])
                target = self.lookup(ref)
                siblings = {k: self.resolve(v, cycle) for k, v in node.items() if k != "$ref"}
                if siblings and target is not None and ref in cycle and _is_schema_ref(ref):
                    return {"allOf": [{"$ref": name}], **siblings}  # as an inlined one is
                if target is None or ref in cycle:
                    return {"$ref": name, **siblings}
                resolved = self._target(ref, target)
                if not siblings or not isinstance(resolved, dict):
                    return resolved
                if _is_schema_ref(ref):  # 3.1: a schema's siblings apply beside the target
                    return {"allOf": [resolved], **siblings}
                # a Reference Object: `summary` and `description` override, the rest is ignored
                kept = {k: v for k, v in siblings.items() if k in ("summary", "description")}
                return {**resolved, **kept}
            return {key: self._member(key, value, cycle) for key, value in node.items()}
        if isinstance(node, list):
            return [self.resolve(item, cycle) for item in node]
        return node

    def _member(self, key: str, value: Any, cycle: frozenset[str]) -> Any:
        """The value of an object's `key`, resolved as what it is: an extension's value and
        data (an example, a default, enum values) are compared as written, `$ref`s included;
        the values of a map of names are objects, whatever their names."""
        if key.startswith("x-") or (key in _DATA_KEYS and not _is_example_map(key, value)):
            return value
        if key in _NAME_MAPS and isinstance(value, dict):  # `$ref` there is a name too
            return {
                name: (
                    entry
                    if name.startswith("x-") and key in _EXTENSIBLE_MAPS
                    else self.resolve(entry, cycle)
                )
                for name, entry in value.items()
            }
        return self.resolve(value, cycle)

    def _target(self, ref: str, target: Any) -> Any:
        """`target` resolved inside `ref`: the same wherever `ref` is met, since no reference
        below it leads back to a cycle other than its own."""
        if ref not in self._resolved:
            self._resolved[ref] = self.resolve(target, self.cycles()[ref])
        return self._resolved[ref]

    def cycles(self) -> dict[str, frozenset[str]]:
        """Each reference's strongly connected component in the graph of references."""
        if self._cycles is None:
            edges = self._edges()
            self._cycles = {
                member: frozenset(members)
                for members in strong_components(edges, edges)
                for member in members
            }
        return self._cycles

    def _edges(self) -> dict[str, list[str]]:
        edges: dict[str, list[str]] = {}
        pending = _refs_in(self.document)
        while pending:
            ref = pending.pop()
            if ref not in edges:
                edges[ref] = _refs_in(self.lookup(ref))
                pending.extend(edges[ref])
        return edges


def _pointer_of(ref: str) -> str:
    """A local `$ref`'s JSON pointer: its fragment is a URI's, so it is percent-decoded first
    (RFC 6901 section 6)."""
    return unquote(ref.partition("#")[2])


def _unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def _refs_in(node: Any) -> list[str]:
    """The `$ref` strings written in `node`, without following them."""
    found: list[str] = []
    pending = [node]
    while pending:
        current = pending.pop()
        if isinstance(current, dict):
            ref = current.get("$ref")
            if isinstance(ref, str):
                found.append(ref)
            pending.extend(value for key, value in current.items() if key != "$ref")
        elif isinstance(current, list):
            pending.extend(current)
    return found


def _is_example_map(key: str, value: Any) -> bool:
    """`examples` of a media type, parameter or header: a map of Example Objects (which may
    be references), where a schema's `examples` is a list of values."""
    return key == "examples" and isinstance(value, Mapping)


def _is_schema_ref(ref: str) -> bool:
    """Whether a local `$ref` points at a Schema Object (by where it points)."""
    tokens = ref.split("/")
    return "schemas" in tokens[:-1] or "definitions" in tokens[:-1] or "schema" in tokens


# values no mapping is (most of a document's leaves): known without the ABC's check
_SCALARS = (str, int, float, type(None))


def _ignore_reference_siblings(node: Any) -> Any:
    """OpenAPI 2.0 and 3.0: the keys beside a `$ref` SHALL be ignored (Reference Object)."""
    if isinstance(node, list):
        return [_ignore_reference_siblings(item) for item in node]
    if isinstance(node, _SCALARS) or not isinstance(node, Mapping):
        return node
    if isinstance(node.get("$ref"), str):
        return {"$ref": node["$ref"]}
    return {
        key: (
            value
            if key in _DATA_KEYS or key.startswith("x-")
            else _ignore_reference_siblings(value)
        )
        for key, value in node.items()
    }
