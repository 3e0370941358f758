"""Registry complainants and sources, and the check on arrival (``prior_matches``), on every store."""

from __future__ import annotations

from scamtrail.records import Author, Enriched
from tests.conftest import enriched

A = "+919876543210"
B = "+918765432109"


def by(record: Enriched, author_id: str | None, username: str | None, source: str = "x"):
    """The record as sent by another author (and source)."""
    return record.model_copy(
        update={"author": Author(id=author_id, username=username), "source": source}
    )


def prior(hit) -> dict[tuple[str, str], int]:
    return {(m["kind"], m["value"]): m["prior_count"] for m in hit.prior_matches}


def test_complainants_and_sources_are_distinct_and_redelivery_safe(store_factory):
    store = store_factory()
    batch = [
        by(enriched("x:1", phones=(A,)), "11", "asha"),
        by(enriched("x:2", phones=(A,)), "11", "asha"),  # the same person again
        by(enriched("x:3", phones=(A,)), None, "Ravi", source="intake"),  # no id: by username
        by(enriched("x:4", phones=(A, B)), "33", "meera"),
    ]
    updates = store.write(batch)
    again = store.write(batch)
    store.write([by(enriched("x:5", phones=(A,)), None, "ravi", source="intake")])  # case-folded
    (first,) = [u for u in updates if u.entry.value == A]
    assert first.entry.complainants == 3 and set(first.entry.sources) == {"x", "intake"}
    (second,) = [u for u in again if u.entry.value == A]
    assert second.entry.complainants == 3  # a redelivery counts nobody twice

    for entry in (
        store.registry("phone", [A])[A],
        store.lookup("phone", A).entry(),
        next(e for e in store.top_identifiers(min_count=1) if e.value == A),
    ):
        assert entry.complaint_count == 5
        assert entry.complainants == 3
        assert set(entry.sources) == {"x", "intake"}
    assert store.registry("phone", [B])[B].complainants == 1
    d = store.registry("phone", [A])[A].to_dict()
    assert d["complainants"] == 3 and sorted(d["sources"]) == ["intake", "x"]


def test_a_reprocessed_complaint_moves_its_complainant(store_factory):
    store = store_factory()
    store.write([by(enriched("x:1", phones=(A,)), "11", "asha")])
    store.write([by(enriched("x:2", phones=(A,)), "22", "ravi")])
    assert store.registry("phone", [A])[A].complainants == 2
    store.write([by(enriched("x:2", phones=(B,)), "22", "ravi")])  # re-extracted: names B now
    assert store.registry("phone", [A])[A].complainants == 1
    assert store.registry("phone", [B])[B].complainants == 1


def test_prior_matches_within_one_batch_and_across_batches(store_factory):
    store = store_factory()
    store.write([enriched("x:1", phones=(A,), created_at="2026-03-01T10:00:00Z")])
    store.write(
        [
            enriched("x:2", phones=(A, B), created_at="2026-03-02T10:00:00Z"),
            enriched("x:3", phones=(B,), created_at="2026-03-03T10:00:00Z"),
            enriched("x:4", phones=(A, B), created_at="2026-03-04T10:00:00Z"),
        ]
    )
    hits = {h.id: h for h in store.lookup("phone", A).complaints}
    hits.update({h.id: h for h in store.lookup("phone", B).complaints})
    assert prior(hits["x:1"]) == {}
    assert prior(hits["x:2"]) == {("phone", A): 1}  # B was new with it
    assert prior(hits["x:3"]) == {("phone", B): 1}
    assert prior(hits["x:4"]) == {("phone", A): 2, ("phone", B): 2}


def test_a_redelivered_complaint_keeps_what_it_saw_on_arrival(store_factory):
    store = store_factory()
    batch = [enriched("x:1", phones=(A,)), enriched("x:2", phones=(A,))]
    store.write(batch)
    store.write([enriched("x:3", phones=(A,))])
    store.write(batch)  # redelivered after x:3 arrived
    store.write(batch[1:])
    hits = {h.id: h for h in store.lookup("phone", A).complaints}
    assert prior(hits["x:1"]) == {}
    assert prior(hits["x:2"]) == {("phone", A): 1}
    assert prior(hits["x:3"]) == {("phone", A): 2}
    # a complaint re-extracted with a new identifier learns only about that one
    store.write([enriched("x:4", phones=(B,))])
    store.write([enriched("x:1", phones=(A, B))])
    again = {h.id: h for h in store.lookup("phone", A).complaints}
    assert prior(again["x:1"]) == {("phone", B): 1}


def test_prior_matches_show_in_json_and_search(store_factory):
    store = store_factory()
    store.write([enriched("x:1", "first call", phones=(A,))])
    store.write([enriched("x:2", "second call", phones=(A,))])
    looked = store.lookup("phone", A).to_dict()
    assert looked["complaints"][1]["prior_matches"] == [
        {"kind": "phone", "value": A, "prior_count": 1}
    ]
    (hit,) = store.search("second")
    assert hit.to_dict()["prior_matches"] == [{"kind": "phone", "value": A, "prior_count": 1}]


def test_an_older_sqlite_store_gains_complainants_and_sources(tmp_path):
    import sqlite3

    from scamtrail.index.sqlite import SqliteStore

    path = tmp_path / "old.db"
    store = SqliteStore(path)
    store.write(
        [
            by(enriched("x:1", phones=(A,)), "11", "asha"),
            by(enriched("x:2", phones=(A,)), None, "ravi", source="intake"),
        ]
    )
    store.close()
    db = sqlite3.connect(path)  # as a file written before these columns existed
    db.execute("DROP INDEX complaint_identifiers_by_author")  # newer than those columns
    for table, column in (
        ("complaint_identifiers", "author"),
        ("complaint_identifiers", "source"),
        ("registry", "complainants"),
        ("registry", "sources"),
    ):
        db.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    db.commit()
    db.close()
    reopened = SqliteStore(path)
    entry = reopened.registry("phone", [A])[A]
    assert entry.complainants == 2 and set(entry.sources) == {"x", "intake"}
    reopened.write([by(enriched("x:3", phones=(A,)), "11", "asha")])
    assert reopened.registry("phone", [A])[A].complainants == 2
    reopened.close()
