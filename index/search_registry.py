"""The identifiers registry of the search-engine store: how a batch's changes reach it.

Mixed into :class:`~scamtrail.index.search_engine.SearchEngineStore` (:class:`SearchRegistry`),
below the batch write (:mod:`scamtrail.index.search_writes`).
Each registry document keeps ``sightings`` (complaint id -> [created_at, category, complainant,
source]) and the fields derived from it (:func:`registry_document`), so applying a change twice
changes nothing and counts never inflate.

The new documents are computed here, from the documents the write read anyway (one real-time
``mget``), and written in one bulk request with optimistic concurrency: ``create`` for an entry
that did not exist, ``index`` / ``delete`` with ``if_seq_no`` + ``if_primary_term`` of the version
read. When another writer (a second index worker) changed an entry in between, the engine refuses
that item with 409; those entries are read again and their change re-applied, until none is
refused. A retried or resent bulk is safe for the same reason: an item that was applied the first
time is refused the second time, and re-reading it finds the change already there.

The entries this writer wrote last are kept with the version the engine gave them
(:class:`EntryCache`), so the next batch naming them reads only the others. A real-time read of an
entry changed since the last refresh makes the engine refresh the index first: read every batch,
the entries a busy number keeps changing would turn the 1 s refresh interval into one refresh per
batch. A cached version another writer has since changed costs nothing extra: the conditional
write is refused with 409, and the entry is read again, as above.

Why not a painless scripted upsert per entry: the engine then runs a real-time get of every entry
a second time, the script itself, and ships each entry back in the response; on batches of 500
complaints that bulk was nearly half of the write time, while the client holds every entry it
needs already.
"""

from __future__ import annotations

import random
import time
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from scamtrail.index import search_documents as documents
from scamtrail.index import search_spill
from scamtrail.index.base import RegistryUpdate
from scamtrail.index.search_documents import registry_document
from scamtrail.index.search_spill import SearchSpill, is_spilled, member_ids

from scamtrail.errors import StoreError

#: How many times entries refused by a concurrent writer are read again and rewritten.
MAX_CONFLICT_ROUNDS = 20
#: Most sightings the entries in an :class:`EntryCache` hold together (a few MB): memory stays
#: flat however many identifiers the store holds; the least recently written go first.
MAX_CACHED_SIGHTINGS = 50_000


@dataclass(frozen=True, slots=True)
class Versioned:
    """A registry document as read: its source and the version to write against."""

    source: dict[str, Any]
    seq_no: int
    primary_term: int


def versioned(doc: dict[str, Any]) -> Versioned:
    """A Versioned from one ``mget`` answer of a registry document."""
    return Versioned(doc["_source"], int(doc["_seq_no"]), int(doc["_primary_term"]))


class EntryCache:
    """Registry entries as this writer last wrote or read them, least recently used first out,
    bounded by the sightings they hold (:data:`MAX_CACHED_SIGHTINGS`)."""

    def __init__(self, max_sightings: int = MAX_CACHED_SIGHTINGS) -> None:
        self.max_sightings = max_sightings
        self._entries: OrderedDict[str, tuple[Versioned, int]] = OrderedDict()
        self._held = 0

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, doc_id: str) -> Versioned | None:
        """The cached version of an entry, if any."""
        found = self._entries.get(doc_id)
        if found is None:
            return None
        self._entries.move_to_end(doc_id)
        return found[0]

    def put(self, doc_id: str, entry: Versioned) -> None:
        """Remember ``entry`` as the latest version of ``doc_id``."""
        self.drop(doc_id)
        size = len(entry.source.get("sightings") or ()) + 1
        if size > self.max_sightings:
            return
        self._entries[doc_id] = (entry, size)
        self._held += size
        while self._held > self.max_sightings:
            _, (_, dropped) = self._entries.popitem(last=False)
            self._held -= dropped

    def drop(self, doc_id: str) -> None:
        """Forget ``doc_id`` (deleted, or refused: its cached version is not the latest)."""
        found = self._entries.pop(doc_id, None)
        if found is not None:
            self._held -= found[1]

    def clear(self) -> None:
        """Forget everything (the indices were dropped or set up again)."""
        self._entries.clear()
        self._held = 0


