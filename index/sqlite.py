"""The embedded store: complaints, the identifiers registry and alerts in one SQLite file.

- ``complaints`` holds each Enriched record (the whole JSON in ``doc``) keyed by complaint id and
  written with an upsert, so a redelivered complaint overwrites itself; ``complaints_fts`` (FTS5,
  ``unicode61`` with diacritics removed, which suits English, Hinglish and Devanagari alike) indexes
  the text under the same rowid.
- ``complaint_identifiers`` links (kind, value) to complaint ids; the ``registry`` is *derived* from
  it in the same transaction (count of distinct complaint ids, min/max created_at, categories), so
  redelivery and reprocessing can never inflate a count.
- ``alerts`` keeps every alert once by id.

Search text is user input: it is split into words and each word is quoted for FTS5, and every
other value is a bound parameter, so neither SQL nor FTS5 syntax can be injected.
"""

from __future__ import annotations

import json
import re
import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path

from scamtrail.index.base import (
    MAX_CITED,
    MAX_RECENT,
    ComplaintHit,
    LookupResult,
    RegistryEntry,
    RegistryUpdate,
    Stats,
    Store,
    complainant_key,
)
from scamtrail.index.sqlite_marks import MARKS_SCHEMA, SqliteMarks, upgrade_columns
from scamtrail.index.sqlite_partners import PARTNER_SCHEMA, SqlitePartners

from scamtrail.errors import StoreError
from scamtrail.records import Alert, Enriched, decode_alert, to_utc_iso
from scamtrail.sqlite_db import in_list_chunks, open_sqlite, transaction

_SCHEMA = (
    """
CREATE TABLE IF NOT EXISTS complaints (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    category TEXT NOT NULL,
    source TEXT NOT NULL,
    doc TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS complaints_created ON complaints (created_at);
CREATE INDEX IF NOT EXISTS complaints_category ON complaints (category, created_at);
CREATE VIRTUAL TABLE IF NOT EXISTS complaints_fts USING fts5(
    text, tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TABLE IF NOT EXISTS complaint_identifiers (
    kind TEXT NOT NULL, value TEXT NOT NULL, complaint_id TEXT NOT NULL,
    created_at TEXT NOT NULL, category TEXT NOT NULL, author TEXT, source TEXT,
    PRIMARY KEY (kind, value, complaint_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS complaint_identifiers_by_complaint
    ON complaint_identifiers (complaint_id);
CREATE TABLE IF NOT EXISTS registry (
    kind TEXT NOT NULL, value TEXT NOT NULL,
    complaint_count INTEGER NOT NULL, first_seen TEXT, last_seen TEXT, categories TEXT NOT NULL,
    complainants INTEGER NOT NULL DEFAULT 0, sources TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (kind, value)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS registry_count ON registry (complaint_count DESC);
CREATE TABLE IF NOT EXISTS alerts (
    id TEXT PRIMARY KEY, raised_at TEXT NOT NULL, doc TEXT NOT NULL,
    published INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS alerts_pending ON alerts (published, raised_at);
CREATE INDEX IF NOT EXISTS alerts_raised ON alerts (raised_at);
CREATE TEMP TABLE IF NOT EXISTS touched (
    kind TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (kind, value)
) WITHOUT ROWID;
CREATE TEMP TABLE IF NOT EXISTS batch_complaints (
    id TEXT PRIMARY KEY, text TEXT NOT NULL
) WITHOUT ROWID;
"""
    + PARTNER_SCHEMA
    + MARKS_SCHEMA
)  # partner entries, verdicts: sqlite_partners, sqlite_marks

