"""What the search-engine store sends and reads back: templates, mappings, registry keys,
document shapes and query bodies.

Shared by Elasticsearch 8 and OpenSearch 2, which accept all of it unchanged;
:mod:`scamtrail.index.search_engine` sends it. Nothing here talks to a cluster.

The kinds of index per prefix ``P``:

- ``P complaints-v1`` behind the alias ``P complaints`` (the write index of that alias): one
  document per complaint, ``_id`` = complaint id. The template matches ``P complaints-*`` so a
  ``-v2`` built for a mapping change gets the same settings, and the alias moves to it in one step;
- ``P identifiers``: the registry, one document per identifier (``_id`` = ``kind:value``);
- ``P alerts``: one document per alert id;
- ``P partner-identifiers``: what other agencies shared, one document per (agency, kind, value);
- ``P marks``: investigators' verdicts (false positives), one document per identifier.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from scamtrail.index.base import MAX_CITED, MAX_RECENT, ComplaintHit, RegistryEntry, complainant_key

from scamtrail.records import Alert, Enriched, to_utc_iso

#: Analyzer for complaint texts: English and Hinglish (romanised Hindi) are mostly ASCII words, and
#: Devanagari is kept whole by the standard tokenizer. No stemming: an English stemmer mangles
#: Hinglish words, and citizens type numbers, names and codes that must match as written.
TEXT_ANALYZER = "scamtrail_text"
#: Lowercases and folds accents on keyword fields people type by hand (usernames).
KEYWORD_NORMALIZER = "scamtrail_lower"

#: Longest registry ``_id`` kept readable; longer ``kind:value`` keys (long URLs) are hashed, since
#: Elasticsearch and OpenSearch refuse ids over 512 bytes.
MAX_READABLE_ID_BYTES = 400

#: Keyword values longer than this are kept in ``_source`` but not indexed, so that one odd value
#: (a pasted essay in a URL field) cannot make a whole document fail.
IGNORE_ABOVE = 2048

#: Template priority: above the built-in templates of Elasticsearch (``logs-*-*`` and friends use
#: 100), so a prefix such as ``logs-`` can never turn our indices into data streams.
TEMPLATE_PRIORITY = 200


def registry_doc_id(kind: str, value: str) -> str:
    """The registry document id of one identifier: ``kind:value``, hashed when too long."""
    key = f"{kind}:{value}"
    if len(key.encode()) <= MAX_READABLE_ID_BYTES:
        return key
    return f"{kind}:sha256:{hashlib.sha256(value.encode()).hexdigest()}"


def _settings(refresh_interval: str) -> dict[str, Any]:
    return {
        "number_of_shards": 1,
        # 0 replicas on a single node (health green), 1 as soon as a second node joins.
        "auto_expand_replicas": "0-1",
        "refresh_interval": refresh_interval,
        "analysis": {
            "analyzer": {
                TEXT_ANALYZER: {
                    "type": "custom",
                    "tokenizer": "standard",
                    "filter": ["lowercase", "asciifolding"],
                }
            },
            "normalizer": {
                KEYWORD_NORMALIZER: {"type": "custom", "filter": ["lowercase", "asciifolding"]}
            },
        },
    }


def _keyword(**extra: Any) -> dict[str, Any]:
    return {"type": "keyword", "ignore_above": IGNORE_ABOVE, **extra}


_IDENTIFIER = {
    "properties": {
        "kind": _keyword(),
        "value": _keyword(),
        "text": _keyword(index=False),
        "start": {"type": "integer", "index": False},
        "end": {"type": "integer", "index": False},
    }
}

COMPLAINT_MAPPINGS: dict[str, Any] = {
    # New fields in the data contract are kept in _source but not indexed until the mapping
    # names them: a newer producer never makes this store reject complaints.
    "dynamic": False,
    "properties": {
        "schema": {"type": "integer"},
        "id": _keyword(),
        "source": _keyword(),
        "text": {"type": "text", "analyzer": TEXT_ANALYZER},
        "created_at": {"type": "date"},
        "received_at": {"type": "date"},
        "author": {
            "properties": {
                "id": _keyword(),
                "username": _keyword(normalizer=KEYWORD_NORMALIZER),
                "name": {
                    "type": "text",
                    "analyzer": TEXT_ANALYZER,
                    "fields": {"raw": _keyword()},
                },
            }
        },
        "lang": _keyword(),
        "url": _keyword(index=False),
        "raw": {"type": "object", "enabled": False},
        "category": _keyword(),
        # One float per label; labels come from the model, so they are mapped as they appear.
        "scores": {"type": "object", "dynamic": True},
        "identifiers": _IDENTIFIER,
        # Every identifier value of the complaint, for lookups by value alone ...
        "identifier_values": _keyword(),
        # ... and as "kind:value", for lookups that must not mix kinds.
        "identifier_keys": _keyword(),
        # Keys this complaint named in an earlier version and that the registry may still count
        # (see search_engine: reprocessing moves a complaint's identifiers).
        "stale_identifier_keys": _keyword(index=False),
        # Checked on arrival: identifiers known before this complaint and their counts then.
        "prior_matches": {
            "properties": {
                "kind": _keyword(),
                "value": _keyword(),
                "prior_count": {"type": "integer"},
            }
        },
        "entities": {
            "properties": {
                "label": _keyword(),
                "text": _keyword(),
                "value": _keyword(),
                "start": {"type": "integer", "index": False},
                "end": {"type": "integer", "index": False},
            }
        },
        "model": _keyword(),
    },
    "dynamic_templates": [
        {"scores": {"path_match": "scores.*", "mapping": {"type": "float"}}},
    ],
}

REGISTRY_MAPPINGS: dict[str, Any] = {
    "dynamic": False,
    "properties": {
        "key": _keyword(),
        "kind": _keyword(),
        "value": _keyword(),
        "complaint_count": {"type": "integer"},
        "complaint_ids": _keyword(),
        "first_seen": {"type": "date"},
        "last_seen": {"type": "date"},
        "categories": _keyword(),
        "complainants": {"type": "integer"},
        "sources": _keyword(),
        # complaint id -> [created_at, category, complainant, source]: what the counts are derived
        # from. Not indexed, so complaint ids never become mapped field names.
        "sightings": {"type": "object", "enabled": False},
    },
}

ALERT_MAPPINGS: dict[str, Any] = {
    "dynamic": False,
    "properties": {
        "schema": {"type": "integer"},
        "id": _keyword(),
        "rule": _keyword(),
        "level": {"type": "integer"},
        "identifier": _IDENTIFIER,
        "complaint_ids": _keyword(),
        "categories": _keyword(),
        "complaint_count": {"type": "integer"},
        "raised_at": {"type": "date"},
        "message": {"type": "text", "analyzer": TEXT_ANALYZER},
        "published": {"type": "boolean"},
    },
}

#: Identifiers other agencies shared with us, one document per (agency, kind, value); kept apart
#: from the registry so a partner's counts never change ours (see index/search_partners.py).
PARTNER_MAPPINGS: dict[str, Any] = {
    "dynamic": False,
    "properties": {
        "key": _keyword(),
        # registry_doc_id(kind, value): short even for a long value, so look-ups match exactly.
        "lookup": _keyword(),
        "agency": _keyword(),
        "kind": _keyword(),
        "value": _keyword(),
        "complaint_count": {"type": "integer"},
        "first_seen": {"type": "date"},
        "last_seen": {"type": "date"},
        "categories": _keyword(),
        "risk_score": {"type": "float"},
        "risk_tier": _keyword(),
        "feed": _keyword(),
        "imported_at": {"type": "date"},
    },
}

#: Investigators' verdicts (``scamtrail mark``), one document per identifier (``_id`` as in the
#: registry).
MARKS_MAPPINGS: dict[str, Any] = {
    "dynamic": False,
    "properties": {
        "kind": _keyword(),
        "value": _keyword(),
        "status": _keyword(),
        "reason": {"type": "text", "analyzer": TEXT_ANALYZER},
        "marked_by": _keyword(),
        "marked_at": {"type": "date"},
    },
}


def index_templates(prefix: str, refresh_interval: str) -> dict[str, dict[str, Any]]:
    """Template name -> composable index template body, for the three kinds of index."""
    settings = _settings(refresh_interval)

    def template(pattern: str, mappings: dict[str, Any], what: str) -> dict[str, Any]:
        return {
            "index_patterns": [pattern],
            "priority": TEMPLATE_PRIORITY,
            "template": {"settings": settings, "mappings": mappings},
            "_meta": {"managed_by": "scamtrail", "holds": what},
        }

    return {
        f"{prefix}complaints": template(
            f"{prefix}complaints-*", COMPLAINT_MAPPINGS, "complaints, one per complaint id"
        ),
        f"{prefix}identifiers": template(
            f"{prefix}identifiers", REGISTRY_MAPPINGS, "the identifiers registry"
        ),
        f"{prefix}alerts": template(f"{prefix}alerts", ALERT_MAPPINGS, "alerts, one per id"),
        f"{prefix}marks": template(f"{prefix}marks", MARKS_MAPPINGS, "verdicts on identifiers"),
        f"{prefix}partner-identifiers": template(
            f"{prefix}partner-identifiers", PARTNER_MAPPINGS, "identifiers other agencies shared"
        ),
    }


#: User text longer than this is cut before it becomes a match query (bounded clause count).
MAX_QUERY_CHARS = 1000
#: Complaint ids (the oldest) a registry entry returns in ``complaint_ids``: the cap of what a
#: RegistryUpdate carries and an alert cites, on both stores.
MAX_ENTRY_IDS = MAX_CITED
#: Largest page any query asks for (the engines' default ``max_result_window``).
MAX_PAGE = 10_000
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
]
_WORD = re.compile(r"\w", re.UNICODE)


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


def recent_sightings(src: dict[str, Any] | None) -> tuple[tuple[str, str, str], ...]:
    """(created_at, complaint id, category) of an entry's latest complaints, oldest first."""
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
        sightings = src.get("sightings")
        ordered = ordered_ids(sightings) if sightings else src.get("complaint_ids", [])
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


