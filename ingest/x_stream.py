"""Live complaints from the X API v2 filtered stream, with nothing lost across disconnects.

:class:`XStreamSource` keeps one filtered-stream connection open and turns every tweet into a
Complaint (``ingest.payloads.complaints_from_x``). Its life:

1. **Rules.** The handles, hashtags and extra rules given to it become stream rules
   (``@MumbaiPolice -is:retweet``, ``to:MumbaiPolice``, ``#tag -is:retweet``), tagged
   ``scamtrail:<rule_tag>``. At start they are synced: missing ones added, ones with our tag that
   are no longer wanted deleted, rules with other tags left alone. Rule errors in X's answer
   raise SourceError naming the rule.
2. **Connect** ``GET /2/tweets/search/stream`` with expansion ``author_id`` and the user and
   tweet fields the Complaint needs.
3. **Fill the gap.** After any disconnect, and at start when a checkpoint exists, recent search
   (``since_id`` = the checkpoint, every page, oldest first) delivers what the stream missed.
   This runs right after the new connection is accepted and before its first line is read, so
   a tweet posted meanwhile is in the search answer, or waiting in the socket, or both; never
   neither. Search indexes a tweet a few seconds after it is posted, so ``settle_s`` (15 s)
   later the same search runs once more for any late arrival; until then the checkpoint stays
   at the start of the gap. Tweets seen twice are dropped by id (a bounded set of recent ids,
   plus the checkpoint loaded at start).
4. **Read** newline-delimited JSON. Each tweet is emitted, then the checkpoint (the newest id
   delivered) is written atomically. Keep-alive newlines only prove the line is up. Malformed
   lines and tweets without text go to ``reject`` and the stream carries on. An ``errors``
   payload without ``data`` (an operational disconnect, for instance) ends the connection and
   the source reconnects.
5. **Reconnect** as X asks: linear backoff for network errors (0.25 s, +0.25 s, up to 16 s),
   exponential for HTTP errors (5 s, doubling, up to 320 s), for 429 until
   ``x-rate-limit-reset`` (else exponential from 60 s). No byte for ``stall_timeout_s`` (20 s:
   X sends a keep-alive every 20 s) counts as a stalled connection: it is dropped and retried
   as a network error. The backoff resets once a connection delivers data.

Why the loop is ours and not tweepy's ``StreamingClient.filter``: tweepy's reconnect loop
sleeps with ``time.sleep`` on a hard-coded schedule (network waits from 0 s, HTTP from 5 s,
429 from 60 s: not adjustable, and ``stop()`` cannot interrupt them), ignores ``x-rate-limit-reset``, resets its backoff on every
200 (a server that accepts and drops at once is retried in a tight loop), has no place to fill
the gap between a disconnect and the next connection, and turns any exception raised while
handling a tweet (the bus being down, say) into a log line that ends the stream. So tweepy's
``StreamingClient`` (routed to ``x_api_url``) serves the rule endpoints, and this module reads
the stream on a routed ``requests`` session itself.

``stop()`` may be called from any thread: it ends waits at once and shuts down the stream
socket, so ``run`` returns within a moment.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from pydantic import SecretStr
from scamtrail.ingest.base import Emit, Reject
from scamtrail.ingest.checkpoint import TweetLedger
from scamtrail.ingest.payloads import MAX_LINE_BYTES
from scamtrail.ingest.x_client import XApi, abort_response
from scamtrail.ingest.x_errors import NETWORK_ERRORS, TransientXError
from scamtrail.ingest.x_rules import search_query, stream_rules, sync_rules
from scamtrail.ingest.x_search import collect_recent
from scamtrail.ingest.x_source import XSource

from scamtrail import metrics
from scamtrail.errors import RecordError
from scamtrail.records import loads_json

log = logging.getLogger("scamtrail.ingest.x_stream")


class XStreamSource(XSource):
    """Complaints from the X filtered stream, gap-filled by recent search. See the module doc."""

    name = "x_stream"
    label = "x stream"
    retry_message = "x stream disconnected; reconnecting"

    def __init__(
        self,
        *,
        bearer_token: SecretStr | None,
        handles: Sequence[str] = (),
        hashtags: Sequence[str] = (),
        rules: Sequence[str] = (),
        api_url: str = "https://api.x.com",
        state_dir: str | Path | None = None,
        rule_tag: str = "x",
        query: str | None = None,
        gap_fill: bool = True,
        settle_s: float = 15.0,
        stall_timeout_s: float = 20.0,
        network_backoff_s: float = 0.25,
        network_backoff_max_s: float = 16.0,
        http_backoff_s: float = 5.0,
        http_backoff_max_s: float = 320.0,
        rate_limit_backoff_s: float = 60.0,
        request_timeout_s: float = 30.0,
        seen_capacity: int = 10_000,
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
        self.rule_values = stream_rules(handles, hashtags, rules)
        self.query = query or search_query(self.rule_values)
        self.rule_tag = f"scamtrail:{rule_tag}"
        self.ledger = TweetLedger(self.checkpoint_file(state_dir), seen_capacity=seen_capacity)
        self.gap_fill = gap_fill
        self.settle_s = settle_s
        self.stall_timeout_s = stall_timeout_s
        self._lock = threading.Lock()
        self._response: Any = None
        self._first_connected: datetime | None = None
        self._gap_pending = False
        self._recheck_at: float | None = None
        self._rules_synced = False
        self.connections = 0
        self.gap_filled = 0

    # -- control ----------------------------------------------------------------------------
    def stop(self) -> None:
        """End the stream: interrupt any wait and shut the connection down."""
        super().stop()
        with self._lock:
            if self._response is not None:
                abort_response(self._response)

    # -- the loop's hooks (see ingest.x_source) ---------------------------------------------
    def _load(self) -> None:
        self._gap_pending = self.ledger.load() is not None

    def _starting(self) -> None:
        self._rules_synced = False

    def _progress(self) -> int:
        return self.connections

    def _attempt(self, api: XApi, emit: Emit, reject: Reject) -> None:
        if not self._rules_synced:
            self._sync_rules(api)
            self._rules_synced = True
        self._connection(api, emit, reject)
        if not self._stop.is_set():
            raise TransientXError("the server ended the stream", kind="network")

    def _failed(self, error: TransientXError, progress_before: int) -> None:
        if self.connections > progress_before:
            metrics.STREAM_DISCONNECTS.labels(self.name, error.kind).inc()

    def _counts(self) -> dict[str, int]:
        return {"duplicates": self.duplicates, "connections": self.connections}

    def _sync_rules(self, api: XApi) -> None:
        result = sync_rules(api, self.rule_values, self.rule_tag)
        log.info(
            "x stream rules synced",
            extra={
                "stage": "ingest",
                "source": self.name,
                "added": result.added,
                "deleted": result.deleted,
                "kept": len(result.kept),
            },
        )
        if result.foreign:
            log.warning(
                "the stream also carries rules scamtrail does not manage",
                extra={"stage": "ingest", "source": self.name, "rules": result.foreign[:10]},
            )

    # -- one connection ---------------------------------------------------------------------
    def _connection(self, api: XApi, emit: Emit, reject: Reject) -> None:
        resp = api.open_stream(stall_timeout_s=self.stall_timeout_s)
        with self._lock:
            self._response = resp
        if self._stop.is_set():
            abort_response(resp)
        self.connections += 1
        metrics.STREAM_CONNECTS.labels(self.name).inc()
        metrics.STREAM_CONNECTED.labels(self.name).set(1)
        if self._first_connected is None:
            # Without a checkpoint, "everything since we first connected" is what to keep.
            self._first_connected = datetime.now(UTC) - timedelta(seconds=1)
        log.info(
            "x stream connected",
            extra={"stage": "ingest", "source": self.name, "connections": self.connections},
        )
        try:
            if self._gap_pending and self.gap_fill:
                if self.settle_s > 0 and not self.ledger.held:
                    # Search may index a gap tweet only seconds from now: keep the checkpoint
                    # at the gap's start and search it once more when that time has passed.
                    self.ledger.hold(self.ledger.since_id)
                self._fill_gap(api, emit, reject)
                if self.settle_s > 0:
                    self._recheck_at = time.monotonic() + self.settle_s
            self._gap_pending = False
            self._read(api, resp, emit, reject)
        finally:
            metrics.STREAM_CONNECTED.labels(self.name).set(0)
            self._gap_pending = True
            with self._lock:
                self._response = None
            resp.close()

    def _fill_gap(self, api: XApi, emit: Emit, reject: Reject, *, recheck: bool = False) -> None:
        started = time.monotonic()
        since_id = self.ledger.resume_id
        payloads = collect_recent(
            api,
            self.query,
            since_id=since_id,
            start_time=self._first_connected if since_id is None else None,
            stopped=self._stop.is_set,
        )
        before = self.emitted
        if not self._deliver_search(payloads, emit, reject):
            return
        self.gap_filled += self.emitted - before
        log.info(
            "x stream gap filled from recent search",
            extra={
                "stage": "ingest",
                "source": self.name,
                "recheck": recheck,
                "count": self.emitted - before,
                "found": len(payloads),
                "since_id": since_id,
                "elapsed_s": round(time.monotonic() - started, 3),
            },
        )

    def _read(self, api: XApi, resp: Any, emit: Emit, reject: Reject) -> None:
        last_byte = time.monotonic()
        line_no = 0
        try:
            for line in _lines(resp.iter_content(chunk_size=None), self._mark_alive):
                last_byte = time.monotonic()
                if self._stop.is_set():
                    return
                if self._recheck_at is not None and last_byte >= self._recheck_at:
                    self._fill_gap(api, emit, reject, recheck=True)
                    self._recheck_at = None
                    self.ledger.release()
                line_no += 1
                if line is None:
                    self.ledger.reject(
                        reject,
                        b"",
                        RecordError("too_large", f"stream line over {MAX_LINE_BYTES} bytes"),
                        f"stream:{self.connections}:{line_no}",
                    )
                elif line.strip():
                    self._handle_line(line, f"stream:{self.connections}:{line_no}", emit, reject)
        except NETWORK_ERRORS as exc:
            if self._stop.is_set():
                return
            silent = time.monotonic() - last_byte
            if silent >= self.stall_timeout_s * 0.9:
                raise TransientXError(
                    f"stream stalled: nothing for {silent:.1f}s", kind="network"
                ) from exc
            raise TransientXError(
                f"stream connection lost: {type(exc).__name__}", kind="network"
            ) from exc

    def _mark_alive(self) -> None:
        # Bytes arrived (a tweet or a keep-alive): the connection works, so waits start over.
        self.backoff.reset()

    def _handle_line(self, line: bytes, ref: str, emit: Emit, reject: Reject) -> None:
        try:
            obj = loads_json(line, "stream line")
        except RecordError as error:
            self.ledger.reject(reject, line, error, ref)
            return
        if isinstance(obj, dict) and "data" in obj:
            self.ledger.deliver([(obj, line, ref)], emit, reject)
            return
        if isinstance(obj, dict) and obj.get("errors"):
            raise TransientXError(_describe_errors(obj["errors"]), kind="network")
        error = RecordError("unexpected_payload", "stream line has neither data nor errors")
        self.ledger.reject(reject, line, error, ref)


def _lines(chunks: Iterable[bytes], alive: Callable[[], None]) -> Iterator[bytes | None]:
    """Split a byte stream into lines (``\\r\\n`` or ``\\n``); None for an over-long line."""
    buf = b""
    skipping = False
    for chunk in chunks:
        if not chunk:
            continue
        alive()
        buf += chunk
        while True:
            cut = buf.find(b"\n")
            if cut < 0:
                break
            line, buf = buf[:cut], buf[cut + 1 :]
            if skipping:
                skipping = False
                continue
            yield line.rstrip(b"\r")
        if len(buf) > MAX_LINE_BYTES:
            buf = b""
            if not skipping:
                skipping = True
                yield None


def _describe_errors(errors: Any) -> str:
    if not isinstance(errors, list):
        return "X sent an error on the stream"
    parts = []
    for err in errors[:3]:
        if isinstance(err, dict):
            title = err.get("title") or err.get("disconnect_type") or "error"
            detail = err.get("detail") or err.get("message") or ""
            parts.append(f"{title}: {detail}".rstrip(": "))
    return "X ended the stream: " + ("; ".join(parts) or "error payload")
