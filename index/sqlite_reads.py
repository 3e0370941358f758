"""The connection the SQLite store and its mixins share, and their one way to read from it.

:class:`~scamtrail.index.sqlite.SqliteStore` sets ``_db`` and ``_lock`` when it opens the file;
its mixins (:mod:`.sqlite_writes`, :mod:`.sqlite_queries`, :mod:`.sqlite_alerts`,
:mod:`.sqlite_partners`, :mod:`.sqlite_marks`) derive from :class:`SqliteReads`, so every read
goes through :meth:`SqliteReads._read` under the same lock and error mapping, and every registry
row becomes a :class:`~scamtrail.index.base.RegistryEntry` in one place (:func:`registry_entry`).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Sequence
from functools import lru_cache

from scamtrail.index.base import RegistryEntry

from scamtrail.errors import StoreError

#: The ``registry`` columns :func:`registry_entry` reads, in its order.
REGISTRY_COLUMNS = (
    "kind, value, complaint_count, first_seen, last_seen, categories, complainants, sources"
)


@lru_cache(maxsize=4096)
def split_list(text: str | None) -> tuple[str, ...]:
    """The sorted items of a comma-joined column (``categories``, ``sources``).

    Cached: a batch splits the columns of every entry it touches, and they hold a handful of
    distinct values (three categories, a few sources), so nearly every call is a hit."""
    return tuple(sorted(filter(None, (text or "").split(","))))


def registry_entry(row: Sequence) -> RegistryEntry:
    """A RegistryEntry (without complaint ids) from a row of :data:`REGISTRY_COLUMNS`."""
    kind, value, count, first, last, cats, people, sources = row
    return RegistryEntry(
        kind,
        value,
        count,
        first,
        last,
        split_list(cats),
        complainants=people,
        sources=split_list(sources),
    )


class SqliteReads:
    """A store's SQLite connection, its lock, and reads that raise :class:`StoreError`."""

    _db: sqlite3.Connection
    _lock: threading.RLock

    def _read(self, sql: str, params: Sequence[object] = ()) -> list[tuple]:
        """All rows of one statement; a SQLite error is a retriable StoreError."""
        try:
            with self._lock:
                return self._db.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise StoreError(f"store read failed: {exc}", retriable=True) from exc
