"""Opening the project's SQLite files (embedded bus, store, keys) the same way everywhere.

Several processes open the same file at once (``scamtrail process`` and ``index``, a CLI query, a
test). Switching a new file to WAL and creating its schema take a write lock, and SQLite answers
"database is locked" at once for the journal-mode switch instead of waiting, so both are retried
here until ``timeout_s``.

:func:`in_list_chunks` keeps lookups by many keys to a few prepared statement shapes.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

_T = TypeVar("_T")

#: The lengths :func:`in_list_chunks` pads to (the last is the longest chunk).
IN_LIST_LENGTHS = (16, 64, 400)


def open_sqlite(
    path: Path,
    schema: str,
    *,
    durable: bool = False,
    timeout_s: float = 30.0,
    pragmas: Sequence[str] = (),
) -> sqlite3.Connection:
    """Open ``path`` in WAL mode, autocommit, usable from several threads, with ``schema`` applied.

    ``durable`` syncs every commit (``synchronous=FULL``); without it (``NORMAL``) a commit
    survives any crash of the process and a power loss can drop the last transactions.
    ``pragmas`` (``"name=value"``) are set before the schema is applied: some, like
    ``temp_store``, drop the connection's temporary tables when they change.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path, timeout=timeout_s, isolation_level=None, check_same_thread=False)
    deadline = time.monotonic() + timeout_s
    pause = 0.01
    while True:
        try:
            if db.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                db.execute("PRAGMA journal_mode=WAL")
            db.execute(f"PRAGMA synchronous={'FULL' if durable else 'NORMAL'}")
            for pragma in pragmas:
                db.execute(f"PRAGMA {pragma}")
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


def in_list_chunks(
    items: Sequence[_T], lengths: Sequence[int] = IN_LIST_LENGTHS
) -> Iterator[list[_T]]:
    """``items`` in chunks for ``IN (...)`` lists, each padded to one of a few ``lengths``.

    A chunk holds at most ``lengths[-1]`` items and is padded by repeating its last item, which
    ``IN`` ignores. An ``IN`` list of each length is a different SQL text, so without padding every
    batch size prepares (and caches, evicting others) a statement of its own; padded, a connection
    keeps ``len(lengths)`` shapes per query.
    """
    longest = lengths[-1]
    for start in range(0, len(items), longest):
        chunk = list(items[start : start + longest])
        size = next(n for n in lengths if n >= len(chunk))
        yield chunk + [chunk[-1]] * (size - len(chunk))
