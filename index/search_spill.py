"""Registry entries of busy identifiers: a bounded document, older sightings spilled aside.

A registry entry keeps its sightings inline (``sightings``: complaint id -> [created_at,
category, complainant, source]) while it has at most :data:`MAX_INLINE` of them, and derives every
field from them (:func:`~scamtrail.index.search_documents.registry_document`). Past that the entry
is *spilled*: it keeps the :data:`MAX_INLINE` sightings applied last, and the older ones move to
the ``<prefix>registry-sightings`` index: one document per spilled link (identifier, complaint)
with its sighting, and one per (identifier, complainant) saying that complainant has one. A spilled entry's fields are then *updated* by each batch (count,
first/last seen, categories, sources, complainants, the oldest complaint ids and the newest
sightings) instead of derived, so writing to an identifier seen 100,000 times costs what writing
to one seen 300 times does: the entry document stays the same size and nothing of its history is
read beyond the documents of the batch's own links and complainants. Each of those documents has
one content for its id, so they are written without versions: repeated, resent or raced writes
leave the same documents.

Counts stay exact because membership is checked, never assumed: a batch's link (identifier,
complaint) is new when neither the entry's inline sightings nor a link document holds it; a
complainant is new when neither the inline sightings nor a complainant document names them. Sightings move
out of the entry only after the sightings documents hold them (``_write_spill`` runs before the
entry is written), so at every moment every counted link is in one place or both.

The rare changes that cannot be applied as an update (a spilled complaint that loses the
identifier, whose date, category, complainant or source changed, or that a crash left half
written) *derive* the entry again from all of its sightings: the sightings index is refreshed
and read whole for that identifier (:meth:`SearchSpill._all_sightings`). Documents a derivation
no longer needs are deleted after the entry is written; a crash in between leaves a link
document of a complaint that no longer names the identifier, which the complaint's redelivery
(its stale key) deletes. Until then a derivation by another writer would count it again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from typing import Any

from scamtrail.index import search_documents as documents
from scamtrail.index.base import MAX_RECENT
from scamtrail.index.search_documents import registry_document
from scamtrail.index.search_indices import SearchIndices

#: Most sightings an entry keeps inline; past that, the older ones are spilled.
MAX_INLINE = 200

Sighting = list[str]  # [created_at, category, complainant, source]


def link_doc_id(registry_id: str, cid: str) -> str:
    """The sightings-index document of one spilled link (identifier, complaint)."""
    return _doc_id("link", registry_id, cid)


def person_doc_id(registry_id: str, complainant: str) -> str:
    """The sightings-index document saying ``complainant`` has a spilled link to the entry."""
    return _doc_id("person", registry_id, complainant)


def _doc_id(*parts: str) -> str:
    # hashed: identifier values may hold any character, and ids stay short
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()


def member_ids(registry_id: str, add: dict[str, list[str]], remove: Iterable[str] = ()) -> set[str]:
    """The documents telling whether the links in ``add`` and ``remove`` and the complainants of
    ``add`` are known."""
    out = {link_doc_id(registry_id, cid) for cid in (*add, *remove)}
    out.update(person_doc_id(registry_id, complainant_of(v)) for v in add.values())
    return out


def complainant_of(seen: Sighting) -> str:
    """The complainant field of a sighting ("" when the complaint has none)."""
    return seen[2] if len(seen) > 2 else ""


def is_spilled(src: dict[str, Any] | None) -> bool:
    """Whether a registry document keeps part of its sightings in the sightings index."""
    return bool(src and src.get("spilled"))


def known_links(records: Iterable[Any], pairs: dict[str, list[tuple[str, str]]], previous: dict):
    """key -> complaint ids whose stored version already named it: links a spilled entry may
    hold under another complainant (reprocessed) or not at all (a crash between the complaint
    and registry writes). Those are checked against all of the entry's sightings."""
    out: dict[str, set[str]] = {}
    for r in records:
        old = previous.get(r.id)
        if not old:
            continue
        had = set(old.get("identifier_keys") or ())
        for kind, value in pairs[r.id]:
            key = documents.identifier_key(kind, value)
            if key in had:
                out.setdefault(key, set()).add(r.id)
    return out


def _order(created_at: str, cid: str) -> str:
    return f"{created_at} {cid}"


