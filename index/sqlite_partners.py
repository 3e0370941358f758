"""Sharing in the SQLite store: the registry read out for export, and partner entries kept apart.

``partner_identifiers`` holds what other agencies shared with us (``scamtrail import``), one row per
(agency, kind, value). It is never joined into our ``registry``: a partner's counts are theirs and
never change ours. An import upserts by that key and rewrites a row only when something the feed
says changed, so importing the same feed twice changes nothing (not even ``imported_at``).

:class:`SqlitePartners` is mixed into :class:`~scamtrail.index.sqlite.SqliteStore`; it uses the
store's connection, lock and read helper.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence

from scamtrail.index.base import PartnerEntry, RegistryEntry
from scamtrail.index.sqlite_reads import REGISTRY_COLUMNS, SqliteReads, registry_entry, split_list

from scamtrail.errors import StoreError
from scamtrail.records import to_utc_iso
from scamtrail.sqlite_db import in_list_chunks, transaction

PARTNER_SCHEMA = """
CREATE TABLE IF NOT EXISTS partner_identifiers (
    agency TEXT NOT NULL, kind TEXT NOT NULL, value TEXT NOT NULL,
    complaint_count INTEGER NOT NULL, first_seen TEXT, last_seen TEXT, categories TEXT NOT NULL,
    risk_score REAL, risk_tier TEXT, feed TEXT NOT NULL, imported_at TEXT,
    PRIMARY KEY (agency, kind, value)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS partner_identifiers_by_key ON partner_identifiers (kind, value);
"""

#: Rows read per query while iterating the registry for export: the lock is never held while the
#: caller works on a page, so the index stage keeps writing during a long export.
EXPORT_PAGE = 1000

_COLUMNS = (
    "agency, kind, value, complaint_count, first_seen, last_seen, categories, risk_score,"
    " risk_tier, feed, imported_at"
)
# A row is rewritten only when the feed's facts about it changed; provenance alone is no change.
_UPSERT = (
    f"INSERT INTO partner_identifiers ({_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?)"
    " ON CONFLICT (agency, kind, value) DO UPDATE SET"
    " complaint_count=excluded.complaint_count, first_seen=excluded.first_seen,"
    " last_seen=excluded.last_seen, categories=excluded.categories,"
    " risk_score=excluded.risk_score, risk_tier=excluded.risk_tier, feed=excluded.feed,"
    " imported_at=excluded.imported_at"
    " WHERE (complaint_count, first_seen, last_seen, categories, risk_score, risk_tier)"
    " IS NOT (excluded.complaint_count, excluded.first_seen, excluded.last_seen,"
    " excluded.categories, excluded.risk_score, excluded.risk_tier)"
)


class SqlitePartners(SqliteReads):
    """Export iteration and partner entries for the SQLite store (a mixin; see the module)."""

    def registry_entries(
        self,
        *,
        since: str | None = None,
        min_count: int = 1,
        category: str | None = None,
        kind: str | None = None,
    ) -> Iterator[RegistryEntry]:
        """Every registry entry last seen at or after ``since``, by (kind, value), page by page.

        No complaint ids: an export must never lead back to complainants.
        """
        where = ["complaint_count >= ?"]
        params: list[object] = [int(min_count)]
        if since:
            where.append("last_seen >= ?")
            params.append(to_utc_iso(since))
        if category:
            # categories is a comma-joined list; instr() on the delimited form matches one whole
            # category and, unlike LIKE, gives no meaning to '%' or '_' in the argument.
            where.append("instr(',' || categories || ',', ',' || ? || ',') > 0")
            params.append(category)
        if kind:
            where.append("kind = ?")
            params.append(kind)
        after: tuple[str, str] | None = None
        while True:
            page_where = list(where)
            page_params = list(params)
            if after is not None:
                page_where.append("(kind, value) > (?, ?)")
                page_params.extend(after)
            rows = self._read(
                f"SELECT {REGISTRY_COLUMNS} FROM registry WHERE {' AND '.join(page_where)}"
                " ORDER BY kind, value LIMIT ?",
                [*page_params, EXPORT_PAGE],
            )
            for row in rows:
                yield registry_entry(row)
            if len(rows) < EXPORT_PAGE:
                return
            after = (rows[-1][0], rows[-1][1])

    def import_partner_entries(self, entries: Sequence[PartnerEntry]) -> int:
        """Upsert partner entries by (agency, kind, value); return how many rows were new or changed."""
        rows = {
            (e.agency, e.kind, e.value): (
                e.agency,
                e.kind,
                e.value,
                int(e.complaint_count),
                e.first_seen,
                e.last_seen,
                ",".join(sorted(set(e.categories))),
                e.risk_score,
                e.risk_tier,
                e.feed,
                e.imported_at,
            )
            for e in entries
        }
        if not rows:
            return 0
        db = self._db
        try:
            with self._lock, transaction(db):
                before = db.total_changes
                db.executemany(_UPSERT, list(rows.values()))
                written = db.total_changes - before
        except sqlite3.OperationalError as exc:
            raise StoreError(f"partner import failed: {exc}", retriable=True) from exc
        except sqlite3.Error as exc:
            raise StoreError(f"partner import failed: {exc}") from exc
        return written

    def partner_entries(
        self, keys: Sequence[tuple[str, str]]
    ) -> dict[tuple[str, str], list[PartnerEntry]]:
        """Partner entries for many (kind, value) keys, each list ordered by agency."""
        out: dict[tuple[str, str], list[PartnerEntry]] = {}
        wanted = list(dict.fromkeys((str(k), str(v)) for k, v in keys))
        for chunk in in_list_chunks(wanted):  # a few statement shapes, whatever the batch
            pairs = ",".join("(?,?)" for _ in chunk)
            flat = [x for pair in chunk for x in pair]
            for row in self._read(
                f"SELECT {_COLUMNS} FROM partner_identifiers"
                f" WHERE (kind, value) IN (VALUES {pairs}) ORDER BY agency",
                flat,
            ):
                entry = PartnerEntry(
                    agency=row[0],
                    kind=row[1],
                    value=row[2],
                    complaint_count=row[3],
                    first_seen=row[4],
                    last_seen=row[5],
                    categories=split_list(row[6]),
                    risk_score=row[7],
                    risk_tier=row[8],
                    feed=row[9],
                    imported_at=row[10],
                )
                out.setdefault((entry.kind, entry.value), []).append(entry)
        return out
