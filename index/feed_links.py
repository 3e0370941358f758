"""The links a STIX or MISP feed carries between its identifiers (see :mod:`.sharing`).

A feed ties two of its identifiers when complaints named them together (:mod:`.links`): each
item gets its links to identifiers that sort after it *and* are in the same feed
(:class:`ExportScope`: same filters, not marked false positive, not allow-listed), so each pair
is written once and no link points at an identifier the feed leaves out. An item's links are its
:data:`MAX_FEED_LINKS` most-named ones; reading them costs one store read per exported item and
one registry and one verdict read per page.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace

from scamtrail.index.allowlist import Allowlist
from scamtrail.index.base import IdentifierMark, Store
from scamtrail.index.feed_formats import FeedItem, FeedLink

from scamtrail.records import to_utc_iso

#: Most links of one identifier a STIX or MISP feed ties to it (its most-named ones).
MAX_FEED_LINKS = 50


def _false_positive(mark: IdentifierMark | None) -> bool:
    return mark is not None and mark.status == "false_positive"


@dataclass
class ExportScope:
    """Which identifiers an export with these filters carries (for the links between them)."""

    store: Store
    official: Allowlist
    since: str | None
    min_count: int
    category: str | None
    kind: str | None

    def among(self, keys: Sequence[tuple[str, str]]) -> set[tuple[str, str]]:
        """The ``keys`` this export carries."""
        by_kind: dict[str, list[str]] = {}
        for k, v in keys:
            if self.kind in (None, k) and (k, v) not in self.official:
                by_kind.setdefault(k, []).append(v)
        since = to_utc_iso(self.since) if self.since else None
        found = {
            (k, v)
            for k, values in by_kind.items()
            for v, e in self.store.registry(k, values).items()
            if e.complaint_count >= self.min_count
            and (since is None or (e.last_seen or "") >= since)
            and (self.category is None or self.category in e.categories)
        }
        marks = self.store.marks(sorted(found))
        return {key for key in found if not _false_positive(marks.get(key))}


def linked_page(
    store: Store, items: Iterable[FeedItem], scope: ExportScope | None
) -> Iterator[FeedItem]:
    """``items`` (one page of an export) with their links inside the feed (see the module)."""
    if scope is None:
        yield from items
        return
    page = list(items)
    near = {
        (i.kind, i.value): [
            lk
            for lk in store.links(i.kind, i.value, limit=MAX_FEED_LINKS)
            if (lk.kind, lk.value) > (i.kind, i.value)
        ]
        for i in page
    }
    carried = scope.among(sorted({(lk.kind, lk.value) for lks in near.values() for lk in lks}))
    for i in page:
        links = tuple(
            FeedLink(lk.kind, lk.value, lk.complaints, lk.first_seen, lk.last_seen)
            for lk in sorted(near[(i.kind, i.value)], key=lambda lk: (lk.kind, lk.value))
            if (lk.kind, lk.value) in carried
        )
        yield replace(i, links=links) if links else i
