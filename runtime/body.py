"""Request body decoding: JSON, MessagePack, URL-encoded and multipart forms, and XML into the
declared type."""

from __future__ import annotations

import dataclasses
import functools
import re
import sys
import typing
from typing import Any, get_args
from urllib.parse import parse_qsl

import msgspec

from .datastructures.accept import media_range_covers
from .enums import MediaType
from .exceptions import (
    ClientException,
    ImproperlyConfiguredException,
    UnsupportedMediaTypeException,
)
from .extra_keys import holds_extra_keys, read_extra_keys
from .signature import (
    BodySpec,
    array_items,
    find_custom_type,
    needs_decode_hook,
    non_none,
    type_info_or_none,
    unwrap_annotated,
)
from .untagged import decode_untagged, decode_untagged_text
from .xml_body import XMLTypeReader, is_xml

__all__ = [
    "FORM_URLENCODED",
    "MSGPACK_TYPES",
    "MULTIPART_FORM",
    "BodyDecoder",
    "validation_error_entry",
]

FORM_URLENCODED = "application/x-www-form-urlencoded"
MULTIPART_FORM = "multipart/form-data"
MSGPACK_TYPES = frozenset(
    {MediaType.MESSAGEPACK.value, "application/msgpack", "application/vnd.msgpack"}
)
_AT_RE = re.compile(r"^(?P<message>.*?)(?: - at `(?P<path>[^`]*)`)?$", re.DOTALL)


def validation_error_entry(error: Exception, source: str, default_key: str) -> dict[str, str]:
    """One `extra` entry for a msgspec error: the failing key, its source and the message."""
    match = _AT_RE.match(str(error))
    message, path = (match.group("message"), match.group("path")) if match else (str(error), None)
    key = default_key
    if path and path != "$":
        key = path[2:] if path.startswith("$.") else path[1:]
    return {"key": key, "source": source, "message": message}


_STEP_RE = re.compile(r"\.([^.\[]+)|\[(\d+)\]|\[\.\.\.\]")


def _json_pointer(path: str | None) -> str:
    """The JSON pointer (RFC 6901) into the body of a msgspec error path (`$.tags[0]`:
    `/tags/0`). msgspec names no map key (`[...]`): the pointer then stops at the map."""
    steps: list[str] = []
    for match in _STEP_RE.finditer((path or "$")[1:]):
        name, index = match.groups()
        if name is None and index is None:
            break
        steps.append(_escaped(name) if name is not None else index)
    return "".join(f"/{step}" for step in steps)


def _escaped(name: str) -> str:
    return name.replace("~", "~0").replace("/", "~1")


def _object_fields(annotation: Any) -> list[tuple[str, Any, bool]] | None:
    """(wire name, type, required) of a Struct, dataclass or TypedDict body, else None."""
    base, _ = unwrap_annotated(annotation)
    if not isinstance(base, type):
        return None
    if issubclass(base, msgspec.Struct):
        return [(f.encode_name, f.type, f.required) for f in msgspec.structs.fields(base)]
    try:
        hints = typing.get_type_hints(base, include_extras=True)
    except Exception:  # no second pass for types whose hints do not resolve
        return None
    if dataclasses.is_dataclass(base):
        return [
            (f.name, hints.get(f.name, Any), _dataclass_field_required(f))
            for f in dataclasses.fields(base)
        ]
    required_keys = getattr(base, "__required_keys__", None)
    if required_keys is not None:  # a TypedDict
        return [(name, hint, name in required_keys) for name, hint in hints.items()]
    return None


def _dataclass_field_required(f: dataclasses.Field[Any]) -> bool:
    return f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING


def _holds_bytes(info: msgspec.inspect.Type) -> bool:
    """Whether a type is `bytes` (or a list of, or a union with it): its parts stay bytes."""
    types = [info]
    while types:
        current = types.pop()
        if isinstance(current, msgspec.inspect.UnionType):
            types.extend(current.types)
        elif isinstance(current, msgspec.inspect.ListType):
            types.append(current.item_type)
        elif isinstance(current, msgspec.inspect.Metadata):
            types.append(current.type)
        elif isinstance(current, msgspec.inspect.BytesType):
            return True
    return False