def apply_change(
    key: str, src: dict[str, Any] | None, add: dict[str, list[str]], remove: set[str]
) -> tuple[bool, dict[str, Any] | None]:
    """(changed, document after) of one entry given its current source and the batch's change.

    ``None`` after means the entry holds no complaint (deleted, or never created).
    """
    old = (src or {}).get("sightings") or {}
    sightings = {cid: v for cid, v in old.items() if cid not in remove}
    changed = len(sightings) != len(old)
    for cid, v in add.items():
        if sightings.get(cid) != v:
            sightings[cid] = v
            changed = True
    if not changed:
        return False, src or None
    return True, registry_document(key, sightings) if sightings else None


class SearchRegistry(SearchSpill):
    """Registry writes for the search-engine store (a mixin; see the module docstring)."""

    def drop(self) -> None:
        """Delete the indices (see SearchIndices.drop) and forget the cached entries."""
        self.entry_cache.clear()
        super().drop()

    @property
    def entry_cache(self) -> EntryCache:
        """The entries this writer wrote last (see the module docstring)."""
        cache = self.__dict__.get("_entry_cache")
        if cache is None:
            cache = self.__dict__["_entry_cache"] = EntryCache()
        return cache

    def _cached_entries(self, doc_ids: Iterable[str]) -> tuple[dict[str, Versioned], list[str]]:
        """(the cached versions of ``doc_ids``, the ids left to read)."""
        cached: dict[str, Versioned] = {}
        missing = []
        for doc_id in doc_ids:
            found = self.entry_cache.get(doc_id)
            if found is None:
                missing.append(doc_id)
            else:
                cached[doc_id] = found
        return cached, missing

    def _read_registry(self, doc_ids: Sequence[str]) -> dict[str, Versioned]:
        """Real-time read of registry entries with the version each was read at."""
        docs = self._mget_docs(self.registry_index, doc_ids)
        read = {i: versioned(d) for i, d in docs.items()}
        for doc_id, entry in read.items():
            self.entry_cache.put(doc_id, entry)
        return read

    def _remember_written(
        self, items: list[dict[str, Any]], after: dict[str, dict[str, Any] | None]
    ) -> None:
        """Cache what the bulk wrote, at the version the engine answered with."""
        for item in items:
            doc_id = item.get("_id")
            if doc_id is None:
                continue
            now = after.get(doc_id)
            if item.get("status") in (200, 201) and now is not None and "_seq_no" in item:
                self.entry_cache.put(
                    doc_id, Versioned(now, int(item["_seq_no"]), int(item["_primary_term"]))
                )
            else:
                self.entry_cache.drop(doc_id)

    def _update_registry(
        self,
        add: dict[str, dict[str, list[str]]],
        remove: dict[str, set[str]],
        before: dict[str, Versioned] | None = None,
        maybe_known: dict[str, set[str]] | None = None,
    ) -> list[RegistryUpdate]:
        """Apply the batch's identifier changes; skip entries that already hold them.

        ``before`` is the touched registry entries by document id, when the caller read them
        already. Entries a concurrent writer changed meanwhile are read again and redone.
        Entries past :data:`~scamtrail.index.search_spill.MAX_INLINE` sightings are updated
        instead of derived (:mod:`scamtrail.index.search_spill`); ``maybe_known`` (key ->
        complaint ids whose stored version named it) tells which of their links to look for.
        """
        keys = sorted(set(add) | set(remove), key=documents.split_key)
        doc_ids = {key: documents.registry_doc_id(*documents.split_key(key)) for key in keys}
        if before is None:
            before = self._read_registry(list(doc_ids.values()))
        read = dict(before)
        after: dict[str, dict[str, Any] | None] = {}
        pending = keys
        fresh: dict[str, set[str]] = {}  # spilled entries: complaint ids new to them
        for round_no in range(MAX_CONFLICT_ROUNDS):
            actions = []
            spill_in, spill_out = [], {}
            spilling = [k for k in pending if self._spills(read.get(doc_ids[k]), add, remove, k)]
            members = self._spill_members(
                sorted(
                    {
                        i
                        for k in spilling
                        for i in member_ids(doc_ids[k], add.get(k, {}), remove.get(k, ()))
                    }
                )
            )
            for key in pending:
                doc_id = doc_ids[key]
                had = read.get(doc_id)
                src = had.source if had else None
                if key in spilling:
                    changed, now, new, out, drop = self._spilled_change(
                        key,
                        doc_id,
                        src,
                        add.get(key, {}),
                        remove.get(key, set()),
                        members,
                        (maybe_known or {}).get(key, set()),
                    )
                    fresh.setdefault(key, new)
                    spill_in.append((key, doc_id, out, ()))
                    spill_out[doc_id] = (key, doc_id, {}, drop)
                else:
                    changed, now = apply_change(key, src, add.get(key, {}), remove.get(key, set()))
                after[doc_id] = now
                if changed:
                    actions.append(self._registry_action(doc_id, had, now))
            if not actions:
                break
            self._write_spill(spill_in)  # before the entries stop holding them
            items = self._bulk(actions, "updating the identifiers registry")
            self._dirtied(self.registry_index)
            self._remember_written(items, after)
            conflicts = [i["_id"] for i in items if i.get("status") == 409]
            self._check(
                [i for i in items if i.get("status") != 409],
                (200, 201),
                "updating the identifiers registry",
                "identifier",
            )
            refused = set(conflicts)
            self._write_spill(c for d, c in spill_out.items() if d not in refused and c[3])
            if not conflicts:
                break
            # Another writer changed these entries since they were read: read, redo, rewrite.
            time.sleep(random.uniform(0, 0.01 * round_no))
            for doc_id in conflicts:
                read.pop(doc_id, None)
            read.update(self._read_registry(conflicts))
            retry = set(conflicts)
            pending = [key for key in keys if doc_ids[key] in retry]
        else:
            raise StoreError(
                f"the identifiers registry kept changing under this write ({len(pending)} entries "
                f"after {MAX_CONFLICT_ROUNDS} rounds)",
                retriable=True,
            )

        # Before and after as the index stage sees them: "before" is what this write read first
        # (as for prior_matches), so a resent bulk found applied on re-reading still reports
        # its complaints as new.
        updates = []
        for key in keys:
            kind, value = documents.split_key(key)
            had = before.get(doc_ids[key])
            src = had.source if had else None
            known = (src or {}).get("sightings") or {}
            now = after[doc_ids[key]]
            if key in fresh:  # spilled: what it held is not all in ``known``
                new_ids = fresh[key]
                moved = int((now or {}).get("complaint_count", 0)) != int(
                    (src or {}).get("complaint_count", 0)
                )
                if key not in add and not moved:
                    continue
            else:
                new_ids = {c for c in add.get(key, {}) if c not in known}
                if key not in add and not any(cid in known for cid in remove.get(key, ())):
                    continue  # a stale key this complaint was already removed from
            entry = documents.registry_entry(kind, value, now)
            updates.append(
                RegistryUpdate(
                    before_count=int((src or {}).get("complaint_count", 0)),
                    entry=entry,
                    new_complaint_ids=tuple(sorted(new_ids)),
                    recent=documents.recent_sightings(now) if entry.complaint_count >= 2 else (),
                )
            )
        return updates

    @staticmethod
    def _spills(
        had: Versioned | None,
        add: dict[str, dict[str, list[str]]],
        remove: dict[str, set[str]],
        key: str,
    ) -> bool:
        """Whether an entry is spilled, or its change takes it past MAX_INLINE sightings."""
        if had is not None and is_spilled(had.source):
            return True
        held = set((had.source.get("sightings") or {}) if had else ())
        return (
            len((held - remove.get(key, set())) | set(add.get(key, {}))) > search_spill.MAX_INLINE
        )

    def _registry_action(
        self, doc_id: str, had: Versioned | None, now: dict[str, Any] | None
    ) -> dict[str, Any]:
        """The bulk action writing ``now`` over the version ``had`` (conditional on it)."""
        action: dict[str, Any] = {"_index": self.registry_index, "_id": doc_id}
        if had is None:
            # Never None with no previous version: apply_change reports no change then.
            return {**action, "_op_type": "create", "_source": now}
        action["if_seq_no"] = had.seq_no
        action["if_primary_term"] = had.primary_term
        if now is None:
            return {**action, "_op_type": "delete"}
        return {**action, "_op_type": "index", "_source": now}
