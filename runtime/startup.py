"""Start-up of a large app: the cyclic garbage collector paused while it is built.

Generated `routes.py` imports its handlers inside `with collection_paused():`, and `App`
compiles its routes in one (`collect=True`: a large start-up ends with one full collection).
The function is `specloom.collector`'s, shared with the generator.
"""

from __future__ import annotations

from specloom.collector import collection_paused

__all__ = ["collection_paused"]
