"""Content decisions: how a media type travels, which response is primary, status codes."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import msgspec

from .errors import Report
from .ir import (
    AnyType,
    ContentKind,
    Field,
    ListType,
    MediaTypeSpec,
    Model,
    ModelRef,
    Operation,
    PrimitiveType,
    ResponseKind,
    ResponseSpec,
    SchemaDocs,
    TypeRef,
    without_none,
)
from .unions import map_types, model_refs

__all__ = [
    "RESTATED_MARKER",
    "binary_text_in_documents",
    "bytes_as_text",
    "content_kind",
    "examples_of",
    "form_part_models",
    "is_xml",
    "mark_restated_docs",
    "primary_response",
    "response_kind",
    "schemaless_type",
    "status_code_for",
]

_STREAM = re.compile(r"(ndjson|jsonl|json-seq|stream\+json|jsonlines)")
_BINARY = re.compile(r"^(application/(octet-stream|pdf|zip|gzip|x-tar)|image/|audio/|video/|font/)")
_REDIRECTS = frozenset((301, 302, 303, 307, 308))


def is_xml(media_type: str) -> bool:
    """`application/xml`, `text/xml`, any `+xml` type (parameters and case aside)."""
    bare = media_type.split(";")[0].strip().lower()
    return bare.endswith("/xml") or bare.endswith("+xml")


def content_kind(media_type: str, type_: TypeRef) -> ContentKind:
    """How content of `media_type` travels, given its schema's type."""
    mt = media_type.split(";")[0].strip().lower()
    inner = without_none(type_)
    if mt == "text/event-stream":
        return "sse"
    if _STREAM.search(mt):
        return "stream"
    if mt.endswith("/json") or mt.endswith("+json"):
        return "json"
    if mt == "application/x-www-form-urlencoded":
        return "form"
    if mt.startswith("multipart/"):
        return "multipart"
    if (isinstance(inner, PrimitiveType) and inner.kind == "bytes") or _BINARY.match(mt):
        return "binary"
    if mt.startswith("text/") or is_xml(mt):
        return "text"
    if inner.structured:
        return "json"  # */*, application/*: structured data (array, object) is sent as JSON
    return "text" if isinstance(inner, PrimitiveType) and inner.kind == "str" else "binary"


def examples_of(node: dict[str, Any], resolve: Callable[[Any], Any]) -> dict[str, Any]:
    """The `examples` of a parameter/header/media type: name -> Example object (refs followed)."""
    examples = node.get("examples")
    if not isinstance(examples, dict):
        return {}
    found = {}
    for name, example in examples.items():
        example = resolve(example)
        if isinstance(example, dict):
            found[str(name)] = example
    return found


def schemaless_type(media_type: str) -> TypeRef:
    """The type of content declared without a schema: str for text, bytes for binary."""
    kind = content_kind(media_type, AnyType())
    if kind == "text":
        return PrimitiveType("str")
    return AnyType() if kind in ("json", "form", "multipart") else PrimitiveType("bytes", "binary")


def primary_response(responses: tuple[ResponseSpec, ...]) -> ResponseSpec | None:
    """The response a handler returns: lowest 2xx, then 2XX, 3xx, 3XX, then default."""
    exact = sorted(
        (r for r in responses if r.status_code is not None), key=lambda r: r.status_code or 0
    )
    for low, high in ((200, 300), (300, 400)):
        for response in exact:
            if low <= (response.status_code or 0) < high:
                return response
        ranged = next((r for r in responses if r.status == f"{low // 100}XX"), None)
        if ranged is not None:
            return ranged
    return next((r for r in responses if r.status == "default"), None)


def status_code_for(primary: ResponseSpec | None, method: str) -> int:
    """The decorator's status code; without an exact one, the runtime's default per method."""
    if primary is not None and primary.status_code is not None:
        return primary.status_code
    if primary is not None and primary.status.endswith("XX") and primary.status[0].isdigit():
        return int(primary.status[0]) * 100
    if method == "post":
        return 201
    if method == "delete" and (primary is None or primary.kind == "empty"):
        return 204
    return 200


def response_kind(code: int | None, status: str, primary: MediaTypeSpec | None) -> ResponseKind:
    """json/binary/text/stream/sse from the primary content; redirect/empty without content."""
    if primary is None:
        redirect = code in _REDIRECTS or status == "3XX"
        return "redirect" if redirect else "empty"
    kind = primary.kind
    if kind == "text" and is_xml(primary.media_type):
        inner = without_none(primary.type)
        if isinstance(inner, ModelRef | ListType):
            return "json"  # a typed value the runtime encodes, here as XML
    if kind == "form":
        return "text"
    if kind == "multipart":
        return "binary"
    return kind


