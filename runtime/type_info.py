"""msgspec's type information and JSON schemas, each class read once per process.

`msgspec.inspect.type_info` starts over on every call: it reads the annotations of every class
the type reaches (evaluating them again when they are strings, as under `from __future__ import
annotations`). Start-up asks about every handler's parameters, body and return type, and the
OpenAPI document about every leaf type, so an app of a few hundred operations over a few hundred
models read the same models thousands of times (seconds of start-up, most of them in `compile`
of annotation strings). Here one translation is kept: a class is read once, and a type already
seen is answered from a dict.

The translator is msgspec's own (`msgspec.inspect._Translator`, the class behind
`multi_type_info`), used as `multi_type_info` uses it, so the answers are msgspec's; the schema
generator is msgspec's too (`schema_components`' steps, fed the kept answers). Where a msgspec
release lacks either, the public functions are used: the same answers, only slower.
"""

from __future__ import annotations

import sys
import threading
import typing
from collections.abc import Callable, Iterable
from types import GenericAlias, UnionType
from typing import Annotated, Any, ForwardRef, Generic, get_origin

import msgspec
import msgspec.inspect

__all__ = ["KeptComponents", "gathered", "multi_type_info", "schema_components", "type_info"]

_LOCK = threading.RLock()
_KNOWN: dict[Any, msgspec.inspect.Type] = {}  # annotation -> its answer
_BY_ID: dict[int, tuple[Any, msgspec.inspect.Type]] = {}  # id -> (annotation, answer)
_STATE: dict[str, Any] = {}  # "translator": the kept msgspec translator


def type_info(annotation: Any) -> msgspec.inspect.Type:
    """`msgspec.inspect.type_info(annotation)`, the classes it reaches read once per process.

    Raises as msgspec does (TypeError, ValueError) for what msgspec cannot handle.

    An annotation object asked about again is answered by its identity first: the hash of an
    `Annotated` alias hashes its metadata each time, and the document asks about the same
    alias objects several times (thousands of them in a large app)."""
    seen = _BY_ID.get(id(annotation))
    if seen is not None and seen[0] is annotation:
        return seen[1]
    try:
        info = _KNOWN.get(annotation)
    except TypeError:  # unhashable: answered as its hashable equivalent
        key = _hashable_equivalent(annotation)
        info = _translate(annotation) if key is None else type_info(key)
    else:
        if info is None:
            info = _KNOWN[annotation] = _translate(annotation)
    _BY_ID[id(annotation)] = (annotation, info)  # the annotation kept: its id stays its own
    return info


def _hashable_equivalent(annotation: Any) -> Any:
    """`Annotated[T, ...]` with its metadata narrowed to the `msgspec.Meta` items (None when
    that is unhashable still): msgspec reads no other metadata, so both have one answer.

    A parameter's annotation carries its (unhashable) parameter definition, and a shared
    parameter's annotation is asked about by every operation that uses it."""
    metadata = getattr(annotation, "__metadata__", None)
    if get_origin(annotation) is not Annotated or metadata is None:
        return None
    metas = tuple(item for item in metadata if type(item) is msgspec.Meta)
    key = Annotated[(annotation.__origin__, *metas)] if metas else annotation.__origin__
    try:
        hash(key)
    except TypeError:
        return None
    return key


def multi_type_info(annotations: Iterable[Any]) -> tuple[msgspec.inspect.Type, ...]:
    """`msgspec.inspect.multi_type_info`, from the kept answers."""
    return tuple(type_info(annotation) for annotation in annotations)


def _translate(annotation: Any) -> msgspec.inspect.Type:
    factory = getattr(msgspec.inspect, "_Translator", None)
    if factory is None:
        return msgspec.inspect.type_info(annotation)
    # what msgspec checks before it translates: a decoder refuses an unsupported type
    msgspec.msgpack.Decoder(annotation)
    with _LOCK:
        translator = _STATE.get("translator")
        if translator is None:
            translator = _STATE["translator"] = _translator_class(factory)(())
        try:
            info: msgspec.inspect.Type = translator.translate(annotation)
        except BaseException:
            # a class read half-way stays in the translator's cache: start a new one
            _STATE.pop("translator", None)
            raise
    return info


