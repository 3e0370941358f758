"""The store interface every backend implements (SQLite, Elasticsearch/OpenSearch).

A store keeps three things:

- **complaints**: every Enriched record, written idempotently by complaint id (a redelivered
  complaint overwrites itself), searchable in full text with category and date filters;
- **the identifiers registry**: one entry per (kind, value) with first/last seen, the number of
  *distinct* complaints that name it and their categories. Counts are derived from distinct
  complaint ids, never incremented blindly, so at-least-once delivery never inflates them;
- **alerts**: raised once per alert id (identifier + rule + level), durably deduplicated, and kept
  as an outbox until published: the index stage records alerts, publishes the pending ones, marks
  them published, then commits its offsets, so a crash anywhere loses no alert (a redelivery may
  publish one twice, with the same id).

``write`` returns, for every identifier the batch touched, the registry entry before and after the
write, which the index stage uses to check complaints on arrival and to raise alerts.
"""

from __future__ import annotations

import abc
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from scamtrail.index.links import Link, Ring

from scamtrail.records import Alert, Enriched
from scamtrail.resources import Closeable


def complainant_key(record: Enriched) -> str | None:
    """Who complained, for counting distinct complainants: the author id, else ``@username``."""
    author = record.author
    if author.id:
        return author.id
    return f"@{author.username.lower()}" if author.username else None


@dataclass(frozen=True, slots=True)
class RegistryEntry:
    """What the registry knows about one identifier."""

    kind: str
    value: str
    complaint_count: int
    first_seen: str | None
    last_seen: str | None
    categories: tuple[str, ...] = ()
    complaint_ids: tuple[str, ...] = ()
    complainants: int = 0  # distinct complaint authors naming it
    sources: tuple[str, ...] = ()  # distinct complaint sources (x, http, replay, ...)

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form, as ``scamtrail lookup --json`` and the API print it."""
        return {
            "identifier": {"kind": self.kind, "value": self.value},
            "complaint_count": self.complaint_count,
            "first_seen": self.first_seen,
            "last_seen": self.last_seen,
            "categories": list(self.categories),
            "complainants": self.complainants,
            "sources": list(self.sources),
        }


@dataclass(frozen=True, slots=True)
class PartnerEntry:
    """An identifier another agency shared with us (``scamtrail import``), kept apart from ours.

    One entry per (agency, kind, value); importing the agency's feed again replaces it. Partner
    entries never change our own registry counts.
    """

    agency: str
    kind: str
    value: str
    complaint_count: int
    first_seen: str | None
    last_seen: str | None
    categories: tuple[str, ...] = ()
    risk_score: float | None = None
    risk_tier: str | None = None
    feed: str = ""  # where it came from: the file or feed name
    imported_at: str | None = None


@dataclass(frozen=True, slots=True)
class IdentifierMark:
    """An investigator's verdict on an identifier (``scamtrail mark``); suppresses alerts."""

    kind: str
    value: str
    status: str  # "false_positive"
    reason: str
    marked_by: str
    marked_at: str


@dataclass(frozen=True, slots=True)
class RegistryUpdate:
    """One identifier touched by a write: its count before the batch and its entry after."""

    before_count: int
    entry: RegistryEntry
    new_complaint_ids: tuple[str, ...]
    #: (created_at, complaint id, category) of the entry's latest complaints (up to
    #: MAX_RECENT), oldest first: what time-window alert rules (velocity) look at.
    recent: tuple[tuple[str, str, str], ...] = ()


#: Most sightings a RegistryUpdate carries in ``recent``: enough for any burst a velocity rule
#: looks for, and few enough that what a batch hands the rules stays the same size however often
#: an identifier repeats (the index stage's memory stays flat as the store grows).
MAX_RECENT = 100
#: Most complaint ids (the oldest) a RegistryUpdate's entry carries, so most an alert cites; the
#: alert's ``complaint_count`` is the full count, and a lookup lists every complaint.
MAX_CITED = 100


