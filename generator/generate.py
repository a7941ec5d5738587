"""`specloom generate`: the steps of a run, in order, each done by the module named for it.

Load the spec and build the IR, render and format the package, check the lock for hand edits
(`lock`), merge the user modules (`merge`, told of renamed operations by `renames`), make the
change report (`change_report`), then write the new lock and every changed file at once
(`atomic`).

Nothing is written unless every step succeeded: the spec loads, every file renders and
formats, no generated file was edited by hand (unless forced) and every user file merges.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from specloom.collector import collection_paused

from .atomic import JOURNAL, atomic_write, pending, recover
from .build_ir import build_ir
from .change_report import change_report
from .contract import OperationChange
from .errors import SpecWarning
from .formatting import FormattingError, format_modules
from .ir import Api
from .loader import load_spec
from .lock import LOCK_NAME, LockError, edited_files, lock_text, read_lock
from .merge import MergeError, ReportLine, merge_package
from .renames import renames
from .render.package import RenderedPackage, render_package
from .unchanged import input_key, record, recorded_warnings, spec_path

__all__ = ["GenerateError", "GenerateResult", "OperationChange", "Progress", "generate"]

# told of each phase as it starts (load, build, render, format, write) with, where known, how
# many of its items are done of how many (0, 0: not counted)
Progress = Callable[[str, int, int], None]


def _silent(phase: str, done: int, total: int) -> None:
    pass


class GenerateError(Exception):
    """A generation that stopped before writing anything; the message says what and where."""


@dataclass
class GenerateResult:
    """What a run did (or, with --check/--dry-run, would do)."""

    written: list[str] = field(default_factory=list)  # relative paths that change
    diffs: dict[str, str] = field(default_factory=dict)
    changes: list[ReportLine] = field(default_factory=list)
    added_modules: list[str] = field(default_factory=list)
    warnings: list[SpecWarning] = field(default_factory=list)
    api: Api | None = None
    # what an earlier run stopped part-way left: "completed" or "cleaned" first (atomic.recover)
    recovered: str | None = None

    def summary(self) -> dict[str, dict[str, int]]:
        """How many changes of each kind, breaking ones apart (a kind can be in both)."""
        found: dict[str, dict[str, int]] = {"breaking": {}, "other": {}}
        for change in self.changes:
            side = found["breaking" if change.breaking else "other"]
            side[change.kind] = side.get(change.kind, 0) + 1
        return found

    def report(self) -> dict[str, Any]:
        """The run as JSON-able data (`--report`), as docs/report.schema.json describes it."""
        return {
            "files": self.written,
            "summary": self.summary(),
            "recovered": self.recovered,
            "changes": [
                {
                    "handler": change.function,
                    "kind": change.kind,
                    "detail": change.detail,
                    "breaking": change.breaking,
                    "pointer": change.pointer,
                    "at": change.at,
                    "breaks": list(change.breaks),
                }
                for change in self.changes
            ],
            "warnings": [
                {"pointer": w.pointer, "message": w.message, "file": w.file, "line": w.line}
                for w in self.warnings
            ],
        }


def _module_path(out_dir: Path) -> str:
    """The package's dotted import path from the current folder (where uvicorn would run)."""
    try:
        relative = out_dir.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return out_dir.resolve().name
    parts = [part for part in relative.parts if part]
    return ".".join(parts) if parts and all(p.isidentifier() for p in parts) else relative.name


def generate(
    spec: str | os.PathLike[str],
    out: str | os.PathLike[str],
    *,
    force: bool = False,
    check: bool = False,
    dry_run: bool = False,
    mount_base_path: bool = True,
    spec_root: str | os.PathLike[str] | None = None,
    progress: Progress = _silent,
) -> GenerateResult:
    """Generate (or regenerate) the server package `out` from `spec`.

    `mount_base_path`: routes are served under the path of the spec's servers (`/api/v3` of
    `https://host/api/v3`); False serves them at the paths as written.

    `spec_root`: the folder the spec's `$ref`s may read files under (it must hold the spec);
    by default the spec's own folder (`loader.load_spec`).

    When the spec's files, the generator and the package are as the run that left the package
    recorded them (`unchanged`), there is nothing to do: the result is that run's warnings.
    """
    out_dir = Path(out)
    package = _module_path(out_dir)
    source = spec_path(spec)
    # what changes the output beside the spec (a wider root lets a $ref read more files)
    options = f"mount_base_path={mount_base_path}"
    if spec_root is not None:
        options += f" spec_root={Path(spec_root).resolve()}"
    unchanged = _unchanged(source, str(spec), out_dir, package, options)
    if unchanged is not None:
        return unchanged
    # A run builds millions of objects (the IR, views, module texts) and frees few of them
    # through a cycle: the collector's walks over them found almost nothing to free yet were
    # a quarter of the CPU of a 1,000-operation run. Paused for the run; what the run leaves
    # is settled into the oldest generation at its end (`specloom.collector`).
    with collection_paused():
        return _generate(
            spec,
            out_dir,
            package,
            source,
            options,
            force=force,
            check=check,
            dry_run=dry_run,
            mount_base_path=mount_base_path,
            spec_root=spec_root,
            progress=progress,
        )


