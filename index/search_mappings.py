"""The search-engine store's index templates: analysis settings and the mapping of each index.

Shared by Elasticsearch 8 and OpenSearch 2. The analysis needs only what every server ships (the
``standard`` tokenizer and the ``lowercase`` filter are built into both); folding accents
(``asciifolding``, from the ``analysis-common`` module) is added only when the cluster has it
(``folding=True``, decided by ``SearchIndices.has_folding`` in :mod:`scamtrail.index.search_indices`);
:mod:`scamtrail.index.search_indices` installs it. Nothing here talks to a cluster. What goes into
the documents is :mod:`scamtrail.index.search_documents`.

The kinds of index per prefix ``P``:

- ``P complaints-v1`` behind the alias ``P complaints`` (the write index of that alias): one
  document per complaint, ``_id`` = complaint id. The template matches ``P complaints-*`` so a
  ``-v2`` built for a mapping change gets the same settings, and the alias moves to it in one step;
- ``P identifiers``: the registry, one document per identifier (``_id`` = ``kind:value``);
- ``P alerts``: one document per alert id;
- ``P partner-identifiers``: what other agencies shared, one document per (agency, kind, value);
- ``P marks``: investigators' verdicts (false positives), one document per identifier;
- ``P registry-sightings``: the older sightings of busy registry entries, one document per link
  and per (identifier, complainant) (index/search_spill.py).
"""

from __future__ import annotations

from typing import Any

#: Analyzer for complaint texts: English and Hinglish (romanised Hindi) are mostly ASCII words, and
#: Devanagari is kept whole by the standard tokenizer. No stemming: an English stemmer mangles
#: Hinglish words, and citizens type numbers, names and codes that must match as written.
TEXT_ANALYZER = "scamtrail_text"
#: Lowercases (and folds accents, where the cluster can) keyword fields people type by hand.
KEYWORD_NORMALIZER = "scamtrail_lower"

#: Keyword values longer than this are kept in ``_source`` but not indexed, so that one odd value
#: (a pasted essay in a URL field) cannot make a whole document fail.
IGNORE_ABOVE = 2048

#: The token filters every Elasticsearch and OpenSearch server has built in, and the one refinement
#: that needs the analysis-common module (present in full distributions, absent from a node built
#: from the server jar alone).
BUILT_IN_FILTERS = ["lowercase"]
FOLDING_FILTER = "asciifolding"

#: Template priority: above the built-in templates of Elasticsearch (``logs-*-*`` and friends use
#: 100), so a prefix such as ``logs-`` can never turn our indices into data streams.
TEMPLATE_PRIORITY = 200


def analysis_filters(folding: bool) -> list[str]:
    """The token filters of the text analyzer and the keyword normalizer."""
    return [*BUILT_IN_FILTERS, FOLDING_FILTER] if folding else list(BUILT_IN_FILTERS)


def _settings(refresh_interval: str, folding: bool) -> dict[str, Any]:
    filters = analysis_filters(folding)
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
                    "filter": filters,
                }
            },
            "normalizer": {KEYWORD_NORMALIZER: {"type": "custom", "filter": filters}},
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
        # The classifier was unsure of the category (complaints indexed before it: absent).
        "needs_review": {"type": "boolean"},
        # One float per label; labels come from the model, so they are mapped as they appear.
        "scores": {"type": "object", "dynamic": True},
        "identifiers": _IDENTIFIER,
        # Every identifier value of the complaint, for lookups by value alone ...
        "identifier_values": _keyword(),
        # ... and as "kind:value", for lookups that must not mix kinds.
        "identifier_keys": _keyword(),
        # Keys this complaint named in an earlier version and that the registry may still count
        # (see search_writes: reprocessing moves a complaint's identifiers).
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

#: Sightings a busy registry entry no longer keeps itself: one document per link (identifier,
#: complaint), and one per (identifier, complainant) without a complaint id (index/search_spill.py).
SIGHTINGS_MAPPINGS: dict[str, Any] = {
    "dynamic": False,
    "properties": {
        "key": _keyword(),
        "complaint_id": _keyword(),
        "complainant": _keyword(),
        # [created_at, category, complainant, source], as in a registry entry's sightings
        "sighting": {"type": "keyword", "index": False, "doc_values": False},
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


#: Links between identifiers, one document per complaint naming two or more (see
#: index/search_links.py). ``created_at`` is a keyword: first/last seen are the stored strings.
LINK_MAPPINGS: dict[str, Any] = {
    "dynamic": False,
    "properties": {
        "complaint_id": _keyword(),
        # ``kind:value`` keys, unhashed so aggregations name them; Lucene takes terms up to
        # 32766 bytes, and 8000 characters of UTF-8 stay below that.
        "keys": _keyword(ignore_above=8000),
        "created_at": _keyword(),
        "category": _keyword(),
    },
}


def index_templates(
    prefix: str, refresh_interval: str, folding: bool = False
) -> dict[str, dict[str, Any]]:
    """Template name -> composable index template body, for each kind of index."""
    settings = _settings(refresh_interval, folding)

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
        f"{prefix}registry-sightings": template(
            f"{prefix}registry-sightings", SIGHTINGS_MAPPINGS, "sightings of busy identifiers"
        ),
        f"{prefix}marks": template(f"{prefix}marks", MARKS_MAPPINGS, "verdicts on identifiers"),
        f"{prefix}links": template(
            f"{prefix}links", LINK_MAPPINGS, "links between identifiers, one per complaint"
        ),
        f"{prefix}partner-identifiers": template(
            f"{prefix}partner-identifiers", PARTNER_MAPPINGS, "identifiers other agencies shared"
        ),
    }
