"""Merge a freshly generated user-owned module into the user's copy, keeping every line they wrote.

Used for `handlers/<tag>.py`, `paginators.py` and `security.py`. A handler is a top-level def
decorated with `@op.<name>`; only its `@op.…` decorators, spec parameters and return annotation
belong to the spec and are rewritten. Bodies, docstrings, comments, blank lines, user decorators,
user parameters and `async`/sync are kept byte for byte. New handlers and plain items are
appended; handlers gone from the spec are unrouted and marked, never deleted; imports are added,
never removed. See `merge_module`.
"""

from ._common import (
    OPERATIONS_ALIAS,
    REMOVED_MARKER,
    ChangeKind,
    MergeChange,
    MergeError,
    MergeResult,
)
from ._module import merge_module, spec_params_of

__all__ = [
    "OPERATIONS_ALIAS",
    "REMOVED_MARKER",
    "ChangeKind",
    "MergeChange",
    "MergeError",
    "MergeResult",
    "merge_module",
    "spec_params_of",
]
