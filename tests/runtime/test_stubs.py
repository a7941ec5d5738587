"""`is_stub`: a handler whose body only raises NotImplementedError."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from specloom.runtime.stubs import file_functions, function_bodies, is_stub


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


def _decorated(fn: Any) -> Any:
    return fn


class Holder:
    @_decorated
    async def method_stub(self) -> None:
        """Found in its class, by its decorator's line."""
        raise NotImplementedError

    def method_written(self) -> int:
        return 2


def test_functions_are_found_in_their_file_by_name_and_first_line() -> None:
    assert is_stub(Holder.method_stub) and not is_stub(Holder.method_written)
    code = Holder.method_stub.__code__
    data = Path(code.co_filename).read_bytes()
    functions = file_functions(code.co_filename, data)
    assert functions[(code.co_name, code.co_firstlineno)][0] is True


SOURCE = '''\
import x


@route("/a")
async def handler(a: int = 1) -> Model:
    """Docs."""
    return Model(a)  # a comment ending the body


def other(a: str = "é") -> None: return None


class C:
    def method(self) -> None:
        def inner() -> None:
            pass
        raise NotImplementedError
'''


def test_a_body_span_is_its_statements_docstring_included() -> None:
    data = SOURCE.encode()
    functions = file_functions("<spans>", data)
    stub, span = functions[("handler", 4)]
    assert not stub and span is not None
    assert (
        data[span[0] : span[1]] == b'"""Docs."""\n    return Model(a)  # a comment ending the body'
    )
    _, one_line = functions[("other", 10)]  # columns are bytes: after the "é"
    assert one_line is not None and data[one_line[0] : one_line[1]] == b"return None"
    bodies = function_bodies("<spans>", data, {("method", 14), ("inner", 15), ("absent", 1)})
    assert len(bodies) == 1, "a body inside another's is in it; one not found has none"
    assert data[bodies[0][0] : bodies[0][1]].endswith(b"raise NotImplementedError")
    assert data[: bodies[0][0]].endswith(b"def method(self) -> None:\n        ")
    assert file_functions("<broken>", b"def (:\n") == {}
