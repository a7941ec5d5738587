"""Content: the schema of a body's type, and `content={media type: type or ContentSpec}` of a
documented response or request body as OpenAPI Media Type objects, which document what a
handler sends or reads."""

from __future__ import annotations

from typing import Any

from ..signature import is_optional, unwrap_annotated
from .parameters import example_map, meta_docs, plain, without_none
from .schema import SchemaRegistry
from .spec import NO_EXAMPLE, ContentSpec

__all__ = ["BINARY", "content_schema", "declared_content", "document_body", "document_content"]

BINARY: dict[str, Any] = {"type": "string", "format": "binary"}


def content_schema(content: Any, registry: SchemaRegistry) -> dict[str, Any]:
    """The schema of a body of type `content` (str: a string, bytes: octets, Any: any)."""
    base, metadata = unwrap_annotated(content)
    if base is str and not metadata:
        return {"type": "string"}
    if base is bytes:  # bytes are sent as they are, under any media type
        return {**BINARY, **meta_docs(metadata)}
    if base is Any:  # any content: the empty schema, with the docs it is annotated with
        return meta_docs(metadata)
    return registry.schema(content, union="oneOf")


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
        if spec.examples is not None:
            entry["examples"] = example_map(spec.examples)
        if spec.encoding is not None:
            entry["encoding"] = plain(spec.encoding)
        entry.update(plain(dict(spec.extensions or {})))
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
