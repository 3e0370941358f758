"""A stand-in X API v2 server on 127.0.0.1 (random port, own threads), scriptable per test.

It answers what the X sources call, with the payload shapes of the real API (see
/work/shared/x_api_samples):

- ``GET /2/tweets/search/stream/rules`` and ``POST`` (``add`` / ``delete``), with rule errors
  (``rule_errors``) and ``DuplicateRule`` answers;
- ``GET /2/tweets/search/stream``: one :class:`Connection` script per connect, played as a
  chunked response of ``\\r\\n``-terminated JSON lines. Steps: :class:`Send` (a payload),
  :class:`Raw` (bytes, e.g. a malformed line), :class:`KeepAlive`, :class:`Pause` (send nothing:
  a stall), :class:`Cut` (drop the connection mid-stream), :class:`End` (end it cleanly),
  :class:`Respond` (answer an HTTP error, e.g. 429 with ``x-rate-limit-reset``, instead of
  streaming). After its steps a connection stays open sending keep-alives until the client
  leaves; with no script left, a connect just gets keep-alives.
- ``GET /2/tweets/search/recent``: the posted tweets (every :meth:`StandinXApi.post`), newest
  first, after ``since_id`` / from ``start_time`` / before ``end_time``, ``page_size`` a page with ``next_token``;
  ``search_failures`` queues answers for the next searches: a :class:`Respond` (an HTTP error)
  or None (serve normally), so a 429 can land on any page.

Every request is recorded (method, path, query, headers, body) so tests can check routing and
the bearer token; a request without the right token gets a 401.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import socket
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

TOKEN = "standin-bearer-token-7f3a9c"

#: Verbatim from the X docs (x_api_samples/stream_operational_disconnect_message.json).
OPERATIONAL_DISCONNECT = {
    "errors": [
        {
            "title": "operational-disconnect",
            "disconnect_type": "UpstreamOperationalDisconnect",
            "detail": "This stream has been disconnected upstream for operational reasons.",
            "type": "https://api.x.com/2/problems/operational-disconnect",
        }
    ]
}
#: x_api_samples/rate_limit_429_too_many_requests.json
TOO_MANY_REQUESTS = {
    "title": "Too Many Requests",
    "type": "about:blank",
    "status": 429,
    "detail": "Too Many Requests",
}
#: x_api_samples/stream_connect_429_too_many_connections.json
TOO_MANY_CONNECTIONS = {
    "title": "ConnectionException",
    "detail": "This stream is currently at the maximum allowed connection limit.",
    "connection_issue": "TooManyConnections",
    "type": "https://api.twitter.com/2/problems/streaming-connection",
}
UNAUTHORIZED = {
    "title": "Unauthorized",
    "type": "about:blank",
    "status": 401,
    "detail": "Unauthorized",
}


# -- stream script steps --------------------------------------------------------------------
@dataclass(frozen=True)
class Send:
    """Send one payload as a JSON line."""

    payload: dict[str, Any]


@dataclass(frozen=True)
class Raw:
    """Send these bytes followed by ``\\r\\n`` (malformed lines, odd payloads)."""

    data: bytes


@dataclass(frozen=True)
class KeepAlive:
    """Send a keep-alive (an empty ``\\r\\n`` line)."""


@dataclass(frozen=True)
class Pause:
    """Send nothing for ``seconds`` (a stall, when longer than the client's stall timeout)."""

    seconds: float


@dataclass(frozen=True)
class Cut:
    """Drop the connection mid-stream: no terminating chunk."""


@dataclass(frozen=True)
class End:
    """End the response cleanly (terminating chunk), as X does after an error message."""


@dataclass(frozen=True)
class Respond:
    """Answer this connect with an HTTP error instead of a stream."""

    status: int
    body: dict[str, Any] = field(default_factory=lambda: dict(TOO_MANY_REQUESTS))
    reset_in_s: float | None = None  # sets x-rate-limit-reset to now + this, epoch seconds


Step = Send | Raw | KeepAlive | Pause | Cut | End | Respond


@dataclass
class Recorded:
    """One request as the server received it."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes
    at: float = field(default_factory=time.monotonic)


class StandinXApi:
    """The stand-in server; use as a context manager. See the module docstring."""

    def __init__(self, token: str = TOKEN, *, keepalive_s: float = 0.05) -> None:
        self.token = token
        self.keepalive_s = keepalive_s
        self.page_size = 100
        self.requests: list[Recorded] = []
        self.rules: dict[str, dict[str, str]] = {}
        self.rule_errors: dict[str, dict[str, Any]] = {}
        self.search_failures: deque[Respond | None] = deque()
        self.stream_connects = 0
        self.idle_connections = 0
        self._tweets: dict[str, dict[str, Any]] = {}
        self._users: dict[str, dict[str, Any]] = {}
        self._scripts: deque[list[Step]] = deque()
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._closing = threading.Event()
        self._sockets: set[socket.socket] = set()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.api = self
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="x-standin"
        )

    # -- lifecycle --------------------------------------------------------------------------
    @property
    def url(self) -> str:
        """Base URL to give the sources as ``api_url``."""
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> StandinXApi:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop serving, drop every open connection and join every thread."""
        self._closing.set()
        self._server.shutdown()
        with self._lock:
            for sock in list(self._sockets):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
        self._server.server_close()
        self._thread.join(5)

    # -- authoring --------------------------------------------------------------------------
    def post(
        self,
        text: str,
        *,
        tweet_id: int | None = None,
        username: str = "citizen",
        created_at: datetime | None = None,
        **fields: Any,
    ) -> dict[str, Any]:
        """Post a tweet (recent search will find it); return its filtered-stream line."""
        when = created_at or datetime.now(UTC)
        with self._lock:
            # a real snowflake for ``when``; the low bits keep ids unique and increasing
            tid = str(tweet_id if tweet_id is not None else snowflake_at(when) | next(self._ids))
            uid = str(abs(hash(username)) % 10**10)
            user = {"id": uid, "username": username, "name": username.title()}
            created = when.strftime("%Y-%m-%dT%H:%M:%S.000Z")
            tweet = {
                "id": tid,
                "text": text,
                "author_id": uid,
                "created_at": created,
                "edit_history_tweet_ids": [tid],
                "lang": "en",
                "conversation_id": tid,
                **fields,
            }
            self._tweets[tid] = tweet
            self._users[uid] = user
        return {
            "data": tweet,
            "includes": {"users": [user]},
            "matching_rules": [{"id": "1", "tag": "scamtrail:x"}],
        }

    def connection(self, *steps: Step) -> None:
        """Script the next stream connection."""
        with self._lock:
            self._scripts.append(list(steps))

    def recorded(self, path: str) -> list[Recorded]:
        """Requests received for ``path``."""
        with self._lock:
            return [r for r in self.requests if r.path == path]

    # -- serving ----------------------------------------------------------------------------
    def _record(self, req: Recorded) -> None:
        with self._lock:
            self.requests.append(req)

    def _next_script(self) -> list[Step]:
        with self._lock:
            self.stream_connects += 1
            return self._scripts.popleft() if self._scripts else []

    def _search(self, query: dict[str, str]) -> dict[str, Any]:
        with self._lock:
            tweets = sorted(self._tweets.values(), key=lambda t: int(t["id"]), reverse=True)
            users = dict(self._users)
        if "since_id" in query:
            tweets = [t for t in tweets if int(t["id"]) > int(query["since_id"])]
        if "start_time" in query:
            start = query["start_time"]
            tweets = [t for t in tweets if t["created_at"][:19] >= start[:19]]
        if "end_time" in query:
            end = query["end_time"]
            tweets = [t for t in tweets if t["created_at"][:19] < end[:19]]
        token = query.get("next_token")
        if token:
            below = int(token.removeprefix("below-"))
            tweets = [t for t in tweets if int(t["id"]) < below]
        size = min(int(query.get("max_results", 10)), self.page_size)
        page, rest = tweets[:size], tweets[size:]
        if not page:
            return {"meta": {"result_count": 0}}
        authors = {t["author_id"] for t in page}
        body: dict[str, Any] = {
            "data": page,
            "includes": {"users": [u for uid, u in users.items() if uid in authors]},
            "meta": {
                "newest_id": page[0]["id"],
                "oldest_id": page[-1]["id"],
                "result_count": len(page),
            },
        }
        if rest:
            body["meta"]["next_token"] = f"below-{page[-1]['id']}"
        return body

    def _rules_get(self) -> dict[str, Any]:
        sent = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")
        with self._lock:
            rules = [dict(r) for r in self.rules.values()]
        if not rules:
            return {"meta": {"sent": sent, "result_count": 0}}
        return {"data": rules, "meta": {"sent": sent, "result_count": len(rules)}}

    def _rules_post(self, body: dict[str, Any]) -> dict[str, Any]:
        sent = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")
        if "delete" in body:
            ids = body["delete"].get("ids", [])
            with self._lock:
                deleted = [i for i in ids if self.rules.pop(i, None) is not None]
            return {
                "meta": {
                    "sent": sent,
                    "summary": {"deleted": len(deleted), "not_deleted": len(ids) - len(deleted)},
                }
            }
        created, errors = [], []
        with self._lock:
            for rule in body.get("add", []):
                value = rule["value"]
                dup = next((r for r in self.rules.values() if r["value"] == value), None)
                if value in self.rule_errors:
                    errors.append({"value": value, **self.rule_errors[value]})
                elif dup is not None:
                    errors.append(
                        {
                            "value": value,
                            "id": dup["id"],
                            "title": "DuplicateRule",
                            "type": "https://api.twitter.com/2/problems/duplicate-rules",
                        }
                    )
                else:
                    rid = str(1_870_000_000_000_000_000 + next(self._ids))
                    new = {"id": rid, "value": value}
                    if rule.get("tag") is not None:
                        new["tag"] = rule["tag"]
                    self.rules[rid] = new
                    created.append(new)
        invalid = sum(1 for e in errors if e.get("title") != "DuplicateRule")
        out: dict[str, Any] = {
            "meta": {
                "sent": sent,
                "summary": {
                    "created": len(created),
                    "not_created": len(errors),
                    "valid": len(created) + len(errors) - invalid,
                    "invalid": invalid,
                },
            }
        }
        if created:
            out["data"] = created
        if errors:
            out["errors"] = errors
        return out


def invalid_rule_error(details: list[str]) -> dict[str, Any]:
    """The ``errors[]`` entry X gives for an invalid rule (without ``value``, added per rule)."""
    return {
        "details": details,
        "title": "UnprocessableEntity",
        "type": "https://api.twitter.com/2/problems/invalid-rules",
    }


def rate_limited(reset_in_s: float | None = 1.0) -> Respond:
    """A 429 answer, with ``x-rate-limit-reset`` ``reset_in_s`` from now (None: no header)."""
    return Respond(429, dict(TOO_MANY_REQUESTS), reset_in_s)


# -- HTTP plumbing --------------------------------------------------------------------------
class _Server(ThreadingHTTPServer):
    daemon_threads = False
    block_on_close = True
    api: StandinXApi

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # clients hanging up mid-response are part of the tests


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def setup(self) -> None:
        super().setup()
        with self.server.api._lock:
            self.server.api._sockets.add(self.connection)

    def finish(self) -> None:
        with self.server.api._lock:
            self.server.api._sockets.discard(self.connection)
        with contextlib.suppress(OSError):
            super().finish()

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def _dispatch(self, method: str) -> None:
        api = self.server.api
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        api._record(
            Recorded(
                method, parts.path, query, {k.lower(): v for k, v in self.headers.items()}, body
            )
        )
        if self.headers.get("Authorization") != f"Bearer {api.token}":
            self._json(401, UNAUTHORIZED)
            return
        route = (method, parts.path)
        if route == ("GET", "/2/tweets/search/stream"):
            self._stream(api)
        elif route == ("GET", "/2/tweets/search/stream/rules"):
            self._json(200, api._rules_get())
        elif route == ("POST", "/2/tweets/search/stream/rules"):
            self._json(200, api._rules_post(json.loads(body or b"{}")))
        elif route == ("GET", "/2/tweets/search/recent"):
            failure = api.search_failures.popleft() if api.search_failures else None
            if failure is not None:
                self._error(failure)
            else:
                self._json(200, api._search(query))
        else:
            self._json(404, {"title": "Not Found Error", "type": "about:blank", "status": 404})

    def _json(
        self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None
    ) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def _error(self, respond: Respond) -> None:
        headers = {}
        if respond.reset_in_s is not None:
            headers["x-rate-limit-reset"] = str(int(time.time() + respond.reset_in_s))
        self._json(respond.status, respond.body, headers)

    def _chunk(self, data: bytes) -> None:
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))

    def _stream(self, api: StandinXApi) -> None:
        steps = api._next_script()
        if steps and isinstance(steps[0], Respond):
            self._error(steps[0])
            return
        self.close_connection = True
        self.send_response(200)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Transfer-Encoding", "chunked")
        self.send_header("Connection", "close")
        self.end_headers()
        try:
            for step in steps:
                if api._closing.is_set():
                    return
                if isinstance(step, Send):
                    self._chunk(json.dumps(step.payload).encode() + b"\r\n")
                elif isinstance(step, Raw):
                    self._chunk(step.data + b"\r\n")
                elif isinstance(step, KeepAlive):
                    self._chunk(b"\r\n")
                elif isinstance(step, Pause):
                    api._closing.wait(step.seconds)
                elif isinstance(step, Cut):
                    return
                elif isinstance(step, End):
                    self.wfile.write(b"0\r\n\r\n")
                    return
            with api._lock:
                api.idle_connections += 1
            while not api._closing.wait(api.keepalive_s):
                self._chunk(b"\r\n")
        except OSError:
            return  # the client went away