def spilled_document(
    doc: dict[str, Any], sightings: dict[str, Sighting], inline: dict[str, Sighting], new: int
) -> tuple[dict[str, Any], dict[str, Sighting]]:
    """(``doc``, the entry derived from all of its ``sightings``, made spilled; the sightings to
    move out). ``inline`` is what the entry keeps, in the order applied; the oldest applied past
    :data:`MAX_INLINE` are moved out."""
    ordered = sorted(sightings.items(), key=lambda kv: _order(kv[1][0], kv[0]))
    doc["oldest"] = [[v[0], cid] for cid, v in ordered[: documents.MAX_ENTRY_IDS]]
    doc["recent"] = [[v[0], cid, v[1]] for cid, v in ordered[-MAX_RECENT:]]
    return _with_inline(doc, inline, new)


def _with_inline(
    doc: dict[str, Any], inline: dict[str, Sighting], new: int
) -> tuple[dict[str, Any], dict[str, Sighting]]:
    """Keep ``inline`` in ``doc`` less the oldest applied past MAX_INLINE, never the last
    ``new`` (the batch's own links: only links an entry counts already may move out, since a
    refused entry write must leave none of its links counted)."""
    items = list(inline.items())
    cut = max(0, min(len(items) - MAX_INLINE, len(items) - new))
    doc["sightings"] = dict(items[cut:])
    doc["spilled"] = True
    return doc, dict(items[:cut])


def update_spilled(
    src: dict[str, Any],
    fresh: dict[str, Sighting],
    known_complainants: set[str],
) -> tuple[dict[str, Any], dict[str, Sighting]]:
    """(a spilled entry with ``fresh`` links added, the sightings to move out).

    ``fresh`` are links the entry holds nowhere; ``known_complainants`` the complainants of
    theirs that already have a sightings document of this entry.
    """
    doc = dict(src)
    inline = dict(src.get("sightings") or {})
    known = {complainant_of(v) for v in inline.values()} | known_complainants
    new_people = set()
    for v in fresh.values():
        person = complainant_of(v)
        if person and person not in known:
            new_people.add(person)
            known.add(person)
    seen = [v[0] for v in fresh.values()]
    doc["complaint_count"] = int(src.get("complaint_count", 0)) + len(fresh)
    doc["first_seen"] = min([*seen, src["first_seen"]] if src.get("first_seen") else seen)
    doc["last_seen"] = max([*seen, src["last_seen"]] if src.get("last_seen") else seen)
    doc["categories"] = sorted({*src.get("categories", ()), *(v[1] for v in fresh.values())})
    sources = {v[3] for v in fresh.values() if len(v) > 3 and v[3]}
    doc["sources"] = sorted({*src.get("sources", ()), *sources})
    doc["complainants"] = int(src.get("complainants") or 0) + len(new_people)
    oldest = [*src.get("oldest", ()), *([v[0], cid] for cid, v in fresh.items())]
    oldest.sort(key=lambda p: _order(p[0], p[1]))
    doc["oldest"] = oldest[: documents.MAX_ENTRY_IDS]
    doc["complaint_ids"] = [cid for _, cid in doc["oldest"]]
    recent = [*src.get("recent", ()), *([v[0], cid, v[1]] for cid, v in fresh.items())]
    recent.sort(key=lambda p: _order(p[0], p[1]))
    doc["recent"] = recent[-MAX_RECENT:]
    inline.update(fresh)
    return _with_inline(doc, inline, len(fresh))


