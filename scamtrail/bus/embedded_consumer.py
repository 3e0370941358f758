"""A consumer-group member on the embedded bus: partition leases, polling, commits, lag.

Group membership is a *lease* per (group, topic, partition): a consumer owns a partition while it
keeps renewing the lease. A lease is taken over when it expires or, on this machine, as soon as the
owning process is gone, so a restart after ``kill -9`` resumes at once.
"""

from __future__ import annotations

import os
import sqlite3
import time
import uuid
from typing import TYPE_CHECKING

from scamtrail.bus.base import Batch, Consumer
from scamtrail.errors import BusError

if TYPE_CHECKING:
    from scamtrail.bus.embedded import EmbeddedBus


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class EmbeddedConsumer(Consumer):
    """A consumer-group member on the embedded bus."""

    _RENEW_EVERY_S = 1.0

    def __init__(self, bus: EmbeddedBus, topics: list[str], group: str) -> None:
        self.bus = bus
        self.topics = topics
        self.group = group
        self.owner = f"{os.getpid()}:{uuid.uuid4().hex[:12]}"
        self._owned: dict[tuple[str, int], int] = {}  # (logical, partition) -> next position
        self._renewed_at = 0.0
        self._closed = False

    def _renew(self) -> None:
        now = time.time()
        if now - self._renewed_at < self._RENEW_EVERY_S and self._owned:
            return
        db = self.bus._db
        owned: dict[tuple[str, int], int] = {}
        with self.bus._lock:
            # Creating a topic is a transaction of its own: do it before the lease transaction.
            counts = {t: self.bus._partition_count(self.bus.topic(t)) for t in self.topics}
        with self.bus._lock, self.bus._tx():
            for logical in self.topics:
                physical = self.bus.topic(logical)
                for part in range(counts[logical]):
                    row = db.execute(
                        "SELECT owner, pid, expires_at FROM leases WHERE grp=? AND topic=? AND partition=?",
                        (self.group, physical, part),
                    ).fetchone()
                    free = (
                        row is None
                        or row[0] == self.owner
                        or row[2] < now
                        or not _pid_alive(int(row[1]))
                    )
                    if not free:
                        continue
                    db.execute(
                        "INSERT OR REPLACE INTO leases (grp, topic, partition, owner, pid, expires_at)"
                        " VALUES (?,?,?,?,?,?)",
                        (
                            self.group,
                            physical,
                            part,
                            self.owner,
                            os.getpid(),
                            now + self.bus.lease_s,
                        ),
                    )
                    key = (logical, part)
                    if key in self._owned:
                        owned[key] = self._owned[key]
                    else:
                        c = db.execute(
                            "SELECT committed FROM group_offsets WHERE grp=? AND topic=? AND partition=?",
                            (self.group, physical, part),
                        ).fetchone()
                        owned[key] = int(c[0]) if c else 0
        self._owned = owned
        self._renewed_at = now

    def poll(self, max_records: int = 500, timeout_s: float = 1.0) -> Batch:
        """Up to ``max_records`` messages from the partitions this member owns."""
        if self._closed:
            raise BusError("consumer is closed")
        deadline = time.monotonic() + timeout_s
        pause = 0.005
        while True:
            try:
                batch = self._fetch(max_records)
            except sqlite3.Error as exc:
                raise BusError(f"embedded bus poll failed: {exc}", retriable=True) from exc
            if batch or time.monotonic() >= deadline:
                return batch
            time.sleep(min(pause, max(0.0, deadline - time.monotonic())))
            pause = min(pause * 2, 0.05)

    def _fetch(self, max_records: int) -> Batch:
        self._renew()
        batch = Batch()
        room = max_records
        db = self.bus._db
        for (logical, part), position in self._owned.items():
            if room <= 0:
                break
            with self.bus._lock:
                rows = db.execute(
                    "SELECT partition, offset, key, value, headers, ts FROM messages"
                    " WHERE topic=? AND partition=? AND offset>=? ORDER BY offset LIMIT ?",
                    (self.bus.topic(logical), part, position, room),
                ).fetchall()
            if not rows:
                continue
            batch.messages.extend(self.bus._message(logical, r) for r in rows)
            next_pos = rows[-1][1] + 1
            batch.positions[(logical, part)] = next_pos
            self._owned[(logical, part)] = next_pos
            room -= len(rows)
        return batch

    def commit(self, batch: Batch) -> None:
        """Store the batch's positions, for the partitions this member still owns."""
        if not batch.positions:
            return
        db = self.bus._db
        lost = []
        try:
            with self.bus._lock, self.bus._tx():
                for (logical, part), position in batch.positions.items():
                    physical = self.bus.topic(logical)
                    row = db.execute(
                        "SELECT owner FROM leases WHERE grp=? AND topic=? AND partition=?",
                        (self.group, physical, part),
                    ).fetchone()
                    if row is None or row[0] != self.owner:
                        lost.append((logical, part))
                        continue
                    db.execute(
                        "INSERT INTO group_offsets (grp, topic, partition, committed) VALUES (?,?,?,?)"
                        " ON CONFLICT (grp, topic, partition) DO UPDATE SET committed=excluded.committed"
                        " WHERE excluded.committed > group_offsets.committed",
                        (self.group, physical, part, position),
                    )
        except sqlite3.Error as exc:
            raise BusError(f"embedded bus commit failed: {exc}", retriable=True) from exc
        if lost:
            for key in lost:
                self._owned.pop(key, None)
            raise BusError(
                f"partitions {lost} were reassigned before commit; their messages will be redelivered",
                retriable=True,
            )

    def lag(self) -> dict[tuple[str, int], int]:
        """Uncommitted messages per (logical topic, partition) for this group."""
        out: dict[tuple[str, int], int] = {}
        for logical in self.topics:
            ends = self.bus.end_offsets(logical)
            committed = self.bus.committed(logical, self.group)
            for part, end in ends.items():
                out[(logical, part)] = end - committed.get(part, 0)
        return out

    def close(self) -> None:
        """Release this member's leases so another member can take over at once."""
        if self._closed:
            return
        self._closed = True
        try:
            with self.bus._lock:
                self.bus._db.execute("DELETE FROM leases WHERE owner=?", (self.owner,))
        except sqlite3.Error:
            pass  # leases expire on their own; the bus may already be closed
