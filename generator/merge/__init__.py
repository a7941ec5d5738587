"""Merge a freshly generated user-owned module into the user's copy, keeping every line they wrote.

Used for `handlers/<tag>.py`, `paginators.py` and `security.py`. A handler is a top-level def
decorated with `@op.<name>`; only its `@op.…` decorators, spec parameters and return annotation
belong to the spec and are rewritten. Bodies, docstrings, comments, blank lines, user decorators,
user parameters and `async`/sync are kept byte for byte. New handlers and plain items are
appended; handlers gone from the spec are unrouted and marked, never deleted; imports are added,
never removed. See `merge_module` (one module) and `merge_package` (all of a package's).
"""

from typing import TYPE_CHECKING, Any

from ._package import EMPTY_HANDLERS, PackageMerge, merge_package
from ._report import (
    MARKERS,
    NOT_ROUTED_MARKER,
    OPERATIONS_ALIAS,
    REMOVED_MARKER,
    ChangeKind,
    MergeChange,
    MergeError,
    MergeResult,
    ReportLine,
    spec_params_of,
)
from ._requote import quoted_annotation, requote_removed

if TYPE_CHECKING:
    from ._module import merge_module

__all__ = [
    "EMPTY_HANDLERS",
    "MARKERS",
    "NOT_ROUTED_MARKER",
    "OPERATIONS_ALIAS",
    "REMOVED_MARKER",
    "ChangeKind",
    "MergeChange",
    "MergeError",
    "MergeResult",
    "PackageMerge",
    "ReportLine",
    "merge_module",
    "merge_package",
    "quoted_annotation",
    "requote_removed",
    "spec_params_of",
]


def __getattr__(name: str) -> Any:
    # libcst takes a tenth of a second to import: only a regeneration loads it
    if name == "merge_module":
        from ._module import merge_module

        return merge_module
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
