"""Parameter metadata: aliases, sources, constraints and documentation for handler arguments."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import msgspec

from .enums import MediaType
from .exceptions import ImproperlyConfiguredException, require_extension_keys

__all__ = ["Body", "BodyKwarg", "Dependency", "DependencyKwarg", "KwargDefinition", "Parameter"]

_EMPTY: Any = msgspec.UNSET


@dataclass(frozen=True)
class KwargDefinition:
    """What a handler argument is, where it comes from and what it must satisfy."""

    header: str | None = None
    cookie: str | None = None
    query: str | None = None
    path: str | None = None  # the name in the path template, when it is not the argument's
    required: bool | None = None
    default: Any = _EMPTY
    title: str | None = None
    description: str | None = None
    examples: list[Any] | dict[str, Any] | None = None  # a dict: name -> value/Example object
    example: Any = _EMPTY  # a single `example` (OpenAPI's other spelling)
    deprecated: bool = False
    style: str | None = None
    explode: bool | None = None
    allow_empty_value: bool = False  # documentation: `allowEmptyValue` (a query's `?name=`)
    allow_reserved: bool = False  # documentation: `allowReserved` (RFC 3986 reserved, as sent)
    ge: float | None = None
    gt: float | None = None
    le: float | None = None
    lt: float | None = None
    multiple_of: float | None = None
    min_items: int | None = None
    max_items: int | None = None
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    include_in_schema: bool = True
    schema_extra: dict[str, Any] = field(default_factory=dict)
    extensions: dict[str, Any] = field(default_factory=dict)
    # the type the parameter's schema documents when it is not the argument's: a value the
    # handler receives as its raw text (an object in a query, an array of arrays in a path)
    schema: Any = None
    # the parameter is serialized as this media type: documented by `content`, not `schema`
    media_type: str | None = None

    @property
    def has_default(self) -> bool:
        return self.default is not _EMPTY

    def meta(self) -> msgspec.Meta | None:
        """The msgspec `Meta` that enforces this definition's constraints, if it has any."""
        constraints = {
            "ge": self.ge,
            "gt": self.gt,
            "le": self.le,
            "lt": self.lt,
            "multiple_of": self.multiple_of,
            "min_length": self.min_length if self.min_length is not None else self.min_items,
            "max_length": self.max_length if self.max_length is not None else self.max_items,
            "pattern": self.pattern,
        }
        present = {k: v for k, v in constraints.items() if v is not None}
        return msgspec.Meta(**present) if present else None  # type: ignore[call-overload]


def Parameter(
    value_type: Any = None,
    *,
    header: str | None = None,
    cookie: str | None = None,
    query: str | None = None,
    path: str | None = None,
    required: bool | None = None,
    default: Any = _EMPTY,
    title: str | None = None,
    description: str | None = None,
    examples: list[Any] | dict[str, Any] | None = None,
    example: Any = _EMPTY,
    deprecated: bool = False,
    style: str | None = None,
    explode: bool | None = None,
    allow_empty_value: bool = False,
    allow_reserved: bool = False,
    ge: float | None = None,
    gt: float | None = None,
    le: float | None = None,
    lt: float | None = None,
    multiple_of: float | None = None,
    min_items: int | None = None,
    max_items: int | None = None,
    min_length: int | None = None,
    max_length: int | None = None,
    pattern: str | None = None,
    include_in_schema: bool = True,
    schema_extra: dict[str, Any] | None = None,
    extensions: dict[str, Any] | None = None,
    schema: Any = None,
    media_type: str | None = None,
) -> Any:
    """Describe a path, query, header or cookie parameter (in `Annotated[...]` or as default).

    `schema`: the type the document gives the parameter when the argument is not of it (the
    handler reads the raw text of a value the runtime cannot parse); documentation only.
    `media_type`: the value is serialized as that media type (OpenAPI's `content`, in place
    of `schema` and style); the document says so, the handler reads the raw text.
    `allow_empty_value`, `allow_reserved`: OpenAPI's `allowEmptyValue` (a query parameter may
    be sent with an empty value: it is read as the empty text, as any value is) and
    `allowReserved` (the value may hold reserved characters unencoded: the query is
    percent-decoded alike); documentation, they change no reading.
    """
    if sum(source is not None for source in (header, cookie, query, path)) > 1:
        raise ImproperlyConfiguredException(
            "Parameter() takes at most one of header=, cookie=, query= and path="
        )
    return KwargDefinition(
        header=header,
        cookie=cookie,
        query=query,
        path=path,
        required=required,
        default=default,
        title=title,
        description=description,
        examples=examples,
        example=example,
        deprecated=deprecated,
        style=style,
        explode=explode,
        allow_empty_value=allow_empty_value,
        allow_reserved=allow_reserved,
        ge=ge,
        gt=gt,
        le=le,
        lt=lt,
        multiple_of=multiple_of,
        min_items=min_items,
        max_items=max_items,
        min_length=min_length,
        max_length=max_length,
        pattern=pattern,
        include_in_schema=include_in_schema,
        schema_extra=dict(schema_extra or {}),
        extensions=dict(extensions or {}),
        schema=schema,
        media_type=media_type,
    )