#: The store connection's settings besides WAL and ``synchronous=NORMAL`` (``open_sqlite``: a
#: commit survives a crash of the process; a power loss can drop the last transactions, those in
#: the WAL since its last checkpoint).
_PRAGMAS = (
    # The per-batch scratch tables (and sorts) stay in memory; they hold one batch at most.
    "temp_store=MEMORY",
    # Checkpoint (copy the WAL into the database and sync it) every 8,000 pages (32 MB) instead
    # of SQLite's 1,000: a batch of 500 complaints writes a few MB, so the default checkpoints
    # and syncs on nearly every commit, which about doubled a batch's wall time. More of the
    # last transactions sit in the WAL, unsynced, at a power loss; none is lost at a crash.
    "wal_autocheckpoint=8000",
    # After a checkpoint the WAL file is cut back to 64 MB, so its size on disk stays bounded.
    "journal_size_limit=67108864",
    # A 16 MB page cache (SQLite's default is 2 MB): a batch reads the registry and link pages
    # of about a thousand identifiers spread over the whole file; with a 300,000-complaint store
    # this saved about 12% of a write's CPU. It fills within the first few thousand complaints
    # and then stays that size, so memory stays flat.
    "cache_size=-16000",
)

_WORD = re.compile(r"\w+", re.UNICODE)


def fts_query(text: str) -> str:
    """Turn user text into an FTS5 query that matches documents containing every word."""
    return " ".join(f'"{w}"' for w in _WORD.findall(text))


