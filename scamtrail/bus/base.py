"""The bus interface every backend implements (embedded SQLite log, Apache Kafka).

A bus carries byte messages on named topics. Producers ``publish`` batches; consumers belong to a
*group*, ``poll`` batches and ``commit`` a batch only after its downstream write was acknowledged,
which makes delivery at-least-once: a consumer killed before committing gets the same messages
again after restart (or another group member does). Stores write idempotently by message key (the
complaint id), so a redelivery overwrites instead of duplicating.

Topic names are logical (``raw``, ``enriched``, ``alerts``, ``dlq``); :meth:`Bus.topic` turns one into
the physical name with the configured prefix (``scamtrail.complaints.raw`` ...).

Usage::

    bus.publish("raw", [Message.new(key="x:1", value=b"{...}")])
    with bus.consumer(["raw"], group="process") as consumer:
        while running:
            batch = consumer.poll(max_records=500, timeout_s=1.0)
            write(batch.messages)
            consumer.commit(batch)
"""

from __future__ import annotations

import abc
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from scamtrail.resources import Closeable

#: Logical topic -> suffix of the physical topic name.
TOPICS: dict[str, str] = {
    "raw": "complaints.raw",
    "enriched": "complaints.enriched",
    "alerts": "alerts",
    "dlq": "dlq",
}


@dataclass(frozen=True, slots=True)
class Message:
    """One message: ``key`` (the complaint id), ``value`` (bytes), headers, and where it was read.

    ``topic``, ``partition`` and ``offset`` are set on consumed messages (``topic`` is the logical
    name); producers leave them at their defaults.
    """

    key: str | None
    value: bytes
    headers: tuple[tuple[str, bytes], ...] = ()
    topic: str = ""
    partition: int = 0
    offset: int = -1
    timestamp_ms: int = 0

    @classmethod
    def new(cls, key: str | None, value: bytes, headers: dict[str, str] | None = None) -> Message:
        """A message to publish, with string headers encoded as UTF-8."""
        if not headers:  # every record a stage publishes: skip building an empty tuple
            return cls(key, value)
        return cls(key, value, tuple((k, v.encode()) for k, v in headers.items()))

    def header(self, name: str) -> str | None:
        """The first header named ``name`` decoded as UTF-8, or None."""
        for k, v in self.headers:
            if k == name:
                return v.decode("utf-8", "replace")
        return None


@dataclass(slots=True)
class Batch:
    """Messages returned by one poll, and the offsets to commit once they are processed.

    ``positions`` maps (logical topic, partition) to the next offset to read: committing the batch
    stores those, so the group resumes after the last message of this batch.
    """

    messages: list[Message] = field(default_factory=list)
    positions: dict[tuple[str, int], int] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.messages)

    def __bool__(self) -> bool:
        return bool(self.messages)


class Consumer(Closeable):
    """A member of a consumer group reading some topics."""

    @abc.abstractmethod
    def poll(self, max_records: int = 500, timeout_s: float = 1.0) -> Batch:
        """Return up to ``max_records`` messages, waiting at most ``timeout_s`` for the first."""

    @abc.abstractmethod
    def commit(self, batch: Batch) -> None:
        """Record that every message of ``batch`` was processed (after the downstream ack)."""

    @abc.abstractmethod
    def lag(self) -> dict[tuple[str, int], int]:
        """Messages not yet committed by this group, per (logical topic, partition)."""

    @abc.abstractmethod
    def close(self) -> None:
        """Leave the group; uncommitted messages go to the next member or the next start."""


class Bus(Closeable):
    """A message bus: topics, producers and consumer groups. See the module docstring."""

    def __init__(self, prefix: str = "scamtrail.") -> None:
        self.prefix = prefix

    def topic(self, logical: str) -> str:
        """The physical topic name for a logical one (``raw`` -> ``scamtrail.complaints.raw``)."""
        return self.prefix + TOPICS.get(logical, logical)

    @abc.abstractmethod
    def publish(self, topic: str, messages: Iterable[Message]) -> int:
        """Append messages to a logical topic durably; return how many were written."""

    @abc.abstractmethod
    def consumer(self, topics: Sequence[str], group: str) -> Consumer:
        """Join consumer group ``group`` on the given logical topics."""

    @abc.abstractmethod
    def read(self, topic: str, from_offset: int = 0, limit: int = 1000) -> list[Message]:
        """Read messages without a group (for ``scamtrail dlq`` and audits), across partitions."""

    @abc.abstractmethod
    def end_offsets(self, topic: str) -> dict[int, int]:
        """The next offset to be written, per partition of a logical topic."""

    def health(self) -> None:
        """Raise BusError if the bus cannot be reached."""
        self.end_offsets("raw")

    @abc.abstractmethod
    def close(self) -> None:
        """Flush and release connections."""
