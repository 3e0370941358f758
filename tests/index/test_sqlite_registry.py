"""The SQLite registry updated in place equals the registry derived from all links, always."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scamtrail.index.sqlite import SqliteStore
from scamtrail.index.sqlite_reads import split_list

from scamtrail.records import Author
from tests.conftest import enriched

PHONES = ("+919876543210", "+918765432109", "+917654321098")
UPIS = ("ring@ybl", "gang@paytm")

complaint = st.fixed_dictionaries(
    {
        "id": st.sampled_from([f"x:{i}" for i in range(8)]),
        "phones": st.lists(st.sampled_from(PHONES), max_size=3),
        "upis": st.lists(st.sampled_from(UPIS), max_size=2),
        "day": st.integers(1, 28),
        "category": st.sampled_from(["bank_fraud", "other", "traffic"]),
        "author": st.sampled_from([None, "a1", "a2", "a3"]),
        "source": st.sampled_from(["x", "intake", "partner"]),
    }
)


def _record(c: dict):
    record = enriched(
        c["id"],
        category=c["category"],
        created_at=f"2026-02-{c['day']:02d}T10:00:00Z",
        phones=tuple(c["phones"]),
        upis=tuple(c["upis"]),
    )
    return record.model_copy(
        update={"author": Author(id=c["author"], username=None), "source": c["source"]}
    )


def _registry(store: SqliteStore) -> dict:
    rows = store._db.execute(
        "SELECT kind, value, complaint_count, first_seen, last_seen, categories, complainants,"
        " sources FROM registry"
    )
    return {
        (k, v): (n, f, last, split_list(c), p, split_list(s)) for k, v, n, f, last, c, p, s in rows
    }


def _derived(store: SqliteStore) -> dict:
    rows = store._db.execute(
        "SELECT kind, value, COUNT(*), MIN(created_at), MAX(created_at),"
        " group_concat(DISTINCT category), COUNT(DISTINCT author), group_concat(DISTINCT source)"
        " FROM complaint_identifiers GROUP BY kind, value"
    )
    return {
        (k, v): (n, f, last, split_list(c), p, split_list(s)) for k, v, n, f, last, c, p, s in rows
    }


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(batches=st.lists(st.lists(complaint, min_size=1, max_size=5), min_size=1, max_size=6))
def test_updates_in_place_match_a_full_derivation(tmp_path_factory, batches):
    """New, redelivered, reprocessed (identifiers, date, category, author or source changed)
    and reordered complaints, in any mix: the registry is what its links say."""
    store = SqliteStore(tmp_path_factory.mktemp("reg") / "store.db")
    try:
        for batch in batches:
            store.write([_record(c) for c in batch])
            assert _registry(store) == _derived(store)
    finally:
        store.close()


def test_a_hot_identifier_is_updated_without_reading_its_links(tmp_path):
    """A number named by many complaints: a new complaint naming it reads none of its links."""
    store = SqliteStore(tmp_path / "store.db")
    hot = PHONES[0]
    store.write([enriched(f"x:{i}", phones=(hot,)) for i in range(300)])
    read = []
    store._db.set_trace_callback(read.append)
    store.write([enriched("x:new", phones=(hot,))])
    store._db.set_trace_callback(None)
    aggregates = [sql for sql in read if "COUNT(DISTINCT" in sql or "MIN(ci.created_at)" in sql]
    assert aggregates == []
    assert store.registry("phone", [hot])[hot].complaint_count == 301
    store.close()
