"""Bounds on reading a spec: what an untrusted document can make the loader do.

A spec may come from anyone (a pull request, a vendor, a download). Each limit below is far
beyond what a real OpenAPI document needs, and a document beyond one is refused with a
SpecError that names the limit and where it was passed (file, line, JSON pointer):

- `MAX_FILE_BYTES`: the size of one file (the document or one its `$ref`s read). The largest
  document of the corpus (docusign) is under 3 MB.
- `MAX_DEPTH`: objects and arrays nested in one another, aliases expanded (the top-level
  mapping is level 1). The deepest document of the corpus reaches 30; the generator writes
  examples and defaults as Python literals, which Python's parser refuses beyond 200 nested
  brackets, and its passes recurse once or more per level.
- `MAX_FILES`: the files one spec reads (the document and those its external `$ref`s reach).
- `MAX_ALIAS_VALUES`, `ALIAS_FACTOR`: YAML aliases repeat a value without writing it again,
  so a few hundred bytes of nested aliases ("billion laughs") stand for billions of values. A
  document whose aliases expand it to more than max(`MAX_ALIAS_VALUES`, `ALIAS_FACTOR` x the
  values it writes) values is refused before anything is expanded (`yaml_extent.py`).

Where the spec's `$ref`s may read files (its root folder, `--spec-root`) is the loader's rule.
"""

from __future__ import annotations

import json
import os
import re
import stat
from pathlib import Path
from typing import Any

from .errors import SpecError, join_pointer

__all__ = [
    "ALIAS_FACTOR",
    "MAX_ALIAS_VALUES",
    "MAX_DEPTH",
    "MAX_FILES",
    "MAX_FILE_BYTES",
    "check_json_depth",
    "check_size",
    "deep_json_error",
    "read_file",
]

MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_DEPTH = 128
MAX_FILES = 1000
MAX_ALIAS_VALUES = 1_000_000
ALIAS_FACTOR = 10


def read_file(path: str | os.PathLike[str]) -> str:
    """The text of one spec file. SpecError (without a place: the caller knows it) when it is
    not a regular file or is larger than MAX_FILE_BYTES; OSError and UnicodeDecodeError as
    reading raises them."""
    info = os.stat(path)
    if not stat.S_ISREG(info.st_mode):
        raise SpecError(f"{path} is not a regular file")
    with Path(path).open("rb") as stream:  # at most one byte past the limit
        data = stream.read(min(info.st_size, MAX_FILE_BYTES) + 1)
        while len(data) <= MAX_FILE_BYTES:  # the size may have been short (a growing file)
            more = stream.read(min(1 << 20, MAX_FILE_BYTES + 1 - len(data)))
            if not more:
                break
            data += more
    if len(data) > MAX_FILE_BYTES:
        raise SpecError(too_large(str(path)))
    return data.decode("utf-8-sig")


def check_size(text: str, file: str) -> None:
    """Refuse text (from a string or stdin) beyond MAX_FILE_BYTES characters."""
    if len(text) > MAX_FILE_BYTES:
        raise SpecError(too_large("the document"), file=file)


def too_large(what: str) -> str:
    """The message for a file or text beyond MAX_FILE_BYTES."""
    return (
        f"{what} is larger than {MAX_FILE_BYTES:,} bytes, the most specloom reads of one spec "
        "file (MAX_FILE_BYTES)"
    )


def too_deep(where: str) -> str:
    """The message for nesting beyond MAX_DEPTH."""
    return (
        f"{where} nested more than {MAX_DEPTH} objects or arrays deep, the most specloom reads "
        "(MAX_DEPTH; the deepest real specs reach about 30)"
    )


def _deeper(value: Any, room: int) -> bool:
    """True when `value` (a dict or list) holds containers more than `room` levels deep."""
    if room == 0:
        return True
    for child in value.values() if type(value) is dict else value:
        if (type(child) is dict or type(child) is list) and _deeper(child, room - 1):
            return True
    return False


def check_json_depth(data: Any, text: str, file: str) -> None:
    """Refuse data read from JSON `text` that nests deeper than MAX_DEPTH (the walk goes no
    deeper than the limit, so it cannot exhaust the stack)."""
    if (type(data) is dict or type(data) is list) and _deeper(data, MAX_DEPTH):
        raise deep_json_error(text, file)


_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\],:]|[^\s{}\[\],:"]+', re.S)


def _key(token: str) -> str:
    try:
        return str(json.loads(token)) if "\\" in token else token[1:-1]
    except ValueError:  # the text may be invalid further on: the key as written
        return token[1:-1]


def deep_json_error(text: str, file: str) -> SpecError:
    """The error for JSON `text` nested deeper than MAX_DEPTH, at the first value that is (one
    pass over the tokens with a stack, however deep the text is)."""
    # each frame: [pointer, is an object, next index or the pending key, expecting a key]
    stack: list[list[Any]] = []
    for match in _TOKEN.finditer(text):
        token = match.group()
        if token in ",:":
            continue
        if token in "}]":
            if stack:
                stack.pop()
            continue
        frame = stack[-1] if stack else None
        if frame is not None and frame[1] and frame[3]:
            frame[2], frame[3] = _key(token), False
            continue
        pointer = ""
        if frame is not None and frame[1]:
            pointer, frame[3] = join_pointer(frame[0], frame[2]), True
        elif frame is not None:
            pointer, frame[2] = f"{frame[0]}/{frame[2]}", frame[2] + 1
        if token in "{[":
            stack.append([pointer, token == "{", None if token == "{" else 0, token == "{"])
            if len(stack) > MAX_DEPTH:
                line = text.count("\n", 0, match.start()) + 1
                column = match.start() - text.rfind("\n", 0, match.start())
                return SpecError(
                    too_deep("the document is"),
                    file=file,
                    line=line,
                    column=column,
                    pointer=pointer,
                )
    return SpecError(too_deep("the document is"), file=file)
