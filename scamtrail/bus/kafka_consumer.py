"""A member of a Kafka consumer group, behind the :class:`~scamtrail.bus.base.Consumer` contract.

Auto-commit is off and a new group starts from the earliest offset; ``commit(batch)``
synchronously stores exactly ``batch.positions``. A commit refused because the group rebalanced is
logged and dropped (see :mod:`scamtrail.bus.kafka`); :attr:`KafkaGroupConsumer.dropped_commits`
counts them.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from kafka import KafkaConsumer, TopicPartition
from kafka.errors import (
    CommitFailedError,
    RebalanceInProgressError,
)
from kafka.structs import OffsetAndMetadata

from scamtrail.bus.base import Batch, Consumer, Message
from scamtrail.bus.kafka_client import (
    BOOTSTRAP_TIMEOUT_MS,
    LEAVE_TIMEOUT_MS,
    REQUEST_TIMEOUT_MS,
    kafka_errors,
    log,
)
from scamtrail.errors import BusError

if TYPE_CHECKING:
    from scamtrail.bus.kafka import KafkaBus


def _message(record: Any, logical: str) -> Message:
    """A consumed kafka-python record as a Message carrying the logical topic name."""
    key = record.key.decode("utf-8", "replace") if record.key is not None else None
    headers = tuple((k, v if v is not None else b"") for k, v in (record.headers or ()))
    return Message(
        key=key,
        value=record.value if record.value is not None else b"",
        headers=headers,
        topic=logical,
        partition=record.partition,
        offset=record.offset,
        timestamp_ms=record.timestamp if record.timestamp is not None else 0,
    )


class KafkaGroupConsumer(Consumer):
    """A member of Kafka consumer group ``prefix + group``; made by :meth:`KafkaBus.consumer`."""

    def __init__(self, bus: KafkaBus, topics: Sequence[str], group: str) -> None:
        self.bus = bus
        self.group_id = bus.prefix + group
        self.topics = list(topics)
        self._physical = {t: bus.topic(t) for t in self.topics}
        self._logical = {p: t for t, p in self._physical.items()}
        self.dropped_commits = 0
        self._closed = False
        self._consumer: KafkaConsumer = bus.connect(
            KafkaConsumer,
            f"join group {self.group_id}",
            group_id=self.group_id,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            allow_auto_create_topics=False,
            # A member that died is replaced after 10 s instead of kafka-python's 45 s.
            session_timeout_ms=10_000,
            heartbeat_interval_ms=1_000,
            bootstrap_timeout_ms=BOOTSTRAP_TIMEOUT_MS,
        )
        try:
            with kafka_errors(f"subscribe {self.group_id}"):
                # Know every topic's partitions before joining: a member that joins first with
                # empty metadata is assigned nothing, and kafka-python does not rejoin when the
                # metadata arrives later, so it would sit idle while its group holds the topic.
                deadline = time.monotonic() + BOOTSTRAP_TIMEOUT_MS / 1000
                for physical in sorted(self._logical):
                    while not self._consumer.partitions_for_topic(physical):
                        if time.monotonic() > deadline:
                            raise BusError(f"topic {physical} has no partitions", retriable=True)
                        time.sleep(0.1)
                self._consumer.subscribe(sorted(self._logical))
        except BusError:
            self._consumer.close(autocommit=False)
            raise

    def poll(self, max_records: int = 500, timeout_s: float = 1.0) -> Batch:
        """Up to ``max_records`` messages; ``positions`` holds last offset + 1 per partition."""
        with kafka_errors(f"poll {self.group_id}"):
            records = self._consumer.poll(
                timeout_ms=max(0, int(timeout_s * 1000)), max_records=max_records
            )
        batch = Batch()
        for tp, recs in records.items():
            if not recs:
                continue
            logical = self._logical.get(tp.topic, self.bus.logical_name(tp.topic))
            batch.messages.extend(_message(r, logical) for r in recs)
            batch.positions[(logical, tp.partition)] = recs[-1].offset + 1
        return batch

    def commit(self, batch: Batch) -> None:
        """Synchronously commit ``batch.positions``; a commit lost to a rebalance is dropped.

        See the module docstring: the dropped batch is delivered again to the partitions' new
        owner. Other failures raise BusError.
        """
        if not batch.positions:
            return
        offsets = {
            TopicPartition(self._physical.get(t, self.bus.topic(t)), p): OffsetAndMetadata(
                off, "", -1
            )
            for (t, p), off in batch.positions.items()
        }
        try:
            with kafka_errors(f"commit {self.group_id}"):
                self._consumer.commit(offsets, timeout_ms=REQUEST_TIMEOUT_MS)
        except BusError as exc:
            if not isinstance(exc.__cause__, CommitFailedError | RebalanceInProgressError):
                raise
            self.dropped_commits += 1
            log.warning(
                "stage=bus action=commit_dropped group=%s count=%d reason=rebalance error=%s",
                self.group_id,
                len(batch),
                exc.__cause__,
            )

    def lag(self) -> dict[tuple[str, int], int]:
        """Uncommitted messages of this group for every partition of its topics."""
        tps = [
            TopicPartition(self._physical[t], p)
            for t in self.topics
            for p in self.bus.partitions_of(t)
        ]
        admin = self.bus._admin_client()
        with kafka_errors(f"lag of {self.group_id}"):
            ends = self._consumer.end_offsets(tps)
            starts = self._consumer.beginning_offsets(tps)
            with self.bus._lock:
                committed = admin.list_group_offsets({self.group_id: tps}).get(self.group_id, {})
        lag: dict[tuple[str, int], int] = {}
        for tp in tps:
            meta = committed.get(tp)
            done = meta.offset if meta is not None and meta.offset >= 0 else starts[tp]
            lag[(self._logical[tp.topic], tp.partition)] = max(0, ends[tp] - done)
        return lag

    def assignment(self) -> set[tuple[str, int]]:
        """The (logical topic, partition) pairs this member currently owns."""
        return {
            (self._logical.get(tp.topic, tp.topic), tp.partition)
            for tp in self._consumer.assignment() or ()
        }

    def close(self) -> None:
        """Leave the group without committing; the next member or start gets the rest."""
        if self._closed:
            return
        self._closed = True
        # A member still joining cannot leave until the join completes (the broker answers one
        # request per connection at a time), so close waits briefly; the session timeout covers it.
        with kafka_errors(f"leave group {self.group_id}"):
            self._consumer.close(autocommit=False, timeout_ms=LEAVE_TIMEOUT_MS)