def _translator_class(factory: type) -> type:
    """msgspec's translator, answering a type object it met before with its earlier answer,
    and reading the annotations of a plain Struct class (no generics, none a string) without
    msgspec's evaluation of each: they are already what it gives.

    msgspec evaluates every annotation (`typing._eval_type`, which walks the whole
    annotation and rebuilds its generic aliases) of every class it translates: a large app's
    thousands of models hold tens of thousands of them, all already types. Where the
    translator is not built as these steps expect (another msgspec release), it is used as
    it is: the same answers, only slower."""
    kept: type | None = _STATE.get("translator_class")
    if kept is not None:
        return kept
    probe = factory(())
    if not (
        callable(getattr(probe, "translate", None))
        and callable(getattr(probe, "_get_class_annotations", None))
        and isinstance(getattr(probe, "type_hints", None), dict)
    ):
        _STATE["translator_class"] = factory
        return factory

    class Translator(factory):  # type: ignore[misc]
        def __init__(self, types: Iterable[Any]) -> None:
            super().__init__(types)
            self.translated: dict[int, tuple[Any, Any]] = {}  # id(type) -> (type, answer)

        def translate(self, typ: Any) -> Any:
            # one type object met again is answered as before (msgspec translates it anew):
            # fields share their aliases, `str`, `None`... (a third as many objects as uses)
            hit = self.translated.get(id(typ))
            if hit is not None and hit[0] is typ:
                return hit[1]
            info = super().translate(typ)
            self.translated[id(typ)] = (typ, info)  # the type kept: its id stays its own
            return info

        def _get_class_annotations(self, t: Any) -> Any:
            hints = self.type_hints.get(t)
            if hints is None:
                hints = _plain_annotations(t)
                if hints is None:
                    return super()._get_class_annotations(t)
                self.type_hints[t] = hints
            return hints

    _STATE["translator_class"] = Translator
    return Translator


# typing's generic aliases (Annotated, Union, Literal, List...)
_TYPING_ALIAS: type = typing._GenericAlias  # type: ignore[attr-defined]


def _plain_annotations(cls: Any) -> dict[str, Any] | None:
    """`msgspec._utils.get_class_annotations(cls)` for a Struct class that is not generic and
    whose annotations hold no string or forward reference: each class's own annotations
    along its MRO, the first of a name winning, None as `NoneType` (what evaluation gives:
    the same objects, or equal ones). None where that does not hold: msgspec evaluates."""
    if (
        sys.version_info >= (3, 14)  # annotations read through annotationlib
        or not isinstance(cls, type)
        or not issubclass(cls, msgspec.Struct)
        or issubclass(cls, Generic)
        or getattr(cls, "__type_params__", None)
    ):
        return None
    hints: dict[str, Any] = {}
    for base in cls.__mro__:
        if base is object:
            continue
        for name, value in vars(base).get("__annotations__", {}).items():
            if name in hints:
                continue
            if isinstance(value, str) or not _evaluated(value):
                return None
            hints[name] = type(None) if value is None else value
    return hints


def _evaluated(annotation: Any) -> bool:
    """Whether evaluation leaves `annotation` as it is: no forward reference in it, and no
    string among a builtin generic's arguments (`list["Pet"]`, which evaluation resolves).
    A class is told first: most of what it meets are classes."""
    if isinstance(annotation, type) and not isinstance(annotation, GenericAlias):
        return True  # (a builtin generic is a `type` to Python 3.10)
    if isinstance(annotation, GenericAlias):
        return all(not isinstance(a, str) and _evaluated(a) for a in annotation.__args__)
    if isinstance(annotation, _TYPING_ALIAS | UnionType):
        arguments: tuple[Any, ...] = getattr(annotation, "__args__", ())
        return all(_evaluated(a) for a in arguments)
    return not isinstance(annotation, ForwardRef)


