"""What the search-engine store writes into its documents and reads back out of them.

Document ids and registry keys, the indexed form of a complaint, the sightings a registry entry
keeps, and a :class:`~scamtrail.index.base.RegistryEntry` from a registry document (a complaint
document becomes a hit by :meth:`~scamtrail.index.base.ComplaintHit.from_document`, as in every
store). Nothing here talks to a cluster; the field mappings are in
:mod:`scamtrail.index.search_mappings`.
"""

from __future__ import annotations

import hashlib
from typing import Any

from scamtrail.index.base import MAX_CITED, MAX_RECENT, RegistryEntry, complainant_key

from scamtrail.records import Enriched

#: Longest registry ``_id`` kept readable; longer ``kind:value`` keys (long URLs) are hashed, since
#: Elasticsearch and OpenSearch refuse ids over 512 bytes.
MAX_READABLE_ID_BYTES = 400
#: Complaint ids (the oldest) a registry entry returns in ``complaint_ids``: the cap of what a
#: RegistryUpdate carries and an alert cites, on both stores.
MAX_ENTRY_IDS = MAX_CITED
#: The complaint fields searches and lookups return (never ``raw``).
COMPLAINT_FIELDS = [
    "id",
    "created_at",
    "category",
    "text",
    "author",
    "source",
    "identifiers",
    "prior_matches",
    "needs_review",
]


def registry_doc_id(kind: str, value: str) -> str:
    """The registry document id of one identifier: ``kind:value``, hashed when too long."""
    key = f"{kind}:{value}"
    if len(key.encode()) <= MAX_READABLE_ID_BYTES:
        return key
    return f"{kind}:sha256:{hashlib.sha256(value.encode()).hexdigest()}"


def identifier_pairs(record: Enriched) -> list[tuple[str, str]]:
    """The distinct (kind, value) identifiers of a complaint, in the order they appear."""
    return list(dict.fromkeys((i.kind, i.value) for i in record.identifiers))


def identifier_key(kind: str, value: str) -> str:
    """``kind:value``, the registry key of one identifier."""
    return f"{kind}:{value}"


def split_key(key: str) -> tuple[str, str]:
    """(kind, value) of a ``kind:value`` key (kinds never contain ``:``)."""
    kind, _, value = key.partition(":")
    return kind, value


def complaint_document(
    record: Enriched, stale_keys: list[str], prior_matches: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """The indexed form of a complaint: the record plus its identifier values and keys, and the
    identifiers known before it arrived (``prior_matches``)."""
    pairs = identifier_pairs(record)
    doc = record.model_dump(mode="json", by_alias=True)
    doc["identifier_values"] = list(dict.fromkeys(v for _, v in pairs))
    doc["identifier_keys"] = [identifier_key(k, v) for k, v in pairs]
    doc["stale_identifier_keys"] = stale_keys
    doc["prior_matches"] = prior_matches or []
    return doc


def sighting(record: Enriched) -> list[str]:
    """What a registry entry keeps of one complaint naming it (see search_registry)."""
    return [record.created_at, record.category, complainant_key(record) or "", record.source]


def registry_document(key: str, sightings: dict[str, list[str]]) -> dict[str, Any]:
    """The registry document of ``key`` holding ``sightings``, with every derived field.

    Complaint ids are ordered by (created_at, id): timestamps are fixed-width UTC strings
    without spaces, so "created_at id" strings sort in that order.
    """
    kind, value = split_key(key)
    ordered = sorted(sightings, key=lambda cid: f"{sightings[cid][0]} {cid}")
    seen = [v[0] for v in sightings.values()]
    return {
        "key": key,
        "kind": kind,
        "value": value,
        "sightings": sightings,
        # the oldest, as many as an entry returns: the full list is in sightings, and indexing
        # every id of a busy number again on each of its updates is work for nothing
        "complaint_ids": ordered[:MAX_ENTRY_IDS],
        "complaint_count": len(ordered),
        "first_seen": min(seen),
        "last_seen": max(seen),
        "categories": sorted({v[1] for v in sightings.values()}),
        "complainants": len({v[2] for v in sightings.values() if len(v) > 2 and v[2]}),
        "sources": sorted({v[3] for v in sightings.values() if len(v) > 3 and v[3]}),
    }


def recent_sightings(src: dict[str, Any] | None) -> tuple[tuple[str, str, str], ...]:
    """(created_at, complaint id, category) of an entry's latest complaints, oldest first."""
    if src and src.get("spilled"):  # a spilled entry keeps its newest (search_spill)
        return tuple((v[0], v[1], v[2]) for v in src.get("recent") or ())
    sightings = (src or {}).get("sightings") or {}
    latest = sorted(sightings.items(), key=lambda kv: (kv[1][0], kv[0]))[-MAX_RECENT:]
    return tuple((v[0], cid, v[1]) for cid, v in latest)


def ordered_ids(sightings: dict[str, list[str]]) -> list[str]:
    """Complaint ids of a registry entry, oldest complaint first (then by id)."""
    return sorted(sightings, key=lambda cid: (sightings[cid][0], cid))


def registry_entry(
    kind: str, value: str, src: dict[str, Any] | None, with_ids: bool = True
) -> RegistryEntry:
    """A RegistryEntry from a registry document (count 0 when there is none)."""
    if not src:
        return RegistryEntry(kind, value, 0, None, None, (), ())
    ids: tuple[str, ...] = ()
    if with_ids:
        # complaint_ids holds the oldest in order (all of them in documents written before it
        # was capped); sightings, when a document lacks it
        ordered = src.get("complaint_ids") or ordered_ids(src.get("sightings") or {})
        ids = tuple(ordered[:MAX_ENTRY_IDS])
    return RegistryEntry(
        kind=src.get("kind", kind),
        value=src.get("value", value),
        complaint_count=int(src.get("complaint_count", 0)),
        first_seen=src.get("first_seen"),
        last_seen=src.get("last_seen"),
        categories=tuple(src.get("categories", ())),
        complaint_ids=ids,
        complainants=int(src.get("complainants") or 0),
        sources=tuple(src.get("sources") or ()),
    )
