"""Python types to OpenAPI 3.1 schemas (JSON Schema 2020-12), named in one component registry.

msgspec does the work (`msgspec.json.schema_components`); pydantic models inside any type are
handed to pydantic through msgspec's schema hook. The output is then tidied for OpenAPI 3.1.
"""

from __future__ import annotations

import copy
import sys
import textwrap
import types
from collections.abc import Callable, Sequence
from pathlib import PurePath
from typing import Annotated, Any, Union, get_args, get_origin

import msgspec

from ..signature import unwrap_annotated
from ..type_info import KeptComponents, schema_components, type_info
from ..types import SCHEMA_DOCS_ATTRIBUTE
from ..untagged import Nothing, is_number_enum, is_untagged_union
from .model_docs import (
    all_of,
    apply_model_docs,
    component_names,
    extra_keys_leaves,
    full_name,
    normalize_name,
    properties_between,
    schema_docs,
)
from .names import component_name, inline_schema, nullable_component, rewrite_components
from .shared_union import shared_union_components, union_leaves
from .tidy import (
    ANY_MARKER,
    COMPONENT_MARKER,
    NOTHING_MARKER,
    RESTATED_MARKER,
    UNION_MARKER,
    admits_null,
    null_absorbed,
    tidy,
)
from .unnamed import unnamed_schemas

__all__ = [
    "REF_PREFIX",
    "AnyOf",
    "OneOf",
    "SchemaRegistry",
    "all_of",
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
    return msgspec.Meta(extra_json_schema={COMPONENT_MARKER: normalize_name(name)})


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
        type_info(annotation)
    except (TypeError, ValueError, AttributeError, NameError):
        return False
    return True


def _is_pydantic_model(cls: Any) -> bool:
    pydantic = sys.modules.get("pydantic")
    return pydantic is not None and isinstance(cls, type) and issubclass(cls, pydantic.BaseModel)


class _Generation:
    """One run of msgspec over every registered leaf type, with the custom-type hook."""

    def __init__(
        self,
        pydantic_names: dict[type, str],
        member_schemas: dict[type, dict[str, Any]] | None = None,
        kept: KeptComponents | None = None,
    ) -> None:
        self.pydantic_names = pydantic_names
        self.kept = kept
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
            # the marker keeps the keyword where a use would default another (a response)
            schema: dict[str, Any] = {keyword: members, UNION_MARKER: keyword}
            discriminator = _discriminator(cls.member_types(), members)  # type: ignore[attr-defined]
            if discriminator is not None:
                schema["discriminator"] = discriminator
            if cls.closed:  # type: ignore[attr-defined]
                schema.update(type="object", additionalProperties=False)
            elif cls.objects:  # type: ignore[attr-defined]
                schema["type"] = "object"
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
        schema.update(getattr(cls, SCHEMA_DOCS_ATTRIBUTE, None) or {})
        component = normalize_name(cls.__name__)
        if self.unions.get(component, schema) != schema:
            component = full_name(cls)
        self.unions[component] = schema
        self.union_classes[component] = cls
        return {"$ref": REF_PREFIX + component}

    def run(self, leaves: list[Any]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        schemas, components = schema_components(
            leaves, schema_hook=self.hook, ref_template=REF_PREFIX + "{name}", kept=self.kept
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
        self._filled: list[dict[str, Any]] = []  # the last finalize()'s placeholders, in order
        self._shape: list[Any] = []  # and what else each was asked with

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
        unnamed: dict[type, dict[str, int]] = {}  # @unnamed_properties' types
        classes, extra_keys = extra_keys_leaves(leaves, unnamed)
        schemas, components, unions = self._generate(leaves)
        extra_schemas = {cls: schemas[index] for cls, index in extra_keys.items()}
        names = component_names(classes)
        apply_model_docs(names, components, extra_schemas, unnamed_schemas(unnamed, schemas))
        shared_union_components(unions, names, components)
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
        nullable = {REF_PREFIX + name for name, value in tidied.items() if admits_null(value)}
        self.components = tidied
        if nullable:  # else there is no null to absorb
            self.components = {name: null_absorbed(v, nullable) for name, v in tidied.items()}
            for _, placeholder, _, _, _, _ in self._pending:
                absorbed = null_absorbed(placeholder, nullable)
                placeholder.clear()
                placeholder.update(absorbed)
        self._filled = [pending[1] for pending in self._pending]
        self._shape = self._pending_shape()
        self._pending.clear()
        return self.components

    def _pending_shape(self) -> list[Any]:
        return [
            [union, multipart, declared] for _, _, union, _, multipart, declared in self._pending
        ]

    def finalized(self) -> bytes:
        """What the last `finalize()` gave, as JSON for `restore()`: the components and each
        placeholder's schema, in the order they were asked for."""
        return msgspec.json.encode(
            {"shape": self._shape, "schemas": self.components, "filled": self._filled}
        )

    def restore(self, finalized: bytes) -> dict[str, Any] | None:
        """`finalize()` from what an earlier one gave (`finalized()`) for the same questions
        asked by the same code: the pending placeholders filled in, `components/schemas`
        returned. None (nothing changed) when it does not fit what is pending."""
        try:
            stored = msgspec.json.decode(finalized)
            shape, schemas, filled = stored["shape"], stored["schemas"], stored["filled"]
        except (msgspec.DecodeError, TypeError, KeyError):
            return None
        if shape != self._pending_shape() or not isinstance(schemas, dict):
            return None
        if not isinstance(filled, list) or not all(isinstance(f, dict) for f in filled):
            return None
        for (_, placeholder, _, _, _, _), schema in zip(self._pending, filled, strict=True):
            placeholder.clear()
            placeholder.update(schema)
        self._filled, self._shape = filled, shape
        self._pending.clear()
        self.components = schemas
        return schemas

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
        kept = KeptComponents()  # a run's component schemas that did not ask the hook
        for _ in range(_MAX_UNION_RUNS):
            first = _Generation({}, member_schemas, kept)
            schemas, components = first.run([*leaves, *members])
            found = [m for u in first.seen_unions for m in union_leaves(u)]
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
            name = normalize_name(cls.__name__)
            names[cls] = full_name(cls) if name in taken else name
            taken.add(names[cls])
        last = _Generation(names, member_schemas, kept)
        schemas, components = last.run([*leaves, *members])
        for cls, name in names.items():
            _merge_pydantic(cls, name, components)
        return schemas[: len(leaves)], components, last.union_classes


def _hoisted(schema: Any, components: dict[str, Any], named: dict[str, Any]) -> Any:
    """`schema` with every part marked by `component(name)` replaced by a `$ref` to it.

    The first schema under a name is the component (a declared alias's own comes first);
    what a use adds to it (a description...) stays beside the `$ref`, and so does what it
    says again (`RESTATED_MARKER` names those keys). A name a class already has keeps the
    marked schema inline (the marker is dropped).
    """
    if isinstance(schema, list):
        return [_hoisted(item, components, named) for item in schema]
    if not isinstance(schema, dict):
        return schema
    result = {key: _hoisted(value, components, named) for key, value in schema.items()}
    name = result.pop(COMPONENT_MARKER, None)
    restated = result.pop(RESTATED_MARKER, None) or ()
    if not isinstance(name, str) or name in components:
        return result
    own = named.setdefault(name, result)
    kept = {key: result[key] for key in restated if key in result and own is not result}
    return {"$ref": REF_PREFIX + name, **_added(result, own), **kept}


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
        target = normalize_name(def_name)
        suffix = 2
        while target in components and components[target] != value:
            target = f"{normalize_name(def_name)}_{suffix}"
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
