"""`specloom.lock`: what a run generated, read by the next one.

It holds a hash of each generated file (so a hand edit is noticed), each handler module's
spec-owned parameters (for the merge), and each operation's module, function name and
contract (for renames and the change report), and each model's fields and enum values (for
the report of what a new spec changes in the models the handlers build).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from .contract import contract
from .ir import Api
from .json_text import indented
from .model_contract import model_contracts

__all__ = ["LOCK_NAME", "LockError", "edited_files", "lock_text", "read_lock"]

LOCK_NAME = "specloom.lock"


class LockError(Exception):
    """A lock file that cannot be read."""


def _sha256(text: str | bytes) -> str:
    data = text.encode() if isinstance(text, str) else text
    return hashlib.sha256(data).hexdigest()


def _generator_version() -> str:
    from specloom import __version__  # the metadata's version, read where it is written

    return __version__


def read_lock(out: Path) -> dict[str, Any]:
    """The lock of the package in `out`, or `{}` when there is none (a first run)."""
    path = out / LOCK_NAME
    if not path.is_file():
        return {}
    try:
        lock: dict[str, Any] = json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise LockError(f"{path}: unreadable lock file ({exc}); delete it to start over") from exc
    return lock


def edited_files(lock: dict[str, Any], out: Path) -> list[str]:
    """The generated files in `out` whose content no longer matches the lock's hash."""
    return [
        path
        for path, digest in lock.get("generated", {}).items()
        if (out / path).is_file() and _sha256((out / path).read_bytes()) != digest
    ]


def lock_text(
    *,
    spec_name: str,
    document: Any,
    generated: dict[str, str],
    spec_params: dict[str, dict[str, list[str]]],
    api: Api,
) -> str:
    """The lock of a run that wrote `generated` from `document` (the loaded spec)."""
    modules = {tag.name: tag.module for tag in api.tags}  # once, not once per operation
    lock = {
        "specloom": _generator_version(),
        "spec": {
            "name": spec_name,
            "sha256": _sha256(json.dumps(document, sort_keys=True, default=str)),
        },
        "generated": {path: _sha256(text) for path, text in sorted(generated.items())},
        "spec_params": {path: params for path, params in sorted(spec_params.items())},
        "operations": {
            f"{op.method.upper()} {op.path}": {
                "operation_id": op.operation_id,
                "module": modules.get(op.tag, "default"),
                "function": op.python_name,
                "contract": contract(op),
            }
            for op in api.operations
            if op.kind == "operation" and op.routable
        },
        "models": model_contracts(api),
    }
    return indented(lock, sort_keys=True) + "\n"
