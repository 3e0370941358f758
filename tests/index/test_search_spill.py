"""Busy registry entries of the search-engine store: sightings spilled, counts exact.

The inline limit is lowered to 3 sightings, so every entry here past 3 complaints is spilled;
each case is checked against the SQLite store, which derives every entry from all its links.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from scamtrail.index import search_spill
from scamtrail.index.search_engine import SearchEngineStore
from scamtrail.index.sqlite import SqliteStore

from scamtrail.errors import StoreError
from scamtrail.records import Enriched, Identifier
from tests.conftest import race

Factory = Callable[..., SearchEngineStore]
NUMBERS = ["+919876500001", "+919876500002", "+919876500003"]


@pytest.fixture(autouse=True)
def small_entries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search_spill, "MAX_INLINE", 3)


def complaint(
    cid: str,
    *numbers: str,
    author: str = "a1",
    category: str = "bank_fraud",
    day: int = 1,
    source: str = "x",
) -> Enriched:
    idents = [Identifier(kind="phone", value=n, text=n, start=0, end=len(n)) for n in numbers]
    return Enriched(
        id=cid,
        source=source,
        text="caller asked my OTP",
        created_at=f"2026-03-{day:02d}T10:00:00Z",
        author={"id": author, "username": author, "name": author},
        category=category,
        scores={category: 0.9},
        identifiers=idents,
        model="test",
    )


def _same(store: SearchEngineStore, oracle: SqliteStore, number: str) -> None:
    got, want = store.lookup("phone", number, 1000), oracle.lookup("phone", number, 1000)
    assert got.complaint_count == want.complaint_count, number
    assert got.complainants == want.complainants, number
    assert (got.first_seen[:10] if got.first_seen else None) == (
        want.first_seen[:10] if want.first_seen else None
    )
    assert (got.last_seen[:10] if got.last_seen else None) == (
        want.last_seen[:10] if want.last_seen else None
    )
    assert set(got.categories) == set(want.categories), number
    assert set(got.sources) == set(want.sources), number
    assert [c.id for c in got.complaints] == [c.id for c in want.complaints], number


@pytest.fixture
def oracle(tmp_path: Path) -> Iterator[SqliteStore]:
    store = SqliteStore(tmp_path / "oracle.db")
    yield store
    store.close()


def _both(store: SearchEngineStore, oracle: SqliteStore, batch: list[Enriched]) -> list[Any]:
    oracle.write(batch)
    return store.write(batch)


def test_a_busy_entry_keeps_a_bounded_document_and_exact_counts(
    search_store_factory: Factory, oracle: SqliteStore
) -> None:
    store = search_store_factory()
    history = [
        complaint(f"x:{i}", NUMBERS[0], author=f"a{i % 4}", day=1 + i % 20, source="xs"[i % 2])
        for i in range(12)
    ]
    for i in range(0, 12, 4):
        updates = _both(store, oracle, history[i : i + 4])
        assert updates[0].new_complaint_ids == tuple(sorted(r.id for r in history[i : i + 4]))
    for i in range(0, 12, 5):  # redelivered, in other batches
        updates = _both(store, oracle, history[i : i + 5])
        assert all(not u.new_complaint_ids for u in updates)
        assert updates[0].before_count == updates[0].entry.complaint_count == 12
    doc = store._mget(store.registry_index, [f"phone:{NUMBERS[0]}"])[f"phone:{NUMBERS[0]}"]
    # the limit, plus at most the last batch's own links (only counted links move out)
    assert doc["spilled"] and len(doc["sightings"]) <= 3 + 4
    assert store.lookup("phone", NUMBERS[0]).complainants == 4
    _same(store, oracle, NUMBERS[0])
    update = _both(store, oracle, [complaint("x:new", NUMBERS[0], author="a9", day=28)])[0]
    assert (update.before_count, update.entry.complaint_count) == (12, 13)
    assert update.recent[-1][1] == "x:new"
    _same(store, oracle, NUMBERS[0])


def test_reprocessed_complaints_of_a_busy_entry_move(
    search_store_factory: Factory, oracle: SqliteStore
) -> None:
    store = search_store_factory()
    history = [complaint(f"x:{i}", NUMBERS[0], author=f"a{i}", day=1 + i) for i in range(8)]
    _both(store, oracle, history)
    # the oldest complaint (spilled) no longer names the number; another changes author
    _both(store, oracle, [complaint("x:0", NUMBERS[1]), complaint("x:7", NUMBERS[0], author="a1")])
    _same(store, oracle, NUMBERS[0])
    _same(store, oracle, NUMBERS[1])
    _both(store, oracle, [complaint("x:0", NUMBERS[1])])  # redelivered
    _same(store, oracle, NUMBERS[0])
    _both(store, oracle, [complaint(f"x:{i}", NUMBERS[2]) for i in range(8)])  # every one moves
    for number in NUMBERS:
        _same(store, oracle, number)


def _fail_bulk(store: SearchEngineStore, doing: str) -> None:
    """Make the store's next bulk whose description starts with ``doing`` fail, once."""
    real = store._bulk
    failed = {"done": False}

    def flaky(actions: Any, what: str, **kwargs: Any) -> Any:
        if what.startswith(doing) and not failed["done"]:
            failed["done"] = True
            raise StoreError("injected", retriable=True)
        return real(actions, what, **kwargs)

    store._bulk = flaky  # type: ignore[method-assign]


