"""Verdicts on identifiers in the SQLite store.

``identifier_marks`` holds one investigator's verdict per (kind, value) (``scamtrail mark``): a
false positive suppresses alerts and lowers the identifier's risk. :class:`SqliteMarks` is mixed
into :class:`~scamtrail.index.sqlite.SqliteStore` and uses its connection, lock and read helper.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from scamtrail.index.base import IdentifierMark
from scamtrail.index.sqlite_reads import SqliteReads

from scamtrail.errors import StoreError
from scamtrail.sqlite_db import in_list_chunks

MARKS_SCHEMA = """
CREATE TABLE IF NOT EXISTS identifier_marks (
    kind TEXT NOT NULL, value TEXT NOT NULL, status TEXT NOT NULL, reason TEXT NOT NULL,
    marked_by TEXT NOT NULL, marked_at TEXT NOT NULL,
    PRIMARY KEY (kind, value)
) WITHOUT ROWID;
"""


class SqliteMarks(SqliteReads):
    """Investigators' verdicts for the SQLite store (a mixin; see the module docstring)."""

    def set_mark(self, mark: IdentifierMark) -> None:
        """Record (or replace) the verdict on ``(mark.kind, mark.value)``."""
        self._change(
            "INSERT INTO identifier_marks (kind, value, status, reason, marked_by, marked_at)"
            " VALUES (?,?,?,?,?,?) ON CONFLICT (kind, value) DO UPDATE SET"
            " status=excluded.status, reason=excluded.reason, marked_by=excluded.marked_by,"
            " marked_at=excluded.marked_at",
            (mark.kind, mark.value, mark.status, mark.reason, mark.marked_by, mark.marked_at),
        )

    def clear_mark(self, kind: str, value: str) -> bool:
        """Remove the verdict on (kind, value); False when there was none."""
        return bool(
            self._change("DELETE FROM identifier_marks WHERE kind=? AND value=?", (kind, value))
        )

    def marks(self, keys: Sequence[tuple[str, str]]) -> dict[tuple[str, str], IdentifierMark]:
        """Verdicts for many (kind, value) keys at once (unmarked keys are absent)."""
        wanted = list(dict.fromkeys((str(k), str(v)) for k, v in keys))
        out: dict[tuple[str, str], IdentifierMark] = {}
        for chunk in in_list_chunks(wanted):  # a few statement shapes, whatever the batch
            pairs = ",".join("(?,?)" for _ in chunk)
            for row in self._read(
                "SELECT kind, value, status, reason, marked_by, marked_at FROM identifier_marks"
                f" WHERE (kind, value) IN (VALUES {pairs})",
                [x for pair in chunk for x in pair],
            ):
                out[(row[0], row[1])] = IdentifierMark(*row)
        return out

    def _change(self, sql: str, params: Sequence[object]) -> int:
        try:
            with self._lock:
                return self._db.execute(sql, params).rowcount
        except sqlite3.OperationalError as exc:
            raise StoreError(f"mark update failed: {exc}", retriable=True) from exc
        except sqlite3.Error as exc:
            raise StoreError(f"mark update failed: {exc}") from exc
