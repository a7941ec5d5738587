"""Component names of classes: declared names, and classes documented inline where used.

msgspec names a class's component after the class (`Pet`). A spec's names are not always
Python identifiers (`messaging.v1.alpha_sender`, `pet`), and a spec's inline schemas become
named classes too: `@component_name("...")` and `@inline_schema` say how the document names
them. The registry applies both once msgspec has generated every schema.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, TypeVar

from .tidy import NULL_BY_EXTENSION

__all__ = [
    "component_name",
    "declared_name",
    "inline_schema",
    "is_inline",
    "nullable_component",
    "rewrite_components",
]

_T = TypeVar("_T")
_NAME = "__specloom_component_name__"
_INLINE = "__specloom_inline__"
_NULLABLE = "__specloom_nullable__"
REF_PREFIX = "#/components/schemas/"
_CONTAINERS = (dict, list)  # a constant: `dict | list` written in a check is built per call
_VALID = re.compile(r"^[a-zA-Z0-9.\-_]+$")  # what OpenAPI allows as a component name


def component_name(name: str) -> Any:
    """Decorate a Struct, Enum or UntaggedUnion: its component is `name`, not the class name.

    `name` is what OpenAPI allows in a component name (letters, digits, `.`, `-`, `_`).
    """
    if not _VALID.match(name):
        raise ValueError(f"a component name holds only letters, digits, '.', '-', '_': {name!r}")

    def decorate(cls: _T) -> _T:
        setattr(cls, _NAME, name)
        return cls

    return decorate


def inline_schema(cls: _T) -> _T:
    """Decorate a class whose schema is written where it is used, not as a component.

    A class that contains itself (through other inline classes only) stays a component.
    """
    setattr(cls, _INLINE, True)
    return cls


def nullable_component(cls: _T) -> _T:
    """Decorate a class whose component admits null as well (`type: [object, "null"]`).

    Decoding is unchanged: a use of the class that accepts null says so (`Pet | None`).
    """
    setattr(cls, _NULLABLE, True)
    return cls


def declared_name(cls: Any) -> str | None:
    """The component name the class itself declares (a subclass does not inherit it)."""
    name = vars(cls).get(_NAME) if isinstance(cls, type) else None
    return name if isinstance(name, str) else None


def is_inline(cls: Any) -> bool:
    """Whether the class itself is marked `@inline_schema`."""
    return isinstance(cls, type) and vars(cls).get(_INLINE) is True


def rewrite_components(
    classes: Mapping[str, Any], schemas: list[Any], components: dict[str, Any]
) -> tuple[list[Any], dict[str, Any]]:
    """Rename components to the names their classes declare and inline `@inline_schema` ones.

    `classes`: component name (as msgspec gave it) -> its class. Returns the schemas and the
    components rewritten; a `$ref` to an inlined component is its schema, its siblings on top.
    """
    renames = _renames(classes, components)
    for name, cls in classes.items():
        nullable = isinstance(cls, type) and vars(cls).get(_NULLABLE) is True
        if nullable and name in components and NULL_BY_EXTENSION not in components[name]:
            # tidied into `type: [T, "null"]` where the schema is simple enough
            components[name] = {"anyOf": [components[name], {"type": "null"}]}
    inline = {renames.get(n, n) for n, cls in classes.items() if is_inline(cls) and n in components}
    renamed = {renames.get(n, n): _renamed(value, renames) for n, value in components.items()}
    if not inline:
        return [_renamed(schema, renames) for schema in schemas], renamed
    edges, mapped = _scan(renamed, inline)
    inline -= _recursive(edges) | mapped
    result = {n: value for n, value in renamed.items() if n not in inline}
    expand = _Expander({n: renamed[n] for n in inline})
    return (
        [expand(_renamed(schema, renames)) for schema in schemas],
        {name: expand(value) for name, value in result.items()},
    )


def _renames(classes: Mapping[str, Any], components: Mapping[str, Any]) -> dict[str, str]:
    """msgspec's name -> the declared one; a declared name wins over a class name it meets."""
    claimed: dict[str, str] = {}  # declared name -> the component claiming it (the first)
    for name, cls in classes.items():
        wanted = declared_name(cls)
        if wanted is not None and name in components:
            claimed.setdefault(wanted, name)
    renames = {name: wanted for wanted, name in claimed.items() if wanted != name}
    taken = set(claimed)
    for name in components:
        if name in renames or claimed.get(name) == name or name not in taken:
            continue
        cls = classes.get(name)  # a class whose own name another class declares: moved aside
        moved = f"{cls.__module__}.{cls.__qualname__}" if cls is not None else name
        moved = re.sub(r"[^a-zA-Z0-9.\-_]", "_", moved)
        candidate, number = moved, 2
        while candidate in taken or candidate in components:
            candidate, number = f"{moved}_{number}", number + 1
        renames[name] = candidate
        taken.add(candidate)
    return renames


