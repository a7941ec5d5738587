"""Python types to OpenAPI 3.1 schemas (JSON Schema 2020-12), named in one component registry.

msgspec does the work (`msgspec.json.schema_components`); pydantic models inside any type are
handed to pydantic through msgspec's schema hook. The output is then tidied for OpenAPI 3.1.
"""

from __future__ import annotations

import copy
import functools
import re
import sys
import textwrap
import types
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import PurePath
from typing import Annotated, Any, TypeVar, Union, get_args, get_origin

import msgspec

from ..exceptions import ImproperlyConfiguredException
from ..extra_keys import extra_keys_of
from ..signature import unwrap_annotated
from ..types import SCHEMA_DOCS_ATTRIBUTE
from ..untagged import Nothing, is_number_enum, is_untagged_union
from .names import component_name, inline_schema, nullable_component, rewrite_components
from .tidy import ANY_MARKER, COMPONENT_MARKER, NOTHING_MARKER, UNION_MARKER, tidy

__all__ = [
    "REF_PREFIX",
    "AnyOf",
    "OneOf",
    "SchemaRegistry",
    "component",
    "component_name",
    "inline_schema",
    "nullable_component",
    "properties_between",
    "schema_docs",
]

REF_PREFIX = "#/components/schemas/"

OneOf = msgspec.Meta(extra_json_schema={UNION_MARKER: "oneOf"})
"""Document a union as `oneOf`: `Annotated[Cat | Dog, OneOf]` (decoding is unchanged)."""

AnyOf = msgspec.Meta(extra_json_schema={UNION_MARKER: "anyOf"})
"""Document a union as `anyOf` where `oneOf` is the default (a handler's return union)."""


def component(name: str) -> msgspec.Meta:
    """Name an alias's schema: `Annotated[A | B, OneOf, component("Pet")]` is `$ref: Pet`.

    msgspec names classes only; a type alias (a union, say) is inlined wherever it is used.
    With this marker the registry makes it one component, as a spec's named schema is
    (characters a component name cannot hold become `_`, as in class names).
    """
    return msgspec.Meta(extra_json_schema={COMPONENT_MARKER: _normalize_name(name)})


_BOUNDS = "__specloom_properties__"


def properties_between(
    minimum: int | None = None, maximum: int | None = None
) -> Callable[[Callable[[Any], None]], Callable[[Any], None]]:
    """Decorate a Struct's `__post_init__`: how many of its fields may be set (not UNSET).

        @properties_between(1, 10)
        def __post_init__(self) -> None:
            \"\"\"From 1 to 10 properties.\"\"\"

    is an object's `minProperties: 1, maxProperties: 10`. msgspec runs `__post_init__` after
    every decode (a ValueError is a validation error at the object's path) and on
    construction; the check runs before the decorated body. The schema says so.
    """

    def decorate(post_init: Callable[[Any], None]) -> Callable[[Any], None]:
        @functools.wraps(post_init)
        def check(self: Any) -> None:
            count = sum(
                getattr(self, name) is not msgspec.UNSET for name in type(self).__struct_fields__
            )
            if self.__struct_config__.tag_field is not None:
                count += 1  # the tag is a property on the wire
            if minimum is not None and count < minimum:
                raise ValueError(f"Object has {count} properties, expected at least {minimum}")
            if maximum is not None and count > maximum:
                raise ValueError(f"Object has {count} properties, expected at most {maximum}")
            post_init(self)

        setattr(check, _BOUNDS, (minimum, maximum))
        return check

    return decorate


_Pending = tuple[Any, dict[str, Any], str, dict[str, Any], bool, bool]
_MAX_UNION_RUNS = 8  # untagged unions nested in their own members need one run per level


def _is_union(annotation: Any) -> bool:
    origin = get_origin(annotation)
    return origin is Union or origin is types.UnionType


def _declared_union(metadata: tuple[Any, ...]) -> str | None:
    for item in metadata:
        if isinstance(item, msgspec.Meta) and item.extra_json_schema:
            keyword = item.extra_json_schema.get(UNION_MARKER)
            if isinstance(keyword, str):
                return keyword
    return None


def _supported(annotation: Any) -> bool:
    try:
        msgspec.inspect.type_info(annotation)
    except (TypeError, ValueError, AttributeError, NameError):
        return False
    return True


def _normalize_name(name: str) -> str:
    return re.sub(r"[^a-zA-Z0-9.\-_]", "_", name)


