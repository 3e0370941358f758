"""Prometheus metrics, defined once for every process.

Names follow Prometheus conventions (``scamtrail_`` prefix, ``_total`` counters, ``_seconds``
histograms). Label values are bounded sets (stage, source, category, kind, reason, rule), never
complaint ids. Every long-running process serves them on ``SCAMTRAIL_METRICS_PORT`` with
``/healthz`` and ``/readyz`` (:mod:`scamtrail.runtime.health`); ``scamtrail serve`` on its API port.

Who updates what: the stages (``scamtrail.runtime.stages``) the stage, lag, dead-letter and latency
families (lag at most every ``LAG_REFRESH_S``); the Ingestor ``COMPLAINTS_INGESTED`` and
``LAST_COMPLAINT`` per ingestor; the X sources the ``STREAM_*`` families and ``LAST_COMPLAINT``
labelled ``x_stream`` / ``x_poll`` (for the poller, ``STREAM_CONNECTED`` means its last round
reached X); the API the ``API_*`` families.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any, TypeVar, cast

from prometheus_client import (
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    start_http_server,
)
from prometheus_client.metrics_core import Metric

F = TypeVar("F", bound=Callable[..., Any])

COMPLAINTS_INGESTED = Counter(
    "scamtrail_complaints_ingested_total", "Complaints published to the raw topic", ["source"]
)
COMPLAINTS_PROCESSED = Counter(
    "scamtrail_complaints_processed_total", "Complaints classified, by category", ["category"]
)
IDENTIFIERS_EXTRACTED = Counter(
    "scamtrail_identifiers_extracted_total", "Identifiers extracted, by kind", ["kind"]
)
COMPLAINTS_INDEXED = Counter(
    "scamtrail_complaints_indexed_total", "Complaints written to the store", ["store"]
)
DEAD_LETTERS = Counter(
    "scamtrail_dead_letters_total", "Records sent to the dead-letter topic", ["stage", "reason"]
)
ALERTS_RAISED = Counter("scamtrail_alerts_total", "Alerts raised, by rule", ["rule"])
STORE_WRITE_SECONDS = Histogram(
    "scamtrail_store_write_seconds",
    "Store batch write latency",
    ["store"],
    buckets=(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
STORE_BATCH_SIZE = Histogram(
    "scamtrail_store_batch_size",
    "Complaints per store write",
    ["store"],
    buckets=(1, 10, 50, 100, 250, 500, 1000, 2500, 5000),
)
STORE_ERRORS = Counter(
    "scamtrail_store_errors_total", "Store write failures", ["store", "retriable"]
)
END_TO_END_SECONDS = Histogram(
    "scamtrail_end_to_end_seconds",
    "Complaint received -> indexed latency",
    buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300),
)
CREATED_TO_INDEXED_SECONDS = Histogram(
    "scamtrail_created_to_indexed_seconds",
    "Tweet posted -> indexed latency, for complaints that arrived live (received within "
    "LIVE_WITHIN_S of being posted; replayed and back-filled old tweets are left out)",
    ["source"],
    buckets=(0.5, 1, 2, 5, 10, 30, 60, 120, 300, 900, 3600),
)
CONSUMER_LAG = Gauge(
    "scamtrail_consumer_lag", "Messages not yet committed", ["group", "topic", "partition"]
)
STAGE_BATCHES = Counter("scamtrail_stage_batches_total", "Batches handled", ["stage"])
STAGE_CPU = Counter(
    "scamtrail_stage_cpu_seconds_total",
    "CPU time a stage's thread spent polling, handling and committing batches",
    ["stage"],
)
STAGE_LAST_BATCH = Gauge(
    "scamtrail_stage_last_batch_timestamp_seconds", "When a stage last handled a batch", ["stage"]
)
STREAM_CONNECTS = Counter(
    "scamtrail_stream_connects_total", "Stream connections accepted", ["source"]
)
STREAM_DISCONNECTS = Counter(
    "scamtrail_stream_disconnects_total", "Stream connections lost, by reason", ["source", "reason"]
)
STREAM_WAITS = Counter(
    "scamtrail_stream_waits_total",
    "Backoff waits before reconnecting, by reason",
    ["source", "reason"],
)
STREAM_WAIT_SECONDS = Counter(
    "scamtrail_stream_wait_seconds_total", "Seconds spent waiting to reconnect", ["source"]
)
STREAM_CONNECTED = Gauge(
    "scamtrail_stream_connected", "1 while the source holds a live connection", ["source"]
)
LAST_COMPLAINT = Gauge(
    "scamtrail_last_complaint_timestamp_seconds",
    "When a source last emitted a complaint",
    ["source"],
)
API_REQUESTS = Counter(
    "scamtrail_api_requests_total", "API requests", ["endpoint", "status", "role"]
)
API_REQUEST_SECONDS = Histogram(
    "scamtrail_api_request_seconds",
    "API request latency",
    ["endpoint"],
    buckets=(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
)
ALERT_DELIVERIES = Counter(
    "scamtrail_alert_deliveries_total",
    "Alert deliveries by sink (topic, webhook, log) and outcome (ok, retry, failed, dropped)",
    ["sink", "outcome"],
)


#: A complaint received more than this long after it was posted did not arrive live.
LIVE_WITHIN_S = 3600.0


def _epoch(iso: str) -> float:
    return datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()


def observe_indexed(records: Iterable[Any], now: float | None = None) -> None:
    """Record the latencies of records just written to the store.

    ``END_TO_END_SECONDS`` gets received -> indexed for every record; for records that arrived
    live, ``CREATED_TO_INDEXED_SECONDS`` also gets posted -> indexed, labelled by source.
    ``records`` need ``received_at``, ``created_at`` and ``source`` (Complaint / Enriched).
    """
    now = time.time() if now is None else now
    for r in records:
        received = _epoch(r.received_at)
        END_TO_END_SECONDS.observe(max(0.0, now - received))
        created = _epoch(r.created_at)
        if received - created <= LIVE_WITHIN_S:
            CREATED_TO_INDEXED_SECONDS.labels(r.source).observe(max(0.0, now - created))


def merge_families(local: Iterable[Metric], remote: Iterable[Metric]) -> list[Metric]:
    """``local`` families with the samples of ``remote`` ones (another process's) added.

    Samples only one side has are kept as they are. A sample both have (an unlabelled family
    always has one, at zero where it is unused) is summed for counters and histograms and the
    larger value is kept for gauges (timestamps, lag); ``_created`` stays the local one.
    """
    merged = {family.name: family for family in local}
    for family in remote:
        mine = merged.get(family.name)
        if mine is None or mine.type != family.type:
            if mine is None:  # a copy: merging another child into it must not touch this one
                merged[family.name] = copy.copy(family)
                merged[family.name].samples = list(family.samples)
            continue
        where = {(s.name, tuple(sorted(s.labels.items()))): i for i, s in enumerate(mine.samples)}
        for sample in family.samples:
            i = where.get((sample.name, tuple(sorted(sample.labels.items()))))
            if i is None:
                mine.samples.append(sample)
            elif not sample.name.endswith("_created"):
                old = mine.samples[i]
                both = (old.value, sample.value)
                value = max(both) if family.type == "gauge" else sum(both)
                mine.samples[i] = old._replace(value=value)
    return list(merged.values())


class MergedRegistry(CollectorRegistry):
    """This process's registry with the families child processes last reported merged in.

    ``scamtrail run`` serves it on its one metrics port, so the index stage's metrics (kept in
    its child process, see :mod:`scamtrail.runtime.child`) appear beside the parent's own.
    """

    def __init__(self, local: CollectorRegistry = REGISTRY) -> None:
        super().__init__(auto_describe=False)
        self.local = local
        self._remote: dict[str, list[Metric]] = {}

    def update_remote(self, name: str, families: list[Metric]) -> None:
        """Replace what the child ``name`` reported last."""
        self._remote[name] = families

    def collect(self) -> Iterable[Metric]:
        """The local families, merged with every child's."""
        families: list[Metric] = list(self.local.collect())
        for remote in list(self._remote.values()):
            families = merge_families(families, remote)
        return families


def serve(port: int, registry: CollectorRegistry = REGISTRY) -> None:
    """Expose only /metrics on ``port`` from a background thread (processes use
    :mod:`scamtrail.runtime.health`, which adds the probes)."""
    start_http_server(port, registry=registry)


def stamp_last_complaint(source: str, emit: F) -> F:
    """``emit`` that also sets ``LAST_COMPLAINT`` for ``source`` after each non-empty call."""

    def stamped(complaints, *args, **kwargs):  # type: ignore[no-untyped-def]
        result = emit(complaints, *args, **kwargs)
        if complaints:
            LAST_COMPLAINT.labels(source).set(time.time())
        return result

    return cast(F, stamped)
