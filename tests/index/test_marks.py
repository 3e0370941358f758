"""Verdicts on identifiers (``scamtrail mark``) in every store."""

from __future__ import annotations

from scamtrail.index.base import IdentifierMark

A = "+919876543210"
B = "+918765432109"


def mark(value: str = A, reason: str = "bank IVR", by: str = "asha") -> IdentifierMark:
    return IdentifierMark("phone", value, "false_positive", reason, by, "2026-03-09T10:00:00Z")


def test_set_read_replace_and_clear_marks(store_factory):
    store = store_factory()
    assert store.marks([("phone", A)]) == {}
    store.set_mark(mark())
    store.set_mark(mark(B))
    got = store.marks([("phone", A), ("phone", B), ("upi", A), ("phone", "+910000000000")])
    assert set(got) == {("phone", A), ("phone", B)}
    assert got[("phone", A)] == mark()
    store.set_mark(mark(reason="helpline of the bank", by="ravi"))
    replaced = store.marks([("phone", A)])[("phone", A)]
    assert replaced.reason == "helpline of the bank" and replaced.marked_by == "ravi"
    assert store.clear_mark("phone", A) is True
    assert store.clear_mark("phone", A) is False
    assert set(store.marks([("phone", A), ("phone", B)])) == {("phone", B)}


def test_marks_are_durable_and_seen_by_other_instances(store_factory):
    first = store_factory()
    first.set_mark(mark())
    first.close()
    second = store_factory()
    assert second.marks([("phone", A)])[("phone", A)].reason == "bank IVR"
