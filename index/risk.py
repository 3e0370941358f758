"""Risk of an identifier: a 0-100 score, a tier and the factors that explain it.

:func:`assess` is deterministic (the same entry, partners, verdict and ``now`` give the same
result) and every point of the score is carried by a named factor, so an investigator or a
partner agency can see why a number scores what it does. The factor points add up to the score.

The formula, with ``n`` complaints naming the identifier, ``c`` distinct complainants, ``a``
distinct partner agencies that shared it, ``s`` distinct complaint sources::

    complaints   = min(35, 12 * ln(1 + n))            # diminishing: 1 -> 8.3, 5 -> 21.5, 10 -> 28.8
    complainants = 15 * (1 - 0.5 ** (c - 1))          # independent people: 2 -> 7.5, 3 -> 11.3
    partners     = 20 * (1 - 0.5 ** a)                # other agencies: 1 -> 10, 2 -> 15
    sources      = min(10, 5 * (s - 1))               # seen on X *and* the intake form, say
    category     = 20 bank_fraud | 8 other | 0 traffic  (the highest of its categories)
    base         = sum of the above                   # at most 100
    decay        = 0.5 ** (age_days / half_life_days) # age of the latest sighting (ours or a partner's)
    recency      = -(base * (1 - decay))              # like MISP decaying models: old numbers age out
    score        = base + recency = base * decay

Then two verdicts override it:

- **false positive** (``scamtrail mark --false-positive``): the score drops to
  ``RiskSettings.false_positive_score`` (or stays lower), tier ``low``; the factor names who marked
  it, when and why;
- **allow-listed** (an official number, ``scamtrail/data/allowlist.json``): score 0, tier ``low``;
  the factor names the official owner.

Tiers: ``very_high`` from ``RiskSettings.very_high``, ``high`` from ``high``, ``medium`` from
``medium``, else ``low``. Points are rounded to one decimal and the score is their sum.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from scamtrail.index.base import IdentifierMark, PartnerEntry, RegistryEntry

from scamtrail.settings import RiskSettings

TIERS: tuple[str, ...] = ("low", "medium", "high", "very_high")
#: Points of the category factor; an identifier in several categories takes the highest.
CATEGORY_POINTS: dict[str, float] = {"bank_fraud": 20.0, "other": 8.0, "traffic": 0.0}


@dataclass(frozen=True, slots=True)
class RiskFactor:
    """One named part of a score: its points (negative for what lowers it) and why."""

    name: str
    points: float
    detail: str

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form."""
        return {"name": self.name, "points": self.points, "detail": self.detail}


@dataclass(frozen=True, slots=True)
class Risk:
    """The risk of one identifier: ``score`` 0-100, ``tier`` and the ``factors`` adding up to it."""

    score: float
    tier: str
    factors: tuple[RiskFactor, ...]

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form: ``{"score", "tier", "factors": [{"name", "points", "detail"}]}``."""
        return {
            "score": self.score,
            "tier": self.tier,
            "factors": [f.to_dict() for f in self.factors],
        }


def tier_of(score: float, settings: RiskSettings | None = None) -> str:
    """The tier a score falls in under ``settings``' thresholds."""
    s = settings or RiskSettings()
    if score >= s.very_high:
        return "very_high"
    if score >= s.high:
        return "high"
    if score >= s.medium:
        return "medium"
    return "low"


def assess(
    entry: RegistryEntry,
    *,
    partners: Sequence[PartnerEntry] = (),
    mark: IdentifierMark | None = None,
    allowlisted: str | None = None,
    now: datetime | None = None,
    settings: RiskSettings | None = None,
) -> Risk:
    """Score one identifier from its registry entry, partner entries and verdicts.

    ``allowlisted`` is the official owner's name when the identifier is on the allow-list.
    ``now`` defaults to the current time (pass it for reproducible scores). See the module
    docstring for the formula.
    """
    s = settings or RiskSettings()
    now = now or datetime.now(UTC)
    factors = _base_factors(entry, partners)
    base = round(sum(f.points for f in factors), 1)
    last = _latest(entry.last_seen, *(p.last_seen for p in partners))
    if base > 0:
        factors.append(_recency(base, last, now, s.half_life_days))
    score = _total(factors)
    tier = tier_of(score, s)
    if mark is not None and mark.status == "false_positive":
        floor = min(score, s.false_positive_score)
        factors.append(
            RiskFactor(
                "false_positive",
                round(floor - score, 1),
                f"marked false positive by {mark.marked_by} on {mark.marked_at}: {mark.reason}",
            )
        )
        score, tier = _total(factors), "low"
    if allowlisted:
        factors.append(
            RiskFactor("allowlisted", round(-score, 1), f"official number of {allowlisted}")
        )
        score, tier = 0.0, "low"
    return Risk(score=score, tier=tier, factors=tuple(factors))


def _base_factors(entry: RegistryEntry, partners: Sequence[PartnerEntry]) -> list[RiskFactor]:
    n = max(0, entry.complaint_count)
    c = max(0, entry.complainants)
    agencies = sorted({p.agency for p in partners})
    sources = sorted(set(entry.sources))
    categories = set(entry.categories) | {cat for p in partners for cat in p.categories}
    factors = [
        RiskFactor(
            "complaints",
            round(min(35.0, 12.0 * math.log1p(n)), 1),
            f"named in {n} complaint{'s' if n != 1 else ''}",
        ),
        RiskFactor(
            "complainants",
            round(15.0 * (1 - 0.5 ** (c - 1)), 1) if c >= 1 else 0.0,
            f"reported by {c} distinct complainant{'s' if c != 1 else ''}",
        ),
        RiskFactor(
            "partners",
            round(20.0 * (1 - 0.5 ** len(agencies)), 1),
            "also reported by " + (", ".join(agencies) if agencies else "no partner agency"),
        ),
        RiskFactor(
            "sources",
            round(min(10.0, 5.0 * (len(sources) - 1)), 1) if sources else 0.0,
            "seen on " + (", ".join(sources) if sources else "no known source"),
        ),
    ]
    known = [cat for cat in categories if cat in CATEGORY_POINTS]
    top = max(known, key=lambda cat: CATEGORY_POINTS[cat]) if known else None
    factors.append(
        RiskFactor(
            "category",
            CATEGORY_POINTS[top] if top else 0.0,
            f"category {top}" if top else "no category",
        )
    )
    return factors


def _recency(base: float, last: datetime | None, now: datetime, half_life: float) -> RiskFactor:
    if last is None:
        return RiskFactor("recency", 0.0, "no date of the last sighting; not decayed")
    age_days = max(0.0, (now - last).total_seconds() / 86400.0)
    decay = 0.5 ** (age_days / half_life)
    return RiskFactor(
        "recency",
        round(-(base * (1 - decay)), 1),
        f"last seen {age_days:.0f} days ago; weight {decay:.2f} (half-life {half_life:g} days)",
    )


def _latest(*stamps: str | None) -> datetime | None:
    parsed = [_parse(t) for t in stamps if t]
    found = [p for p in parsed if p is not None]
    return max(found) if found else None


def _parse(text: str) -> datetime | None:
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _total(factors: Sequence[RiskFactor]) -> float:
    return max(0.0, min(100.0, round(sum(f.points for f in factors), 1)))
