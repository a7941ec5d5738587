"""Parameters and the request body of an operation, from the handler's kwargs plan."""

from __future__ import annotations

import types
from typing import TYPE_CHECKING, Any, Union, get_args, get_origin

import msgspec

from ..body import FORM_URLENCODED, MULTIPART_FORM, BodyDecoder
from ..enums import MediaType
from ..response.base import is_json_media_type
from ..signature import ParamSpec, is_optional, unwrap_annotated
from .schema import SchemaRegistry, annotated
from .tidy import COMPONENT_MARKER

if TYPE_CHECKING:
    from ..compile import CompiledHandler

__all__ = [
    "build_parameters",
    "build_request_body",
    "example_map",
    "meta_docs",
    "plain",
    "without_none",
]

_UNSET: Any = msgspec.UNSET
# the fields of an Example Object beside `value`/`externalValue` (and its `x-` extensions)
_EXAMPLE_FIELDS = frozenset(("summary", "description"))


def plain(value: Any) -> Any:
    """A value as JSON-compatible data (structs, dataclasses, enums...)."""
    return msgspec.to_builtins(value, str_keys=True, enc_hook=str)


def example_map(examples: Any, prefix: str = "example") -> dict[str, Any]:
    """Examples as an OpenAPI `examples` map: a list gets numbered names, values get `value`.

    A mapping is taken as an Example Object as it is when it holds `value` or `externalValue`,
    or when it is not empty and every key is one an Example Object may have (`summary`,
    `description`, `x-` extensions: every field of the object is optional)."""
    if isinstance(examples, dict):
        items = list(examples.items())
    else:
        items = [(f"{prefix}-{index}", value) for index, value in enumerate(examples, 1)]
    result: dict[str, Any] = {}
    for name, value in items:
        result[str(name)] = plain(value) if _example_object(value) else {"value": plain(value)}
    return result


def _example_object(value: Any) -> bool:
    if not isinstance(value, dict):
        return False
    if "value" in value or "externalValue" in value:
        return True
    return bool(value) and all(
        key in _EXAMPLE_FIELDS or (isinstance(key, str) and key.startswith("x-")) for key in value
    )


def meta_docs(metadata: tuple[Any, ...]) -> dict[str, Any]:
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


def without_none(annotation: Any) -> Any:
    """`T | None` as `T` (an optional parameter is documented by `required: false`)."""
    base, metadata = unwrap_annotated(annotation)
    origin = get_origin(base)
    if origin is Union or origin is types.UnionType:
        args = [arg for arg in get_args(base) if arg is not type(None)]
        if len(args) < len(get_args(base)) and args:
            rebuilt = args[0] if len(args) == 1 else Union[tuple(args)]  # noqa: UP007
            return annotated(rebuilt, list(metadata))
    return annotation


def _schema_type(annotation: Any) -> Any:
    """`annotation` with only the metadata a schema is made of (msgspec reads its `Meta` items
    only): a parameter's annotation carries its parameter definition, which makes a new
    (unhashable) alias of every type rebuilt from it, and every operation asks again."""
    base, metadata = unwrap_annotated(annotation)
    if not metadata:
        return annotation
    metas = [item for item in metadata if type(item) is msgspec.Meta]
    return annotation if len(metas) == len(metadata) else annotated(base, metas)


def _param_schema(spec: ParamSpec, registry: SchemaRegistry) -> dict[str, Any]:
    annotation = spec.annotation
    if spec.kwarg is not None and spec.kwarg.schema is not None:
        annotation = spec.kwarg.schema  # documented; the argument is the raw text
    annotation = _schema_type(annotation)
    # optional, or in the path (which has no null: a fragment's parameter may arrive as None)
    if (not spec.required or spec.source == "path") and is_optional(annotation):
        annotation = without_none(annotation)
    kwarg = spec.kwarg
    extra: dict[str, Any] = {}
    metas: list[Any] = []
    if kwarg is not None:
        meta = kwarg.meta()
        if meta is not None:
            metas.append(meta)
        if kwarg.title:
            extra["title"] = kwarg.title
        extra.update(kwarg.schema_extra)
    if not spec.required and spec.default is not None and spec.default is not _UNSET:
        extra["default"] = plain(spec.default)
    return registry.schema(annotated(annotation, metas), extra=extra)


def _parameter(spec: ParamSpec, registry: SchemaRegistry) -> dict[str, Any]:
    kwarg = spec.kwarg
    name = spec.key
    if kwarg is not None and spec.source == "header" and kwarg.header:
        name = kwarg.header
    parameter: dict[str, Any] = {"name": name, "in": spec.source, "required": spec.required}
    if kwarg is not None:
        if kwarg.description is not None:  # "" is a description as written
            parameter["description"] = kwarg.description
        if kwarg.deprecated:
            parameter["deprecated"] = True
        if kwarg.style:
            parameter["style"] = kwarg.style
        if kwarg.explode is not None:
            parameter["explode"] = kwarg.explode
        if kwarg.allow_empty_value:
            parameter["allowEmptyValue"] = True
        if kwarg.allow_reserved:
            parameter["allowReserved"] = True
    if kwarg is not None and kwarg.media_type is not None:  # serialized as a media type
        parameter["content"] = {kwarg.media_type: {"schema": _param_schema(spec, registry)}}
    else:
        parameter["schema"] = _param_schema(spec, registry)
    if kwarg is not None:
        if kwarg.example is not _UNSET:
            parameter["example"] = plain(kwarg.example)
        if kwarg.examples:
            parameter["examples"] = example_map(kwarg.examples)
        parameter.update(kwarg.extensions)
    return parameter