class SearchSpill(SearchIndices):
    """Reads and writes of the registry's sightings index (a mixin; see the module docstring)."""

    def _spill_members(self, doc_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        """Sightings-index documents by id (real-time; absent ones left out)."""
        return self._mget(self.sightings_index, doc_ids)

    def _all_sightings(self, key: str) -> tuple[dict[str, Sighting], set[str], dict[str, str]]:
        """(every spilled sighting of ``key`` by complaint id, their document ids, the
        complainant documents by complainant).

        Refreshes the sightings index first, so that other writers' spills are seen: the
        rare path of a change an update cannot express.
        """
        c = self._client
        links: dict[str, Sighting] = {}
        people: dict[str, str] = {}
        ids: set[str] = set()
        with self._calls(f"reading the sightings of {key}"):
            c.indices.refresh(index=self.sightings_index)
            body = {"size": 1000, "query": {"term": {"key": key}}, "sort": ["_doc"]}
            page = c.search(index=self.sightings_index, body=body, scroll="1m")
            scroll_id = page.get("_scroll_id")
            try:
                while page["hits"]["hits"]:
                    for hit in page["hits"]["hits"]:
                        src = hit["_source"]
                        if "complaint_id" in src:
                            links[src["complaint_id"]] = src["sighting"]
                            ids.add(hit["_id"])
                        else:
                            people[src["complainant"]] = hit["_id"]
                    page = c.scroll(scroll_id=scroll_id, scroll="1m")
                    scroll_id = page.get("_scroll_id", scroll_id)
            finally:
                if scroll_id:
                    c.clear_scroll(scroll_id=scroll_id)
        return links, ids, people

    def _write_spill(self, changes: Iterable[tuple[str, str, dict[str, Sighting], Any]]) -> None:
        """Apply (key, registry id, links to spill, sightings-index document ids to delete).

        Every document has one content for its id, so a write repeated, resent or raced by
        another writer leaves the same documents: no versions needed.
        """
        actions: dict[str, dict[str, Any]] = {}
        for key, registry_id, add, drop in changes:
            for doc_id in drop:
                actions[doc_id] = {"_op_type": "delete", "_id": doc_id}
            for cid, v in add.items():
                person = complainant_of(v)
                link = {"key": key, "complaint_id": cid, "complainant": person, "sighting": v}
                actions[link_doc_id(registry_id, cid)] = {
                    "_id": link_doc_id(registry_id, cid),
                    "_source": link,
                }
                actions[person_doc_id(registry_id, person)] = {
                    "_id": person_doc_id(registry_id, person),
                    "_source": {"key": key, "complainant": person},
                }
        if not actions:
            return
        bulk = [{"_index": self.sightings_index, **a} for a in actions.values()]
        items = self._bulk(bulk, "spilling registry sightings")
        self._dirtied(self.sightings_index)
        self._check(items, (200, 201, 404), "spilling registry sightings", "sightings document")

    def _spilled_change(
        self,
        key: str,
        registry_id: str,
        src: dict[str, Any] | None,
        add: dict[str, Sighting],
        remove: set[str],
        members: dict[str, dict[str, Any]],
        maybe_known: set[str],
    ) -> tuple[bool, dict[str, Any] | None, set[str], dict[str, Sighting], list[str]]:
        """One spilled (or spilling) entry's change: (changed, document after, complaint ids new
        to it, sightings to move out before it is written, sightings-index documents to delete
        after). ``members`` holds the sightings-index documents of the batch's links and
        complainants (:func:`member_ids`)."""
        inline = (src or {}).get("sightings") or {}
        if not is_spilled(src):  # past MAX_INLINE for the first time: derived, then spilled
            sightings = {
                cid: v for cid, v in inline.items() if cid not in remove and cid not in add
            }
            sightings.update(add)
            doc = registry_document(key, sightings)
            doc, out = spilled_document(doc, sightings, sightings, len(add))
            return True, doc, {c for c in add if c not in inline}, out, []
        assert src is not None
        fresh: dict[str, Sighting] = {}
        # a removal changes the entry only if it holds the link (a stale key is sent again
        # on every rewrite of its complaint)
        derive = any(c in inline or link_doc_id(registry_id, c) in members for c in remove)
        for cid, v in add.items():
            have = inline.get(cid)
            if have is None:
                have = members.get(link_doc_id(registry_id, cid), {}).get("sighting")
            if have is None:
                derive = derive or cid in maybe_known  # stored before: held elsewhere, or lost
                fresh[cid] = v
            elif have != v:
                derive = True
        if not derive:
            if not fresh:
                return False, src, set(), {}, []
            people = {
                complainant_of(v)
                for v in fresh.values()
                if person_doc_id(registry_id, complainant_of(v)) in members
            }
            doc, out = update_spilled(src, fresh, people)
            return True, doc, set(fresh), out, []
        spilled, _, people = self._all_sightings(key)
        sightings = {**spilled, **inline}
        known = set(sightings)
        for cid in remove:
            sightings.pop(cid, None)
        sightings.update(add)
        present = {complainant_of(v) for v in sightings.values()}
        drop = [link_doc_id(registry_id, c) for c in spilled if c in remove or c in add]
        drop += [d for person, d in people.items() if person not in present]
        new = {c for c in add if c not in known}
        if not sightings:
            return True, None, new, {}, drop
        kept = {c: v for c, v in inline.items() if c not in remove and c not in add}
        kept.update(add)
        doc = registry_document(key, sightings)
        doc, out = spilled_document(doc, sightings, kept, len(add))
        return True, doc, new, out, drop
