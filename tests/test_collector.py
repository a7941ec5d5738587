"""specloom.collector.collection_paused: the garbage collector off for a block, then as it was
(the runtime's start-up and the generator's reading of documents)."""

from __future__ import annotations

import gc
from typing import Any

import pytest

from specloom import collector
from specloom.collector import collection_paused


def test_the_collector_is_paused_in_the_block_and_enabled_after() -> None:
    assert gc.isenabled()
    with collection_paused():
        assert not gc.isenabled()
        with collection_paused():  # a block inside another keeps it paused
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_the_collector_is_enabled_again_when_the_block_raises() -> None:
    with pytest.raises(RuntimeError), collection_paused():
        raise RuntimeError("failed import")
    assert gc.isenabled()


def test_a_collector_disabled_before_stays_disabled() -> None:
    gc.disable()
    try:
        with collection_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_what_the_block_allocated_is_old_after_it_and_still_collected() -> None:
    class Node:
        other: Any = None

    gc.collect()
    with collection_paused():
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
        with collection_paused():
            pass
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()


def test_a_large_start_up_is_collected_at_its_end() -> None:
    class Node:
        other: Any = None

    gc.collect()
    collected = gc.get_stats()[2]["collections"]
    with collection_paused(collect=True):
        first, second = Node(), Node()
        first.other, second.other = second, first
        del first, second
        kept = [[index] for index in range(10_000)]  # more than the collector lets pass
    assert gc.get_stats()[2]["collections"] == collected + 1
    assert gc.collect() == 0  # the cycle went with it
    assert kept


def test_the_end_of_start_up_walks_only_what_the_block_made() -> None:
    class Node:
        other: Any = None

    gc.collect()
    older = [[index] for index in range(100)]
    first, second = Node(), Node()
    first.other, second.other = second, first  # garbage from before the block
    del first, second
    with collection_paused(collect=True):
        kept = [[index] for index in range(10_000)]
    assert gc.get_freeze_count() == 0  # the older objects are back
    in_oldest = {id(item) for item in gc.get_objects(2)}
    assert id(older[0]) in in_oldest and id(kept[0]) in in_oldest
    assert gc.collect() >= 2  # the older cycle was not the block's: the next full collection's


def test_a_start_up_in_a_process_that_froze_objects_leaves_them_frozen() -> None:
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with collection_paused(collect=True):
            kept = [[index] for index in range(10_000)]
        assert gc.get_freeze_count() == frozen
        assert kept
    finally:
        gc.unfreeze()


def test_a_small_start_up_is_not_collected() -> None:
    gc.collect()
    collected = gc.get_stats()[2]["collections"]
    with collection_paused(collect=True):
        kept = [[index] for index in range(100)]
    assert gc.get_stats()[2]["collections"] == collected
    assert kept


def test_the_runtime_and_generated_code_use_the_same_pause() -> None:
    from specloom.runtime import startup

    assert startup.collection_paused is collector.collection_paused


def _resident_kib() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError("no VmRSS")


@pytest.mark.skipif(
    collector._malloc_trim() is None, reason="no glibc malloc_trim here (not Linux with glibc)"
)
def test_freed_heap_memory_is_given_back_to_the_system() -> None:
    """Blocks freed between survivors stay with the allocator (no heap top to shrink) until
    `return_freed_memory` hands their pages back; the survivors are untouched."""
    blocks = [bytes(4000) + i.to_bytes(4, "little") for i in range(20_000)]  # ~80 MB in C heap
    survivors = blocks[::20]
    del blocks
    before = _resident_kib()
    collector.return_freed_memory()
    after = _resident_kib()
    assert before - after > 30_000, (before, after)  # most of the ~76 MB freed, in KiB
    assert [int.from_bytes(b[-4:], "little") for b in survivors[:3]] == [0, 20, 40]


def test_returning_freed_memory_is_a_no_op_without_glibc(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(collector.sys, "platform", "darwin")
    collector._malloc_trim.cache_clear()
    try:
        assert collector._malloc_trim() is None
        collector.return_freed_memory()  # nothing to call, nothing done
    finally:
        monkeypatch.undo()
        collector._malloc_trim.cache_clear()
