"""Model classes beyond what msgspec says of them: their documentation (`schema_docs`), their
property bounds (`properties_between`, bounds.py) and their component names, as the registry
applies them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

import msgspec

from ..exceptions import ImproperlyConfiguredException, require_extension_keys
from ..extra_keys import extra_keys_of
from ..type_info import multi_type_info, type_info
from ..types import SCHEMA_DOCS_ATTRIBUTE
from ..untagged import is_untagged_union
from .bounds import BOUNDS, properties_between
from .composition import all_of, all_of_parts, composed_components, part_struct
from .shared_union import union_leaves
from .unnamed import document_unnamed, unnamed_leaves

__all__ = [
    "all_of",
    "apply_model_docs",
    "component_names",
    "extra_keys_leaves",
    "full_name",
    "normalize_name",
    "properties_between",
    "schema_docs",
]


def normalize_name(name: str) -> str:
    """`name` with what a component name cannot hold replaced by `_`."""
    return re.sub(r"[^a-zA-Z0-9.\-_]", "_", name)


def full_name(cls: type) -> str:
    """A class's component name with its module path (`pkg.mod.Name`), for clashes."""
    return normalize_name(f"{cls.__module__}.{cls.__qualname__}")


# -- documentation of model classes ------------------------------------------------------------
# msgspec documents a Struct or Enum by its class name and docstring only. A title, examples,
# `externalDocs`, `xml` or `x-` extensions are documentation (they change no value), declared
# with `@schema_docs(...)` on the class and added to its component schema.

_T = TypeVar("_T")
# the assertions on strings and numbers a class's values can meet by construction (an enum's)
IMPLIED_KEYWORDS = (
    "minLength",
    "maxLength",
    "pattern",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
)
# JSON Schema's assertions no Struct checks (conditionals, negation, the applicators that look
# at an instance's other keys or items): documented as the spec wrote them, never checked
UNCHECKED_KEYWORDS = (
    "not",
    "if",
    "then",
    "else",
    "patternProperties",
    "dependentSchemas",
    "dependentRequired",
    "unevaluatedProperties",
    "unevaluatedItems",
    "propertyNames",
    "contains",
    "minContains",
    "maxContains",
)
_ATTRIBUTE = SCHEMA_DOCS_ATTRIBUTE
_OPEN_TAG = "__schema_open_tag__"
_UNTYPED = "__schema_untyped__"
_TAG_DOCS = "__schema_tag_docs__"
_FIELD_DOCS = "__schema_field_docs__"
# the keywords of a field's `Meta` that only document it (`fields` of `schema_docs` takes them)
FIELD_DOC_KEYWORDS = ("title", "description", "examples")
_FIELD_KEYWORD_SET = frozenset(FIELD_DOC_KEYWORDS)
_OPTIONAL_TAG = "__schema_optional_tag__"