def snowflake_at(when: datetime) -> int:
    """A tweet id for a moment, as X makes them (ms since the Twitter epoch, shifted by 22)."""
    return (int(when.timestamp() * 1000) - 1_288_834_974_657) << 22


def minutes_ago(n: float) -> datetime:
    """``n`` minutes before now, UTC."""
    return datetime.now(UTC) - timedelta(minutes=n)


# -- running a source against it ------------------------------------------------------------
class Collector:
    """Collects what a source emits and rejects (thread-safe), and waits for it."""

    def __init__(self) -> None:
        self.emitted: list[Any] = []
        self.rejected: list[tuple[bytes, Exception, str]] = []
        self.emit_calls = 0
        self._cond = threading.Condition()

    def emit(self, batch: Any) -> None:
        with self._cond:
            self.emitted.extend(batch)
            self.emit_calls += 1
            self._cond.notify_all()

    def reject(self, raw: bytes, error: Exception, ref: str) -> None:
        with self._cond:
            self.rejected.append((raw, error, ref))
            self._cond.notify_all()

    def tweet_ids(self) -> list[str]:
        """Tweet ids emitted, in order (complaint ids are ``x:<id>``)."""
        with self._cond:
            return [c.id.removeprefix("x:") for c in self.emitted]

    def wait_for(self, predicate: Any, timeout: float = 10.0) -> bool:
        """Wait until ``predicate(self)`` is true; False on timeout."""
        with self._cond:
            return self._cond.wait_for(lambda: predicate(self), timeout)


class Running:
    """Runs ``source.run`` in a thread; on exit stops it, joins it and re-raises its error."""

    def __init__(self, source: Any, collector: Collector) -> None:
        self.source = source
        self.collector = collector
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="source-under-test")

    def _run(self) -> None:
        try:
            self.source.run(self.collector.emit, self.collector.reject)
        except BaseException as exc:  # handed to the test thread
            self.error = exc

    def __enter__(self) -> Running:
        self.thread.start()
        return self

    def __exit__(self, exc_type: Any, *exc: object) -> None:
        self.source.stop()
        self.thread.join(10)
        assert not self.thread.is_alive(), "source did not stop within 10 s"
        if exc_type is None and self.error is not None:
            raise self.error


def wait_until(predicate: Any, timeout: float = 10.0, interval: float = 0.01) -> bool:
    """Poll ``predicate()`` until true; False on timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return bool(predicate())