def _generate(
    spec: str | os.PathLike[str],
    out_dir: Path,
    package: str,
    source: Path | None,
    options: str,
    *,
    force: bool,
    check: bool,
    dry_run: bool,
    mount_base_path: bool,
    spec_root: str | os.PathLike[str] | None,
    progress: Progress,
) -> GenerateResult:
    """`generate` past the check for an unchanged rerun."""
    progress("load", 0, 0)
    loaded = load_spec(spec, spec_root=spec_root)
    progress("build", 0, 0)
    api = build_ir(
        loaded.document,
        positions=loaded.source_map,
        warnings=loaded.warnings,
        mount_base_path=mount_base_path,
    )
    progress("render", 0, 0)
    rendered: RenderedPackage = render_package(
        api, package=package, spec_name=Path(str(spec)).name if str(spec) != "-" else "<stdin>"
    )
    source_map = loaded.source_map.relocated(api.moves)  # the plan's pointers are api's
    located = [source_map.place(w) for w in rendered.warnings]
    result = GenerateResult(warnings=[*api.warnings, *located], api=api)
    result.recovered = _recover(out_dir, writes=not (check or dry_run))
    try:
        lock = read_lock(out_dir)
    except LockError as exc:
        raise GenerateError(str(exc)) from exc
    targets: dict[str, str] = {}

    progress("format", 0, len(rendered.generated) + len(rendered.user))
    try:
        formatted = format_modules({**rendered.generated, **rendered.user})
    except FormattingError as exc:
        raise GenerateError(str(exc)) from exc
    generated = {path: formatted[path] for path in rendered.generated}
    edited = edited_files(lock, out_dir)
    if edited and not force:
        raise GenerateError(
            "generated files were edited by hand (their content no longer matches "
            f"{LOCK_NAME}): {', '.join(sorted(edited))}; move your changes into the handler "
            "modules, or pass --force to overwrite them"
        )
    targets.update(generated)

    progress("write", 0, 0)
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
    result.changes = change_report(out_dir, lock, api, user)

    targets[LOCK_NAME] = lock_text(
        spec_name=Path(str(spec)).name,
        document=loaded.document,
        generated=generated,
        spec_params=user.spec_params,
        api=api,
    )
    changed = _changes(out_dir, targets, result)
    if not (check or dry_run):
        progress("write", 0, len(changed))
        atomic_write(out_dir, changed)
        progress("write", len(changed), len(changed))
        if source is not None:
            _record(
                out_dir, loaded.files, package, targets, rendered.user, result.warnings, options
            )
    return result


def _recover(out_dir: Path, *, writes: bool) -> str | None:
    """Finish or clean up what a stopped run left (a run that writes); refuse to read a package
    a stopped run left half-written (one that does not)."""
    if writes:
        return recover(out_dir)
    if pending(out_dir):
        raise GenerateError(
            f"{out_dir}: a regeneration was stopped before it completed ({JOURNAL} is "
            "there); run specloom generate to complete it"
        )
    return None


def _unchanged(
    source: Path | None, spec: str, out_dir: Path, package: str, options: str
) -> GenerateResult | None:
    """The result of a run with nothing to do (inputs and package as the last run left them)."""
    if source is None or pending(out_dir):
        return None
    warnings = recorded_warnings(
        out_dir, spec=spec, package=package, spec_name=source.name, options=options
    )
    return None if warnings is None else GenerateResult(warnings=warnings)


def _record(
    out_dir: Path,
    spec_files: tuple[str, ...],
    package: str,
    left: Mapping[str, str],
    user: Mapping[str, str],
    warnings: list[SpecWarning],
    options: str,
) -> None:
    """Note the run's inputs and what it left, so that an unchanged rerun has nothing to do."""
    files = list(spec_files)
    key = input_key(files, package=package, spec_name=Path(files[0]).name, options=options)
    if key is not None:
        record(out_dir, spec_files=files, key=key, left=left, present=user, warnings=warnings)


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
        result.diffs[path] = _diff(path, current or "", text)
    return changed


def _diff(path: str, current: str, text: str) -> str:
    """The unified diff of `path` from `current` to `text`. A new file's is written out:
    difflib's matcher indexes every line of the new text to compare it with nothing, which
    cost more than any other step of writing a first package."""
    lines = text.splitlines(keepends=True)
    if current or not lines:
        return "".join(
            difflib.unified_diff(
                current.splitlines(keepends=True), lines, fromfile=f"a/{path}", tofile=f"b/{path}"
            )
        )
    added = "1" if len(lines) == 1 else f"1,{len(lines)}"  # difflib's range format
    # each line after a `+`: one join in C, not a string made per line
    return f"--- a/{path}\n+++ b/{path}\n@@ -0,0 +{added} @@\n+" + "+".join(lines)
