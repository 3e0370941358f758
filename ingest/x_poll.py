"""Complaints from X API v2 recent search, polled: for access levels without the stream.

:class:`XPollSource` runs rounds. Each round asks recent search for the query (by default the
same mentions/replies/hashtags the stream rules would watch) with ``since_id`` = the checkpoint,
follows ``next_token`` through every page, and delivers the tweets oldest first in batches:
``emit``, then the checkpoint (the newest id delivered) is written atomically, so a crash in the
middle of a round resumes from the last batch that was emitted.

- Without a checkpoint, the source reads tweets from the moment it started (``start_time``),
  or from ``backfill_since`` when given (recent search reaches back seven days). An explicit
  ``backfill_since`` re-reads that range in the first round even when a checkpoint exists;
  tweets an earlier run delivered may then be emitted again, which the bus and stores absorb
  (both are keyed by complaint id).
- Each round asks only for tweets at least ``settle_s`` old (``end_time``; X wants 10 s at
  least). Search indexes a tweet a few seconds after it is posted, so without this margin a
  tweet indexed late, behind a newer one already delivered, would fall below ``since_id`` and
  be skipped for good. ``settle_s=0`` turns the margin off.
- A 429 waits until ``x-rate-limit-reset`` (else 60 s, doubling) and carries on from the same
  page; network errors and 5xx retry the round with the stream's backoff; 400/401/403 stop with
  a SourceError.
- ``once=True`` runs a single round (for cron and tests); it retries transient failures
  ``max_attempts`` times, then raises SourceError. Otherwise rounds repeat every ``interval_s``
  until ``stop()``.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pydantic import SecretStr
from scamtrail.ingest.base import Emit, Reject, Source
from scamtrail.ingest.checkpoint import CheckpointFile, LedgerCounters, TweetLedger
from scamtrail.ingest.x_client import (
    Backoff,
    TransientXError,
    XApi,
    bearer_token_value,
    check_api_url,
    collect_recent,
    search_query,
    stream_rules,
)

from scamtrail import metrics
from scamtrail.errors import SourceError

log = logging.getLogger("scamtrail.ingest.x_poll")

#: Tweets emitted per ``emit`` call (and per checkpoint write).
BATCH_SIZE = 100
#: X refuses an ``end_time`` less than this many seconds before the request.
MIN_END_TIME_AGE_S = 10.0


class XPollSource(LedgerCounters, Source):
    """Complaints from recent search every ``interval_s``. See the module docstring."""

    name = "x_poll"

    def __init__(
        self,
        *,
        bearer_token: SecretStr | None,
        query: str | None = None,
        handles: Sequence[str] = (),
        hashtags: Sequence[str] = (),
        api_url: str = "https://api.x.com",
        state_dir: str | Path | None = None,
        interval_s: float = 60.0,
        once: bool = False,
        backfill_since: datetime | None = None,
        max_attempts: int = 5,
        network_backoff_s: float = 0.25,
        network_backoff_max_s: float = 16.0,
        http_backoff_s: float = 5.0,
        http_backoff_max_s: float = 320.0,
        rate_limit_backoff_s: float = 60.0,
        request_timeout_s: float = 30.0,
        seen_capacity: int = 10_000,
        settle_s: float = 15.0,
    ) -> None:
        self._token = bearer_token
        bearer_token_value(bearer_token)  # a missing token is a ConfigError now, not later
        self.query = query or search_query(stream_rules(handles, hashtags))
        self.api_url = check_api_url(api_url)
        if backfill_since is not None and backfill_since.tzinfo is None:
            backfill_since = backfill_since.replace(tzinfo=UTC)
        self.backfill_since = backfill_since
        self.interval_s = interval_s
        self.settle_s = settle_s
        self.once = once
        self.max_attempts = max_attempts
        self.request_timeout_s = request_timeout_s
        checkpoint = (
            CheckpointFile(Path(state_dir) / "x_poll.json", "x_poll")
            if state_dir is not None
            else None
        )
        # A backfill re-reads a range on purpose, so the start checkpoint is no floor then.
        self.ledger = TweetLedger(
            checkpoint,
            seen_capacity=seen_capacity,
            skip_at_or_below_start=backfill_since is None,
        )
        self.backoff = Backoff(
            network_s=network_backoff_s,
            network_max_s=network_backoff_max_s,
            http_s=http_backoff_s,
            http_max_s=http_backoff_max_s,
            rate_limit_s=rate_limit_backoff_s,
        )
        self._stop = threading.Event()
        self._fresh_from = backfill_since or datetime.now(UTC)
        self.rounds = 0

    def stop(self) -> None:
        """Finish the current batch and return; interrupts waits at once."""
        self._stop.set()

    def run(self, emit: Emit, reject: Reject) -> None:
        """Poll until ``stop()`` (or one round with ``once``); see the module docstring."""
        self.ledger.load()
        emit = metrics.stamp_last_complaint(self.name, emit)
        log.info(
            "x poll starting",
            extra={"stage": "ingest", "source": self.name, "since_id": self.since_id},
        )
        api = XApi(self._token, self.api_url, timeout_s=self.request_timeout_s)
        try:
            self._loop(api, emit, reject)
        finally:
            api.close()
            log.info(
                "x poll stopped",
                extra={
                    "stage": "ingest",
                    "source": self.name,
                    "count": self.emitted,
                    "rejected": self.rejected,
                    "rounds": self.rounds,
                    "since_id": self.since_id,
                },
            )

    def _loop(self, api: XApi, emit: Emit, reject: Reject) -> None:
        backfill = self.backfill_since
        self._fresh_from = self.backfill_since or datetime.now(UTC)
        failures = 0
        while not self._stop.is_set():
            try:
                self._round(api, emit, reject, backfill)
            except TransientXError as exc:
                if self._stop.is_set():
                    return
                failures += 1
                # "connected" for a poller: its last round reached X.
                metrics.STREAM_CONNECTED.labels(self.name).set(0)
                if self.once and failures >= self.max_attempts:
                    raise SourceError(f"x poll gave up after {failures} attempts: {exc}") from exc
                delay = self.backoff.delay(exc)
                metrics.STREAM_WAITS.labels(self.name, exc.kind).inc()
                metrics.STREAM_WAIT_SECONDS.labels(self.name).inc(delay)
                log.warning(
                    "x poll round failed; retrying",
                    extra={
                        "stage": "ingest",
                        "source": self.name,
                        "error": str(exc),
                        "kind": exc.kind,
                        "wait_s": round(delay, 3),
                    },
                )
                self._stop.wait(delay)
                continue
            failures = 0
            metrics.STREAM_CONNECTED.labels(self.name).set(1)
            self.backoff.reset()
            backfill = None
            if self.once:
                return
            self._stop.wait(self.interval_s)

    def _round(self, api: XApi, emit: Emit, reject: Reject, backfill: datetime | None) -> None:
        started = time.monotonic()
        since_id = None if backfill is not None else self.since_id
        start_time = backfill or (self._fresh_from if since_id is None else None)
        end_time = (
            datetime.now(UTC) - timedelta(seconds=max(self.settle_s, MIN_END_TIME_AGE_S))
            if self.settle_s > 0
            else None
        )
        if start_time is not None and end_time is not None and start_time >= end_time:
            self.rounds += 1  # nothing has settled since the start yet
            return
        payloads = collect_recent(
            api,
            self.query,
            since_id=since_id,
            start_time=start_time,
            end_time=end_time,
            on_rate_limit=self._wait_rate_limit,
            stopped=self._stop.is_set,
        )
        before = self.emitted
        for i in range(0, len(payloads), BATCH_SIZE):
            if self._stop.is_set():
                break
            self.ledger.deliver(
                [(p, json.dumps(p).encode(), "search") for p in payloads[i : i + BATCH_SIZE]],
                emit,
                reject,
            )
        self.rounds += 1
        log.info(
            "x poll round",
            extra={
                "stage": "ingest",
                "source": self.name,
                "count": self.emitted - before,
                "found": len(payloads),
                "since_id": since_id,
                "elapsed_s": round(time.monotonic() - started, 3),
            },
        )

    def _wait_rate_limit(self, error: TransientXError) -> bool:
        delay = self.backoff.delay(error)
        metrics.STREAM_WAITS.labels(self.name, error.kind).inc()
        metrics.STREAM_WAIT_SECONDS.labels(self.name).inc(delay)
        log.warning(
            "x poll rate limited; waiting",
            extra={"stage": "ingest", "source": self.name, "wait_s": round(delay, 3)},
        )
        return not self._stop.wait(delay)
