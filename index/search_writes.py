"""Writing a batch to the search-engine store: complaints indexed by id, then the registry moved.

A write is one real-time ``mget`` (the batch's stored complaints and the registry entries they
name, across both indices), one bulk of complaints into the write index of the
``<prefix>complaints`` alias (``require_alias``: a deleted alias is an error, not an unmapped
auto-created index), one bulk of link documents (:mod:`scamtrail.index.search_links`; none
for a batch that links nothing), then the registry change (:mod:`scamtrail.index.search_registry`), and never
a forced refresh. A complaint whose re-extraction dropped an identifier is removed from that
entry: its document remembers such keys (``stale_identifier_keys``) until a write has removed
them, so a crash between the complaint write and the registry write loses no removal.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from typing import Any

from scamtrail.index.base import RegistryUpdate
from scamtrail.index.search_documents import (
    complaint_document,
    identifier_key,
    identifier_pairs,
    registry_doc_id,
    sighting,
    split_key,
)
from scamtrail.index.search_links import SearchLinks
from scamtrail.index.search_registry import SearchRegistry, Versioned, versioned
from scamtrail.index.search_spill import known_links

from scamtrail.records import Enriched

log = logging.getLogger(__name__)


class SearchWrites(SearchRegistry, SearchLinks):
    """Batch writes of the search-engine store (a mixin; see the module docstring)."""

    def _read_for_write(
        self, pairs: dict[str, list[tuple[str, str]]]
    ) -> tuple[dict[str, dict[str, Any]], dict[str, Versioned]]:
        """The stored versions of a batch's complaints and the registry entries they name now,
        in one real-time ``mget`` (complaint id -> source, registry doc id -> Versioned); the
        entries this writer wrote last come from its cache instead (search_registry)."""
        doc_ids = dict.fromkeys(registry_doc_id(k, v) for ps in pairs.values() for k, v in ps)
        before, unread = self._cached_entries(doc_ids)
        fields = ["identifier_keys", "stale_identifier_keys", "prior_matches"]
        wanted = [(self.complaints_alias, cid, fields) for cid in pairs]
        wanted += [(self.registry_index, d, True) for d in unread]
        found = self._mget_many(wanted)
        n = len(pairs)
        previous = {
            cid: d["_source"] for cid, d in zip(pairs, found[:n], strict=True) if d is not None
        }
        for doc_id, doc in zip(unread, found[n:], strict=True):
            if doc is not None:
                before[doc_id] = versioned(doc)
                self.entry_cache.put(doc_id, before[doc_id])
        return previous, before

    def write(self, batch: Sequence[Enriched]) -> list[RegistryUpdate]:
        """Index complaints by id, then move registry entries to match; return touched entries."""
        if not batch:
            return []
        started = time.perf_counter()
        self._ensure()
        latest = {r.id: r for r in batch}  # a batch may carry one id twice; the last one wins
        pairs = {cid: identifier_pairs(r) for cid, r in latest.items()}
        previous, before = self._read_for_write(pairs)
        add: dict[str, dict[str, list[str]]] = {}
        remove: dict[str, set[str]] = {}
        stales: dict[str, list[str]] = {}
        for r in latest.values():
            keys = [identifier_key(k, v) for k, v in pairs[r.id]]
            old = previous.get(r.id, {})
            earlier = set(old.get("stale_identifier_keys") or ()) | set(
                old.get("identifier_keys") or ()
            )
            stales[r.id] = sorted(earlier - set(keys))
            if keys:
                seen = sighting(r)
                for key in keys:
                    add.setdefault(key, {})[r.id] = seen
            for key in stales[r.id]:
                remove.setdefault(key, set()).add(r.id)
        unread = {registry_doc_id(*split_key(k)) for k in remove} - set(before)
        if unread:  # identifiers a reprocessed complaint no longer names
            before.update(self._read_registry(sorted(unread)))
        prior = prior_matches(
            list(latest.values()), pairs, previous, {i: v.source for i, v in before.items()}
        )
        actions = [
            {
                "_index": self.complaints_alias,
                "_id": r.id,
                "_source": complaint_document(r, stales[r.id], prior[r.id]),
            }
            for r in latest.values()
        ]
        items = self._bulk(actions, "indexing complaints", require_alias=True)
        self._dirtied(self.complaints_alias)
        self._check(items, (200, 201), "indexing complaints", "complaint")
        self._write_links(list(latest.values()), set(previous))
        known = known_links(latest.values(), pairs, previous)
        updates = self._update_registry(add, remove, before, maybe_known=known)
        log.debug(
            "store write",
            extra={
                "store": self.name,
                "count": len(latest),
                "identifiers": len(updates),
                "elapsed_s": round(time.perf_counter() - started, 4),
            },
        )
        return updates


def prior_matches(
    records: list[Enriched],
    pairs_of: dict[str, list[tuple[str, str]]],
    previous: dict[str, dict],
    before: dict[str, dict],
) -> dict[str, list[dict[str, Any]]]:
    """Check on arrival: for each complaint, its identifiers known before it and their counts.

    ``pairs_of`` maps complaint id -> its (kind, value) identifiers, ``previous`` holds the
    stored versions of the batch's complaints, ``before`` the registry
    documents of their identifiers. A complaint stored before keeps what it saw then, so a
    redelivery never counts itself or what came after it; an identifier new to a complaint counts
    the complaints the registry held before this batch plus those earlier in the batch.
    """
    in_batch: dict[str, int] = {}
    out: dict[str, list[dict[str, Any]]] = {}
    for r in records:
        old = previous.get(r.id) or {}
        old_keys = set(old.get("identifier_keys") or ())
        seen_then = {
            identifier_key(m["kind"], m["value"]): int(m["prior_count"])
            for m in old.get("prior_matches") or ()
        }
        pairs = pairs_of[r.id]
        matches = []
        for kind, value in pairs:
            key = identifier_key(kind, value)
            if key in old_keys:
                count = seen_then.get(key, 0)
            else:
                src = before.get(registry_doc_id(kind, value)) or {}
                count = int(src.get("complaint_count", 0)) + in_batch.get(key, 0)
            if count:
                matches.append({"kind": kind, "value": value, "prior_count": count})
        for kind, value in pairs:
            key = identifier_key(kind, value)
            if key not in old_keys:
                in_batch[key] = in_batch.get(key, 0) + 1
        out[r.id] = matches
    return out
