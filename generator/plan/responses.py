"""Responses: the return annotation and media type of a handler, response headers, and the
`ResponseSpec` documentation of every response an operation declares."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from msgspec import UNSET

from ..content import is_xml
from ..errors import SpecWarning
from ..ir import (
    Api,
    HeaderSpec,
    ModelRef,
    NoneType,
    Operation,
    PrimitiveType,
    ResponseSpec,
    TypeRef,
    without_none,
)
from ..render.pyexpr import Imports, literal, type_expr
from .parameters import content_argument, example_arguments
from .views import Arg, Call, DictOf, ListOf, Value

__all__ = [
    "body_allowed",
    "declarable",
    "documented_bytes",
    "header_call",
    "negotiated",
    "response_examples",
    "response_spec",
    "return_annotation",
    "returned_response",
    "sent_media_types",
    "status_response",
    "success_headers",
    "typed_header",
    "written_otherwise",
]

TOKEN = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")  # an RFC 9110 field name


def status_response(operation: Operation) -> ResponseSpec | None:
    """The response of the operation's success status code (`content.primary_response` chose
    that code; a range such as `2XX` has no response of its own code)."""
    for response in operation.responses:
        if response.status_code == operation.status_code:
            return response
    return None


def returned_response(operation: Operation) -> ResponseSpec | None:
    """The response the handler returns: that of its status, else the range that holds its
    status (`2XX`), which the spec documents in place of a response of the status itself."""
    exact = status_response(operation)
    if exact is not None:
        return exact
    covering = f"{operation.status_code // 100}XX"
    return next((r for r in operation.responses if r.status.upper() == covering), None)


def body_allowed(status: int | None) -> bool:
    """Whether a response of this status may have a body."""
    return status is None or (status >= 200 and status not in (204, 304))


def _is_text_type(api: Api, type_: TypeRef | None) -> bool:
    """Whether the runtime sees `type_` as str/bytes (whose default media type is text)."""
    inner = without_none(type_) if type_ is not None else NoneType()
    seen: set[str] = set()
    while isinstance(inner, ModelRef) and inner.name not in seen:
        seen.add(inner.name)
        model = api.model(inner.name)
        if model.kind != "alias" or model.target is None:
            return False
        inner = model.target
    return isinstance(inner, PrimitiveType) and inner.kind in ("str", "email", "uri", "bytes")


def _text_schema(type_: TypeRef) -> bool:
    """Whether text content's type is a string schema (or a model) its `str` annotation says."""
    inner = without_none(type_)
    return isinstance(inner, ModelRef) or (
        isinstance(inner, PrimitiveType) and inner.kind in ("str", "email", "uri")
    )


def _text_annotation(api: Api, type_: TypeRef | None, imports: Imports) -> str:
    """`str`, with the schema's constraints and docs when it is a string schema."""
    if type_ is not None and _is_text_type(api, type_):
        inner = without_none(type_)
        if not (isinstance(inner, PrimitiveType) and inner.kind == "bytes"):
            return type_expr(inner, imports, model_prefix="m.")
    return "str"


_RESPONSE_CLASSES = {
    "redirect": ("Redirect", False),  # (class, whether the decorator names the media type)
    "binary": ("File", True),
    "sse": ("ServerSentEvent", False),
    "stream": ("Stream", True),
}


def return_annotation(
    api: Api, response: ResponseSpec | None, imports: Imports
) -> tuple[str, str | None]:
    """(return annotation for the stub, media type for the decorator or None).

    The annotation is the value's type: the caller wraps it in `Response[...]` when the
    handler sets headers too (never for the response classes: redirects, files, streams).
    """
    if response is None or response.kind == "empty" or not body_allowed(response.status_code):
        return "None", None
    media_type = response.media_type
    if response.kind in _RESPONSE_CLASSES:
        name, named = _RESPONSE_CLASSES[response.kind]
        imports.add("specloom.runtime.response", name)
        return name, media_type if named else None
    if response.kind == "text":
        annotation = _text_annotation(api, response.type, imports)
    else:
        annotation = type_expr(response.type or NoneType(), imports, model_prefix="m.")
    # JSON is the default media type, except for str (text/plain): then it is named
    default_json = response.kind == "text" or not _is_text_type(api, response.type)
    explicit = None if media_type in (None, "application/json") and default_json else media_type
    return annotation, explicit


def wraps_value(response: ResponseSpec | None) -> bool:
    """Whether the handler's annotation is a value's type (`Response[T]` can carry it)."""
    if response is None or response.kind == "empty" or not body_allowed(response.status_code):
        return False
    return response.kind not in _RESPONSE_CLASSES


