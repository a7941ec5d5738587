"""The cyclic garbage collector paused while a document is read or compared.

Reading a large document (13 MB of JSON: millions of dicts, lists and strings) and judging two
of them (each normalised and made canonical: as many again) builds data that lives until the
end of the call, with no reference cycles to free: reference counting frees what is dropped.
The collector walks every object of the process each time its oldest generation grows by a
quarter, so it would walk the documents again and again: some 40% of `specloom diff` of two
13 MB documents, with the same peak memory. `paused()` holds it off for the block and then
puts it back as it was (a block inside another keeps it paused); what the block left moves to
the oldest generation as it stands, unwalked, where the next full collection finds it like
everything else (without that, the first young collection after the block would walk all of
it at once). `runtime.startup.collection_paused` does the same for an app's start-up; this
one is the generator's, so that reading a spec does not load the runtime.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["paused"]


@contextmanager
def paused() -> Iterator[None]:
    """The cyclic garbage collector off for the block, then enabled again if it was."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            if not gc.get_freeze_count():  # objects the process froze itself stay frozen
                gc.freeze()
                gc.unfreeze()
            gc.enable()