def _contains_pydantic(annotation: Any) -> bool:
    pydantic = sys.modules.get("pydantic")
    if pydantic is None:
        return False
    base, _ = unwrap_annotated(annotation)
    if isinstance(base, type) and issubclass(base, pydantic.BaseModel):
        return True
    return any(_contains_pydantic(arg) for arg in get_args(base))


class BodyDecoder:
    """Decodes a request body for one handler; decoders are built once, at start-up."""

    def __init__(self, spec: BodySpec, owner: str) -> None:
        self.spec = spec
        base, _ = unwrap_annotated(spec.annotation)
        inner = non_none(base)  # `bytes | None` is raw bytes too (absent: the default)
        self.raw = inner if inner in (bytes, str) else None
        self.media_type = str(spec.kwarg.media_type) if spec.kwarg else MediaType.JSON.value
        self._adapter: Any = None
        annotation = spec.annotation
        if _contains_pydantic(annotation):
            import pydantic

            self._adapter = pydantic.TypeAdapter(annotation)
            annotation = Any
        try:
            self._hook = decode_untagged if needs_decode_hook(annotation) else None
            self._json = msgspec.json.Decoder(annotation, dec_hook=self._hook)
        except TypeError as exc:
            raise ImproperlyConfiguredException(
                f"{owner}: unsupported request body type {spec.annotation!r} ({exc})"
            ) from exc
        custom = find_custom_type(annotation)
        if custom is not None:
            raise ImproperlyConfiguredException(
                f"{owner}: unsupported request body type {spec.annotation!r} "
                f"({custom!r} cannot be decoded)"
            )
        self._annotation = annotation
        self._extra_keys = holds_extra_keys(annotation)  # kept from the document: a second read
        declared = spec.kwarg.media_types if spec.kwarg and spec.kwarg.media_types else ()
        xml = any(map(is_xml, (*declared, self.media_type)))
        info = type_info_or_none(annotation) if xml else None
        self._xml = XMLTypeReader(info) if info is not None else None

    # What only some bodies need is read at the first of them: most bodies are JSON, and
    # msgspec's type information of every body's models is a large part of a large app's
    # start-up (the JSON decoder, built above, is what checks the type).

    @functools.cached_property
    def _msgpack(self) -> msgspec.msgpack.Decoder[Any]:
        return msgspec.msgpack.Decoder(self._annotation, dec_hook=self._hook)

    @functools.cached_property
    def _info(self) -> msgspec.inspect.Type | None:
        return type_info_or_none(self._annotation)

    @functools.cached_property
    def _form_lists(self) -> frozenset[str]:
        """Wire names of the fields a form repeats (lists, sets, variadic tuples)."""
        return self._sequence_fields(getattr(self._info, "fields", ()))

    @functools.cached_property
    def _bytes_fields(self) -> frozenset[str]:
        return self._bytes_typed(getattr(self._info, "fields", ()))

    @functools.cached_property
    def _bytes_parts(self) -> bool | None:
        """An array body's multipart parts are positional (OpenAPI 3.2): each part is one
        item, kept as bytes when the items are bytes, else read as text; None: not an array."""
        items = array_items(self._info)
        return None if items is None else _holds_bytes(items)

    @staticmethod
    def _sequence_fields(fields: Any) -> frozenset[str]:
        return frozenset(
            f.encode_name
            for f in fields
            if isinstance(
                f.type,
                msgspec.inspect.ListType | msgspec.inspect.SetType | msgspec.inspect.VarTupleType,
            )
        )

    @staticmethod
    def _bytes_typed(fields: Any) -> frozenset[str]:
        """Wire names of `bytes` fields (or lists of them): multipart keeps them bytes."""
        return frozenset(f.encode_name for f in fields if _holds_bytes(f.type))

    def accepts(self, content_type: str) -> str:
        """The decoding to use for a content type (`json`, `msgpack`, `form`), or raise 415."""
        declared = self.spec.kwarg.media_types if self.spec.kwarg else None
        if declared is not None:
            return self._declared_kind(content_type, declared)
        content_type = content_type or self.media_type  # none sent: the one documented
        if content_type == MediaType.JSON or content_type.endswith("+json"):
            return "json"
        if content_type in MSGPACK_TYPES:
            return "msgpack"
        if content_type == FORM_URLENCODED and self.media_type == FORM_URLENCODED:
            return "form"
        if content_type == MULTIPART_FORM and self.media_type == MULTIPART_FORM:
            return "multipart"
        if is_xml(content_type) and content_type == self.media_type:
            return "xml"
        if (
            self.media_type not in (MediaType.JSON, *MSGPACK_TYPES)
            and content_type == self.media_type
        ):
            return "json" if self.media_type.endswith("+json") else "raw"
        raise UnsupportedMediaTypeException(
            f"Unsupported content-type {content_type!r}; expected {self.media_type}"
            + (f" or {MediaType.MESSAGEPACK}" if self.media_type == MediaType.JSON else "")
        )

    def _declared_kind(self, content_type: str, declared: tuple[str, ...]) -> str:
        """Only the declared media types are accepted; a range (`*/*`, `image/*`) takes what it
        covers, decoded as that type is. A body without a content-type is read as the declared
        media type when there is exactly one, else refused (415): nothing says which it is."""
        if not content_type and len(declared) != 1:
            raise UnsupportedMediaTypeException(
                f"A request body needs a content-type: one of {list(declared)}"
            )
        chosen = content_type or declared[0]
        if chosen not in declared and not any(media_range_covers(r, chosen) for r in declared):
            raise UnsupportedMediaTypeException(
                f"Unsupported content-type {content_type!r}; expected one of {list(declared)}"
            )
        if chosen == MediaType.JSON or chosen.endswith("+json"):
            return "json"
        if chosen in MSGPACK_TYPES:
            return "msgpack"
        if chosen == FORM_URLENCODED:
            return "form"
        if chosen == MULTIPART_FORM:
            return "multipart"
        if is_xml(chosen):
            return "xml"
        if chosen.endswith("/*"):  # none sent, and a range declared first: JSON, the default
            return "json"
        return "raw"

    def decode(self, content_type: str, body: bytes, header: str = "") -> Any:
        """The body as the declared type; raises ClientException/415 on bad input.

        `content_type` is the bare media type; `header` the whole Content-Type header (a
        multipart body needs its boundary). A document nested deeper than the interpreter's
        recursion limit (msgspec's and every later pass's) is a 400, never a 500.
        """
        try:
            return self._decode(content_type, body, header)
        except RecursionError:
            message = "The request body is nested too deeply"
            raise ClientException(
                message, extra=[{"key": "data", "source": "body", "message": message}]
            ) from None

    def _decode(self, content_type: str, body: bytes, header: str) -> Any:
        if not body:  # an empty body is an absent one, whatever the declared type
            if not self.spec.required:
                return self.spec.default
            raise ClientException(
                "Validation failed: request body is required",
                extra=[{"key": "data", "source": "body", "message": "Request body is required"}],
            )
        if self.raw is not None and self.spec.kwarg and self.spec.kwarg.media_types:
            # declared media types: a JSON one carries a JSON string (bytes as base64 text, the
            # only way JSON holds octets), the others raw content
            if self.accepts(content_type) not in ("json", "msgpack"):
                return body if self.raw is bytes else body.decode("utf-8", errors="replace")
        elif self.raw is bytes:
            return body
        elif self.raw is str:
            return body.decode("utf-8", errors="replace")
        kind = self.accepts(content_type)
        form: dict[str, Any] = {}
        try:
            if kind == "json":
                value = self._typed(self._json, kind, body)
            elif kind == "msgpack":
                value = self._typed(self._msgpack, kind, body)
            elif kind == "form":
                pairs = parse_qsl(body.decode("latin-1"), keep_blank_values=True)
                for key, item in pairs:
                    self._add_field(form, key, item)
                value = _convert_text(form, self._annotation)
            elif kind == "multipart":
                parts = self._multipart_fields(header or content_type, body)
                if self._bytes_parts is not None:  # an array: the parts in order, names aside
                    value = _convert_text([part for _, part in parts], self._annotation)
                else:
                    for name, part in parts:
                        self._add_field(form, name, part)
                    value = _convert_text(form, self._annotation)
            elif kind == "xml" and self._xml is not None:  # built at start-up where declared
                read = self._xml.read(body)
                form = read if isinstance(read, dict) else {}
                value = _convert_text(read, self._annotation)
            else:
                return body
            if self._extra_keys:
                is_text = kind in ("form", "multipart", "xml")
                document = form if is_text else self._untyped(kind, body)
                hook = decode_untagged_text if is_text else decode_untagged
                read_extra_keys(value, document, strict=not is_text, dec_hook=hook)
        except msgspec.ValidationError as exc:
            # msgspec stops at the first bad field; a second pass names every one of them
            is_form = kind in ("form", "multipart", "xml")
            raw = form if is_form else self._untyped(kind, body)
            if not is_form:
                _integers_of_whole_floats(raw)  # as the decode read them
            extra = self._field_errors(raw, strict=not is_form)
            if not extra:
                match = _AT_RE.match(str(exc))
                pointer = _json_pointer(match.group("path") if match else None)
                extra = [validation_error_entry(exc, "body", "data") | {"pointer": pointer}]
            raise ClientException("Validation failed for request body", extra=extra) from None
        except (msgspec.DecodeError, UnicodeDecodeError, ValueError) as exc:  # msgpack: bad UTF-8
            raise ClientException(
                f"Malformed request body: {exc}",
                extra=[{"key": "data", "source": "body", "message": str(exc)}],
            ) from None
        if self._adapter is not None:
            value = self._validate_pydantic(value)
        return value

    def _typed(self, decoder: Any, kind: str, body: bytes) -> Any:
        """A JSON or MessagePack body decoded into its type. JSON Schema's integers are the
        numbers without a fraction (`1.0`, `1e3`): where one is refused as a float, the body is
        read again with its whole floats as integers (only then: a valid body costs nothing)."""
        try:
            return decoder.decode(body)
        except msgspec.ValidationError:
            document = self._untyped(kind, body)
            if not _integers_of_whole_floats(document):
                raise
        hook = decode_untagged if needs_decode_hook(self._annotation) else None
        return msgspec.convert(document, self._annotation, dec_hook=hook)

    def _add_field(self, form: dict[str, Any], key: str, item: Any) -> None:
        if key in self._form_lists:
            form.setdefault(key, []).append(item)
        else:
            form[key] = item

    def _multipart_fields(self, header: str, body: bytes) -> list[tuple[str, str | bytes]]:
        """(name, value) of each part: bytes for files and `bytes` fields (or items), else text.

        A body that is not a complete multipart form with a boundary, or a part without a
        name, raises ValueError (a 400).
        """
        import multipart  # type: ignore[import-untyped]  # typed, without a py.typed marker

        fields: list[tuple[str, str | bytes]] = []
        for segment, data in _multipart_parts(header, body):
            disposition = segment.header("Content-Disposition", "")
            if "name" not in multipart.parse_options_header(disposition)[1]:
                raise ValueError("a part without a name in its Content-Disposition")
            name = segment.name or ""
            if self._bytes_parts is not None:
                as_bytes = self._bytes_parts
            else:  # a file, also one named only in RFC 5987 form (`filename*=`)
                is_file = segment.filename is not None or "filename*" in disposition
                as_bytes = is_file or name in self._bytes_fields
            if as_bytes:
                fields.append((name, data))
            else:
                try:
                    fields.append((name, data.decode(segment.charset or "utf-8")))
                except LookupError:
                    raise ValueError(f"unknown charset {segment.charset!r}") from None
        return fields

    def _untyped(self, kind: str, body: bytes) -> Any:
        try:
            return msgspec.json.decode(body) if kind == "json" else msgspec.msgpack.decode(body)
        except (msgspec.DecodeError, UnicodeDecodeError):
            return None

    def _field_errors(self, raw: Any, strict: bool) -> list[dict[str, str]]:
        """Every failing top-level field of an object body (only called once a decode failed)."""
        fields = _object_fields(self._annotation)
        if fields is None or not isinstance(raw, dict):
            return []
        errors: list[dict[str, str]] = []
        for wire_name, field_type, required in fields:
            if wire_name not in raw:
                if required:
                    message = f"Object missing required field `{wire_name}`"
                    errors.append(
                        {"key": wire_name, "source": "body", "message": message, "pointer": ""}
                    )
                continue
            try:
                hook = decode_untagged if strict else decode_untagged_text
                msgspec.convert(raw[wire_name], field_type, strict=strict, dec_hook=hook)
            except msgspec.ValidationError as exc:
                entry = validation_error_entry(exc, "body", wire_name)
                match = _AT_RE.match(str(exc))
                within = _json_pointer(match.group("path") if match else None)
                entry["pointer"] = f"/{_escaped(wire_name)}{within}"
                if entry["key"] != wire_name:
                    separator = "" if entry["key"].startswith("[") else "."
                    entry["key"] = f"{wire_name}{separator}{entry['key']}"
                errors.append(entry)
        return errors

    def _validate_pydantic(self, value: Any) -> Any:
        import pydantic

        try:
            return self._adapter.validate_python(value)
        except pydantic.ValidationError as exc:
            extra = [
                {
                    "key": ".".join(str(part) for part in error["loc"]) or "data",
                    "source": "body",
                    "message": error["msg"],
                }
                for error in exc.errors()
            ]
            raise ClientException("Validation failed for request body", extra=extra) from None


