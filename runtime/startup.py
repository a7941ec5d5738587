"""Start-up of a large app: the cyclic garbage collector paused while it is built.

Importing a generated package declares thousands of models (each field an `Annotated` type, an
enum a class with members) and compiling its routes builds their type information, decoders
and plans: hundreds of thousands of objects that live as long as the app. The collector walks
every object of the process each time its oldest generation fills, so it would walk them again
and again: a quarter of the import of a 1,000-operation package and of the construction of its
app. `collection_paused()` holds it off for the block and then puts it back as it was (a block
inside another keeps it paused); nothing is freed by the pause, and cycles left behind are
collected by the next collection after it.
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
            gc.enable()