def negotiated(response: ResponseSpec | None) -> list[str]:
    """The media types a typed response is offered in (the primary first), when several.

    JSON and XML content of the same type: the runtime encodes the value in the one the
    request's Accept header prefers.
    """
    if response is None or response.kind != "json" or not body_allowed(response.status_code):
        return []
    offered = [
        c.media_type
        for c in response.content
        if c.type == response.type and (c.kind == "json" or is_xml(c.media_type))
    ]
    if len(offered) < 2 or response.media_type not in offered:
        return []
    return [response.media_type or "", *(m for m in offered if m != response.media_type)]


def typed_header(header: HeaderSpec) -> bool:
    """Cache-Control and ETag get their typed declarations when a description is all they say.

    (Without a description the runtime would document its own: a plain ResponseHeader says
    exactly what the spec says.)
    """
    plain = without_none(header.type) == PrimitiveType("str")
    said = header.required or header.deprecated or header.examples or header.example is not UNSET
    said = said or bool(header.extensions) or header.media_type is not None
    typed = header.is_cache_control or header.is_etag
    return typed and plain and not said and header.description is not None


def header_call(header: HeaderSpec, imports: Imports) -> Call:
    """`ResponseHeader(...)`, or the typed `CacheControlHeader(...)`/`ETag(...)`."""
    if typed_header(header) and (header.is_cache_control or header.is_etag):
        name = "CacheControlHeader" if header.is_cache_control else "ETag"
        imports.add("specloom.runtime.datastructures", name)
        arguments = [Arg("documentation_only", "True")]
        if header.description:
            arguments.append(Arg("description", literal(header.description)))
        return Call(name, tuple(arguments))
    return plain_header_call(header, imports)


def plain_header_call(header: HeaderSpec, imports: Imports) -> Call:
    """`ResponseHeader(...)`: the header as written, whatever its name."""
    imports.add("specloom.runtime.datastructures", "ResponseHeader")
    arguments = [Arg("name", literal(header.name)), Arg("documentation_only", "True")]
    if header.description is not None:
        arguments.append(Arg("description", literal(header.description)))
    if header.required:
        arguments.append(Arg("required", "True"))
    if header.deprecated:
        arguments.append(Arg("deprecated", "True"))
    schema = without_none(header.type)
    if schema != PrimitiveType("str"):
        arguments.append(Arg("schema", type_expr(header.type, imports, model_prefix="m.")))
    arguments += example_arguments(header.example, header.examples or None)
    if header.extensions:  # the header object's `x-` keys, written back as they are
        arguments.append(Arg("extensions", literal(header.extensions)))
    if header.media_type is not None:
        arguments.append(Arg("media_type", literal(header.media_type)))
    return Call("ResponseHeader", tuple(arguments))


def documented_bytes(api: Api, response: ResponseSpec) -> bool:
    """A binary response whose schema is a named, described one (`TicketCodeImage`) or an
    inline one with docs (a title, a description...), or a stream whose items have a schema:
    the declaration documents what the bytes hold."""
    if response.kind == "stream":
        inner = without_none(response.type) if response.type is not None else None
        return inner is not None and not (
            isinstance(inner, PrimitiveType) and inner.kind == "bytes"
        )
    if response.kind != "binary" or response.type is None:
        return False
    if not isinstance(response.type, ModelRef):  # an inline schema with docs of its own
        return not isinstance(response.type, NoneType) and response.type.docs is not None
    model = api.model(response.type.name)
    return model.kind == "alias" and bool(model.description or model.title)


def _response_type(api: Api, response: ResponseSpec, imports: Imports, typed: bool) -> str:
    if response.kind in ("empty", "redirect") or response.type is None:
        return "None"
    if typed:
        return type_expr(response.type, imports, model_prefix="m.")
    if response.kind in ("binary", "stream"):
        return "bytes"
    if response.kind in ("text", "sse"):
        return _text_annotation(api, response.type, imports)
    return type_expr(response.type, imports, model_prefix="m.")


