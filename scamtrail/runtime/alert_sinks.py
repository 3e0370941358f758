"""Where published alerts go besides the ``alerts`` topic: the log and a webhook.

The index stage publishes its alert outbox to the ``alerts`` topic (durable, at-least-once), then
hands the same alerts to each :class:`AlertSink`. ``deliver`` never blocks the stage:

- :class:`LogSink` writes one log line per alert.
- :class:`WebhookSink` puts alerts on a bounded queue that a background thread POSTs, one JSON
  object per alert: ``{"text": <one line for Slack and the like>, "alert": <the alert record>}``.
  A failed POST (no answer, timeout, HTTP 429 or 5xx) is retried with exponential backoff
  (``Retry-After`` honoured up to the cap) up to ``max_retries`` times; other 4xx answers are not
  retried. When the queue is full the alert is dropped and counted; an unreachable webhook never
  slows indexing. Alerts stay on the ``alerts`` topic either way.

Every outcome is counted in ``scamtrail_alert_deliveries_total{sink, outcome}`` with outcomes
``ok``, ``retry``, ``failed`` and ``dropped``. The webhook URL is a secret: it is never logged.
"""

from __future__ import annotations

import abc
import json
import logging
import queue
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Sequence

from scamtrail import metrics
from scamtrail.records import Alert
from scamtrail.settings import Settings, WebhookSettings

log = logging.getLogger("scamtrail.alerts")


class AlertSink(abc.ABC):
    """Somewhere alerts are delivered after they reach the alerts topic."""

    name: str = "sink"

    @abc.abstractmethod
    def deliver(self, alerts: Sequence[Alert]) -> None:
        """Hand alerts over without blocking (delivery may happen later, on another thread)."""

    def close(self, timeout_s: float = 2.0) -> None:  # noqa: B027 - most sinks hold nothing
        """Finish what can be finished within ``timeout_s`` and release resources."""


class LogSink(AlertSink):
    """Writes one WARNING log line per alert, with its id, rule, identifier and complaints."""

    name = "log"

    def deliver(self, alerts: Sequence[Alert]) -> None:
        """Log each alert."""
        for a in alerts:
            log.warning(
                "alert",
                extra={
                    "stage": "index",
                    "alert_id": a.id,
                    "rule": a.rule,
                    "identifier": f"{a.identifier.kind}:{a.identifier.value}",
                    "count": a.complaint_count,
                    "complaint_ids": a.complaint_ids[:20],
                },
            )
            metrics.ALERT_DELIVERIES.labels(self.name, "ok").inc()


def slack_text(alert: Alert) -> str:
    """The one-line summary a chat webhook shows."""
    ids = ", ".join(alert.complaint_ids[:5]) + (" ..." if len(alert.complaint_ids) > 5 else "")
    return f"[scamtrail {alert.rule}/{alert.level}] {alert.message or alert.id} (complaints: {ids})"


