"""`@all_of(A, B)`: a Struct whose schema is the `allOf` of other Structs' and its own.

msgspec documents a Struct flattened: every field, its bases' included, in one object schema.
A document that composed a schema (`allOf: [{$ref: A}, {properties: ...}]`) says which
parts are shared and what each part says of itself; with the decorator the class's component
is written that way again:

    @all_of(Base)
    class Dog(Base, kw_only=True):
        barks: bool

gives `allOf: [{$ref: Base}, {type: object, properties: {barks: ...}, required: [barks]}]`,
its documentation (description, examples...) beside the `allOf`. The class's own part holds
what the parts do not say already: the properties whose schema differs from every part's (a
field the class narrows), and the names it requires that no part requires. Decoding is
unchanged. The parts need not be bases: a class may hold the fields of several Structs
(Python allows one base with fields).

What an `allOf` could not say is refused when the class is decorated: a part's field the
class lacks or makes optional (the class's tag may be one: it is a required property), a
tagged part (its tag value would apply to the class) unless its tag is documented open
(`schema_docs(open_tag=True)`) on the class's tag field, and extra keys or
`forbid_unknown_fields` on either side (`additionalProperties` sees the properties of its own
schema only, so it would refuse the other parts' properties). A document may write such a
part all the same: `@all_of(..., closed_parts=True)` documents it as written (the class, which
decodes, accepts the other parts' properties; a closed base still refuses unknown keys).
A part need not be a component: an `@inline_schema` part is written inside the allOf. A part
may be a named alias of a Struct (`Annotated[Base, ..., component("Named")]`, a schema that is
another under a second name): it is written as `$ref: Named` and checked as the Struct.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Annotated, Any, TypeVar, get_args, get_origin

import msgspec

from ..exceptions import ImproperlyConfiguredException
from ..extra_keys import extra_keys_of
from .tidy import COMPONENT_MARKER

__all__ = ["all_of", "all_of_parts", "composed_components", "part_struct"]

_T = TypeVar("_T")
_PARTS = "__specloom_all_of__"
_CLOSED_PARTS = "__specloom_all_of_closed__"
_REF_PREFIX = "#/components/schemas/"
_OPEN_TAG = "__schema_open_tag__"  # set by `schema_docs(open_tag=True)`
# keys of a class's component that document it: they stay beside the allOf
_OUTER = frozenset(
    (
        "title",
        "description",
        "examples",
        "deprecated",
        "readOnly",
        "writeOnly",
        "externalDocs",
        "xml",
        "$comment",
        "format",
        "discriminator",
    )
)


def all_of(*parts: type, closed_parts: bool = False) -> Callable[[_T], _T]:
    """Decorate a Struct whose schema is `allOf` of the `parts`' components and its own part.

    `closed_parts`: a part may forbid unknown fields (`additionalProperties: false`), as a
    document may write it although that member then refuses the other members' properties,
    which the class accepts; the class may be closed by such a part (a base), and its own part
    does not say it again."""
    if not parts:
        raise ImproperlyConfiguredException("all_of() needs at least one part")

    def decorate(cls: _T) -> _T:
        _check(cls, parts, closed_parts)
        setattr(cls, _PARTS, tuple(parts))
        if closed_parts:
            setattr(cls, _CLOSED_PARTS, True)
        return cls

    return decorate


def all_of_parts(cls: Any) -> tuple[type, ...]:
    """The parts the class itself declares with `@all_of` (a subclass does not inherit them)."""
    parts = vars(cls).get(_PARTS) if isinstance(cls, type) else None
    return parts if isinstance(parts, tuple) else ()


def _struct(cls: Any) -> bool:
    return isinstance(cls, type) and issubclass(cls, msgspec.Struct)


def _check(cls: Any, parts: tuple[type, ...], closed_parts: bool = False) -> None:
    name = getattr(cls, "__qualname__", repr(cls))

    def refuse(why: str) -> None:
        raise ImproperlyConfiguredException(f"@all_of on {name}: {why}")

    if not _struct(cls):
        refuse("only a msgspec Struct is composed of parts")
    config = cls.__struct_config__
    if (config.forbid_unknown_fields and not closed_parts) or extra_keys_of(cls) is not None:
        refuse("its additionalProperties would refuse the parts' properties")
    fields = _wire_fields(cls)
    for part in map(part_struct, parts):
        if not _struct(part) or part is cls:
            refuse(f"{part!r} is not another msgspec Struct")
        part_config = part.__struct_config__
        open_tag = vars(part).get(_OPEN_TAG) is True and part_config.tag_field == config.tag_field
        if part_config.tag_field is not None and not open_tag:
            refuse(f"{part.__qualname__} is tagged: its tag value would apply here too")
        closed = part_config.forbid_unknown_fields and not closed_parts
        if closed or extra_keys_of(part) is not None:
            refuse(f"{part.__qualname__}'s additionalProperties would refuse other properties")
        for wire, required in _wire_fields(part).items():
            if wire == config.tag_field:
                continue  # the class's tag: a property it requires, of one value
            if wire not in fields:
                refuse(f"it has no field {wire!r} of {part.__qualname__}")
            elif required and not fields[wire]:
                refuse(f"{wire!r} is required by {part.__qualname__}, not here")


def part_struct(part: Any) -> Any:
    """The Struct a named alias part stands for (the part itself otherwise)."""
    return get_args(part)[0] if get_origin(part) is Annotated else part


def _alias_name(part: Any) -> str | None:
    """The component name of a named alias part (its last `component` marker)."""
    found = None
    for item in getattr(part, "__metadata__", ()) if get_origin(part) is Annotated else ():
        extra = getattr(item, "extra_json_schema", None) or {}
        found = extra.get(COMPONENT_MARKER, found)
    return found if isinstance(found, str) else None


def _wire_fields(cls: Any) -> dict[str, bool]:
    """Each field's name on the wire -> whether it is required (without evaluating the
    annotations: the classes they name may come further down the module)."""
    names: tuple[str, ...] = cls.__struct_encode_fields__
    defaults: tuple[Any, ...] = cls.__struct_defaults__  # of the last fields; kw_only ones may
    start = len(names) - len(defaults)  # be required among them (their default is NODEFAULT)
    return {
        name: index < start or defaults[index - start] is msgspec.NODEFAULT
        for index, name in enumerate(names)
    }


def composed_components(names: Mapping[Any, str], components: dict[str, Any]) -> None:
    """Rewrite the component of each `@all_of` class as the `allOf` of its parts and its own
    part, from the flattened components msgspec wrote (read before any is rewritten)."""
    flat = {name: value for name, value in components.items() if isinstance(value, dict)}
    for cls, name in names.items():
        parts = all_of_parts(cls)
        # a named alias's component is hoisted from where it is used (its struct's is here)
        part_names = [_alias_name(part) or names.get(part) for part in parts]
        structs = [part_struct(part) for part in parts]
        if not parts or name not in flat or any(struct not in names for struct in structs):
            continue
        if any(
            names[struct] not in flat or part is None
            for struct, part in zip(structs, part_names, strict=True)
        ):
            continue
        part_schemas = [flat.get(names[struct], {}) for struct in structs]
        schema = flat[name]
        if vars(cls).get(_CLOSED_PARTS) and schema.get("additionalProperties") is False:
            schema = {k: v for k, v in schema.items() if k != "additionalProperties"}  # a part's
        components[name] = _composed(schema, [str(part) for part in part_names], part_schemas)


def _composed(
    schema: dict[str, Any], part_names: list[str], parts: list[dict[str, Any]]
) -> dict[str, Any]:
    outer = {k: v for k, v in schema.items() if k in _OUTER or k.startswith("x-")}
    own = {k: v for k, v in schema.items() if k not in outer}
    properties = {
        wire: value
        for wire, value in (own.pop("properties", None) or {}).items()
        if not any((part.get("properties") or {}).get(wire) == value for part in parts)
    }
    required = [
        wire
        for wire in own.pop("required", None) or ()
        if not any(wire in (part.get("required") or ()) for part in parts)
    ]
    if properties:
        own["properties"] = properties
    if required:
        own["required"] = required
    if list(own) == ["type"] and all(part.get("type") == own["type"] for part in parts):
        own = {}  # the parts say it already
    members: list[dict[str, Any]] = [{"$ref": _REF_PREFIX + name} for name in part_names]
    return {"allOf": members + ([own] if own else []), **outer}
