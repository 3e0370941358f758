"""Links between identifiers in the search-engine store: the ``<prefix>links`` index, its batch
write and reads.

One **link document per complaint** that names at least two identifiers, with ``_id`` = the
complaint id: its linked identifier keys (``kind:value``, at most
:data:`~scamtrail.index.links.MAX_LINKED_PER_COMPLAINT`, in the complaint's order), its
``created_at`` and category. The batch write indexes these documents next to the complaints
(:func:`link_actions`), so a redelivery overwrites a complaint's own document and never adds a
link twice, and a reprocessed complaint that now names fewer than two identifiers has its
document deleted. A write costs one document per complaint whatever the store holds, and no
read: the document is derived from the record alone. A crash between the complaint and link
bulks is repaired by the redelivery (a complaint stored before always rewrites or deletes its
link document).

Why per complaint rather than per pair: a link's count is then the number of documents naming
both ends (a terms aggregation's ``doc_count``), a ring's complaint count the number of documents
naming any member, and its categories and first/last seen aggregations over those same documents,
all exact (the index has one shard, so terms aggregations are exact), without keeping per pair a
list of complaint ids that grows with the pair's history and must be merged under concurrency.

Reads (:class:`SearchLinks`) aggregate over the documents naming one identifier, after refreshing
the index when this instance wrote to it; rings are found by the bounded BFS of :mod:`.links`
with the same cap and hub rule as SQLite, reading each BFS level's neighbours in one
``msearch``. ``kind:value`` keys sort as (kind, value) pairs do,
since kinds are lowercase letters and ``_``, all after ``:``; so the neighbours a BFS step takes
are the ones SQLite takes. A key over 8000 characters (``keys`` ``ignore_above``) is not indexed, so
such a value has no links here (SQLite would keep them); extracted identifiers are far shorter.

The write costs one more bulk request per batch that links anything: on a loaded two-core machine
about 95 ms on top of 160 ms for 500 complaints of two identifiers each, the same after 8,000 more
complaints (cost per complaint does not grow with the store).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from scamtrail.index import links as link_rules
from scamtrail.index.links import Link, Ring, component, link_keys, ring_id
from scamtrail.index.search_documents import identifier_key, identifier_pairs, split_key
from scamtrail.index.search_indices import SearchIndices

from scamtrail.errors import StoreError
from scamtrail.records import Enriched

#: Most distinct categories a ring reports (there are a handful).
MAX_RING_CATEGORIES = 100


def link_document(record: Enriched) -> dict[str, Any] | None:
    """The link document of one complaint; None when it links nothing (under two identifiers)."""
    keys = link_keys(identifier_pairs(record))
    if len(keys) < 2:
        return None
    return {
        "complaint_id": record.id,
        "keys": [identifier_key(k, v) for k, v in keys],
        "created_at": record.created_at,
        "category": record.category,
    }


def link_actions(
    index: str, records: Sequence[Enriched], stored_before: set[str]
) -> list[dict[str, Any]]:
    """Bulk actions putting the batch's link documents in step with its records.

    ``stored_before`` holds the ids of the batch's complaints already stored: one of those that
    now links nothing may have had a link document, which is deleted (a 404 is fine).
    """
    actions: list[dict[str, Any]] = []
    for r in records:
        doc = link_document(r)
        if doc is not None:
            actions.append({"_op_type": "index", "_index": index, "_id": r.id, "_source": doc})
        elif r.id in stored_before:
            actions.append({"_op_type": "delete", "_index": index, "_id": r.id})
    return actions


def _first_last() -> dict[str, Any]:
    """Sub-aggregations giving the smallest and largest ``created_at`` string as stored (a
    terms aggregation on the keyword, so the answer is the stored string, as in SQLite)."""
    return {
        "first": {"terms": {"field": "created_at", "size": 1, "order": {"_key": "asc"}}},
        "last": {"terms": {"field": "created_at", "size": 1, "order": {"_key": "desc"}}},
    }


def _bucket_key(agg: dict[str, Any]) -> str:
    return str(agg["buckets"][0]["key"])


class SearchLinks(SearchIndices):
    """Link and ring reads of the search-engine store (a mixin; see the module docstring)."""

    def _write_links(self, records: Sequence[Enriched], stored_before: set[str]) -> None:
        """Index (or delete) the link documents of a batch's records (see :func:`link_actions`)."""
        actions = link_actions(self.links_index, records, stored_before)
        if not actions:
            return
        items = self._bulk(actions, "indexing links")
        self._dirtied(self.links_index)
        self._check(items, (200, 201, 404), "indexing links", "link of complaint")

    def _link_search(self, body: dict[str, Any]) -> dict[str, Any]:
        return self._search(self.links_index, body, "reading links")

    def links(self, kind: str, value: str, limit: int = 100) -> list[Link]:
        """The identifiers linked to (kind, value), most complaints first, then by key."""
        self._ensure()
        key = identifier_key(kind, value)
        body = {
            "size": 0,
            "query": {"term": {"keys": key}},
            "aggs": {
                "other": {
                    "terms": {
                        "field": "keys",
                        # the identifier itself is one bucket (in every document): one more
                        "size": max(limit, 0) + 1,
                        "order": [{"_count": "desc"}, {"_key": "asc"}],
                    },
                    "aggs": _first_last(),
                }
            },
        }
        buckets = self._link_search(body)["aggregations"]["other"]["buckets"]
        out = [
            Link(
                *split_key(b["key"]),
                int(b["doc_count"]),
                _bucket_key(b["first"]),
                _bucket_key(b["last"]),
            )
            for b in buckets
            if b["key"] != key
        ]
        return out[: max(limit, 0)]

    def _neighbours(
        self, keys: list[tuple[str, str]], sizes: list[int]
    ) -> dict[tuple[str, str], list[tuple[str, str]]]:
        """For each key, the first ``size`` identifiers linked to it in (kind, value) order, in
        one ``msearch``."""
        lines: list[dict[str, Any]] = []
        for key, size in zip(keys, sizes, strict=True):
            lines.append({"index": self.links_index})
            lines.append(
                {
                    "size": 0,
                    "query": {"term": {"keys": identifier_key(*key)}},
                    "aggs": {
                        "other": {
                            "terms": {"field": "keys", "size": size + 1, "order": {"_key": "asc"}}
                        }
                    },
                }
            )
        self._refresh_if_written(self.links_index, "reading links")
        with self._calls("reading links"):
            answers = self._client.msearch(body=lines)["responses"]
        out: dict[tuple[str, str], list[tuple[str, str]]] = {}
        for key, size, answer in zip(keys, sizes, answers, strict=True):
            if "error" in answer:
                raise StoreError(
                    f"{self.name} refused reading links: {answer['error']}", retriable=True
                )
            own = identifier_key(*key)
            buckets = answer["aggregations"]["other"]["buckets"]
            out[key] = [split_key(b["key"]) for b in buckets if b["key"] != own][:size]
        return out

    def ring(self, kind: str, value: str) -> Ring | None:
        """The ring of (kind, value) by bounded BFS; None when it has no link."""
        self._ensure()
        start = (kind, value)

        def many(keys: list[tuple[str, str]]) -> dict[tuple[str, str], list[tuple[str, str]]]:
            # Enough to decide as the BFS does: all of a non-hub's (at most HUB_DEGREE), one
            # more than HUB_DEGREE to tell a hub, and for the start as many as the cap can take.
            sizes = [
                link_rules.MAX_RING_MEMBERS if k == start else link_rules.HUB_DEGREE + 1
                for k in keys
            ]
            return self._neighbours(keys, sizes)

        members, truncated = component(start, lambda key: many([key])[key], many)
        if len(members) < 2:
            return None
        body = {
            "size": 0,
            "track_total_hits": True,
            "query": {"terms": {"keys": [identifier_key(k, v) for k, v in members]}},
            "aggs": {
                "categories": {"terms": {"field": "category", "size": MAX_RING_CATEGORIES}},
                **_first_last(),
            },
        }
        answer = self._link_search(body)
        aggs = answer["aggregations"]
        return Ring(
            id=ring_id(members),
            members=tuple(members),
            size=len(members),
            complaint_count=int(answer["hits"]["total"]["value"]),
            categories={b["key"]: int(b["doc_count"]) for b in aggs["categories"]["buckets"]},
            first_seen=_bucket_key(aggs["first"]),
            last_seen=_bucket_key(aggs["last"]),
            truncated=truncated,
        )
