"""The pet store's data: sqlite3 from the standard library, plus a feed of its changes.

One connection, guarded by a lock, serves every request; the queries are tiny, so they run
on the event loop. `PETSTORE_DB` names the database file (default: in memory, seeded).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import itertools
import os
import sqlite3
import struct
import tempfile
import threading
import zlib
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import msgspec
from specloom.runtime.response import ServerSentEventMessage

from ._generated import models as m

__all__ = ["PetAlreadyAdopted", "Store", "png"]

_SQLITE_MAX = 2**63 - 1  # sqlite's integers are signed 64-bit

SCHEMA = """
CREATE TABLE IF NOT EXISTS pets (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    tag TEXT,
    status TEXT NOT NULL DEFAULT 'available',
    photo BLOB NOT NULL
)
"""
SEED = [
    ("Rex", "dog", (200, 120, 40)),
    ("Tom", "cat", (90, 90, 90)),
    ("Nemo", "fish", (250, 130, 0)),
    ("Kiwi", "bird", (80, 170, 60)),
    ("Bubbles", "fish", (40, 120, 220)),
]


class PetAlreadyAdopted(Exception):
    """The pet has found a home already."""


def png(rgb: tuple[int, int, int], size: int = 16) -> bytes:
    """A square PNG of one colour (8-bit RGB), written by hand: no imaging library needed."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data)
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    rows = (b"\x00" + bytes(rgb) * size) * size  # each row: filter type 0, then the pixels
    body = chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + body


def etag_of(pet: m.Pet) -> str:
    """A strong validator for the pet as sent: a hash of its JSON."""
    return '"' + hashlib.sha256(msgspec.json.encode(pet)).hexdigest()[:20] + '"'


def _pet(row: sqlite3.Row) -> m.Pet:
    tag = msgspec.UNSET if row["tag"] is None else row["tag"]
    return m.Pet(id=row["id"], name=row["name"], tag=tag, status=m.PetStatus(row["status"]))


_Follower = tuple[asyncio.AbstractEventLoop, "asyncio.Queue[ServerSentEventMessage]"]


class _Feed:
    """An in-process broadcast: every follower gets each change, on its own event loop."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._followers: set[_Follower] = set()

    def publish(self, event: str, pet: m.Pet) -> None:
        message = ServerSentEventMessage(data=pet, event=event, id=next(self._ids))
        with self._lock:
            followers = list(self._followers)
        for loop, queue in followers:
            with contextlib.suppress(RuntimeError):  # that follower's loop has just closed
                loop.call_soon_threadsafe(queue.put_nowait, message)

    @contextlib.contextmanager
    def follow(self) -> Iterator[asyncio.Queue[ServerSentEventMessage]]:
        queue: asyncio.Queue[ServerSentEventMessage] = asyncio.Queue()
        follower = (asyncio.get_running_loop(), queue)
        with self._lock:
            self._followers.add(follower)
        try:
            yield queue
        finally:
            with self._lock:
                self._followers.discard(follower)


class Store:
    """The pets, their photos and the feed of changes."""

    def __init__(self, path: str = ":memory:") -> None:
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        self._lock = threading.Lock()
        self._photos = tempfile.TemporaryDirectory(prefix="petstore-photos-")
        self._feed = _Feed()
        with self._lock:
            self._db.execute(SCHEMA)
            if self._db.execute("SELECT COUNT(*) FROM pets").fetchone()[0] == 0:
                self._db.executemany(
                    "INSERT INTO pets (name, tag, photo) VALUES (?, ?, ?)",
                    [(name, tag, png(rgb)) for name, tag, rgb in SEED],
                )

    @classmethod
    def from_env(cls) -> Store:
        return cls(os.environ.get("PETSTORE_DB", ":memory:"))

    def close(self) -> None:
        with self._lock:
            self._db.close()
        self._photos.cleanup()

    def count(self) -> int:
        with self._lock:
            total: int = self._db.execute("SELECT COUNT(*) FROM pets").fetchone()[0]
        return total

    def list(self, limit: int, offset: int) -> list[m.Pet]:
        # the spec bounds `offset` below only (no format: any integer), sqlite's are 64-bit:
        # an offset past every row there can be is an empty page, not an OverflowError
        if offset > _SQLITE_MAX:
            return []
        query = "SELECT * FROM pets ORDER BY id LIMIT ? OFFSET ?"
        with self._lock:
            return [_pet(row) for row in self._db.execute(query, (limit, offset))]

    def get(self, pet_id: int) -> m.Pet | None:
        with self._lock:
            row = self._db.execute("SELECT * FROM pets WHERE id = ?", (pet_id,)).fetchone()
        return None if row is None else _pet(row)

    def add(self, new: m.NewPet) -> m.Pet:
        tag = None if new.tag is msgspec.UNSET else new.tag
        red, green, blue = hashlib.sha256(new.name.encode()).digest()[:3]  # a colour per name
        with self._lock:
            cursor = self._db.execute(
                "INSERT INTO pets (name, tag, photo) VALUES (?, ?, ?) RETURNING *",
                (new.name, tag, png((red, green, blue))),
            )
            pet = _pet(cursor.fetchone())
        self._feed.publish("created", pet)
        return pet

    def adopt(self, pet_id: int) -> m.Pet | None:
        """The adopted pet; None if there is no such pet. Raises PetAlreadyAdopted."""
        with self._lock:
            row = self._db.execute(
                "UPDATE pets SET status = 'adopted' WHERE id = ? AND status = 'available' "
                "RETURNING *",
                (pet_id,),
            ).fetchone()
            exists = (
                row is not None
                or self._db.execute("SELECT 1 FROM pets WHERE id = ?", (pet_id,)).fetchone()
            )
        if row is None:
            if exists:
                raise PetAlreadyAdopted(f"Pet {pet_id} is already adopted")
            return None
        pet = _pet(row)
        self._feed.publish("adopted", pet)
        return pet

    def delete(self, pet_id: int) -> bool:
        with self._lock:
            deleted = self._db.execute("DELETE FROM pets WHERE id = ?", (pet_id,)).rowcount > 0
        (Path(self._photos.name) / f"{pet_id}.png").unlink(missing_ok=True)
        return deleted

    def photo(self, pet_id: int) -> Path | None:
        """The pet's photo as a file (what `File` sends), exported from the database once."""
        path = Path(self._photos.name) / f"{pet_id}.png"
        if path.exists():
            return path
        with self._lock:
            row = self._db.execute("SELECT photo FROM pets WHERE id = ?", (pet_id,)).fetchone()
        if row is None:
            return None
        partial = path.with_suffix(f".{threading.get_ident()}.part")
        partial.write_bytes(row["photo"])
        partial.replace(path)  # atomic: a concurrent reader sees all of it or nothing
        return path

    async def events(self, limit: int | None = None) -> AsyncIterator[ServerSentEventMessage]:
        """A `snapshot`, then one event per change (at most `limit`); ends when closed."""
        with self._feed.follow() as changes:  # following first: no change slips in between
            yield ServerSentEventMessage(data={"total": self.count()}, event="snapshot")
            for _ in range(limit) if limit is not None else itertools.count():
                yield await changes.get()
