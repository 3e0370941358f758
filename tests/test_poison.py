"""Poison messages through the process and index stages, on the embedded bus and on real Kafka.

A message that cannot be decoded goes to the DLQ at once; one that makes the handler fail is
tried ``max_attempts`` times, then isolated from its batch and dead-lettered with the error. In
both cases every other message of the stream is handled and committed, and nothing is lost.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from scamtrail.extract.pipeline import ComplaintExtractor
from scamtrail.index.sqlite import SqliteStore

from scamtrail.bus.base import Message
from scamtrail.records import Complaint, decode_complaint
from scamtrail.runtime.consumer import StageStopped
from scamtrail.runtime.stages import IndexStage, ProcessStage
from scamtrail.settings import StageSettings

POISON = "POISON-PILL"


class FailingExtractor(ComplaintExtractor):
    """The real extractor, failing on every batch that holds a complaint naming ``POISON``."""

    def __init__(self) -> None:
        super().__init__()
        self.calls = 0
        self.poison_calls = 0

    def enrich(self, complaints):  # type: ignore[no-untyped-def]
        self.calls += 1
        if any(POISON in c.text for c in complaints):
            self.poison_calls += 1
            raise RuntimeError("extractor crashed on this text")
        return super().enrich(complaints)


@pytest.fixture(scope="module")
def extractor() -> FailingExtractor:
    return FailingExtractor()


def _complaint(i: int, text: str) -> Message:
    c = Complaint(id=f"c{i}", source="replay", text=text, created_at="2026-03-01T10:00:00Z")
    return Message.new(c.id, c.to_json())


def _drain(*stages: ProcessStage | IndexStage, idle_rounds: int = 3) -> None:
    idle = 0
    while idle < idle_rounds:
        moved = sum(stage.step(timeout_s=0.5) for stage in stages)
        idle = idle + 1 if moved == 0 else 0


def test_poison_messages_reach_the_dlq_and_the_stream_goes_on(
    bus_factory, extractor: FailingExtractor, tmp_path: Path
) -> None:
    bus = bus_factory(partitions=1)
    good = [
        _complaint(i, f"fake SBI officer asked OTP, called from 98765 4{i:04d}") for i in range(12)
    ]
    raw = [
        *good[:4],
        Message.new("junk-1", b"{not json at all"),
        _complaint(100, f"{POISON} caller 98111 22233 said he is from HDFC"),
        *good[4:8],
        Message.new("junk-2", json.dumps({"schema": 99, "id": "junk-2", "text": "x"}).encode()),
        *good[8:],
    ]
    bus.publish("raw", raw)
    bus.publish("enriched", [Message.new("junk-3", b'{"schema": 1, "id": "junk-3"}')])
    settings = StageSettings(batch_size=50, poll_timeout_s=0.2, max_attempts=2)
    extractor.poison_calls = 0
    store = SqliteStore(tmp_path / "store.db")
    process = ProcessStage(bus, extractor, settings=settings)
    index = IndexStage(bus, store, settings=settings)
    try:
        _drain(process, index)

        indexed = {h.id for h in store.search("", limit=100)}
        assert indexed == {f"c{i}" for i in range(12)}

        dlq = {m.key: m for m in bus.read("dlq", 0, 100)}
        assert set(dlq) == {"junk-1", "c100", "junk-2", "junk-3"}
        reasons = {k: (m.header("stage"), m.header("reason")) for k, m in dlq.items()}
        assert reasons["junk-1"] == ("process", "malformed_json")
        assert reasons["junk-2"] == ("process", "unknown_schema")
        assert reasons["junk-3"] == ("index", "missing_field")
        assert reasons["c100"] == ("process", "processing_failed")
        poison = dlq["c100"]
        assert "RuntimeError: extractor crashed" in (poison.header("error") or "")
        assert poison.header("origin_topic") and poison.header("origin_offset") is not None
        assert decode_complaint(poison.value).text.startswith(POISON)  # the original bytes
        # max_attempts=2 on its batch, then (when the batch held others) 2 more on it alone.
        assert extractor.poison_calls in (2, 4)

        # Everything was committed: a new member of each group finds nothing left to do.
        assert process.lag() == 0 and index.lag() == 0
    finally:
        process.close()
        index.close()
        store.close()


def test_retriable_outages_are_not_dead_lettered(bus_factory, tmp_path: Path) -> None:
    """A store outage is retried with offsets uncommitted, never turned into dead letters."""
    from scamtrail.errors import StoreError

    class DownStore(SqliteStore):
        def write(self, batch):  # type: ignore[no-untyped-def]
            raise StoreError("store is down", retriable=True)

    bus = bus_factory(partitions=1)
    e = json.loads(
        _complaint(1, "fake bank KYC call from 9876543210").value.decode()
    )  # an Enriched needs the extract fields
    e.update(category="bank_fraud", scores={"bank_fraud": 0.9}, identifiers=[], entities=[])
    e["model"] = "test"
    bus.publish("enriched", [Message.new("c1", json.dumps(e).encode())])
    store = DownStore(tmp_path / "down.db")
    stage = IndexStage(bus, store, settings=StageSettings(max_attempts=1, poll_timeout_s=0.2))
    stage.stop_event.set()  # the first backoff wait raises StageStopped
    try:
        with pytest.raises(StageStopped):
            stage.step(timeout_s=5.0)
        assert bus.read("dlq", 0, 10) == []
        assert stage.lag() == 1  # left uncommitted for the next try
    finally:
        stage.close()
        store.close()
