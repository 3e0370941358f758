"""Opening the project's SQLite files (embedded bus, store, keys) the same way everywhere.

Several processes open the same file at once (``scamtrail process`` and ``index``, a CLI query, a
test). Switching a new file to WAL and creating its schema take a write lock, and SQLite answers
"database is locked" at once for the journal-mode switch instead of waiting, so both are retried
here until ``timeout_s``.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def open_sqlite(
    path: Path, schema: str, *, durable: bool = False, timeout_s: float = 30.0
) -> sqlite3.Connection:
    """Open ``path`` in WAL mode, autocommit, usable from several threads, with ``schema`` applied."""
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path, timeout=timeout_s, isolation_level=None, check_same_thread=False)
    deadline = time.monotonic() + timeout_s
    pause = 0.01
    while True:
        try:
            if db.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                db.execute("PRAGMA journal_mode=WAL")
            db.execute(f"PRAGMA synchronous={'FULL' if durable else 'NORMAL'}")
            db.executescript(schema)
            return db
        except sqlite3.OperationalError as exc:
            busy = "locked" in str(exc) or "busy" in str(exc)
            if not busy or time.monotonic() >= deadline:
                db.close()
                raise
            time.sleep(pause)
            pause = min(pause * 2, 0.25)


@contextmanager
def transaction(db: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """``BEGIN IMMEDIATE`` ... ``COMMIT`` (``ROLLBACK`` on any error) on an autocommit connection.

    IMMEDIATE takes the write lock up front, so two processes never both read and then fail to
    upgrade to a write.
    """
    db.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")
