"""Handlers of the `events` operations.

A live feed of what happens in the store.

This file is yours: write the handler bodies. When you regenerate, specloom rewrites only each
handler's decorator, spec parameters and return annotation; everything else stays as you
wrote it.
"""

from specloom.runtime.response import ServerSentEvent

from .._generated import models as m  # noqa: F401
from .._generated import operations as op
from ..store import Store


@op.stream_events
async def stream_events(limit: op.StreamEventsLimit = None, *, store: Store) -> ServerSentEvent:
    """Follow the store's events"""
    # A comment line every 15 idle seconds keeps proxies from closing a quiet stream.
    return ServerSentEvent(store.events(limit), ping_interval=15)
