"""Consumer stages make batches by count, bytes and time (``batch_wait_s``, ``batch_max_bytes``)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from scamtrail.bus.base import Message
from scamtrail.bus.embedded import EmbeddedBus
from scamtrail.runtime.consumer import ConsumerStage
from scamtrail.settings import StageSettings


class _Recording(ConsumerStage):
    name = "recording"
    input_topic = "raw"

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.batches: list[list[str | None]] = []

    def handle(self, messages: list[Message]) -> None:
        self.batches.append([m.key for m in messages])


def _stage(tmp_path: Path, **settings: object) -> tuple[EmbeddedBus, _Recording]:
    bus = EmbeddedBus(tmp_path / "bus.db")
    stage = _Recording(bus, settings=StageSettings(poll_timeout_s=0.05, **settings))
    return bus, stage


def _later(bus: EmbeddedBus, keys: list[str], after_s: float) -> threading.Timer:
    timer = threading.Timer(
        after_s, lambda: bus.publish("raw", [Message.new(k, b"v" * 100) for k in keys])
    )
    timer.start()
    return timer


def test_a_batch_waits_for_what_arrives_within_the_wait(tmp_path: Path) -> None:
    bus, stage = _stage(tmp_path, batch_wait_s=2.0, batch_size=5)
    bus.publish("raw", [Message.new(f"k{i}", b"v" * 100) for i in range(3)])
    timer = _later(bus, ["k3", "k4", "k5"], 0.2)  # arrives while the batch waits
    started = time.monotonic()
    assert stage.step() == 5  # full at batch_size
    assert time.monotonic() - started < 1.5  # without waiting out the 2 s
    timer.join()
    assert stage.batches == [["k0", "k1", "k2", "k3", "k4"]]
    assert stage.step() == 1 and stage.lag() == 0  # the rest, and every offset committed
    stage.close()


def test_a_batch_stops_growing_at_its_bytes(tmp_path: Path) -> None:
    bus, stage = _stage(tmp_path, batch_wait_s=1.0, batch_max_bytes=250)
    bus.publish("raw", [Message.new(f"k{i}", b"v" * 100) for i in range(2)])
    first = _later(bus, ["k2", "k3"], 0.1)  # 200 bytes so far: the batch waits and takes these
    second = _later(bus, ["k4"], 0.5)  # 400 bytes by then: no more waiting, though time is left
    assert stage.step() == 4
    first.join()
    second.join()
    assert stage.step() == 1
    assert stage.batches == [["k0", "k1", "k2", "k3"], ["k4"]]
    stage.close()


def test_no_wait_hands_a_batch_over_as_polled(tmp_path: Path) -> None:
    bus, stage = _stage(tmp_path, batch_wait_s=0.0)
    bus.publish("raw", [Message.new("k0", b"v")])
    timer = _later(bus, ["k1"], 0.2)
    assert stage.step() == 1
    timer.join()
    assert stage.step() == 1
    assert stage.batches == [["k0"], ["k1"]]
    stage.close()


def test_the_index_stage_polls_its_own_batch_size(tmp_path: Path) -> None:
    from scamtrail.index.sqlite import SqliteStore

    from scamtrail.runtime.stages import IndexStage

    bus = EmbeddedBus(tmp_path / "bus.db")
    settings = StageSettings(poll_timeout_s=0.05, batch_wait_s=0, batch_size=2, index_batch_size=5)
    stage = IndexStage(bus, SqliteStore(tmp_path / "store.db"), settings=settings, sinks=[])
    bus.publish("enriched", [Message.new(f"k{i}", b"not json") for i in range(7)])
    assert stage.step() == 5  # index_batch_size, not the process stage's batch_size
    assert stage.step() == 2
    assert stage.dead_lettered == 7  # what it cannot decode goes to the DLQ, batch after batch
