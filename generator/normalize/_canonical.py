"""A 3.x-structured document rewritten in place into the canonical 3.1 form.

3.0 schemas: `nullable`/`x-nullable` -> `"null"` in `type` (or `anyOf [..., {type: null}]`);
boolean exclusiveMinimum/Maximum -> numbers; `example` -> `examples: [...]`. All versions:
path-item `$ref`s inlined; path-level parameters merged into each operation; defaults that
mean "absent" dropped; every `$ref` checked.
"""

from __future__ import annotations

from typing import Any

from ..errors import SpecError, SpecWarning, join_pointer
from ..loader import is_missing, resolve_pointer, split_ref
from ..walk import ANNOTATION_KEYWORDS as _ANNOTATIONS
from ..walk import HTTP_METHODS, NULL_BY_EXTENSION, as_list, walk_document
from ._result import Normalized, _copy

# Keywords whose value equals "not given": dropped so equal specs compare equal.
_SCHEMA_DEFAULTS: tuple[tuple[str, Any], ...] = (
    ("readOnly", False),
    ("writeOnly", False),
    ("deprecated", False),
    ("uniqueItems", False),
    ("additionalProperties", True),
    ("required", []),
)
_DEFAULT_STYLE = {"query": "form", "cookie": "form", "path": "simple", "header": "simple"}


