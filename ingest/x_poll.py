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

import logging
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pydantic import SecretStr
from scamtrail.ingest.base import Emit, Reject
from scamtrail.ingest.checkpoint import TweetLedger
from scamtrail.ingest.x_client import XApi
from scamtrail.ingest.x_errors import TransientXError
from scamtrail.ingest.x_rules import search_query, stream_rules
from scamtrail.ingest.x_search import collect_recent
from scamtrail.ingest.x_source import SEARCH_BATCH, XSource

from scamtrail import metrics
from scamtrail.errors import SourceError

log = logging.getLogger("scamtrail.ingest.x_poll")

#: Tweets emitted per ``emit`` call (and per checkpoint write).
BATCH_SIZE = SEARCH_BATCH
#: X refuses an ``end_time`` less than this many seconds before the request.
MIN_END_TIME_AGE_S = 10.0


class XPollSource(XSource):
    """Complaints from recent search every ``interval_s``. See the module docstring."""

    name = "x_poll"
    label = "x poll"
    retry_message = "x poll round failed; retrying"

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
        super().__init__(
            bearer_token=bearer_token,
            api_url=api_url,
            request_timeout_s=request_timeout_s,
            network_backoff_s=network_backoff_s,
            network_backoff_max_s=network_backoff_max_s,
            http_backoff_s=http_backoff_s,
            http_backoff_max_s=http_backoff_max_s,
            rate_limit_backoff_s=rate_limit_backoff_s,
        )
        self.query = query or search_query(stream_rules(handles, hashtags))
        if backfill_since is not None and backfill_since.tzinfo is None:
            backfill_since = backfill_since.replace(tzinfo=UTC)
        self.backfill_since = backfill_since
        self.interval_s = interval_s
        self.settle_s = settle_s
        self.once = once
        self.max_attempts = max_attempts
        # A backfill re-reads a range on purpose, so the start checkpoint is no floor then.
        self.ledger = TweetLedger(
            self.checkpoint_file(state_dir),
            seen_capacity=seen_capacity,
            skip_at_or_below_start=backfill_since is None,
        )
        self._fresh_from = backfill_since or datetime.now(UTC)
        self._backfill: datetime | None = None
        self._failures = 0
        self.rounds = 0

    # -- the loop's hooks (see ingest.x_source) ---------------------------------------------
    def _starting(self) -> None:
        self._backfill = self.backfill_since
        self._fresh_from = self.backfill_since or datetime.now(UTC)
        self._failures = 0

    def _attempt(self, api: XApi, emit: Emit, reject: Reject) -> None:
        self._round(api, emit, reject, self._backfill)

    def _failed(self, error: TransientXError, progress_before: int) -> None:
        self._failures += 1
        # "connected" for a poller: its last round reached X.
        metrics.STREAM_CONNECTED.labels(self.name).set(0)
        if self.once and self._failures >= self.max_attempts:
            raise SourceError(f"x poll gave up after {self._failures} attempts: {error}") from error

    def _succeeded(self) -> bool:
        self._failures = 0
        metrics.STREAM_CONNECTED.labels(self.name).set(1)
        self.backoff.reset()
        self._backfill = None
        if self.once:
            return False
        self._stop.wait(self.interval_s)
        return True

    def _counts(self) -> dict[str, int]:
        return {"rounds": self.rounds}

    # -- one round ----------------------------------------------------------------------------
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
        self._deliver_search(payloads, emit, reject)
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
        return self._wait(error, "x poll rate limited; waiting")
