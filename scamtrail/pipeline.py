"""The stages wired onto the bus: ingest -> raw -> process -> enriched -> index -> alerts.

Each consumer stage is a member of a consumer group (``process``, ``index``) and keeps one order
per batch: handle the batch (write downstream, dead-letter what cannot be handled), *then* commit
the offsets. A crash before the commit redelivers the batch, and every downstream write is
idempotent by complaint id, so delivery is at-least-once with no duplicates in the store.

Records that cannot be handled go to the ``dlq`` topic with headers ``stage``, ``reason``,
``error`` and, when they came from the bus, ``origin_topic``/``origin_partition``/
``origin_offset``; the stage carries on with the rest. A store that is down is retried with
backoff, offsets uncommitted, until it is back or the stage is stopped.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TypeVar

from scamtrail import metrics
from scamtrail.bus.base import Bus, Consumer, Message
from scamtrail.errors import BusError, RecordError, ScamtrailError, StoreError
from scamtrail.extract.pipeline import ComplaintExtractor
from scamtrail.index.alerts import RepeatRule
from scamtrail.index.base import Store
from scamtrail.ingest.base import Source
from scamtrail.records import Complaint, Enriched, decode_complaint, decode_enriched
from scamtrail.settings import StageSettings

log = logging.getLogger("scamtrail.pipeline")
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


class Ingestor:
    """Publishes a source's complaints to the raw topic and its rejects to the DLQ."""

    def __init__(self, bus: Bus, source_name: str = "replay") -> None:
        self.bus = bus
        self.source_name = source_name
        self.published = 0
        self.rejected = 0

    def emit(self, complaints: Sequence[Complaint]) -> None:
        """Publish complaints, keyed by complaint id."""
        self.bus.publish("raw", [Message.new(c.id, c.to_json()) for c in complaints])
        self.published += len(complaints)
        for c in complaints:
            metrics.COMPLAINTS_INGESTED.labels(c.source).inc()

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
        source.run(self.emit, self.reject)


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

    @property
    def consumer(self) -> Consumer:
        """This stage's group member (joined on first use)."""
        if self._consumer is None:
            self._consumer = self.bus.consumer([self.input_topic], self.name)
        return self._consumer

    def step(self, timeout_s: float | None = None) -> int:
        """Handle one batch; return how many messages it had (0 when the topic was idle)."""
        batch = self.consumer.poll(
            self.settings.batch_size,
            self.settings.poll_timeout_s if timeout_s is None else timeout_s,
        )
        if not batch:
            return 0
        self.handle(batch.messages)
        try:
            self.consumer.commit(batch)
        except BusError as exc:
            if not exc.retriable:
                raise
            log.warning("commit skipped", extra={"stage": self.name, "error": str(exc)})
        self.handled += len(batch)
        metrics.STAGE_BATCHES.labels(self.name).inc()
        return len(batch)

    def run_forever(self) -> None:
        """Handle batches until ``stop_event`` is set; the last batch is finished and committed."""
        try:
            while not self.stop_event.is_set():
                self.step()
        except StageStopped:
            log.info("stopped while waiting; batch left uncommitted", extra={"stage": self.name})
        finally:
            self.close()

    def lag(self) -> int:
        """Messages this stage's group has not committed yet."""
        return sum(self.consumer.lag().values())

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

    def _wait(self, attempt: int) -> None:
        delay = min(30.0, 0.25 * 2**attempt)
        if self.stop_event.wait(delay):
            raise StageStopped(f"{self.name} stopped")


class ProcessStage(ConsumerStage):
    """raw -> extract -> enriched."""

    name = "process"
    input_topic = "raw"

    def __init__(self, bus: Bus, extractor: ComplaintExtractor, **kwargs: object) -> None:
        super().__init__(bus, **kwargs)  # type: ignore[arg-type]
        self.extractor = extractor

    def handle(self, messages: list[Message]) -> None:
        """Decode, enrich, publish; dead-letter what cannot be decoded or enriched."""
        complaints, origins, dlq = self.decode(messages, decode_complaint)
        enriched, failures = self.extractor.enrich(complaints) if complaints else ([], [])
        for failure in failures:
            metrics.DEAD_LETTERS.labels(self.name, failure.error.reason).inc()
            dlq.append(
                dead_letter(
                    failure.complaint.to_json(),
                    stage=self.name,
                    reason=failure.error.reason,
                    error=str(failure.error),
                    origin=origins.get(failure.complaint.id),
                )
            )
        if enriched:
            self.bus.publish("enriched", [Message.new(e.id, e.to_json()) for e in enriched])
        for e in enriched:
            metrics.COMPLAINTS_PROCESSED.labels(e.category).inc()
            for ident in e.identifiers:
                metrics.IDENTIFIERS_EXTRACTED.labels(ident.kind).inc()
        if dlq:
            log.warning("dead-lettered", extra={"stage": self.name, "count": len(dlq)})
        self.dead_letter(dlq)