def schema_docs(
    *,
    title: str | None = None,
    description: str | None = None,
    examples: Sequence[Any] | None = None,
    deprecated: bool = False,
    read_only: bool = False,
    write_only: bool = False,
    external_docs: Mapping[str, Any] | None = None,
    xml: Mapping[str, Any] | None = None,
    format: str | None = None,
    discriminator: Mapping[str, Any] | None = None,
    default: Any = msgspec.UNSET,
    open_tag: bool = False,
    optional_tag: bool = False,
    undeclared_tag: bool = False,
    tag_docs: Mapping[str, Any] | None = None,
    extensions: Mapping[str, Any] | None = None,
    implied: Mapping[str, Any] | None = None,
    unchecked: Mapping[str, Any] | None = None,
    untyped: bool = False,
    fields: Mapping[str, Mapping[str, Any]] | None = None,
) -> Callable[[_T], _T]:
    """Document a model class: the keywords join its component schema.

    `description` is for text a docstring cannot hold exactly (it wins over the docstring);
    `format` is an annotation here (a format no Python type of the class checks), and so is
    `discriminator` (the Discriminator object of a base type: the class picks no member), and
    so is `default` (the schema's default value, as written: JSON null too).
    `open_tag`: a tagged Struct's tag property is documented without msgspec's one-value enum
    (the spec leaves the property open; its union's discriminator says which value is whose);
    `tag_docs`: keywords its tag property has beside its value (a description, a format...);
    `optional_tag`: the tag property is documented as not required, as the spec wrote it
    (decoding a tagged union still needs the tag: msgspec picks the class by it);
    `undeclared_tag`: the tag property is not documented at all, as the spec wrote it (the
    union's discriminator names it; decoding needs it likewise).
    `implied`: assertions every value of the class already meets, as the spec wrote them beside
    an enum (`minLength`, `pattern`, `maximum`...): they change no value, so they are documented.
    `unchecked`: assertions of the schema the class does not check (`if`/`then`/`else`, `not`,
    `dependentRequired`, `patternProperties`, `unevaluatedProperties`...), documented as
    written: the document says them, what is served does not enforce them.

    `untyped`: the schema says no `type` (`{properties: ..., required: ...}` alone, as a spec
    may write it). By JSON Schema such keywords check objects only, and any other JSON value
    (a string, a number, null...) is valid too. The class's schema is emitted without
    `type: object`, as written; what is served is unchanged: a Struct decodes objects only,
    so a request body that is not an object is still refused.

    `fields`: a Struct's fields' documentation, by field name (as the class names it): the
    keywords `title`, `description` and `examples` of each field's schema, as its `Meta` would
    say them (they win over the `Meta`'s own). They change no value, and a `Meta` made for
    each documented field is most of what importing a large models module costs (each
    distinct `Meta` makes a distinct `Annotated` type); here they are plain data, put back
    into the field's schema when the document is built.
    """
    require_extension_keys(extensions or {})
    field_docs = _field_docs(fields or {})
    for name, given, allowed in (
        ("implied", implied, IMPLIED_KEYWORDS),
        ("unchecked", unchecked, UNCHECKED_KEYWORDS),
    ):
        unknown = sorted(set(given or {}) - set(allowed))
        if unknown:
            raise ImproperlyConfiguredException(
                f"{name} takes the assertions {list(allowed)}, not {unknown}"
            )
    docs: dict[str, Any] = {}
    if title is not None:
        docs["title"] = title
    if description is not None:
        docs["description"] = description
    if examples is not None:
        docs["examples"] = list(examples)
    if deprecated:
        docs["deprecated"] = True
    if read_only:
        docs["readOnly"] = True
    if write_only:
        docs["writeOnly"] = True
    if external_docs is not None:
        docs["externalDocs"] = dict(external_docs)
    if xml is not None:
        docs["xml"] = dict(xml)
    if format is not None:
        docs["format"] = format
    if discriminator is not None:
        docs["discriminator"] = dict(discriminator)
    docs.update(implied or {})
    docs.update(unchecked or {})
    if default is not msgspec.UNSET:
        docs["default"] = default
    docs.update(extensions or {})
    plain: dict[str, Any] = msgspec.to_builtins(docs)

    tag_plain: dict[str, Any] = msgspec.to_builtins(dict(tag_docs or {}))

    def decorate(cls: _T) -> _T:
        setattr(cls, _ATTRIBUTE, plain)
        if open_tag:
            setattr(cls, _OPEN_TAG, True)
        if optional_tag or undeclared_tag:
            setattr(cls, _OPTIONAL_TAG, "undeclared" if undeclared_tag else "optional")
        if untyped:
            setattr(cls, _UNTYPED, True)
        if tag_plain:
            setattr(cls, _TAG_DOCS, tag_plain)
        if field_docs:
            unknown = sorted(set(field_docs).difference(getattr(cls, "__struct_fields__", ())))
            if unknown:
                raise ImproperlyConfiguredException(
                    f"{getattr(cls, '__qualname__', cls)}: schema_docs(fields=...) names no "
                    f"field {unknown}"
                )
            setattr(cls, _FIELD_DOCS, field_docs)
        return cls

    return decorate


