"""The change report of a regeneration: what the spec changed, and the user's code each change
breaks, with where it is.

Its lines come from the merge of the handler modules (`merge`: added, removed, renamed,
changed signatures), the operations' contracts in the lock (`contract`: status codes, media
types, headers), the models' (`model_contract`) and the paginators left behind; `contract`
then places each line at the spec's pointer and the user's code.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .atomic import STAGING
from .contract import left_behind, with_contract_changes, with_places
from .ir import Api
from .merge import PackageMerge, ReportLine
from .model_contract import Builds, ModelChange, model_changes, model_contracts
from .unchanged import CACHE

__all__ = ["change_report"]


def change_report(
    out_dir: Path, lock: Mapping[str, Any], api: Api, user: PackageMerge
) -> list[ReportLine]:
    """The change report: the merge's lines, the contracts', the models', what was left behind,
    each with where it is."""
    files = _user_files(out_dir, user.targets)
    operations = lock.get("operations", {})
    changes: list[ReportLine] = [
        *with_contract_changes([*user.changes], operations, api),
        *_model_changes(lock, api, files),
        *left_behind(operations, api, out_dir / "paginators.py"),
    ]
    return with_places(changes, api, operations, files)


def _user_files(out_dir: Path, merged: Mapping[str, str]) -> dict[str, str]:
    """Every module of the package outside `_generated/` as this run leaves it (merged), named
    as the merge names them: from the current folder, through `out`."""
    files = {}
    for path in sorted(out_dir.rglob("*.py")):
        relative = path.relative_to(out_dir).as_posix()
        if relative.split("/")[0] not in ("_generated", STAGING, CACHE):
            files[str(path)] = merged.get(relative) or path.read_text(encoding="utf-8")
    for relative, text in merged.items():  # new modules: not on disk yet
        files.setdefault(str(out_dir / relative), text)
    return files


def _model_changes(
    lock: Mapping[str, Any], api: Api, files: Mapping[str, str]
) -> list[ModelChange]:
    """What the spec changed in the models, with the user's code each change breaks."""
    if not lock.get("models"):
        return []
    return model_changes(lock["models"], model_contracts(api), Builds(files))
