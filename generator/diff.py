"""Semantic comparison of two OpenAPI documents, as a list of differences at JSON pointers.

The judge compares what the specifications give meaning to. Every normalisation it makes is
listed here, each with the rule that makes the two spellings mean the same; anything else
that differs is reported (descriptions, examples, defaults and `x-` extensions included,
compared as written).

Before comparing, each document is read as its own version says:
- OpenAPI 2.0 and 3.0: the keys beside a `$ref` are ignored (3.0.3 Reference Object: "any
  properties added SHALL be ignored"; 2.0 JSON Reference likewise).
- 2.0 and 3.0 are upgraded to the 3.1 form by `normalize_spec` (the upgrade rules of 3.1 and
  its release notes): definitions and the other reusable objects move to `components`; body
  and form parameters become a `requestBody` per `consumes`; responses get content per
  `produces`; host/basePath/schemes become `servers`; `collectionFormat` becomes
  style/explode; `type: file` is a binary string; `nullable: true` is `null` in `type`; boolean
  `exclusiveMinimum`/`exclusiveMaximum` become numbers; a schema's `example` is `examples:
  [example]` (kept as written beside an existing `examples`). Extensions (`x-nullable`,
  `x-example`) are kept as written.
- A local `$ref` is its target where it is used (3.1 Reference Object, JSON Schema `$ref`). In
  3.1 a Schema Object's siblings apply beside the target, so `{$ref: X, k: v}` is
  `{allOf: [X], k: v}`; a Reference Object's `summary`/`description` override the target's.
  Inside a cycle of references, where the cycle is entered, its members stay as the names
  they point to (each target is resolved once and shared).

Then, in the 3.1 form:
- Component schemas are compared by name, used or not (clients name classes after them).
  The other reusable components (parameters, responses, bodies, headers, examples, links,
  path items) are compared where they are used: "objects defined within the components
  object will have no effect on the API unless they are explicitly referenced" (Components).
- Root `security` is each operation's that sets none, path-level `servers` each operation's
  (Operation Object: they override the higher level).
- Order without meaning is erased: mapping keys; the `required`, `type` and `enum` arrays
  (JSON Schema: sets of names, types and values); parameters, keyed `in:name` (unique by
  name and location). Header names and media types compare case-insensitively (RFC 9110
  5.1, 8.3.1); status code ranges as `2XX`.
- Values equal to a fixed field's default are dropped: a parameter's `required`,
  `deprecated`, `allowEmptyValue`, `allowReserved` false and the location's default
  style/explode; a body's `required: false`; a schema's `readOnly`, `writeOnly`,
  `deprecated`, `uniqueItems` false and `additionalProperties: true` (JSON Schema: an absent
  keyword is `true`). Header parameters named Accept, Content-Type or Authorization are
  dropped ("the parameter definition SHALL be ignored", Parameter Object).
- JSON Schema equivalences: `const: x` is `enum: [x]` (validation 6.1.3), whose values imply
  their `type`; an empty `items`, `additionalProperties`, `properties` or content schema is
  the empty schema, which allows everything; `format: byte` is `contentEncoding: base64`;
  `allOf: [S]` is S with its siblings when no keyword clashes, and `allOf` of plain object
  members (type, properties, required; no annotation of their own, no clashing property) is
  their merge; `anyOf`/`oneOf` of a simple schema and `{type: null}` is that schema with
  `null` in its type; an `anyOf`/`oneOf` of one branch per JSON type, each with keywords of
  its type only, is one schema holding those keywords; a keyword for a kind of instance that
  `type` excludes never applies (validation 6: `minLength` on an array); a required name
  that no property defines has the schema of extra keys (`false` when there may be none);
  `type: object` beside a oneOf/anyOf whose every member is an object is implied, and a
  `required` there (with no properties of its own) is each member's; a property declared
  twice in an `allOf` by keywords that agree is one schema with all of them (the type their
  types share), while two different annotations keep the `allOf`; a base's discriminator,
  merged into a subtype, picks no member of it.
- A discriminator mapping value that is a schema name is the reference to it, and a member no
  mapping names is tagged with its component name (Discriminator Object: the implicit
  mapping); mappings compare by the member each value picks. An optional parameter's `null`
  (in its type, enum or default) is the parameter left out: no style serialises a null (RFC
  6570 treats it as undefined); `paths: {}` is no `paths` (optional in 3.1); the `openapi`
  version is not compared.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import unquote

__all__ = [
    "Difference",
    "canonical_for_diff",
    "diff_documents",
    "diff_specs",
    "difference_class",
    "escape_pointer",
]

Kind = Literal["added", "removed", "changed"]

_HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_PARAMETER_DEFAULTS = {
    "required": False,
    "deprecated": False,
    "allowEmptyValue": False,
    "allowReserved": False,
}
_STYLE_DEFAULTS = {"query": "form", "cookie": "form", "path": "simple", "header": "simple"}
_SCHEMA_DEFAULTS = {
    "deprecated": False,
    "readOnly": False,
    "writeOnly": False,
    "uniqueItems": False,
    "additionalProperties": True,
}
_UNORDERED_SCHEMA_LISTS = ("required", "type", "enum")
_IGNORED_HEADER_PARAMETERS = frozenset(("accept", "content-type", "authorization"))
_REUSED_COMPONENTS = frozenset(
    ("parameters", "responses", "requestBodies", "headers", "examples", "links", "pathItems")
)
_SCHEMA_REF = "#/components/schemas/"
# keys of an object schema that allOf can merge (anything else keeps the allOf as written)
_MERGEABLE = frozenset(("type", "properties", "required", "additionalProperties"))
_ANNOTATIONS = frozenset(
    (
        "title",
        "description",
        "examples",
        "example",
        "deprecated",
        "readOnly",
        "writeOnly",
        "externalDocs",
        "xml",
        "$comment",
    )
)
_COMPOSED = ("$ref", "allOf", "anyOf", "oneOf", "not")
# keywords that constrain one kind of instance only: under a `type` that excludes that kind they
# never apply (JSON Schema validation, section 6), so they say nothing
_KEYWORD_KINDS = {
    **dict.fromkeys(
        ("minLength", "maxLength", "pattern", "contentEncoding", "contentMediaType"), "string"
    ),
    **dict.fromkeys(
        ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"), "number"
    ),
    **dict.fromkeys(
        ("items", "prefixItems", "minItems", "maxItems", "uniqueItems", "contains"), "array"
    ),
    **dict.fromkeys(
        (
            "properties",
            "patternProperties",
            "additionalProperties",
            "required",
            "minProperties",
            "maxProperties",
            "propertyNames",
        ),
        "object",
    ),
}
# formats of one kind of instance (JSON Schema validation 7.3, OpenAPI's format registry);
# an unknown format may apply to any kind
_FORMAT_KINDS = {
    **dict.fromkeys(("date-time", "date", "time", "duration", "uuid", "regex"), "string"),
    **dict.fromkeys(("email", "idn-email", "hostname", "idn-hostname", "ipv4", "ipv6"), "string"),
    **dict.fromkeys(("uri", "uri-reference", "iri", "iri-reference", "uri-template"), "string"),
    **dict.fromkeys(("json-pointer", "relative-json-pointer"), "string"),
    **dict.fromkeys(("byte", "binary", "password"), "string"),
    **dict.fromkeys(("int32", "int64", "float", "double"), "number"),
}
# the kinds of JSON value (an integer is a number)
_JSON_TYPES = ("array", "boolean", "null", "number", "object", "string")
# statuses that never carry content (RFC 9110, 15.3.5 and 15.4.5)
# keys whose values are data (examples, defaults, enum values), never OpenAPI objects
_DATA_KEYS = frozenset(("example", "examples", "default", "enum", "const", "value"))


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


def _short(value: Any, limit: int = 120) -> str:
    text = json.dumps(value, sort_keys=True, default=str)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def escape_pointer(token: str) -> str:
    """Escape one JSON pointer reference token (RFC 6901)."""
    return token.replace("~", "~0").replace("/", "~1")


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
            if isinstance(node, Mapping) and token in node:
                node = node[token]
            elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
                node = node[int(token)]
            else:
                return None
        return node

    def resolve(self, node: Any, cycle: frozenset[str] = frozenset()) -> Any:
        """`node` with its references inlined; `cycle` holds the references being expanded."""
        if isinstance(node, Mapping):
            ref = node.get("$ref")
            if isinstance(ref, str):
                name = _unescape(_pointer_of(ref).rsplit("/", 1)[-1])
                target = self.lookup(ref)
                siblings = {k: self.resolve(v, cycle) for k, v in node.items() if k != "$ref"}
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
            return {key: self.resolve(value, cycle) for key, value in node.items()}
        if isinstance(node, list):
            return [self.resolve(item, cycle) for item in node]
        return node

    def _target(self, ref: str, target: Any) -> Any:
        """`target` resolved inside `ref`: the same wherever `ref` is met, since no reference
        below it leads back to a cycle other than its own."""
        if ref not in self._resolved:
            self._resolved[ref] = self.resolve(target, self.cycles()[ref])
        return self._resolved[ref]

    def cycles(self) -> dict[str, frozenset[str]]:
        """Each reference's strongly connected component in the graph of references."""
        if self._cycles is None:
            self._cycles = _strong_components(self._edges())
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
        if isinstance(current, Mapping):
            ref = current.get("$ref")
            if isinstance(ref, str):
                found.append(ref)
            pending.extend(value for key, value in current.items() if key != "$ref")
        elif isinstance(current, list):
            pending.extend(current)
    return found