def _renamed(value: Any, renames: Mapping[str, str]) -> Any:
    if not renames:
        return value
    if isinstance(value, list):
        return [_renamed(item, renames) for item in value]
    if not isinstance(value, dict):
        return value
    result = {key: _renamed(item, renames) for key, item in value.items()}
    ref = result.get("$ref")
    if isinstance(ref, str) and ref.startswith(REF_PREFIX):
        result["$ref"] = REF_PREFIX + renames.get(ref[len(REF_PREFIX) :], ref[len(REF_PREFIX) :])
    discriminator = result.get("discriminator")
    if isinstance(discriminator, dict) and isinstance(discriminator.get("mapping"), dict):
        mapping = {
            tag: _renamed({"$ref": target}, renames)["$ref"] if isinstance(target, str) else target
            for tag, target in discriminator["mapping"].items()
        }
        result["discriminator"] = {**discriminator, "mapping": mapping}
    return result


def _scan(components: Mapping[str, Any], inline: set[str]) -> tuple[dict[str, set[str]], set[str]]:
    """One walk of the components: the inline components each inline component refers to,
    and the components a discriminator's mapping names (a mapping can only point at a
    component)."""
    edges: dict[str, set[str]] = {}
    mapped: set[str] = set()
    for name, value in components.items():
        refs: set[str] | None = edges.setdefault(name, set()) if name in inline else None
        stack = [value]
        while stack:
            item = stack.pop()
            if isinstance(item, dict):
                ref = item.get("$ref")
                if (
                    refs is not None
                    and isinstance(ref, str)
                    and ref.startswith(REF_PREFIX)
                    and ref[len(REF_PREFIX) :] in inline
                ):
                    refs.add(ref[len(REF_PREFIX) :])
                discriminator = item.get("discriminator")
                if isinstance(discriminator, dict) and isinstance(
                    discriminator.get("mapping"), dict
                ):
                    for target in discriminator["mapping"].values():
                        if isinstance(target, str) and target.startswith(REF_PREFIX):
                            mapped.add(target[len(REF_PREFIX) :])
                stack.extend(item.values())
            elif isinstance(item, list):
                stack.extend(item)
    return edges, mapped


def _recursive(edges: Mapping[str, set[str]]) -> set[str]:
    """Inline components that reach themselves through inline components only (`edges`:
    each inline component -> the inline components it refers to)."""
    found: set[str] = set()
    for start in edges:
        seen: set[str] = set()
        stack = list(edges[start])
        while stack:
            name = stack.pop()
            if name == start:
                found.add(start)
                break
            if name not in seen:
                seen.add(name)
                stack.extend(edges[name])
    return found


class _Expander:
    """Replaces each `$ref` to an inline component with its (expanded) schema: a new dict at
    each use (the `$ref`'s siblings on top), what it holds shared between the uses. The
    registry's passes after this one (`_hoisted`, `tidy`) build new containers throughout, so
    nothing shared reaches the document; a copy per use cost more than the rest of the pass."""

    def __init__(self, inline: dict[str, Any]) -> None:
        self.inline = inline
        self.expanded: dict[str, Any] = {}

    def __call__(self, value: Any) -> Any:
        """`value` with its `$ref`s to inline components replaced, in place: the containers
        are changed, not copied (what the registry passes is its own), and `value` itself is
        returned, or its replacement when it is such a `$ref`."""
        if not self.inline:
            return value
        if isinstance(value, dict):
            for key, item in value.items():
                if isinstance(item, _CONTAINERS):
                    new = self(item)
                    if new is not item:
                        value[key] = new
            ref = value.get("$ref")
            if not (
                isinstance(ref, str)
                and ref.startswith(REF_PREFIX)
                and ref[len(REF_PREFIX) :] in self.inline
            ):
                return value
            name = ref[len(REF_PREFIX) :]
            if name not in self.expanded:  # no cycle of inline components is left (_recursive)
                self.expanded[name] = self(self.inline[name])
            siblings = {key: item for key, item in value.items() if key != "$ref"}
            # each use its own top, its parts shared: the registry's later passes copy them
            return {**self.expanded[name], **siblings}
        if isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, _CONTAINERS):
                    new = self(item)
                    if new is not item:
                        value[index] = new
        return value
