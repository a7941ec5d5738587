"""msgspec's type information kept per process: msgspec's answers, each class read once."""

from __future__ import annotations

import enum
import sys
import types
from typing import Annotated, Any

import msgspec
import msgspec.inspect
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from specloom.runtime import type_info as kept


class Colour(enum.Enum):
    RED = "red"


class Leaf(msgspec.Struct, kw_only=True):
    name: Annotated[str, msgspec.Meta(min_length=1, description="a name")]
    colour: Colour | None = None


class Node(msgspec.Struct, kw_only=True):
    leaves: list[Leaf]
    children: list[Node] = []
    extra: dict[str, int] | msgspec.UnsetType = msgspec.UNSET


_TYPES: list[Any] = [
    int,
    Annotated[int, msgspec.Meta(ge=1)],
    list[Leaf],
    Node,
    dict[str, Node] | None,
    tuple[Leaf, int],
]


def _shape(info: Any, seen: set[int]) -> Any:
    """A type information as builtins (a class met again: its name)."""
    if isinstance(info, msgspec.inspect.StructType):
        if id(info) in seen:
            return info.cls.__name__
        seen.add(id(info))
    if isinstance(info, msgspec.Struct):  # a type or a field
        fields = {f: _shape(getattr(info, f), seen) for f in info.__struct_fields__}
        return {"kind": type(info).__name__, **fields}
    if isinstance(info, tuple):
        return [_shape(item, seen) for item in info]
    return info


@pytest.mark.parametrize("annotation", _TYPES, ids=repr)
def test_same_answer_as_msgspec(annotation: Any) -> None:
    ours = _shape(kept.type_info(annotation), set())
    assert ours == _shape(msgspec.inspect.type_info(annotation), set())


def test_multi_type_info_is_msgspecs() -> None:
    ours = _shape(kept.multi_type_info(_TYPES), set())
    assert ours == _shape(msgspec.inspect.multi_type_info(_TYPES), set())


def test_schema_components_are_msgspecs() -> None:
    ref = "#/components/schemas/{name}"
    ours = kept.schema_components(_TYPES, ref_template=ref)
    assert ours == msgspec.json.schema_components(_TYPES, ref_template=ref)


def test_each_class_is_read_once(monkeypatch: pytest.MonkeyPatch) -> None:
    module = types.ModuleType("kept_once")
    monkeypatch.setitem(sys.modules, module.__name__, module)
    exec(  # a fresh class, read by no one yet
        "import msgspec\n" "class Fresh(msgspec.Struct):\n    value: 'list[Fresh] | None' = None\n",
        module.__dict__,
    )
    fresh = module.__dict__["Fresh"]
    import msgspec._utils as utils

    reads: list[Any] = []
    real = utils.get_class_annotations

    def counting(cls: Any) -> Any:
        reads.append(cls)
        return real(cls)

    monkeypatch.setattr(msgspec.inspect, "_get_class_annotations", counting)
    for annotation in (fresh, list[fresh], fresh | None, dict[str, fresh]):
        kept.type_info(annotation)
    assert reads.count(fresh) == 1


class _Unhashable:
    """Metadata msgspec does not read, as a parameter's definition is (unhashable)."""

    __hash__ = None  # type: ignore[assignment]


def test_unhashable_annotations_are_answered_once(monkeypatch: pytest.MonkeyPatch) -> None:
    meta = msgspec.Meta(min_length=1, description="a name")
    first = Annotated[list[Leaf], meta, _Unhashable()]
    again = Annotated[list[Leaf], meta, _Unhashable()]  # equal in msgspec's eyes, another object
    translated: list[Any] = []
    real = kept._translate

    def counting(annotation: Any) -> Any:
        translated.append(annotation)
        return real(annotation)

    monkeypatch.setattr(kept, "_translate", counting)
    answers = [kept.type_info(a) for a in (first, again, first, again)]
    assert len(translated) <= 1  # the narrowed annotation, once (none when already known)
    assert all(answer is answers[0] for answer in answers)
    assert _shape(answers[0], set()) == _shape(msgspec.inspect.type_info(first), set())
    bare = Annotated[Leaf, _Unhashable()]  # no Meta: the type itself
    assert kept.type_info(bare) is kept.type_info(Leaf)


