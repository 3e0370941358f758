"""The connection the SQLite store and its mixins share, and their one way to read from it.

:class:`~scamtrail.index.sqlite.SqliteStore` sets ``_db`` and ``_lock`` when it opens the file;
its mixins (:mod:`.sqlite_marks`, :mod:`.sqlite_partners`) derive from :class:`SqliteReads` too,
so every read goes through :meth:`SqliteReads._read` under the same lock and error mapping.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Sequence

from scamtrail.errors import StoreError


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
