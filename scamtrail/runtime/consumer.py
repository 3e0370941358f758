"""The loop every consumer stage shares: poll a batch, handle it, then commit.

Each consumer stage is a member of a consumer group (``process``, ``index``) and keeps one order
per batch: handle the batch (write downstream, dead-letter what cannot be handled), *then* commit
the offsets. A crash before the commit redelivers the batch, and every downstream write is
idempotent by complaint id, so delivery is at-least-once with no duplicates in the store.

Records that cannot be handled go to the ``dlq`` topic with headers ``stage``, ``reason``,
``error`` and, when they came from the bus, ``origin_topic``/``origin_partition``/
``origin_offset``; the stage carries on with the rest. A message that makes the handler fail is
tried ``max_attempts`` times, then isolated from its batch and dead-lettered with reason
``processing_failed``. A store that is down is retried with backoff, offsets uncommitted, until it
is back or the stage is stopped; outages never turn into dead letters.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from scamtrail import metrics
from scamtrail.bus.base import Batch, Bus, Consumer, Message
from scamtrail.errors import BusError, RecordError, ScamtrailError
from scamtrail.records import Complaint, Enriched
from scamtrail.runtime.collector import GC_YOUNG_THRESHOLD as GC_YOUNG_THRESHOLD
from scamtrail.runtime.collector import settle_gc
from scamtrail.runtime.health import Heartbeat
from scamtrail.settings import StageSettings

log = logging.getLogger("scamtrail.runtime.consumer")
#: Seconds between consumer-lag gauge updates of a stage.
LAG_REFRESH_S = 5.0
R = TypeVar("R", Complaint, Enriched)


class StageStopped(ScamtrailError):
    """The stage was asked to stop while it was waiting; its batch stays uncommitted."""


def dead_letter(
    value: bytes,
    *,
    stage: str,
    reason: str,
    error: str,
    key: str | None = None,
    origin: Message | None = None,
) -> Message:
    """A dead-letter message carrying the original bytes and why they were rejected."""
    headers = {"stage": stage, "reason": reason, "error": error[:1000]}
    if origin is not None:
        headers.update(
            origin_topic=origin.topic,
            origin_partition=str(origin.partition),
            origin_offset=str(origin.offset),
        )
    return Message.new(
        key=key if key is not None else (origin.key if origin else None),
        value=value,
        headers=headers,
    )


class ConsumerStage:
    """A consumer-group stage: poll a batch, handle it, commit. Subclasses implement ``handle``."""

    name = "stage"
    input_topic = "raw"

    def __init__(
        self, bus: Bus, settings: StageSettings | None = None, stop: threading.Event | None = None
    ) -> None:
        self.bus = bus
        self.settings = settings or StageSettings()
        self.stop_event = stop or threading.Event()
        self._consumer: Consumer | None = None
        self.handled = 0
        self.dead_lettered = 0
        #: CPU seconds this stage's thread spent in :meth:`step` on batches (poll, decode,
        #: handle, commit): with ``handled``, what one complaint costs this stage
        self.cpu_s = 0.0
        self.heartbeat = Heartbeat(self.name)
        self.lag_refresh_s = LAG_REFRESH_S
        self._lag_refreshed_at = float("-inf")
        self._last_error: Exception | None = None

    @property
    def consumer(self) -> Consumer:
        """This stage's group member (joined on first use)."""
        if self._consumer is None:
            self._consumer = self.bus.consumer([self.input_topic], self.name)
        return self._consumer

    def step(self, timeout_s: float | None = None) -> int:
        """Handle one batch; return how many messages it had (0 when the topic was idle)."""
        cpu_at = time.thread_time()
        batch = self.consumer.poll(
            self.settings.batch_size,
            self.settings.poll_timeout_s if timeout_s is None else timeout_s,
        )
        if not batch:
            self._stepped(0)
            return 0
        if self.settings.batch_wait_s > 0 and len(batch) < self.settings.batch_size:
            self._fill(batch)
        self._handle_or_isolate(batch.messages)
        try:
            self.consumer.commit(batch)
        except BusError as exc:
            if not exc.retriable:
                raise
            log.warning("commit skipped", extra={"stage": self.name, "error": str(exc)})
        self.handled += len(batch)
        metrics.STAGE_BATCHES.labels(self.name).inc()
        spent = time.thread_time() - cpu_at
        self.cpu_s += spent
        metrics.STAGE_CPU.labels(self.name).inc(spent)
        self._stepped(len(batch))
        return len(batch)

    def _fill(self, batch: Batch) -> None:
        """Grow ``batch`` with what arrives within ``batch_wait_s``, up to ``batch_size``
        messages and ``batch_max_bytes`` bytes of values (batches by count, bytes and time)."""
        deadline = time.monotonic() + self.settings.batch_wait_s
        size = sum(len(m.value) for m in batch.messages)
        while len(batch) < self.settings.batch_size and size < self.settings.batch_max_bytes:
            left = deadline - time.monotonic()
            if left <= 0 or self.stop_event.is_set():
                return
            more = self.consumer.poll(self.settings.batch_size - len(batch), left)
            if not more:
                return  # nothing came within the time left
            batch.messages.extend(more.messages)
            batch.positions.update(more.positions)  # later offsets of the same partitions
            size += sum(len(m.value) for m in more.messages)

    def run_forever(self, drained: threading.Event | None = None) -> None:
        """Handle batches until ``stop_event`` is set; the last batch is finished and committed.

        With ``drained`` (set once everything upstream has finished and committed) it also ends
        when a poll comes back empty and this stage's group has committed everything.
        """
        settle_gc()
        self.heartbeat.running()
        outage = 0
        finished = False
        try:
            while not self.stop_event.is_set():
                try:
                    count = self.step()
                    outage = 0
                    upstream_done = drained is not None and drained.is_set()
                    if count == 0 and upstream_done and self.lag() == 0:
                        finished = True
                        break
                except BusError as exc:
                    if not exc.retriable:
                        raise
                    # The bus is down: rejoin from the committed offsets once it is back, so the
                    # uncommitted batch in hand is read again (never skipped).
                    log.warning(
                        "bus unavailable; retrying",
                        extra={"stage": self.name, "attempt": outage, "error": str(exc)},
                    )
                    self._drop_consumer()
                    self._wait(outage)
                    outage += 1
        except StageStopped:
            log.info("stopped while waiting; batch left uncommitted", extra={"stage": self.name})
        finally:
            if finished or self.stop_event.is_set():
                self.heartbeat.finished()
            self.close()

    def summary(self) -> dict[str, Any]:
        """What the stage did, for whoever ran it (a stage in a child process sends it back)."""
        return {
            "handled": self.handled,
            "dead_lettered": self.dead_lettered,
            "cpu_s": round(self.cpu_s, 6),
        }

    def lag(self) -> int:
        """Messages this stage's group has not committed yet (also sets the lag gauges)."""
        per_partition = self.consumer.lag()
        for (topic, partition), count in per_partition.items():
            metrics.CONSUMER_LAG.labels(self.name, topic, str(partition)).set(count)
        self._lag_refreshed_at = time.monotonic()
        return sum(per_partition.values())

    def refresh_lag(self, every_s: float | None = None) -> None:
        """Update the lag gauges if the last update is older than ``every_s`` (default
        ``lag_refresh_s``; lag calls cost a broker round trip on Kafka)."""
        if time.monotonic() - self._lag_refreshed_at < (
            self.lag_refresh_s if every_s is None else every_s
        ):
            return
        try:
            self.lag()
        except BusError as exc:
            self._lag_refreshed_at = time.monotonic()
            log.debug("lag unavailable", extra={"stage": self.name, "error": str(exc)})

    def _stepped(self, count: int) -> None:
        """Liveness and metrics after each poll: heartbeat, last-batch time, lag."""
        self.heartbeat.beat()
        if count:
            metrics.STAGE_LAST_BATCH.labels(self.name).set(time.time())
        self.refresh_lag()

    def _drop_consumer(self) -> None:
        try:
            self.close()
        except BusError as exc:
            self._consumer = None  # leaving failed; the group's session timeout frees it
            log.debug("leave failed", extra={"stage": self.name, "error": str(exc)})

    def close(self) -> None:
        """Leave the consumer group."""
        if self._consumer is not None:
            self._consumer.close()
            self._consumer = None

    def dead_letter(self, messages: list[Message]) -> None:
        """Publish dead letters and count them."""
        if messages:
            self.bus.publish("dlq", messages)
            self.dead_lettered += len(messages)

    def decode(
        self, messages: list[Message], decoder: Callable[[bytes], R]
    ) -> tuple[list[R], dict[str, Message], list[Message]]:
        """Decode messages; return the records, their messages by id, and dead letters."""
        records: list[R] = []
        origins: dict[str, Message] = {}
        dlq: list[Message] = []
        for msg in messages:
            try:
                record = decoder(msg.value)
            except RecordError as exc:
                metrics.DEAD_LETTERS.labels(self.name, exc.reason).inc()
                dlq.append(
                    dead_letter(
                        msg.value, stage=self.name, reason=exc.reason, error=str(exc), origin=msg
                    )
                )
                continue
            records.append(record)
            origins[record.id] = msg  # type: ignore[attr-defined]
        return records, origins, dlq

    def handle(self, messages: list[Message]) -> None:  # pragma: no cover - abstract
        """Process one batch of messages."""
        raise NotImplementedError

    def _handle_or_isolate(self, messages: list[Message]) -> None:
        """Handle a batch; a batch that keeps failing is split so one poison message cannot
        stall the stream.

        Outages (retriable bus/store errors) and stop requests propagate unchanged: the batch stays
        uncommitted and is tried again. Any other failure is retried up to
        ``settings.max_attempts`` times; then each message is handled on its own (again up to
        ``max_attempts`` times) and those that still fail go to the DLQ with reason
        ``processing_failed``. Handling is idempotent by complaint id, so the retries cannot
        duplicate anything downstream.
        """
        if self._attempt(messages) is None:
            return
        log.error(
            "batch keeps failing; handling its messages one by one",
            extra={"stage": self.name, "count": len(messages)},
        )
        failed: list[Message] = []
        for msg in messages:
            error = self._attempt([msg]) if len(messages) > 1 else self._last_error
            if error is not None:
                metrics.DEAD_LETTERS.labels(self.name, "processing_failed").inc()
                failed.append(
                    dead_letter(
                        msg.value,
                        stage=self.name,
                        reason="processing_failed",
                        error=f"{type(error).__name__}: {error}",
                        origin=msg,
                    )
                )
        log.error(
            "dead-lettered messages that failed every attempt",
            extra={"stage": self.name, "count": len(failed)},
        )
        self.dead_letter(failed)

    def _attempt(self, messages: list[Message]) -> Exception | None:
        """``handle`` up to ``max_attempts`` times; None on success, else the last error."""
        for attempt in range(self.settings.max_attempts):
            try:
                self.handle(messages)
                return None
            except StageStopped:
                raise
            except ScamtrailError as exc:
                if getattr(exc, "retriable", False):
                    raise
                self._last_error = exc
            # The stage boundary: whatever a poison message makes the handler raise must not stop
            # the stream, so it is retried and then dead-lettered with the error.
            except Exception as exc:  # noqa: BLE001
                self._last_error = exc
            log.warning(
                "handling failed",
                extra={
                    "stage": self.name,
                    "attempt": attempt + 1,
                    "count": len(messages),
                    "error": f"{type(self._last_error).__name__}: {self._last_error}",
                },
            )
            if attempt + 1 < self.settings.max_attempts:
                self._wait(attempt, cap_s=2.0)
        return self._last_error

    def _wait(self, attempt: int, cap_s: float = 30.0) -> None:
        delay = min(cap_s, 0.25 * 2**attempt)
        self.heartbeat.beat()  # waiting on a dependency is alive; /readyz names the dependency
        if self.stop_event.wait(delay):
            raise StageStopped(f"{self.name} stopped")
