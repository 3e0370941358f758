"""Alert rules evaluated on registry updates, and :class:`AlertRules`, which runs them.

Rules (kinds ``phone`` and ``upi`` by default, ``AlertSettings``):

- ``repeat``: an identifier named in a second distinct complaint, with escalations at higher
  counts (2, 5 and 10 by default). Id ``repeat:<kind>:<value>:<level>``.
- ``velocity``: N complaints (3 by default) within T hours (24) of each other, while the burst is
  current: its latest complaint was created within T hours of now, so replaying or back-filling
  old complaints raises no burst alerts (``repeat`` covers them). Id
  ``velocity:<kind>:<value>:<bucket>``, where ``bucket`` is the start (UTC, ``YYYYmmddTHHMM``) of
  the T-hour slot, counted from the Unix epoch, holding the complaint that completed the burst.
  Dedup: the same burst always lands in the same slot, so redeliveries and restarts never repeat
  it; a burst that goes on alerts at most once per slot, and a new burst later alerts again.
- ``partner_hit``: a partner agency shared an identifier that a complaint we index names
  (``Store.partner_entries``). Id ``partner_hit:<kind>:<value>:<agency>``: one alert per agency.
- ``linked``: a new identifier (named in one complaint so far) appears in a complaint beside an
  identifier already at repeat level (named in at least the lowest repeat level of complaints
  besides this one): the gang's new number. Id ``linked:<kind>:<value>``: one alert per new
  identifier, naming its ring (``Store.ring``) and the known identifiers beside it.

How one alert per identifier per rule level stays one: rules fire on the *current* state (the
count, the recent sightings, the partner entries), not on the crossing, so a batch redelivered
after a crash between the store write and the alert write raises the same alerts again, and the
store's durable dedup by alert id keeps each one once. Every alert cites our complaint ids and
categories.

:class:`AlertRules` never lets a rule see an identifier that is allow-listed
(:mod:`scamtrail.index.allowlist`) or that an investigator marked false positive
(``Store.set_mark``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Protocol

from scamtrail.index.allowlist import Allowlist, Normaliser, default_allowlist
from scamtrail.index.base import PartnerEntry, RegistryEntry, RegistryUpdate, Store
from scamtrail.index.links import Ring

from scamtrail.records import Alert, Identifier
from scamtrail.settings import AlertSettings

DEFAULT_KINDS: tuple[str, ...] = ("phone", "upi")


@dataclass(frozen=True, slots=True)
class RuleContext:
    """What a rule may consult besides the updates: the store and the current time."""

    store: Store | None = None
    now: datetime = field(default_factory=lambda: datetime.now(UTC))


class AlertRule(Protocol):
    """A rule: a name, and the alerts a batch's registry updates raise."""

    name: str

    def evaluate(
        self, updates: Sequence[RegistryUpdate], context: RuleContext | None = None
    ) -> list[Alert]:
        """Alerts for these updates (the store drops those raised before)."""
        ...


def _cite(update: RegistryUpdate) -> tuple[list[str], list[str]]:
    return list(update.entry.complaint_ids), list(update.entry.categories)


@dataclass(frozen=True, slots=True)
class RepeatRule:
    """Alert when an identifier of one of ``kinds`` reaches each count in ``levels``."""

    kinds: tuple[str, ...] = DEFAULT_KINDS
    levels: tuple[int, ...] = (2, 5, 10)
    name: str = "repeat"

    def evaluate(
        self, updates: Sequence[RegistryUpdate], context: RuleContext | None = None
    ) -> list[Alert]:
        """Alerts for every level each touched identifier has reached (dedup happens in the store)."""
        alerts = []
        for update in updates:
            entry = update.entry
            if entry.kind not in self.kinds:
                continue
            ids, cats = _cite(update)
            for level in sorted(self.levels):
                if entry.complaint_count < level:
                    break
                alerts.append(
                    Alert(
                        id=f"{self.name}:{entry.kind}:{entry.value}:{level}",
                        rule=self.name,
                        level=level,
                        identifier=Identifier(kind=entry.kind, value=entry.value),
                        complaint_ids=ids,
                        categories=cats,
                        complaint_count=entry.complaint_count,
                        message=(
                            f"{entry.kind} {entry.value} named in {entry.complaint_count} "
                            f"complaints (level {level}); categories: {', '.join(cats)}"
                        ),
                    )
                )
        return alerts