class SqliteStore(SqlitePartners, SqliteMarks, Store):
    """The embedded store on one SQLite file. See the module docstring."""

    name = "sqlite"

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._lock = threading.RLock()
        try:
            self._db = open_sqlite(self.path, _SCHEMA, pragmas=_PRAGMAS)
            upgrade_columns(self._db)
        except (sqlite3.Error, OSError) as exc:
            raise StoreError(f"cannot open the store at {self.path}: {exc}") from exc

    def setup(self) -> None:
        """Create the tables if missing (done on open; safe to call again)."""
        with self._lock:
            try:
                self._db.executescript(_SCHEMA)
            except sqlite3.Error as exc:
                raise StoreError(f"cannot create the store schema: {exc}", retriable=True) from exc

    # -- writing ----------------------------------------------------------------------------
    def write(self, batch: Sequence[Enriched]) -> list[RegistryUpdate]:
        """Upsert complaints, relink their identifiers, re-derive touched registry entries."""
        if not batch:
            return []
        latest: dict[str, Enriched] = {}
        for record in batch:
            latest[record.id] = record  # a batch may carry one id twice; the last one wins
        db = self._db
        try:
            with self._lock, transaction(db):
                updates = self._write(db, list(latest.values()))
        except sqlite3.OperationalError as exc:
            raise StoreError(f"store write failed: {exc}", retriable=True) from exc
        except sqlite3.Error as exc:
            raise StoreError(f"store write failed: {exc}") from exc
        return updates

    def _write(self, db: sqlite3.Connection, records: list[Enriched]) -> list[RegistryUpdate]:
        # Set-based and of fixed shape: the batch's ids and texts go into temp.batch_complaints and
        # its (kind, value) keys into temp.touched, and every statement joins those, so a batch
        # costs about twenty statements whatever its size and the connection prepares each once.
        # The scratch tables have no statistics, so SQLite would guess them large and scan the
        # whole of a stored table instead: CROSS JOIN makes the scratch table the outer loop, so
        # a batch reads only the rows it touches, however many complaints are stored.
        db.execute("DELETE FROM temp.batch_complaints")
        db.executemany(
            "INSERT INTO temp.batch_complaints (id, text) VALUES (?,?)",
            [(r.id, r.text) for r in records],
        )
        old_links: set[tuple[str, str, str]] = set(
            db.execute(
                "SELECT ci.kind, ci.value, ci.complaint_id FROM temp.batch_complaints b"
                " CROSS JOIN complaint_identifiers ci ON ci.complaint_id = b.id"
            )
        )
        # Complaints stored before (a redelivery or a reprocessing): their FTS rows are replaced
        # and what they saw on arrival is kept.
        stored = db.execute(
            "SELECT c.rowid, c.id, json_extract(c.doc, '$.prior_matches')"
            " FROM temp.batch_complaints b CROSS JOIN complaints c ON c.id = b.id"
        ).fetchall()
        seen_then = {
            cid: {(m["kind"], m["value"]): int(m["prior_count"]) for m in json.loads(text or "[]")}
            for _, cid, text in stored
        }
        new_links: set[tuple[str, str, str]] = set()
        link_rows = []
        for r in records:
            who = complainant_key(r)
            for ident in r.identifiers:
                link = (ident.kind, ident.value, r.id)
                if link not in new_links:
                    new_links.add(link)
                    link_rows.append(
                        (ident.kind, ident.value, r.id, r.created_at, r.category, who, r.source)
                    )
        touched = {(k, v) for k, v, _ in old_links | new_links}
        db.execute("DELETE FROM temp.touched")
        db.executemany("INSERT INTO temp.touched (kind, value) VALUES (?,?)", touched)
        before: dict[tuple[str, str], int] = {
            (kind, value): count
            for kind, value, count in db.execute(
                "SELECT r.kind, r.value, r.complaint_count"
                " FROM temp.touched t CROSS JOIN registry r ON r.kind = t.kind AND r.value = t.value"
            )
        }
        prior = self._prior_matches(records, old_links, before, seen_then)

        db.executemany(
            "INSERT INTO complaints (id, created_at, category, source, doc) VALUES (?,?,?,?,?)"
            " ON CONFLICT (id) DO UPDATE SET created_at=excluded.created_at,"
            " category=excluded.category, source=excluded.source, doc=excluded.doc",
            [(r.id, r.created_at, r.category, r.source, _doc(r, prior[r.id])) for r in records],
        )
        # An upsert keeps a stored complaint's rowid, so only those rows leave the FTS index;
        # new complaints are indexed straight from the scratch table (rowid order: appends).
        db.executemany("DELETE FROM complaints_fts WHERE rowid=?", [(rid,) for rid, *_ in stored])
        db.execute(
            "INSERT INTO complaints_fts (rowid, text) SELECT c.rowid, b.text"
            " FROM temp.batch_complaints b CROSS JOIN complaints c ON c.id = b.id ORDER BY c.rowid"
        )

        db.executemany(
            "DELETE FROM complaint_identifiers WHERE kind=? AND value=? AND complaint_id=?",
            old_links - new_links,
        )
        db.executemany(
            "INSERT INTO complaint_identifiers"
            " (kind, value, complaint_id, created_at, category, author, source)"
            " VALUES (?,?,?,?,?,?,?) ON CONFLICT DO UPDATE SET created_at=excluded.created_at,"
            " category=excluded.category, author=excluded.author, source=excluded.source",
            link_rows,
        )
        # Re-derive every touched registry entry from its links: counts of distinct complaints.
        db.execute(
            "DELETE FROM registry WHERE (kind, value) IN (SELECT kind, value FROM temp.touched)"
        )
        db.execute(
            "INSERT INTO registry (kind, value, complaint_count, first_seen, last_seen, categories,"
            " complainants, sources)"
            " SELECT t.kind, t.value, COUNT(*), MIN(ci.created_at), MAX(ci.created_at),"
            " group_concat(DISTINCT ci.category), COUNT(DISTINCT ci.author),"
            " COALESCE(group_concat(DISTINCT ci.source), '')"
            " FROM temp.touched t CROSS JOIN complaint_identifiers ci"
            " ON ci.kind = t.kind AND ci.value = t.value"
            " GROUP BY t.kind, t.value"  # touched's key order: no sort
        )
        after = self._touched_entries(db)
        sightings = self._touched_sightings(db)
        added: dict[tuple[str, str], list[str]] = {}
        for k, v, cid in new_links - old_links:
            added.setdefault((k, v), []).append(cid)

        updates = []
        for key in sorted(touched):
            row = after.get(key)
            count = row[0] if row else 0
            # Alert rules cite the complaints of repeats; a single complaint is known already.
            recent: tuple[tuple[str, str, str], ...] = ()
            if count > MAX_RECENT:
                # Rare: the newest MAX_RECENT sightings and the oldest complaint ids, per key.
                recent = self._recent(db, *key)
                cids = self._complaint_ids(db, *key)
            else:
                # Every sighting, oldest first: the newest MAX_RECENT are all of them.
                seen = sightings.get(key, [])
                cids = tuple([cid for _, cid, _ in seen[:MAX_CITED]])
                if count >= 2:
                    recent = tuple(seen)
            first, last, cats, people, sources = row[1:] if row else (None, None, (), 0, ())
            entry = RegistryEntry(
                key[0], key[1], count, first, last, cats, cids, complainants=people, sources=sources
            )
            updates.append(
                RegistryUpdate(
                    before_count=before.get(key, 0),
                    entry=entry,
                    new_complaint_ids=tuple(sorted(added.get(key, ()))),
                    recent=recent,
                )
            )
        return updates

    @staticmethod
    def _prior_matches(
        records: list[Enriched],
        old_links: set[tuple[str, str, str]],
        before: dict[tuple[str, str], int],
        seen_then: dict[str, dict[tuple[str, str], int]],
    ) -> dict[str, list[dict[str, object]]]:
        """Check on arrival: for each complaint, its identifiers known before it and their counts.

        A complaint written before keeps what it saw then (``seen_then``: a redelivery never
        counts itself or what came after it); an identifier new to it counts the complaints
        stored before this batch (``before``) plus those earlier in the batch.
        """
        in_batch: dict[tuple[str, str], int] = {}
        out: dict[str, list[dict[str, object]]] = {}
        for r in records:
            keys = list(dict.fromkeys((i.kind, i.value) for i in r.identifiers))
            matches = []
            for key in keys:
                if (*key, r.id) in old_links:
                    count = seen_then.get(r.id, {}).get(key, 0)
                else:
                    count = before.get(key, 0) + in_batch.get(key, 0)
                if count:
                    matches.append({"kind": key[0], "value": key[1], "prior_count": count})
            for key in keys:
                if (*key, r.id) not in old_links:
                    in_batch[key] = in_batch.get(key, 0) + 1
            out[r.id] = matches
        return out

    @staticmethod
    def _touched_sightings(
        db: sqlite3.Connection,
    ) -> dict[tuple[str, str], list[tuple[str, str, str]]]:
        """(created_at, complaint id, category) of every link of each touched entry that has at
        most MAX_RECENT, oldest first: one statement for the whole batch instead of one or two
        per entry (larger entries are read entry by entry, :meth:`_recent`)."""
        out: dict[tuple[str, str], list[tuple[str, str, str]]] = {}
        # Sightings are held until the alert rules are done with the batch; many share their
        # timestamp and all share a few categories, so equal strings are stored once.
        shared: dict[str, str] = {}
        for kind, value, created_at, cid, category in db.execute(
            "SELECT t.kind, t.value, ci.created_at, ci.complaint_id, ci.category"
            " FROM temp.touched t CROSS JOIN registry r ON r.kind = t.kind AND r.value = t.value"
            " CROSS JOIN complaint_identifiers ci ON ci.kind = t.kind AND ci.value = t.value"
            " WHERE r.complaint_count <= ?"
            " ORDER BY t.kind, t.value, ci.created_at, ci.complaint_id",
            (MAX_RECENT,),
        ):
            sighting = (
                shared.setdefault(created_at, created_at),
                cid,
                shared.setdefault(category, category),
            )
            out.setdefault((kind, value), []).append(sighting)
        return out

    @staticmethod
    def _recent(db: sqlite3.Connection, kind: str, value: str) -> tuple[tuple[str, str, str], ...]:
        rows = db.execute(
            "SELECT created_at, complaint_id, category FROM complaint_identifiers"
            " WHERE kind=? AND value=? ORDER BY created_at DESC, complaint_id DESC LIMIT ?",
            (kind, value, MAX_RECENT),
        ).fetchall()
        return tuple(reversed(rows))

    @staticmethod
    def _touched_entries(db: sqlite3.Connection) -> dict[tuple[str, str], tuple]:
        """(count, first, last, categories, complainants, sources) of every touched entry."""
        return {
            (kind, value): (count, first, last, _categories(cats), people, _categories(sources))
            for kind, value, count, first, last, cats, people, sources in db.execute(
                "SELECT r.kind, r.value, r.complaint_count, r.first_seen, r.last_seen, r.categories,"
                " r.complainants, r.sources"
                " FROM temp.touched t CROSS JOIN registry r"
                " ON r.kind = t.kind AND r.value = t.value"
            )
        }

    @staticmethod
    def _complaint_ids(db: sqlite3.Connection, kind: str, value: str) -> tuple[str, ...]:
        return tuple(
            cid
            for (cid,) in db.execute(
                "SELECT complaint_id FROM complaint_identifiers WHERE kind=? AND value=?"
                " ORDER BY created_at, complaint_id LIMIT ?",
                (kind, value, MAX_CITED),
            )
        )

    # -- reading ----------------------------------------------------------------------------
    def lookup(self, kind: str, value: str, limit: int = 100) -> LookupResult:
        """The registry entry for (kind, value) and the complaints that name it, oldest first."""
        rows = self._read(
            "SELECT complaint_count, first_seen, last_seen, categories, complainants, sources"
            " FROM registry WHERE kind=? AND value=?",
            (kind, value),
        )
        if not rows:
            return LookupResult(kind, value, 0, None, None, (), ())
        count, first, last, cats, people, sources = rows[0]
        docs = self._read(
            "SELECT c.doc FROM complaint_identifiers ci JOIN complaints c ON c.id = ci.complaint_id"
            " WHERE ci.kind=? AND ci.value=? ORDER BY ci.created_at, ci.complaint_id LIMIT ?",
            (kind, value, limit),
        )
        hits = tuple(_hit(json.loads(d)) for (d,) in docs)
        return LookupResult(
            kind,
            value,
            count,
            first,
            last,
            _categories(cats),
            hits,
            complainants=people,
            sources=_categories(sources),
        )

    def registry(self, kind: str, values: Sequence[str]) -> dict[str, RegistryEntry]:
        """Registry entries for many values of one kind."""
        out: dict[str, RegistryEntry] = {}
        for chunk in in_list_chunks(list(dict.fromkeys(values))):
            marks = ",".join("?" * len(chunk))
            for v, count, first, last, cats, people, sources in self._read(
                "SELECT value, complaint_count, first_seen, last_seen, categories, complainants,"
                f" sources FROM registry WHERE kind=? AND value IN ({marks})",
                [kind, *chunk],
            ):
                out[v] = RegistryEntry(
                    kind,
                    v,
                    count,
                    first,
                    last,
                    _categories(cats),
                    complainants=people,
                    sources=_categories(sources),
                )
        return out

    def search(
        self,
        query: str,
        *,
        category: str | None = None,
        since: str | None = None,
        until: str | None = None,
        limit: int = 20,
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
        sql = "SELECT c.doc FROM complaints c"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY c.created_at DESC, c.id LIMIT ?"
        params.append(int(limit))
        return [_hit(json.loads(d)) for (d,) in self._read(sql, params)]

    def top_identifiers(
        self, limit: int = 20, min_count: int = 2, kind: str | None = None
    ) -> list[RegistryEntry]:
        """The identifiers named in the most distinct complaints."""
        sql = (
            "SELECT kind, value, complaint_count, first_seen, last_seen, categories, complainants,"
            " sources FROM registry WHERE complaint_count >= ?"
        )
        params: list[object] = [min_count]
        if kind:
            sql += " AND kind = ?"
            params.append(kind)
        sql += " ORDER BY complaint_count DESC, last_seen DESC, value LIMIT ?"
        params.append(int(limit))
        return [
            RegistryEntry(k, v, n, f, la, _categories(c), complainants=p, sources=_categories(src))
            for k, v, n, f, la, c, p, src in self._read(sql, params)
        ]

    def stats(self) -> Stats:
        """Complaint, identifier and alert counts."""
        (complaints,) = self._read("SELECT COUNT(*) FROM complaints")[0]
        (identifiers,) = self._read("SELECT COUNT(*) FROM registry")[0]
        (repeats,) = self._read("SELECT COUNT(*) FROM registry WHERE complaint_count >= 2")[0]
        (alerts,) = self._read("SELECT COUNT(*) FROM alerts")[0]
        by_cat = dict(self._read("SELECT category, COUNT(*) FROM complaints GROUP BY category"))
        by_kind = dict(self._read("SELECT kind, COUNT(*) FROM registry GROUP BY kind"))
        return Stats(complaints, identifiers, by_cat, by_kind, repeats, alerts)

    def record_alerts(self, alerts: Sequence[Alert]) -> list[Alert]:
        """Insert alerts whose id is new; return those."""
        fresh: list[Alert] = []
        if not alerts:
            return fresh
        try:
            with self._lock, transaction(self._db) as db:
                # The rules raise every alert the current state supports on each batch, so most
                # are stored already: find those in one statement and serialise only the others.
                stored = self._stored_alert_ids(db, list(dict.fromkeys(a.id for a in alerts)))
                for alert in alerts:
                    # BEGIN IMMEDIATE holds the write lock: no other process inserts an alert
                    # between that read and this insert, so every id not stored is new.
                    if alert.id not in stored:
                        stored.add(alert.id)  # the first of a repeated id is the new one
                        fresh.append(alert)
                db.executemany(
                    "INSERT OR IGNORE INTO alerts (id, raised_at, doc) VALUES (?,?,?)",
                    [(a.id, a.raised_at, a.model_dump_json(by_alias=True)) for a in fresh],
                )
        except sqlite3.Error as exc:
            raise StoreError(f"alert write failed: {exc}", retriable=True) from exc
        return fresh

    @staticmethod
    def _stored_alert_ids(db: sqlite3.Connection, ids: list[str]) -> set[str]:
        """Those of ``ids`` already stored: one statement for any number (json_each), and one
        per id for ids holding a NUL, which SQLite's JSON functions cut short."""
        plain = [i for i in ids if "\x00" not in i]
        stored = {
            alert_id
            for (alert_id,) in db.execute(
                "SELECT id FROM alerts WHERE id IN (SELECT value FROM json_each(?))",
                (json.dumps(plain),),
            )
        }
        for alert_id in ids:
            if (
                "\x00" in alert_id
                and db.execute("SELECT 1 FROM alerts WHERE id = ?", (alert_id,)).fetchone()
            ):
                stored.add(alert_id)
        return stored

    def pending_alerts(self, limit: int = 500) -> list[Alert]:
        """Alerts not yet published, oldest first."""
        rows = self._read(
            "SELECT doc FROM alerts WHERE published = 0 ORDER BY raised_at, id LIMIT ?",
            (int(limit),),
        )
        return [decode_alert(d) for (d,) in rows]

    def mark_alerts_published(self, alert_ids: Sequence[str]) -> None:
        """Mark alerts as published."""
        try:
            # One transaction: in autocommit each row would be a commit of its own.
            with self._lock, transaction(self._db) as db:
                db.executemany(
                    "UPDATE alerts SET published = 1 WHERE id = ?", [(i,) for i in alert_ids]
                )
        except sqlite3.Error as exc:
            raise StoreError(f"alert update failed: {exc}", retriable=True) from exc

    def alerts(self, limit: int = 100) -> list[Alert]:
        """The latest alerts, newest first."""
        rows = self._read(
            "SELECT doc FROM alerts ORDER BY raised_at DESC, id LIMIT ?", (int(limit),)
        )
        return [decode_alert(d) for (d,) in rows]

    def close(self) -> None:
        """Close the database connection."""
        with self._lock:
            self._db.close()


def _categories(text: str | None) -> tuple[str, ...]:
    return tuple(sorted(filter(None, (text or "").split(","))))


def _hit(doc: dict) -> ComplaintHit:
    return ComplaintHit(
        id=doc["id"],
        created_at=doc["created_at"],
        category=doc.get("category", "other"),
        text=doc.get("text", ""),
        author=doc.get("author") or {},
        source=doc.get("source", ""),
        identifiers=tuple(
            {"kind": i["kind"], "value": i["value"]} for i in doc.get("identifiers", ())
        ),
        prior_matches=tuple(doc.get("prior_matches") or ()),
    )


#: ``json.dumps(..., ensure_ascii=False)`` builds a new encoder on every call; one is enough.
_encode_json = json.JSONEncoder(ensure_ascii=False).encode


def _doc(record: Enriched, prior_matches: list[dict[str, object]]) -> str:
    """The stored JSON of a complaint: the record plus what was known on its arrival."""
    text = record.model_dump_json(by_alias=True)
    # A pydantic object dump always ends with "}": append one key without re-encoding the rest.
    matches = _encode_json(prior_matches) if prior_matches else "[]"
    return f'{text[:-1]},"prior_matches":{matches}}}'
