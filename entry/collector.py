"""The cyclic garbage collector paused while something large is built that lives on.

Importing a generated package declares thousands of models (each field an `Annotated` type, an
enum a class with members) and compiling its routes builds their type information, decoders
and plans; reading a large document (13 MB of JSON) and judging two of them build millions of
dicts, lists and strings. All of it lives as long as the app, or to the end of the call, and
holds few or no reference cycles. The collector walks every object of the process each time its
oldest generation fills, so it would walk them again and again: a quarter of the import of a
1,000-operation package and of its app's construction, some 40% of `specloom diff` of two 13 MB
documents. `collection_paused()` holds it off for the block and then puts it back as it was (a
block inside another keeps it paused); what the block left is then settled (`_settle`):
collected once where it ends a large start-up (what the block made, not what was there before
it), else moved to the oldest generation as it stands. The runtime (`specloom.runtime.startup`,
imported by generated `routes.py`) and the generator (`loader.py`, `diff/`) both use it; it
lives beside them so that the generator does not import the runtime for it.
"""

from __future__ import annotations

import functools
import gc
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

__all__ = ["collection_paused", "return_freed_memory"]


@contextmanager
def collection_paused(*, collect: bool = False) -> Iterator[None]:
    """The cyclic garbage collector off for the block, then enabled again if it was.

    `collect`: the block ends start-up (`App` compiling its routes). When it made at least as
    many objects as the collector lets pass before it walks its middle generation (its first
    two thresholds, 7,000 by default: far more than a small app makes), one collection runs at
    its end: start-up's garbage is freed, so that no early request pays for a collection
    start-up put off. It walks only what the block made: everything older is frozen (moved
    aside, unwalked) over the block and put back in the oldest generation after it. The older
    objects are the import's, a package of 1,000 operations' 230,000 containers, which the
    import's own block left without cycles to free (it builds classes and annotations, no
    garbage); walking them again was most of the collection's 0.1 s. A process that froze
    objects itself (a pre-fork server) is left as it was, and collected in full. The
    collector then counts only the block's survivors as its long-lived objects, so its first
    full collection while serving comes sooner than after a full one here (a server keeping
    two containers a request: after some 12,000 requests rather than 16,000).
    """
    enabled = gc.isenabled()
    gc.disable()
    scoped = collect and enabled and not gc.get_freeze_count()
    if scoped:
        gc.freeze()  # what was there before the block: not the block's to collect
    try:
        yield
    finally:
        if enabled:
            _settle(collect, scoped)
            gc.enable()


def _settle(collect: bool, scoped: bool) -> None:
    """What the block left, once the collector was paused over it: collected when it ends
    start-up and was large, else moved to the oldest generation unwalked (documented: unfreeze
    puts the frozen objects back into the oldest generation), where the next full collection
    finds it like everything else. Without either, the first young collection after the block
    would walk all of it at once. `scoped`: the block froze what was older than it, put back
    here. Objects the process froze itself (a pre-fork server, before its workers start) are
    left frozen."""
    made = gc.get_count()[0]
    first, second, _ = gc.get_threshold()
    if collect and made >= max(first, 1) * max(second, 1):
        gc.collect()  # scoped: the block's objects only, the older ones frozen
        if scoped:
            gc.unfreeze()
    elif scoped or not gc.get_freeze_count():
        gc.freeze()
        gc.unfreeze()


def return_freed_memory() -> None:
    """Give the C heap's free memory back to the system, once something large was built and
    dropped (an app's document: the build's millions of short-lived containers leave the heap
    tens of MiB larger than what lives on, which the allocator keeps for later). glibc keeps
    freed memory below its top and in its arenas until `malloc_trim` releases it; elsewhere
    (musl, macOS, Windows) there is nothing to call and nothing is done. The objects that live
    on are not touched: only pages no allocation uses are returned."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's `malloc_trim`, found in the process's own symbols (None where there is none)."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes  # here: a server that never builds a document does not import it

    try:
        function = ctypes.CDLL(None).malloc_trim
    except (AttributeError, OSError):  # another C library (musl has no malloc_trim)
        return None
    function.argtypes = [ctypes.c_size_t]
    function.restype = ctypes.c_int
    trim: Callable[[int], int] = function
    return trim
