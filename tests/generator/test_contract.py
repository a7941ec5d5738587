"""The handler contract the change report compares: each type shown as its kind writes it."""

from __future__ import annotations

import msgspec

from specloom.generator.contract import _type_change
from specloom.generator.ir import ListType, ModelRef, PrimitiveType, TupleType, UnionType


def _raw(type_: object) -> object:
    return msgspec.to_builtins(type_)


def test_a_type_change_is_shown_in_the_kinds_own_words() -> None:
    old = ListType(PrimitiveType("int"))
    new = TupleType((PrimitiveType("int"), UnionType((ModelRef("Pet"), PrimitiveType("str")))))
    assert _type_change(_raw(old), _raw(new)) == "type list[int] -> tuple[int, Pet | str]"


def test_a_changed_constraint_alone_says_so() -> None:
    assert _type_change(_raw(PrimitiveType("int")), _raw(PrimitiveType("int", format="int64"))) == (
        "type int (format or constraints changed)"
    )


def test_what_is_no_type_is_shown_as_json() -> None:
    assert _type_change({"weird": 1}, _raw(PrimitiveType("str"))) == 'type {"weird": 1} -> str'
