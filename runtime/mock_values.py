"""Values made from a JSON Schema (2020-12, as an app's OpenAPI 3.1 document writes it).

`MockValues(document).value(schema, rng)` gives a value the schema accepts: types (a list of
them too), `enum`/`const`, required and optional properties, `minimum`/`maximum` (exclusive
too), `multipleOf`, `minLength`/`maxLength`, `minItems`/`maxItems`, `uniqueItems`,
`minProperties`, `prefixItems`, the common formats (date, date-time, time, uuid, email, uri,
hostname, ipv4, ipv6, byte...), `oneOf`/`anyOf` (the first member; of a oneOf the first whose
value no other member accepts; its discriminator value set),
`allOf` (merged), and `$ref`s into the document, resolved against it. Recursion is bounded:
past `OPTIONAL_DEPTH` only what is required is made, and past `MAX_DEPTH` nothing (None).

`rng` decides every choice: a `random.Random` with a fixed seed gives the same value each
time, a fresh one a new value. A primitive `examples`/`example`/`default` the schema writes,
when it fits the schema, is taken as it is (deterministic values only, and strings with a
`pattern`).

A string with a `pattern` is the schema's own example, default or enum when it has one, else
one made from the pattern's parse tree (`regex_sample`: Python's own regex parser, walked),
else a few plain candidates are tried; a pattern that none of them matches (look-arounds that
refuse what the rest makes, a pattern `re` cannot read) leaves a value that may not match it.
"""

from __future__ import annotations

import math
import random
import re
import uuid
from collections.abc import Mapping
from typing import Any

from .mock_check import bounds, fits, is_number, matches, mismatch

__all__ = ["MAX_DEPTH", "OPTIONAL_DEPTH", "MockValues", "merge_all_of"]

OPTIONAL_DEPTH = 4  # deeper than this, objects get their required properties only
MAX_DEPTH = 24  # deeper than this (a required recursion), no value is made
_WORDS = ("alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel")
_ALLOWED = "$mock-allowed"  # the names a merged allOf admits when one part is closed
_TYPES = ("object", "array", "string", "integer", "number", "boolean", "null")


def _formatted(fmt: str, rng: random.Random) -> str | None:
    day = rng.randrange(1, 28)
    month = rng.randrange(1, 12)
    values = {
        "date": f"2024-{month:02d}-{day:02d}",
        "date-time": f"2024-{month:02d}-{day:02d}T12:{day:02d}:00Z",
        "time": f"12:{day:02d}:00Z",
        "duration": f"P{day}D",
        "email": f"{rng.choice(_WORDS)}@example.com",
        "idn-email": f"{rng.choice(_WORDS)}@example.com",
        "hostname": f"{rng.choice(_WORDS)}.example.com",
        "idn-hostname": f"{rng.choice(_WORDS)}.example.com",
        "ipv4": f"192.0.2.{day}",
        "ipv6": f"2001:db8::{day:x}",
        "uri": f"https://example.com/{rng.choice(_WORDS)}",
        "url": f"https://example.com/{rng.choice(_WORDS)}",
        "iri": f"https://example.com/{rng.choice(_WORDS)}",
        "uri-reference": f"/{rng.choice(_WORDS)}",
        "iri-reference": f"/{rng.choice(_WORDS)}",
        "uri-template": "https://example.com/{id}",
        "json-pointer": f"/{rng.choice(_WORDS)}",
        "relative-json-pointer": "0",
        "regex": "^[a-z]+$",
        "uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        "byte": "c3BlY2xvb20=",
        "password": "secret",
    }
    return values.get(fmt)


def _number(schema: Mapping[str, Any], integer: bool, rng: random.Random) -> int | float:
    low, high = bounds(schema, integer)
    if low is None and high is None:
        low, high = 1, 100
    elif low is None:
        assert high is not None
        low = high - 100
    elif high is None:
        high = low + 100
    assert low is not None and high is not None
    if integer:
        low, high = math.ceil(low), math.floor(high)
    multiple: Any = schema.get("multipleOf")
    if is_number(multiple) and multiple > 0:
        first, last = math.ceil(low / multiple), math.floor(high / multiple)
        if first <= last:
            value: int | float = rng.randint(first, min(last, first + 100)) * multiple
            return int(value) if integer or isinstance(multiple, int) else value
        return int(low) if integer else low
    if integer:
        return rng.randint(int(low), int(high)) if low <= high else int(low)
    value = round(rng.uniform(low, high), 2)
    return value if low <= value <= high else low


