"""`is_stub`: a handler whose body only raises NotImplementedError."""

from __future__ import annotations

from specloom.runtime.stubs import is_stub


async def documented_stub() -> None:
    """A docstring first."""
    raise NotImplementedError


def stub_with_message() -> None:
    raise NotImplementedError("later")


def written() -> int:
    return 1


def raises_later(flag: bool) -> None:
    if flag:
        raise NotImplementedError


def raises_another() -> None:
    raise ValueError


def test_stubs_are_told_from_written_handlers() -> None:
    assert is_stub(documented_stub) and is_stub(stub_with_message)
    assert not any(is_stub(fn) for fn in (written, raises_later, raises_another))
    assert not is_stub(len)  # no source
    assert not is_stub(lambda: None)
