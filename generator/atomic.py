"""All-or-nothing writing of a run's files, even when the process is killed.

A run writes every new file into a staging folder inside the package (`.specloom-staging/`,
each file synced to disk), then writes the journal (`.specloom-journal`: the list of files),
which is the commit point: its rename into place is atomic. Only then are the staged files
moved over the package's, one `os.replace` each. So, at any instant a run can be killed:

- before the journal exists, the package is entirely old, and the staging folder is litter
  that the next run removes;
- once it exists, the run is decided: the next run (or `recover`) moves the files still staged
  into place before doing anything else, and the package is entirely new.

Moving is idempotent (a file already moved is no longer staged), so a run killed while
completing another is completed in turn. Nothing is written outside the package folder, and no
temporary file is ever left beside the package's own.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

__all__ = ["JOURNAL", "STAGING", "atomic_write", "pending", "recover"]

STAGING = ".specloom-staging"
JOURNAL = ".specloom-journal"


def _synced(path: Path, text: str) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())


def _sync_folder(folder: Path) -> None:
    """Make a rename in `folder` durable (where the platform can open a folder)."""
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def pending(root: Path) -> bool:
    """Whether a run that reached its commit point was stopped before it completed."""
    return (root / JOURNAL).is_file()


def _complete(root: Path) -> None:
    staging = root / STAGING
    for relative in json.loads((root / JOURNAL).read_text(encoding="utf-8")):
        staged = staging / relative
        if staged.is_file():
            target = root / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staged, target)
    _sync_folder(root)
    (root / JOURNAL).unlink()
    shutil.rmtree(staging, ignore_errors=True)


def recover(root: Path) -> Literal["completed", "cleaned"] | None:
    """Finish or undo what a stopped run left in `root`: "completed" (the package is the stopped
    run's), "cleaned" (it never started moving files: the package is as it was) or None."""
    if pending(root):
        _complete(root)
        return "completed"
    if (root / STAGING).exists():
        shutil.rmtree(root / STAGING, ignore_errors=True)
        return "cleaned"
    return None


def _placeable(root: Path, path: Path) -> None:
    """Refuse, before the commit point, a file that could not be moved into place."""
    for folder in reversed(path.parents):
        if folder.is_relative_to(root) and folder.exists() and not folder.is_dir():
            raise NotADirectoryError(f"{folder} is a file where a folder must go")
    if path.is_dir():
        raise IsADirectoryError(f"{path} is a folder where a file must go")


def atomic_write(root: Path, files: Mapping[Path, str]) -> None:
    """Write `files` (paths inside `root`) so that the package is entirely old or entirely new."""
    recover(root)
    if not files:
        return
    staging = root / STAGING
    relative = [path.relative_to(root).as_posix() for path in files]
    try:
        for path in files:
            _placeable(root, path)
        for name, text in zip(relative, files.values(), strict=True):
            staged = staging / name
            staged.parent.mkdir(parents=True, exist_ok=True)
            _synced(staged, text)
        _synced(staging / ".journal", json.dumps(relative))
    except BaseException:  # not committed: the package is untouched
        shutil.rmtree(staging, ignore_errors=True)
        raise
    os.replace(staging / ".journal", root / JOURNAL)  # the commit point
    _sync_folder(root)
    _complete(root)