def _field_docs(fields: Mapping[str, Mapping[str, Any]]) -> dict[str, Mapping[str, Any]]:
    """`fields` of `schema_docs`, its keywords checked; made plain data only when a document
    is built (`_document_fields`): a large models module declares thousands of them."""
    for name, docs in fields.items():
        if not _FIELD_KEYWORD_SET.issuperset(docs):
            unknown = sorted(set(docs) - _FIELD_KEYWORD_SET)
            raise ImproperlyConfiguredException(
                f"fields[{name!r}] takes the keywords {list(FIELD_DOC_KEYWORDS)}, not {unknown}"
            )
    return dict(fields)


def _document_fields(cls: Any, component: dict[str, Any]) -> None:
    """Put each field's `schema_docs(fields=...)` documentation into its property's schema, as
    its `Meta` would have: first among its keywords, over the `Meta`'s own. A field's docs are
    those of the class that declares it (a subclass that declares it again says its own)."""
    properties = component.get("properties")
    if not isinstance(properties, dict):
        return
    declared: dict[str, Any] = {}  # field -> the docs of the first class along the MRO declaring it
    for base in cls.__mro__:
        own = vars(base)
        annotations = own.get("__annotations__")
        if annotations:
            docs = own.get(_FIELD_DOCS) or {}
            for name in annotations:
                if name not in declared:
                    declared[name] = docs.get(name)
    names = getattr(cls, "__struct_fields__", ())
    wire = getattr(cls, "__struct_encode_fields__", names)
    documented: list[tuple[dict[str, Any], Mapping[str, Any]]] = []
    for name, key in zip(names, wire, strict=True):
        docs = declared.get(name)
        prop = properties.get(key)
        if docs and isinstance(prop, dict):
            documented.append((prop, docs))
    if documented:  # the class's docs made plain data at once: a call each cost more
        plain = _plain_docs([docs for _, docs in documented])
        for (prop, _), docs in zip(documented, plain, strict=True):
            _merged_over(prop, docs)


