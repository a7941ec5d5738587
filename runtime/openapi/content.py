"""Content: the schema of a body's type, and `content={media type: type or ContentSpec}` of a
documented response or request body as OpenAPI Media Type objects, which document what a
handler sends or reads."""

from __future__ import annotations

from typing import Any

import msgspec

from ..signature import is_optional, unwrap_annotated
from .parameters import example_map, plain, without_none
from .schema import SchemaRegistry
from .spec import NO_EXAMPLE, ContentSpec
from .tidy import COMPONENT_MARKER

__all__ = ["BINARY", "content_schema", "declared_content", "document_body", "document_content"]

BINARY: dict[str, Any] = {"type": "string", "format": "binary"}


def content_schema(content: Any, registry: SchemaRegistry) -> dict[str, Any]:
    """The schema of a body of type `content` (str: a string, bytes: octets, Any: any)."""
    base, metadata = unwrap_annotated(content)
    if base is str and not metadata:
        return {"type": "string"}
    if base is bytes:  # bytes are sent as they are, under any media type
        return {**BINARY, **_meta_docs(metadata)}
    if base is Any:  # any value: the empty schema, with what its Meta documents
        return _meta_docs(metadata)
    return registry.schema(content, union="oneOf")


def _meta_docs(metadata: tuple[Any, ...]) -> dict[str, Any]:
    """The documentation keywords of `Meta`s (title, description, examples, extra schema)."""
    docs: dict[str, Any] = {}
    for meta in metadata:
        if not isinstance(meta, msgspec.Meta):
            continue
        for key in ("title", "description", "examples"):
            if getattr(meta, key) is not None:
                docs[key] = getattr(meta, key)
        docs.update(meta.extra_json_schema or {})
    # raw bytes are written inline: a named alias's component is its JSON (base64) schema
    docs.pop(COMPONENT_MARKER, None)
    return docs


def declared_content(content: Any, registry: SchemaRegistry) -> dict[str, Any]:
    """`content={media type: type or ContentSpec}` as OpenAPI Media Type objects."""
    documented: dict[str, Any] = {}
    for media_type, declared in content.items():
        spec = declared if isinstance(declared, ContentSpec) else ContentSpec(declared)
        entry: dict[str, Any] = {}
        if spec.data_container is not None:
            entry["schema"] = content_schema(spec.data_container, registry)
        if spec.example is not NO_EXAMPLE:
            entry["example"] = plain(spec.example)
        if spec.examples:
            entry["examples"] = example_map(spec.examples)
        documented[str(media_type)] = entry
    return documented


def document_content(
    existing: dict[str, Any], declared: dict[str, Any], raw: set[str | None]
) -> None:
    """The success response's declared content: a media type the handler sends as text or
    octets takes the declared entry, a typed one its examples; other media types are added."""
    content = existing.setdefault("content", {})  # `content: {}` if declared so
    for media_type, entry in declared.items():
        sent = content.get(media_type)
        if sent is None or media_type in raw:
            content[media_type] = entry
        else:
            sent.update({k: v for k, v in entry.items() if k != "schema"})


def document_body(
    body: dict[str, Any], kwarg: Any, annotation: Any, registry: SchemaRegistry
) -> None:
    """A request body's declared `content`: a body read as text or bytes takes the declared
    schema of each media type it accepts; media types it does not accept are documented."""
    declared = getattr(kwarg, "content", None)
    if declared is None:
        return
    if is_optional(annotation):
        annotation = without_none(annotation)
    base, _ = unwrap_annotated(annotation)
    raw = set(body.get("content", {})) if base in (bytes, str) or base is Any else set()
    document_content(body, declared_content(declared, registry), raw)