def merge_all_of(parts: list[Mapping[str, Any]]) -> dict[str, Any]:
    """One schema that asks what every part asks (as far as generation needs): properties and
    required united (a property in several parts is their allOf), bounds narrowed, types
    intersected, the first oneOf/anyOf/enum/const/format kept."""
    merged: dict[str, Any] = {}
    for part in parts:
        if part.get("additionalProperties") is False:  # this part's own names only
            names = set(part.get("properties") or ())
            before = merged.get(_ALLOWED)
            merged[_ALLOWED] = names if before is None else before & names
        for key, value in part.items():
            if key not in merged:
                merged[key] = dict(value) if key == "properties" else value
            elif key == "properties":
                for name, schema in value.items():
                    before = merged["properties"].get(name)
                    merged["properties"][name] = (
                        schema if before is None else {"allOf": [before, schema]}
                    )
            elif key == "required":
                merged[key] = [*merged[key], *(n for n in value if n not in merged[key])]
            elif key in ("minimum", "minLength", "minItems", "minProperties", "exclusiveMinimum"):
                merged[key] = max(merged[key], value) if is_number(value) else merged[key]
            elif key in ("maximum", "maxLength", "maxItems", "maxProperties", "exclusiveMaximum"):
                merged[key] = min(merged[key], value) if is_number(value) else merged[key]
            elif key == "type":
                mine = merged[key] if isinstance(merged[key], list) else [merged[key]]
                theirs = value if isinstance(value, list) else [value]
                both = [t for t in mine if t in theirs or (t == "integer" and "number" in theirs)]
                both += [t for t in theirs if t == "integer" and "number" in mine]
                merged[key] = list(dict.fromkeys(both))  # []: no value has both types
            elif key == "enum" and isinstance(value, list):
                common = [v for v in merged[key] if v in value]
                merged[key] = common or merged[key]
            elif key == "additionalProperties" and value is False:
                merged[key] = False
    if _ALLOWED in merged:  # the closed part's names decide, not the merged properties
        merged.pop("additionalProperties", None)
    return merged