def _strong_components(edges: Mapping[str, list[str]]) -> dict[str, frozenset[str]]:
    """Tarjan's strongly connected components, iteratively (reference chains run deep)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    result: dict[str, frozenset[str]] = {}
    for root in edges:
        if root in index:
            continue
        work = [(root, iter(edges[root]))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, successors = work[-1]
            child = next((s for s in successors if s not in index or s in on_stack), None)
            if child is not None and child not in index:
                index[child] = low[child] = len(index)
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(edges.get(child, ()))))
                continue
            if child is not None:
                low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                _pop_component(node, stack, on_stack, result)
    return result


def _pop_component(
    root: str, stack: list[str], on_stack: set[str], result: dict[str, frozenset[str]]
) -> None:
    members: list[str] = []
    while True:
        member = stack.pop()
        on_stack.discard(member)
        members.append(member)
        if member == root:
            break
    component = frozenset(members)
    for member in members:
        result[member] = component


# while documents are compared: each pure canonical step's result by the identity of its input
# (kept beside it, so the identity stays its own), since inlined references share subtrees
_SHARED: ContextVar[dict[tuple[str, int], tuple[Any, Any]] | None] = ContextVar(
    "_SHARED", default=None
)


def _once_per_node(function: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """`function(node)` computed once per dict or list object while a comparison runs; its
    result is shared, so callers copy it before they change it."""
    name = function.__name__

    def once(node: Any) -> Any:
        memo = _SHARED.get()
        if memo is None or not isinstance(node, dict | list):
            return function(node)
        key = (name, id(node))
        if key not in memo:
            memo[key] = (node, function(node))
        return memo[key][1]

    once.__name__, once.__doc__ = name, function.__doc__
    return once


@contextmanager
def _sharing() -> Iterator[None]:
    """Share the canonical steps' results within this block (and the blocks it opens)."""
    if _SHARED.get() is not None:
        yield
        return
    token = _SHARED.set({})
    try:
        yield
    finally:
        _SHARED.reset(token)