def _full_name(cls: type) -> str:
    return _normalize_name(f"{cls.__module__}.{cls.__qualname__}")


def _is_pydantic_model(cls: Any) -> bool:
    pydantic = sys.modules.get("pydantic")
    return pydantic is not None and isinstance(cls, type) and issubclass(cls, pydantic.BaseModel)


class _Generation:
    """One run of msgspec over every registered leaf type, with the custom-type hook."""

    def __init__(
        self,
        pydantic_names: dict[type, str],
        member_schemas: dict[type, dict[str, Any]] | None = None,
    ) -> None:
        self.pydantic_names = pydantic_names
        self.seen_pydantic: list[type] = []
        self.member_schemas = member_schemas or {}
        self.seen_unions: list[type] = []
        self.unions: dict[str, dict[str, Any]] = {}  # components of untagged unions
        self.union_classes: dict[str, type] = {}  # their classes

    def hook(self, cls: type) -> dict[str, Any]:
        if is_untagged_union(cls):  # a component: its members' schemas, from an earlier run
            if cls not in self.seen_unions:
                self.seen_unions.append(cls)
            members = [self.member_schemas.get(m) for m in cls.member_types()]  # type: ignore[attr-defined]
            if any(m is None for m in members):
                return {ANY_MARKER: True}
            keyword = "oneOf" if cls.exclusive else "anyOf"  # type: ignore[attr-defined]
            schema: dict[str, Any] = {keyword: members}
            discriminator = _discriminator(cls.member_types(), members)  # type: ignore[attr-defined]
            if discriminator is not None:
                schema["discriminator"] = discriminator
            if cls.closed:  # type: ignore[attr-defined]
                schema.update(type="object", additionalProperties=False)
            return self._component(cls, schema)
        if is_number_enum(cls):
            return self._component(cls, {"type": "number", "enum": list(cls.values)})  # type: ignore[attr-defined]
        if _is_pydantic_model(cls):
            if cls not in self.seen_pydantic:
                self.seen_pydantic.append(cls)
            name = self.pydantic_names.get(cls)
            return {"$ref": REF_PREFIX + name} if name else {ANY_MARKER: True}
        if cls is Nothing:
            return {NOTHING_MARKER: True}
        if isinstance(cls, type) and issubclass(cls, PurePath):
            return {"type": "string"}
        return {ANY_MARKER: True}  # a type only a custom encoder knows: any value

    def _component(self, cls: type, schema: dict[str, Any]) -> dict[str, Any]:
        """A `$ref` to the component of a custom type's class, its docs added to `schema`."""
        doc = cls.__dict__.get("__doc__")
        if doc:
            schema["description"] = textwrap.dedent(doc).strip()
        schema.update(getattr(cls, _ATTRIBUTE, None) or {})
        component = _normalize_name(cls.__name__)
        if self.unions.get(component, schema) != schema:
            component = _full_name(cls)
        self.unions[component] = schema
        self.union_classes[component] = cls
        return {"$ref": REF_PREFIX + component}

    def run(self, leaves: list[Any]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        schemas, components = msgspec.json.schema_components(
            leaves, schema_hook=self.hook, ref_template=REF_PREFIX + "{name}"
        )
        for name, union in self.unions.items():
            components.setdefault(name, union)
        for name, component in components.items():
            # msgspec titles every model with its class name: noise, unless it says more
            if component.get("title") == name.rsplit(".", 1)[-1]:
                del component["title"]
        return list(schemas), components


def _discriminator(classes: Sequence[type], schemas: list[Any]) -> dict[str, Any] | None:
    """The discriminator of an untagged union's members that are Structs tagged on one field."""
    configs = [getattr(cls, "__struct_config__", None) for cls in classes]
    fields = {getattr(config, "tag_field", None) for config in configs}
    tags = [getattr(config, "tag", None) for config in configs]
    if len(fields) != 1 or None in fields or None in tags:
        return None
    refs = [schema.get("$ref") if isinstance(schema, dict) else None for schema in schemas]
    if None in refs:
        return None
    (field,) = fields
    return {"propertyName": field, "mapping": {str(t): r for t, r in zip(tags, refs, strict=True)}}


class SchemaRegistry:
    """Hands out schema placeholders, then fills them all in one `finalize()`.

    Generating every type together names each model once; clashing class names from
    different modules get their module path (`pkg.mod.Name`), deterministically.
    """

    def __init__(self) -> None:
        self._pending: list[_Pending] = []
        self.components: dict[str, Any] = {}

    def schema(
        self,
        annotation: Any,
        *,
        union: str = "anyOf",
        extra: dict[str, Any] | None = None,
        multipart: bool = False,
    ) -> dict[str, Any]:
        """A placeholder for the schema of `annotation`, filled in by `finalize()`.

        `union` is the keyword of a top-level union with no OneOf/AnyOf marker; `extra` is
        merged over the generated schema (titles, defaults, vendor keys). `multipart`: the
        schema of a multipart form, inlined, whose `bytes` fields are binary parts (not the
        base64 text they are in JSON).
        """
        placeholder: dict[str, Any] = {}
        self._pending.append((annotation, placeholder, union, dict(extra or {}), multipart, False))
        return placeholder

    def declare(self, annotation: Any) -> None:
        """Document `annotation` under components/schemas, used or not: a class, or an alias
        marked `component(name)` (whose own schema is then its component, whatever a use of
        it adds beside it). Any other type is ignored."""
        self._pending.append((annotation, {}, "anyOf", {}, False, True))

    def finalize(self) -> dict[str, Any]:
        """Generate every pending schema; returns `components/schemas`."""
        leaves: list[Any] = []
        plans: list[tuple[list[int], str | None]] = []
        for annotation, _, union, _, _, _ in self._pending:
            plans.append(self._plan(annotation, union, leaves))
        classes, extra_keys = _extra_keys_leaves(leaves)
        schemas, components, unions = self._generate(leaves)
        extra_schemas = {cls: schemas[index] for cls, index in extra_keys.items()}
        names = _names(classes)
        apply_model_docs(names, components, extra_schemas)
        by_name = {name: cls for cls, name in names.items()} | unions
        schemas, components = rewrite_components(by_name, schemas, components)
        named: dict[str, Any] = {}  # aliases marked with component(name)
        for pending, (indexes, keyword) in zip(self._pending, plans, strict=True):
            if pending[5] and keyword is None:  # declared: an alias's own schema comes first
                _hoisted(schemas[indexes[0]], components, named)
        components = {
            name: _hoisted(value, components, named) for name, value in components.items()
        }
        for (_, placeholder, union, extra, multipart, _), (indexes, keyword) in zip(
            self._pending, plans, strict=True
        ):
            if keyword is None:
                schema = schemas[indexes[0]]
                schema = _top_level_union(schema, union)
            else:
                members = [schemas[i] for i in indexes]
                schema = {keyword: members}
            if multipart:
                schema = _multipart_form(schema, components)
            schema = tidy(_hoisted(schema, components, named))
            schema.update(extra)
            placeholder.clear()
            placeholder.update(schema)
        components.update({name: value for name, value in named.items() if name not in components})
        tidied = {name: tidy(value) for name, value in components.items()}
        nullable = {name for name, value in tidied.items() if _admits_null(value)}
        self.components = {name: _null_absorbed(v, nullable) for name, v in tidied.items()}
        for _, placeholder, _, _, _, _ in self._pending:
            absorbed = _null_absorbed(placeholder, nullable)
            placeholder.clear()
            placeholder.update(absorbed)
        self._pending.clear()
        return self.components

    @staticmethod
    def _plan(annotation: Any, union: str, leaves: list[Any]) -> tuple[list[int], str | None]:
        """Leaf indexes for one annotation, and the keyword joining them (None: one leaf)."""
        if _supported(annotation):
            leaves.append(annotation)
            return [len(leaves) - 1], None
        base, metadata = unwrap_annotated(annotation)
        if _is_union(base):  # e.g. untagged Structs: msgspec cannot decode them, but may encode
            keyword = _declared_union(metadata) or union
            indexes = []
            for member in get_args(base):
                leaves.append(member if _supported(member) else Any)
                indexes.append(len(leaves) - 1)
            return indexes, keyword
        leaves.append(Any)
        return [len(leaves) - 1], None

    def _generate(
        self, leaves: list[Any]
    ) -> tuple[list[dict[str, Any]], dict[str, Any], dict[str, type]]:
        # untagged unions (custom types to msgspec) are their members' oneOf: the members join
        # the leaves, and a further run gives each union its members' schemas
        members: list[type] = []
        member_schemas: dict[type, dict[str, Any]] = {}
        for _ in range(_MAX_UNION_RUNS):
            first = _Generation({}, member_schemas)
            schemas, components = first.run([*leaves, *members])
            found = [m for u in first.seen_unions for m in u.member_types()]  # type: ignore[attr-defined]
            fresh = [m for m in dict.fromkeys(found) if m not in members]
            if fresh:
                members += fresh
                continue
            known = dict(zip(members, schemas[len(leaves) :], strict=True))
            if known == member_schemas:
                break
            member_schemas = known
        if not first.seen_pydantic:
            return schemas[: len(leaves)], components, first.union_classes
        names: dict[type, str] = {}
        taken = set(components)
        for cls in first.seen_pydantic:
            name = _normalize_name(cls.__name__)
            names[cls] = _full_name(cls) if name in taken else name
            taken.add(names[cls])
        last = _Generation(names, member_schemas)
        schemas, components = last.run([*leaves, *members])
        for cls, name in names.items():
            _merge_pydantic(cls, name, components)
        return schemas[: len(leaves)], components, last.union_classes


def _hoisted(schema: Any, components: dict[str, Any], named: dict[str, Any]) -> Any:
    """`schema` with every part marked by `component(name)` replaced by a `$ref` to it.

    The first schema under a name is the component (a declared alias's own comes first);
    what a use adds to it (a description...) stays beside the `$ref`. A name a class already
    has keeps the marked schema inline (the marker is dropped).
    """
    if isinstance(schema, list):
        return [_hoisted(item, components, named) for item in schema]
    if not isinstance(schema, dict):
        return schema
    result = {key: _hoisted(value, components, named) for key, value in schema.items()}
    name = result.pop(COMPONENT_MARKER, None)
    if not isinstance(name, str) or name in components:
        return result
    own = named.setdefault(name, result)
    return {"$ref": REF_PREFIX + name, **_added(result, own)}


def _admits_null(schema: Any) -> bool:
    """Whether a (tidied) component schema says null is one of its values."""
    if not isinstance(schema, dict):
        return schema is True
    kind = schema.get("type")
    if kind == "null" or (isinstance(kind, list) and "null" in kind):
        return True
    if isinstance(schema.get("enum"), list) and None in schema["enum"]:
        return True
    members = [*schema.get("anyOf", ()), *schema.get("oneOf", ())]
    return any(member == {"type": "null"} for member in members)


def _null_absorbed(schema: Any, nullable: set[str]) -> Any:
    """`anyOf: [$ref X, null]` is `$ref X` when X admits null itself (a spec's nullable
    schema, whose every use the generated code writes `X | None`)."""
    if isinstance(schema, list):
        return [_null_absorbed(item, nullable) for item in schema]
    if not isinstance(schema, dict):
        return schema
    result = {key: _null_absorbed(value, nullable) for key, value in schema.items()}
    for keyword in ("anyOf", "oneOf"):
        members = result.get(keyword)
        if not isinstance(members, list) or len(members) != 2 or {"type": "null"} not in members:
            continue
        other = next((member for member in members if member != {"type": "null"}), None)
        if not isinstance(other, dict):
            continue
        ref = other.get("$ref")
        if (
            isinstance(ref, str)
            and ref.startswith(REF_PREFIX)
            and ref[len(REF_PREFIX) :] in nullable
        ):
            rest = {key: value for key, value in result.items() if key != keyword}
            return {**other, **rest}
    return result


def _added(use: dict[str, Any], own: dict[str, Any]) -> dict[str, Any]:
    """What a use of a named alias says beyond the alias's own schema (msgspec merges the
    metadata of both: a later key wins, lists are joined)."""
    added: dict[str, Any] = {}
    for key, value in use.items():
        mine = own.get(key)
        if value == mine:
            continue
        if isinstance(value, list) and isinstance(mine, list) and value[: len(mine)] == mine:
            value = value[len(mine) :]
        added[key] = value
    return added


def _multipart_form(schema: dict[str, Any], components: dict[str, Any]) -> dict[str, Any]:
    """A form's schema inlined, its `bytes` fields (and lists of them) binary parts; an
    array's items are its parts, in order (OpenAPI 3.2), binary when they are bytes."""
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith(REF_PREFIX) and ref[len(REF_PREFIX) :] in components:
        target = copy.deepcopy(components[ref[len(REF_PREFIX) :]])
        schema = {**target, **{key: value for key, value in schema.items() if key != "$ref"}}
    if schema.get("type") == "array":
        return {**schema, "items": _binary_part(schema.get("items"))}
    properties = schema.get("properties")
    if isinstance(properties, dict):
        schema = {**schema, "properties": {k: _binary_part(v) for k, v in properties.items()}}
    return schema


def _binary_part(schema: Any) -> Any:
    if not isinstance(schema, dict):
        return schema
    if schema.get("type") == "string" and schema.get("contentEncoding") == "base64":
        part = {key: value for key, value in schema.items() if key != "contentEncoding"}
        part.setdefault("format", "binary")
        return part
    if schema.get("type") == "array":
        return {**schema, "items": _binary_part(schema.get("items"))}
    for keyword in ("anyOf", "oneOf"):  # `bytes | None`
        if isinstance(schema.get(keyword), list):
            return {**schema, keyword: [_binary_part(member) for member in schema[keyword]]}
    return schema


def _top_level_union(schema: dict[str, Any], union: str) -> dict[str, Any]:
    """A top-level union with no marker gets the caller's default keyword."""
    if union != "oneOf" or UNION_MARKER in schema or "anyOf" not in schema:
        return schema
    members = [m for m in schema["anyOf"] if m != {"type": "null"}]
    if len(members) < 2:
        return schema
    result = {k: v for k, v in schema.items() if k != "anyOf"}
    result["oneOf"] = schema["anyOf"]
    return result


def _merge_pydantic(cls: type, name: str, components: dict[str, Any]) -> None:
    """Add a pydantic model and the models it uses to the components, renaming on clashes."""
    adapter_factory: Callable[..., Any] = sys.modules["pydantic"].TypeAdapter
    generated = adapter_factory(cls).json_schema(ref_template=REF_PREFIX + "{model}")
    definitions: dict[str, Any] = generated.pop("$defs", {})
    renames: dict[str, str] = {}
    for def_name, value in definitions.items():
        target = _normalize_name(def_name)
        suffix = 2
        while target in components and components[target] != value:
            target = f"{_normalize_name(def_name)}_{suffix}"
            suffix += 1
        renames[def_name] = target
    own = {**generated}
    pending = {name: own, **{renames[k]: v for k, v in definitions.items()}}
    for target, value in pending.items():
        components[target] = _rename_refs(value, renames)


def _rename_refs(value: Any, renames: dict[str, str]) -> Any:
    if isinstance(value, dict):
        result = {k: _rename_refs(v, renames) for k, v in value.items()}
        ref = result.get("$ref")
        if isinstance(ref, str) and ref.startswith(REF_PREFIX):
            old = ref[len(REF_PREFIX) :]
            result["$ref"] = REF_PREFIX + renames.get(old, old)
        return result
    if isinstance(value, list):
        return [_rename_refs(item, renames) for item in value]
    return value


def annotated(base: Any, metas: list[Any]) -> Any:
    """`Annotated[base, *metas]`, or `base` when there is no metadata."""
    return Annotated[(base, *metas)] if metas else base


# -- documentation of model classes ------------------------------------------------------------
# msgspec documents a Struct or Enum by its class name and docstring only. A title, examples,
# `externalDocs`, `xml` or `x-` extensions are documentation (they change no value), declared
# with `@schema_docs(...)` on the class and added to its component schema.

_T = TypeVar("_T")
_ATTRIBUTE = SCHEMA_DOCS_ATTRIBUTE
_OPEN_TAG = "__schema_open_tag__"
_TAG_DOCS = "__schema_tag_docs__"


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
    open_tag: bool = False,
    tag_docs: Mapping[str, Any] | None = None,
    extensions: Mapping[str, Any] | None = None,
) -> Callable[[_T], _T]:
    """Document a model class: the keywords join its component schema.

    `description` is for text a docstring cannot hold exactly (it wins over the docstring);
    `format` is an annotation here (a format no Python type of the class checks), and so is
    `discriminator` (the Discriminator object of a base type: the class picks no member).
    `open_tag`: a tagged Struct's tag property is documented without msgspec's one-value enum
    (the spec leaves the property open; its union's discriminator says which value is whose);
    `tag_docs`: keywords its tag property has beside its value (a description, a format...).
    """
    bad = [key for key in (extensions or {}) if not key.startswith("x-")]
    if bad:
        raise ImproperlyConfiguredException(f"extension keys must start with 'x-': {bad}")
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
    docs.update(extensions or {})
    plain: dict[str, Any] = msgspec.to_builtins(docs)

    tag_plain: dict[str, Any] = msgspec.to_builtins(dict(tag_docs or {}))

    def decorate(cls: _T) -> _T:
        setattr(cls, _ATTRIBUTE, plain)
        if open_tag:
            setattr(cls, _OPEN_TAG, True)
        if tag_plain:
            setattr(cls, _TAG_DOCS, tag_plain)
        return cls

    return decorate


