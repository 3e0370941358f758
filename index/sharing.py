"""Sharing with other departments: our registry out as a feed, their feeds in as partner entries.

**Export** (:func:`export_items`) reads every registry entry that passes the filters
(:meth:`~scamtrail.index.base.Store.registry_entries`, page by page), scores it with
:func:`scamtrail.index.risk.assess` (with the partner entries and verdicts the store holds) and
yields :class:`~scamtrail.index.feed_formats.FeedItem` rows: counts, first/last seen, categories,
risk score and tier. Nothing about complainants leaves: no author, no text, no complaint id. An
identifier an investigator marked a false positive, or an official number on the allow-list
(:mod:`scamtrail.index.allowlist`), is left out of the feed altogether: another agency must never
block a bank's helpline because citizens named it.

**Import** (:func:`import_rows`) checks and normalises every row of a partner's feed (read by
:mod:`scamtrail.index.feed_readers`) and upserts the good ones as
:class:`~scamtrail.index.base.PartnerEntry` rows with provenance (agency, feed, ``imported_at``),
apart from our registry. A bad row is reported with where it is and why; the others are imported.
Values are normalised by the ``normalise`` function the caller passes (the CLI passes
``scamtrail.extract.identifiers.normalise_query``; this stage does not import another), so a
partner's ``98765 43210`` becomes ``+919876543210`` and meets ours. An imported identifier that is
also in our registry raises a ``partner_hit`` alert with id ``partner_hit:<kind>:<value>:<agency>``
(the id the index-time rule uses, so the store's dedup by id raises it once whichever comes
first), unless an investigator marked it a false positive or it is allow-listed.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TextIO

from scamtrail.index.alerts import partner_hit_alert
from scamtrail.index.allowlist import Allowlist, default_allowlist
from scamtrail.index.base import IdentifierMark, PartnerEntry, RegistryEntry, Store
from scamtrail.index.feed_formats import FeedItem, Provenance, write_feed
from scamtrail.index.feed_links import ExportScope, linked_page
from scamtrail.index.feed_readers import FeedRow, RowError
from scamtrail.index.risk import TIERS, assess

from scamtrail.records import to_utc_iso, utcnow_iso
from scamtrail.settings import RiskSettings

#: ``normalise(value, kind_or_None) -> (kind, normalised value)``; raises ValueError.
Normaliser = Callable[[str, str | None], tuple[str, str]]

#: Longest value a feed row may carry before normalisation (a URL can be long; 100 KB is not).
MAX_VALUE_CHARS = 4096
MAX_AGENCY_CHARS = 200
MAX_COUNT = 1_000_000_000
_PAGE = 500


def export_items(
    store: Store,
    *,
    since: str | None = None,
    min_count: int = 1,
    category: str | None = None,
    kind: str | None = None,
    risk_settings: RiskSettings | None = None,
    allowlist: Allowlist | None = None,
    now: datetime | None = None,
    with_links: bool = False,
) -> Iterator[FeedItem]:
    """Our registry entries that pass the filters, with risk, ready for a feed (see module).

    ``with_links`` adds to each item its links to identifiers that sort after it and are in the
    same feed (passing the same filters, not false positives, not allow-listed): each pair once,
    from its first end's most-named links (:data:`.feed_links.MAX_FEED_LINKS`).
    """
    official = allowlist if allowlist is not None else default_allowlist()
    scope = ExportScope(store, official, since, min_count, category, kind)
    page: list[RegistryEntry] = []
    for entry in store.registry_entries(
        since=since, min_count=min_count, category=category, kind=kind
    ):
        page.append(entry)
        if len(page) >= _PAGE:
            yield from linked_page(
                store,
                _assessed(store, page, risk_settings, official, now),
                scope if with_links else None,
            )
            page = []
    if page:
        yield from linked_page(
            store,
            _assessed(store, page, risk_settings, official, now),
            scope if with_links else None,
        )


def export_feed(
    store: Store,
    fmt: str,
    out: TextIO,
    *,
    agency: str,
    tool_version: str,
    since: str | None = None,
    min_count: int = 1,
    category: str | None = None,
    kind: str | None = None,
    risk_settings: RiskSettings | None = None,
    allowlist: Allowlist | None = None,
) -> int:
    """Write our identifiers to ``out`` as a ``fmt`` feed with its provenance; return the count.

    ``since`` is an ISO time already checked by the caller. The CLI and the API both export here.
    """
    filters = {"since": since, "min_count": min_count, "category": category, "kind": kind}
    provenance = Provenance(
        agency=agency,
        generated_at=utcnow_iso(),
        tool_version=tool_version,
        filters={k: v for k, v in filters.items() if v is not None},
    )
    items = export_items(
        store,
        since=since,
        min_count=min_count,
        category=category,
        kind=kind,
        risk_settings=risk_settings,
        allowlist=allowlist,
        with_links=fmt in ("stix", "misp"),
    )
    return write_feed(fmt, items, provenance, out)


def _assessed(
    store: Store,
    entries: Sequence[RegistryEntry],
    settings: RiskSettings | None,
    official: Allowlist,
    now: datetime | None,
) -> Iterator[FeedItem]:
    keys = [(e.kind, e.value) for e in entries]
    partners = store.partner_entries(keys)
    marks = store.marks(keys)
    for e in entries:
        mark = marks.get((e.kind, e.value))
        if _false_positive(mark) or (e.kind, e.value) in official:
            continue
        risk = assess(
            e, partners=partners.get((e.kind, e.value), ()), mark=mark, now=now, settings=settings
        )
        yield FeedItem(
            kind=e.kind,
            value=e.value,
            complaint_count=e.complaint_count,
            first_seen=e.first_seen,
            last_seen=e.last_seen,
            categories=tuple(e.categories),
            risk_score=risk.score,
            risk_tier=risk.tier,
        )


def _false_positive(mark: IdentifierMark | None) -> bool:
    return mark is not None and mark.status == "false_positive"


@dataclass
class ImportSummary:
    """What an import did: rows read, written, unchanged, rejected (with where and why), and
    how many identifiers we know too (``matched``) and new ``partner_hit`` alerts."""

    agency: str
    feed: str
    format: str
    rows: int = 0
    imported: int = 0
    unchanged: int = 0
    matched: int = 0
    alerts: int = 0
    rejected: list[RowError] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form (``scamtrail import --json``)."""
        return {
            "agency": self.agency,
            "feed": self.feed,
            "format": self.format,
            "rows": self.rows,
            "imported": self.imported,
            "unchanged": self.unchanged,
            "rejected": [{"where": r.where, "reason": r.reason} for r in self.rejected],
            "matched": self.matched,
            "alerts": self.alerts,
        }


