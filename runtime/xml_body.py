"""XML request bodies: elements into the declared type, by the rules of OpenAPI's XML object.

The element tree becomes plain data shaped like the type (a dict per object, a list per array,
text for everything else), which `msgspec.convert(..., strict=False)` then validates and
converts exactly as it does URL-encoded form fields. A field's element is its wire name, or
the `name` of the `xml` object in its `Meta(extra_json_schema=...)`; `attribute: true` reads an
attribute; arrays repeat their items' element, or sit in a wrapper element with
`wrapped: true`. Namespaces are ignored (local names are matched).

A document with a DOCTYPE or an entity declaration is refused before it is parsed: nothing
in a request body can expand entities or fetch anything.
"""

from __future__ import annotations

import re
from typing import Any
from xml.etree import ElementTree

import msgspec

__all__ = ["XMLTypeReader", "is_xml"]

_DECLARATION = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
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


class XMLTypeReader:
    """Reads XML documents as plain data shaped like one type (built once per handler)."""

    def __init__(self, info: msgspec.inspect.Type) -> None:
        self.info = info  # msgspec.inspect.type_info of the body's type

    def read(self, body: bytes) -> Any:
        """The document as plain data; ValueError for a malformed or refused document."""
        if _DECLARATION.search(body):
            raise ValueError("XML documents with DOCTYPE or ENTITY declarations are refused")
        try:
            root = ElementTree.fromstring(body)
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
                _, item_options = _unwrap(field_type.item_type)
                if options.get("wrapped"):
                    wrappers = children.get(name)
                    if not wrappers:
                        continue
                    items = list(wrappers[0])
                    item_name = item_options.get("name")
                    if item_name:
                        items = [item for item in items if _local(item.tag) == item_name]
                else:
                    items = children.get(item_options.get("name", name), [])
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
