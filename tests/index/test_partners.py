"""Partner entries and the export iteration, on every store backend."""

from __future__ import annotations

import dataclasses

from scamtrail.index.base import PartnerEntry

from tests.conftest import enriched

A = "+919876543210"
B = "+918765432109"
LONG_URL = "https://example.com/" + "a" * 5000


def partner(agency: str, value: str = A, count: int = 3, **kw) -> PartnerEntry:
    fields = {
        "agency": agency,
        "kind": "phone",
        "value": value,
        "complaint_count": count,
        "first_seen": "2026-02-01T00:00:00.000000Z",
        "last_seen": "2026-02-03T00:00:00.000000Z",
        "categories": ("bank_fraud",),
        "risk_score": 55.0,
        "risk_tier": "medium",
        "feed": "pune.json",
        "imported_at": "2026-03-05T00:00:00.000000Z",
    }
    fields.update(kw)
    return PartnerEntry(**fields)


def test_partner_entries_are_kept_apart_from_our_registry(store_factory):
    store = store_factory()
    store.write([enriched("x:1", phones=(A,))])
    assert store.import_partner_entries([partner("pune", count=40), partner("delhi", count=7)]) == 2
    assert store.lookup("phone", A).complaint_count == 1
    assert store.registry("phone", [A])[A].complaint_count == 1
    assert store.stats().identifiers == 1
    got = store.partner_entries([("phone", A)])
    assert [(p.agency, p.complaint_count) for p in got[("phone", A)]] == [
        ("delhi", 7),
        ("pune", 40),
    ]
    first = got[("phone", A)][1]
    assert first.categories == ("bank_fraud",) and first.risk_tier == "medium"
    assert first.feed == "pune.json" and first.imported_at.startswith("2026-03-05")


def test_import_is_an_idempotent_upsert_by_agency_kind_value(store_factory):
    store = store_factory()
    feed = [partner("pune"), partner("pune", B, count=2)]
    assert store.import_partner_entries(feed) == 2
    later = [dataclasses.replace(e, imported_at="2026-04-01T00:00:00.000000Z") for e in feed]
    assert store.import_partner_entries(later) == 0  # the same facts: nothing written
    (kept,) = store.partner_entries([("phone", A)])[("phone", A)]
    assert kept.imported_at.startswith("2026-03-05")
    grown = dataclasses.replace(later[0], complaint_count=9, categories=("bank_fraud", "other"))
    assert store.import_partner_entries([grown]) == 1
    (entry,) = store.partner_entries([("phone", A)])[("phone", A)]
    assert entry.complaint_count == 9 and entry.categories == ("bank_fraud", "other")
    assert entry.imported_at.startswith("2026-04-01")
    assert store.partner_entries([("phone", B)])[("phone", B)][0].complaint_count == 2


def test_partner_entries_answers_many_keys_and_omits_unknown_ones(store_factory):
    store = store_factory()
    values = [f"+91900000{i:04d}" for i in range(1500)]
    assert store.import_partner_entries([partner("pune", v, count=1) for v in values]) == 1500
    store.import_partner_entries([partner("pune", LONG_URL, kind="url")])
    keys = [("phone", v) for v in values[::3]] + [("phone", "+911111111111"), ("url", LONG_URL)]
    got = store.partner_entries(keys)
    assert len(got) == 501
    assert ("phone", "+911111111111") not in got
    assert got[("url", LONG_URL)][0].value == LONG_URL
    assert store.partner_entries([]) == {}


def test_registry_entries_iterates_everything_with_filters(store_factory):
    store = store_factory()
    batch = [
        enriched(f"x:{i}", phones=(f"+9190{i:08d}",), created_at="2026-03-01T10:00:00Z")
        for i in range(2100)
    ]
    batch += [
        enriched("y:1", phones=(A,), upis=("kyc@ybl",), created_at="2026-03-05T10:00:00Z"),
        enriched(
            "y:2", phones=(A,), created_at="2026-03-06T10:00:00Z", category="traffic", author="ravi"
        ),
    ]
    for i in range(0, len(batch), 500):
        store.write(batch[i : i + 500])
    store.import_partner_entries([partner("pune", B)])  # partner entries are not ours to export
    everything = list(store.registry_entries())
    assert len(everything) == 2102
    assert len({(e.kind, e.value) for e in everything}) == 2102
    assert all(e.complaint_ids == () for e in everything)
    assert B not in {e.value for e in everything}
    recent = {(e.kind, e.value) for e in store.registry_entries(since="2026-03-05")}
    assert recent == {("phone", A), ("upi", "kyc@ybl")}
    (repeat,) = store.registry_entries(min_count=2)
    # enriched() gives every author id "1": one complainant, counted by id
    assert (repeat.value, repeat.complainants, repeat.sources) == (A, 1, ("x",))
    assert [e.value for e in store.registry_entries(category="traffic")] == [A]
    assert [e.value for e in store.registry_entries(kind="upi")] == ["kyc@ybl"]
    assert list(store.registry_entries(category="bank_%")) == []


def test_registry_entries_can_be_abandoned_midway(store_factory):
    store = store_factory()
    store.write([enriched(f"x:{i}", phones=(f"+9190{i:08d}",)) for i in range(1200)])
    it = store.registry_entries()
    assert next(it).kind == "phone"
    it.close()  # releases the cursor or scroll
    assert sum(1 for _ in store.registry_entries()) == 1200
