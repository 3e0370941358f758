"""The embedded bus: a durable log in one SQLite file (WAL), for one machine and only pip.

It keeps Kafka's model so the same stages run on either bus: topics split into partitions
(``crc32(key) % partitions``), offsets per partition, consumer groups with committed offsets.
Every publish is one transaction, so a message is either wholly in the log or not at all; a
consumer commits only after its downstream write, so a process killed with ``kill -9`` mid-batch
gets the same messages again when it (or another member of its group) starts.

Group membership is a *lease* per (group, topic, partition): a consumer owns a partition while it
keeps renewing the lease. A lease is taken over when it expires or, on this machine, as soon as the
owning process is gone, so a restart after ``kill -9`` resumes at once. Several consumers in one
group therefore share the partitions, as Kafka consumers do.

Durability: WAL with ``synchronous=NORMAL`` survives any process crash; a power loss may drop the
last transactions (``synchronous=FULL`` via ``durable=True`` closes that gap at a cost).
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
import zlib
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from pathlib import Path

from scamtrail.bus.base import Bus, Message
from scamtrail.bus.embedded_consumer import EmbeddedConsumer
from scamtrail.errors import BusError
from scamtrail.sqlite_db import open_sqlite, transaction

_SCHEMA = """
CREATE TABLE IF NOT EXISTS partitions (
    topic TEXT NOT NULL, partition INTEGER NOT NULL, next_offset INTEGER NOT NULL,
    PRIMARY KEY (topic, partition)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS messages (
    topic TEXT NOT NULL, partition INTEGER NOT NULL, offset INTEGER NOT NULL,
    key TEXT, value BLOB NOT NULL, headers TEXT, ts INTEGER NOT NULL,
    PRIMARY KEY (topic, partition, offset)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS group_offsets (
    grp TEXT NOT NULL, topic TEXT NOT NULL, partition INTEGER NOT NULL, committed INTEGER NOT NULL,
    PRIMARY KEY (grp, topic, partition)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS leases (
    grp TEXT NOT NULL, topic TEXT NOT NULL, partition INTEGER NOT NULL,
    owner TEXT NOT NULL, pid INTEGER NOT NULL, expires_at REAL NOT NULL,
    PRIMARY KEY (grp, topic, partition)) WITHOUT ROWID;
"""


def _file_identity(path: Path) -> tuple[int, int]:
    """(device, inode) of ``path``: tells the file apart from a new one at the same path."""
    st = os.stat(path)
    return st.st_dev, st.st_ino


def _encode_headers(headers: tuple[tuple[str, bytes], ...]) -> str | None:
    if not headers:
        return None
    return json.dumps([[k, v.decode("latin-1")] for k, v in headers])


def _decode_headers(text: str | None) -> tuple[tuple[str, bytes], ...]:
    if not text:
        return ()
    return tuple((k, v.encode("latin-1")) for k, v in json.loads(text))


class EmbeddedBus(Bus):
    """A Kafka-like log on SQLite. See the module docstring.

    ``path`` is the database file (created with its folder); ``partitions`` applies to topics
    created by this instance; ``lease_s`` is how long a silent consumer keeps its partitions.
    """

    def __init__(
        self,
        path: str | Path,
        prefix: str = "scamtrail.",
        partitions: int = 1,
        lease_s: float = 30.0,
        durable: bool = False,
    ) -> None:
        super().__init__(prefix)
        self.path = Path(path)
        self.partitions = partitions
        self.lease_s = lease_s
        self._lock = threading.RLock()
        try:
            self._db = open_sqlite(self.path, _SCHEMA, durable=durable)
        except (sqlite3.Error, OSError) as exc:
            raise BusError(f"cannot open the embedded bus at {self.path}: {exc}") from exc
        self._identity = _file_identity(self.path)
        self._known: dict[str, int] = {}

    # -- topics -----------------------------------------------------------------------------
    def _partition_count(self, physical: str) -> int:
        count = self._known.get(physical)
        if count:
            return count
        row = self._db.execute(
            "SELECT COUNT(*) FROM partitions WHERE topic = ?", (physical,)
        ).fetchone()
        count = int(row[0])
        if count == 0:
            with self._tx():
                self._db.executemany(
                    "INSERT OR IGNORE INTO partitions (topic, partition, next_offset) VALUES (?,?,0)",
                    [(physical, p) for p in range(self.partitions)],
                )
            count = int(
                self._db.execute(
                    "SELECT COUNT(*) FROM partitions WHERE topic = ?", (physical,)
                ).fetchone()[0]
            )
        self._known[physical] = count
        return count

    def _tx(self) -> AbstractContextManager[sqlite3.Connection]:
        return transaction(self._db)

    # -- producing --------------------------------------------------------------------------
    def publish(self, topic: str, messages: Iterable[Message]) -> int:
        """Append messages to a logical topic in one transaction; return how many."""
        physical = self.topic(topic)
        batch = list(messages)
        if not batch:
            return 0
        now_ms = int(time.time() * 1000)
        with self._lock:
            try:
                nparts = self._partition_count(physical)
                by_part: dict[int, list[Message]] = {}
                if nparts == 1:  # the default: no key hashing needed
                    by_part[0] = batch
                else:
                    for msg in batch:
                        part = zlib.crc32(msg.key.encode()) % nparts if msg.key else 0
                        by_part.setdefault(part, []).append(msg)
                with self._tx():
                    for part, msgs in by_part.items():
                        (start,) = self._db.execute(
                            "SELECT next_offset FROM partitions WHERE topic=? AND partition=?",
                            (physical, part),
                        ).fetchone()
                        self._db.executemany(
                            "INSERT INTO messages (topic, partition, offset, key, value, headers, ts)"
                            " VALUES (?,?,?,?,?,?,?)",
                            [
                                (
                                    physical,
                                    part,
                                    start + i,
                                    m.key,
                                    m.value,
                                    _encode_headers(m.headers),
                                    now_ms,
                                )
                                for i, m in enumerate(msgs)
                            ],
                        )
                        self._db.execute(
                            "UPDATE partitions SET next_offset=? WHERE topic=? AND partition=?",
                            (start + len(msgs), physical, part),
                        )
            except sqlite3.Error as exc:
                raise BusError(f"publish to {physical} failed: {exc}", retriable=True) from exc
        return len(batch)

    # -- consuming --------------------------------------------------------------------------
    def consumer(self, topics: Sequence[str], group: str) -> EmbeddedConsumer:
        """Join ``group`` on the logical ``topics``."""
        return EmbeddedConsumer(self, list(topics), group)

    def read(self, topic: str, from_offset: int = 0, limit: int = 1000) -> list[Message]:
        """Messages of a logical topic from ``from_offset`` on, in every partition."""
        physical = self.topic(topic)
        with self._lock:
            rows = self._db.execute(
                "SELECT partition, offset, key, value, headers, ts FROM messages"
                " WHERE topic=? AND offset>=? ORDER BY ts, partition, offset LIMIT ?",
                (physical, from_offset, limit),
            ).fetchall()
        return [self._message(topic, row) for row in rows]

    @staticmethod
    def _message(logical: str, row: tuple) -> Message:
        part, offset, key, value, headers, ts = row
        return Message(
            key=key,
            value=bytes(value),
            headers=_decode_headers(headers),
            topic=logical,
            partition=part,
            offset=offset,
            timestamp_ms=ts,
        )

    def end_offsets(self, topic: str) -> dict[int, int]:
        """Next offset to be written, per partition."""
        physical = self.topic(topic)
        with self._lock:
            try:
                self._partition_count(physical)
                rows = self._db.execute(
                    "SELECT partition, next_offset FROM partitions WHERE topic=?", (physical,)
                ).fetchall()
            except sqlite3.Error as exc:
                raise BusError(f"embedded bus unavailable: {exc}", retriable=True) from exc
        return {int(p): int(o) for p, o in rows}

    def health(self) -> None:
        """Raise BusError unless the log file is still the one opened, accessible, and answers.

        An open SQLite connection keeps working on a file that was deleted or replaced, while
        every other process sees a different log: that is an outage too.
        """
        try:
            identity = _file_identity(self.path)
        except OSError as exc:
            raise BusError(
                f"embedded bus file {self.path} is gone: {exc.strerror}", retriable=True
            ) from exc
        if identity != self._identity:
            raise BusError(f"embedded bus file {self.path} was replaced", retriable=True)
        if not os.access(self.path, os.R_OK | os.W_OK):
            raise BusError(f"embedded bus file {self.path} is not readable and writable")
        with self._lock:
            try:
                self._db.execute("SELECT 1 FROM partitions LIMIT 1").fetchall()
            except sqlite3.Error as exc:
                raise BusError(f"embedded bus unavailable: {exc}", retriable=True) from exc

    def committed(self, topic: str, group: str) -> dict[int, int]:
        """Committed offsets of ``group`` on a logical topic, per partition."""
        with self._lock:
            rows = self._db.execute(
                "SELECT partition, committed FROM group_offsets WHERE grp=? AND topic=?",
                (group, self.topic(topic)),
            ).fetchall()
        return {int(p): int(o) for p, o in rows}

    def close(self) -> None:
        """Close the database connection."""
        with self._lock:
            self._db.close()