def form_part_models(models: dict[str, Model], operations: list[Operation]) -> set[str]:
    """Keys of the models whose fields may be form or multipart parts: those a form or
    multipart body carries, their bases and the models they reach."""
    forms = [
        spec.type
        for op in operations
        if op.body is not None
        for spec in op.body.content
        if spec.kind in ("form", "multipart")
    ]
    parts: set[str] = set()
    stack = list(model_refs(forms))
    while stack:
        key = stack.pop()
        model = models.get(key)
        if key in parts or model is None:
            continue
        parts.add(key)
        stack += [*model.bases, *model_refs(model)]
    return parts


def bytes_as_text(format_: str) -> Callable[[TypeRef], TypeRef]:
    """A type mapper: `bytes` of that `format` (binary, byte) becomes `str`, the rest stays."""

    def as_text(type_: TypeRef) -> TypeRef:
        if isinstance(type_, PrimitiveType) and type_.kind == "bytes" and type_.format == format_:
            return msgspec.structs.replace(type_, kind="str")
        return type_

    return as_text


def binary_text_in_documents(
    models: dict[str, Model], operations: list[Operation], report: Report
) -> None:
    """`format: binary` in a model that only documents (JSON, XML) carry: a `str`, as sent.

    OpenAPI defines no encoding for octets inside a JSON document. `bytes` would impose base64
    (and document `contentEncoding: base64`, which the spec does not say), so the string is
    handed over as it came and re-documented as `format: binary`. A model a form or multipart
    body carries keeps `bytes`: there the field is a part, whose content is the octets.
    """
    parts = form_part_models(models, operations)
    as_text = bytes_as_text("binary")

    for key, model in models.items():
        if key in parts or model.kind != "struct":
            continue
        fields = tuple(map_types(f, as_text) for f in model.fields)
        changed = [old for old, new in zip(model.fields, fields, strict=True) if new is not old]
        for old in changed:
            report.warn(
                old.pointer or model.pointer,
                f"`format: binary` in a JSON document has no defined encoding: "
                f"{old.wire_name!r} is the string as sent",
            )
        if changed:
            models[key] = msgspec.structs.replace(model, fields=fields)


RESTATED_MARKER = "x-specloom-restated"  # the runtime's marker (runtime/openapi/tidy.py)


def mark_restated_docs(models: dict[str, Model], operations: list[Operation]) -> list[Operation]:
    """Mark what a use of an alias model restates of the alias's own docs (a `title: Meta`
    beside `$ref: Meta` whose title is Meta): msgspec merges both into one schema, where the
    runtime keeps only what the use adds unless the marker names it. Returns the operations
    (models are replaced in place)."""

    def own_docs(model: Model) -> dict[str, Any]:
        target = model.target.schema() if model.target is not None else {}
        own = dict(target) if isinstance(target, dict) else {}
        said = {"title": model.title, "description": model.description}
        own.update({key: value for key, value in said.items() if value is not None})
        if model.examples:
            own["examples"] = list(model.examples)
        return {**own, **model.extra}

    aliases = {key: own_docs(model) for key, model in models.items() if model.kind == "alias"}
    if not aliases:  # nothing to restate: no walk over the whole IR
        return operations

    def restated(name: str, docs: SchemaDocs) -> list[str]:
        use = ModelRef(name, docs=docs).schema()
        own = aliases[name]
        assert isinstance(use, dict)
        return [key for key, value in use.items() if key != "$ref" and own.get(key) == value]

    def mark(type_: TypeRef) -> TypeRef:
        if not isinstance(type_, ModelRef) or type_.docs is None or type_.name not in aliases:
            return type_
        keys = restated(type_.name, type_.docs)
        if not keys:
            return type_
        extra = {**type_.docs.extra, RESTATED_MARKER: keys}
        return msgspec.structs.replace(type_, docs=msgspec.structs.replace(type_.docs, extra=extra))

    def mark_field(field: Field) -> Field:  # a property's docs are the field's own
        if not isinstance(field.type, ModelRef) or field.type.name not in aliases:
            return field
        keys = restated(field.type.name, field.docs)
        if not keys:
            return field
        return msgspec.structs.replace(field, extra={**field.extra, RESTATED_MARKER: keys})

    for key in list(models):
        model = map_types(models[key], mark)
        fields = tuple(mark_field(field) for field in model.fields)
        models[key] = msgspec.structs.replace(model, fields=fields) if model.fields else model
    return [map_types(op, mark) for op in operations]