@dataclass(frozen=True, slots=True)
class VelocityRule:
    """Alert when ``count`` complaints name an identifier within ``hours`` (see the module)."""

    count: int = 3
    hours: float = 24.0
    kinds: tuple[str, ...] = DEFAULT_KINDS
    name: str = "velocity"

    def evaluate(
        self, updates: Sequence[RegistryUpdate], context: RuleContext | None = None
    ) -> list[Alert]:
        """One alert per burst slot for each identifier whose recent complaints form a burst."""
        if self.count < 2:
            return []
        now = (context or RuleContext()).now
        window = timedelta(hours=self.hours)
        alerts: dict[str, Alert] = {}
        for update in updates:
            entry = update.entry
            if entry.kind not in self.kinds or len(update.recent) < self.count:
                continue
            seen = sorted((_when(t), cid, cat) for t, cid, cat in update.recent)
            new = set(update.new_complaint_ids)
            # Bursts completed by this batch's new complaints, and the latest one (which a
            # redelivered batch completes again when its first delivery raised nothing).
            ends = {i for i, (_, cid, _) in enumerate(seen) if cid in new} | {len(seen) - 1}
            for end in sorted(ends):
                if end + 1 < self.count:
                    continue
                last = seen[end][0]
                if last - seen[end + 1 - self.count][0] > window or now - last > window:
                    continue
                burst = [s for s in seen[: end + 1] if last - s[0] <= window]
                slot = _slot(last, window)
                alert_id = f"{self.name}:{entry.kind}:{entry.value}:{slot:%Y%m%dT%H%M}"
                cats = sorted({cat for _, _, cat in burst})
                alerts.setdefault(
                    alert_id,
                    Alert(
                        id=alert_id,
                        rule=self.name,
                        level=self.count,
                        identifier=Identifier(kind=entry.kind, value=entry.value),
                        complaint_ids=[cid for _, cid, _ in burst],
                        categories=cats,
                        complaint_count=len(burst),
                        message=(
                            f"{entry.kind} {entry.value} named in {len(burst)} complaints within "
                            f"{self.hours:g} hours; categories: {', '.join(cats)}"
                        ),
                        details={
                            "window_hours": self.hours,
                            "window_start": burst[0][0].isoformat(),
                            "window_end": last.isoformat(),
                        },
                    ),
                )
        return list(alerts.values())


@dataclass(slots=True)
class PartnerHitRule:
    """Alert when a partner agency shared an identifier one of our complaints names."""

    kinds: tuple[str, ...] = DEFAULT_KINDS
    name: str = "partner_hit"

    def evaluate(
        self, updates: Sequence[RegistryUpdate], context: RuleContext | None = None
    ) -> list[Alert]:
        """One alert per (identifier, agency) among this batch's identifiers."""
        store = context.store if context else None
        wanted = [u for u in updates if u.entry.kind in self.kinds]
        if store is None or not wanted:
            return []
        shared = store.partner_entries([(u.entry.kind, u.entry.value) for u in wanted])
        return [
            partner_hit_alert(partner, update.entry)
            for update in wanted
            for partner in shared.get((update.entry.kind, update.entry.value), ())
        ]


@dataclass(frozen=True, slots=True)
class LinkedRule:
    """Alert when a new identifier is named beside one already at repeat level (see module).

    Found from the batch's updates alone: the new identifier's one complaint is among the known
    one's complaints of this batch, its oldest cited ids or its latest sightings (so a redelivered
    complaint that is none of these, for an identifier with over 200 complaints, is not found
    again; its first delivery was). The ring is read only for an identifier that fires; on the
    search engine that read refreshes the links index first (once per batch that fires).
    """

    kinds: tuple[str, ...] = DEFAULT_KINDS
    level: int = 2
    name: str = "linked"

    def evaluate(
        self, updates: Sequence[RegistryUpdate], context: RuleContext | None = None
    ) -> list[Alert]:
        """One alert per new identifier named beside a known repeat."""
        watched = [u for u in updates if u.entry.kind in self.kinds]
        # the complaint count *besides* the complaint that names the new identifier
        known = [u for u in watched if u.entry.complaint_count - 1 >= self.level]
        new = [u for u in watched if u.entry.complaint_count == 1 and u.entry.complaint_ids]
        if not known or not new:
            return []
        # complaint id -> the known entries it names, in the order of ``known``: each new
        # identifier looks up its one complaint instead of scanning every known entry
        naming: dict[str, list[RegistryEntry]] = {}
        for u in known:
            for c in {*u.new_complaint_ids, *u.entry.complaint_ids, *(c for _, c, _ in u.recent)}:
                naming.setdefault(c, []).append(u.entry)
        store = context.store if context else None
        rings: dict[tuple[str, str], Ring] = {}
        alerts = []
        for update in new:
            entry = update.entry
            (cid,) = entry.complaint_ids
            beside = [
                k for k in naming.get(cid, ()) if (k.kind, k.value) != (entry.kind, entry.value)
            ]
            if beside:
                alerts.append(self._alert(entry, cid, beside, self._ring(entry, store, rings)))
        return alerts

    @staticmethod
    def _ring(
        entry: RegistryEntry, store: Store | None, rings: dict[tuple[str, str], Ring]
    ) -> Ring | None:
        """The ring of a new identifier, read once per batch for all the new ones in it.

        A new identifier (one complaint, so fewer links than a hub has) is traversed wherever
        the search starts; so a ring found whole (not truncated) is the ring found from any of
        its new members, and the store is not written while the rules run."""
        key = (entry.kind, entry.value)
        if key in rings:
            return rings[key]
        try:
            ring = store.ring(*key) if store is not None else None
        except NotImplementedError:
            ring = None
        if ring is not None and not ring.truncated:
            rings.update(dict.fromkeys(ring.members, ring))
        return ring

    def _alert(
        self, entry: RegistryEntry, cid: str, beside: list[RegistryEntry], ring: Ring | None
    ) -> Alert:
        names = ", ".join(f"{k.kind} {k.value} ({k.complaint_count} complaints)" for k in beside)
        where = f"; ring {ring.id} of {ring.size} identifiers" if ring is not None else ""
        return Alert(
            id=f"{self.name}:{entry.kind}:{entry.value}",
            rule=self.name,
            level=self.level,
            identifier=Identifier(kind=entry.kind, value=entry.value),
            complaint_ids=[cid],
            categories=list(entry.categories),
            complaint_count=entry.complaint_count,
            message=f"new {entry.kind} {entry.value} named beside {names} in {cid}{where}",
            details={
                "ring": ring.id if ring is not None else None,
                "ring_size": ring.size if ring is not None else None,
                "beside": [
                    {"kind": k.kind, "value": k.value, "complaint_count": k.complaint_count}
                    for k in beside
                ],
            },
        )