def test_unsupported_types_raise_as_msgspec_does() -> None:
    wrong = Annotated[int, msgspec.Meta(min_length=1)]  # a length on a number
    with pytest.raises(TypeError):
        msgspec.inspect.type_info(wrong)
    with pytest.raises(TypeError):
        kept.type_info(wrong)


def test_a_failed_read_leaves_no_half_read_class() -> None:
    module = types.ModuleType("kept_later")
    sys.modules[module.__name__] = module
    try:
        exec(
            "import msgspec\nclass Early(msgspec.Struct):\n    later: 'Later'\n",
            module.__dict__,
        )
        early = module.__dict__["Early"]
        with pytest.raises(NameError):
            kept.type_info(early)
        exec("class Later(msgspec.Struct):\n    value: int\n", module.__dict__)
        info = kept.type_info(early)
        assert isinstance(info, msgspec.inspect.StructType)
        assert [f.name for f in info.fields] == ["later"]
    finally:
        del sys.modules[module.__name__]


class Cycle(msgspec.Struct):
    """A model reaching itself through another, with a custom type on the way."""

    back: list[CycleBack]


class CycleBack(msgspec.Struct):
    cycle: Cycle | None = None
    colour: Colour | None = None
    when: Custom | None = None


class Custom:
    pass


def _own_structs(node: Any) -> tuple[Any, ...]:
    return (node.cls,) if isinstance(node, msgspec.inspect.StructType) else ()


def test_gathered_answers_every_part_of_a_cycle_alike() -> None:
    whole = kept.gathered(kept.type_info(Cycle), _own_structs)
    assert set(whole) == {Cycle, CycleBack}
    assert set(kept.gathered(kept.type_info(CycleBack), _own_structs)) == {Cycle, CycleBack}
    assert kept.gathered(kept.type_info(int), _own_structs) == ()


def _own_custom(node: Any) -> tuple[Any, ...]:
    return (node.cls,) if isinstance(node, msgspec.inspect.CustomType) else ()


def test_gathered_reaches_through_containers() -> None:
    assert kept.gathered(kept.type_info(dict[str, list[Cycle]]), _own_custom) == (Custom,)


class Other:
    pass


class Diamond(msgspec.Struct):
    """Parts shared by several fields, leaves beside them, and a cycle below."""

    left: list[CycleBack]
    right: dict[str, CycleBack] | None = None
    other: Other | None = None
    more: Annotated[list[Other], msgspec.Meta(min_length=1)] = []


def _naive(info: Any, own: Any) -> set[Any]:
    found: set[Any] = set()
    seen: set[int] = set()
    todo = [info]
    while todo:
        node = todo.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        found.update(own(node))
        todo.extend(kept._children(node))
    return found


@pytest.mark.parametrize("own", [_own_custom, _own_structs])
def test_gathered_answers_what_a_plain_walk_finds(own: Any) -> None:
    for annotation in (Diamond, list[Diamond], Diamond | None, CycleBack, Leaf, Node):
        info = kept.type_info(annotation)
        answer = kept.gathered(info, own)
        assert len(answer) == len(set(answer))
        assert set(answer) == _naive(info, own)


def test_gathered_keeps_the_order_parts_are_met() -> None:
    assert kept.gathered(kept.type_info(Diamond), _own_custom) == (Custom, Other)


# -- schema components kept from one call for the next (a registry's union runs) ----------------


class Opaque:
    """A custom type: its schema is the hook's."""


class Holder(msgspec.Struct):
    opaque: Opaque
    leaf: Leaf


class Plain(msgspec.Struct):
    number: int
    colour: Colour


# a second class named like `Leaf`: once both are collected, both get their full path
OtherLeaf = msgspec.defstruct("Leaf", [("size", int)], module="elsewhere")

_POOL: list[Any] = [
    int,
    Leaf,
    Node,
    Holder,
    Plain,
    OtherLeaf,
    list[Holder],
    dict[str, Plain] | None,
    Annotated[Plain, msgspec.Meta(description="a plain one")],
    tuple[OtherLeaf, Opaque],
    Opaque,
]


def _runs_agree(runs: list[list[Any]]) -> None:
    """Each call over a shared `KeptComponents` answers as msgspec does, the hook's answer
    changing from one call to the next (as an untagged union's does between runs)."""
    ref = "#/components/schemas/{name}"
    state = kept.KeptComponents()
    for number, types_ in enumerate(runs):

        def hook(cls: type, number: int = number) -> dict[str, Any]:
            return {"type": "string", "x-run": number}

        ours = kept.schema_components(types_, schema_hook=hook, ref_template=ref, kept=state)
        theirs = msgspec.json.schema_components(types_, schema_hook=hook, ref_template=ref)
        assert ours == theirs


