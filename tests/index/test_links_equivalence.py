"""Links and rings are the same on SQLite and the search engine for the same input.

One seeded random corpus (identifiers drawn from a small pool so links, rings, hubs and truncated
rings all occur; some complaints redelivered, some reprocessed with other identifiers, batches in
shuffled order) is written to both stores; every identifier's links and ring are compared.
"""

from __future__ import annotations

import random

import pytest
from scamtrail.index import links as link_rules
from scamtrail.index.sqlite import SqliteStore

from scamtrail.records import Enriched, Identifier

CATEGORIES = ("bank_fraud", "traffic", "other")


def _pool(rng: random.Random) -> list[tuple[str, str]]:
    phones = [("phone", f"+9198{rng.randrange(10**8):08d}") for _ in range(40)]
    upis = [("upi", f"pay{i}@ybl") for i in range(15)]
    urls = [("url", f"https://pay-{i}.example.in/kyc") for i in range(8)]
    return phones + upis + urls


def _complaint(rng: random.Random, cid: str, pool: list[tuple[str, str]]) -> Enriched:
    # a few identifiers are popular (hubs); most are rare
    n = rng.choice((0, 1, 2, 2, 3, 3, 4, 6))
    picked = [pool[min(int(rng.expovariate(0.08)), len(pool) - 1)] for _ in range(n)]
    day = rng.randrange(1, 28)
    return Enriched(
        id=cid,
        source="x",
        text="caller asked my OTP",
        created_at=f"2026-03-{day:02d}T{rng.randrange(24):02d}:{rng.randrange(60):02d}:00Z",
        author={"id": str(rng.randrange(50)), "username": "citizen", "name": "Citizen"},
        category=rng.choice(CATEGORIES),
        scores={},
        identifiers=[Identifier(kind=k, value=v, text=v, start=0, end=len(v)) for k, v in picked],
        model="test",
    )


def _corpus(seed: int) -> tuple[list[list[Enriched]], list[tuple[str, str]]]:
    rng = random.Random(seed)
    pool = _pool(rng)
    records = [_complaint(rng, f"x:{i}", pool) for i in range(300)]
    # reprocessed: the same ids with other identifiers, and plain redeliveries
    again = [_complaint(rng, f"x:{rng.randrange(300)}", pool) for _ in range(30)]
    again += rng.sample(records, 30)
    stream = records + again
    batches = [stream[i : i + 37] for i in range(0, len(stream), 37)]
    head = batches[:-3]
    rng.shuffle(head)  # reordered, but every reprocessed version lands after its original
    return head + batches[-3:], pool


@pytest.mark.parametrize("seed", [7, 2026])
def test_links_and_rings_match_sqlite(search_store_factory, tmp_path, monkeypatch, seed):
    monkeypatch.setattr(link_rules, "MAX_LINKED_PER_COMPLAINT", 4)
    monkeypatch.setattr(link_rules, "HUB_DEGREE", 8)
    monkeypatch.setattr(link_rules, "MAX_RING_MEMBERS", 25)
    batches, pool = _corpus(seed)
    sqlite = SqliteStore(tmp_path / "store.db")
    engine = search_store_factory()
    try:
        for batch in batches:
            sqlite.write(batch)
            engine.write(batch)
        rings = truncated = hubs = 0
        for kind, value in pool:
            for limit in (100, 3):
                expected = sqlite.links(kind, value, limit=limit)
                assert engine.links(kind, value, limit=limit) == expected, (kind, value, limit)
            hubs += len(sqlite.links(kind, value)) > link_rules.HUB_DEGREE
            ring = sqlite.ring(kind, value)
            assert engine.ring(kind, value) == ring, (kind, value)
            rings += ring is not None
            truncated += bool(ring and ring.truncated)
        # the corpus exercises what it is meant to: rings, hubs and the cap
        assert rings > 10 and hubs > 0 and truncated > 0
    finally:
        sqlite.close()
