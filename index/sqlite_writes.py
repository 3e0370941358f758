"""Writing a batch to the SQLite store: complaints upserted, links replaced, registry kept in step.

One transaction per batch (``BEGIN IMMEDIATE``, so another process's write waits): complaints are
upserted by id (a redelivered complaint overwrites itself) and their FTS rows replaced; the
batch's ``complaint_identifiers`` links are replaced; every registry entry the batch touched is
updated with the links it gained, or derived again from its links when it lost or changed one
(:mod:`.sqlite_registry`), so redelivery and reprocessing can never inflate a count and a write
costs the same however often its identifiers were seen before. Each complaint
is checked on arrival (``prior_matches``) against the registry as it was before it.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence

from scamtrail.index.base import (
    MAX_CITED,
    MAX_RECENT,
    RegistryEntry,
    RegistryUpdate,
    complainant_key,
)
from scamtrail.index.sqlite_links import write_links
from scamtrail.index.sqlite_reads import SqliteReads, split_list
from scamtrail.index.sqlite_registry import (
    LinkFacts,
    LinkKey,
    known_complainants,
    rederive,
    rederive_keys,
    stored_entries,
    updated_rows,
    write_updated,
)

from scamtrail.errors import StoreError
from scamtrail.records import Enriched
from scamtrail.sqlite_db import transaction


class SqliteWrites(SqliteReads):
    """Batch writes of the SQLite store (a mixin; see the module docstring)."""

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
        old_facts: dict[LinkKey, LinkFacts] = {
            (kind, value, cid): facts
            for kind, value, cid, *facts in db.execute(
                "SELECT ci.kind, ci.value, ci.complaint_id, ci.created_at, ci.category, ci.author,"
                " ci.source FROM temp.batch_complaints b"
                " CROSS JOIN complaint_identifiers ci ON ci.complaint_id = b.id"
            )
        }
        old_links = set(old_facts)
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
        new_facts: dict[LinkKey, LinkFacts] = {}
        for r in records:
            who = complainant_key(r)
            for ident in r.identifiers:
                new_facts.setdefault(
                    (ident.kind, ident.value, r.id), (r.created_at, r.category, who, r.source)
                )
        new_links = set(new_facts)
        link_rows = [(*link, *facts) for link, facts in new_facts.items()]
        touched = {(k, v) for k, v, _ in old_links | new_links}
        db.execute("DELETE FROM temp.touched")
        db.executemany("INSERT INTO temp.touched (kind, value) VALUES (?,?)", touched)
        stored_rows = stored_entries(db)
        before = {key: row[0] for key, row in stored_rows.items()}
        # Entries only gaining links are updated in place; the few losing or changing one are
        # derived again from their links (sqlite_registry).
        slow = rederive_keys(old_facts, new_facts)
        added = {link: new_facts[link] for link in new_links - old_links}
        gained_keys = {(k, v) for k, v, _ in added}
        known = known_complainants(
            db, {(k, v, facts[2]) for (k, v, _), facts in added.items() if facts[2]}
        )
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
        rows = updated_rows(stored_rows, added, known, slow)
        write_updated(db, rows)
        rederive(db, slow)
        write_links(db, records)  # pairs of identifiers named together (.sqlite_links)
        # The touched entries as they are now, without reading them back: those updated in
        # place are the rows just written, those the batch neither gained nor changed a link of
        # are as stored, and only the re-derived ones are read (temp.rederive).
        after = {
            key: _entry_facts(row)
            for key, row in stored_rows.items()
            if key not in slow and key not in gained_keys
        }
        after.update(((row[0], row[1]), _entry_facts(row[2:])) for row in rows)
        if slow:
            after.update(self._rederived_entries(db))
        added: dict[tuple[str, str], list[str]] = {}
        for k, v, cid in new_links - old_links:
            added.setdefault((k, v), []).append(cid)
        # An entry of one complaint that gained a link in this batch has that link alone: its
        # one sighting is not read back (most entries are of one complaint).
        single = all(key in added for key, row in after.items() if row[0] == 1)
        sightings = self._touched_sightings(db, 2 if single else 1)

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
            elif count == 1 and key in added:
                cids = (added[key][0],)
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
        db: sqlite3.Connection, least: int
    ) -> dict[tuple[str, str], list[tuple[str, str, str]]]:
        """(created_at, complaint id, category) of every link of each touched entry that has
        ``least`` to MAX_RECENT, oldest first: one statement for the whole batch instead of one
        or two per entry (larger entries are read entry by entry, :meth:`_recent`)."""
        out: dict[tuple[str, str], list[tuple[str, str, str]]] = {}
        # Sightings are held until the alert rules are done with the batch; many share their
        # timestamp and all share a few categories, so equal strings are stored once.
        shared: dict[str, str] = {}
        for kind, value, created_at, cid, category in db.execute(
            "SELECT t.kind, t.value, ci.created_at, ci.complaint_id, ci.category"
            " FROM temp.touched t CROSS JOIN registry r ON r.kind = t.kind AND r.value = t.value"
            " CROSS JOIN complaint_identifiers ci ON ci.kind = t.kind AND ci.value = t.value"
            " WHERE r.complaint_count BETWEEN ? AND ?"
            " ORDER BY t.kind, t.value, ci.created_at, ci.complaint_id",
            (least, MAX_RECENT),
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
    def _rederived_entries(db: sqlite3.Connection) -> dict[tuple[str, str], tuple]:
        """:func:`_entry_facts` of every entry derived again (``temp.rederive``); an entry that
        lost its last link has no row and is left out."""
        return {
            (row[0], row[1]): _entry_facts(row[2:])
            for row in db.execute(
                "SELECT r.kind, r.value, r.complaint_count, r.first_seen, r.last_seen, r.categories,"
                " r.complainants, r.sources"
                " FROM temp.rederive t CROSS JOIN registry r"
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


def _entry_facts(row: Sequence) -> tuple:
    """(count, first, last, categories, complainants, sources) from a registry row without its
    key (:data:`REGISTRY_COLUMNS` order)."""
    count, first, last, cats, people, sources = row
    return (count, first, last, split_list(cats), people, split_list(sources))


#: ``json.dumps(..., ensure_ascii=False)`` builds a new encoder on every call; one is enough.
_encode_json = json.JSONEncoder(ensure_ascii=False).encode


def _doc(record: Enriched, prior_matches: list[dict[str, object]]) -> str:
    """The stored JSON of a complaint: the record plus what was known on its arrival."""
    text = record.model_dump_json(by_alias=True)
    # A pydantic object dump always ends with "}": append one key without re-encoding the rest.
    matches = _encode_json(prior_matches) if prior_matches else "[]"
    return f'{text[:-1]},"prior_matches":{matches}}}'