def check_agency(agency: str) -> str:
    """The agency name, stripped; ValueError when empty, too long or holding control characters."""
    name = agency.strip()
    if not name or len(name) > MAX_AGENCY_CHARS or any(ord(c) < 32 for c in name):
        raise ValueError(
            f"agency must be 1 to {MAX_AGENCY_CHARS} printable characters, not {agency[:50]!r}"
        )
    return name


def import_rows(
    store: Store,
    rows: Iterable[FeedRow | RowError],
    *,
    agency: str,
    feed: str,
    fmt: str,
    normalise: Normaliser,
    alert: bool = True,
    allowlist: Allowlist | None = None,
    imported_at: str | None = None,
) -> ImportSummary:
    """Check, normalise and upsert a partner's rows; raise ``partner_hit`` alerts. See module."""
    agency = check_agency(agency)
    official = allowlist if allowlist is not None else default_allowlist()
    summary = ImportSummary(agency=agency, feed=feed, format=fmt)
    stamp = imported_at or utcnow_iso()
    batch: dict[tuple[str, str], PartnerEntry] = {}
    for row in rows:
        summary.rows += 1
        if isinstance(row, RowError):
            summary.rejected.append(row)
            continue
        try:
            entry = partner_entry(row, agency, feed, stamp, normalise)
        except ValueError as exc:
            summary.rejected.append(RowError(row.where, str(exc)))
            continue
        batch[(entry.kind, entry.value)] = entry  # the same identifier twice: the last row wins
        if len(batch) >= _PAGE:
            _flush(store, list(batch.values()), summary, alert, official)
            batch = {}
    if batch:
        _flush(store, list(batch.values()), summary, alert, official)
    return summary


