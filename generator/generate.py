"""`specloom generate`: the steps of a run, in order, each done by the module named for it.

Load the spec and build the IR, render and format the package, check the lock for hand edits
(`lock`), merge the user modules (`merge`, told of renamed operations by `renames`), add what
only the lock's contracts show to the report (`contract`), then write the new lock and every
changed file at once (`atomic`).

Nothing is written unless every step succeeded: the spec loads, every file renders and
formats, no generated file was edited by hand (unless forced) and every user file merges.
"""

from __future__ import annotations

import difflib
import multiprocessing
import os
import re
import sys
from collections.abc import Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .atomic import atomic_write
from .build_ir import build_ir
from .contract import OperationChange, with_contract_changes
from .errors import SpecWarning
from .ir import Api
from .loader import load_spec
from .lock import LOCK_NAME, LockError, edited_files, lock_text, read_lock
from .merge import MergeChange, MergeError, merge_package
from .renames import renames
from .render.layout import format_module
from .render.package import RenderedPackage, render_package

__all__ = ["GenerateError", "GenerateResult", "OperationChange", "generate"]


class GenerateError(Exception):
    """A generation that stopped before writing anything; the message says what and where."""


@dataclass
class GenerateResult:
    """What a run did (or, with --check/--dry-run, would do)."""

    written: list[str] = field(default_factory=list)  # relative paths that change
    diffs: dict[str, str] = field(default_factory=dict)
    changes: list[MergeChange | OperationChange] = field(default_factory=list)
    added_modules: list[str] = field(default_factory=list)
    warnings: list[SpecWarning] = field(default_factory=list)
    api: Api | None = None

    def report(self) -> dict[str, Any]:
        """The run as JSON-able data (`--report`)."""
        return {
            "files": self.written,
            "changes": [
                {
                    "handler": change.function,
                    "kind": change.kind,
                    "detail": change.detail,
                    "breaking": change.breaking,
                }
                for change in self.changes
            ],
            "warnings": [
                {"pointer": w.pointer, "message": w.message, "file": w.file, "line": w.line}
                for w in self.warnings
            ],
        }


_ALIAS_IMPORT = re.compile(r"^from \S+ import (\w+)(?: as (\w+))?$")
_AFTER_DOCSTRING = re.compile(r'\A(""".*?"""\n)\n+', re.DOTALL)


def _drop_unused_imports(text: str) -> str:
    """Drop module-alias imports (`from . import headers as h`) nothing in the module uses."""
    lines = text.splitlines(keepends=True)
    kept: list[str] = []
    skip_blank = False
    for index, line in enumerate(lines):
        if skip_blank and line == "\n":
            skip_blank = False
            continue  # the removed import stood alone between blank lines: keep one of them
        skip_blank = False
        match = _ALIAS_IMPORT.match(line.rstrip("\n"))
        if match and line.startswith("from ."):
            name = match.group(2) or match.group(1)
            rest = "".join(lines[:index] + lines[index + 1 :])
            if not re.search(rf"\b{re.escape(name)}\.", rest):
                skip_blank = bool(kept) and kept[-1] == "\n"
                continue
        kept.append(line)
    return "".join(kept)


def _format(path: str, text: str) -> str:
    """The module as black would write it.

    Renderers write one statement per line in black's spacing; `layout` splits the long ones
    by black's rules, far faster than black. A module it cannot vouch for goes through black.
    """
    text = _drop_unused_imports(text)
    try:
        formatted = format_module(text)
        if formatted is None:
            import black  # loaded only for a module layout cannot vouch for

            formatted = black.format_str(text, mode=black.Mode(line_length=100))
        else:  # layout does not parse: Python's compiler checks the module (a tenth of black)
            compile(formatted, path, "exec", dont_inherit=True)
    except Exception as exc:  # a renderer bug: report it with the file, never write it
        raise GenerateError(f"internal error: {path} is not valid Python ({exc})") from exc
    # as black: one blank line after the module docstring, one newline at the end
    return _AFTER_DOCSTRING.sub(r"\1\n", formatted, count=1).rstrip("\n") + "\n"