def _is_schema_ref(ref: str) -> bool:
    """Whether a local `$ref` points at a Schema Object (by where it points)."""
    tokens = ref.split("/")
    return "schemas" in tokens[:-1] or "definitions" in tokens[:-1] or "schema" in tokens


def _ignore_reference_siblings(node: Any) -> Any:
    """OpenAPI 2.0 and 3.0: the keys beside a `$ref` SHALL be ignored (Reference Object)."""
    if isinstance(node, list):
        return [_ignore_reference_siblings(item) for item in node]
    if not isinstance(node, Mapping):
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


def _sort_key(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)


@_once_per_node
def _canonical_schema(schema: Any) -> Any:
    if isinstance(schema, list):
        return [_canonical_schema(item) for item in schema]
    if not isinstance(schema, Mapping):
        return schema
    result: dict[str, Any] = {}
    for key, value in schema.items():
        if key in _SCHEMA_DEFAULTS and value == _SCHEMA_DEFAULTS[key]:
            continue
        if key in ("properties", "patternProperties", "$defs", "dependentSchemas"):
            result[key] = {name: _canonical_schema(sub) for name, sub in value.items()}
        elif key in _UNORDERED_SCHEMA_LISTS and isinstance(value, list):
            result[key] = sorted(value, key=_sort_key)
        elif key in ("allOf", "anyOf", "oneOf", "prefixItems"):
            result[key] = [_canonical_schema(sub) for sub in value]
        elif key in ("example", "examples", "xml", "externalDocs") or key.startswith("x-"):
            result[key] = value
        elif key == "discriminator" and isinstance(value, Mapping):
            result[key] = _canonical_discriminator(value)
        elif isinstance(value, Mapping | list):
            result[key] = _canonical_schema(value)
        else:
            result[key] = value
    if result.get("format") == "byte" and result.get("type") == "string":
        del result["format"]
        result.setdefault("contentEncoding", "base64")
    for key in ("properties", "items", "additionalProperties"):
        if result.get(key) == {}:
            del result[key]  # no property named, any item, any extra value: nothing said
    prefix, most = result.get("prefixItems"), result.get("maxItems")
    implied = isinstance(prefix, list) and isinstance(most, int) and most >= len(prefix)
    if result.get("items") is False and implied:
        del result["maxItems"]  # `items: false` admits no more items than prefixItems names
    if "const" in result and "enum" not in result:
        result["enum"] = [result.pop("const")]
    if isinstance(result.get("enum"), list) and "type" not in result:
        kinds = _enum_types(result["enum"])  # the values say their type
        if kinds:
            result["type"] = kinds
    result = _merged_all_of(result)
    result = _nullable_form(result)
    result = _untyped_form(result)
    _drop_inapplicable(result)
    _distribute_required(result)
    _define_required(result)
    _drop_implied_object(result)
    if isinstance(result.get("type"), list) and len(result["type"]) == 1:
        result["type"] = result["type"][0]
    return result


