"""The comparable form of a Schema Object: JSON Schema's equivalent spellings made one.

Defaults dropped, unordered arrays sorted, `const` as `enum`, `allOf`s merged, nullable and
per-type unions folded, keywords for excluded types dropped, required names defined, and
discriminator mappings made explicit (see the list in the package's docstring).

Over 500 lines: the rules of one canonical form, which read each other's results; the allOf
rules (merge, kept form, narrowed properties) are the part to move to a module of their own.
"""

from __future__ import annotations

from collections.abc import Mapping
from operator import is_
from typing import Any

from ._nesting import flattened_members
from ._order import distinct, order_key, sorted_distinct
from ._references import _SCHEMA_REF, _pointer_of, _unescape
from ._sharing import _once_per_node

_SCHEMA_DEFAULTS = {
    "deprecated": False,
    "readOnly": False,
    "writeOnly": False,
    "uniqueItems": False,
    "additionalProperties": True,
}
_UNORDERED_SCHEMA_LISTS = ("required", "type", "enum")
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
_KINDED = frozenset(_KEYWORD_KINDS)
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
_COMPOSITION = ("$ref", "allOf", "anyOf", "oneOf", "not", "if")


# the order of a value's JSON text (`json.dumps(value, sort_keys=True)`), never written out
_sort_key = order_key
# keys whose string value `_canonical_schema` reads as a sequence (any other is kept)
_READS_STRINGS = frozenset(
    ("properties", "patternProperties", "$defs", "dependentSchemas", "allOf", "anyOf", "oneOf")
) | {"prefixItems"}
_COMBINERS = frozenset(("anyOf", "oneOf", "allOf"))


@_once_per_node
def _canonical_schema(schema: Any) -> Any:
    if isinstance(schema, list):
        return [_canonical_schema(item) for item in schema]
    if not isinstance(schema, dict):  # plain data: `_member_mappings` made it so
        return schema
    result: dict[str, Any] = {}
    for key, value in schema.items():
        if type(value) is str and type(key) is str and key not in _READS_STRINGS:
            result[key] = value  # what every branch below does with a string
            continue
        if key in _SCHEMA_DEFAULTS and value == _SCHEMA_DEFAULTS[key]:
            continue
        if key in ("properties", "patternProperties", "$defs", "dependentSchemas"):
            result[key] = {name: _canonical_schema(sub) for name, sub in value.items()}
        elif key in _UNORDERED_SCHEMA_LISTS and isinstance(value, list):
            # sets: order and repeats say nothing (an instance equals one of the values)
            result[key] = sorted_distinct(value)
        elif key in ("allOf", "anyOf", "oneOf", "prefixItems"):
            result[key] = [_canonical_schema(sub) for sub in value]
        elif key in ("example", "examples", "xml", "externalDocs") or key.startswith("x-"):
            result[key] = value
        elif key == "discriminator" and isinstance(value, Mapping):
            result[key] = _canonical_discriminator(value)
        elif type(value) is dict or type(value) is list or isinstance(value, dict | list):
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
    declared = result.get("type")
    if isinstance(declared, list) and set(_JSON_TYPES) <= set(declared):
        del result["type"]  # every JSON value has one of the six types: nothing is excluded
    if isinstance(result.get("enum"), list) and "type" not in result:
        kinds = _enum_types(result["enum"])  # the values say their type
        if kinds:
            result["type"] = kinds
    if _COMBINERS.isdisjoint(result):  # the steps for anyOf, oneOf and allOf change nothing
        _drop_inapplicable(result)
        _define_required(result)
        if isinstance(result.get("type"), list) and len(result["type"]) == 1:
            result["type"] = result["type"][0]
        return result
    result = _items_into_members(result)
    result = _flat_any_of(result)
    result = _single_any_of(result)
    result = _merged_all_of(result)
    result = _kept_all_of(result)
    result = _nullable_form(result)
    result = _untyped_form(result)
    result = _disjoint_one_of(result)
    result = _bare_types(result)
    _drop_inapplicable(result)
    _distribute_required(result)
    _define_required(result)
    _drop_implied_object(result)
    if isinstance(result.get("type"), list) and len(result["type"]) == 1:
        result["type"] = result["type"][0]
    _sort_branches(result)
    return result