class _Canonical:
    """Rewrite a 3.x-structured document in place into the canonical 3.1 form."""

    def __init__(self, result: Normalized) -> None:
        self.result = result
        self.doc = result.document
        self.moves = result.moves

    def warn(self, pointer: str, message: str) -> None:
        self.result.warnings.append(SpecWarning(pointer, message))

    def run(self) -> None:
        doc = self.doc
        doc["openapi"] = "3.1.0"
        if doc.get("servers") in ([{"url": "/"}], []):
            del doc["servers"]
        handlers = {
            "schema": self.schema,
            "parameter": self.parameter,
            "header": self.header,
            "requestBody": self.request_body,
            "operation": self.operation,
            "pathItem": self.path_item,
            "response": self.response,
        }
        for pointer, node, kind in walk_document(doc, "3.1"):
            ref = node.get("$ref")
            if ref is not None:
                self.check_ref(ref, pointer)
            handler = handlers.get(kind)
            if handler is not None:
                handler(node, pointer)
        self.warn_ignored_siblings()

    def check_ref(self, ref: Any, pointer: str) -> None:
        location, fragment = split_ref(ref) if isinstance(ref, str) else ("?", "")
        if location:
            message = f"external $ref {ref!r}: load the document with load_spec to bundle it"
            raise SpecError(message, pointer=pointer)
        if is_missing(resolve_pointer(self.doc, fragment)):
            raise SpecError(f"unresolvable $ref {ref!r}", pointer=pointer)

    def resolve(self, node: Any) -> Any:
        seen = 0
        while isinstance(node, dict) and isinstance(node.get("$ref"), str) and seen < 32:
            target = resolve_pointer(self.doc, split_ref(node["$ref"])[1])
            node, seen = (None if is_missing(target) else target), seen + 1
        return node

    def path_item(self, item: dict[str, Any], pointer: str) -> None:
        hops = 0
        while isinstance(item.get("$ref"), str) and hops < 32:
            ref = item["$ref"]
            self.check_ref(ref, pointer)
            fragment = split_ref(ref)[1]
            target = resolve_pointer(self.doc, fragment)
            siblings = {key: value for key, value in item.items() if key != "$ref"}
            item.clear()
            item.update(_copy(target) if isinstance(target, dict) else {})
            item.update(siblings)
            self.moves[pointer] = fragment
            hops += 1
        shared = item.pop("parameters", None)
        if not isinstance(shared, list) or not shared:
            return
        for method in HTTP_METHODS:
            op = item.get(method)
            if isinstance(op, dict):
                self.merge_parameters(op, shared, join_pointer(pointer, method), pointer)

    def merge_parameters(
        self, op: dict[str, Any], shared: list[Any], pointer: str, item_pointer: str
    ) -> None:
        own = as_list(op.get("parameters"))

        def key(param: Any, fallback: str) -> Any:
            resolved = self.resolve(param)
            return (
                (resolved.get("name"), resolved.get("in"))
                if isinstance(resolved, dict)
                else fallback
            )

        own_keys = {key(param, f"own{i}") for i, param in enumerate(own)}
        merged: list[Any] = []
        for i, param in enumerate(shared):
            if key(param, f"shared{i}") not in own_keys:
                self.moves[f"{pointer}/parameters/{len(merged)}"] = f"{item_pointer}/parameters/{i}"
                merged.append(_copy(param))
        for i, param in enumerate(own):
            self.moves[f"{pointer}/parameters/{len(merged)}"] = f"{pointer}/parameters/{i}"
            merged.append(param)
        op["parameters"] = merged

    def operation(self, op: dict[str, Any], pointer: str) -> None:
        for key in ("parameters", "tags"):
            if op.get(key) == []:
                del op[key]
        if op.get("deprecated") is False:
            del op["deprecated"]
        responses = op.get("responses")
        if isinstance(responses, dict):
            op["responses"] = {
                (
                    status.upper()
                    if status.lower().endswith("xx") and not status.startswith("x-")
                    else status
                ): response
                for status, response in responses.items()
            }

    def parameter(self, param: dict[str, Any], pointer: str) -> None:
        if "$ref" in param:
            return
        where = param.get("in")
        if where == "path":
            param["required"] = True
        self.drop_defaults(param, _DEFAULT_STYLE.get(str(where), "simple"))

    def header(self, header: dict[str, Any], pointer: str) -> None:
        if "$ref" in header:
            return
        header.pop("name", None)
        header.pop("in", None)
        self.drop_defaults(header, "simple")

    def drop_defaults(self, param: dict[str, Any], default_style: str) -> None:
        for key in ("required", "deprecated", "allowEmptyValue", "allowReserved"):
            if param.get(key) is False:
                del param[key]
        style = param.get("style", default_style)
        if param.get("style") == default_style:
            del param["style"]
        if "explode" in param and param["explode"] == (style == "form"):
            del param["explode"]

    def request_body(self, body: dict[str, Any], pointer: str) -> None:
        if body.get("required") is False:
            del body["required"]

    def response(self, response: dict[str, Any], pointer: str) -> None:
        if "$ref" not in response and "description" not in response:
            response["description"] = ""

    def schema(self, schema: dict[str, Any], pointer: str) -> None:
        if self.result.ref_siblings_ignored and isinstance(schema.get("$ref"), str):
            self.drop_ref_siblings(schema, pointer)
        nullable = schema.pop("nullable", None)
        as_written = self.result.extensions_as_written
        # the generator reads 2.0's `x-nullable` as `nullable`; the extension stays documented
        by_extension = not as_written and schema.get("x-nullable") is True and nullable is None
        if by_extension:
            nullable = True
        for bound, key in (("minimum", "exclusiveMinimum"), ("maximum", "exclusiveMaximum")):
            flag = schema.get(key)
            if isinstance(flag, bool):
                del schema[key]
                if flag and bound in schema:
                    schema[key] = schema.pop(bound)
        if "example" in schema and not (as_written and "examples" in schema):
            example = schema.pop("example")
            schema.setdefault("examples", [example])
        if schema.get("type") == "file":
            schema["type"] = "string"
            schema.setdefault("format", "binary")
        if isinstance(schema.get("discriminator"), str):
            schema["discriminator"] = {"propertyName": schema["discriminator"]}
        self.canonical_type(schema)
        if by_extension and not _null_in_type(schema):
            # the runtime writes this null as the extension, not in `type`; beside a 2.0/3.0
            # `$ref` the extension is read but not served (the version ignores it there)
            schema[NULL_BY_EXTENSION] = "x-nullable"
            if "$ref" in schema and self.result.ref_siblings_ignored:
                del schema["x-nullable"]
        if nullable is True:
            self.make_nullable(schema, pointer)
        for key, default in _SCHEMA_DEFAULTS:
            if key in schema and schema[key] == default and type(schema[key]) is type(default):
                del schema[key]

    def drop_ref_siblings(self, schema: dict[str, Any], pointer: str) -> None:
        """2.0/3.0 Reference Object: "any properties added SHALL be ignored". The generator
        still reads 2.0's `x-nullable` there (the extension's tools write it beside `$ref`)."""
        kept = ("$ref",) if self.result.extensions_as_written else ("$ref", "x-nullable")
        siblings = {key: value for key, value in schema.items() if key not in kept}
        if siblings:
            self.result.ignored_siblings[pointer] = siblings
            for key in siblings:
                del schema[key]

    def warn_ignored_siblings(self) -> None:
        """One warning for the keys beside `$ref`s that were dropped, where first met."""
        ignored = self.result.ignored_siblings
        if not ignored:
            return
        keys = sorted({key for siblings in ignored.values() for key in siblings})
        first = min(ignored)
        self.warn(
            first,
            f"keys beside a schema's $ref ({', '.join(keys)}) at {len(ignored)} place(s), the "
            "first here: OpenAPI 2.0 and 3.0 ignore them (Reference Object), so the generated "
            "code does not serve them (3.1 applies them; descriptions stay as comments)",
        )

    def canonical_type(self, schema: dict[str, Any]) -> None:
        types = schema.get("type")
        if not isinstance(types, list):
            return
        unique = [t for i, t in enumerate(types) if t != "null" and t not in types[:i]]
        if "null" in types:
            unique.append("null")
        schema["type"] = unique[0] if len(unique) == 1 else unique

    def make_nullable(self, schema: dict[str, Any], pointer: str) -> None:
        kind = schema.get("type")
        composed = any(key in schema for key in ("$ref", "allOf", "anyOf", "oneOf", "not"))
        if isinstance(kind, str | list) and not composed:
            kinds = [kind] if isinstance(kind, str) else kind
            if "null" not in kinds:
                schema["type"] = [*kinds, "null"]
            enum = schema.get("enum")
            if isinstance(enum, list) and None not in enum:
                enum.append(None)
            return
        core = {key: value for key, value in schema.items() if not _is_annotation(key)}
        if not core:
            return  # no constraint at all: null is already allowed
        if list(core) == ["anyOf"] and isinstance(core["anyOf"], list):
            if {"type": "null"} not in core["anyOf"]:
                core["anyOf"].append({"type": "null"})
            return
        for key in core:
            del schema[key]
        schema["anyOf"] = [core, {"type": "null"}]
        self.moves[f"{pointer}/anyOf/0"] = pointer


def _null_in_type(schema: dict[str, Any]) -> bool:
    """Whether the schema's own `type` or `enum` already lists null."""
    kind, enum = schema.get("type"), schema.get("enum")
    listed = kind == "null" or (isinstance(kind, list) and "null" in kind)
    return listed or (isinstance(enum, list) and None in enum)


def _is_annotation(key: str) -> bool:
    return key in _ANNOTATIONS or key.startswith("x-")
