"""The walk helpers' shared names."""

from __future__ import annotations

import subprocess
import sys

from specloom.generator.walk import NULL_BY_EXTENSION, RUNTIME_MARK
from specloom.runtime.openapi import NULL_BY_EXTENSION as RUNTIME_MARKER
from specloom.runtime.openapi.runtime_answers import RUNTIME_MARK as RUNTIME_ANSWERS_MARK


def test_null_by_extension_is_the_runtime_marker() -> None:
    """The normaliser marks a null said by `x-nullable` alone with the runtime's own key."""
    assert NULL_BY_EXTENSION == RUNTIME_MARKER


def test_runtime_mark_is_the_runtime_answers_mark() -> None:
    """The judge leaves out what the runtime marks as its own answers, by the runtime's key."""
    assert RUNTIME_MARK == RUNTIME_ANSWERS_MARK


def test_the_diff_command_does_not_load_the_runtime() -> None:
    """Reading and comparing specs needs no server: importing the runtime was a third of the
    start-up of `specloom diff`."""
    code = (
        "import sys\n"
        "import specloom.generator.cli, specloom.generator.loader, specloom.generator.diff\n"
        "print(sorted(m for m in sys.modules if m.startswith('specloom.runtime')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