def _sort_branches(schema: dict[str, Any]) -> None:
    """`anyOf`/`oneOf` members in one order: an instance is valid against them when it is valid
    against at least one (exactly one) of them, wherever it is written (core 10.2.1.2-3)."""
    for keyword in ("anyOf", "oneOf"):
        members = schema.get(keyword)
        if isinstance(members, list):
            schema[keyword] = sorted(members, key=_sort_key)


def _drop_inapplicable(schema: dict[str, Any]) -> None:
    """Keywords for a kind of instance that `type` excludes (`minLength` on an array)."""
    declared = schema.get("type")
    if declared is None:
        return
    kinds = {declared} if isinstance(declared, str) else set(declared or ())
    if _KINDED.isdisjoint(schema):  # no keyword to drop (`kinds` is read first: it may raise)
        return
    if not kinds or (type(declared) is not str and not all(isinstance(k, str) for k in kinds)):
        return
    if "integer" in kinds:
        kinds.add("number")
    for key in [k for k in schema if k in _KEYWORD_KINDS and _KEYWORD_KINDS[k] not in kinds]:
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


# values no mapping is (most of a document's leaves): known without the ABC's check
_SCALARS = (str, int, float, type(None))
# their exact types, which every step returns as they are
_LEAVES = frozenset((str, int, float, bool, type(None)))


def _plain(value: Any) -> Any:
    """JSON-like data as dicts and lists: the steps after `_member_mappings` read plain data
    (an `isinstance` of a dict is much cheaper than of a Mapping, on every node). Plain data
    is itself (nothing changes it: later steps copy before they change)."""
    kind = type(value)
    if kind in _LEAVES:
        return value
    if kind is dict:
        changed = None
        for key, item in value.items():
            if type(item) not in _LEAVES and (new := _plain(item)) is not item:
                changed = changed or {}
                changed[key] = new
        return value if changed is None else _with(value, changed)
    if kind is list:
        items = [_plain(item) for item in value]
        return value if all(map(is_, items, value)) else items
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, _SCALARS) or not isinstance(value, Mapping):
        return value
    return {key: _plain(item) for key, item in value.items()}


def _with(node: dict[str, Any], changed: dict[str, Any]) -> dict[str, Any]:
    """A copy of `node` with the values of `changed` in place of its own."""
    return {key: changed.get(key, value) for key, value in node.items()}


