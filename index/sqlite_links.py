"""Links between identifiers in the SQLite store: the pairs table, its batch write and reads.

``identifier_links`` holds one row per (identifier, other identifier, complaint), both
directions, with the complaint's created_at and category. A batch write deletes the pairs of its
complaints and inserts their current ones (:func:`write_links`), in the batch's transaction, so
a redelivery never adds a link twice and a complaint whose identifiers changed drops its old
pairs; the cost is the batch's own pairs, whatever the store holds. Reads aggregate the rows of
one identifier (:meth:`SqliteLinks.links`) and rings are found by bounded BFS (:mod:`.links`).
"""

from __future__ import annotations

import sqlite3
from collections import Counter

from scamtrail.index.links import Link, Ring, component, link_keys, ring_id
from scamtrail.index.sqlite_reads import SqliteReads

from scamtrail.records import Enriched

LINKS_SCHEMA = """
CREATE TABLE IF NOT EXISTS identifier_links (
    kind TEXT NOT NULL, value TEXT NOT NULL, other_kind TEXT NOT NULL, other_value TEXT NOT NULL,
    complaint_id TEXT NOT NULL, created_at TEXT NOT NULL, category TEXT NOT NULL,
    PRIMARY KEY (kind, value, other_kind, other_value, complaint_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS identifier_links_by_complaint ON identifier_links (complaint_id);
"""


def write_links(db: sqlite3.Connection, records: list[Enriched]) -> None:
    """Replace the pairs of the batch's complaints (``temp.batch_complaints``) by their current
    ones: index lookups by complaint id only."""
    db.execute(
        "DELETE FROM identifier_links WHERE complaint_id IN (SELECT b.id FROM temp.batch_complaints b)"
    )
    rows = []
    for r in records:
        keys = link_keys([(i.kind, i.value) for i in r.identifiers])
        for a in keys:
            for b in keys:
                if a != b:
                    rows.append((*a, *b, r.id, r.created_at, r.category))
    if not rows:
        return
    db.executemany(
        "INSERT INTO identifier_links"
        " (kind, value, other_kind, other_value, complaint_id, created_at, category)"
        " VALUES (?,?,?,?,?,?,?)",
        rows,
    )


class SqliteLinks(SqliteReads):
    """Link and ring reads of the SQLite store (a mixin; see the module docstring)."""

    def links(self, kind: str, value: str, limit: int = 100) -> list[Link]:
        """The identifiers linked to (kind, value), most complaints first, then by key."""
        rows = self._read(
            "SELECT other_kind, other_value, COUNT(*), MIN(created_at), MAX(created_at)"
            " FROM identifier_links WHERE kind=? AND value=? GROUP BY other_kind, other_value"
            " ORDER BY COUNT(*) DESC, other_kind, other_value LIMIT ?",
            (kind, value, limit),
        )
        return [Link(k, v, n, first, last) for k, v, n, first, last in rows]

    def ring(self, kind: str, value: str) -> Ring | None:
        """The ring of (kind, value) by bounded BFS; None when it has no link."""

        def neighbours(key: tuple[str, str]) -> list[tuple[str, str]]:
            return [
                (k, v)
                for k, v in self._read(
                    "SELECT DISTINCT other_kind, other_value FROM identifier_links"
                    " WHERE kind=? AND value=?",
                    key,
                )
            ]

        members, truncated = component((kind, value), neighbours)
        if len(members) < 2:
            return None
        complaints: dict[str, tuple[str, str]] = {}
        for key in members:
            for cid, created_at, category in self._read(
                "SELECT DISTINCT complaint_id, created_at, category FROM identifier_links"
                " WHERE kind=? AND value=?",
                key,
            ):
                complaints[cid] = (created_at, category)
        times = [t for t, _ in complaints.values()]
        return Ring(
            id=ring_id(members),
            members=tuple(members),
            size=len(members),
            complaint_count=len(complaints),
            categories=dict(Counter(c for _, c in complaints.values())),
            first_seen=min(times),
            last_seen=max(times),
            truncated=truncated,
        )
