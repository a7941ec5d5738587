"""Skip a regeneration whose inputs have not changed since the run that left the package.

A writing run records, in `.specloom-cache/inputs.json` inside the package (a folder that
ignores itself in git, as pytest's cache does: it describes this checkout, not the project),
the key of its inputs with the digest of every file it left:

- the key: the bytes of every file the spec was read from (the document and the files its
  external `$ref`s reached), the generator (its version and a digest of its own code and
  templates, so an edited source tree never reuses an older run's result), and the options
  that shape the output (the package's import path, the spec's file name);
- the files: each generated file, the lock and each merged user module as the run left it
  (by digest), and each module created once and then the user's alone (by its presence).

A later run whose key is the same and that finds every one of those files as recorded has
nothing to do: it reports the recorded warnings and writes nothing. Any difference (a spec
file, a handler edited by hand, a deleted module, another generator or another folder) makes
a full run, which alone decides what changes: the cache only saves work whose result is known.
It is kept out of the lock on purpose: the lock is committed with the package, and the
generator's code digest would make it change with every edit of the generator.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import msgspec

from .errors import SpecWarning

__all__ = ["CACHE", "input_key", "record", "recorded_warnings", "spec_path"]

CACHE = ".specloom-cache"
_FILE = "inputs.json"
_FORMAT = 1


def spec_path(spec: str | os.PathLike[str]) -> Path | None:
    """The spec's file, when it is one (not `-` for stdin, nor the text of a document)."""
    if isinstance(spec, str) and (spec == "-" or "\n" in spec or spec.lstrip()[:1] in "{["):
        return None
    try:
        path = Path(spec)
        return path if path.is_file() else None
    except (OSError, ValueError):
        return None


@functools.cache
def _generator_digest() -> str:
    """The generator's version and the digest of its code and templates, as installed."""
    from importlib.util import find_spec

    from specloom import __version__  # the metadata's version, read where it is written

    digest = hashlib.sha256()
    digest.update(__version__.encode())
    templates = find_spec("specloom.templates")
    roots = [Path(__file__).parent]
    if templates is not None and templates.origin is not None:
        roots.append(Path(templates.origin).parent)
    for root in roots:
        for path in sorted(root.rglob("*")):
            if path.suffix in (".py", ".jinja") and "__pycache__" not in path.parts:
                digest.update(path.relative_to(root).as_posix().encode() + b"\0")
                digest.update(path.read_bytes())
    return digest.hexdigest()


def input_key(
    files: Iterable[str], *, package: str, spec_name: str, options: str = ""
) -> str | None:
    """The key of a run reading the spec from `files` with the generation `options` (None:
    one of the files cannot be read)."""
    digest = hashlib.sha256()
    head = [_FORMAT, _generator_digest(), package, spec_name, options]
    digest.update(json.dumps(head).encode())
    for name in files:
        try:
            data = Path(name).read_bytes()
        except OSError:
            return None
        digest.update(f"\0{name}\0{len(data)}\0".encode() + data)
    return digest.hexdigest()


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def record(
    out_dir: Path,
    *,
    spec_files: list[str],
    key: str,
    left: Mapping[str, str],
    present: Iterable[str],
    warnings: list[SpecWarning],
) -> None:
    """Note that the run of `key` left the files `left` (relative path -> text) and `present`."""
    files: dict[str, str | None] = {path: None for path in present}
    files.update({path: _sha256(text.encode("utf-8")) for path, text in left.items()})
    data = {
        "format": _FORMAT,
        "spec_files": spec_files,
        "key": key,
        "files": dict(sorted(files.items())),
        "warnings": msgspec.to_builtins(warnings),
    }
    folder = out_dir / CACHE
    with contextlib.suppress(OSError):  # a cache that cannot be written only costs time
        folder.mkdir(exist_ok=True)
        (folder / ".gitignore").write_text("# written by specloom generate\n*\n")
        (folder / _FILE).write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")


def _read(out_dir: Path) -> dict[str, Any] | None:
    try:
        data = json.loads((out_dir / CACHE / _FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("format") == _FORMAT else None


def recorded_warnings(
    out_dir: Path, *, spec: str, package: str, spec_name: str, options: str = ""
) -> list[SpecWarning] | None:
    """The warnings of the run that left `out_dir` from `spec`, when its inputs and outputs are
    all as it recorded them (nothing to do); None otherwise (a full run decides)."""
    data = _read(out_dir)
    files = data.get("spec_files") if data is not None else None
    if data is None or not isinstance(files, list) or files[:1] != [spec]:
        return None
    key = input_key(files, package=package, spec_name=spec_name, options=options)
    if key is None or key != data.get("key"):
        return None
    for relative, digest in data.get("files", {}).items():
        path = out_dir / relative
        try:
            if digest is None and not path.is_file():
                return None
            if digest is not None and _sha256(path.read_bytes()) != digest:
                return None
        except OSError:
            return None
    try:
        return msgspec.convert(data.get("warnings", []), list[SpecWarning])
    except msgspec.ValidationError:
        return None