def _multipart_parts(header: str, body: bytes) -> list[tuple[Any, bytes]]:
    """Each part of a multipart body (a `multipart.MultipartSegment`) with its content, read
    by `multipart`'s push parser, imported at the first multipart body (4 ms CPU, some 4% of
    importing the runtime, which most apps never need)."""
    import multipart

    boundary = multipart.parse_options_header(header)[1].get("boundary")
    if not boundary:
        raise ValueError("not a multipart/form-data body with a boundary")
    parts: list[tuple[Any, bytes]] = []
    chunks: list[bytes] = []
    try:
        with multipart.PushMultipartParser(boundary) as parser:
            for event in parser.parse(body):
                if isinstance(event, multipart.MultipartSegment):
                    parts.append((event, b""))
                    chunks = []
                elif event is not None:
                    chunks.append(event)
                else:  # the end of the part
                    parts[-1] = (parts[-1][0], b"".join(chunks))
    except multipart.MultipartError as exc:
        raise ValueError(f"malformed multipart body: {exc}") from None
    return parts


def _integers_of_whole_floats(document: Any) -> bool:
    """Turn every float without a fraction in a decoded document into an int, in place (JSON
    Schema: `1.0` is the integer 1); whether there was one. Iterative: any depth msgspec read."""
    found = False
    stack = [document]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            items: Any = node.items()
        elif isinstance(node, list):
            items = enumerate(node)
        else:
            continue
        for key, item in items:
            if isinstance(item, float) and item.is_integer():
                node[key] = int(item)
                found = True
            elif isinstance(item, dict | list):
                stack.append(item)
    return found


def _convert_text(value: Any, annotation: Any) -> Any:
    """Form fields or an XML document (text throughout) into the body's type."""
    return msgspec.convert(value, annotation, strict=False, dec_hook=decode_untagged_text)