def schema_components(
    annotations: Iterable[Any],
    *,
    schema_hook: Callable[[type], dict[str, Any]] | None = None,
    ref_template: str,
    kept: KeptComponents | None = None,
) -> tuple[tuple[dict[str, Any], ...], dict[str, Any]]:
    """`msgspec.json.schema_components`, over the kept type information.

    `kept`: given again to a later call with the same hook and template (a registry's runs
    over a growing list of types), it answers the component schemas an earlier call made
    without asking the hook, where every class keeps its name: msgspec's schema of a class
    depends on its type information and the names of the classes it refers to only. So does
    its schema of each type (the same type in the same place of `annotations`). Those
    schemas are the earlier call's objects, not copies.
    """
    annotations = tuple(annotations)
    try:
        from msgspec import _json_schema as steps

        collect = steps._collect_component_types
        build_names = steps._build_name_map
        generator_class = steps._SchemaGenerator
    except (ImportError, AttributeError):
        return msgspec.json.schema_components(
            annotations, schema_hook=schema_hook, ref_template=ref_template
        )
    infos = multi_type_info(annotations)
    if kept is not None:
        component_types, name_map = kept.collected(infos, collect, build_names)
    else:
        component_types = collect(infos)
        name_map = build_names(component_types)
    if kept is None:
        generator = generator_class(name_map, schema_hook, ref_template)
        schemas = tuple(generator.to_schema(info) for info in infos)
        components = {
            name_map[cls]: generator.to_schema(info, False) for cls, info in component_types.items()
        }
        return schemas, components
    return _reusing(
        kept, generator_class, name_map, schema_hook, ref_template, infos, component_types
    )


class KeptComponents:
    """What one `schema_components` call leaves for the next: its types, the component
    classes collected from them and their names, the component schemas it made without
    asking the hook (class -> schema), and each type's own schema where it made that without
    asking the hook (None where it asked)."""

    def __init__(self) -> None:
        self.infos: tuple[msgspec.inspect.Type, ...] = ()
        self.component_types: dict[Any, msgspec.inspect.Type] = {}
        self.names: dict[Any, str] = {}
        self.schemas: dict[Any, dict[str, Any]] = {}
        self.leaf_infos: tuple[msgspec.inspect.Type, ...] = ()  # the types, as the last call
        self.leaf_schemas: list[dict[str, Any] | None] = []  # had them; the schemas of each

    def collected(
        self,
        infos: tuple[msgspec.inspect.Type, ...],
        collect: Callable[[Any], dict[Any, msgspec.inspect.Type]],
        build_names: Callable[[Any], dict[Any, str]],
    ) -> tuple[dict[Any, msgspec.inspect.Type], dict[Any, str]]:
        """msgspec's component classes of `infos` and their names, the earlier call's where
        its types begin these: msgspec collects the classes depth first, each class's fields
        once, so the classes of a longer list are those of its beginning, then the new ones
        the rest reaches, in the order a walk of the rest alone meets them (what it meets
        again was met first under the beginning's classes); names depend on the classes
        (in order) only."""
        old = self.infos
        if len(infos) >= len(old) and all(
            a is b for a, b in zip(old, infos[: len(old)], strict=True)
        ):
            component_types = dict(self.component_types)
            if len(infos) > len(old):
                component_types.update(collect(infos[len(old) :]))
        else:
            component_types = collect(infos)
        if list(component_types) == list(self.component_types):
            names = self.names
        else:
            names = build_names(component_types)
        self.infos, self.component_types = infos, component_types
        return component_types, names


