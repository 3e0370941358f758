"""The SQLite store's batch write: what it hands the alert rules, and what it costs per batch."""

from __future__ import annotations

import pytest
from scamtrail.index import sqlite_writes
from scamtrail.index.sqlite import SqliteStore

from scamtrail.records import Alert, Identifier
from scamtrail.sqlite_db import in_list_chunks
from tests.conftest import enriched

A = "+919876543210"
B = "+918765432109"


def _day(i: int) -> str:
    return f"2026-03-{1 + i % 28:02d}T{i % 24:02d}:00:00Z"


def test_updates_carry_every_sighting_oldest_first(tmp_path):
    store = SqliteStore(tmp_path / "store.db")
    # Out of order in time, across batches, with a tie on created_at broken by complaint id.
    store.write([enriched("x:3", phones=(A,), created_at=_day(5), category="other")])
    store.write(
        [
            enriched("x:1", phones=(A, B), created_at=_day(2)),
            enriched("x:2", phones=(A,), created_at=_day(5)),
        ]
    )
    updates = {u.entry.value: u for u in store.write([enriched("x:0", phones=(A,))])}
    a = updates[A]
    assert a.entry.complaint_count == 4
    assert a.recent == (
        ("2026-03-01T10:00:00.000000Z", "x:0", "bank_fraud"),
        (_day(2).replace(":00Z", ":00.000000Z"), "x:1", "bank_fraud"),
        (_day(5).replace(":00Z", ":00.000000Z"), "x:2", "bank_fraud"),
        (_day(5).replace(":00Z", ":00.000000Z"), "x:3", "other"),
    )
    assert a.entry.complaint_ids == ("x:0", "x:1", "x:2", "x:3")
    assert a.new_complaint_ids == ("x:0",)
    # x:1 reprocessed without A: A loses it; B's single complaint is cited, but is no repeat.
    again = {
        u.entry.value: u for u in store.write([enriched("x:1", phones=(B,), created_at=_day(2))])
    }
    assert again[A].entry.complaint_ids == ("x:0", "x:2", "x:3")
    b = again[B]
    assert b.entry.complaint_ids == ("x:1",) and b.recent == () and b.new_complaint_ids == ()
    store.close()


def test_entries_above_max_recent_carry_the_newest_sightings_and_the_oldest_ids(
    tmp_path, monkeypatch
):
    monkeypatch.setattr(sqlite_writes, "MAX_RECENT", 3)
    store = SqliteStore(tmp_path / "store.db")
    store.write([enriched(f"x:{i}", phones=(A,), created_at=_day(i)) for i in range(5)])
    (update,) = store.write([enriched("x:5", phones=(A,), created_at=_day(5))])
    assert update.entry.complaint_count == 6
    assert [cid for _, cid, _ in update.recent] == ["x:3", "x:4", "x:5"]
    assert update.entry.complaint_ids == ("x:0", "x:1", "x:2", "x:3", "x:4", "x:5")
    store.close()


class _Recording:
    """The store's connection, recording the SQL text and first parameters of each statement."""

    def __init__(self, db) -> None:
        self.db = db
        self.statements: dict[str, tuple] = {}

    def execute(self, sql, params=()):
        self.statements.setdefault(sql, tuple(params))
        return self.db.execute(sql, params)

    def executemany(self, sql, rows):
        rows = list(rows)
        self.statements.setdefault(sql, tuple(rows[0]) if rows else ())
        return self.db.executemany(sql, rows)


def _statements(store: SqliteStore, batch) -> dict[str, tuple]:
    """Each distinct SQL text a write of ``batch`` ran, with parameters of one of its runs."""
    db = store._db
    store._db = recording = _Recording(db)  # type: ignore[assignment]
    try:
        store.write(batch)
    finally:
        store._db = db
    return recording.statements