def build_parameters(compiled: CompiledHandler, registry: SchemaRegistry) -> list[dict[str, Any]]:
    """Path parameters in template order, then query, header and cookie parameters."""
    specs = compiled.plan.all_params
    by_path_name = {spec.key: spec for spec in specs if spec.source == "path"}
    parameters: list[dict[str, Any]] = []
    for param in compiled.template.params:
        spec = by_path_name.get(param.name)
        if spec is not None:
            parameters.append(_parameter(spec, registry))
        else:  # declared by the path only: its template type is what the router accepts
            schema = registry.schema(param.type)
            parameters.append(
                {"name": param.name, "in": "path", "required": True, "schema": schema}
            )
    for spec in specs:
        if spec.source == "path" or (spec.kwarg is not None and not spec.kwarg.include_in_schema):
            continue
        parameters.append(_parameter(spec, registry))
    return parameters


def body_media_types(decoder: BodyDecoder) -> list[str]:
    """Every media type the body decoder accepts, the declared one first."""
    if decoder.spec.kwarg is not None and decoder.spec.kwarg.media_types is not None:
        return list(decoder.spec.kwarg.media_types)
    declared = decoder.media_type
    if decoder.raw is not None:
        return [declared]
    accepted = [declared, MediaType.JSON.value, MediaType.MESSAGEPACK.value]
    if declared == FORM_URLENCODED:
        accepted = [FORM_URLENCODED, MediaType.JSON.value, MediaType.MESSAGEPACK.value]
    return list(dict.fromkeys(accepted))


def json_carried(kwarg: Any, media_type: str) -> bool:
    """Whether a `bytes` body arrives as a JSON string (base64 text) under `media_type`: a
    declared JSON media type carries JSON, and JSON holds octets only as base64 text."""
    return kwarg.media_types is not None and is_json_media_type(media_type)


def build_request_body(
    compiled: CompiledHandler, registry: SchemaRegistry
) -> dict[str, Any] | None:
    """The `requestBody` of `data: T`: every accepted media type with the schema of T."""
    decoder = compiled.plan.body
    if decoder is None:
        return None
    spec = decoder.spec
    kwarg = spec.kwarg
    annotation = spec.annotation
    if not spec.required and is_optional(annotation):
        annotation = without_none(annotation)  # an optional body is `required: false`
    raw, metadata = unwrap_annotated(annotation)
    if raw is bytes:
        schema: dict[str, Any] = {"type": "string", "format": "binary"}
        media_types = [decoder.media_type if kwarg else "application/octet-stream"]
        if kwarg is not None and kwarg.media_types is not None:
            media_types = list(kwarg.media_types)
    elif raw is str:  # the text, with the docs its Meta gives (examples, description...)
        schema = {"type": "string", **meta_docs(metadata)}
        media_types = [decoder.media_type if kwarg else MediaType.TEXT.value]
        if kwarg is not None and kwarg.media_types is not None:
            media_types = list(kwarg.media_types)
    else:
        extra = {"title": kwarg.title} if kwarg is not None and kwarg.title else None
        schema = registry.schema(annotation, extra=extra)
        media_types = body_media_types(decoder)
    content: dict[str, Any] = {}
    for media_type in media_types:
        entry: dict[str, Any] = {"schema": schema}
        if raw in (bytes, str) and kwarg is not None and json_carried(kwarg, media_type):
            # a JSON string, decoded and checked as its type is (bytes: base64 text; a str:
            # its pattern, lengths, its named alias): msgspec's own schema
            entry["schema"] = registry.schema(annotation)
        if media_type == MULTIPART_FORM and raw not in (bytes, str):
            extra = {"title": kwarg.title} if kwarg is not None and kwarg.title else None
            entry["schema"] = registry.schema(annotation, extra=extra, multipart=True)
        if kwarg is not None and kwarg.example is not _UNSET:
            entry["example"] = plain(kwarg.example)
        if kwarg is not None and kwarg.examples is not None:  # `examples: {}` as written
            entry["examples"] = example_map(kwarg.examples)
        content[media_type] = entry
    body: dict[str, Any] = {}
    if kwarg is not None and kwarg.description is not None:
        body["description"] = kwarg.description
    body["content"] = content
    body["required"] = spec.required
    body.update(kwarg.extensions if kwarg is not None else {})
    return body