def _reusing(
    kept: KeptComponents,
    generator_class: Any,
    name_map: dict[Any, str],
    schema_hook: Callable[[type], dict[str, Any]] | None,
    ref_template: str,
    infos: tuple[msgspec.inspect.Type, ...],
    component_types: dict[Any, msgspec.inspect.Type],
) -> tuple[tuple[dict[str, Any], ...], dict[str, Any]]:
    calls = [0]  # hook calls so far: a schema made without one is the same in the next call

    def hook(cls: type) -> dict[str, Any]:
        calls[0] += 1
        assert schema_hook is not None
        return schema_hook(cls)

    generator = generator_class(name_map, hook if schema_hook is not None else None, ref_template)
    same_names = all(name_map.get(cls) == name for cls, name in kept.names.items())
    # the types' own schemas likewise: the earlier call's, for the same type in the same
    # place, where it asked the hook nothing (most of a large app's thousands)
    old_infos, old_schemas = (kept.leaf_infos, kept.leaf_schemas) if same_names else ((), [])
    schemas_made: list[dict[str, Any]] = []
    leaf_schemas: list[dict[str, Any] | None] = []  # None: made asking the hook
    for index, info in enumerate(infos):
        same = index < len(old_infos) and old_infos[index] is info
        leaf = old_schemas[index] if same else None
        if leaf is None:
            before = calls[0]
            made = generator.to_schema(info)
            leaf = made if calls[0] == before else None
        else:
            made = leaf
        schemas_made.append(made)
        leaf_schemas.append(leaf)
    schemas = tuple(schemas_made)
    kept.leaf_infos, kept.leaf_schemas = infos, leaf_schemas
    reusable = kept.schemas if same_names else {}
    fresh: dict[Any, dict[str, Any]] = {}
    components: dict[str, Any] = {}
    for cls, info in component_types.items():
        schema = reusable.get(cls)
        if schema is None:
            before = calls[0]
            schema = generator.to_schema(info, False)
            if calls[0] == before:
                fresh[cls] = schema
        else:
            fresh[cls] = schema
        components[name_map[cls]] = schema
    kept.names, kept.schemas = dict(name_map), fresh
    return schemas, components


# what each part of a type reaches, per question: question -> id(part) -> (part, answer)
_GATHERED: dict[Callable[[Any], tuple[Any, ...]], dict[int, tuple[Any, tuple[Any, ...]]]] = {}


def _children(node: Any) -> list[Any]:
    """The parts of a msgspec type one level down (a custom type is a leaf)."""
    singles, groups, has_fields = _plan(node)
    found = [child for attr in singles if (child := getattr(node, attr)) is not None]
    for attr in groups:
        found.extend(getattr(node, attr))
    if has_fields:
        found.extend(field.type for field in node.fields)
    return found


def _plan(node: Any) -> tuple[tuple[str, ...], tuple[str, ...], bool]:
    cls = node.__class__
    plan = _PARTS.get(cls)
    if plan is None:
        plan = _PARTS[cls] = _parts_of(cls)
    return plan


_LEAF: tuple[tuple[str, ...], tuple[str, ...], bool] = ((), (), False)

# where each kind of msgspec type keeps its parts: class -> (one each, several, fields)
_PARTS: dict[type, tuple[tuple[str, ...], tuple[str, ...], bool]] = {}


def _parts_of(cls: type) -> tuple[tuple[str, ...], tuple[str, ...], bool]:
    if issubclass(cls, msgspec.inspect.CustomType):
        return _LEAF
    names = set(getattr(cls, "__struct_fields__", ()))
    singles = tuple(a for a in ("item_type", "key_type", "value_type", "type") if a in names)
    groups = tuple(a for a in ("item_types", "types") if a in names)
    plan = singles, groups, "fields" in names
    return _LEAF if plan == _LEAF else plan


