"""Base64 text outside JSON: a `str`, the text as sent, documented with its encoding.

`format: byte` (OpenAPI 3.0, 2.0) and `contentEncoding: base64` (3.1) say a string holds
octets written as base64 text. Inside a JSON document `bytes` is exactly that: msgspec decodes
and encodes the text. A whole body of another media type (`application/xml`, `*/*`, text) or a
form or multipart part is not JSON: the runtime reads and writes its octets as they are, and
documents `bytes` there as `format: binary` (unencoded octets), which the spec does not say.
There the value is typed `str`, the base64 text as it came or as the handler writes it, and
documented as written (`format: byte`, or `contentEncoding: base64`: in JSON Schema an
annotation, which `str` leaves to the handler). Reported at its pointer.
"""

from __future__ import annotations

from typing import Any

import msgspec

from .content import bytes_as_text, form_part_models
from .errors import Report, join_pointer
from .ir import Constraints, MediaTypeSpec, Model, Operation, PrimitiveType, TypeRef
from .unions import map_types

__all__ = ["base64_parts", "base64_text", "same_text", "warn_base64_text"]

_WARNING = (
    "base64 text (`{spelling}`) in {where} is not JSON: typed as str, the text as sent, "
    "documented as written"
)


def base64_text(type_: TypeRef, schema: Any) -> PrimitiveType | None:
    """The `str` a base64 `bytes` body or part is read and written as (None: not one).

    `schema` is the schema as written: `bytes` from `contentEncoding: base64` and from a binary
    `contentMediaType` look alike, and only the former is text."""
    if not isinstance(type_, PrimitiveType) or type_.kind != "bytes":
        return None
    if type_.format == "byte":
        return msgspec.structs.replace(type_, kind="str")
    said = isinstance(schema, dict) and schema.get("contentEncoding") == "base64"
    if type_.format is not None or not said:
        return None
    constraints = type_.constraints or Constraints()
    unchecked = {**constraints.unchecked, "contentEncoding": "base64"}
    return msgspec.structs.replace(
        type_, kind="str", constraints=msgspec.structs.replace(constraints, unchecked=unchecked)
    )


def same_text(
    specs: tuple[MediaTypeSpec, ...],
    as_text: list[tuple[TypeRef, PrimitiveType]],
    report: Report,
    pointer: str,
) -> tuple[MediaTypeSpec, ...]:
    """The JSON media types of content whose other media types carry the same base64 schema as
    text: the same `str` in each (a handler's value is offered in all of them alike)."""
    if not as_text:
        return specs
    found = []
    for spec in specs:
        text = next((t for original, t in as_text if spec.type == original), None)
        if text is not None and spec.kind == "json":
            report.warn(
                join_pointer(pointer, spec.media_type),
                f"base64 text ({_spelling(text)}) in {spec.media_type}, offered as text in "
                "another media type too: typed as str, the same text in each",
            )
            spec = msgspec.structs.replace(spec, type=text, documented=text)
        found.append(spec)
    return tuple(found)


def _spelling(type_: PrimitiveType) -> str:
    return "format: byte" if type_.format == "byte" else "contentEncoding: base64"


def warn_base64_text(report: Report, pointer: str, text: PrimitiveType, where: str) -> None:
    report.warn(pointer, _WARNING.format(spelling=_spelling(text), where=where))


def base64_parts(models: dict[str, Model], operations: list[Operation], report: Report) -> None:
    """`format: byte` fields of the models a form or multipart body carries: `str` parts."""
    parts = form_part_models(models, operations)
    as_text = bytes_as_text("byte")

    for key in sorted(parts):
        model = models[key]
        if model.kind != "struct":
            continue
        fields = tuple(map_types(f, as_text) for f in model.fields)
        for old, new in zip(model.fields, fields, strict=True):
            if new is not old:
                where = f"the form or multipart part {old.wire_name!r}"
                report.warn(
                    old.pointer or model.pointer,
                    _WARNING.format(spelling="format: byte", where=where),
                )
        if any(new is not old for new, old in zip(fields, model.fields, strict=True)):
            models[key] = msgspec.structs.replace(model, fields=fields)
