"""Atomic writing: every file of a run is in place, or none is.

Each file is written to a temporary sibling first, then all are moved into place; if anything
fails, the files already replaced are put back and the folders made for them removed.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

__all__ = ["atomic_write"]


def _remove_folders(created: list[Path]) -> None:
    for folder in sorted(set(created), key=lambda p: len(p.parts), reverse=True):
        with contextlib.suppress(OSError):
            folder.rmdir()  # only when empty: nothing of the user's is ever removed


def atomic_write(files: Mapping[Path, str]) -> None:
    """Write every file to a temporary sibling first, then move them all into place."""
    staged: list[tuple[Path, str]] = []
    created: list[Path] = []  # folders made here, removed again if anything fails
    try:
        for path, text in files.items():
            missing = [p for p in (path.parent, *path.parent.parents) if not p.exists()]
            path.parent.mkdir(parents=True, exist_ok=True)
            created.extend(reversed(missing))
            fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
            staged.append((path, temp))
    except BaseException:
        for _, temp in staged:
            Path(temp).unlink(missing_ok=True)
        _remove_folders(created)
        raise
    replaced: list[tuple[Path, bytes | None]] = []
    try:
        for path, temp in staged:
            previous = path.read_bytes() if path.is_file() else None
            os.replace(temp, path)
            replaced.append((path, previous))
    except BaseException:  # put back what was replaced: a failed run leaves every file as it was
        for path, previous in reversed(replaced):
            if previous is None:
                path.unlink(missing_ok=True)
            else:
                path.write_bytes(previous)
        for _, temp in staged[len(replaced) :]:
            Path(temp).unlink(missing_ok=True)
        _remove_folders(created)
        raise
