"""Reading the SQLite store: lookups, searches, rankings and counts.

Search text is user input: it is split into words and each word is quoted for FTS5
(:func:`fts_query`), and every other value is a bound parameter, so neither SQL nor FTS5 syntax
can be injected.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

from scamtrail.index.base import ComplaintHit, LookupResult, RegistryEntry, Stats
from scamtrail.index.sqlite_reads import REGISTRY_COLUMNS, SqliteReads, registry_entry
from scamtrail.index.sqlite_schema import NEEDS_REVIEW

from scamtrail.records import to_utc_iso
from scamtrail.sqlite_db import in_list_chunks

_WORD = re.compile(r"\w+", re.UNICODE)


def fts_query(text: str) -> str:
    """Turn user text into an FTS5 query that matches documents containing every word."""
    return " ".join(f'"{w}"' for w in _WORD.findall(text))


class SqliteQueries(SqliteReads):
    """Lookups, searches and counts of the SQLite store (a mixin; see the module docstring)."""

    def lookup(
        self, kind: str, value: str, limit: int = 100, newest_first: bool = False
    ) -> LookupResult:
        """The registry entry for (kind, value) and the complaints that name it, oldest first
        (or the latest, newest first)."""
        rows = self._read(
            f"SELECT {REGISTRY_COLUMNS} FROM registry WHERE kind=? AND value=?", (kind, value)
        )
        if not rows:
            return LookupResult(kind, value, 0, None, None, (), ())
        docs = self._read(
            "SELECT c.doc FROM complaint_identifiers ci JOIN complaints c ON c.id = ci.complaint_id"
            " WHERE ci.kind=? AND ci.value=? ORDER BY ci.created_at"
            + (" DESC, ci.complaint_id DESC" if newest_first else ", ci.complaint_id")
            + " LIMIT ?",
            (kind, value, limit),
        )
        hits = [ComplaintHit.from_document(json.loads(d)) for (d,) in docs]
        return LookupResult.of(registry_entry(rows[0]), hits)

    def complaint_days(self, kind: str, value: str) -> dict[str, int]:
        """Complaints naming (kind, value) per UTC day, from the index on its sightings."""
        return dict(
            self._read(
                "SELECT substr(created_at, 1, 10), COUNT(*) FROM complaint_identifiers"
                " WHERE kind=? AND value=? GROUP BY 1",
                (kind, value),
            )
        )

    def registry(self, kind: str, values: Sequence[str]) -> dict[str, RegistryEntry]:
        """Registry entries for many values of one kind."""
        out: dict[str, RegistryEntry] = {}
        for chunk in in_list_chunks(list(dict.fromkeys(values))):
            marks = ",".join("?" * len(chunk))
            for row in self._read(
                f"SELECT {REGISTRY_COLUMNS} FROM registry WHERE kind=? AND value IN ({marks})",
                [kind, *chunk],
            ):
                out[row[1]] = registry_entry(row)
        return out

    def search(
        self,
        query: str,
        *,
        category: str | None = None,
        since: str | None = None,
        until: str | None = None,
        needs_review: bool | None = None,
        limit: int = 20,
        source: str | None = None,
    ) -> list[ComplaintHit]:
        """Full-text search (every word must match), newest first, with filters."""
        where, params = [], []
        match = fts_query(query)
        if match:
            where.append(
                "c.rowid IN (SELECT rowid FROM complaints_fts WHERE complaints_fts MATCH ?)"
            )
            params.append(match)
        if category:
            where.append("c.category = ?")
            params.append(category)
        if since:
            where.append("c.created_at >= ?")
            params.append(to_utc_iso(since))
        if until:
            where.append("c.created_at < ?")
            params.append(to_utc_iso(until))
        if source:
            where.append("c.source = ?")
            params.append(source)
        if needs_review is not None:
            # the same expression as the partial index complaints_review (sqlite_schema)
            where.append(f"{'' if needs_review else 'NOT '}{NEEDS_REVIEW}")
        sql = "SELECT c.doc FROM complaints c"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY c.created_at DESC, c.id LIMIT ?"
        params.append(int(limit))
        return [ComplaintHit.from_document(json.loads(d)) for (d,) in self._read(sql, params)]

    def top_identifiers(
        self, limit: int = 20, min_count: int = 2, kind: str | None = None
    ) -> list[RegistryEntry]:
        """The identifiers named in the most distinct complaints."""
        sql = f"SELECT {REGISTRY_COLUMNS} FROM registry WHERE complaint_count >= ?"
        params: list[object] = [min_count]
        if kind:
            sql += " AND kind = ?"
            params.append(kind)
        sql += " ORDER BY complaint_count DESC, last_seen DESC, value LIMIT ?"
        params.append(int(limit))
        return [registry_entry(row) for row in self._read(sql, params)]

    def stats(self) -> Stats:
        """Complaint, identifier and alert counts."""
        (complaints,) = self._read("SELECT COUNT(*) FROM complaints")[0]
        (identifiers,) = self._read("SELECT COUNT(*) FROM registry")[0]
        (repeats,) = self._read("SELECT COUNT(*) FROM registry WHERE complaint_count >= 2")[0]
        (alerts,) = self._read("SELECT COUNT(*) FROM alerts")[0]
        by_cat = dict(self._read("SELECT category, COUNT(*) FROM complaints GROUP BY category"))
        by_kind = dict(self._read("SELECT kind, COUNT(*) FROM registry GROUP BY kind"))
        return Stats(complaints, identifiers, by_cat, by_kind, repeats, alerts)
