"""Which models the models module defines, under which component names, in which order.

Reported here: component names OpenAPI 3 refuses (served under a fixed name), inline schemas
served as components, and type aliases that refer to each other in a cycle.
"""

from __future__ import annotations

from collections.abc import Sequence
from graphlib import CycleError, TopologicalSorter

import msgspec

from ..errors import SpecWarning
from ..ir import Api, Model, ModelRef, without_none
from ..naming import component_keys
from ..unions import is_untagged_union, model_refs

__all__ = ["eager_references", "kept_components", "ordered", "served_names"]


def eager_references(model: Model) -> set[str]:
    """Models that must be defined before this one (bases, `all_of` parts, aliases' targets,
    enum defaults)."""
    names: set[str] = set(model.bases) | set(model.all_of)
    if model.kind in ("alias", "union"):
        targets = [model.target] if model.target is not None else list(model.union_members)
        for target in targets:
            names |= model_refs(target)
    for item in model.fields:
        if item.has_default:
            inner = without_none(item.type)
            if isinstance(inner, ModelRef):
                names.add(inner.name)
    return names


def ordered(api: Api, warnings: list[SpecWarning]) -> list[Model]:
    """The models, each after those it needs defined first; a cycle is broken (reported)."""
    by_name = {model.name: model for model in api.models}
    # sorted: a set's order follows string hashing, which changes with PYTHONHASHSEED, and the
    # order of the models module must be the same on every run
    names = set(by_name)
    graph = {model.name: sorted(eager_references(model) & names) for model in api.models}
    try:
        order = list(TopologicalSorter(graph).static_order())
    except CycleError as error:
        cycle = error.args[1]
        warnings.append(
            SpecWarning(
                by_name[cycle[0]].pointer,
                f"type aliases refer to each other in a cycle ({' -> '.join(cycle)}); "
                "the cycle is typed as Any where it closes",
            )
        )
        graph[cycle[0]] = []
        return _ordered_with(graph, by_name)
    return [by_name[name] for name in order]


def _ordered_with(graph: dict[str, list[str]], by_name: dict[str, Model]) -> list[Model]:
    while True:
        try:
            return [by_name[name] for name in TopologicalSorter(graph).static_order()]
        except CycleError as error:
            graph[error.args[1][0]] = []


def served_names(models: Sequence[Model], warnings: list[SpecWarning]) -> tuple[Model, ...]:
    """The models, each component name one OpenAPI 3 allows (an OpenAPI 3 document that
    breaks the rule; a 2.0 one's names are renamed when it is read): `naming.component_keys`,
    with a warning."""
    renamed = component_keys(m.wire_name for m in models if m.wire_name is not None)
    result = []
    for model in models:
        served = renamed.get(model.wire_name) if model.wire_name is not None else None
        if served is None:
            result.append(model)
            continue
        warnings.append(
            SpecWarning(
                model.pointer,
                f"component name {model.wire_name!r} is not one OpenAPI 3 allows (letters, "
                f"digits, '.', '-', '_'): served as {served!r}",
            )
        )
        result.append(msgspec.structs.replace(model, wire_name=served))
    return tuple(result)


def kept_components(models: Sequence[Model], by_name: dict[str, Model]) -> list[SpecWarning]:
    """Inline schemas the document cannot write where they are used: served as components.

    One that contains itself through inline schemas only would be infinite written out, and
    a discriminator's mapping can only name a component.
    """
    inline = {m.name for m in models if m.wire_name is None}
    edges = {
        m.name: model_refs([m.fields, m.extra_fields, m.union_members, m.target]) & inline
        for m in models
        if m.name in inline
    }
    warnings = []
    for model in models:
        is_class = model.kind in ("struct", "enum") or is_untagged_union(model, by_name)
        if model.name not in inline or not is_class:
            continue
        if _reaches(model.name, edges):
            reason = "it contains itself"
        elif model.tag is not None:
            reason = "a discriminator maps to it"
        else:
            continue
        warnings.append(
            SpecWarning(
                model.pointer,
                f"inline schema served as component {model.name!r}: {reason}, and only a "
                "named schema can be",
            )
        )
    return warnings


def _reaches(start: str, edges: dict[str, set[str]]) -> bool:
    """Whether `start` reaches itself along `edges`."""
    seen: set[str] = set()
    stack = list(edges.get(start, ()))
    while stack:
        name = stack.pop()
        if name == start:
            return True
        if name not in seen:
            seen.add(name)
            stack.extend(edges.get(name, ()))
    return False