def _extra_keys_leaves(leaves: list[Any]) -> tuple[list[Any], dict[type, int]]:
    """Add the value type of each Struct's extra keys to `leaves`.

    Returns the component classes of all the leaves, and class -> its extra keys' leaf index.
    """
    found: dict[type, int] = {}
    while True:
        classes = _component_types(leaves)
        fresh = [
            (cls, declared)
            for cls in classes
            if cls not in found and (declared := extra_keys_of(cls)) is not None
        ]
        if not fresh:
            return classes, found
        for cls, declared in fresh:
            leaves.append(declared.value_type)
            found[cls] = len(leaves) - 1


def _component_types(leaves: Iterable[Any]) -> list[Any]:
    """The classes msgspec names as components for these types (as msgspec collects them)."""
    found: dict[Any, None] = {}
    inspect = msgspec.inspect

    def collect(t: Any) -> None:
        if isinstance(
            t,
            inspect.StructType
            | inspect.TypedDictType
            | inspect.DataclassType
            | inspect.NamedTupleType,
        ):
            if t.cls not in found:
                found[t.cls] = None
                for field in t.fields:
                    collect(field.type)
        elif isinstance(t, inspect.EnumType):
            found[t.cls] = None
        elif isinstance(t, inspect.Metadata):
            collect(t.type)
        elif isinstance(t, inspect.CollectionType):
            collect(t.item_type)
        elif isinstance(t, inspect.TupleType):
            for item in t.item_types:
                collect(item)
        elif isinstance(t, inspect.DictType):
            collect(t.key_type)
            collect(t.value_type)
        elif isinstance(t, inspect.UnionType):
            for member in t.types:
                collect(member)
        elif (
            isinstance(t, inspect.CustomType) and is_untagged_union(t.cls) and t.cls not in unions
        ):  # an untagged union's members are components too
            unions.add(t.cls)
            for member in t.cls.member_types():  # type: ignore[attr-defined]
                collect(inspect.type_info(member))

    unions: set[type] = set()
    try:
        infos = inspect.multi_type_info(list(leaves))
    except (TypeError, ValueError):
        return []
    for info in infos:
        collect(info)
    return list(found)