def test_kept_components_answer_as_msgspec_does() -> None:
    first = [Leaf, list[Holder], Plain]
    _runs_agree([first, first, [*first, Node], [*first, Node], [*first, Node, OtherLeaf]])
    _runs_agree([[Holder], [Plain], [Holder, Plain], [Holder]])  # not a beginning: from scratch


def _string(cls: type) -> dict[str, Any]:
    return {"type": "string"}


def test_kept_components_are_reused_where_no_hook_was_asked() -> None:
    ref = "#/components/schemas/{name}"
    state = kept.KeptComponents()
    _, before = kept.schema_components(
        [Holder, Plain], ref_template=ref, kept=state, schema_hook=_string
    )
    _, after = kept.schema_components(
        [Holder, Plain], ref_template=ref, kept=state, schema_hook=_string
    )
    assert after["Plain"] is before["Plain"]
    assert after["Holder"] is not before["Holder"]  # it asked the hook (Opaque)
    _, renamed = kept.schema_components(
        [Holder, Plain, OtherLeaf], ref_template=ref, kept=state, schema_hook=_string
    )
    assert "Leaf" not in renamed  # both Leafs have their full names: nothing is reused
    assert renamed["Plain"] is not before["Plain"]
    assert renamed["Plain"] == before["Plain"]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.sampled_from(_POOL), min_size=1, max_size=6),
    st.lists(st.sampled_from(_POOL), max_size=4),
    st.lists(st.sampled_from(_POOL), min_size=1, max_size=4),
)
def test_kept_components_over_composed_runs(
    start: list[Any], more: list[Any], other: list[Any]
) -> None:
    _runs_agree([start, [*start, *more], [*start, *more], other, [*other, *start]])


_EVALUATED = """
import msgspec
from typing import Annotated, Any, Literal


class Base(msgspec.Struct):
    when: Annotated[list[int] | None, msgspec.Meta(description="d")]
    kind: Any
    tag: Literal["a", "b"]  # strings a Literal holds are values, not forward references
    nothing: None = None


class Plain(Base, kw_only=True):
    when: dict[str, int]  # a subclass's own annotation wins
    mode: Annotated[str, msgspec.Meta(pattern="^a$")] = "a"


class Quoted(msgspec.Struct):
    later: "list[Quoted]"


class Inner(msgspec.Struct):
    later: list["Quoted"] | None
"""


def test_plain_annotations_are_msgspecs() -> None:
    # a module without `from __future__ import annotations` (as generated models are)
    namespace: dict[str, Any] = {"__name__": "evaluated_models"}
    exec(compile(_EVALUATED, "evaluated_models", "exec", dont_inherit=True), namespace)
    for name in ("Base", "Plain"):
        cls = namespace[name]
        assert kept._plain_annotations(cls) == msgspec._utils.get_class_annotations(cls)
    # a string or a forward reference in it: msgspec's to evaluate
    assert kept._plain_annotations(namespace["Quoted"]) is None
    assert kept._plain_annotations(namespace["Inner"]) is None
    assert kept._plain_annotations(Node) is None  # this module's annotations are strings
    assert kept._plain_annotations(int) is None


_Slug = Annotated[str, msgspec.Meta(pattern="^[a-z]+$", description="a slug")]


class _Sharing(msgspec.Struct):
    first: _Slug
    second: list[_Slug]
    third: dict[str, _Slug]


def test_one_type_object_is_translated_once() -> None:
    info = kept.type_info(_Sharing)
    assert _shape(info, set()) == _shape(msgspec.inspect.type_info(_Sharing), set())
    first, second, third = (field.type for field in info.fields)
    assert second.item_type is first  # the alias object met again: its answer again
    assert third.value_type is first


def test_a_translator_of_another_shape_is_used_as_it_is(monkeypatch: pytest.MonkeyPatch) -> None:
    class Other:  # no `type_hints`: not the translator these steps expect
        def __init__(self, types: Any) -> None:
            self.types = types

        def translate(self, typ: Any) -> Any:
            return typ

    monkeypatch.setattr(kept, "_STATE", {})
    assert kept._translator_class(Other) is Other