def gathered(info: msgspec.inspect.Type, own: Callable[[Any], tuple[Any, ...]]) -> tuple[Any, ...]:
    """What `own` gives for `info` and every part it reaches, each item once.

    Kept per part and question (`own`, a module-level function): the models of an app reach one
    another, so a walk per question and type would visit the whole model graph each time.
    Parts that reach one another (recursive models) share one answer: Tarjan's strongly
    connected components, so each part is visited once.
    """
    with _LOCK:
        memo = _GATHERED.setdefault(own, {})
        known = _known(memo, info)
        return known if known is not None else _gather(info, own, memo)


def _known(memo: dict[int, tuple[Any, tuple[Any, ...]]], node: Any) -> tuple[Any, ...] | None:
    hit = memo.get(id(node))
    return hit[1] if hit is not None and hit[0] is node else None


def _gather(
    info: Any, own: Callable[[Any], tuple[Any, ...]], memo: dict[int, tuple[Any, tuple[Any, ...]]]
) -> tuple[Any, ...]:
    kids: dict[int, list[Any]] = {}  # the parts of each part met, read once
    settled = _settled(info, own, memo, kids)
    if settled is not None:
        return settled
    index: dict[int, int] = {}
    low: dict[int, int] = {}
    stack: list[Any] = []
    on_stack: set[int] = set()
    work: list[tuple[Any, Any]] = []

    def visit(node: Any) -> None:
        index[id(node)] = low[id(node)] = len(index)
        stack.append(node)
        on_stack.add(id(node))
        work.append((node, iter(kids[id(node)])))

    visit(info)
    while work:
        node, children = work[-1]
        for child in children:
            if _known(memo, child) is not None:
                continue
            if id(child) not in index:
                if _settled(child, own, memo, kids) is not None:
                    continue  # a leaf, or every part below it answered: no cycle through it
                visit(child)
                break
            if id(child) in on_stack:
                low[id(node)] = min(low[id(node)], index[id(child)])
        else:
            work.pop()
            if work:
                parent = id(work[-1][0])
                low[parent] = min(low[parent], low[id(node)])
            if low[id(node)] == index[id(node)]:
                _close(node, stack, on_stack, own, memo, kids)
    return memo[id(info)][1]


def _settled(
    node: Any,
    own: Callable[[Any], tuple[Any, ...]],
    memo: dict[int, tuple[Any, tuple[Any, ...]]],
    kids: dict[int, list[Any]],
) -> tuple[Any, ...] | None:
    """The answer of a part whose parts are all answered (leaves answered on the way), kept;
    None when one is not: the walk goes down (most parts of a model graph are leaves or hold
    only leaves, so most answers need no walk)."""
    answers: list[tuple[Any, ...]] = []
    children = kids[id(node)] = _children(node)
    for child in children:
        hit = memo.get(id(child))
        if hit is None or hit[0] is not child:
            if _plan(child) is not _LEAF:
                return None
            hit = memo[id(child)] = (child, tuple(dict.fromkeys(own(child))))
        if hit[1]:
            answers.append(hit[1])
    mine = own(node)
    if not answers and not mine:
        answer: tuple[Any, ...] = ()
    else:
        found = dict.fromkeys(mine)
        for each in answers:
            found.update(dict.fromkeys(each))
        answer = tuple(found)
    memo[id(node)] = (node, answer)
    return answer


def _close(
    root: Any,
    stack: list[Any],
    on_stack: set[int],
    own: Callable[[Any], tuple[Any, ...]],
    memo: dict[int, tuple[Any, tuple[Any, ...]]],
    kids: dict[int, list[Any]],
) -> None:
    """Answer the component rooted at `root` (the top of `stack` down to it), all at once."""
    members: list[Any] = []
    while True:
        member = stack.pop()
        on_stack.discard(id(member))
        members.append(member)
        if member is root:
            break
    members.reverse()  # outermost first
    found: dict[Any, None] = {}
    for member in members:
        found.update(dict.fromkeys(own(member)))
        for child in kids[id(member)]:
            found.update(dict.fromkeys(_known(memo, child) or ()))
    answer = tuple(found)
    for member in members:
        memo[id(member)] = (member, answer)
