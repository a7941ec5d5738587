"""Fixtures of the generator front-end tests: fixture specs and spec text."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from specloom.generator.build_ir import build_ir
from specloom.generator.ir import Api
from specloom.generator.loader import load_spec

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture
def build() -> Callable[..., Api]:
    """Build the IR of spec text (YAML/JSON) as `parse` would."""

    def run(text: str, **kwargs: Any) -> Api:
        loaded = load_spec(text, source_name=kwargs.pop("source_name", "spec.yaml"))
        return build_ir(loaded.document, positions=loaded.source_map, warnings=loaded.warnings)

    return run
