"""The stages wired onto the bus: ingest -> raw -> process -> enriched -> index -> alerts.

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
from collections import Counter
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Self, TypeVar

from scamtrail import metrics
from scamtrail.alert_sinks import AlertSink, LogSink, sinks_from_settings
from scamtrail.bus.base import Bus, Consumer, Message
from scamtrail.errors import BusError, RecordError, ScamtrailError, StoreError
from scamtrail.health import Heartbeat
from scamtrail.index.alerts import AlertRule, AlertRules
from scamtrail.index.base import Store
from scamtrail.ingest.base import Source
from scamtrail.records import Complaint, Enriched, decode_complaint, decode_enriched
from scamtrail.settings import Settings, StageSettings

if TYPE_CHECKING:  # the index stage's child process never loads the extract model's modules
    from scamtrail.extract.pipeline import ComplaintExtractor
    from scamtrail.stage_process import StageProcess

log = logging.getLogger("scamtrail.pipeline")
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
        batch = self.consumer.poll(
            self.settings.batch_size,
            self.settings.poll_timeout_s if timeout_s is None else timeout_s,
        )
        if not batch:
            self._stepped(0)
            return 0
        self._handle_or_isolate(batch.messages)
        try:
            self.consumer.commit(batch)
        except BusError as exc:
            if not exc.retriable:
                raise
            log.warning("commit skipped", extra={"stage": self.name, "error": str(exc)})
        self.handled += len(batch)
        metrics.STAGE_BATCHES.labels(self.name).inc()
        self._stepped(len(batch))
        return len(batch)

    def run_forever(self, drained: threading.Event | None = None) -> None:
        """Handle batches until ``stop_event`` is set; the last batch is finished and committed.

        With ``drained`` (set once everything upstream has finished and committed) it also ends
        when a poll comes back empty and this stage's group has committed everything.
        """
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
        return {"handled": self.handled, "dead_lettered": self.dead_lettered}

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
        # Counted per label first: one labels() lookup (a locked dict lookup) per category and
        # kind in the batch instead of one per complaint and identifier.
        for category, count in Counter(e.category for e in enriched).items():
            metrics.COMPLAINTS_PROCESSED.labels(category).inc(count)
        kinds = Counter(ident.kind for e in enriched for ident in e.identifiers)
        for kind, count in kinds.items():
            metrics.IDENTIFIERS_EXTRACTED.labels(kind).inc(count)
        if dlq:
            log.warning("dead-lettered", extra={"stage": self.name, "count": len(dlq)})
        self.dead_letter(dlq)


class IndexStage(ConsumerStage):
    """enriched -> store + registry -> alerts (outbox -> alerts topic, then the sinks).

    ``rules`` defaults to every rule with its default settings and the shipped allow-list
    (:class:`~scamtrail.index.alerts.AlertRules`); ``sinks`` to the log. Sinks get each alert
    after it is on the alerts topic and never block the stage.
    """

    name = "index"
    input_topic = "enriched"

    def __init__(
        self,
        bus: Bus,
        store: Store,
        rules: AlertRules | Sequence[AlertRule] | None = None,
        sinks: Sequence[AlertSink] | None = None,
        **kwargs: object,
    ) -> None:
        super().__init__(bus, **kwargs)  # type: ignore[arg-type]
        self.store = store
        self.rules = rules if isinstance(rules, AlertRules) else AlertRules(rules)
        self.sinks = list(sinks) if sinks is not None else [LogSink()]
        self.alerts_published = 0

    @classmethod
    def from_settings(
        cls, bus: Bus, store: Store, settings: Settings, stop: threading.Event | None = None
    ) -> Self:
        """The index stage as ``settings`` configure it: alert rules, allow-list, sinks."""
        from scamtrail.extract.identifiers import normalise_query

        region = settings.extract.region
        rules = AlertRules.from_settings(
            settings.alerts, normalise=lambda value: normalise_query(value, region)
        )
        return cls(
            bus,
            store,
            rules=rules,
            sinks=sinks_from_settings(settings),
            settings=settings.stage,
            stop=stop,
        )

    def handle(self, messages: list[Message]) -> None:
        """Decode, write (retrying while the store is down), raise and publish alerts."""
        records, origins, dlq = self.decode(messages, decode_enriched)
        if records:
            updates = self._write(records, origins, dlq)
            alerts = self._retry(lambda: self.rules.evaluate(updates, self.store))
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
        metrics.observe_indexed(records)
        return updates

    def _publish_pending_alerts(self) -> None:
        pending = self._retry(lambda: self.store.pending_alerts())
        if not pending:
            return
        self.bus.publish("alerts", [Message.new(a.id, a.to_json()) for a in pending])
        self._retry(lambda: self.store.mark_alerts_published([a.id for a in pending]))
        self.alerts_published += len(pending)
        metrics.ALERT_DELIVERIES.labels("topic", "ok").inc(len(pending))
        for rule, count in Counter(a.rule for a in pending).items():
            metrics.ALERTS_RAISED.labels(rule).inc(count)
        for sink in self.sinks:
            sink.deliver(pending)

    def summary(self) -> dict[str, Any]:
        """Handled, dead-lettered and alerts published."""
        return {**super().summary(), "alerts_published": self.alerts_published}

    def close(self) -> None:
        """Leave the consumer group; give the sinks a moment to deliver what they hold."""
        super().close()
        for sink in self.sinks:
            sink.close()


def run_all(
    process: ProcessStage,
    index: IndexStage | StageProcess,
    *,
    source: Source | None = None,
    ingestor: Ingestor | None = None,
    until_drained: bool = False,
    stop: threading.Event | None = None,
) -> None:
    """Run process and index (and ``source`` in another thread) until stopped.

    ``index`` is either a stage, stepped in turn with ``process`` in this thread (one core), or
    a started :class:`~scamtrail.stage_process.StageProcess`, the index stage in a child process
    working alongside (two cores; what ``scamtrail run`` does). With ``until_drained`` it returns
    once the source has finished and both groups have committed everything on their topics. A
    stop (``stop`` set) finishes the batches in hand and commits them; the child is stopped and
    waited for in every case, and its failure raises
    :class:`~scamtrail.stage_process.StageProcessError`.
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
        if isinstance(index, IndexStage):
            _step_both(process, index, source_done, errors, until_drained, stop)
        else:
            _beside_child(process, index, source_done, errors, until_drained, stop)
    finally:
        if source is not None:
            source.stop()
        process.close()
        index.close()  # a child is stopped and waited for (a no-op once it has ended)


def _step_both(
    process: ProcessStage,
    index: IndexStage,
    source_done: threading.Event,
    errors: list[BaseException],
    until_drained: bool,
    stop: threading.Event,
) -> None:
    """Both stages in this thread, one step each in turn."""
    while not stop.is_set():
        if errors:
            raise errors[0]
        busy = process.step(0.02) + index.step(0.02)
        drained = busy == 0 and until_drained and source_done.is_set() and not errors
        if drained and process.lag() == 0 and index.lag() == 0:
            break


def _beside_child(
    process: ProcessStage,
    index: StageProcess,
    source_done: threading.Event,
    errors: list[BaseException],
    until_drained: bool,
    stop: threading.Event,
) -> None:
    """The process stage in this thread while the index stage runs in its child process."""
    while not stop.is_set():
        if errors:
            raise errors[0]
        if index.check():
            break  # the child was stopped on its own (SIGTERM to it): stop as well
        busy = process.step()
        drained = busy == 0 and until_drained and source_done.is_set() and not errors
        if drained and process.lag() == 0:
            # Everything is on the enriched topic: the child ends once it has committed it all.
            index.drain()
            break
    else:
        index.stop()
    index.wait(stop)


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