@dataclass(frozen=True)
class BodyKwarg:
    """Metadata of the request body argument `data`."""

    media_type: str = MediaType.JSON
    title: str | None = None
    description: str | None = None
    examples: list[Any] | dict[str, Any] | None = None
    example: Any = _EMPTY
    max_length: int | None = None
    # when given, exactly these media types are accepted (and documented); else JSON, MessagePack
    media_types: tuple[str, ...] | None = None
    # the body as its spec documents it: media type -> type or `ContentSpec`
    content: Mapping[str, Any] | None = field(default=None, hash=False)
    extensions: dict[str, Any] = field(default_factory=dict, hash=False)  # requestBody `x-` keys


def Body(
    *,
    media_type: str | None = None,
    media_types: Sequence[str] | None = None,
    title: str | None = None,
    description: str | None = None,
    examples: list[Any] | dict[str, Any] | None = None,
    example: Any = _EMPTY,
    max_length: int | None = None,
    content: Mapping[str, Any] | None = None,
    extensions: dict[str, Any] | None = None,
) -> Any:
    """Describe the request body (`data: Annotated[T, Body(...)]`).

    `media_types` restricts the accepted content types to exactly those listed (the first is
    the primary one); without it a body is accepted as JSON or MessagePack. Under a declared
    JSON media type a `str` or `bytes` body is a JSON string (bytes as base64 text); under the
    others it is the raw content.

    `content` documents the body as a spec writes it: media type -> the type of its schema, or
    an `openapi.ContentSpec` (examples, or no schema). An accepted media type read as text or
    bytes is documented with the declared schema (what the characters or octets hold); one
    read into a type keeps that type's schema. Media types the body does not accept are
    documented only: a request in one of them is answered 415. `extensions`: the
    Request Body object's `x-` keys (documentation).
    """
    require_extension_keys(extensions or {})
    accepted = tuple(str(m) for m in media_types) if media_types else None
    primary = str(media_type) if media_type else (accepted[0] if accepted else MediaType.JSON)
    return BodyKwarg(
        media_type=primary,
        title=title,
        description=description,
        examples=examples,
        example=example,
        max_length=max_length,
        media_types=accepted,
        content=dict(content) if content is not None else None,
        extensions=dict(extensions or {}),
    )


@dataclass(frozen=True)
class DependencyKwarg:
    """Marks an argument as a dependency, optionally with a default when none is provided."""

    default: Any = _EMPTY
    skip_validation: bool = False


def Dependency(default: Any = _EMPTY, skip_validation: bool = False) -> Any:
    """Mark an argument as a dependency (so a missing provider is a start-up error)."""
    return DependencyKwarg(default=default, skip_validation=skip_validation)