@dataclass(frozen=True, slots=True)
class ComplaintHit:
    """A complaint as lookups and searches return it."""

    id: str
    created_at: str
    category: str
    text: str
    author: dict[str, str | None]
    source: str = ""
    identifiers: tuple[dict[str, str], ...] = ()
    score: float | None = None
    #: Checked on arrival: its identifiers already known before it, with their counts then
    #: ({"kind", "value", "prior_count"}); identifiers new with it are not listed.
    prior_matches: tuple[dict[str, object], ...] = ()
    #: The classifier was unsure of ``category`` (see ``Enriched.needs_review``).
    needs_review: bool = False

    @classmethod
    def from_document(cls, doc: Mapping[str, Any], score: float | None = None) -> ComplaintHit:
        """A hit from a stored complaint: the record's JSON plus its ``prior_matches``.

        Both stores keep that JSON (SQLite in ``complaints.doc``, the search engine as
        ``_source``), so both build their hits here.
        """
        return cls(
            id=doc["id"],
            created_at=doc["created_at"],
            category=doc.get("category", "other"),
            text=doc.get("text", ""),
            author=doc.get("author") or {},
            source=doc.get("source", ""),
            identifiers=tuple(
                {"kind": i["kind"], "value": i["value"]} for i in doc.get("identifiers") or ()
            ),
            score=score,
            prior_matches=tuple(doc.get("prior_matches") or ()),
            needs_review=bool(doc.get("needs_review", False)),
        )

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form."""
        return {
            "id": self.id,
            "created_at": self.created_at,
            "category": self.category,
            "text": self.text,
            "author": self.author,
            "source": self.source,
            "identifiers": [dict(i) for i in self.identifiers],
            "prior_matches": [dict(m) for m in self.prior_matches],
            "needs_review": self.needs_review,
        }


@dataclass(frozen=True, slots=True)
class LookupResult:
    """Everything known about one identifier: its registry entry and the complaints naming it."""

    kind: str
    value: str
    complaint_count: int
    first_seen: str | None
    last_seen: str | None
    categories: tuple[str, ...]
    complaints: tuple[ComplaintHit, ...]
    complainants: int = 0
    sources: tuple[str, ...] = ()

    @classmethod
    def of(cls, entry: RegistryEntry, complaints: Sequence[ComplaintHit] = ()) -> LookupResult:
        """The answer of a lookup: ``entry`` (count 0 for an unknown identifier) and its
        complaints."""
        return cls(
            entry.kind,
            entry.value,
            entry.complaint_count,
            entry.first_seen,
            entry.last_seen,
            entry.categories,
            tuple(complaints),
            complainants=entry.complainants,
            sources=entry.sources,
        )

    def entry(self) -> RegistryEntry:
        """The registry entry part (without complaint ids), e.g. to assess its risk."""
        return RegistryEntry(
            self.kind,
            self.value,
            self.complaint_count,
            self.first_seen,
            self.last_seen,
            self.categories,
            complainants=self.complainants,
            sources=self.sources,
        )

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form (the ``scamtrail lookup --json`` contract): the registry entry's form
        plus the complaints."""
        return {
            **self.entry().to_dict(),
            "complaints": [
                {k: v for k, v in c.to_dict().items() if k in _LOOKUP_FIELDS}
                for c in self.complaints
            ],
        }


_LOOKUP_FIELDS = ("id", "created_at", "category", "text", "author", "prior_matches")


