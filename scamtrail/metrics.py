"""Prometheus metrics, defined once for every process.

Names follow Prometheus conventions (``scamtrail_`` prefix, ``_total`` counters, ``_seconds``
histograms). Label values are bounded sets (stage, source, category, kind, reason, rule), never
complaint ids. :func:`serve` exposes them on ``SCAMTRAIL_METRICS_PORT``.
"""

from __future__ import annotations

from prometheus_client import (
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    start_http_server,
)

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
CONSUMER_LAG = Gauge(
    "scamtrail_consumer_lag", "Messages not yet committed", ["group", "topic", "partition"]
)
STAGE_BATCHES = Counter("scamtrail_stage_batches_total", "Batches handled", ["stage"])
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


def serve(port: int, registry: CollectorRegistry = REGISTRY) -> None:
    """Expose /metrics on ``port`` from a background thread."""
    start_http_server(port, registry=registry)
