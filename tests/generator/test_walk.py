"""The walk helpers' shared names."""

from __future__ import annotations

from specloom.generator.walk import NULL_BY_EXTENSION
from specloom.runtime.openapi import NULL_BY_EXTENSION as RUNTIME_MARKER


def test_null_by_extension_is_the_runtime_marker() -> None:
    """The normaliser marks a null said by `x-nullable` alone with the runtime's own key."""
    assert NULL_BY_EXTENSION == RUNTIME_MARKER
