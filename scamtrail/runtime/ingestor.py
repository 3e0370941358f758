"""Publishing complaints to the raw topic: from a source, and back from the dead-letter topic."""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Sequence

from scamtrail import metrics
from scamtrail.bus.base import Bus, Message
from scamtrail.errors import RecordError
from scamtrail.ingest.base import Source
from scamtrail.records import Complaint
from scamtrail.runtime.consumer import dead_letter
from scamtrail.runtime.health import Heartbeat

log = logging.getLogger("scamtrail.runtime.ingestor")


class Ingestor:
    """Publishes a source's complaints to the raw topic and its rejects to the DLQ."""

    def __init__(self, bus: Bus, source_name: str = "replay") -> None:
        self.bus = bus
        self.source_name = source_name
        self.published = 0
        self.rejected = 0
        # Sources may wait for tweets for hours: idle is not stuck, only a dead thread fails.
        self.heartbeat = Heartbeat(f"ingest:{source_name}", stuck_after_s=None)

    def emit(self, complaints: Sequence[Complaint]) -> None:
        """Publish complaints, keyed by complaint id."""
        self.bus.publish("raw", [Message.new(c.id, c.to_json()) for c in complaints])
        self.published += len(complaints)
        # One labels() lookup per source, not per complaint: it is a locked dict lookup.
        for source, count in Counter(c.source for c in complaints).items():
            metrics.COMPLAINTS_INGESTED.labels(source).inc(count)
        if complaints:
            metrics.LAST_COMPLAINT.labels(self.source_name).set(time.time())
        self.heartbeat.beat()

    def reject(self, raw: bytes, error: RecordError, ref: str) -> None:
        """Dead-letter input the source could not parse."""
        self.rejected += 1
        metrics.DEAD_LETTERS.labels("ingest", error.reason).inc()
        log.warning(
            "rejected input",
            extra={"stage": "ingest", "ref": ref, "reason": error.reason, "error": str(error)},
        )
        self.bus.publish(
            "dlq",
            [dead_letter(raw, stage="ingest", reason=error.reason, error=str(error), key=ref)],
        )

    def run(self, source: Source) -> None:
        """Run ``source`` to completion (or until stopped)."""
        self.heartbeat.running()
        source.run(self.emit, self.reject)
        self.heartbeat.finished()


def replay_dead_letters(
    bus: Bus, *, stage: str | None = None, reason: str | None = None, group: str = "dlq-replay"
) -> tuple[int, int]:
    """Send dead letters back to where they failed, once each; return (resent, left).

    Records rejected by a stage go back to the topic they were read from; input rejected at
    ingest is parsed again and published to the raw topic (what still cannot be parsed goes to
    the DLQ anew, with its reason). A consumer group remembers what was replayed, so a second run
    sends only what dead-lettered since. ``stage``/``reason`` narrow the replay; records outside
    them are left for a later run with other filters.
    """
    from scamtrail.ingest.payloads import parse_line

    resent = left = 0
    ingestor = Ingestor(bus, source_name="dlq-replay")
    # Only what is in the DLQ now: what fails again during the replay is for a later run.
    ends = bus.end_offsets("dlq")
    with bus.consumer(["dlq"], group) as consumer:
        while batch := consumer.poll(500, 1.0):
            current = [m for m in batch.messages if m.offset < ends.get(m.partition, 0)]
            batch.positions = {
                key: min(pos, ends.get(key[1], 0)) for key, pos in batch.positions.items()
            }
            for msg in current:
                if (stage and msg.header("stage") != stage) or (
                    reason and msg.header("reason") != reason
                ):
                    left += 1
                    continue
                origin = msg.header("origin_topic")
                if msg.header("stage") == "ingest" or not origin:
                    try:
                        ingestor.emit(parse_line(msg.value))
                    except RecordError as exc:
                        ingestor.reject(msg.value, exc, msg.key or "dlq")
                else:
                    bus.publish(origin, [Message.new(msg.key, msg.value, {"replayed_from": "dlq"})])
                resent += 1
            consumer.commit(batch)
            if len(current) < len(batch.messages):
                break  # reached what dead-lettered after the replay began
    return resent, left