def _drop_inapplicable(schema: dict[str, Any]) -> None:
    """Keywords for a kind of instance that `type` excludes (`minLength` on an array)."""
    declared = schema.get("type")
    kinds = {declared} if isinstance(declared, str) else set(declared or ())
    if not kinds or not all(isinstance(kind, str) for kind in kinds):
        return
    if "integer" in kinds:
        kinds.add("number")
    for key in [key for key, kind in _KEYWORD_KINDS.items() if key in schema]:
        if _KEYWORD_KINDS[key] not in kinds:
            del schema[key]


def _drop_implied_object(schema: dict[str, Any]) -> None:
    """`type: object` beside a oneOf/anyOf whose every member is an object says nothing more."""
    if schema.get("type") != "object":
        return
    for keyword in ("oneOf", "anyOf"):
        members = schema.get(keyword)
        if (
            isinstance(members, list)
            and members
            and all(isinstance(m, dict) and m.get("type") == "object" for m in members)
        ):
            del schema["type"]
            return


def _distribute_required(schema: dict[str, Any]) -> None:
    """`required` beside a oneOf/anyOf of objects, with no properties of its own, is each
    member's (a discriminated union's tag property, say)."""
    required = schema.get("required")
    if not isinstance(required, list) or "properties" in schema:
        return
    for keyword in ("oneOf", "anyOf"):
        members = schema.get(keyword)
        if not isinstance(members, list) or not members:
            continue
        if not all(isinstance(m, dict) and m.get("type") == "object" for m in members):
            return
        distributed = []
        for member in members:
            names = sorted({*member.get("required", ()), *required}, key=_sort_key)
            member = {**member, "required": names}
            _define_required(member)
            distributed.append(member)
        schema[keyword] = distributed
        del schema["required"]
        return


def _define_required(schema: dict[str, Any]) -> None:
    """A required name no property defines is a property of the schema extra keys have
    (`false` when they may not be there: then no value is valid, as the schema says)."""
    required = schema.get("required")
    if not isinstance(required, list):
        return
    extra = schema.get("additionalProperties", {})
    properties = schema.get("properties")
    properties = dict(properties) if isinstance(properties, dict) else {}
    for name in required:
        if isinstance(name, str) and name not in properties:
            properties[name] = {} if extra is True else extra
    if properties:
        schema["properties"] = properties


def _enum_types(values: list[Any]) -> list[str]:
    kinds: set[str] = set()
    for value in values:
        if isinstance(value, bool):
            kinds.add("boolean")
        elif isinstance(value, int | float):
            kinds.add("integer" if isinstance(value, int) else "number")
        elif isinstance(value, str):
            kinds.add("string")
        elif value is None:
            kinds.add("null")
        else:
            return []
    if {"integer", "number"} <= kinds:
        kinds.discard("integer")
    return sorted(kinds)


