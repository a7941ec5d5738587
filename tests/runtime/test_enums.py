"""enums.StrEnum: generated string enums, built faster, are the enums a class statement makes."""

from __future__ import annotations

import enum
import pickle

import msgspec
import pytest

from specloom.runtime import enums
from specloom.runtime.enums import StrEnum


class Quick(StrEnum):
    """Two colours."""

    RED = "red"
    DARK_RED = "dark-red"


class Usual(enum.StrEnum):
    """Two colours."""

    RED = "red"
    DARK_RED = "dark-red"


class Undocumented(StrEnum):
    ONE = "one"


class WithMethod(StrEnum):
    ONE = "one"

    def shout(self) -> str:
        return self.upper()


def test_it_is_the_enum_a_class_statement_makes() -> None:
    assert issubclass(Quick, enum.StrEnum) and isinstance(Quick.RED, str)
    assert list(Quick) == [Quick.RED, Quick.DARK_RED] and len(Quick) == 2
    assert Quick("dark-red") is Quick.DARK_RED and Quick["RED"] is Quick.RED
    assert [(m.name, m.value) for m in Quick] == [(m.name, m.value) for m in Usual]
    assert (repr(Quick.RED), str(Quick.RED), f"{Quick.RED}") == ("<Quick.RED: 'red'>", "red", "red")
    assert hash(Quick.RED) == hash("red") and Quick.RED.upper() == "RED"
    assert Quick.__doc__ == Usual.__doc__ and Undocumented.__doc__ is None
    assert (Quick.__module__, Quick.__qualname__) == (__name__, "Quick")
    assert pickle.loads(pickle.dumps(Quick.DARK_RED)) is Quick.DARK_RED
    with pytest.raises(ValueError):
        Quick("blue")
    different = {
        name
        for name in set(vars(Quick)) | set(vars(Usual))
        if name not in ("__qualname__", "RED", "DARK_RED", "_member_map_", "_value2member_map_")
        and vars(Quick).get(name) != vars(Usual).get(name)
    }
    assert different <= {"__msgspec_cache__"}
    assert [vars(m) | {"__objclass__": None} for m in Quick] == [
        vars(m) | {"__objclass__": None} for m in Usual
    ]


def test_msgspec_reads_it_as_an_enum() -> None:
    assert msgspec.json.decode(b'"dark-red"', type=Quick) is Quick.DARK_RED
    assert msgspec.json.encode(Quick.RED) == b'"red"'
    assert isinstance(msgspec.inspect.type_info(Quick), msgspec.inspect.EnumType)
    with pytest.raises(msgspec.ValidationError, match="Invalid enum value 'blue'"):
        msgspec.json.decode(b'"blue"', type=Quick)


def test_a_body_with_more_than_members_is_built_as_usual() -> None:
    assert WithMethod.ONE.shout() == "ONE"
    with pytest.raises(TypeError, match="not a string"):

        class NotText(StrEnum):
            ONE = 1

    with pytest.raises(TypeError, match=r"already defined|reuse key"):

        class Twice(StrEnum):
            ONE = "one"
            ONE = "two"  # type: ignore[misc]

    with pytest.raises(ValueError, match="invalid enum member name"):

        class Refused(StrEnum):
            mro = "m"


def test_without_the_quick_construction_it_is_built_as_usual(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(enums, "_SIMPLE", None)

    class Slow(StrEnum):
        ONE = "one"

    assert list(Slow) == [Slow.ONE] and Slow("one") is Slow.ONE