def partner_entry(
    row: FeedRow, agency: str, feed: str, imported_at: str, normalise: Normaliser
) -> PartnerEntry:
    """A PartnerEntry from one feed row: value normalised, numbers and dates checked."""
    if not isinstance(row.value, str) or len(row.value) > MAX_VALUE_CHARS:
        raise ValueError(f"value longer than {MAX_VALUE_CHARS} characters")
    if "\x00" in row.value:
        raise ValueError("value holds a NUL character")
    try:
        kind, value = normalise(row.value, row.kind)
    except ValueError as exc:
        raise ValueError(f"not an identifier: {exc}") from exc
    return PartnerEntry(
        agency=agency,
        kind=kind,
        value=value,
        complaint_count=_count(row.complaint_count),
        first_seen=_when(row.first_seen, "first_seen"),
        last_seen=_when(row.last_seen, "last_seen"),
        categories=tuple(sorted({_category(c) for c in row.categories if str(c).strip()})),
        risk_score=_score(row.risk_score),
        risk_tier=_tier(row.risk_tier),
        feed=feed,
        imported_at=imported_at,
    )


def _flush(
    store: Store,
    entries: list[PartnerEntry],
    summary: ImportSummary,
    alert: bool,
    official: Allowlist,
) -> None:
    written = store.import_partner_entries(entries)
    summary.imported += written
    summary.unchanged += len(entries) - written
    by_kind: dict[str, list[PartnerEntry]] = {}
    for e in entries:
        by_kind.setdefault(e.kind, []).append(e)
    hits: list[tuple[PartnerEntry, RegistryEntry]] = []
    for kind, group in by_kind.items():
        ours = store.registry(kind, [e.value for e in group])
        hits += [(e, ours[e.value]) for e in group if e.value in ours]
    summary.matched += len(hits)
    if not alert or not hits:
        return
    marks = store.marks([(e.kind, e.value) for e, _ in hits])
    alerts = [
        partner_hit_alert(theirs, ours)
        for theirs, ours in hits
        if not _false_positive(marks.get((theirs.kind, theirs.value)))
        and (theirs.kind, theirs.value) not in official
    ]
    summary.alerts += len(store.record_alerts(alerts))


def _count(raw: object) -> int:
    if isinstance(raw, bool):
        raise ValueError(f"complaint_count is not a number: {raw!r}")
    try:
        number = float(str(raw).strip()) if isinstance(raw, str) else float(raw)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValueError(f"complaint_count is not a number: {str(raw)[:50]!r}") from None
    if not math.isfinite(number) or number != int(number) or not 0 <= number <= MAX_COUNT:
        raise ValueError(f"complaint_count must be a whole number 0 to {MAX_COUNT}, not {raw!r}")
    return int(number)


def _when(raw: object, name: str) -> str | None:
    if raw is None or raw == "":
        return None
    if not isinstance(raw, str) or len(raw) > 64:
        raise ValueError(f"{name} is not an ISO-8601 timestamp")
    try:
        return to_utc_iso(raw)
    except (ValueError, OverflowError):
        raise ValueError(f"{name} is not an ISO-8601 timestamp: {raw!r}") from None


def _score(raw: object) -> float | None:
    if raw is None or raw == "":
        return None
    try:
        score = float(raw)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValueError(f"risk score is not a number: {str(raw)[:50]!r}") from None
    if isinstance(raw, bool) or not 0 <= score <= 100:
        raise ValueError(f"risk score must be 0 to 100, not {raw!r}")
    return score


def _tier(raw: object) -> str | None:
    if raw is None or raw == "":
        return None
    if raw not in TIERS:
        raise ValueError(f"risk tier must be one of {', '.join(TIERS)}, not {str(raw)[:50]!r}")
    return str(raw)


def _category(raw: object) -> str:
    text = str(raw).strip().lower().replace(" ", "_")
    if len(text) > 64 or any(ord(c) < 32 for c in text):
        raise ValueError(f"category {str(raw)[:50]!r} is not a category name")
    return text
