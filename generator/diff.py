"""Semantic comparison of two OpenAPI documents, as a list of differences at JSON pointers.

Both documents are first normalised to the canonical 3.1 form; then `$ref`s are resolved in
place (a recursive reference is kept as the component name it points to), defaults that the
specification implies are dropped, and order that carries no meaning is erased: mapping keys,
`required` and `type` lists, `enum` values, and parameters (keyed `in:name`). Component schemas
are compared by name only where both documents declare them: names that exist on one side only
are how two writers chose to name inline schemas, not a difference in the API.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

__all__ = ["Difference", "canonical_for_diff", "diff_documents", "diff_specs", "escape_pointer"]

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
    """Inlines local `$ref`s; a reference met again inside itself stays as `{"$ref": name}`."""

    def __init__(self, document: Mapping[str, Any]) -> None:
        self.document = document

    def lookup(self, ref: str) -> Any:
        if not ref.startswith("#"):
            return None
        node: Any = self.document
        for raw in ref[1:].split("/")[1:]:
            token = raw.replace("~1", "/").replace("~0", "~")
            if isinstance(node, Mapping) and token in node:
                node = node[token]
            elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
                node = node[int(token)]
            else:
                return None
        return node

    def resolve(self, node: Any, stack: tuple[str, ...] = ()) -> Any:
        if isinstance(node, Mapping):
            ref = node.get("$ref")
            if isinstance(ref, str):
                name = ref.rsplit("/", 1)[-1]
                target = self.lookup(ref)
                if target is None or ref in stack:
                    return {"$ref": name}
                resolved = self.resolve(target, (*stack, ref))
                siblings = {k: self.resolve(v, stack) for k, v in node.items() if k != "$ref"}
                if siblings and isinstance(resolved, dict):
                    return {**resolved, **siblings}
                return resolved
            return {key: self.resolve(value, stack) for key, value in node.items()}
        if isinstance(node, list):
            return [self.resolve(item, stack) for item in node]
        return node


def _sort_key(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)


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
        elif key in ("example", "examples") or key.startswith("x-"):
            result[key] = value
        elif isinstance(value, Mapping | list):
            result[key] = _canonical_schema(value)
        else:
            result[key] = value
    if isinstance(result.get("type"), list) and len(result["type"]) == 1:
        result["type"] = result["type"][0]
    return result


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
    return result


def _canonical_content(content: Mapping[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for media_type, media in content.items():
        media = dict(media)
        if "schema" in media:
            media["schema"] = _canonical_schema(media["schema"])
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
        if isinstance(p, Mapping)
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
        else:
            result[key] = _canonical(value)
    return result


def _canonical(value: Any, skip: Iterable[str] = ()) -> Any:
    skipped = set(skip)
    if isinstance(value, Mapping):
        return {k: (v if k in skipped else _canonical(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [_canonical(item) for item in value]
    return value


def _canonical_paths(paths: Mapping[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for path, item in paths.items():
        if not isinstance(item, Mapping):
            continue
        shared = list(item.get("parameters", []))
        entry: dict[str, Any] = {}
        for key, value in item.items():
            if key in _HTTP_METHODS and isinstance(value, Mapping):
                entry[key] = _canonical_operation(value, shared)
            elif key != "parameters":
                entry[key] = _canonical(value)
        result[path] = entry
    return result


def canonical_for_diff(normalized: Mapping[str, Any]) -> dict[str, Any]:
    """The comparable form of an already normalised (3.1) document."""
    resolved = _Resolver(normalized).resolve(normalized)
    result: dict[str, Any] = {}
    for key, value in resolved.items():
        if key in ("paths", "webhooks") and isinstance(value, Mapping):
            result[key] = _canonical_paths(value)
        elif key == "components" and isinstance(value, Mapping):
            components = dict(value)
            if "schemas" in components:
                components["schemas"] = {
                    name: _canonical_schema(schema)
                    for name, schema in components["schemas"].items()
                }
            result[key] = _canonical(components, skip=("schemas",))
        elif key == "openapi":
            continue  # both sides are 3.1 after normalising
        else:
            result[key] = _canonical(value)
    return result


def _compare(old: Any, new: Any, pointer: str, out: list[Difference], shared_only: bool) -> None:
    if isinstance(old, Mapping) and isinstance(new, Mapping):
        for key in old:
            child = f"{pointer}/{escape_pointer(str(key))}"
            if key in new:
                nested_shared = pointer == "/components/schemas"
                _compare(old[key], new[key], child, out, nested_shared)
            elif not shared_only:
                out.append(Difference(child, "removed", old=old[key]))
        if not shared_only:
            for key in new:
                if key not in old:
                    out.append(
                        Difference(f"{pointer}/{escape_pointer(str(key))}", "added", new=new[key])
                    )
        return
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        for index, (a, b) in enumerate(zip(old, new, strict=True)):
            _compare(a, b, f"{pointer}/{index}", out, False)
        return
    # 3 and 3.0 are the same number in JSON; True and 1 are not the same value
    if isinstance(old, bool) != isinstance(new, bool) or old != new:
        out.append(Difference(pointer, "changed", old=old, new=new))


def _components_schema_names(doc: Mapping[str, Any]) -> set[str]:
    schemas = doc.get("components", {}).get("schemas", {})
    return set(schemas) if isinstance(schemas, Mapping) else set()


def diff_documents(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Difference]:
    """Differences between two already normalised documents, breaking ones flagged."""
    a, b = canonical_for_diff(old), canonical_for_diff(new)
    differences: list[Difference] = []
    shared = _components_schema_names(a) & _components_schema_names(b)
    a_schemas = {k: v for k, v in a.get("components", {}).get("schemas", {}).items() if k in shared}
    b_schemas = {k: v for k, v in b.get("components", {}).get("schemas", {}).items() if k in shared}
    for doc, schemas in ((a, a_schemas), (b, b_schemas)):
        if "components" in doc:
            doc["components"] = {**doc["components"], "schemas": schemas}
            if not schemas:
                doc["components"].pop("schemas")
            if not doc["components"]:
                doc.pop("components")
    _compare(a, b, "", differences, False)
    return [_classify(d) for d in differences]


def diff_specs(
    old: Mapping[str, Any],
    new: Mapping[str, Any],
    normalize: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
) -> list[Difference]:
    """Normalise two loaded documents (2.0, 3.0 or 3.1) and compare them."""
    if normalize is None:
        from .normalize import normalize_spec

        normalize = normalize_spec
    return diff_documents(normalize(dict(old)), normalize(dict(new)))


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