@dataclass(frozen=True, slots=True)
class Stats:
    """Counts for ``scamtrail stats``."""

    complaints: int
    identifiers: int
    by_category: dict[str, int] = field(default_factory=dict)
    by_kind: dict[str, int] = field(default_factory=dict)
    repeat_identifiers: int = 0
    alerts: int = 0

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form."""
        return {
            "complaints": self.complaints,
            "identifiers": self.identifiers,
            "by_category": dict(self.by_category),
            "by_kind": dict(self.by_kind),
            "repeat_identifiers": self.repeat_identifiers,
            "alerts": self.alerts,
        }


class Store(Closeable):
    """A complaint store with an identifiers registry. See the module docstring."""

    name: str = "store"

    @abc.abstractmethod
    def setup(self) -> None:
        """Create tables, indices or templates if missing. Safe to call repeatedly."""

    @abc.abstractmethod
    def write(self, batch: Sequence[Enriched]) -> list[RegistryUpdate]:
        """Write complaints idempotently and update the registry; return the touched entries.

        Raises StoreError (``retriable`` when trying again may succeed). Nothing of a failed batch
        may be counted twice when it is written again.
        """

    @abc.abstractmethod
    def lookup(
        self, kind: str, value: str, limit: int = 100, newest_first: bool = False
    ) -> LookupResult:
        """The registry entry for (kind, normalised value) and the complaints naming it: the
        first ``limit``, oldest first, or with ``newest_first`` the latest, newest first. An
        unknown identifier gives a result with ``complaint_count`` 0 and no complaints."""

    @abc.abstractmethod
    def registry(self, kind: str, values: Sequence[str]) -> dict[str, RegistryEntry]:
        """Registry entries for many values of one kind at once (unknown values are absent)."""

    @abc.abstractmethod
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
        """Full-text search over complaint texts, newest and best first, with filters.

        ``query`` is user text, never query syntax: it cannot inject SQL or query DSL. An empty
        query matches every complaint that passes the filters. ``needs_review`` keeps only the
        complaints whose category the classifier was unsure of (True) or sure of (False);
        ``source`` only the complaints from that source (``x``, ``intake``, ...).
        """

    @abc.abstractmethod
    def top_identifiers(
        self, limit: int = 20, min_count: int = 2, kind: str | None = None
    ) -> list[RegistryEntry]:
        """The identifiers named in the most distinct complaints."""

    @abc.abstractmethod
    def stats(self) -> Stats:
        """Complaint, identifier and alert counts."""

    @abc.abstractmethod
    def record_alerts(self, alerts: Sequence[Alert]) -> list[Alert]:
        """Store alerts durably; return only those whose id was not stored before."""

    @abc.abstractmethod
    def pending_alerts(self, limit: int = 500) -> list[Alert]:
        """Recorded alerts not yet marked published (the outbox), oldest first."""

    @abc.abstractmethod
    def mark_alerts_published(self, alert_ids: Sequence[str]) -> None:
        """Mark alerts as delivered to the alerts topic."""

    @abc.abstractmethod
    def alerts(self, limit: int = 100) -> list[Alert]:
        """The latest alerts, newest first."""

    # -- sharing and verdicts ---------------------------------------------------------------
    def registry_entries(
        self,
        *,
        since: str | None = None,
        min_count: int = 1,
        category: str | None = None,
        kind: str | None = None,
    ) -> Iterator[RegistryEntry]:
        """Every registry entry seen at or after ``since`` (ISO date/time), for export."""
        raise NotImplementedError

    def import_partner_entries(self, entries: Sequence[PartnerEntry]) -> int:
        """Upsert partner entries by (agency, kind, value); return how many were written."""
        raise NotImplementedError

    def partner_entries(
        self, keys: Sequence[tuple[str, str]]
    ) -> dict[tuple[str, str], list[PartnerEntry]]:
        """Partner entries for many (kind, value) keys at once (unknown keys are absent)."""
        raise NotImplementedError

    def complaint_days(self, kind: str, value: str) -> dict[str, int]:
        """How many complaints naming (kind, value) were made on each UTC day (``YYYY-MM-DD``)."""
        raise NotImplementedError

    def identifier_alerts(self, kind: str, value: str, limit: int = 100) -> list[Alert]:
        """The alerts about (kind, value), newest first. This default filters the latest 1,000;
        a store overrides it with a read by id (ids start ``<rule>:<kind>:<value>:``)."""
        return [
            a for a in self.alerts(1000) if (a.identifier.kind, a.identifier.value) == (kind, value)
        ][:limit]

    def links(self, kind: str, value: str, limit: int = 100) -> list[Link]:
        """The identifiers linked to (kind, value), most complaints first (see :mod:`.links`)."""
        raise NotImplementedError

    def ring(self, kind: str, value: str) -> Ring | None:
        """The ring (connected component over links) of (kind, value); None without a link."""
        raise NotImplementedError

    def set_mark(self, mark: IdentifierMark) -> None:
        """Record (or replace) the verdict on ``(mark.kind, mark.value)``."""
        raise NotImplementedError

    def clear_mark(self, kind: str, value: str) -> bool:
        """Remove a verdict; False when there was none."""
        raise NotImplementedError

    def marks(self, keys: Sequence[tuple[str, str]]) -> dict[tuple[str, str], IdentifierMark]:
        """Verdicts for many (kind, value) keys at once (unmarked keys are absent)."""
        raise NotImplementedError

    def health(self) -> None:
        """Raise StoreError if the store cannot be reached."""
        self.stats()

    def refresh(self) -> None:  # noqa: B027 - a no-op by default, on purpose not abstract
        """Make every write so far, from any process, visible to this instance's reads.

        A no-op where writes are visible at once (SQLite); a search engine shows other
        processes' writes only after its refresh interval. ``scamtrail run`` calls it before its
        summary, since its index stage writes from a child process.
        """

    @abc.abstractmethod
    def close(self) -> None:
        """Release connections."""