def complaint_hit(src: dict[str, Any], score: float | None = None) -> ComplaintHit:
    """A ComplaintHit from a complaint document."""
    return ComplaintHit(
        id=src["id"],
        created_at=src["created_at"],
        category=src.get("category", "other"),
        text=src.get("text", ""),
        author=src.get("author") or {},
        source=src.get("source", ""),
        identifiers=tuple(
            {"kind": i["kind"], "value": i["value"]} for i in src.get("identifiers") or ()
        ),
        score=score,
        prior_matches=tuple(src.get("prior_matches") or ()),
    )


def _size(limit: int) -> int:
    return max(0, min(int(limit), MAX_PAGE))


def search_body(
    query: str, category: str | None, since: str | None, until: str | None, limit: int
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
    return {
        "query": {"bool": {"must": must or [{"match_all": {}}], "filter": filters}},
        "sort": [{"created_at": "desc"}, {"_score": "desc"}, {"id": "asc"}],
        "track_scores": bool(must),
        "size": _size(limit),
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
        "size": _size(limit),
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


def alerts_body(limit: int, *, pending: bool) -> dict[str, Any]:
    """Pending alerts oldest first (the outbox), or all alerts newest first."""
    if pending:
        return {
            "query": {"bool": {"filter": [{"term": {"published": False}}]}},
            "sort": [{"raised_at": "asc"}, {"id": "asc"}],
            "size": _size(limit),
        }
    return {
        "query": {"match_all": {}},
        "sort": [{"raised_at": "desc"}, {"id": "asc"}],
        "size": _size(limit),
    }


def alert_document(alert: Alert) -> dict[str, Any]:
    """The indexed form of an alert: the record plus its ``published`` flag."""
    doc = alert.model_dump(mode="json", by_alias=True)
    doc["published"] = False
    return doc
