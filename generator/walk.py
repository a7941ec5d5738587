"""Walk an OpenAPI document by the kind of each object (schema, parameter, response...)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from specloom.marks import NULL_BY_EXTENSION, RUNTIME_MARK

from .errors import join_pointer

__all__ = [
    "HTTP_METHODS",
    "NULL_BY_EXTENSION",
    "RUNTIME_MARK",
    "Node",
    "as_dict",
    "as_list",
    "detect_version",
    "extensions_of",
    "walk",
    "walk_document",
]

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

# (JSON pointer, object, kind)
Node = tuple[str, dict[str, Any], str]
_Children = Callable[[dict[str, Any], str, bool], list[Node]]

_SCHEMA_MAPS = ("properties", "patternProperties", "dependentSchemas", "$defs", "definitions")
_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
_SCHEMA_ONE = (
    "additionalProperties",
    "not",
    "contains",
    "if",
    "then",
    "else",
    "propertyNames",
    "unevaluatedItems",
    "unevaluatedProperties",
    "contentSchema",
)
_COMPONENT_KINDS = {
    "schemas": "schema",
    "responses": "response",
    "parameters": "parameter",
    "examples": "example",
    "requestBodies": "requestBody",
    "headers": "header",
    "securitySchemes": "securityScheme",
    "links": "link",
    "callbacks": "callback",
    "pathItems": "pathItem",
}


def detect_version(doc: Any) -> str:
    """'2.0', '3.0' or '3.1' (3.1 for any later 3.x); '' when the document declares none."""
    if not isinstance(doc, dict):
        return ""
    if "swagger" in doc:
        return "2.0" if str(doc["swagger"]).startswith("2") else ""
    version = str(doc.get("openapi", ""))
    if version.startswith("3.0"):
        return "3.0"
    if version.startswith("3."):
        return "3.1"
    return ""


def _map(
    node: dict[str, Any], key: str, pointer: str, kind: str, *, extensible: bool = False
) -> list[Node]:
    """The objects of the map `node[key]`; `extensible`: an `x-` key there is an extension
    (the Responses object's), not one of them."""
    value = node.get(key)
    if not isinstance(value, dict):
        return []
    base = join_pointer(pointer, key)
    return [
        (join_pointer(base, name), child, kind)
        for name, child in value.items()
        if isinstance(child, dict) and not (extensible and name.startswith("x-"))
    ]


def _one(node: dict[str, Any], key: str, pointer: str, kind: str) -> list[Node]:
    value = node.get(key)
    return [(join_pointer(pointer, key), value, kind)] if isinstance(value, dict) else []


def _list(node: dict[str, Any], key: str, pointer: str, kind: str) -> list[Node]:
    value = node.get(key)
    if not isinstance(value, list):
        return []
    base = join_pointer(pointer, key)
    return [(f"{base}/{i}", item, kind) for i, item in enumerate(value) if isinstance(item, dict)]


# how each key _schema reads holds schemas (a map of them, a list, either for `items`, one), in
# the order the children are yielded: maps, lists, items, the single ones (each group in its
# tuple's order)
_MAP, _LIST, _ITEMS, _ONE = 0, 1, 2, 3
_SCHEMA_SHAPES = {
    **{key: (index, _MAP) for index, key in enumerate(_SCHEMA_MAPS)},
    **{key: (10 + index, _LIST) for index, key in enumerate(_SCHEMA_LISTS)},
    "items": (20, _ITEMS),
    **{key: (30 + index, _ONE) for index, key in enumerate(_SCHEMA_ONE)},
}
# most schemas hold none of those keys (a leaf): one set intersection says so (the walk runs
# over every schema of a document several times)
_SCHEMA_KEYS = frozenset(_SCHEMA_SHAPES)


def _schema(node: dict[str, Any], pointer: str, v2: bool) -> list[Node]:
    found: list[Node] = []
    present = _SCHEMA_KEYS.intersection(node)
    if not present:
        return found
    keys = sorted(present, key=_SCHEMA_SHAPES.__getitem__) if len(present) > 1 else present
    for key in keys:
        value = node[key]
        shape = _SCHEMA_SHAPES[key][1]
        base = f"{pointer}/{key}"  # no schema keyword holds `~` or `/`
        if shape == _MAP:
            if isinstance(value, dict):
                found += [
                    (join_pointer(base, name), child, "schema")
                    for name, child in value.items()
                    if isinstance(child, dict)
                ]
        elif isinstance(value, list):
            if shape != _ONE:
                found += [
                    (f"{base}/{i}", item, "schema")
                    for i, item in enumerate(value)
                    if isinstance(item, dict)
                ]
        elif shape != _LIST and isinstance(value, dict):
            found.append((base, value, "schema"))
    return found


def _parameter(node: dict[str, Any], pointer: str, v2: bool) -> list[Node]:
    if v2:
        return _one(node, "schema", pointer, "schema") + _one(node, "items", pointer, "schema")
    return (
        _one(node, "schema", pointer, "schema")
        + _map(node, "content", pointer, "mediaType")
        + _map(node, "examples", pointer, "example")
    )


def _response(node: dict[str, Any], pointer: str, v2: bool) -> list[Node]:
    if v2:
        return _one(node, "schema", pointer, "schema") + _map(node, "headers", pointer, "header")
    return (
        _map(node, "headers", pointer, "header")
        + _map(node, "content", pointer, "mediaType")
        + _map(node, "links", pointer, "link")
    )


def _media_type(node: dict[str, Any], pointer: str, v2: bool) -> list[Node]:
    found = _one(node, "schema", pointer, "schema") + _map(node, "examples", pointer, "example")
    encodings = node.get("encoding")
    if isinstance(encodings, dict):
        base = join_pointer(pointer, "encoding")
        for name, encoding in encodings.items():
            if isinstance(encoding, dict):
                found += _map(encoding, "headers", join_pointer(base, name), "header")
    return found


def _operation(node: dict[str, Any], pointer: str, v2: bool) -> list[Node]:
    found = _list(node, "parameters", pointer, "parameter")
    found += _one(node, "requestBody", pointer, "requestBody")
    found += _map(node, "responses", pointer, "response", extensible=True)
    found += _map(node, "callbacks", pointer, "callback")
    return found


def _path_item(node: dict[str, Any], pointer: str, v2: bool) -> list[Node]:
    found = _list(node, "parameters", pointer, "parameter")
    for method in HTTP_METHODS:
        found += _one(node, method, pointer, "operation")
    return found


def _header(node: dict[str, Any], pointer: str, v2: bool) -> list[Node]:
    if v2:
        return _one(node, "items", pointer, "schema")
    return _parameter(node, pointer, v2)


_CHILDREN: dict[str, _Children] = {
    "schema": _schema,
    "parameter": _parameter,
    "header": _header,
    "response": _response,
    "mediaType": _media_type,
    "requestBody": lambda node, pointer, v2: _map(node, "content", pointer, "mediaType"),
    "operation": _operation,
    "pathItem": _path_item,
    "callback": lambda node, pointer, v2: [
        (join_pointer(pointer, key), value, "pathItem")
        for key, value in node.items()
        if isinstance(value, dict) and not key.startswith("x-")
    ],
}


def walk(node: Any, kind: str, pointer: str, *, v2: bool = False) -> Iterator[Node]:
    """Yield `(pointer, object, kind)` for `node` and every typed object below it, pre-order.

    The caller may change an object when it is yielded: its children are read afterwards.
    A `$ref` object is yielded but not entered (its target is walked where it lives), except
    a schema's siblings of `$ref`, which 3.1 allows.
    """
    stack: list[Node] = [(pointer, node, kind)] if isinstance(node, dict) else []
    while stack:
        item = stack.pop()
        yield item
        item_pointer, item_node, item_kind = item
        if item_kind == "schema":  # most objects: a schema, most of them leaves
            found = _schema(item_node, item_pointer, v2)
        elif "$ref" in item_node or item_kind not in _CHILDREN:
            continue
        else:
            found = _CHILDREN[item_kind](item_node, item_pointer, v2)
        if found:
            stack.extend(reversed(found))


def _roots(doc: dict[str, Any], version: str) -> list[Node]:
    if version == "2.0":
        return (
            _map(doc, "paths", "", "pathItem")
            + _map(doc, "definitions", "", "schema")
            + _map(doc, "parameters", "", "parameter")
            + _map(doc, "responses", "", "response")
            + _map(doc, "securityDefinitions", "", "securityScheme")
        )
    roots = _map(doc, "paths", "", "pathItem") + _map(doc, "webhooks", "", "pathItem")
    components = doc.get("components")
    if isinstance(components, dict):
        for section, kind in _COMPONENT_KINDS.items():
            roots += _map(components, section, "/components", kind)
    return roots


def walk_document(doc: dict[str, Any], version: str | None = None) -> Iterator[Node]:
    """Walk every typed object of an OpenAPI 2.0 or 3.x document, in document order."""
    version = version or detect_version(doc)
    v2 = version == "2.0"
    for pointer, node, kind in _roots(doc, version):
        yield from walk(node, kind, pointer, v2=v2)


def as_dict(value: Any) -> dict[str, Any]:
    """`value` when it is a mapping, else an empty one (specs are not always well formed)."""
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list[Any]:
    """`value` when it is a list, else an empty one."""
    return value if isinstance(value, list) else []


# schema keywords that only annotate (they never change which values are valid)
ANNOTATION_KEYWORDS = frozenset(
    {
        "title",
        "description",
        "default",
        "examples",
        "readOnly",
        "writeOnly",
        "deprecated",
        "externalDocs",
        "xml",
        "$comment",
    }
)


def extensions_of(node: dict[str, Any]) -> dict[str, Any]:
    """The `x-` keys of an OpenAPI object, as written."""
    return {key: value for key, value in node.items() if key.startswith("x-")}
