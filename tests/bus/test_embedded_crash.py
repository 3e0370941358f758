"""Crash safety of the embedded bus: ``kill -9`` of processes using it loses nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from scamtrail.bus.base import Message
from scamtrail.bus.embedded import EmbeddedBus

CONSUMER = textwrap.dedent(
    """
    import sys, time
    from scamtrail.bus.embedded import EmbeddedBus
    bus = EmbeddedBus(sys.argv[1])
    consumer = bus.consumer(["raw"], "crash")
    out = open(sys.argv[2], "a")
    while True:
        batch = consumer.poll(max_records=50, timeout_s=0.5)
        for m in batch.messages:
            out.write(m.key + "\\n")
        out.flush()
        print("polled", len(batch), flush=True)
        time.sleep(0.05)          # the window in which kill -9 lands before the commit
        consumer.commit(batch)
    """
)

PRODUCER = textwrap.dedent(
    """
    import sys
    from scamtrail.bus.base import Message
    from scamtrail.bus.embedded import EmbeddedBus
    bus = EmbeddedBus(sys.argv[1])
    for i in range(100000):
        bus.publish("raw", [Message.new(f"p{i}-{j}", b"x" * 200) for j in range(100)])
    """
)


def test_killed_consumer_loses_nothing_and_successor_takes_over_at_once(tmp_path: Path):
    db = tmp_path / "bus.db"
    bus = EmbeddedBus(db, lease_s=60.0)  # a long lease: takeover must come from the dead pid
    keys = [f"k{i:04d}" for i in range(1000)]
    bus.publish("raw", [Message.new(k, b"v") for k in keys])
    seen = tmp_path / "seen.txt"
    proc = subprocess.Popen(
        [sys.executable, "-c", CONSUMER, str(db), str(seen)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    for _ in range(5):  # let it handle a few batches, then kill it mid-batch
        assert proc.stdout.readline().startswith("polled")
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    proc.stdout.close()
    first_run = set(seen.read_text().split())
    assert 0 < len(first_run) < len(keys)

    started = time.monotonic()
    consumer = bus.consumer(["raw"], "crash")
    rest: list[str] = []
    while len(first_run | set(rest)) < len(keys) and time.monotonic() - started < 30:
        batch = consumer.poll(max_records=200, timeout_s=0.5)
        rest.extend(m.key for m in batch.messages)
        consumer.commit(batch)
    assert time.monotonic() - started < 10, "the dead member's lease should be taken over at once"
    assert first_run | set(rest) == set(keys)
    # Redelivery starts at the last commit: the killed batch comes again, nothing before it.
    assert len(rest) <= len(keys) - len(first_run) + 50
    assert sum(consumer.lag().values()) == 0
    consumer.close()
    bus.close()


def test_killed_producer_leaves_only_whole_batches(tmp_path: Path):
    db = tmp_path / "bus.db"
    proc = subprocess.Popen([sys.executable, "-c", PRODUCER, str(db)])
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if db.exists():
            probe = EmbeddedBus(db)
            total = sum(probe.end_offsets("raw").values())
            probe.close()
            if total >= 2000:
                break
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    bus = EmbeddedBus(db)
    messages = []
    with bus.consumer(["raw"], "check") as consumer:
        while batch := consumer.poll(max_records=5000, timeout_s=0.2):
            messages.extend(batch.messages)
            consumer.commit(batch)
    assert len(messages) >= 2000
    assert len(messages) % 100 == 0, "a publish is one transaction: all of a batch or none"
    assert [m.offset for m in messages] == list(range(len(messages)))
    bus.close()
