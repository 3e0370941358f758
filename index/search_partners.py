"""Sharing in the search-engine store: the registry read out for export, and partner entries.

Mixed into :class:`~scamtrail.index.search_engine.SearchEngineStore` (:class:`SearchPartners`),
using its client, bulk and error handling (:mod:`scamtrail.index.search_client`).

- **Export** (:meth:`SearchPartners.registry_entries`) reads every matching registry entry with a
  scroll sorted by ``_doc``: no ``from``/``size`` past the 10,000-hit window, no sort key that a
  long value (``ignore_above``) could leave empty. Complaint ids and sightings stay on the server.
- **Partner entries** live in ``<prefix>partner-identifiers`` (``partners_index``; mapping in
  :data:`~scamtrail.index.search_mappings.PARTNER_MAPPINGS`), never in the registry, so a
  partner's counts never change ours. A document's id is derived from (agency, kind, value); an
  import reads the existing documents by id and writes only those whose facts changed, so
  importing the same feed twice changes nothing (not even ``imported_at``).
- **Partner look-ups** search the ``lookup`` field (the registry's id of the identifier, hashed
  when long, so even a 100 KB URL is matched exactly) and page with ``search_after`` on
  (lookup, agency), which is unique.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterator, Sequence
from typing import Any

from scamtrail.index import search_documents as documents
from scamtrail.index.base import PartnerEntry, RegistryEntry
from scamtrail.index.search_indices import SearchIndices

from scamtrail.records import to_utc_iso

log = logging.getLogger(__name__)

#: Documents per scroll page while exporting; how long the engine keeps the scroll between pages.
EXPORT_PAGE = 1000
SCROLL_KEEP = "2m"
#: Keys per partner look-up query (terms), and hits per page of it.
_KEYS_PER_QUERY = 1000
_PAGE = 2000
#: What an import compares to decide that an entry changed (provenance alone is no change).
_FACTS = ("complaint_count", "first_seen", "last_seen", "categories", "risk_score", "risk_tier")


def partner_doc_id(agency: str, kind: str, value: str) -> str:
    """The document id of one partner entry: readable when short, hashed when long."""
    readable = f"{agency}|{kind}:{value}"
    if len(readable.encode()) <= documents.MAX_READABLE_ID_BYTES:
        return readable
    digest = hashlib.sha256(json.dumps([agency, kind, value]).encode()).hexdigest()
    return f"sha256:{digest}"


def partner_document(entry: PartnerEntry) -> dict[str, Any]:
    """The indexed form of a partner entry."""
    return {
        "key": documents.identifier_key(entry.kind, entry.value),
        "lookup": documents.registry_doc_id(entry.kind, entry.value),
        "agency": entry.agency,
        "kind": entry.kind,
        "value": entry.value,
        "complaint_count": int(entry.complaint_count),
        "first_seen": entry.first_seen,
        "last_seen": entry.last_seen,
        "categories": sorted(set(entry.categories)),
        "risk_score": entry.risk_score,
        "risk_tier": entry.risk_tier,
        "feed": entry.feed,
        "imported_at": entry.imported_at,
    }


def partner_entry(src: dict[str, Any]) -> PartnerEntry:
    """A PartnerEntry from its document."""
    score = src.get("risk_score")
    return PartnerEntry(
        agency=src["agency"],
        kind=src["kind"],
        value=src["value"],
        complaint_count=int(src.get("complaint_count") or 0),
        first_seen=src.get("first_seen"),
        last_seen=src.get("last_seen"),
        categories=tuple(src.get("categories") or ()),
        risk_score=float(score) if score is not None else None,
        risk_tier=src.get("risk_tier"),
        feed=src.get("feed") or "",
        imported_at=src.get("imported_at"),
    )


def export_query(
    since: str | None, min_count: int, category: str | None, kind: str | None
) -> dict[str, Any]:
    """The registry filter of an export (every filter exact: terms and ranges, no query text)."""
    filters: list[dict[str, Any]] = [{"range": {"complaint_count": {"gte": int(min_count)}}}]
    if since:
        filters.append({"range": {"last_seen": {"gte": to_utc_iso(since)}}})
    if category:
        filters.append({"term": {"categories": category}})
    if kind:
        filters.append({"term": {"kind": kind}})
    return {"bool": {"filter": filters}}


class SearchPartners(SearchIndices):
    """Export iteration and partner entries for the search-engine store (a mixin)."""

    def registry_entries(
        self,
        *,
        since: str | None = None,
        min_count: int = 1,
        category: str | None = None,
        kind: str | None = None,
    ) -> Iterator[RegistryEntry]:
        """Every registry entry last seen at or after ``since``, page by page (a scroll).

        No complaint ids: an export must never lead back to complainants. Abandoning the iterator
        releases the scroll.
        """
        self._ensure()
        self._refresh_if_written(self.registry_index, f"refreshing {self.registry_index}")
        body = {
            "query": export_query(since, min_count, category, kind),
            "sort": ["_doc"],
            "size": EXPORT_PAGE,
            "_source": {"excludes": ["sightings", "complaint_ids"]},
        }
        doing = "exporting the identifiers registry"
        with self._calls(doing):
            resp = self._client.search(index=self.registry_index, body=body, scroll=SCROLL_KEEP)
        scroll_id = resp.get("_scroll_id")
        try:
            while True:
                hits = resp["hits"]["hits"]
                for h in hits:
                    src = h["_source"]
                    yield documents.registry_entry(src["kind"], src["value"], src, with_ids=False)
                if len(hits) < EXPORT_PAGE or not scroll_id:
                    return
                with self._calls(doing):
                    resp = self._client.scroll(scroll_id=scroll_id, scroll=SCROLL_KEEP)
                scroll_id = resp.get("_scroll_id") or scroll_id
        finally:
            if scroll_id:
                try:
                    self._client.clear_scroll(scroll_id=scroll_id)
                except self._engine.errors as exc:  # it expires after SCROLL_KEEP anyway
                    log.debug("export scroll not released", extra={"reason": str(exc)})

    def import_partner_entries(self, entries: Sequence[PartnerEntry]) -> int:
        """Upsert partner entries by (agency, kind, value); return how many were new or changed."""
        docs = {partner_doc_id(e.agency, e.kind, e.value): partner_document(e) for e in entries}
        if not docs:
            return 0
        self._ensure()
        existing = self._mget(self.partners_index, list(docs), list(_FACTS))
        changed = [
            {"_index": self.partners_index, "_id": doc_id, "_source": doc}
            for doc_id, doc in docs.items()
            if doc_id not in existing or _facts(existing[doc_id]) != _facts(doc)
        ]
        if not changed:
            return 0
        items = self._bulk(changed, "importing partner entries")
        self._dirtied(self.partners_index)
        self._check(items, (200, 201), "importing partner entries", "partner entry")
        return len(changed)

    def partner_entries(
        self, keys: Sequence[tuple[str, str]]
    ) -> dict[tuple[str, str], list[PartnerEntry]]:
        """Partner entries for many (kind, value) keys, each list ordered by agency."""
        self._ensure()
        lookups = list(dict.fromkeys(documents.registry_doc_id(k, v) for k, v in keys))
        out: dict[tuple[str, str], list[PartnerEntry]] = {}
        for i in range(0, len(lookups), _KEYS_PER_QUERY):
            chunk = lookups[i : i + _KEYS_PER_QUERY]
            after: list[Any] | None = None
            while True:
                body: dict[str, Any] = {
                    "query": {"bool": {"filter": [{"terms": {"lookup": chunk}}]}},
                    "sort": [{"lookup": "asc"}, {"agency": "asc"}],
                    "size": _PAGE,
                }
                if after is not None:
                    body["search_after"] = after
                hits = self._search(self.partners_index, body, "reading partner entries")["hits"][
                    "hits"
                ]
                for h in hits:
                    entry = partner_entry(h["_source"])
                    out.setdefault((entry.kind, entry.value), []).append(entry)
                if len(hits) < _PAGE:
                    break
                after = hits[-1]["sort"]
        return out


def _facts(doc: dict[str, Any]) -> tuple[Any, ...]:
    values = []
    for name in _FACTS:
        v = doc.get(name)
        if name == "categories":
            v = tuple(sorted(v or ()))
        elif name == "risk_score" and v is not None:
            v = float(v)
        values.append(v)
    return tuple(values)