@pytest.mark.parametrize("doing", ["updating the identifiers registry", "spilling registry"])
def test_a_write_that_fails_half_way_counts_once_when_redelivered(
    search_store_factory: Factory, oracle: SqliteStore, doing: str
) -> None:
    store = search_store_factory()
    _both(store, oracle, [complaint(f"x:{i}", NUMBERS[0], author=f"a{i}") for i in range(5)])
    batch = [complaint(f"x:{i}", NUMBERS[0], author=f"a{i % 7}") for i in range(5, 10)]
    _fail_bulk(store, doing)
    with pytest.raises(StoreError):
        store.write(batch)
    _both(store, oracle, batch)  # the redelivery
    _same(store, oracle, NUMBERS[0])


def test_two_writers_on_busy_entries_count_every_complaint_once(
    search_store_factory: Factory, oracle: SqliteStore
) -> None:
    stores = [search_store_factory(), search_store_factory()]
    batches = {
        n: [
            [
                complaint(f"x:{n}-{r}-{i}", *NUMBERS[i % 3 :], author=f"a{(n + i) % 5}", day=1 + r)
                for i in range(6)
            ]
            for r in range(5)
        ]
        for n in range(2)
    }

    def work(n: int) -> None:
        for batch in batches[n]:
            stores[n].write(batch)
            stores[n].write(batch[:3])  # a redelivery, racing the other writer

    race(work)
    for n in range(2):
        for batch in batches[n]:
            oracle.write(batch)
    for number in NUMBERS:
        _same(stores[0], oracle, number)


def test_random_writes_match_a_full_derivation(
    search_store_factory: Factory, oracle: SqliteStore
) -> None:
    store, rng = search_store_factory(), random.Random(19)
    written: list[Enriched] = []
    for _ in range(12):
        batch = []
        for _ in range(rng.randint(1, 6)):
            old = rng.choice(written) if written else None
            if old and rng.random() < 0.3 and old.id not in {r.id for r in batch}:
                if rng.random() < 0.5:  # redelivered as it was
                    batch.append(old)
                else:  # reprocessed: other numbers, day, author
                    numbers = rng.sample(NUMBERS, rng.randint(0, 2))
                    author = f"a{rng.randint(0, 6)}"
                    batch.append(complaint(old.id, *numbers, author=author, day=rng.randint(1, 28)))
            else:
                batch.append(
                    complaint(
                        f"x:{len(written)}-{rng.random():.6f}",
                        *rng.sample(NUMBERS, rng.randint(1, 3)),
                        author=f"a{rng.randint(0, 6)}",
                        category=rng.choice(["bank_fraud", "other"]),
                        day=rng.randint(1, 28),
                        source=rng.choice(["x", "http"]),
                    )
                )
            written.append(batch[-1])
        _both(store, oracle, batch)
    for number in NUMBERS:
        _same(store, oracle, number)


def test_a_stale_key_sent_again_reads_no_history(search_store_factory: Factory) -> None:
    store = search_store_factory()
    store.write([complaint(f"x:{i}", NUMBERS[0], author=f"a{i}", day=1 + i) for i in range(8)])
    store.write([complaint("x:0", NUMBERS[1])])  # x:0 leaves a spilled entry: derived again
    reads: list[str] = []
    real = store._all_sightings

    def counting(key: str) -> Any:
        reads.append(key)
        return real(key)

    store._all_sightings = counting  # type: ignore[method-assign]
    store.write([complaint("x:0", NUMBERS[1])])  # its document still names the stale key
    store.write([complaint("x:9", NUMBERS[0], author="a9", day=20)])
    assert reads == []
    assert store.lookup("phone", NUMBERS[0]).complaint_count == 8