def response_spec(
    api: Api,
    response: ResponseSpec,
    imports: Imports,
    *,
    typed: bool = False,
    sent: Sequence[str] | None = None,
    primary: bool = False,
) -> Call:
    """`ResponseSpec(...)`; `typed`: a binary response's own (documented) type, not `bytes`.

    `sent`: the media types the handler sends (at the success status). Content the handler
    does not send as written, several media types, or a media type without a schema are
    documented by `content={...}`: each media type with the type its schema was written as.
    The success (`primary`) response's typed Cache-Control and ETag are the decorator's; any
    other response (a 304) declares them as the plain headers they are written as.
    """
    imports.add("specloom.runtime.openapi", "ResponseSpec")
    if written_otherwise(response, sent):
        arguments = [
            Arg("description", literal(response.description)),
            Arg("content", content_argument(response.content, imports)),
        ]
    else:
        arguments = [
            Arg("", _response_type(api, response, imports, typed)),
            Arg("description", literal(response.description)),
        ]
        if response.media_type and response.media_type != "application/json":
            arguments.append(Arg("media_type", literal(response.media_type)))
        arguments += response_examples(response)
    headers = [
        header_call(h, imports) if primary else plain_header_call(h, imports)
        for h in response.headers
        if not (primary and typed_header(h)) and TOKEN.match(h.name)
    ]
    if headers or response.empty_headers:  # an empty `headers: {}` is carried too
        arguments.append(Arg("headers", ListOf(tuple(headers))))
    if response.links:
        arguments.append(Arg("links", literal(response.links)))
    if response.extensions:
        arguments.append(Arg("extensions", literal(response.extensions)))
    return Call("ResponseSpec", tuple(arguments))


def written_otherwise(response: ResponseSpec, sent: Sequence[str] | None) -> bool:
    """Whether the response's content needs `content={...}` to be documented as written:
    several media types (beyond those `sent`), a schema other than the type the content is
    handled as (an object schema on text, `type: string` on octets; text of any type is sent
    as a str), no schema, examples
    on another media type than the primary one, content on a status without any, or
    `content: {}`."""
    content = response.content
    if not content:
        return response.empty_content
    if sent is None and (len(content) > 1 or not body_allowed(response.status_code)):
        return True
    for entry in content:
        if entry.documented is None or entry.documented != entry.type:
            return True
        if entry.encoding is not None or entry.extensions:
            return True
        if entry.kind == "text" and not _text_schema(entry.type):  # sent as a plain str
            return True
        if sent is not None and entry.media_type not in sent:
            return True
        examples = entry.example is not UNSET or entry.examples is not None
        if examples and entry.media_type != response.media_type:
            return True
    return False


def sent_media_types(op: Operation, response: ResponseSpec | None) -> list[str]:
    """The media types the runtime documents the handler's success response in."""
    if response is None or response.kind in ("empty", "redirect") or op.method.lower() == "head":
        return []
    if not body_allowed(response.status_code) or response.media_type is None:
        return []
    return negotiated(response) or [response.media_type]


def response_examples(response: ResponseSpec) -> list[Arg]:
    """`example=`/`examples=` of the response's primary media type."""
    primary = next((c for c in response.content if c.media_type == response.media_type), None)
    return [] if primary is None else example_arguments(primary.example, primary.examples)


def responses_argument(
    api: Api, op: Operation, primary: ResponseSpec | None, imports: Imports
) -> DictOf | None:
    """`responses={status: ResponseSpec(...)}`: the other responses, and the success one
    when it documents more than the decorator says (examples, links, extensions, empty
    headers, a File's schema, content written otherwise than it is sent)."""
    extra = [r for r in op.responses if r is not primary]
    documented = primary is not None and documented_bytes(api, primary)
    sent = sent_media_types(op, primary)
    otherwise = primary is not None and written_otherwise(primary, sent)
    if primary is not None and (
        response_examples(primary)
        or primary.links
        or primary.extensions
        or primary.empty_headers
        or documented
        or otherwise
    ):
        extra.insert(0, primary)
    if not extra and not op.responses_extensions:
        return None
    entries: list[tuple[str, Value]] = []
    for response in extra:
        key = (
            str(response.status_code)
            if response.status_code is not None
            else literal(response.status)
        )
        typed = documented and response is primary  # a File's schema, for its docs only
        own = sent if response is primary else None
        spec = response_spec(
            api, response, imports, typed=typed, sent=own, primary=response is primary
        )
        entries.append((key, spec))
    # the Responses object's `x-` keys, as written (the runtime documents them beside)
    entries += [(literal(key), literal(value)) for key, value in op.responses_extensions.items()]
    return DictOf(tuple(entries))


def declarable(
    headers: Iterable[HeaderSpec], pointer: str, warnings: list[SpecWarning]
) -> list[HeaderSpec]:
    """The headers whose names are valid field names (others are reported, not declared)."""
    kept = []
    for header in headers:
        if TOKEN.match(header.name):
            kept.append(header)
        else:
            warnings.append(
                SpecWarning(
                    pointer, f"response header {header.name!r} is not a valid header name: left out"
                )
            )
    return kept


def success_headers(operation: Operation) -> list[HeaderSpec]:
    """The declarable headers of the operation's success response."""
    response = status_response(operation)
    if response is None:
        return []
    return [header for header in response.headers if TOKEN.match(header.name)]
