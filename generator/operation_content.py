"""Request bodies, responses and their headers of operations, from canonical specs."""

from __future__ import annotations

import re
from typing import Any

from msgspec import UNSET

from .base64_text import base64_text, same_text, warn_base64_text
from .content import (
    content_kind,
    examples_of,
    is_xml,
    response_kind,
    schemaless_type,
)
from .errors import Report, join_pointer
from .ir import (
    AnyType,
    Body,
    ContentKind,
    HeaderSpec,
    ListType,
    MediaTypeSpec,
    ModelRef,
    NoneType,
    PrimitiveType,
    ResponseSpec,
    TypeRef,
    without_none,
)
from .loader import resolve_pointer, split_ref
from .naming import (
    assign_unique,
    pascal_name,
    snake_name,
)
from .schemas import SchemaBuilder
from .walk import as_dict, extensions_of

__all__ = ["ContentBuilder", "replace_node", "text_field"]

_BODY_PREFERENCE = ("json", "form", "multipart")
_TOKEN = r"[!#$%&'*+.^_`|~0-9A-Za-z-]+"
_MEDIA_RANGE = re.compile(rf"^{_TOKEN}/{_TOKEN}\s*(;.*)?$")  # RFC 9110 media-range


class ContentBuilder:
    """The content of one canonical document's operations: bodies, responses, headers."""

    doc: dict[str, Any]
    schemas: SchemaBuilder
    report: Report

    def resolve(self, node: Any, pointer: str) -> tuple[Any, str]:
        """Follow `$ref`s (checked by the normaliser) to the object and its pointer."""
        hops = 0
        while isinstance(node, dict) and isinstance(node.get("$ref"), str) and hops < 32:
            pointer = split_ref(node["$ref"])[1]
            node, hops = resolve_pointer(self.doc, pointer), hops + 1
        return node, pointer

    def follow(self, node: Any) -> Any:
        """The object a `$ref` points to (the node itself when it is no reference)."""
        return self.resolve(node, "")[0]

    # -- bodies and responses -----------------------------------------------------------------

    def content(
        self, raw: Any, pointer: str, hint: str, *, request: bool = False
    ) -> tuple[MediaTypeSpec, ...]:
        if not isinstance(raw, dict):
            return ()
        specs: list[MediaTypeSpec] = []
        seen: list[tuple[Any, TypeRef]] = []
        as_text: list[tuple[TypeRef, PrimitiveType]] = []  # base64 bytes outside JSON: text
        for media_type, entry in raw.items():
            entry = as_dict(entry)
            if not _MEDIA_RANGE.match(media_type):
                self.report.warn(
                    join_pointer(pointer, media_type),
                    f"content key {media_type!r} is not a media type (RFC 6838): documented "
                    "as written",
                )
            schema = entry.get("schema")
            type_: TypeRef | None = next((t for s, t in seen if s == schema), None)
            if type_ is None:
                own_hint = hint if not specs else hint + pascal_name(media_type.split("/")[-1])
                type_ = (
                    self.schemas.type_of(
                        schema, join_pointer(pointer, media_type, "schema"), own_hint
                    )
                    if schema is not None
                    else AnyType()
                )
                seen.append((schema, type_))
            if schema is None:
                type_ = schemaless_type(media_type)
            kind = content_kind(media_type, self.schemas.unalias(without_none(type_)))
            text = base64_text(type_, self.follow(schema)) if kind == "binary" else None
            if text is not None:  # not JSON: the base64 text as sent
                warn_base64_text(self.report, join_pointer(pointer, media_type), text, media_type)
                as_text.append((type_, text))
                type_, kind = text, content_kind(media_type, text)
            documented = type_ if schema is not None else None
            type_ = self.fit_content(
                kind, type_, media_type, join_pointer(pointer, media_type), request=request
            )
            specs.append(
                MediaTypeSpec(
                    media_type=media_type,
                    type=type_,
                    kind=kind,
                    example=entry.get("example", UNSET),
                    examples=(
                        examples_of(entry, self.follow)
                        if isinstance(entry.get("examples"), dict)
                        else None
                    ),
                    documented=documented,
                    encoding=_encoding(entry),
                    extensions=extensions_of(entry),
                )
            )
        return same_text(tuple(specs), as_text, self.report, pointer)

    def fit_content(
        self,
        kind: ContentKind,
        type_: TypeRef,
        media_type: str,
        pointer: str,
        *,
        request: bool = False,
    ) -> TypeRef:
        """Text and binary content cannot carry structured data: say so and use str/bytes.

        XML keeps an object or array schema: the runtime reads and writes it by the xml rules.
        """
        inner = self.schemas.unalias(without_none(type_))
        structured = inner.structured
        if is_xml(media_type) and isinstance(inner, ModelRef | ListType):
            return type_
        if kind == "text" and structured:
            self.report.warn_grouped(
                f"content:{media_type}",
                pointer,
                f"{media_type} content with a structured schema is typed as str (and documented "
                "with its schema)",
            )
            return PrimitiveType("str")
        if kind == "binary" and not (isinstance(inner, PrimitiveType) and inner.kind == "bytes"):
            return PrimitiveType("bytes", "binary")
        return type_

    def body(self, raw: Any, pointer: str, hint: str) -> Body | None:
        body, body_pointer = self.resolve(raw, pointer)
        if not isinstance(body, dict):
            return None
        component = re.match(r"^/components/requestBodies/([^/]+)$", body_pointer)
        own_hint = pascal_name(f"{component.group(1)} Body") if component else hint + "Body"
        content = self.content(
            body.get("content"), f"{body_pointer}/content", own_hint, request=True
        )
        if not content:
            self.report.warn(body_pointer, "request body without content; read as bytes")
            content = (
                MediaTypeSpec(
                    media_type="application/octet-stream",
                    type=PrimitiveType("bytes", "binary"),
                    kind="binary",
                ),
            )
        primary = next(
            (c for kind in _BODY_PREFERENCE for c in content if c.kind == kind), content[0]
        )
        return Body(
            python_name="data",
            media_type=primary.media_type,
            type=primary.type,
            kind=primary.kind,
            content=content,
            required=body.get("required") is True,
            description=text_field(body, "description"),
            extensions=extensions_of(body),
        )

    def responses(self, raw: Any, pointer: str, hint: str) -> tuple[ResponseSpec, ...]:
        if not isinstance(raw, dict):
            self.report.warn(pointer, "operation without responses")
            return ()
        found = []
        for status, item in raw.items():
            if status.startswith("x-"):
                continue  # an extension of the Responses object (`responses_extensions`)
            response, response_pointer = self.resolve(item, join_pointer(pointer, status))
            if not isinstance(response, dict):
                continue
            code = int(status) if status.isdigit() else None
            component = re.match(r"^/components/responses/([^/]+)$", response_pointer)
            suffix = "" if status == "200" else pascal_name(status)
            own_hint = (
                pascal_name(f"{component.group(1)} Response")
                if component
                else f"{hint}Response{suffix}"
            )
            content = self.content(response.get("content"), f"{response_pointer}/content", own_hint)
            headers = self.headers(response.get("headers"), f"{response_pointer}/headers", own_hint)
            if content and code is not None and (code < 200 or code in (204, 304)):
                self.report.warn(
                    f"{response_pointer}/content",
                    f"a {code} response has no content (RFC 9110): its content is documented "
                    "as written, never sent",
                )
            primary = next(
                (c for c in content if c.kind == "json"), content[0] if content else None
            )
            if primary is not None and primary.type is not None:
                self._null_content(primary.type, response_pointer)
            found.append(
                ResponseSpec(
                    status=status,
                    kind=response_kind(code, status, primary),
                    status_code=code,
                    description=text_field(response, "description") or "",
                    media_type=primary.media_type if primary else None,
                    type=primary.type if primary else None,
                    content=content,
                    headers=headers,
                    links=self.links(response.get("links"), f"{response_pointer}/links"),
                    empty_content=response.get("content") == {},
                    extensions=extensions_of(response),
                    empty_headers=response.get("headers") == {},
                )
            )
        return tuple(found)

    def _null_content(self, type_: TypeRef, pointer: str) -> None:
        """A handler's None is no content (an empty body): a response of only `null` is sent so."""
        if isinstance(self.schemas.unalias(type_), NoneType):
            self.report.warn(
                pointer,
                "response content is only `null`: served as no content (a handler's None is an "
                "empty body), so its media type is not sent",
            )

    def links(self, raw: Any, pointer: str) -> dict[str, Any]:
        """A response's Link objects by name, each `$ref` resolved (carried as documentation)."""
        if not isinstance(raw, dict):
            return {}
        found: dict[str, Any] = {}
        for name, item in raw.items():
            link, _ = self.resolve(item, join_pointer(pointer, str(name)))
            if isinstance(link, dict):
                found[str(name)] = link
        return found

    def headers(self, raw: Any, pointer: str, hint: str) -> tuple[HeaderSpec, ...]:
        if not isinstance(raw, dict):
            return ()
        found = []
        for name, item in raw.items():
            header, header_pointer = self.resolve(item, join_pointer(pointer, name))
            if not isinstance(header, dict):
                continue
            if name.lower() == "content-type":
                self.report.warn(
                    header_pointer, "response header Content-Type is ignored (OpenAPI rule)"
                )
                continue
            schema = header.get("schema")
            content = header.get("content")
            schema_pointer = f"{header_pointer}/schema"
            media_type: str | None = None
            if schema is None and isinstance(content, dict) and content:
                media_type = next(iter(content))
                schema = (
                    (content[media_type] or {}).get("schema")
                    if isinstance(content[media_type], dict)
                    else None
                )
                schema_pointer = join_pointer(header_pointer, "content", media_type, "schema")
            type_ = (
                self.schemas.type_of(schema, schema_pointer, pascal_name(f"{hint} {name} Header"))
                if schema is not None
                else PrimitiveType("str")
            )
            found.append(
                HeaderSpec(
                    name=name,
                    python_name=name,
                    type=type_,
                    description=text_field(header, "description"),
                    required=header.get("required") is True,
                    deprecated=header.get("deprecated") is True,
                    is_cache_control=name.lower() == "cache-control",
                    is_etag=name.lower() == "etag",
                    example=header.get("example", UNSET),
                    examples=examples_of(header, self.follow),
                    extensions={k: v for k, v in header.items() if k.startswith("x-")},
                    media_type=media_type,
                )
            )
        names = assign_unique((h.name, snake_name(h.name), h.name) for h in found)
        return tuple(replace_node(h, python_name=names[h.name]) for h in found)


def replace_node(node: Any, **changes: Any) -> Any:
    """`node` (an IR Struct) with the given fields changed."""
    import msgspec

    return msgspec.structs.replace(node, **changes)


def text_field(node: dict[str, Any], key: str) -> str | None:
    """`node[key]` when it is a string, else None."""
    value = node.get(key)
    return value if isinstance(value, str) else None


def _encoding(entry: dict[str, Any]) -> dict[str, Any] | None:
    """A media type's `encoding` map as written (documentation: how each property is sent)."""
    encoding = entry.get("encoding")
    return dict(encoding) if isinstance(encoding, dict) else None
