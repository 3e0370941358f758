"""Risk scores: monotone in the evidence, decaying with age, overridden by verdicts, explained."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from scamtrail.index.base import IdentifierMark, PartnerEntry, RegistryEntry
from scamtrail.index.risk import TIERS, assess, tier_of

from scamtrail.settings import RiskSettings

NOW = datetime(2026, 3, 10, tzinfo=UTC)
A = "+919876543210"


def entry(
    count: int = 1,
    *,
    complainants: int | None = None,
    categories: tuple[str, ...] = ("bank_fraud",),
    sources: tuple[str, ...] = ("x",),
    last_seen: str | None = "2026-03-09T10:00:00Z",
) -> RegistryEntry:
    return RegistryEntry(
        "phone",
        A,
        count,
        "2026-03-01T10:00:00Z" if last_seen else None,
        last_seen,
        categories,
        tuple(f"x:{i}" for i in range(count)),
        complainants=count if complainants is None else complainants,
        sources=sources,
    )


def partner(agency: str, last_seen: str = "2026-03-08T00:00:00Z") -> PartnerEntry:
    return PartnerEntry(agency, "phone", A, 4, "2026-02-01T00:00:00Z", last_seen, ("bank_fraud",))


def points(risk, name: str) -> float:
    (factor,) = [f for f in risk.factors if f.name == name]
    return factor.points


def test_factor_points_add_up_to_the_score_and_name_every_part():
    risk = assess(entry(4, sources=("x", "intake")), partners=[partner("Pune")], now=NOW)
    assert risk.score == pytest.approx(round(sum(f.points for f in risk.factors), 1))
    names = [f.name for f in risk.factors]
    assert names == ["complaints", "complainants", "partners", "sources", "category", "recency"]
    assert 0 < risk.score <= 100
    assert risk.tier == tier_of(risk.score)
    assert "Pune" in next(f.detail for f in risk.factors if f.name == "partners")


def test_more_complaints_score_higher_with_diminishing_returns():
    scores = [assess(entry(n), now=NOW).score for n in (1, 2, 5, 10, 50)]
    assert scores == sorted(scores) and len(set(scores)) == len(scores)
    gains = [points(assess(entry(n), now=NOW), "complaints") for n in (1, 2, 3)]
    assert gains[1] - gains[0] > gains[2] - gains[1] > 0
    assert points(assess(entry(10_000), now=NOW), "complaints") == 35.0


def test_distinct_complainants_partners_and_sources_each_raise_the_score():
    one = assess(entry(3, complainants=1), now=NOW).score
    three = assess(entry(3, complainants=3), now=NOW).score
    assert three > one
    alone = assess(entry(3), now=NOW).score
    shared = assess(entry(3), partners=[partner("Pune"), partner("Mumbai")], now=NOW).score
    assert shared > alone
    # one agency reporting twice counts once
    twice = assess(entry(3), partners=[partner("Pune"), partner("Pune")], now=NOW)
    assert points(twice, "partners") == points(
        assess(entry(3), partners=[partner("Pune")], now=NOW), "partners"
    )
    assert assess(entry(3, sources=("x", "intake")), now=NOW).score > alone


def test_bank_fraud_weighs_more_than_other_and_traffic():
    by_cat = {
        cat: assess(entry(2, categories=(cat,)), now=NOW).score
        for cat in ("bank_fraud", "other", "traffic")
    }
    assert by_cat["bank_fraud"] > by_cat["other"] > by_cat["traffic"]
    mixed = assess(entry(2, categories=("bank_fraud", "traffic")), now=NOW).score
    assert mixed == by_cat["bank_fraud"]


def test_scores_decay_with_age_by_the_half_life():
    settings = RiskSettings(half_life_days=30)
    fresh = assess(entry(5, last_seen="2026-03-10T00:00:00Z"), now=NOW, settings=settings)
    month = assess(entry(5, last_seen="2026-02-08T00:00:00Z"), now=NOW, settings=settings)
    assert month.score == pytest.approx(fresh.score / 2, abs=0.15)
    ancient = assess(
        entry(50, complainants=50, last_seen="2024-01-01T00:00:00Z"), now=NOW, settings=settings
    )
    assert ancient.tier == "low" and ancient.score < 1
    # a partner's recent sighting keeps an old number of ours fresh
    revived = assess(
        entry(5, last_seen="2025-01-01T00:00:00Z"),
        partners=[partner("Pune", last_seen="2026-03-09T00:00:00Z")],
        now=NOW,
        settings=settings,
    )
    assert revived.score > fresh.score * 0.9


def test_false_positive_mark_drops_to_the_floor_and_says_why():
    mark = IdentifierMark("phone", A, "false_positive", "bank's own IVR", "asha", "2026-03-09")
    hot = assess(entry(20), now=NOW)
    assert hot.tier in ("high", "very_high")
    marked = assess(entry(20), mark=mark, now=NOW, settings=RiskSettings(false_positive_score=5))
    assert marked.score == 5.0 and marked.tier == "low"
    factor = marked.factors[-1]
    assert factor.name == "false_positive"
    assert "asha" in factor.detail and "bank's own IVR" in factor.detail
    assert marked.score == pytest.approx(round(sum(f.points for f in marked.factors), 1))


def test_allowlisted_is_zero_and_names_the_owner():
    risk = assess(entry(30), allowlisted="State Bank of India customer care", now=NOW)
    assert risk.score == 0.0 and risk.tier == "low"
    assert risk.factors[-1].name == "allowlisted"
    assert "State Bank of India" in risk.factors[-1].detail
    assert round(sum(f.points for f in risk.factors), 1) == 0.0


def test_unknown_identifier_scores_zero_and_is_deterministic():
    empty = RegistryEntry("phone", A, 0, None, None)
    assert assess(empty, now=NOW).score == 0.0
    assert assess(entry(7), now=NOW) == assess(entry(7), now=NOW)


def test_tiers_follow_the_thresholds():
    s = RiskSettings(medium=10, high=20, very_high=30)
    assert [tier_of(x, s) for x in (0, 10, 20, 30, 100)] == [
        "low",
        "medium",
        "high",
        "very_high",
        "very_high",
    ]
    assert set(TIERS) == {"low", "medium", "high", "very_high"}


def test_to_dict_shape():
    d = assess(entry(3), now=NOW + timedelta(days=1)).to_dict()
    assert set(d) == {"score", "tier", "factors"}
    assert all(set(f) == {"name", "points", "detail"} for f in d["factors"])