def _member_mappings(node: Any) -> Any:
    """`node` with each union's discriminator mapping made explicit and pointing at members.

    A member no mapping names is tagged with its component name (OpenAPI's implicit
    mapping); a value that maps to a member `$ref` becomes that member's place, so the
    mapping compares whatever the two documents call their components. A part that needs
    no change is itself.
    """
    kind = type(node)
    if kind in _LEAVES:
        return node
    if kind is list:
        items = [_member_mappings(item) for item in node]
        return node if all(map(is_, items, node)) else items
    if kind is not dict and isinstance(node, list):
        return [_member_mappings(item) for item in node]
    if kind is not dict and (isinstance(node, _SCALARS) or not isinstance(node, Mapping)):
        return node
    if kind is dict:
        changed = None
        for key, value in node.items():
            if type(value) in _LEAVES:
                continue
            new = _plain(value) if key in ("example", "examples") else _member_mappings(value)
            if new is not value:
                changed = changed or {}
                changed[key] = new
        result = node if changed is None else _with(node, changed)
    else:
        result = {
            key: _plain(value) if key in ("example", "examples") else _member_mappings(value)
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
        result = dict(result) if result is node else result
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


def _flat_any_of(schema: dict[str, Any]) -> dict[str, Any]:
    """`anyOf` members that are an `anyOf` and nothing else, as their own members: an instance
    valid against one of theirs is valid against one of the outer's (`{oneOf: [string,
    integer], nullable: true}` of 3.0 is `anyOf: [{anyOf: [integer, string]}, null]`, which
    a union of three types documents as one list)."""
    members = schema.get("anyOf")
    if not isinstance(members, list) or not any(_only_any_of(m) for m in members):
        return schema
    flat: list[Any] = []
    for member in members:
        flat += member["anyOf"] if _only_any_of(member) else [member]
    return {**schema, "anyOf": flat}


def _only_any_of(member: Any) -> bool:
    return isinstance(member, dict) and len(member) == 1 and isinstance(member.get("anyOf"), list)


def _single_any_of(schema: dict[str, Any]) -> dict[str, Any]:
    """`anyOf` without repeated members (an instance valid against one is valid against its
    copy); `anyOf: [S]` and `oneOf: [S]` are `allOf: [S]`: all hold the instances S holds.
    Beside a discriminator (which picks among the members) they stay as written."""
    if "allOf" in schema or "discriminator" in schema:
        return schema
    for keyword in ("anyOf", "oneOf"):
        members = schema.get(keyword)
        if not isinstance(members, list) or (keyword == "oneOf" and len(members) != 1):
            continue
        kept = distinct(members)
        if len(kept) == 1:
            rest = {key: value for key, value in schema.items() if key != keyword}
            return {**rest, "allOf": kept}
        if len(kept) != len(members):
            return {**schema, keyword: kept}
    return schema


def _items_into_members(schema: dict[str, Any]) -> dict[str, Any]:
    """`items` beside a oneOf/anyOf whose members all declare their type is each array
    member's: an instance valid against it and exactly one (or at least one) member is valid
    against exactly one (at least one) member with it (core 10.2.1.2-3); `items` applies to
    arrays only (validation 10.3.1.2), so a member that admits no array is unchanged, and an
    array member without `items` (any item) takes it."""
    items = schema.get("items")
    if items is None:
        return schema
    keywords = [k for k in ("anyOf", "oneOf") if isinstance(schema.get(k), list)]
    if not isinstance(items, Mapping) or len(keywords) != 1 or "type" in schema:
        return schema
    (keyword,) = keywords
    members = []
    for member in schema[keyword]:
        kinds = _member_types(member)
        if kinds is None:
            return schema
        if "array" in kinds:
            if "items" in member and member["items"] != items:
                return schema
            member = {**member, "items": items}
        members.append(member)
    rest = {key: value for key, value in schema.items() if key not in ("items", keyword)}
    return {**rest, keyword: members}


def _merged_all_of(schema: dict[str, Any]) -> dict[str, Any]:
    """`allOf: [S]` is S (the outer annotations win); `allOf` of plain objects is their merge."""
    parts = schema.get("allOf")
    if not isinstance(parts, list) or not all(isinstance(p, Mapping) for p in parts):
        return schema
    outer = {key: value for key, value in schema.items() if key != "allOf"}
    # a reference kept by name (in a cycle) takes annotations beside it, as `_references` writes
    # it; beside other keywords it stays an allOf (written one way by `_kept_all_of`)
    if len(parts) == 1 and ("$ref" not in parts[0] or all(map(_is_annotation, outer))):
        (only,) = parts
        clashes = [k for k in outer if k in only and outer[k] != only[k]]
        if not clashes:  # both annotations would apply: a clash keeps the allOf
            return _nullable_form({**only, **outer})
    # a part's discriminator is its own (a base type's): it picks no member of this object
    bases = [{k: v for k, v in part.items() if k != "discriminator"} for part in parts]
    members = [*bases, {k: v for k, v in outer.items() if not _is_annotation(k)}]
    for member in members:
        core = [key for key in member if not _is_annotation(key)]
        if any(key not in _MERGEABLE for key in core) or len(core) != len(member):
            return schema  # a member's own annotations (readOnly...) would be lost
        if member.get("type", "object") != "object" or "additionalProperties" in member:
            return schema
    merged = _merged_plain(members)
    if merged is None:
        return schema
    result = {key: value for key, value in outer.items() if _is_annotation(key)}
    if any(member.get("type") == "object" for member in members):
        result["type"] = "object"  # untyped members all admit non-objects: so does the merge
    return {**result, **merged}


# keywords beside an allOf that stay there: they document the whole, or see its members
_BESIDE_ALL_OF = frozenset(
    ("discriminator", "default", "unevaluatedProperties", "unevaluatedItems", "$defs")
)


def _kept_all_of(schema: dict[str, Any]) -> dict[str, Any]:
    """An `allOf` that does not merge, in one spelling (each member applies to the instance,
    wherever and in whatever order it is written):
    - the keywords beside it that validate are one more member (`required` and `properties`
      beside an allOf are a member of their own);
    - a member that is an allOf (and annotations) is its members (`_nesting`);
    - a `type` of a member is the instance's: the types of all members are written once,
      beside the allOf (their common types), and members left empty go;
    - its plain object members (properties and required only) are one member, their merge;
    - the members are sorted.
    """
    parts = schema.get("allOf")
    if not isinstance(parts, list) or not all(isinstance(p, Mapping) for p in parts):
        return schema
    beside = {k: v for k, v in schema.items() if _is_annotation(k) or k in _BESIDE_ALL_OF}
    core = {k: v for k, v in schema.items() if k != "allOf" and k not in beside}
    _define_required(core)
    members = [dict(part) for part in parts] + ([core] if core else [])
    members = flattened_members(members, beside, _is_annotation)
    typed = [member["type"] for member in members if "type" in member]
    common = typed[0] if typed else None
    for kinds in typed[1:]:
        found = _common_types(common, kinds)
        common = found[0] if len(found) == 1 else found or None
    if typed and common:
        members = [{k: v for k, v in member.items() if k != "type"} for member in members]
        beside["type"] = common
    plain = [m for m in members if m and set(m) <= {"properties", "required"}]
    merged = _merged_plain(plain) if len(plain) > 1 else None
    if merged is not None:
        members = [m for m in members if m not in plain] + [merged]
    members = sorted((m for m in members if m), key=_sort_key)
    if len(members) == 1:
        folded = _folded_member(members[0], beside)
        if folded is not None:
            return folded  # `allOf: [S]` is S with its siblings
    return {**beside, "allOf": members} if members else beside


def _folded_member(only: dict[str, Any], beside: dict[str, Any]) -> dict[str, Any] | None:
    """The one member left of an allOf (the others empty: `{}` admits every instance) with
    the keywords beside it, as `_merged_all_of` folds `allOf: [S]`: None where a keyword
    clashes, where a reference kept by name has more than annotations beside it, or where a
    discriminator beside it would come to pick among the member's oneOf/anyOf."""
    if any(key in only and only[key] != value for key, value in beside.items()):
        return None
    if "$ref" in only and not all(map(_is_annotation, beside)):
        return None
    if "discriminator" in beside and ("oneOf" in only or "anyOf" in only):
        return None
    folded = {**beside, **only}
    return _kept_all_of(folded) if "allOf" in only else folded


def _merged_plain(members: list[dict[str, Any]]) -> dict[str, Any] | None:
    """One member for plain object members (properties and required): None on a clash."""
    properties: dict[str, Any] = {}
    required: set[Any] = set()
    for member in members:
        for name, sub in (member.get("properties") or {}).items():
            both = _both(properties.get(name, {}), sub)
            if both is None:
                return None
            properties[name] = both
        required.update(member.get("required") or ())
    result: dict[str, Any] = {}
    if properties:
        result["properties"] = properties
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
        if merged is None:
            continue
        outer = {key: value for key, value in schema.items() if key != keyword}
        if not any(key in outer for key in merged):
            return {**outer, **merged}
    return schema


def _bare_types(schema: dict[str, Any]) -> dict[str, Any]:
    """`anyOf` of schemas that each say a type and nothing else as one list of those types:
    `anyOf: [{type: integer}, {type: string}]` admits what `type: [integer, string]` does."""
    members = schema.get("anyOf")
    if "type" in schema or not isinstance(members, list) or not members:
        return schema
    kinds: set[str] = set()
    for member in members:
        kind = member.get("type") if isinstance(member, dict) and len(member) == 1 else None
        if isinstance(kind, str):
            kinds.add(kind)
        elif isinstance(kind, list) and all(isinstance(k, str) for k in kind):
            kinds.update(kind)
        else:
            return schema
    rest = {key: value for key, value in schema.items() if key != "anyOf"}
    return {**rest, "type": sorted(kinds, key=_sort_key)}


def _disjoint_one_of(schema: dict[str, Any]) -> dict[str, Any]:
    """`oneOf` whose members admit pairwise disjoint JSON types is `anyOf`: no instance can
    match two of them, so "exactly one" and "at least one" validate the same instances."""
    members = schema.get("oneOf")
    if "anyOf" in schema or not isinstance(members, list) or len(members) < 2:
        return schema
    seen: set[str] = set()
    for member in members:
        kinds = _member_types(member)
        if kinds is None or kinds & seen:
            return schema
        seen |= kinds
    return {("anyOf" if key == "oneOf" else key): value for key, value in schema.items()}


def _member_types(member: Any) -> set[str] | None:
    """The JSON types a member admits by its `type` (integer counts as number: an integer is a
    number too); None when it does not say (a `$ref`, a union, no type)."""
    if not isinstance(member, Mapping) or any(key in member for key in _COMPOSITION):
        return None
    declared = member.get("type")
    kinds = [declared] if isinstance(declared, str) else declared
    if not isinstance(kinds, list) or not kinds or not all(isinstance(k, str) for k in kinds):
        return None
    return {"number" if kind == "integer" else kind for kind in kinds}


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