class WebhookSink(AlertSink):
    """POSTs alerts as JSON to a webhook from a background thread (see the module docstring)."""

    name = "webhook"

    def __init__(self, url: str, settings: WebhookSettings | None = None) -> None:
        self._url = url
        self.settings = settings or WebhookSettings()
        self._queue: queue.Queue[Alert] = queue.Queue(maxsize=self.settings.queue_size)
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self.delivered = 0
        self.failed = 0
        self.dropped = 0

    def __repr__(self) -> str:  # never the URL: it often carries a token
        return f"WebhookSink(queue={self._queue.qsize()}/{self.settings.queue_size})"

    def deliver(self, alerts: Sequence[Alert]) -> None:
        """Queue alerts for the sender thread; drop (and count) what does not fit."""
        self._start()
        for a in alerts:
            try:
                self._queue.put_nowait(a)
            except queue.Full:
                self.dropped += 1
                metrics.ALERT_DELIVERIES.labels(self.name, "dropped").inc()
                log.warning(
                    "webhook queue full; alert dropped (it stays on the alerts topic)",
                    extra={"stage": "index", "alert_id": a.id, "count": self._queue.qsize()},
                )

    def close(self, timeout_s: float = 2.0) -> None:
        """Let the sender finish the queue for up to ``timeout_s``, then stop it."""
        with self._lock:
            thread = self._thread
        if thread is None:
            return
        deadline = time.monotonic() + timeout_s
        # Queue.join has no timeout: poll the count of unfinished alerts instead.
        while self._queue.unfinished_tasks and time.monotonic() < deadline:
            time.sleep(0.02)
        self._stop.set()
        # A request in flight to a dead webhook may take up to timeout_s; the thread is a
        # daemon, so it is not waited for beyond the deadline.
        thread.join(timeout=max(0.05, deadline - time.monotonic()))
        left = 0
        while True:
            try:
                self._queue.get_nowait()
            except queue.Empty:
                break
            self._queue.task_done()
            left += 1
        if left:
            self.dropped += left
            metrics.ALERT_DELIVERIES.labels(self.name, "dropped").inc(left)
            log.warning("webhook closed with alerts undelivered", extra={"count": left})
        with self._lock:
            self._thread = None
            self._stop = threading.Event()

    # -- the sender thread ------------------------------------------------------------------
    def _start(self) -> None:
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._run, args=(self._stop,), name="alert-webhook", daemon=True
                )
                self._thread.start()

    def _run(self, stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                alert = self._queue.get(timeout=0.1)
            except queue.Empty:
                continue
            try:
                self._send(alert, stop)
            finally:
                self._queue.task_done()

    def _send(self, alert: Alert, stop: threading.Event) -> None:
        body = json.dumps(
            {"text": slack_text(alert), "alert": alert.model_dump(mode="json", by_alias=True)},
            ensure_ascii=False,
        ).encode()
        s = self.settings
        for attempt in range(s.max_retries + 1):
            retriable, wait_hint, why = self._post(body)
            if why is None:
                self.delivered += 1
                metrics.ALERT_DELIVERIES.labels(self.name, "ok").inc()
                return
            if not retriable or attempt == s.max_retries:
                break
            metrics.ALERT_DELIVERIES.labels(self.name, "retry").inc()
            delay = min(s.max_backoff_s, wait_hint or s.backoff_s * 2**attempt)
            if stop.wait(delay):
                break
        self.failed += 1
        metrics.ALERT_DELIVERIES.labels(self.name, "failed").inc()
        log.warning(
            "webhook delivery failed (the alert stays on the alerts topic)",
            extra={"stage": "index", "alert_id": alert.id, "error": why},
        )

    def _post(self, body: bytes) -> tuple[bool, float | None, str | None]:
        """One POST: (retriable, Retry-After seconds, why it failed or None when delivered)."""
        request = urllib.request.Request(
            self._url,
            data=body,
            headers={"Content-Type": "application/json", "User-Agent": "scamtrail-alerts"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.settings.timeout_s) as response:
                response.read()
            return False, None, None
        except urllib.error.HTTPError as exc:
            status = exc.code
            hint = _seconds(exc.headers.get("Retry-After")) if exc.headers else None
            exc.close()
            return status in (408, 429) or status >= 500, hint, f"HTTP {status}"
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            return True, None, f"{type(exc).__name__}: {reason}"


def _seconds(text: str | None) -> float | None:
    try:
        return max(0.0, float(text)) if text else None
    except ValueError:
        return None


def sinks_from_settings(settings: Settings) -> list[AlertSink]:
    """The log sink, plus the webhook when ``alert_webhook_url`` is set."""
    sinks: list[AlertSink] = [LogSink()]
    if settings.alert_webhook_url is not None:
        url = settings.alert_webhook_url.get_secret_value()
        if url:
            sinks.append(WebhookSink(url, settings.alerts.webhook))
    return sinks