def partner_hit_alert(partner: PartnerEntry, entry: RegistryEntry) -> Alert:
    """The ``partner_hit`` alert for an identifier a partner shared that we know too.

    Raised by :class:`PartnerHitRule` when one of our complaints names it and by
    ``scamtrail import`` when a partner's feed names one we know; the id is the same, so the
    store's dedup keeps one alert per identifier and agency whichever comes first.
    """
    return Alert(
        id=f"partner_hit:{entry.kind}:{entry.value}:{partner.agency}",
        rule="partner_hit",
        level=1,
        identifier=Identifier(kind=entry.kind, value=entry.value),
        complaint_ids=list(entry.complaint_ids),
        categories=list(entry.categories),
        complaint_count=entry.complaint_count,
        message=(
            f"{entry.kind} {entry.value}, named in {entry.complaint_count} of our "
            f"complaints, was also reported by {partner.agency} "
            f"({partner.complaint_count} complaints there)"
        ),
        details={
            "agency": partner.agency,
            "partner_complaint_count": partner.complaint_count,
            "partner_categories": list(partner.categories),
            "partner_last_seen": partner.last_seen,
        },
    )


class AlertRules:
    """The index stage's rules, with allow-listed and false-positive identifiers left out."""

    def __init__(
        self, rules: Sequence[AlertRule] | None = None, allowlist: Allowlist | None = None
    ) -> None:
        self.rules: list[AlertRule] = (
            list(rules)
            if rules is not None
            else [RepeatRule(), VelocityRule(), PartnerHitRule(), LinkedRule()]
        )
        self.allowlist = allowlist if allowlist is not None else default_allowlist()

    @classmethod
    def from_settings(
        cls, settings: AlertSettings, *, normalise: Normaliser | None = None
    ) -> AlertRules:
        """Rules as ``settings`` configure them, with the shipped and the configured allow-list."""
        kinds = tuple(settings.kinds)
        rules: list[AlertRule] = []
        if settings.repeat_levels:
            rules.append(RepeatRule(kinds=kinds, levels=tuple(settings.repeat_levels)))
        if settings.velocity_count >= 2:
            rules.append(
                VelocityRule(
                    count=settings.velocity_count, hours=settings.velocity_hours, kinds=kinds
                )
            )
        if settings.partner_hit:
            rules.append(PartnerHitRule(kinds=kinds))
        if settings.linked:
            level = min(settings.repeat_levels, default=2)
            rules.append(LinkedRule(kinds=kinds, level=level))
        return cls(rules, Allowlist.load(settings.allowlist_file, normalise=normalise))

    def evaluate(
        self, updates: Sequence[RegistryUpdate], store: Store, now: datetime | None = None
    ) -> list[Alert]:
        """Every rule's alerts for identifiers that are neither allow-listed nor marked."""
        # Only kinds some rule watches: verdicts are read for those alone.
        kinds = [getattr(rule, "kinds", None) for rule in self.rules]
        watched = None if None in kinds else {k for ks in kinds for k in ks or ()}
        candidates = [
            u
            for u in updates
            if u.entry.complaint_count > 0
            and (watched is None or u.entry.kind in watched)
            and (u.entry.kind, u.entry.value) not in self.allowlist
        ]
        if not candidates or not self.rules:
            return []
        try:
            marks = store.marks([(u.entry.kind, u.entry.value) for u in candidates])
        except NotImplementedError:
            marks = {}
        suppressed = {key for key, m in marks.items() if m.status == "false_positive"}
        kept = [u for u in candidates if (u.entry.kind, u.entry.value) not in suppressed]
        context = RuleContext(store, now or datetime.now(UTC))
        return [alert for rule in self.rules for alert in rule.evaluate(kept, context)]


def _when(text: str) -> datetime:
    value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _slot(moment: datetime, window: timedelta) -> datetime:
    size = window.total_seconds()
    return datetime.fromtimestamp((moment.timestamp() // size) * size, UTC)