def _plain_docs(fields: list[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Fields' docs as JSON values (`examples` a list), copies of their own."""
    plain: list[dict[str, Any]] = msgspec.to_builtins([dict(docs) for docs in fields])
    for docs in plain:
        if "examples" in docs:
            docs["examples"] = list(docs["examples"])
    return plain


def _merged_over(prop: dict[str, Any], docs: dict[str, Any]) -> None:
    """`docs` over `prop` as msgspec puts a field's `Meta` over the metadata of the type within
    (a named alias's): its title, description and examples replace those (in their place); a
    keyword new to it comes first, where msgspec writes metadata."""
    for key in prop.keys() & docs.keys():
        prop[key] = docs.pop(key)
    if docs:
        merged = {**docs, **prop}
        prop.clear()
        prop.update(merged)


def extra_keys_leaves(
    leaves: list[Any], unnamed: dict[type, dict[str, int]] | None = None
) -> tuple[list[Any], dict[type, int]]:
    """Add the value type of each Struct's extra keys to `leaves` (and to `unnamed`, if given,
    the leaf index of each of its `@unnamed_properties`' types).

    Returns the component classes of all the leaves, and class -> its extra keys' leaf index.
    Each round walks only the leaves the round before added (`_ComponentTypes`).
    """
    found: dict[type, int] = {}
    collected = _ComponentTypes()
    while True:
        classes = collected.of(leaves)
        known = set(classes)
        fresh = [
            (cls, declared)
            for cls in classes
            if cls not in found and (declared := extra_keys_of(cls)) is not None
        ]
        # the parts an `@all_of` class is composed of are components it refers to
        parts = [
            part for cls in classes for part in all_of_parts(cls) if part_struct(part) not in known
        ]
        leaves.extend(dict.fromkeys(parts))
        more = unnamed is not None and unnamed_leaves(classes, leaves, unnamed)
        if not fresh and not parts and not more:
            return classes, found
        for cls, declared in fresh:
            leaves.append(declared.value_type)
            found[cls] = len(leaves) - 1


class _ComponentTypes:
    """The classes msgspec names as components for a growing list of leaves (as msgspec
    collects them), each leaf walked once: `of(leaves)` walks the leaves added since the last
    call, so the classes come in the order a walk of the whole list gives."""

    def __init__(self) -> None:
        self.found: dict[Any, None] = {}
        self.unions: set[type] = set()
        self.walked = 0
        self.failed = False  # a leaf msgspec refuses: no classes, as for the whole list

    def of(self, leaves: Sequence[Any]) -> list[Any]:
        if not self.failed:
            try:
                infos = multi_type_info(list(leaves[self.walked :]))
            except (TypeError, ValueError):
                self.failed = True
            else:
                self.walked = len(leaves)
                for info in infos:
                    self.collect(info)
        return [] if self.failed else list(self.found)

    def collect(self, t: Any) -> None:
        """Walk `t` depth first, each class's fields once (as msgspec's own collection)."""
        found = self.found
        stack = [t]
        while stack:
            node = stack.pop()
            kind = _KINDS.get(node.__class__)
            if kind is None:
                kind = _KINDS[node.__class__] = _kind(node.__class__)
            if kind == _CLASS:
                if node.cls not in found:
                    found[node.cls] = None
                    stack.extend(field.type for field in reversed(node.fields))
            elif kind == _ENUM:
                found[node.cls] = None
            elif kind == _ONE:
                stack.append(node.type)
            elif kind == _ITEM:
                stack.append(node.item_type)
            elif kind == _ITEMS:
                stack.extend(reversed(node.item_types))
            elif kind == _DICT:
                stack += (node.value_type, node.key_type)
            elif kind == _UNION:
                stack.extend(reversed(node.types))
            elif kind == _CUSTOM and is_untagged_union(node.cls) and node.cls not in self.unions:
                self.unions.add(node.cls)  # an untagged union's members are components too
                members = union_leaves(node.cls)  # with the Struct its members share
                stack.extend(type_info(member) for member in reversed(members))


# what `_ComponentTypes.collect` does with each kind of msgspec type (its class -> kind)
_CLASS, _ENUM, _ONE, _ITEM, _ITEMS, _DICT, _UNION, _CUSTOM, _LEAF = range(9)
_KINDS: dict[type, int] = {}


def _kind(cls: type) -> int:
    inspect = msgspec.inspect
    kinds = (
        (
            inspect.StructType
            | inspect.TypedDictType
            | inspect.DataclassType
            | inspect.NamedTupleType,
            _CLASS,
        ),
        (inspect.EnumType, _ENUM),
        (inspect.Metadata, _ONE),
        (inspect.CollectionType, _ITEM),
        (inspect.TupleType, _ITEMS),
        (inspect.DictType, _DICT),
        (inspect.UnionType, _UNION),
        (inspect.CustomType, _CUSTOM),
    )
    return next((kind for base, kind in kinds if issubclass(cls, base)), _LEAF)


def component_names(classes: list[Any]) -> dict[Any, str]:
    """Component names as msgspec gives them: the class name, the full path on a clash."""

    def short(cls: Any) -> str:
        origin = getattr(cls, "__origin__", None)
        if origin is None:
            return normalize_name(cls.__name__)
        args = (a.__name__ if isinstance(a, type) else repr(a) for a in cls.__args__)
        return normalize_name(f"{origin.__name__}[{', '.join(args)}]")  # `Page_Item_`

    shorts = {cls: short(cls) for cls in classes}  # each once: thousands of classes
    counts: dict[str, int] = {}
    for name in shorts.values():
        counts[name] = counts.get(name, 0) + 1
    return {cls: name if counts[name] == 1 else full_name(cls) for cls, name in shorts.items()}


def apply_model_docs(
    names: Mapping[Any, str],
    components: dict[str, Any],
    extra_keys: Mapping[Any, Any],
    unnamed: Mapping[Any, Mapping[str, Any]] | None = None,
) -> None:
    """Add to each class's component schema what msgspec does not say: its `schema_docs`, an
    open tag, its property bounds, (`extra_keys`: class -> schema) its extra keys' type and the
    parts an `@all_of` class is composed of."""
    for cls, name in names.items():
        own = vars(cls)  # read once: thousands of classes, several attributes each
        docs = own.get(_ATTRIBUTE)  # the class's own: a subclass documents itself
        component = components.get(name)
        if isinstance(docs, dict) and isinstance(component, dict):
            component.update(docs)
        if getattr(cls, _FIELD_DOCS, None) is not None and isinstance(component, dict):
            _document_fields(cls, component)
        if cls in extra_keys and isinstance(component, dict):
            component["additionalProperties"] = extra_keys[cls]
        if unnamed and cls in unnamed and isinstance(component, dict):
            document_unnamed(cls, component, unnamed[cls])
        if own.get(_UNTYPED) and isinstance(component, dict):
            _untyped(component)
        if own.get(_OPEN_TAG) and isinstance(component, dict):
            _open_tag(cls, component)
        if own.get(_TAG_DOCS) and isinstance(component, dict):
            _tag_property(cls, component).update(own[_TAG_DOCS])
        if own.get(_OPTIONAL_TAG) and isinstance(component, dict):
            _optional_tag(cls, component, undeclared=own[_OPTIONAL_TAG] == "undeclared")
        bounds = getattr(getattr(cls, "__post_init__", None), BOUNDS, None)
        if bounds is not None and isinstance(component, dict):
            for key, value in zip(("minProperties", "maxProperties"), bounds, strict=True):
                if value is not None:
                    component[key] = value
    composed_components(names, components)


def _untyped(component: dict[str, Any]) -> None:
    """Drop the `type: object` msgspec gives every Struct (the class's spec says no type), and
    the empty `required` it writes beside it (tidied away with the type otherwise)."""
    if component.get("type") == "object":
        del component["type"]
        if component.get("required") == []:
            del component["required"]


def _tag_property(cls: Any, component: dict[str, Any]) -> dict[str, Any]:
    """The schema of a tagged Struct's tag property in its component (a dummy without one)."""
    field = getattr(getattr(cls, "__struct_config__", None), "tag_field", None)
    prop = component.get("properties", {}).get(field) if field else None
    return prop if isinstance(prop, dict) else {}


def _optional_tag(cls: Any, component: dict[str, Any], *, undeclared: bool) -> None:
    """Drop a tagged Struct's tag property from `required` (msgspec lists it there), and from
    `properties` too when `undeclared`."""
    field = getattr(getattr(cls, "__struct_config__", None), "tag_field", None)
    properties = component.get("properties")
    if undeclared and isinstance(properties, dict) and field in properties:
        del properties[field]
    required = component.get("required")
    if isinstance(required, list) and field in required:
        required.remove(field)
        if not required:
            del component["required"]


def _open_tag(cls: Any, component: dict[str, Any]) -> None:
    """Drop the one-value enum msgspec puts on a tagged Struct's tag property."""
    config = getattr(cls, "__struct_config__", None)
    field = getattr(config, "tag_field", None)
    tag = getattr(config, "tag", None)
    prop = component.get("properties", {}).get(field) if field else None
    if isinstance(prop, dict) and prop.get("enum") == [tag]:
        del prop["enum"]
        if isinstance(tag, str):
            prop.setdefault("type", "string")
        elif isinstance(tag, int):
            prop.setdefault("type", "integer")
