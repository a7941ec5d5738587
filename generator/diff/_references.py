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
from ..normalize._result import _copy

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
# keys `_Resolver._member` reads apart (besides extensions)
_READ_AS_WRITTEN = _DATA_KEYS | _NAME_MAPS
# the exact types of JSON's scalars: every step returns them as they are
_LEAVES = frozenset((str, int, float, bool, type(None)))


class _Resolver:
    """Inlines local `$ref`s; inside a cycle of references, its members stay `{"$ref": name}`.

    A reference into a cycle is inlined where the cycle is entered, with the cycle's members
    inside it kept by name: inlining them along each path through the cycle grows
    exponentially with its size. So each target resolves one way, once, and is shared.
    """

    def __init__(self, document: Mapping[str, Any]) -> None:
        self.document = document
        self._resolved: dict[str, Any] = {}
        self._cycles: dict[str, frozenset[str]] = {}
        self._named: dict[str, tuple[str, Any]] = {}

    def named(self, ref: str) -> tuple[str, Any]:
        """The name a `$ref` points to and its target (None when there is none), read once
        per reference: the document does not change while it is resolved."""
        found = self._named.get(ref)
        if found is None:
            name = _unescape(_pointer_of(ref).rsplit("/", 1)[-1])
            found = self._named[ref] = (name, self.lookup(ref))
        return found

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
                name, target = self.named(ref)
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
            return {
                key: (
                    value  # what `_member` gives a scalar under a name (a string)
                    if type(value) in _LEAVES and type(key) is str
                    else (
                        self.resolve(value, cycle)  # what `_member` gives under other keys
                        if key not in _READ_AS_WRITTEN and not key.startswith("x-")
                        else self._member(key, value, cycle)
                    )
                )
                for key, value in node.items()
            }
        if isinstance(node, list):
            return [item if type(item) in _LEAVES else self.resolve(item, cycle) for item in node]
        return node

    def _member(self, key: str, value: Any, cycle: frozenset[str]) -> Any:
        """The value of an object's `key`, resolved as what it is: an extension's value and
        data (an example, a default, enum values) are compared as written, `$ref`s included;
        the values of a map of names are objects, whatever their names."""
        examples = _is_example_map(key, value)
        if key.startswith("x-") or (key in _DATA_KEYS and not examples):
            return value
        # a map of names: `$ref` there is a name too, and so are `default` and `value` in a
        # map of Example Objects (GitHub names its examples `default`)
        if (key in _NAME_MAPS or examples) and isinstance(value, dict):
            return {
                name: (
                    entry
                    if (name.startswith("x-") and key in _EXTENSIBLE_MAPS) or type(entry) in _LEAVES
                    else self.resolve(entry, cycle)
                )
                for name, entry in value.items()
            }
        return self.resolve(value, cycle)

    def _target(self, ref: str, target: Any) -> Any:
        """`target` resolved inside `ref`: the same wherever `ref` is met, since no reference
        below it leads back to a cycle other than its own."""
        if ref not in self._resolved:
            self._resolved[ref] = self.resolve(target, self.cycle(ref))
        return self._resolved[ref]

    def cycle(self, ref: str) -> frozenset[str]:
        """`ref`'s strongly connected component in the graph of references.

        A component is the same in any part of the graph closed under "refers to", so the
        references reachable from `ref` that no earlier call reached are read (each target
        once) and their components found: none of them is in a component found before (an
        earlier one reaches all it is in a cycle with)."""
        known = self._cycles
        if ref not in known:
            edges: dict[str, list[str]] = {}
            pending = [ref]
            while pending:
                current = pending.pop()
                if current not in edges and current not in known:
                    edges[current] = _refs_in(self.lookup(current))
                    pending.extend(edges[current])
            new = {name: [r for r in refs if r in edges] for name, refs in edges.items()}
            for members in strong_components(new, new):
                component = frozenset(members)
                known.update(dict.fromkeys(members, component))
        return known[ref]


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
            if "$ref" in current:
                ref = current["$ref"]
                if isinstance(ref, str):
                    found.append(ref)
                values = [value for key, value in current.items() if key != "$ref"]
            else:
                values = list(current.values())
            # a string holds no reference: only containers need a visit (in the same order)
            pending.extend(value for value in values if type(value) is not str)
        elif isinstance(current, list):
            pending.extend(item for item in current if type(item) is not str)
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
    if type(node) is dict:  # most nodes: the Mapping branch below, without the ABC's check
        ref = node.get("$ref")
        if isinstance(ref, str):
            return {"$ref": ref}
        return {
            key: (
                value
                if key in _DATA_KEYS or key.startswith("x-") or type(value) is str
                else _ignore_reference_siblings(value)
            )
            for key, value in node.items()
        }
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


def _copied_as_written(node: Any) -> Any:
    """`_copy(_ignore_reference_siblings(node))` (normalize's deep copy, keys as strings) in
    one pass: what the keys beside a `$ref` leave, for normalising to rewrite in place."""
    if type(node) is dict or (not isinstance(node, list) and isinstance(node, Mapping)):
        if isinstance(node.get("$ref"), str):
            return {"$ref": node["$ref"]}
        return {
            key if type(key) is str else str(key): (
                _copy(value)
                if key in _DATA_KEYS or key.startswith("x-")
                else value if type(value) is str else _copied_as_written(value)
            )
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [item if type(item) is str else _copied_as_written(item) for item in node]
    return node