@pytest.mark.parametrize("size", [10, 200])
def test_a_batch_costs_the_same_statements_whatever_its_size(tmp_path, monkeypatch, size):
    # Identifiers with more than MAX_RECENT complaints are read one by one (tested above); here
    # every identifier stays below it, whatever the batch size.
    monkeypatch.setattr(sqlite_writes, "MAX_RECENT", 10_000)
    store = SqliteStore(tmp_path / "store.db")
    # Earlier complaints make every identifier of the batch a repeat with a history to read.
    store.write([enriched(f"old:{i}", phones=(f"+9190000{i:05d}",)) for i in range(size)])
    batch = [enriched(f"x:{i}", phones=(f"+9190000{i:05d}", A)) for i in range(size)]
    small = _statements(store, batch[:3])
    large = _statements(store, batch[3:])
    assert set(large) == set(small)  # the same SQL texts, each prepared once
    assert len(large) <= 25
    store.close()


def test_a_batch_reads_only_the_rows_it_touches(tmp_path):
    """No statement of a write scans a stored table: the cost of a batch does not grow with
    the number of complaints stored before it."""
    store = SqliteStore(tmp_path / "store.db")
    store.write([enriched("x:1", phones=(A,))])
    statements = _statements(store, [enriched("x:1", phones=(B,)), enriched("x:2", phones=(A,))])
    scans = []
    for sql, params in statements.items():
        if sql.startswith(("BEGIN", "COMMIT", "DELETE FROM temp.", "INSERT INTO temp.")):
            continue
        for *_, detail in store._db.execute(f"EXPLAIN QUERY PLAN {sql}", params):
            # Only the per-batch scratch tables (aliases b and t) may be scanned whole; the FTS
            # index is reached by rowid (a virtual table "scan" with an = constraint).
            whole = detail.startswith("SCAN") and not detail.startswith(("SCAN b", "SCAN t"))
            if whole and not ("VIRTUAL TABLE INDEX" in detail and "=" in detail):
                scans.append((detail, sql))
    assert scans == []
    store.close()


def _alert(value: str) -> Alert:
    return Alert(
        id=f"repeat:phone:{value}:2",
        rule="repeat",
        level=2,
        identifier=Identifier(kind="phone", value=value),
        complaint_ids=["x:1", "x:2"],
        categories=["bank_fraud"],
        complaint_count=2,
    )


def test_alerts_are_new_once_whatever_their_id_holds(tmp_path):
    store = SqliteStore(tmp_path / "store.db")
    odd = _alert("+9198\x0076")  # SQLite's JSON functions end a string at a NUL
    assert [a.id for a in store.record_alerts([_alert(A), odd, _alert(A)])] == [
        _alert(A).id,
        odd.id,
    ]
    assert store.record_alerts([odd, _alert(A)]) == []
    assert [a.id for a in store.record_alerts([_alert(B), odd])] == [_alert(B).id]
    assert {a.id for a in store.pending_alerts()} == {_alert(A).id, odd.id, _alert(B).id}
    store.close()


def test_lookups_by_many_keys_pad_to_a_few_statement_shapes(tmp_path):
    assert [len(c) for c in in_list_chunks(list(range(1)))] == [16]
    assert [len(c) for c in in_list_chunks(list(range(17)))] == [64]
    assert [len(c) for c in in_list_chunks(list(range(401)))] == [400, 16]
    assert [set(c) for c in in_list_chunks(list(range(401)))] == [set(range(400)), {400}]
    store = SqliteStore(tmp_path / "store.db")
    values = [f"+9190000{i:05d}" for i in range(401)]
    store.write([enriched(f"x:{i}", phones=(v,)) for i, v in enumerate(values)])
    for wanted in (values[:1], values[:17], values):
        assert sorted(store.registry("phone", [*wanted, "+910"])) == sorted(wanted)
        keys = [("phone", v) for v in wanted]
        assert store.marks(keys) == {} and store.partner_entries(keys) == {}
    store.close()
