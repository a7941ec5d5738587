"""`specloom.runtime`'s public names load with the first use of one of them (PEP 562)."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

import specloom.runtime as runtime


@pytest.mark.parametrize("name", runtime.__all__)
def test_each_public_name_is_its_submodules(name: str) -> None:
    source = importlib.import_module(f"specloom.runtime.{runtime._SOURCES[name]}")
    assert getattr(runtime, name) is getattr(source, name)
    assert name in dir(runtime)


def test_every_public_name_has_a_source_and_no_other() -> None:
    assert sorted(runtime._SOURCES) == sorted(runtime.__all__)
    with pytest.raises(AttributeError, match="has no attribute 'Nothing'"):
        runtime.Nothing  # noqa: B018


def test_importing_the_package_loads_no_framework_until_a_name_is_used() -> None:
    probe = (
        "import sys, specloom.runtime.routing\n"
        "print('specloom.runtime.app' in sys.modules)\n"
        "from specloom.runtime import *\n"
        "print('specloom.runtime.app' in sys.modules, App.__module__)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.split() == ["False", "True", "specloom.runtime.app"]
