"""XML bodies, read and written by the declared type and the rules of OpenAPI's XML object.

Reading: the element tree becomes plain data shaped like the type (a dict per object, a list
per array, text for everything else), which `msgspec.convert(..., strict=False)` then validates
and converts exactly as it does URL-encoded form fields. Writing: the value becomes plain data
(`msgspec.to_builtins`, so wire names, enums, dates and UNSET are as in JSON) and then elements.

A field's element is its wire name, or the `name` of the `xml` object in its
`Meta(extra_json_schema=...)`; `attribute: true` makes it an attribute; arrays repeat their
items' element (the items' `xml` name, else their class's `schema_docs(xml=...)` name, else the
field's), or sit in a wrapper element with `wrapped: true`. A document's root element is the
type's `xml` name, else its class name (`items` for an array). Namespaces are ignored when
reading (local names are matched). A `str` or `bytes` value is written as it is: it is the
document.

A document with a DOCTYPE is refused as the parser meets it, in whatever encoding the document
is written: entities can only be declared there, so nothing in a request body can expand an
entity or fetch anything (what defusedxml's `forbid_dtd` does, at the C parser's speed).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any
from xml.etree import ElementTree

import msgspec

from .types import SCHEMA_DOCS_ATTRIBUTE

__all__ = ["XMLTypeReader", "XMLTypeWriter", "is_xml"]

_OBJECTS = (
    msgspec.inspect.StructType,
    msgspec.inspect.DataclassType,
    msgspec.inspect.TypedDictType,
)
_ARRAYS = (msgspec.inspect.ListType, msgspec.inspect.SetType, msgspec.inspect.VarTupleType)
_NOTHING = (msgspec.inspect.NoneType,)  # (msgspec.inspect leaves UnsetType out of unions)


def is_xml(media_type: str) -> bool:
    """`application/xml`, `text/xml` and every `+xml` type."""
    return media_type.endswith("/xml") or media_type.endswith("+xml")


def _unwrap(info: msgspec.inspect.Type) -> tuple[msgspec.inspect.Type, dict[str, Any]]:
    """The type without its Meta and None/UNSET alternatives, and its `xml` options."""
    options: dict[str, Any] = {}
    while True:
        if isinstance(info, msgspec.inspect.Metadata):
            xml = (info.extra_json_schema or {}).get("xml")
            if isinstance(xml, dict):
                options = {**xml, **options}
            info = info.type
        elif isinstance(info, msgspec.inspect.UnionType):
            kept = [member for member in info.types if not isinstance(member, _NOTHING)]
            if len(kept) != 1:
                return info, options
            info = kept[0]
        else:
            return info, options


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _class_name(info: msgspec.inspect.Type) -> str | None:
    """The `xml` name a class gives itself through `schema_docs`, if any."""
    cls = getattr(info, "cls", None)
    xml = (getattr(cls, SCHEMA_DOCS_ATTRIBUTE, None) or {}).get("xml")
    name = xml.get("name") if isinstance(xml, dict) else None
    return name if isinstance(name, str) else None


def _item_name(info: msgspec.inspect.Type, default: str) -> str:
    """The element each item of an array is written as (and read from, when not wrapped)."""
    inner, options = _unwrap(info)
    name = options.get("name")
    return name if isinstance(name, str) else (_class_name(inner) or default)


class _DoctypeRefused(Exception):
    pass


class _TreeWithoutDoctype(ElementTree.TreeBuilder):
    """The standard tree builder, stopping the parse at a document type declaration."""

    def doctype(self, name: str, pubid: str | None, system: str | None) -> None:
        raise _DoctypeRefused


class XMLTypeReader:
    """Reads XML documents as plain data shaped like one type (built once per handler)."""

    def __init__(self, info: msgspec.inspect.Type) -> None:
        self.info = info  # msgspec.inspect.type_info of the body's type

    def read(self, body: bytes) -> Any:
        """The document as plain data; ValueError for a malformed or refused document."""
        parser = ElementTree.XMLParser(target=_TreeWithoutDoctype())
        try:
            parser.feed(body)
            root = parser.close()
        except _DoctypeRefused:
            raise ValueError(
                "XML documents with DOCTYPE or ENTITY declarations are refused"
            ) from None
        except ElementTree.ParseError as exc:
            raise ValueError(f"malformed XML: {exc}") from None
        return self._value(root, self.info)

    def _value(self, element: ElementTree.Element, info: msgspec.inspect.Type) -> Any:
        info, _ = _unwrap(info)
        if isinstance(info, _OBJECTS):
            return self._object(element, info)
        if isinstance(info, _ARRAYS):  # an array at the top: its items are the children
            return [self._value(child, info.item_type) for child in element]
        if len(element) == 0 and not element.text:
            # an empty element: the empty string where a string is expected, else null
            return "" if isinstance(info, msgspec.inspect.StrType) else None
        return element.text or ""

    def _object(self, element: ElementTree.Element, info: Any) -> dict[str, Any]:
        children: dict[str, list[ElementTree.Element]] = {}
        for child in element:
            children.setdefault(_local(child.tag), []).append(child)
        attributes = {_local(key): value for key, value in element.attrib.items()}
        result: dict[str, Any] = {}
        for field in info.fields:
            field_type, options = _unwrap(field.type)
            name = options.get("name", field.encode_name)
            if options.get("attribute"):
                if name in attributes:
                    result[field.encode_name] = attributes[name]
                continue
            if isinstance(field_type, _ARRAYS):
                if options.get("wrapped"):
                    _, item_options = _unwrap(field_type.item_type)
                    wrappers = children.get(name)
                    if not wrappers:
                        continue
                    items = list(wrappers[0])
                    item_name = item_options.get("name")
                    if item_name:
                        items = [item for item in items if _local(item.tag) == item_name]
                else:
                    items = children.get(_item_name(field_type.item_type, name), [])
                    if not items:
                        continue
                result[field.encode_name] = [
                    self._value(item, field_type.item_type) for item in items
                ]
                continue
            found = children.get(name)
            if found:
                result[field.encode_name] = self._value(found[0], field.type)
        return result


_ANY = msgspec.inspect.AnyType()
# an XML 1.0 name (the ASCII core plus any letter beyond it), compiled when first needed (its
# Unicode ranges take 6 ms, at the import of every app, most of which never write XML), and
# the characters XML cannot carry
_NAME = r"[A-Za-z_\u00c0-\uffef][\w.\-\u00b7\u00c0-\uffef]*"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


class XMLTypeWriter:
    """Writes values of one type as XML documents (built once per handler)."""

    def __init__(
        self, info: msgspec.inspect.Type, enc_hook: Callable[[Any], Any] | None = None
    ) -> None:
        self.info = info  # msgspec.inspect.type_info of the returned type
        self.enc_hook = enc_hook
        inner, options = _unwrap(info)
        name = options.get("name")
        if not isinstance(name, str):
            fallback = "items" if isinstance(inner, _ARRAYS) else "value"
            name = _class_name(inner) or getattr(getattr(inner, "cls", None), "__name__", fallback)
        self.root: str = str(name)
        # what each part of the type says, worked out on first use rather than per document
        self._unwrapped: dict[int, tuple[msgspec.inspect.Type, dict[str, Any]]] = {}
        self._fields: dict[int, dict[str, msgspec.inspect.Type]] = {}

    def _unwrap(self, info: msgspec.inspect.Type) -> tuple[msgspec.inspect.Type, dict[str, Any]]:
        found = self._unwrapped.get(id(info))
        if found is None:  # the infos are all parts of self.info: their ids stay theirs
            found = self._unwrapped[id(info)] = _unwrap(info)
        return found

    def _field_types(self, info: msgspec.inspect.Type) -> dict[str, msgspec.inspect.Type]:
        found = self._fields.get(id(info))
        if found is None:
            fields = info.fields if isinstance(info, _OBJECTS) else ()
            found = self._fields[id(info)] = {f.encode_name: f.type for f in fields}
        return found

    def write(self, value: Any) -> bytes:
        """The document for `value` (UTF-8, with an XML declaration)."""
        if isinstance(value, bytes):
            return value
        if isinstance(value, str):
            return value.encode()
        data = msgspec.to_builtins(value, enc_hook=self.enc_hook)
        root = self._element(self.root, data, self.info)
        text = ElementTree.tostring(root, encoding="unicode")
        return b'<?xml version="1.0" encoding="UTF-8"?>\n' + text.encode()

    def _element(self, name: str, data: Any, info: msgspec.inspect.Type) -> ElementTree.Element:
        element = ElementTree.Element(_checked_name(name))
        info, _ = self._unwrap(info)
        if isinstance(data, dict):
            self._children(element, data, info)
        elif isinstance(data, list):
            item_type = info.item_type if isinstance(info, _ARRAYS) else _ANY
            item = _item_name(item_type, "item")
            element.extend(self._element(item, value, item_type) for value in data)
        elif data is not None:
            element.text = _text(data)
        return element

    def _children(
        self, element: ElementTree.Element, data: dict[str, Any], info: msgspec.inspect.Type
    ) -> None:
        fields = self._field_types(info)
        for key, value in data.items():
            field_type = fields.get(key, _ANY)
            inner, options = self._unwrap(field_type)
            name = options.get("name", key)
            if options.get("attribute") and not isinstance(value, dict | list):
                if value is not None:
                    element.set(_checked_name(name), _text(value))
                continue
            if isinstance(value, list):
                item_type = inner.item_type if isinstance(inner, _ARRAYS) else _ANY
                item = _item_name(item_type, name)
                parent = element
                if options.get("wrapped"):
                    parent = ElementTree.SubElement(element, _checked_name(name))
                parent.extend(self._element(item, entry, item_type) for entry in value)
                continue
            element.append(self._element(name, value, field_type))


@functools.cache
def _name_pattern() -> re.Pattern[str]:
    return re.compile(_NAME)


def _checked_name(name: str) -> str:
    if not _name_pattern().fullmatch(name):
        raise ValueError(f"{name!r} cannot be an XML element or attribute name")
    return name


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    if _NOT_XML.search(text):
        raise ValueError("the value holds characters XML 1.0 cannot carry")
    return text
