"""Data and constants shared by every benchmark app (stdlib only; run.py imports it too)."""

from __future__ import annotations

HELLO = "Hello, World!"
BIG_ROUTES = 1000

# The payload of GET /list: 100 small objects, as plain dicts; each app builds its own typed copy.
ITEMS: list[dict[str, object]] = [
    {"id": i, "name": f"item-{i}", "price": round(1.5 + i * 0.25, 2), "tags": ["a", "b"]}
    for i in range(100)
]
