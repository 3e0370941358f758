"""The embedded store: complaints, the identifiers registry and alerts in one SQLite file.

:class:`SqliteStore` opens the file (tables and settings: :mod:`.sqlite_schema`) and is composed
of its parts, each a mixin on the shared connection (:mod:`.sqlite_reads`):

- :mod:`.sqlite_writes`: a batch, in one transaction. Complaints are upserted by id, so a
  redelivered complaint overwrites itself; the registry is *derived* from the
  ``complaint_identifiers`` links in the same transaction (count of distinct complaint ids,
  min/max created_at, categories), so redelivery and reprocessing can never inflate a count;
- :mod:`.sqlite_queries`: lookups, full-text search (FTS5, ``unicode61`` with diacritics removed,
  which suits English, Hinglish and Devanagari alike), rankings and counts;
- :mod:`.sqlite_links`: pairs of identifiers named by one complaint, links and rings;
- :mod:`.sqlite_alerts`: every alert once by id, and the outbox of those not yet published;
- :mod:`.sqlite_partners` (export, partner entries) and :mod:`.sqlite_marks` (verdicts).

Search text is user input: it is split into words and each word is quoted for FTS5, and every
other value is a bound parameter, so neither SQL nor FTS5 syntax can be injected.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from scamtrail.index.base import Store
from scamtrail.index.sqlite_alerts import SqliteAlerts
from scamtrail.index.sqlite_links import SqliteLinks
from scamtrail.index.sqlite_marks import SqliteMarks
from scamtrail.index.sqlite_partners import SqlitePartners
from scamtrail.index.sqlite_queries import SqliteQueries
from scamtrail.index.sqlite_schema import LINK_INDEXES, SCHEMA, open_store_file
from scamtrail.index.sqlite_writes import SqliteWrites

from scamtrail.errors import StoreError

__all__ = ["SqliteStore"]


class SqliteStore(
    SqliteWrites, SqliteQueries, SqliteLinks, SqliteAlerts, SqlitePartners, SqliteMarks, Store
):
    """The embedded store on one SQLite file. See the module docstring."""

    name = "sqlite"

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._lock = threading.RLock()
        try:
            self._db = open_store_file(self.path)
        except (sqlite3.Error, OSError) as exc:
            raise StoreError(f"cannot open the store at {self.path}: {exc}") from exc

    def setup(self) -> None:
        """Create the tables if missing (done on open; safe to call again)."""
        with self._lock:
            try:
                self._db.executescript(SCHEMA + LINK_INDEXES)
            except sqlite3.Error as exc:
                raise StoreError(f"cannot create the store schema: {exc}", retriable=True) from exc

    def close(self) -> None:
        """Close the database connection."""
        with self._lock:
            self._db.close()