def _member_mappings(node: Any) -> Any:
    """`node` with each union's discriminator mapping made explicit and pointing at members.

    A member no mapping names is tagged with its component name (OpenAPI's implicit
    mapping); a value that maps to a member `$ref` becomes that member's place, so the
    mapping compares whatever the two documents call their components.
    """
    if isinstance(node, list):
        return [_member_mappings(item) for item in node]
    if not isinstance(node, Mapping):
        return node
    result = {
        key: value if key in ("example", "examples") else _member_mappings(value)
        for key, value in node.items()
    }
    discriminator = result.get("discriminator")
    members = result.get("oneOf", result.get("anyOf"))
    if isinstance(discriminator, Mapping) and isinstance(members, list):
        refs = [member.get("$ref") if isinstance(member, Mapping) else None for member in members]
        mapping: dict[str, Any] = {}
        explicit = discriminator.get("mapping")
        for value, target in (explicit if isinstance(explicit, Mapping) else {}).items():
            ref = target if str(target).startswith("#") else f"{_SCHEMA_REF}{target}"
            mapping[value] = f"(member {refs.index(ref)})" if ref in refs else target
        for index, ref in enumerate(refs):
            named = f"(member {index})" in mapping.values()
            if isinstance(ref, str) and ref.startswith(_SCHEMA_REF) and not named:
                name = ref[len(_SCHEMA_REF) :].replace("~1", "/").replace("~0", "~")
                mapping.setdefault(name, f"(member {index})")
        result["discriminator"] = {**discriminator, "mapping": mapping}
    return result


def _canonical_discriminator(discriminator: Mapping[str, Any]) -> dict[str, Any]:
    result = dict(discriminator)
    mapping = result.get("mapping")
    if isinstance(mapping, Mapping):
        result["mapping"] = {
            key: (
                _unescape(_pointer_of(value)[len(_SCHEMA_REF) - 1 :])
                if isinstance(value, str) and value.startswith(_SCHEMA_REF)
                else value
            )
            for key, value in mapping.items()
        }
    return result


def _is_annotation(key: str) -> bool:
    return key in _ANNOTATIONS or key.startswith("x-")


def _merged_all_of(schema: dict[str, Any]) -> dict[str, Any]:
    """`allOf: [S]` is S (the outer annotations win); `allOf` of plain objects is their merge."""
    parts = schema.get("allOf")
    if not isinstance(parts, list) or not all(isinstance(p, Mapping) for p in parts):
        return schema
    outer = {key: value for key, value in schema.items() if key != "allOf"}
    if len(parts) == 1:
        (only,) = parts
        clashes = [k for k in outer if k in only and outer[k] != only[k]]
        if not clashes:  # both annotations would apply: a clash keeps the allOf
            return _nullable_form({**only, **outer})
    # a part's discriminator is its own (a base type's): it picks no member of this object
    bases = [{k: v for k, v in part.items() if k != "discriminator"} for part in parts]
    members = [*bases, {k: v for k, v in outer.items() if not _is_annotation(k)}]
    merged_properties: dict[str, Any] = {}
    required: set[Any] = set()
    for member in members:
        core = [key for key in member if not _is_annotation(key)]
        if any(key not in _MERGEABLE for key in core) or len(core) != len(member):
            return schema  # a member's own annotations (readOnly...) would be lost
        if member.get("type", "object") != "object" or "additionalProperties" in member:
            return schema
        for name, sub in (member.get("properties") or {}).items():
            known = merged_properties.get(name, {})
            both = _both(known, sub)
            if both is None:
                return schema
            merged_properties[name] = both
        required.update(member.get("required") or ())
    result = {key: value for key, value in outer.items() if _is_annotation(key)}
    result["type"] = "object"
    if merged_properties:
        result["properties"] = merged_properties
    if required:
        result["required"] = sorted(required, key=_sort_key)
    return result


# keywords whose meaning depends on other keywords of their schema: two schemas holding them
# are not the union of their keywords
_APPLICATORS = frozenset(
    (
        *_COMPOSED,
        "properties",
        "patternProperties",
        "additionalProperties",
        "unevaluatedProperties",
        "items",
        "prefixItems",
        "unevaluatedItems",
        "contains",
        "if",
        "then",
        "else",
        "dependentSchemas",
    )
)


