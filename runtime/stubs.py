"""Handler functions read from their source files: whether one is a stub (its body, after a
docstring, only raises NotImplementedError, which the runtime answers 501 Not Implemented),
and where its body is in the file (`function_bodies`, for the stored document's key).

Each source file is parsed once, when a document is built, for all the functions it defines
(a large app's handler modules hold hundreds of handlers: one parse each, not one
`inspect.getsource` and parse per handler). A function is found in its file by its code
object's name and first line; one whose source cannot be found that way (a lambda, a function
made at run time, a file that changed) is read as `inspect.getsource` reads it, and one whose
source cannot be read at all (built in) is not a stub.
"""

from __future__ import annotations

import ast
import inspect
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

__all__ = ["Function", "file_functions", "function_bodies", "is_stub"]

_cache: dict[Any, bool] = {}

# (name, first line): what is read of each function of a file
Function = tuple[bool, tuple[int, int] | None]  # (a stub, its body's byte span)
_files: dict[str, tuple[bytes, dict[tuple[str, int], Function]]] = {}


def is_stub(fn: Callable[..., Any]) -> bool:
    """True when the function's body is `raise NotImplementedError` (with or without a
    message), after an optional docstring."""
    target = inspect.unwrap(fn)
    code = getattr(target, "__code__", None)
    if code is None:
        return False
    known = _cache.get(code)
    if known is None:
        found = _function_of(code)
        known = _cache[code] = found[0] if found is not None else _reads_as_stub(target)
    return known


def _function_of(code: Any) -> Function | None:
    try:
        data = Path(code.co_filename).read_bytes()
    except (OSError, ValueError):
        return None
    return file_functions(code.co_filename, data).get((code.co_name, code.co_firstlineno))


def file_functions(filename: str, data: bytes) -> dict[tuple[str, int], Function]:
    """Every function defined in the source `data` (read from `filename`), by its name and the
    first line its code object gives (its first decorator's line): whether it is a stub, and
    the byte span of its body in `data`, a comment ending its last line included (None when
    offsets cannot be trusted). Empty when the
    source does not parse. Kept per file while its bytes are the same."""
    kept = _files.get(filename)
    if kept is not None and kept[0] == data:
        return kept[1]
    try:
        tree = ast.parse(data, filename)
    except (SyntaxError, ValueError):
        tree = None
    functions = _functions(tree, data) if tree is not None else {}
    _files[filename] = (data, functions)
    return functions


def function_bodies(
    filename: str, data: bytes, names: set[tuple[str, int]]
) -> list[tuple[int, int]]:
    """The byte spans, in order and apart, of the bodies of the functions `names` ((name,
    first line)) of the source `data`; a function not found (or not located exactly) has
    none."""
    functions = file_functions(filename, data)
    spans = [span for key in names if (span := functions.get(key, (False, None))[1]) is not None]
    outermost: list[tuple[int, int]] = []
    for begin, end in sorted(spans):
        if not outermost or begin >= outermost[-1][1]:  # one inside another's body: in it
            outermost.append((begin, end))
    return outermost


def _functions(tree: ast.AST, data: bytes) -> dict[tuple[str, int], Function]:
    # ast's columns are UTF-8 byte offsets of the decoded lines: exact for UTF-8 without a BOM
    exact = not data.startswith(b"\xef\xbb\xbf")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        exact = False
    starts = [0]
    if exact:
        for line in data.splitlines(keepends=True):
            starts.append(starts[-1] + len(line))
    functions: dict[tuple[str, int], Function] = {}
    for node in _definitions(tree):
        first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
        span = None
        last = node.body[-1]
        if exact and last.end_lineno is not None and last.end_col_offset is not None:
            begin = starts[node.body[0].lineno - 1] + node.body[0].col_offset
            # to the end of its last line: what follows the last statement there can only be
            # a comment (another statement would be in the body)
            end = starts[last.end_lineno] if last.end_lineno < len(starts) else len(data)
            while end > begin and data[end - 1 : end] in (b"\n", b"\r"):
                end -= 1
            span = (begin, end)
        functions[(node.name, first)] = (_stub_body(node), span)
    return functions


def _definitions(tree: ast.AST) -> Iterator[ast.FunctionDef | ast.AsyncFunctionDef]:
    """Every function defined by a statement (at any depth), walking statements only: the
    expressions, most of a module's nodes, hold no `def`."""
    pending: list[ast.AST] = [tree]
    while pending:
        node = pending.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node
        for field in ("body", "orelse", "finalbody", "handlers", "cases"):
            statements = getattr(node, field, None)
            if isinstance(statements, list):
                pending.extend(statements)


def _reads_as_stub(fn: Callable[..., Any]) -> bool:
    try:
        source = textwrap.dedent(inspect.getsource(fn))
        tree = ast.parse(source)
    except (OSError, TypeError, SyntaxError):
        return False
    function = next(iter(tree.body), None)
    if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
        return False
    return _stub_body(function)


def _stub_body(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    body = list(function.body)
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]  # the docstring
    if len(body) != 1 or not isinstance(body[0], ast.Raise) or body[0].exc is None:
        return False
    raised = body[0].exc
    if isinstance(raised, ast.Call):
        raised = raised.func
    return isinstance(raised, ast.Name) and raised.id == "NotImplementedError"
