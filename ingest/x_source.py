"""The loop both X sources run: connect or poll, wait as X asks after a failure, until stopped.

:class:`XSource` holds what :class:`~scamtrail.ingest.x_stream.XStreamSource` and
:class:`~scamtrail.ingest.x_poll.XPollSource` share: the bearer token (checked at once), the
routed API URL, the :class:`~scamtrail.ingest.x_errors.Backoff`, the ledger's checkpoint file
``<state_dir>/<name>.json``, ``stop()``'s event, and ``run``: load the checkpoint, open an
:class:`~scamtrail.ingest.x_client.XApi`, loop, close, log what was done.

The loop calls :meth:`XSource._attempt` (one stream connection, or one polling round) until
``stop()``. An attempt that raises :class:`~scamtrail.ingest.x_errors.TransientXError` is
followed by the backoff's wait (counted in ``STREAM_WAITS`` / ``STREAM_WAIT_SECONDS`` and logged
with ``retry_message``); one that returns normally is followed by :meth:`XSource._succeeded`,
which returns False to end the run. The two sources differ only in their attempt and in these
hooks. Tweets from recent search are delivered through :meth:`XSource._deliver_search`, in
batches of ``SEARCH_BATCH``: emit, then checkpoint, batch by batch.
"""

from __future__ import annotations

import abc
import json
import logging
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import SecretStr
from scamtrail.ingest.base import Emit, Reject, Source
from scamtrail.ingest.checkpoint import CheckpointFile, LedgerCounters, TweetLedger
from scamtrail.ingest.x_client import XApi, bearer_token_value, check_api_url
from scamtrail.ingest.x_errors import Backoff, TransientXError

from scamtrail import metrics

#: Tweets from recent search emitted per ``emit`` call (and per checkpoint write).
SEARCH_BATCH = 100


class XSource(LedgerCounters, Source):
    """The shared part of the X sources; see the module docstring."""

    name = "x"
    #: How the logs name this source ("x stream", "x poll").
    label = "x"
    #: The warning logged before each wait after a failed attempt.
    retry_message = "x request failed; retrying"
    ledger: TweetLedger

    def __init__(
        self,
        *,
        bearer_token: SecretStr | None,
        api_url: str,
        request_timeout_s: float,
        network_backoff_s: float,
        network_backoff_max_s: float,
        http_backoff_s: float,
        http_backoff_max_s: float,
        rate_limit_backoff_s: float,
    ) -> None:
        self._token = bearer_token
        bearer_token_value(bearer_token)  # a missing token is a ConfigError now, not later
        self.api_url = check_api_url(api_url)
        self.request_timeout_s = request_timeout_s
        self.backoff = Backoff(
            network_s=network_backoff_s,
            network_max_s=network_backoff_max_s,
            http_s=http_backoff_s,
            http_max_s=http_backoff_max_s,
            rate_limit_s=rate_limit_backoff_s,
        )
        self._stop = threading.Event()

    def checkpoint_file(self, state_dir: str | Path | None) -> CheckpointFile | None:
        """This source's checkpoint, ``<state_dir>/<name>.json``; None without a state dir."""
        if state_dir is None:
            return None
        return CheckpointFile(Path(state_dir) / f"{self.name}.json", self.name)

    # -- control ----------------------------------------------------------------------------
    def stop(self) -> None:
        """Interrupt any wait at once; the run returns after its current batch."""
        self._stop.set()

    def run(self, emit: Emit, reject: Reject) -> None:
        """Load the checkpoint, then attempt until ``stop()``; see the module docstring."""
        self._load()
        emit = metrics.stamp_last_complaint(self.name, emit)
        log = self._log()
        log.info(
            f"{self.label} starting",
            extra={"stage": "ingest", "source": self.name, "since_id": self.since_id},
        )
        api = XApi(self._token, self.api_url, timeout_s=self.request_timeout_s)
        try:
            self._loop(api, emit, reject)
        finally:
            api.close()
            log.info(
                f"{self.label} stopped",
                extra={
                    "stage": "ingest",
                    "source": self.name,
                    "count": self.emitted,
                    "rejected": self.rejected,
                    **self._counts(),
                    "since_id": self.since_id,
                },
            )

    def _loop(self, api: XApi, emit: Emit, reject: Reject) -> None:
        self._starting()
        while not self._stop.is_set():
            before = self._progress()
            try:
                self._attempt(api, emit, reject)
            except TransientXError as exc:
                if self._stop.is_set():
                    return
                self._failed(exc, before)
                self._wait(exc)
                continue
            if not self._succeeded():
                return

    def _wait(self, error: TransientXError, message: str | None = None) -> bool:
        """Wait the backoff's delay after ``error``; False when ``stop()`` ended the wait."""
        delay = self.backoff.delay(error)
        metrics.STREAM_WAITS.labels(self.name, error.kind).inc()
        metrics.STREAM_WAIT_SECONDS.labels(self.name).inc(delay)
        extra: dict[str, Any] = {"stage": "ingest", "source": self.name}
        if message is None:
            message = self.retry_message
            extra.update(error=str(error), kind=error.kind)
        self._log().warning(message, extra={**extra, "wait_s": round(delay, 3)})
        return not self._stop.wait(delay)

    def _deliver_search(
        self, payloads: Sequence[dict[str, Any]], emit: Emit, reject: Reject
    ) -> bool:
        """Deliver search payloads batch by batch; False when ``stop()`` cut the delivery short."""
        for i in range(0, len(payloads), SEARCH_BATCH):
            if self._stop.is_set():
                return False
            self.ledger.deliver(
                [(p, json.dumps(p).encode(), "search") for p in payloads[i : i + SEARCH_BATCH]],
                emit,
                reject,
            )
        return True

    # -- what each source fills in ----------------------------------------------------------
    def _log(self) -> logging.Logger:
        return logging.getLogger(f"scamtrail.ingest.{self.name}")

    def _load(self) -> None:
        """Load the checkpoint (before the start is logged)."""
        self.ledger.load()

    def _starting(self) -> None:
        """Reset per-run state before the first attempt."""

    def _progress(self) -> int:
        """A number that grows when an attempt got somewhere (see ``_failed``)."""
        return 0

    @abc.abstractmethod
    def _attempt(self, api: XApi, emit: Emit, reject: Reject) -> None:
        """One connection or one round; TransientXError when it failed in a way that may pass."""

    def _failed(self, error: TransientXError, progress_before: int) -> None:
        """Count a failed attempt (before its wait); may raise to end the run."""

    def _succeeded(self) -> bool:
        """After an attempt that returned: True to carry on, False to end the run."""
        return True

    def _counts(self) -> dict[str, int]:
        """This source's own counters for the "stopped" log line."""
        return {}
