"""Every user-owned module of a package at once: a new one is written as generated, an existing
one merged into the user's copy, a module whose operations are all gone emptied of them."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ._report import MergeChange, spec_params_of
from ._requote import requote_removed

EMPTY_HANDLERS = '"""Handlers of operations that were removed from the spec."""\n'


@dataclass
class PackageMerge:
    """The user modules to write, and what merging them found."""

    targets: dict[str, str] = field(default_factory=dict)  # relative path -> text
    added_modules: list[str] = field(default_factory=list)
    spec_params: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    changes: list[MergeChange] = field(default_factory=list)


def merge_package(
    out_dir: Path,
    fresh: Mapping[str, str],
    *,
    merged: Collection[str],
    previous_params: Mapping[str, dict[str, list[str]]],
    renames: Mapping[str, dict[str, str]],
    regenerating: bool,
) -> PackageMerge:
    """Merge the freshly generated user modules `fresh` into the package in `out_dir`.

    `merged` names the modules regeneration merges (the others are created once, then left
    alone); `previous_params` and `renames` come from the lock (`renames` per module name).
    Raises `MergeError` for a module that cannot be merged.
    """
    user = dict(fresh)
    for path in previous_params:
        if path not in user and (out_dir / path).is_file():  # every operation of it is gone
            user[path] = EMPTY_HANDLERS
    result = PackageMerge()
    for path, text in user.items():
        existing_path = out_dir / path
        if not existing_path.is_file():  # written as a merge would leave it: a rerun is a no-op
            result.targets[path] = requote_removed(text, quote=True) if path in merged else text
            result.added_modules.append(path)
            if path in merged:
                result.spec_params[path] = spec_params_of(text)
                if regenerating:  # the new module's operations are new
                    detail = f"new operation: handler stub added in {path}"
                    result.changes += [
                        MergeChange(name, "added", detail, False)
                        for name in result.spec_params[path]
                    ]
            continue
        if path not in merged and path not in previous_params:
            continue  # created once, then the user's alone (app.py, __init__.py)
        existing = requote_removed(existing_path.read_text(encoding="utf-8"), quote=False)
        from ._module import merge_module  # libcst: loaded only when there is a file to merge

        module = merge_module(
            existing,
            requote_removed(text, quote=False),  # unrouted handlers are rendered quoted
            previous_spec_params=previous_params.get(path, {}),
            renames=renames.get(Path(path).stem, {}),
            path=str(existing_path),
        )
        result.targets[path] = requote_removed(module.text, quote=True)
        result.spec_params[path] = module.spec_params
        result.changes.extend(module.changes)
    return result
