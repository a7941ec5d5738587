"""Start-up of a large app: the cyclic garbage collector paused while it is built.

Importing a generated package declares thousands of models (each field an `Annotated` type, an
enum a class with members) and compiling its routes builds their type information, decoders
and plans: hundreds of thousands of objects that live as long as the app. The collector walks
every object of the process each time its oldest generation fills, so it would walk them again
and again: a quarter of the import of a 1,000-operation package and of the construction of its
app. `collection_paused()` holds it off for the block and then puts it back as it was (a block
inside another keeps it paused). What the block made is then moved to the oldest generation
as it stands (`gc.freeze()` then `gc.unfreeze()`: documented to put the objects back into the
oldest generation), where the next full collection looks at it like everything else: nothing
is freed by the pause, cycles left behind are collected all the same, and no young collection
walks it all at once. Objects the process froze itself (a pre-fork server) are left frozen.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["collection_paused"]


@contextmanager
def collection_paused() -> Iterator[None]:
    """The cyclic garbage collector off for the block, then enabled again if it was."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            if not gc.get_freeze_count():  # none frozen by the app itself (pre-fork servers)
                # what the block left goes to the oldest generation unwalked (documented:
                # unfreeze puts the frozen objects back into the oldest generation), else
                # the first collection after it walks all of it as one young generation
                gc.freeze()
                gc.unfreeze()
            gc.enable()
