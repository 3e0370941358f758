"""Verdicts on identifiers in the SQLite store, and the columns the registry gained over time.

``identifier_marks`` holds one investigator's verdict per (kind, value) (``scamtrail mark``): a
false positive suppresses alerts and lowers the identifier's risk. :class:`SqliteMarks` is mixed
into :class:`~scamtrail.index.sqlite.SqliteStore` and uses its connection, lock and read helper.

:func:`upgrade_columns` brings a store file written before the registry counted complainants and
sources up to date: it adds the columns and derives their values once from the stored complaints.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from scamtrail.index.base import IdentifierMark
from scamtrail.index.sqlite_reads import SqliteReads

from scamtrail.errors import StoreError
from scamtrail.sqlite_db import in_list_chunks, transaction

MARKS_SCHEMA = """
CREATE TABLE IF NOT EXISTS identifier_marks (
    kind TEXT NOT NULL, value TEXT NOT NULL, status TEXT NOT NULL, reason TEXT NOT NULL,
    marked_by TEXT NOT NULL, marked_at TEXT NOT NULL,
    PRIMARY KEY (kind, value)
) WITHOUT ROWID;
"""

#: Who complained: the author id, else the username (``@name``, lowercased), else nobody known.
AUTHOR_KEY_SQL = (
    "COALESCE(NULLIF(json_extract({doc}, '$.author.id'), ''),"
    " '@' || lower(NULLIF(json_extract({doc}, '$.author.username'), '')))"
)


def upgrade_columns(db: sqlite3.Connection) -> None:
    """Add ``author``/``source`` to the links and ``complainants``/``sources`` to the registry.

    A no-op on files created with them. On older files it fills them from the stored complaints
    in one transaction, so the registry is derived as if it had always had them.
    """
    links = {row[1] for row in db.execute("PRAGMA table_info(complaint_identifiers)")}
    registry = {row[1] for row in db.execute("PRAGMA table_info(registry)")}
    if {"author", "source"} <= links and {"complainants", "sources"} <= registry:
        return
    with transaction(db):
        if "author" not in links:
            db.execute("ALTER TABLE complaint_identifiers ADD COLUMN author TEXT")
        if "source" not in links:
            db.execute("ALTER TABLE complaint_identifiers ADD COLUMN source TEXT")
        if "complainants" not in registry:
            db.execute("ALTER TABLE registry ADD COLUMN complainants INTEGER NOT NULL DEFAULT 0")
        if "sources" not in registry:
            db.execute("ALTER TABLE registry ADD COLUMN sources TEXT NOT NULL DEFAULT ''")
        author = AUTHOR_KEY_SQL.format(doc="c.doc")
        db.execute(
            "UPDATE complaint_identifiers SET"
            f" author = (SELECT {author} FROM complaints c WHERE c.id = complaint_id),"
            " source = (SELECT c.source FROM complaints c WHERE c.id = complaint_id)"
        )
        db.execute(
            "UPDATE registry SET"
            " complainants = (SELECT COUNT(DISTINCT ci.author) FROM complaint_identifiers ci"
            "  WHERE ci.kind = registry.kind AND ci.value = registry.value),"
            " sources = COALESCE((SELECT group_concat(DISTINCT ci.source)"
            "  FROM complaint_identifiers ci"
            "  WHERE ci.kind = registry.kind AND ci.value = registry.value), '')"
        )


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
