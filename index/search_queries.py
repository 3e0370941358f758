"""Reading the search-engine store: lookups by id, searches, rankings and counts.

``lookup`` and ``registry`` read registry entries and complaints by id (real-time GET), never
through search, so they see every write at once. ``search``, ``top_identifiers`` and ``stats``
search, and see other processes' writes within the refresh interval (their own at once:
:meth:`~scamtrail.index.search_client.SearchClient._search`). The query bodies they send are built
here by plain functions; user text is only ever analysed as words, never parsed as query syntax.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from scamtrail.index.base import ComplaintHit, LookupResult, RegistryEntry, Stats
from scamtrail.index.search_documents import (
    COMPLAINT_FIELDS,
    ordered_ids,
    registry_doc_id,
    registry_entry,
)
from scamtrail.index.search_indices import SearchIndices

from scamtrail.records import to_utc_iso

#: User text longer than this is cut before it becomes a match query (bounded clause count).
MAX_QUERY_CHARS = 1000
#: Largest page any query asks for (the engines' default ``max_result_window``).
MAX_PAGE = 10_000
_WORD = re.compile(r"\w", re.UNICODE)


def page_size(limit: int) -> int:
    """``limit`` as a query's ``size``: never negative, never past :data:`MAX_PAGE`."""
    return max(0, min(int(limit), MAX_PAGE))


def search_body(
    query: str,
    category: str | None,
    since: str | None,
    until: str | None,
    limit: int,
    needs_review: bool | None = None,
    source: str | None = None,
) -> dict[str, Any]:
    """The complaint search: every word of the user's text, filters, newest first.

    The text goes into a ``match`` query (operator ``and``), which analyses it as plain words:
    no query syntax is ever interpreted, so neither query DSL nor Lucene syntax can be injected.
    Text without a word character matches every complaint, as in the SQLite store. Complaints
    are ordered newest first like the SQLite store; the match score breaks ties.
    """
    text = query[:MAX_QUERY_CHARS]
    must: list[dict[str, Any]] = []
    if _WORD.search(text):
        must.append({"match": {"text": {"query": text, "operator": "and"}}})
    filters: list[dict[str, Any]] = []
    if category:
        filters.append({"term": {"category": category}})
    dates = {}
    if since:
        dates["gte"] = to_utc_iso(since)
    if until:
        dates["lt"] = to_utc_iso(until)
    if dates:
        filters.append({"range": {"created_at": dates}})
    if source:
        filters.append({"term": {"source": source}})
    unsure = {"term": {"needs_review": True}}
    must_not = [unsure] if needs_review is False else []  # absent (older complaints) is False
    if needs_review:
        filters.append(unsure)
    return {
        "query": {
            "bool": {"must": must or [{"match_all": {}}], "filter": filters, "must_not": must_not}
        },
        "sort": [{"created_at": "desc"}, {"_score": "desc"}, {"id": "asc"}],
        "track_scores": bool(must),
        "size": page_size(limit),
        "_source": COMPLAINT_FIELDS,
    }


def top_identifiers_body(limit: int, min_count: int, kind: str | None) -> dict[str, Any]:
    """Registry entries with at least ``min_count`` complaints, most named first."""
    filters: list[dict[str, Any]] = [{"range": {"complaint_count": {"gte": int(min_count)}}}]
    if kind:
        filters.append({"term": {"kind": kind}})
    return {
        "query": {"bool": {"filter": filters}},
        "sort": [{"complaint_count": "desc"}, {"last_seen": "desc"}, {"value": "asc"}],
        "size": page_size(limit),
        "_source": {"excludes": ["sightings", "complaint_ids"]},
    }


#: Complaint count and complaints per category.
COMPLAINT_STATS_BODY = {
    "size": 0,
    "track_total_hits": True,
    "aggs": {"by": {"terms": {"field": "category", "size": 100}}},
}
#: Identifier count, identifiers per kind and identifiers named in two complaints or more.
REGISTRY_STATS_BODY = {
    "size": 0,
    "track_total_hits": True,
    "aggs": {
        "by": {"terms": {"field": "kind", "size": 100}},
        "repeats": {"filter": {"range": {"complaint_count": {"gte": 2}}}},
    },
}
#: Alert count.
COUNT_BODY = {"size": 0, "track_total_hits": True}


