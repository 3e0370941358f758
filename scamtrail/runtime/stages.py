"""The two consumer stages: ``process`` (raw -> classify and extract -> enriched) and ``index``
(enriched -> store, registry and alerts -> alerts topic and sinks).
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Self

from scamtrail import metrics
from scamtrail.bus.base import Bus, Message
from scamtrail.errors import StoreError
from scamtrail.index.alerts import AlertRule, AlertRules
from scamtrail.index.base import Store
from scamtrail.records import Alert, Enriched, decode_complaint, decode_enriched
from scamtrail.runtime.alert_sinks import AlertSink, LogSink, sinks_from_settings
from scamtrail.runtime.consumer import ConsumerStage, dead_letter
from scamtrail.settings import Settings

if TYPE_CHECKING:  # the index stage's child process never loads the extract model's modules
    from scamtrail.extract.pipeline import ComplaintExtractor


log = logging.getLogger("scamtrail.runtime.stages")


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

    The alerts a batch raises are published as soon as the store has recorded them, before the
    batch is committed, and then marked published. The outbox (recorded, not yet published) is
    swept at the first step and every ``settings.alert_sweep_s`` seconds after: what a crash
    left between recording and publishing, and alerts recorded elsewhere (``scamtrail import``'s
    partner hits). Delivery is at-least-once; an alert's id is its message key.

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
        # the index stage polls its own batch size (StageSettings.index_batch_size)
        self.settings = self.settings.model_copy(
            update={"batch_size": self.settings.index_batch_size}
        )
        self.store = store
        self.rules = rules if isinstance(rules, AlertRules) else AlertRules(rules)
        self.sinks = list(sinks) if sinks is not None else [LogSink()]
        self.alerts_published = 0
        self._next_sweep = 0.0  # monotonic time of the next outbox sweep: the first step sweeps

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
                self._publish(self._retry(lambda: self.store.record_alerts(alerts)))
        self.dead_letter(dlq)

    def step(self, timeout_s: float | None = None) -> int:
        """Sweep the alert outbox when it is due, then handle one batch."""
        if time.monotonic() >= self._next_sweep:
            self.sweep_alerts()
        return super().step(timeout_s)

    def sweep_alerts(self) -> int:
        """Publish every alert still in the store's outbox; return how many."""
        swept, seen = 0, set()
        while pending := self._retry(lambda: self.store.pending_alerts()):
            if seen.issuperset(a.id for a in pending):
                break  # the store did not take the marks: the next sweep tries again
            seen.update(a.id for a in pending)
            self._publish(pending)
            swept += len(pending)
        self._next_sweep = time.monotonic() + self.settings.alert_sweep_s
        return swept

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

    def _publish(self, pending: list[Alert]) -> None:
        """Alerts onto the alerts topic, marked published in the store, then to the sinks."""
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