def _names(classes: list[Any]) -> dict[Any, str]:
    """Component names as msgspec gives them: the class name, the full path on a clash."""

    def short(cls: Any) -> str:
        origin = getattr(cls, "__origin__", None)
        if origin is None:
            return _normalize_name(cls.__name__)
        args = (a.__name__ if isinstance(a, type) else repr(a) for a in cls.__args__)
        return _normalize_name(f"{origin.__name__}[{', '.join(args)}]")  # `Page_Item_`

    counts: dict[str, int] = {}
    for cls in classes:
        counts[short(cls)] = counts.get(short(cls), 0) + 1
    return {cls: short(cls) if counts[short(cls)] == 1 else _full_name(cls) for cls in classes}


def apply_model_docs(
    names: Mapping[Any, str], components: dict[str, Any], extra_keys: Mapping[Any, Any]
) -> None:
    """Add to each class's component schema what msgspec does not say: its `schema_docs`, an
    open tag, its property bounds and (`extra_keys`: class -> schema) its extra keys' type."""
    for cls, name in names.items():
        docs = vars(cls).get(_ATTRIBUTE)  # the class's own: a subclass documents itself
        component = components.get(name)
        if isinstance(docs, dict) and isinstance(component, dict):
            component.update(docs)
        if cls in extra_keys and isinstance(component, dict):
            component["additionalProperties"] = extra_keys[cls]
        if vars(cls).get(_OPEN_TAG) and isinstance(component, dict):
            _open_tag(cls, component)
        if vars(cls).get(_TAG_DOCS) and isinstance(component, dict):
            _tag_property(cls, component).update(vars(cls)[_TAG_DOCS])
        bounds = getattr(getattr(cls, "__post_init__", None), _BOUNDS, None)
        if bounds is not None and isinstance(component, dict):
            for key, value in zip(("minProperties", "maxProperties"), bounds, strict=True):
                if value is not None:
                    component[key] = value


def _tag_property(cls: Any, component: dict[str, Any]) -> dict[str, Any]:
    """The schema of a tagged Struct's tag property in its component (a dummy without one)."""
    field = getattr(getattr(cls, "__struct_config__", None), "tag_field", None)
    prop = component.get("properties", {}).get(field) if field else None
    return prop if isinstance(prop, dict) else {}


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
