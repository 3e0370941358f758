"""The bus contract, run on every backend (embedded; Kafka with the ``kafka`` marker)."""

from __future__ import annotations

import time

from scamtrail.bus.base import Batch, Message
from tests.bus.consuming import drain


def test_round_trip_keeps_key_value_headers(bus_factory):
    bus = bus_factory()
    bus.publish("raw", [Message.new(f"x:{i}", f"v{i}".encode(), {"h": f"{i}"}) for i in range(20)])
    with bus.consumer(["raw"], "g1") as consumer:
        got = drain(consumer, 20)
    assert sorted(m.key for m in got) == sorted(f"x:{i}" for i in range(20))
    for m in got:
        assert m.value == f"v{m.key[2:]}".encode()
        assert m.header("h") == m.key[2:]
        assert m.topic == "raw"


def test_same_key_keeps_order(bus_factory):
    bus = bus_factory(partitions=3)
    bus.publish("raw", [Message.new("same", str(i).encode()) for i in range(30)])
    with bus.consumer(["raw"], "g-order") as consumer:
        got = drain(consumer, 30)
    assert [int(m.value) for m in got] == list(range(30))


def test_commit_then_new_member_resumes_after_committed(bus_factory):
    bus = bus_factory()
    bus.publish("raw", [Message.new(f"k{i}", b"a") for i in range(10)])
    with bus.consumer(["raw"], "g2") as consumer:
        first = drain(consumer, 10)
    assert len(first) == 10
    bus.publish("raw", [Message.new(f"n{i}", b"b") for i in range(5)])
    with bus.consumer(["raw"], "g2") as consumer:
        second = drain(consumer, 5)
        extra = consumer.poll(max_records=100, timeout_s=1.0)
    assert sorted(m.key for m in second) == sorted(f"n{i}" for i in range(5))
    assert not extra


def test_uncommitted_messages_are_redelivered(bus_factory):
    bus = bus_factory()
    bus.publish("raw", [Message.new(f"k{i}", b"a") for i in range(8)])
    with bus.consumer(["raw"], "g3") as consumer:
        got = drain(consumer, 8, commit=False)
    assert len(got) == 8
    with bus.consumer(["raw"], "g3") as consumer:
        again = drain(consumer, 8)
    assert sorted(m.key for m in again) == sorted(m.key for m in got)


def test_groups_are_independent(bus_factory):
    bus = bus_factory()
    bus.publish("enriched", [Message.new(f"k{i}", b"a") for i in range(6)])
    with bus.consumer(["enriched"], "ga") as a, bus.consumer(["enriched"], "gb") as b:
        assert len(drain(a, 6)) == 6
        assert len(drain(b, 6)) == 6


def test_lag_falls_to_zero_after_commit(bus_factory):
    bus = bus_factory()
    bus.publish("raw", [Message.new(f"k{i}", b"a") for i in range(12)])
    with bus.consumer(["raw"], "g-lag") as consumer:
        drain(consumer, 12)
        assert sum(consumer.lag().values()) == 0
    assert sum(bus.end_offsets("raw").values()) == 12


def test_two_members_share_the_work_exactly_once(bus_factory):
    bus = bus_factory(partitions=4)
    keys = [f"k{i}" for i in range(200)]
    bus.publish("raw", [Message.new(k, k.encode()) for k in keys])
    seen: list[str] = []
    with bus.consumer(["raw"], "g-share") as a, bus.consumer(["raw"], "g-share") as b:
        deadline = time.monotonic() + 60
        while len(seen) < len(keys) and time.monotonic() < deadline:
            for member in (a, b):
                batch: Batch = member.poll(max_records=50, timeout_s=0.2)
                if batch:
                    seen.extend(m.key for m in batch.messages)
                    member.commit(batch)
    assert sorted(seen) == sorted(keys)


def test_read_without_group(bus_factory):
    bus = bus_factory()
    bus.publish(
        "dlq", [Message.new(f"d{i}", b"bad", {"reason": "malformed_json"}) for i in range(3)]
    )
    got = bus.read("dlq", 0, 100)
    assert sorted(m.key for m in got) == ["d0", "d1", "d2"]
    assert {m.header("reason") for m in got} == {"malformed_json"}