class SearchQueries(SearchIndices):
    """Lookups, searches and counts of the search-engine store (a mixin; see the module)."""

    def lookup(
        self, kind: str, value: str, limit: int = 100, newest_first: bool = False
    ) -> LookupResult:
        """The registry entry for (kind, value) and the complaints naming it, oldest first
        (or the latest, newest first)."""
        self._ensure()
        doc_id = registry_doc_id(kind, value)
        src = self._mget(self.registry_index, [doc_id]).get(doc_id)
        if not src:
            return LookupResult(kind, value, 0, None, None, (), ())
        ids = self._entry_ids(doc_id, src, max(0, int(limit)), newest_first)
        docs = self._mget(self.complaints_alias, ids, COMPLAINT_FIELDS)
        entry = registry_entry(kind, value, src, with_ids=False)
        return LookupResult.of(
            entry, [ComplaintHit.from_document(docs[i]) for i in ids if i in docs]
        )

    def complaint_days(self, kind: str, value: str) -> dict[str, int]:
        """Complaints naming (kind, value) per UTC day: from its registry document's sightings, or,
        for an entry whose older sightings are spilled (search_spill), from the complaints."""
        self._ensure()
        doc_id = registry_doc_id(kind, value)
        src = self._mget(self.registry_index, [doc_id]).get(doc_id) or {}
        if src.get("spilled"):
            body = {
                "size": 0,
                "query": {"term": {"identifier_keys": src["key"]}},
                "aggs": {
                    "days": {"date_histogram": {"field": "created_at", "calendar_interval": "day"}}
                },
            }
            found = self._search(self.complaints_alias, body, f"counting the days of {doc_id}")
            return {
                b["key_as_string"][:10]: b["doc_count"]
                for b in found["aggregations"]["days"]["buckets"]
                if b["doc_count"]
            }
        days: dict[str, int] = {}
        for first, *_ in (src.get("sightings") or {}).values():
            days[first[:10]] = days.get(first[:10], 0) + 1
        return days

    def _entry_ids(
        self, doc_id: str, src: dict[str, Any], limit: int, newest_first: bool = False
    ) -> list[str]:
        """The ids of an entry's complaints, oldest first (or newest first), up to ``limit``: from
        its sightings, or, for an entry whose older sightings are spilled (search_spill), the
        complaints."""
        if not src.get("spilled"):
            ordered = ordered_ids(src.get("sightings") or {})
            return (ordered[::-1] if newest_first else ordered)[:limit]
        if not newest_first and limit <= len(src.get("complaint_ids") or ()):
            return list(src["complaint_ids"][:limit])
        order = "desc" if newest_first else "asc"
        body = {
            "query": {"term": {"identifier_keys": src["key"]}},
            "sort": [{"created_at": order}, {"id": order}],
            "size": page_size(limit),
            "_source": False,
        }
        hits = self._search(self.complaints_alias, body, f"listing the complaints of {doc_id}")
        return [h["_id"] for h in hits["hits"]["hits"]]

    def registry(self, kind: str, values: Sequence[str]) -> dict[str, RegistryEntry]:
        """Registry entries for many values of one kind (real-time reads by id)."""
        self._ensure()
        wanted = {registry_doc_id(kind, v): v for v in values}
        found = self._mget(self.registry_index, list(wanted))
        return {wanted[d]: registry_entry(kind, wanted[d], src) for d, src in found.items()}

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
        """Complaints whose text has every word of ``query``, newest first, with filters.

        ``query`` is analysed as plain words, never parsed as query syntax (:func:`search_body`).
        """
        self._ensure()
        body = search_body(query, category, since, until, limit, needs_review, source)
        resp = self._search(self.complaints_alias, body, "searching complaints")
        scored = body["track_scores"]
        return [
            ComplaintHit.from_document(h["_source"], h.get("_score") if scored else None)
            for h in resp["hits"]["hits"]
        ]

    def top_identifiers(
        self, limit: int = 20, min_count: int = 2, kind: str | None = None
    ) -> list[RegistryEntry]:
        """The identifiers named in the most distinct complaints (ties: most recent first)."""
        self._ensure()
        body = top_identifiers_body(limit, min_count, kind)
        hits = self._search(self.registry_index, body, "ranking identifiers")["hits"]["hits"]
        return [
            registry_entry(h["_source"]["kind"], h["_source"]["value"], h["_source"], False)
            for h in hits
        ]

    def stats(self) -> Stats:
        """Complaint, identifier and alert counts, by category and by kind."""
        self._ensure()
        c = self._search(self.complaints_alias, COMPLAINT_STATS_BODY, "counting complaints")
        r = self._search(self.registry_index, REGISTRY_STATS_BODY, "counting identifiers")
        a = self._search(self.alerts_index, COUNT_BODY, "counting alerts")
        return Stats(
            complaints=c["hits"]["total"]["value"],
            identifiers=r["hits"]["total"]["value"],
            by_category={b["key"]: b["doc_count"] for b in c["aggregations"]["by"]["buckets"]},
            by_kind={b["key"]: b["doc_count"] for b in r["aggregations"]["by"]["buckets"]},
            repeat_identifiers=r["aggregations"]["repeats"]["doc_count"],
            alerts=a["hits"]["total"]["value"],
        )
