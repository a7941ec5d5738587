"""Which models the models module defines, under which component names, in which order.

The models module is evaluated as it is read (no `from __future__ import annotations`: a
string annotation is compiled again at every start of the server, a real one is in the
bytecode), so each model comes after what its class or alias needs when it is defined: bases,
`all_of` parts, alias targets and enum defaults must (`eager_references`); the models its
fields name should (`field_references`): a field that closes a cycle of them is written as a
string (plan/forward_refs.py), and the order is chosen so that few are.

Reported here: component names OpenAPI 3 refuses (served under a fixed name), inline schemas
served as components, and type aliases that refer to each other in a cycle.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from graphlib import CycleError, TopologicalSorter

import msgspec

from ..errors import SpecWarning
from ..graphs import strong_components
from ..ir import Api, Model, ModelRef, without_none
from ..naming import component_keys
from ..unions import is_untagged_union, model_refs

__all__ = ["eager_references", "field_references", "kept_components", "ordered", "served_names"]


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


def field_references(model: Model) -> set[str]:
    """Models a struct's field annotations name: each should be defined before the class."""
    if model.kind != "struct":
        return set()
    return model_refs(tuple(item.type for item in model.fields))


def ordered(api: Api, warnings: list[SpecWarning]) -> list[Model]:
    """The models, each after those it needs defined first (a cycle of aliases is broken,
    reported), and after those its fields name but where they close a cycle."""
    by_name = {model.name: model for model in api.models}
    # sorted: a set's order follows string hashing, which changes with PYTHONHASHSEED, and the
    # order of the models module must be the same on every run
    names = set(by_name)
    graph = {model.name: sorted(eager_references(model) & names) for model in api.models}
    try:
        TopologicalSorter(graph).prepare()
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
        _break_cycles(graph)
    fields = {
        model.name: sorted((field_references(model) & names) - set(graph[model.name]))
        for model in api.models
    }
    return [by_name[name] for name in definition_order(list(by_name), graph, fields)]


def _break_cycles(graph: dict[str, list[str]]) -> None:
    while True:
        try:
            TopologicalSorter(graph).prepare()
            return
        except CycleError as error:
            graph[error.args[1][0]] = []


def definition_order(
    names: list[str], must: dict[str, list[str]], should: dict[str, list[str]]
) -> list[str]:
    """`names`, each after its `must` (an acyclic graph), and after its `should` but where
    they close a cycle; else in the order given.

    The strongly connected components of both graphs are laid out in their dependency order
    (every edge between two of them kept), the earliest given first among those ready; within
    one, a name whose `must` are placed and with the fewest `should` left goes first.
    """
    position = {name: index for index, name in enumerate(names)}
    needs = {name: sorted({*must[name], *should[name]}, key=position.__getitem__) for name in names}
    components = [
        sorted(members, key=position.__getitem__) for members in strong_components(names, needs)
    ]
    owner = {name: index for index, members in enumerate(components) for name in members}
    waiting = [0] * len(components)
    users: list[set[int]] = [set() for _ in components]
    for name in names:
        for other in {owner[dep] for dep in needs[name]} - {owner[name]}:
            if owner[name] not in users[other]:
                users[other].add(owner[name])
                waiting[owner[name]] += 1
    first = [min(position[name] for name in members) for members in components]
    ready = [(first[index], index) for index, count in enumerate(waiting) if count == 0]
    heapq.heapify(ready)
    order: list[str] = []
    while ready:
        _, index = heapq.heappop(ready)
        order += _within(components[index], must, should, position)
        for user in users[index]:
            waiting[user] -= 1
            if waiting[user] == 0:
                heapq.heappush(ready, (first[user], user))
    return order


def _within(
    members: list[str],
    must: dict[str, list[str]],
    should: dict[str, list[str]],
    position: dict[str, int],
) -> list[str]:
    """One strongly connected component: the `must` order, the fewest `should` left behind."""
    if len(members) == 1:
        return members
    inside = set(members)
    must_left = {name: {d for d in must[name] if d in inside} - {name} for name in members}
    should_left = {name: {d for d in should[name] if d in inside} - {name} for name in members}
    users: dict[str, list[str]] = {name: [] for name in members}
    for name in members:
        for dep in must_left[name] | should_left[name]:
            users[dep].append(name)
    ready = [(len(should_left[n]), position[n], n) for n in members if not must_left[n]]
    heapq.heapify(ready)
    order: list[str] = []
    placed: set[str] = set()
    while ready:
        count, _, name = heapq.heappop(ready)
        if name in placed or count != len(should_left[name]):
            continue  # placed, or pushed again since with fewer left
        order.append(name)
        placed.add(name)
        for user in users[name]:
            must_left[user].discard(name)
            should_left[user].discard(name)
            if user not in placed and not must_left[user]:
                heapq.heappush(ready, (len(should_left[user]), position[user], user))
    return order


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