def _both(one: Any, other: Any) -> Any:
    """One schema for values valid under both (allOf of a property's declarations), or None.

    `{}` and S is S; two schemas that agree where they share a keyword (their types may
    overlap) are the union of their keywords (`{type: string}` and `{enum: [a]}`), unless both
    hold keywords that depend on their siblings (`properties` and `additionalProperties`).
    Where both annotate with different values (two descriptions), both would apply: no one
    schema says that, so the allOf stays as written.
    """
    if one == {} or one == other:
        return other
    if other == {}:
        return one
    if not isinstance(one, Mapping) or not isinstance(other, Mapping):
        return None
    if any(key in _APPLICATORS for key in one) and any(key in _APPLICATORS for key in other):
        return None
    merged = {**one, **other}
    for key in one.keys() & other.keys():
        if one[key] == other[key]:
            continue
        if _is_annotation(key):
            return None
        kinds = _common_types(one[key], other[key]) if key == "type" else None
        if not kinds:
            return None
        merged[key] = kinds[0] if len(kinds) == 1 else kinds
    return merged


def _common_types(one: Any, other: Any) -> list[str]:
    """The JSON types both `type` keywords allow (an integer is a number)."""
    first = {one} if isinstance(one, str) else set(one) if isinstance(one, list) else set()
    second = {other} if isinstance(other, str) else set(other) if isinstance(other, list) else set()
    for kinds, others in ((first, second), (second, first)):
        if "number" in kinds and "integer" in others:
            kinds.add("integer")
    return sorted(first & second)


def _nullable_form(schema: dict[str, Any]) -> dict[str, Any]:
    """`anyOf`/`oneOf` of a simple typed schema and `{type: null}` as one schema with null."""
    for keyword in ("anyOf", "oneOf"):
        members = schema.get(keyword)
        if not isinstance(members, list) or len(members) != 2 or {"type": "null"} not in members:
            continue
        (other,) = [m for m in members if m != {"type": "null"}] or [None]
        if not isinstance(other, Mapping) or "type" not in other:
            continue
        if any(key in other for key in _COMPOSED) or "const" in other:
            continue
        outer = {key: value for key, value in schema.items() if key != keyword}
        if any(not _is_annotation(key) and key != "default" for key in outer):
            continue  # a default annotates the value, whichever member it is of
        merged = {**other, **outer}
        kinds = other["type"] if isinstance(other["type"], list) else [other["type"]]
        merged["type"] = sorted({*kinds, "null"}, key=_sort_key)
        if isinstance(merged.get("enum"), list) and None not in merged["enum"]:
            merged["enum"] = sorted([*merged["enum"], None], key=_sort_key)
        return merged
    return schema


def _untyped_form(schema: dict[str, Any]) -> dict[str, Any]:
    """`anyOf`/`oneOf` of one branch per JSON type, each with keywords of its type only, as
    the one schema without `type` holding those keywords (they apply to their type only).

    The branches' types are disjoint, so oneOf is anyOf here.
    """
    for keyword in ("anyOf", "oneOf"):
        merged = _keywords_by_type(schema.get(keyword))
        outer = {key: value for key, value in schema.items() if key != keyword}
        if merged is not None and not any(key in outer for key in merged):
            return {**outer, **merged}
    return schema


def _keywords_by_type(members: Any) -> dict[str, Any] | None:
    """The keywords of `members` when each is one JSON type (all are there, integer is not one:
    it leaves other numbers out) with keywords of that type only; None otherwise."""
    if not isinstance(members, list) or not all(isinstance(m, Mapping) for m in members):
        return None
    kinds = [member.get("type") for member in members]
    if not all(isinstance(kind, str) for kind in kinds) or sorted(kinds) != list(_JSON_TYPES):
        return None
    merged: dict[str, Any] = {}
    for member in members:
        for key, value in member.items():
            if key == "type":
                continue
            if key == "format":
                kind = _FORMAT_KINDS.get(value) if isinstance(value, str) else None
            else:
                kind = _KEYWORD_KINDS.get(key)
            if kind != member["type"] or key in merged:
                return None
            merged[key] = value
    return merged


def _canonical_parameter(parameter: Mapping[str, Any]) -> dict[str, Any]:
    location = parameter.get("in", "")
    result: dict[str, Any] = {}
    for key, value in parameter.items():
        if key in _PARAMETER_DEFAULTS and value == _PARAMETER_DEFAULTS[key]:
            continue
        if key == "style" and value == _STYLE_DEFAULTS.get(location):
            continue
        if key == "explode" and value == (
            parameter.get("style", _STYLE_DEFAULTS.get(location)) == "form"
        ):
            continue
        result[key] = _canonical_schema(value) if key == "schema" else _canonical(value)
    schema = result.get("schema")
    if isinstance(schema, dict) and location != "path" and result.get("required") is not True:
        result["schema"] = _null_is_absence(schema)
    return result