class MockValues:
    """Makes values from the schemas of one document (its `$ref`s resolved against it)."""

    def __init__(self, document: Mapping[str, Any]) -> None:
        self.document = document

    def responses(self, operation: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
        """The operation's Response objects by status, each `$ref` followed once; the `x-`
        keys of its Responses object are extensions, no responses."""
        found: dict[str, Mapping[str, Any]] = {}
        for key, value in (operation.get("responses") or {}).items():
            resolved = self.resolve(value)
            if isinstance(resolved, Mapping) and not str(key).startswith("x-"):
                found[str(key)] = resolved
        return found

    def resolve(self, node: Any, seen: int = 0) -> Any:
        """`node` with its local `$ref` followed (siblings of the `$ref` merged over it)."""
        while isinstance(node, Mapping) and isinstance(node.get("$ref"), str) and seen < 64:
            target = self.pointer(node["$ref"])
            if target is None:
                return {k: v for k, v in node.items() if k != "$ref"}
            siblings = {k: v for k, v in node.items() if k != "$ref"}
            node = merge_all_of([target, siblings]) if siblings else target
            seen += 1
        return node

    def pointer(self, ref: str) -> Any:
        if not ref.startswith("#"):
            return None
        node: Any = self.document
        for raw in ref[1:].split("/")[1:]:
            key = raw.replace("~1", "/").replace("~0", "~")
            if isinstance(node, Mapping) and key in node:
                node = node[key]
            elif isinstance(node, list) and key.isdigit() and int(key) < len(node):
                node = node[int(key)]
            else:
                return None
        return node

    def value(self, schema: Any, rng: random.Random, fixed: bool = True, depth: int = 0) -> Any:
        """A value `schema` accepts; `fixed`: the schema's own fitting example comes first."""
        if depth > MAX_DEPTH:
            return None
        schema = self.resolve(schema)
        if schema is True or not isinstance(schema, Mapping):
            return {} if schema is True or schema is None else None
        if "allOf" in schema:
            parts = [self.resolve(part) for part in schema["allOf"] if isinstance(part, Mapping)]
            rest = {k: v for k, v in schema.items() if k != "allOf"}
            return self.value(merge_all_of([rest, *parts]), rng, fixed, depth + 1)
        if "const" in schema:
            return schema["const"]
        if isinstance(schema.get("enum"), list) and schema["enum"]:
            return schema["enum"][0] if fixed else rng.choice(schema["enum"])
        for key in ("oneOf", "anyOf"):
            members = schema.get(key)
            if isinstance(members, list) and members:
                return self._member(schema, key, rng, fixed, depth)
        if fixed or "pattern" in schema:  # a pattern is matched by its example, not made
            found = _own_example(schema)
            if found is not None:
                return found[0]
        kind = _kind(schema, rng, fixed)
        if kind == "object":
            return self._object(schema, rng, fixed, depth)
        if kind == "array":
            return self._array(schema, rng, fixed, depth)
        if kind == "string":
            return _string(schema, rng)
        if kind in ("integer", "number"):
            return _number(schema, kind == "integer", rng)
        if kind == "boolean":
            return True if fixed else rng.random() < 0.5
        return None

    def mismatch(self, value: Any, schema: Any) -> str | None:
        """Where and why `value` does not fit `schema` (`mock_check.mismatch`), or None."""
        return mismatch(value, schema, self.resolve)

    def _member(
        self, schema: Mapping[str, Any], key: str, rng: random.Random, fixed: bool, depth: int
    ) -> Any:
        """A member of a oneOf/anyOf with the schema's other keywords and the discriminator's
        value for it: the first one (of a oneOf: the first whose value no other member
        accepts, as far as `mismatch` sees)."""
        members = schema[key]
        rest = {k: v for k, v in schema.items() if k not in (key, "discriminator")}
        first: Any = None
        for index, member in enumerate(members[:8]):
            parts = [rest, self.resolve(member)] if rest else [self.resolve(member)]
            value = self.value(merge_all_of(parts), rng, fixed, depth + 1)
            discriminator = schema.get("discriminator")
            if isinstance(value, dict) and isinstance(discriminator, Mapping):
                name = discriminator.get("propertyName")
                tag = _tag(discriminator, member)
                if isinstance(name, str) and tag is not None:
                    value[name] = tag
            if key == "anyOf" or len(members) == 1:
                return value
            if index == 0:
                first = value
            accepted = sum(self.mismatch(value, other) is None for other in members)
            if accepted <= 1:
                return value
        return first

    def _object(
        self, schema: Mapping[str, Any], rng: random.Random, fixed: bool, depth: int
    ) -> dict[str, Any]:
        properties = schema.get("properties")
        properties = properties if isinstance(properties, Mapping) else {}
        required = [n for n in schema.get("required", ()) if isinstance(n, str)]
        result: dict[str, Any] = {}
        for name in required:
            result[name] = self.value(
                properties.get(name, {"type": "string"}), rng, fixed, depth + 1
            )
        maximum = schema.get("maxProperties", 1 << 30)
        allowed = schema.get(_ALLOWED)
        if depth < OPTIONAL_DEPTH:
            for name, sub in properties.items():
                if name in result or len(result) >= maximum:
                    continue
                if allowed is not None and name not in allowed:
                    continue
                if self._omitted(sub):
                    continue
                result[name] = self.value(sub, rng, fixed, depth + 1)
        minimum = schema.get("minProperties", 0)
        extra = schema.get("additionalProperties", True) if allowed is None else False
        index = 1
        while len(result) < minimum and extra is not False and index < 1000:
            key = f"{_WORDS[index % len(_WORDS)]}{index}"
            if key not in properties:
                result[key] = self.value(extra, rng, fixed, depth + 1)
            index += 1
        return result

    def _omitted(self, schema: Any) -> bool:
        """Whether an optional property is left out: write-only (not in a response) or of no
        type at all (its allOf parts ask for types no value has)."""
        resolved = self.resolve(schema)
        if not isinstance(resolved, Mapping):
            return resolved is False
        if "allOf" in resolved:
            parts = [self.resolve(p) for p in resolved["allOf"] if isinstance(p, Mapping)]
            resolved = merge_all_of([resolved, *parts])
        return resolved.get("writeOnly") is True or resolved.get("type") == []

    def _array(
        self, schema: Mapping[str, Any], rng: random.Random, fixed: bool, depth: int
    ) -> list[Any]:
        prefix = schema.get("prefixItems")
        prefix = prefix if isinstance(prefix, list) else []
        items = schema.get("items", {} if not prefix else True)
        low = schema.get("minItems", 0)
        high = schema.get("maxItems", 1 << 30)
        wanted = low if depth >= OPTIONAL_DEPTH else max(low, 1 if fixed else rng.randint(1, 3))
        count = min(wanted, high)
        if items is False:
            count = min(count, len(prefix)) if low <= len(prefix) else len(prefix)
        result: list[Any] = []
        attempts = 0
        while len(result) < count and attempts < count * 20 + 20:
            index = len(result)
            sub = prefix[index] if index < len(prefix) else items
            # each item its own stream of choices: distinct items for uniqueItems
            stream = random.Random(rng.random() + attempts)
            value = self.value(sub, stream, fixed and not attempts, depth + 1)
            attempts += 1
            if schema.get("uniqueItems") is True and value in result:
                continue
            result.append(value)
        if len(result) < low:  # unique items ran out
            result.extend(result[-1:] * (low - len(result)))
        return result


def _tag(discriminator: Mapping[str, Any], member: Any) -> str | None:
    ref = member.get("$ref") if isinstance(member, Mapping) else None
    if not isinstance(ref, str):
        return None
    for tag, target in (discriminator.get("mapping") or {}).items():
        if target == ref or target == ref.rsplit("/", 1)[-1]:
            return str(tag)
    return ref.rsplit("/", 1)[-1]


def _own_example(schema: Mapping[str, Any]) -> tuple[Any] | None:
    """The schema's own primitive example (or default) that fits it, in a 1-tuple."""
    candidates: list[Any] = []
    examples = schema.get("examples")
    if isinstance(examples, list):
        candidates.extend(examples)
    for key in ("example", "default"):
        if key in schema:
            candidates.append(schema[key])
    for candidate in candidates:
        if candidate is not None and fits(candidate, schema):
            return (candidate,)
    return None


def _kind(schema: Mapping[str, Any], rng: random.Random, fixed: bool) -> str:
    types = schema.get("type")
    if isinstance(types, str):
        return types
    if isinstance(types, list) and types:
        named = [t for t in types if t in _TYPES]
        concrete = [t for t in named if t != "null"] or named
        if concrete:
            return str(concrete[0] if fixed else rng.choice(concrete))
    if "properties" in schema or "additionalProperties" in schema or "required" in schema:
        return "object"
    if "items" in schema or "prefixItems" in schema or "minItems" in schema:
        return "array"
    if "pattern" in schema or "format" in schema or "minLength" in schema:
        return "string"
    if "minimum" in schema or "maximum" in schema or "multipleOf" in schema:
        return "number"
    return "object"  # any value: an empty object says so plainly


def _string(schema: Mapping[str, Any], rng: random.Random) -> str:
    low = schema.get("minLength", 0)
    high = schema.get("maxLength", 1 << 30)
    fmt = schema.get("format")
    text = _formatted(fmt, rng) if isinstance(fmt, str) else None
    if text is None:
        text = f"{rng.choice(_WORDS)}-{rng.randint(1, 999)}"
    pattern = schema.get("pattern")
    if isinstance(pattern, str) and not matches(pattern, text):
        from .regex_sample import sample_matching  # only for a string with a pattern

        made = sample_matching(pattern, rng)
        for candidate in ([made] if made is not None else []) + _pattern_candidates(pattern):
            if matches(pattern, candidate) and low <= len(candidate) <= high:
                return candidate
    if len(text) < low:
        text = text + "x" * (low - len(text))
    return text[:high] if len(text) > high else text


def _pattern_candidates(pattern: str) -> list[str]:
    """Plain strings tried against a pattern (no inverter: see the module's docstring)."""
    literal = re.sub(r"[\^\$\\]", "", pattern)
    return ["a", "abc", "A", "1", "123", "a1", "string", "2024-01-01", literal, ""]
