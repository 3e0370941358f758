"""Links and rings, the same contract on every store (SQLite and both search engines)."""

from __future__ import annotations

from scamtrail.index import links as link_rules
from scamtrail.index.links import ring_id

from tests.conftest import enriched

A = "+919876543210"
B = "+918765432109"
C = "+917654321098"
U = "9876543210@ybl"


def test_links_count_distinct_complaints(store_factory):
    store = store_factory()
    store.write(
        [
            enriched("x:1", phones=(A,), upis=(U,), created_at="2026-03-01T10:00:00Z"),
            enriched("x:2", phones=(A, B), upis=(U,), created_at="2026-03-02T10:00:00Z"),
        ]
    )
    links = store.links("phone", A)
    assert [(lk.kind, lk.value, lk.complaints) for lk in links] == [
        ("upi", U, 2),
        ("phone", B, 1),
    ]
    assert links[0].first_seen.startswith("2026-03-01T10:00:00")
    assert links[0].last_seen.startswith("2026-03-02T10:00:00")
    assert [(lk.value, lk.complaints) for lk in store.links("upi", U)] == [(A, 2), (B, 1)]
    assert store.links("phone", C) == []
    assert store.links("phone", A, limit=1)[0].value == U


def test_redelivery_and_reorder_never_add_a_link_twice(store_factory):
    store = store_factory()
    one = enriched("x:1", phones=(A, B), created_at="2026-03-01T10:00:00Z")
    two = enriched("x:2", phones=(A, B), created_at="2026-03-02T10:00:00Z")
    store.write([two])
    store.write([one, two])
    store.write([one])
    assert [(lk.value, lk.complaints) for lk in store.links("phone", A)] == [(B, 2)]


def test_a_redelivered_complaint_with_other_identifiers_drops_its_old_links(store_factory):
    store = store_factory()
    store.write([enriched("x:1", phones=(A, B))])
    store.write([enriched("x:1", phones=(A, C))])
    assert [lk.value for lk in store.links("phone", A)] == [C]
    assert store.links("phone", B) == []
    assert store.ring("phone", B) is None


def test_ring_members_counts_and_stable_id(store_factory):
    store = store_factory()
    store.write(
        [
            enriched("x:1", phones=(A,), upis=(U,), created_at="2026-03-01T10:00:00Z"),
            enriched("x:2", phones=(B,), upis=(U,), created_at="2026-03-03T10:00:00Z"),
            enriched("x:3", phones=(C,), created_at="2026-03-04T10:00:00Z", category="other"),
        ]
    )
    ring = store.ring("phone", A)
    members = (("phone", B), ("phone", A), ("upi", U))
    assert ring is not None
    assert ring.members == tuple(sorted(members))
    assert ring.size == 3 and not ring.truncated
    assert ring.complaint_count == 2
    assert ring.categories == {"bank_fraud": 2}
    assert ring.first_seen.startswith("2026-03-01T10:00:00")
    assert ring.last_seen.startswith("2026-03-03T10:00:00")
    assert ring.id == ring_id(members) == store.ring("upi", U).id
    assert ring.id.startswith("ring:")
    assert store.ring("phone", C) is None
    assert ring.to_dict()["members"][0] == {"kind": "phone", "value": B}


def test_ring_is_capped_and_hubs_are_not_traversed(store_factory, monkeypatch):
    monkeypatch.setattr(link_rules, "MAX_RING_MEMBERS", 4)
    monkeypatch.setattr(link_rules, "HUB_DEGREE", 3)
    store = store_factory()
    chain = [f"+91900000000{i}" for i in range(6)]
    store.write(
        [enriched(f"x:{i}", phones=(chain[i], chain[i + 1])) for i in range(len(chain) - 1)]
    )
    ring = store.ring("phone", chain[0])
    assert ring.truncated and len(ring.members) == 4
    # a hub: one upi named beside four numbers of four gangs
    gangs = [f"+91800000000{i}" for i in range(4)]
    store.write([enriched(f"x:h{i}", phones=(p,), upis=(U,)) for i, p in enumerate(gangs)])
    gang = store.ring("phone", gangs[0])
    assert gang.members == (("phone", gangs[0]), ("upi", U))
    assert len(store.ring("upi", U).members) == 4  # capped; the hub itself is expanded


def test_a_complaint_links_at_most_the_cap(store_factory, monkeypatch):
    monkeypatch.setattr(link_rules, "MAX_LINKED_PER_COMPLAINT", 3)
    store = store_factory()
    phones = tuple(f"+91700000000{i}" for i in range(5))
    store.write([enriched("x:1", phones=phones)])
    assert [lk.value for lk in store.links("phone", phones[0])] == list(phones[1:3])
    assert store.links("phone", phones[4]) == []
