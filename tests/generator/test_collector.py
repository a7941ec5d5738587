"""The generator reads and compares documents with the garbage collector paused
(`specloom.collector`, tested in tests/test_collector.py)."""

from __future__ import annotations

import gc
from typing import Any

import pytest

from specloom import collector
from specloom.generator.diff import diff_specs
from specloom.generator.loader import load_spec

SPEC = '{"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {}}'


def test_loading_and_diffing_pause_the_collector(monkeypatch: pytest.MonkeyPatch) -> None:
    entered: list[bool] = []
    paused = collector.collection_paused

    def spy() -> Any:
        entered.append(True)
        return paused()

    monkeypatch.setattr("specloom.generator.loader.collection_paused", spy)
    monkeypatch.setattr("specloom.generator.diff._compare.collection_paused", spy)
    doc = load_spec(SPEC).document
    assert len(entered) == 1
    assert diff_specs(doc, doc) == []
    assert len(entered) == 3  # diff_specs, and diff_documents within it
    assert gc.isenabled()


def test_an_unusable_spec_leaves_the_collector_enabled() -> None:
    with pytest.raises(Exception, match="no 'openapi' or 'swagger'"):
        load_spec('{"info": {}}')
    assert gc.isenabled()
