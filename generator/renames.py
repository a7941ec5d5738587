"""Rename detection: an operation whose Python name changed keeps its handler, renamed.

The lock knows each operation (by method and path) and the handler module and function it
had; the same operation in the same module under a new name is a rename for the merge.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .ir import Api

__all__ = ["renames"]


def renames(lock: Mapping[str, Any], api: Api) -> dict[str, dict[str, str]]:
    """Per handler module, old function name -> new one, for operations whose name changed."""
    previous = lock.get("operations", {})
    found: dict[str, dict[str, str]] = {}
    modules = {tag.name: tag.module for tag in api.tags}
    for op in api.operations:
        key = f"{op.method.upper()} {op.path}"
        old = previous.get(key)
        module = modules.get(op.tag, "default")
        if old and old.get("module") == module and old.get("function") != op.python_name:
            found.setdefault(module, {})[old["function"]] = op.python_name
    return found