class IndexStage(ConsumerStage):
    """enriched -> store + registry -> alerts (outbox -> alerts topic, log)."""

    name = "index"
    input_topic = "enriched"

    def __init__(
        self, bus: Bus, store: Store, rules: Sequence[RepeatRule] | None = None, **kwargs: object
    ) -> None:
        super().__init__(bus, **kwargs)  # type: ignore[arg-type]
        self.store = store
        self.rules = list(rules) if rules is not None else [RepeatRule()]
        self.alerts_published = 0

    def handle(self, messages: list[Message]) -> None:
        """Decode, write (retrying while the store is down), raise and publish alerts."""
        records, origins, dlq = self.decode(messages, decode_enriched)
        if records:
            updates = self._write(records, origins, dlq)
            alerts = [a for rule in self.rules for a in rule.evaluate(updates)]
            if alerts:
                self._retry(lambda: self.store.record_alerts(alerts))
        self._publish_pending_alerts()
        self.dead_letter(dlq)

    def _retry(self, call):  # type: ignore[no-untyped-def]
        attempt = 0
        while True:
            try:
                return call()
            except StoreError as exc:
                if not exc.retriable:
                    raise
                metrics.STORE_ERRORS.labels(self.store.name, "true").inc()
                log.warning(
                    "store unavailable; retrying",
                    extra={"stage": self.name, "attempt": attempt, "error": str(exc)},
                )
                self._wait(attempt)
                attempt += 1

    def _write(self, records: list[Enriched], origins: dict[str, Message], dlq: list[Message]):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        try:
            updates = self._retry(lambda: self.store.write(records))
        except StoreError:
            # Not retriable: find the records the store rejects, one by one, and dead-letter them.
            metrics.STORE_ERRORS.labels(self.store.name, "false").inc()
            updates = []
            for record in records:
                try:
                    updates.extend(self._retry(lambda r=record: self.store.write([r])))
                except StoreError as exc:
                    metrics.DEAD_LETTERS.labels(self.name, "store_rejected").inc()
                    dlq.append(
                        dead_letter(
                            record.to_json(),
                            stage=self.name,
                            reason="store_rejected",
                            error=str(exc),
                            origin=origins.get(record.id),
                        )
                    )
        elapsed = time.perf_counter() - started
        metrics.STORE_WRITE_SECONDS.labels(self.store.name).observe(elapsed)
        metrics.STORE_BATCH_SIZE.labels(self.store.name).observe(len(records))
        metrics.COMPLAINTS_INDEXED.labels(self.store.name).inc(len(records))
        now = time.time()
        for r in records:
            received = datetime.fromisoformat(r.received_at.replace("Z", "+00:00")).timestamp()
            metrics.END_TO_END_SECONDS.observe(max(0.0, now - received))
        return updates

    def _publish_pending_alerts(self) -> None:
        pending = self._retry(lambda: self.store.pending_alerts())
        if not pending:
            return
        self.bus.publish("alerts", [Message.new(a.id, a.to_json()) for a in pending])
        self._retry(lambda: self.store.mark_alerts_published([a.id for a in pending]))
        self.alerts_published += len(pending)
        for a in pending:
            metrics.ALERTS_RAISED.labels(a.rule).inc()
            log.warning(
                "alert",
                extra={
                    "stage": self.name,
                    "alert_id": a.id,
                    "rule": a.rule,
                    "identifier": f"{a.identifier.kind}:{a.identifier.value}",
                    "count": a.complaint_count,
                    "complaint_ids": a.complaint_ids[:20],
                },
            )


def run_all(
    process: ProcessStage,
    index: IndexStage,
    *,
    source: Source | None = None,
    ingestor: Ingestor | None = None,
    until_drained: bool = False,
    stop: threading.Event | None = None,
) -> None:
    """Run process and index in this thread (and ``source`` in another) until stopped.

    With ``until_drained`` it returns once the source has finished and both groups have
    committed everything on their topics.
    """
    stop = stop or threading.Event()
    source_done = threading.Event()
    errors: list[BaseException] = []
    if source is not None and ingestor is not None:

        def _feed() -> None:
            try:
                ingestor.run(source)
            except BaseException as exc:  # handed to the main thread, which re-raises it
                errors.append(exc)
            finally:
                source_done.set()

        threading.Thread(target=_feed, name="ingest", daemon=True).start()
    else:
        source_done.set()
    try:
        while not stop.is_set():
            if errors:
                raise errors[0]
            busy = process.step(0.02) + index.step(0.02)
            drained = busy == 0 and until_drained and source_done.is_set() and not errors
            if drained and process.lag() == 0 and index.lag() == 0:
                break
    finally:
        if source is not None:
            source.stop()
        process.close()
        index.close()


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