def _null_is_absence(schema: dict[str, Any]) -> dict[str, Any]:
    """An optional parameter's `null` (in its type, enum or default) is the parameter left out:
    no serialization carries a null (RFC 6570 treats it as undefined)."""
    kinds = schema.get("type")
    if not isinstance(kinds, list) or "null" not in kinds or len(kinds) < 2:
        return schema
    result = {k: v for k, v in schema.items() if not (k == "default" and v is None)}
    rest = [kind for kind in kinds if kind != "null"]
    result["type"] = rest[0] if len(rest) == 1 else rest
    if isinstance(result.get("enum"), list):
        result["enum"] = [value for value in result["enum"] if value is not None]
    return result


def _canonical_content(content: Mapping[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for media_type, media in content.items():
        media = dict(media)
        if "schema" in media:
            media["schema"] = _canonical_schema(media["schema"])
            if media["schema"] == {}:
                del media["schema"]  # the empty schema allows any content: what none says
        result[media_type.lower()] = _canonical(media, skip=("schema",))
    return result


def _canonical_headers(headers: Mapping[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for name, header in headers.items():
        header = {
            k: v
            for k, v in header.items()
            if not (k in _PARAMETER_DEFAULTS and v == _PARAMETER_DEFAULTS[k])
        }
        if header.get("style") == "simple":
            header.pop("style")
        if "schema" in header:
            header["schema"] = _canonical_schema(header["schema"])
        result[name.lower()] = _canonical(header, skip=("schema",))
    return result


def _canonical_operation(
    operation: Mapping[str, Any], path_parameters: list[Any]
) -> dict[str, Any]:
    result: dict[str, Any] = {}
    parameters = {
        f"{p.get('in')}:{p.get('name')}": _canonical_parameter(p)
        for p in [*path_parameters, *operation.get("parameters", [])]
        if isinstance(p, Mapping) and not _ignored_parameter(p)
    }
    if parameters:
        result["parameters"] = parameters
    for key, value in operation.items():
        if key == "parameters":
            continue
        if key == "deprecated" and value is False:
            continue
        if key == "requestBody":
            body = {k: v for k, v in value.items() if not (k == "required" and v is False)}
            if "content" in body:
                body["content"] = _canonical_content(body["content"])
            result[key] = _canonical(body, skip=("content",))
        elif key == "responses":
            responses: dict[str, Any] = {}
            for status, response in value.items():
                response = dict(response)
                if "content" in response:
                    response["content"] = _canonical_content(response["content"])
                if "headers" in response:
                    response["headers"] = _canonical_headers(response["headers"])
                responses[str(status).upper()] = _canonical(response, skip=("content", "headers"))
            result[key] = responses
        elif key == "callbacks" and isinstance(value, Mapping):
            result[key] = {
                name: _canonical_paths(items) if isinstance(items, Mapping) else items
                for name, items in value.items()
            }
        else:
            result[key] = _canonical(value)
    return result


def _ignored_parameter(parameter: Mapping[str, Any]) -> bool:
    name = parameter.get("name")
    return (
        parameter.get("in") == "header"
        and isinstance(name, str)
        and name.lower() in _IGNORED_HEADER_PARAMETERS
    )


def _canonical(value: Any, skip: Iterable[str] = ()) -> Any:
    skipped = set(skip)
    if skipped and isinstance(value, Mapping):
        return {k: (v if k in skipped else _canonical_value(v)) for k, v in value.items()}
    return _canonical_value(value)


@_once_per_node
def _canonical_value(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _canonical_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_canonical_value(item) for item in value]
    return value


def _canonical_paths(paths: Mapping[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for path, item in paths.items():
        if not isinstance(item, Mapping):
            continue
        shared = list(item.get("parameters", []))
        servers = item.get("servers")
        entry: dict[str, Any] = {}
        for key, value in item.items():
            if key in _HTTP_METHODS and isinstance(value, Mapping):
                if servers is not None and "servers" not in value:
                    value = {**value, "servers": servers}  # a path's servers are its operations'
                entry[key] = _canonical_operation(value, shared)
            elif key not in ("parameters", "servers"):
                entry[key] = _canonical(value)
        result[path] = entry
    return result


def _effective_security(document: dict[str, Any]) -> None:
    """Root `security` pushed into every operation that does not set its own."""
    root = document.pop("security", None)
    if root is None:
        return
    paths = document.get("paths")
    for item in paths.values() if isinstance(paths, Mapping) else ():
        if not isinstance(item, dict):
            continue
        for method in _HTTP_METHODS:
            operation = item.get(method)
            if isinstance(operation, dict) and "security" not in operation:
                operation["security"] = root


def canonical_for_diff(normalized: Mapping[str, Any]) -> dict[str, Any]:
    """The comparable form of an already normalised (3.1) document."""
    with _sharing():
        explicit = _member_mappings(normalized)
        return _canonical_document(_Resolver(explicit).resolve(explicit))


def _canonical_document(resolved: dict[str, Any]) -> dict[str, Any]:
    _effective_security(resolved)
    result: dict[str, Any] = {}
    for key, value in resolved.items():
        if key in ("paths", "webhooks") and isinstance(value, Mapping):
            if value:  # no path at all says what leaving `paths` out says
                result[key] = _canonical_paths(value)
        elif key == "components" and isinstance(value, Mapping):
            components = {k: v for k, v in value.items() if k not in _REUSED_COMPONENTS}
            if "schemas" in components:
                components["schemas"] = {
                    name: _canonical_schema(schema)
                    for name, schema in components["schemas"].items()
                }
            if components:
                result[key] = _canonical(components, skip=("schemas",))
        elif key == "openapi":
            continue  # both sides are 3.1 after normalising
        else:
            result[key] = _canonical(value)
    return result


class _Comparison:
    """Differences between two canonical documents. Inlined references share their subtrees,
    so a pair of subtrees found equal once is not walked again."""

    def __init__(self) -> None:
        self.out: list[Difference] = []
        self._equal: set[tuple[int, int]] = set()  # both documents outlive the walk

    def compare(self, old: Any, new: Any, pointer: str) -> None:
        key = (id(old), id(new))
        if key in self._equal:
            return
        before = len(self.out)
        self._walk(old, new, pointer)
        if len(self.out) == before and isinstance(old, dict | list):
            self._equal.add(key)

    def _walk(self, old: Any, new: Any, pointer: str) -> None:
        if isinstance(old, Mapping) and isinstance(new, Mapping):
            for key in old:
                child = f"{pointer}/{escape_pointer(str(key))}"
                if key in new:
                    self.compare(old[key], new[key], child)
                else:
                    self.out.append(Difference(child, "removed", old=old[key]))
            for key in new:
                if key not in old:
                    child = f"{pointer}/{escape_pointer(str(key))}"
                    self.out.append(Difference(child, "added", new=new[key]))
            return
        if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
            for index, (a, b) in enumerate(zip(old, new, strict=True)):
                self.compare(a, b, f"{pointer}/{index}")
            return
        # 3 and 3.0 are the same number in JSON; True and 1 are not the same value
        if isinstance(old, bool) != isinstance(new, bool) or old != new:
            self.out.append(Difference(pointer, "changed", old=old, new=new))


def diff_documents(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Difference]:
    """Differences between two already normalised documents, breaking ones flagged."""
    with _sharing():
        a, b = canonical_for_diff(old), canonical_for_diff(new)
    comparison = _Comparison()
    comparison.compare(a, b, "")
    return [_classify(d) for d in comparison.out]


def diff_specs(
    old: Mapping[str, Any],
    new: Mapping[str, Any],
    normalize: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
) -> list[Difference]:
    """Normalise two loaded documents (2.0, 3.0 or 3.1) and compare them."""
    if normalize is None:
        from .normalize import normalize_spec

        def normalize(doc: dict[str, Any]) -> dict[str, Any]:
            return normalize_spec(doc, extensions_as_written=True)

    return diff_documents(normalize(_as_written(old)), normalize(_as_written(new)))


def _as_written(doc: Mapping[str, Any]) -> dict[str, Any]:
    """The document as its version reads it: before 3.1, `$ref` siblings are ignored."""
    from .walk import detect_version

    if detect_version(dict(doc)) in ("2.0", "3.0"):
        return dict(_ignore_reference_siblings(doc))
    return dict(doc)


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
