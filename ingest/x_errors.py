"""How X API failures are told apart, and the waits X asks for after each kind.

A failure that may pass is a :class:`TransientXError` with a ``kind``: ``network`` (refused,
reset, timed out, stalled), ``http`` (5xx and other retriable statuses) or ``rate_limit`` (429,
with ``reset_at`` from ``x-rate-limit-reset`` when X sent it). :class:`Backoff` turns those into
waits the way X asks clients to: linear for network errors, exponential for HTTP errors, until
the reset time (else exponential from a minute) for 429. Anything else (400, 401, 403, 404,
rejected rules) is a plain :class:`~scamtrail.errors.SourceError`: retrying would not help, so
the source stops with the message. ``x_client`` translates tweepy's and requests' exceptions
into these, with the helpers here.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import requests
import urllib3

from scamtrail.errors import SourceError

TransientKind = Literal["network", "http", "rate_limit"]
#: What requests and urllib3 raise when the connection, not the server, failed.
NETWORK_ERRORS: tuple[type[BaseException], ...] = (
    requests.exceptions.ConnectionError,
    requests.exceptions.Timeout,
    requests.exceptions.ChunkedEncodingError,
    urllib3.exceptions.HTTPError,
    OSError,
)
#: Statuses that say "this request will never work": stop with the message instead of retrying.
FATAL_STATUSES = frozenset({400, 401, 403, 404})


class TransientXError(SourceError):
    """An X API call failed in a way that may pass; see the module docstring for ``kind``."""

    def __init__(
        self,
        message: str,
        *,
        kind: TransientKind,
        status: int | None = None,
        reset_at: float | None = None,
    ) -> None:
        super().__init__(message)
        self.kind = kind
        self.status = status
        self.reset_at = reset_at


def reset_at(headers: Mapping[str, str]) -> float | None:
    """``x-rate-limit-reset`` (epoch seconds) from response headers, if X sent a number."""
    value = headers.get("x-rate-limit-reset")
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def problem_detail(resp: Any) -> str:
    """X's problem details (title, detail, errors) from an error response, at most 500 chars."""
    try:
        body = resp.json()
    except ValueError:
        return resp.reason or ""
    if not isinstance(body, dict):
        return ""
    parts = [str(body.get(k)) for k in ("title", "detail") if body.get(k)]
    for err in body.get("errors") or []:
        if isinstance(err, dict):
            parts.extend(str(err.get(k)) for k in ("title", "message", "detail") if err.get(k))
    return "; ".join(dict.fromkeys(parts))[:500]


def hint(status: int) -> str:
    """What to check for a fatal status, appended to the error message."""
    if status == 401:
        return " (check the bearer token)"
    if status == 403:
        return " (this app's X API access level may not include this endpoint)"
    return ""


@dataclass
class Backoff:
    """Reconnect waits as X asks for them; base delays are parameters so tests run fast."""

    network_s: float = 0.25
    network_max_s: float = 16.0
    http_s: float = 5.0
    http_max_s: float = 320.0
    rate_limit_s: float = 60.0
    rate_limit_max_s: float = 960.0
    clock: Callable[[], float] = time.time
    _network: float = field(default=0.0, init=False)
    _http: float = field(default=0.0, init=False)
    _rate: float = field(default=0.0, init=False)

    def reset(self) -> None:
        """Forget past failures (call once a connection delivered data)."""
        self._network = self._http = self._rate = 0.0

    def delay(self, error: TransientXError) -> float:
        """Seconds to wait before the next attempt after ``error``."""
        if error.kind == "rate_limit":
            if error.reset_at is not None:
                return min(max(0.0, error.reset_at - self.clock()), self.rate_limit_max_s)
            self._rate = (
                self.rate_limit_s if not self._rate else min(self._rate * 2, self.rate_limit_max_s)
            )
            return self._rate
        if error.kind == "http":
            self._http = self.http_s if not self._http else min(self._http * 2, self.http_max_s)
            return self._http
        self._network = min(self._network + self.network_s, self.network_max_s)
        return self._network