def _module_path(out_dir: Path) -> str:
    """The package's dotted import path from the current folder (where uvicorn would run)."""
    try:
        relative = out_dir.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return out_dir.resolve().name
    parts = [part for part in relative.parts if part]
    return ".".join(parts) if parts and all(p.isidentifier() for p in parts) else relative.name


_PARALLEL_FROM = 400_000  # characters: below this, starting worker processes costs more


def _format_one(item: tuple[str, str]) -> tuple[str, str]:
    return item[0], _format(*item)


def _format_all(files: Mapping[str, str]) -> dict[str, str]:
    """Every file through black: in worker processes, one per core, when there is a lot of it.

    Formatting is nearly all of a large spec's generation time, and files are independent.
    """
    workers = min(os.cpu_count() or 1, len(files))
    if workers < 2 or sum(map(len, files.values())) < _PARALLEL_FROM:
        return {path: _format(path, text) for path, text in files.items()}
    largest_first = sorted(files.items(), key=lambda item: -len(item[1]))
    context = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        return dict(pool.map(_format_one, largest_first, chunksize=1))


def generate(
    spec: str | os.PathLike[str],
    out: str | os.PathLike[str],
    *,
    force: bool = False,
    check: bool = False,
    dry_run: bool = False,
) -> GenerateResult:
    """Generate (or regenerate) the server package `out` from `spec`."""
    out_dir = Path(out)
    loaded = load_spec(spec)
    api = build_ir(loaded.document, positions=loaded.source_map, warnings=loaded.warnings)
    package = _module_path(out_dir)
    rendered: RenderedPackage = render_package(
        api, package=package, spec_name=Path(str(spec)).name if str(spec) != "-" else "<stdin>"
    )
    located = [w.located(loaded.source_map.locate(w.pointer)) for w in rendered.warnings]
    result = GenerateResult(warnings=[*api.warnings, *located], api=api)
    try:
        lock = read_lock(out_dir)
    except LockError as exc:
        raise GenerateError(str(exc)) from exc
    targets: dict[str, str] = {}

    formatted = _format_all({**rendered.generated, **rendered.user})
    generated = {path: formatted[path] for path in rendered.generated}
    edited = edited_files(lock, out_dir)
    if edited and not force:
        raise GenerateError(
            "generated files were edited by hand (their content no longer matches "
            f"{LOCK_NAME}): {', '.join(sorted(edited))}; move your changes into the handler "
            "modules, or pass --force to overwrite them"
        )
    targets.update(generated)

    try:
        user = merge_package(
            out_dir,
            {path: formatted[path] for path in rendered.user},
            merged=rendered.merged,
            previous_params=lock.get("spec_params", {}),
            renames=renames(lock, api),
            regenerating=bool(lock),
        )
    except MergeError as exc:
        raise GenerateError(str(exc)) from exc
    targets.update(user.targets)
    result.added_modules = user.added_modules
    result.changes = with_contract_changes([*user.changes], lock.get("operations", {}), api)

    targets[LOCK_NAME] = lock_text(
        spec_name=Path(str(spec)).name,
        document=loaded.document,
        generated=generated,
        spec_params=user.spec_params,
        api=api,
    )
    changed = _changes(out_dir, targets, result)
    if not (check or dry_run):
        atomic_write(changed)
    return result


def _changes(out_dir: Path, targets: Mapping[str, str], result: GenerateResult) -> dict[Path, str]:
    """The targets whose text differs from the file's: each noted in `result` with its diff."""
    changed: dict[Path, str] = {}
    for path, text in sorted(targets.items()):
        target = out_dir / path
        current = target.read_text(encoding="utf-8") if target.is_file() else None
        if current == text:
            continue
        changed[target] = text
        result.written.append(path)
        result.diffs[path] = "".join(
            difflib.unified_diff(
                (current or "").splitlines(keepends=True),
                text.splitlines(keepends=True),
                fromfile=f"a/{path}",
                tofile=f"b/{path}",
            )
        )
    return changed
