"""collector.paused: the garbage collector off while a document is read or compared."""

from __future__ import annotations

import gc
from typing import Any

import pytest

from specloom.generator import collector
from specloom.generator.diff import diff_specs
from specloom.generator.loader import load_spec

SPEC = '{"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {}}'


def test_the_collector_is_paused_in_the_block_and_enabled_after() -> None:
    assert gc.isenabled()
    with collector.paused():
        assert not gc.isenabled()
        with collector.paused():  # a block inside another keeps it paused
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_the_collector_is_enabled_again_when_the_block_raises() -> None:
    with pytest.raises(RuntimeError), collector.paused():
        raise RuntimeError("unusable spec")
    assert gc.isenabled()


def test_a_collector_disabled_before_stays_disabled() -> None:
    gc.disable()
    try:
        with collector.paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_what_the_block_allocated_is_old_after_it_and_still_collected() -> None:
    class Node:
        other: Any = None

    gc.collect()
    with collector.paused():
        first, second = Node(), Node()
        first.other, second.other = second, first  # a cycle
        kept = [Node() for _ in range(1000)]
    assert gc.get_count()[0] < 100  # not a young generation of everything the block made
    assert gc.get_freeze_count() == 0
    del first, second
    assert gc.collect() >= 2  # the cycle is garbage all the same
    assert kept


def test_objects_frozen_before_stay_frozen() -> None:
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with collector.paused():
            pass
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()


def test_loading_and_diffing_pause_the_collector(monkeypatch: pytest.MonkeyPatch) -> None:
    entered: list[bool] = []
    paused = collector.paused

    def spy() -> Any:
        entered.append(True)
        return paused()

    monkeypatch.setattr("specloom.generator.loader.paused", spy)
    monkeypatch.setattr("specloom.generator.diff._compare.paused", spy)
    doc = load_spec(SPEC).document
    assert len(entered) == 1
    assert diff_specs(doc, doc) == []
    assert len(entered) == 3  # diff_specs, and diff_documents within it
    assert gc.isenabled()


def test_an_unusable_spec_leaves_the_collector_enabled() -> None:
    with pytest.raises(Exception, match="no 'openapi' or 'swagger'"):
        load_spec('{"info": {}}')
    assert gc.isenabled()
