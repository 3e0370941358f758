"""What the X sources share: tweepy clients routed to ``x_api_url``, errors, backoff, rules, search.

Routing
    tweepy builds every URL on ``https://api.twitter.com``. :class:`RoutedSession` (a
    ``requests.Session``) rewrites the scheme, host and path prefix of each request to
    ``x_api_url`` (default ``https://api.x.com``) and gives every request a timeout (tweepy sets
    none, so a silent server would hang a REST call forever). :class:`XApi` puts one routed
    session into a ``tweepy.Client`` (recent search) and one into a ``tweepy.StreamingClient``
    (stream rules, and the stream connection that ``x_stream`` reads).

Secrets
    The bearer token arrives as a ``SecretStr`` and is unwrapped only to build the clients.
    tweepy's own DEBUG log prints request headers, so a filter on tweepy's loggers replaces the
    token with ``***``; error messages are built from status codes and X's problem details,
    never from request headers. A missing token is a :class:`~scamtrail.errors.ConfigError`.

Errors
    A failure that may pass is a :class:`TransientXError` with a ``kind``: ``network`` (refused,
    reset, timed out, stalled), ``http`` (5xx and other retriable statuses) or ``rate_limit``
    (429, with ``reset_at`` from ``x-rate-limit-reset`` when X sent it). :class:`Backoff` turns
    those into waits the way X asks clients to: linear for network errors, exponential for HTTP
    errors, until the reset time (else exponential from a minute) for 429. Anything else
    (400, 401, 403, 404, rejected rules) is a plain :class:`~scamtrail.errors.SourceError`:
    retrying would not help, so the source stops with the message.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Literal
from urllib.parse import urlsplit

import requests
import tweepy
import urllib3
from pydantic import SecretStr
from scamtrail.ingest.checkpoint import payload_id

from scamtrail.errors import ConfigError, SourceError

log = logging.getLogger("scamtrail.ingest.x")

#: Hosts tweepy (and older code) may put in a URL; all are sent to ``x_api_url`` instead.
X_HOSTS = ("https://api.twitter.com", "https://api.x.com")
STREAM_PATH = "/2/tweets/search/stream"
EXPANSIONS = ["author_id"]
USER_FIELDS = ["username", "name"]
TWEET_FIELDS = [
    "created_at",
    "lang",
    "conversation_id",
    "referenced_tweets",
    "entities",
    "geo",
    "author_id",
]
#: Recent search gives at most 100 tweets a page, from the last seven days (less a margin).
SEARCH_PAGE_SIZE = 100
RECENT_SEARCH_REACH = timedelta(days=7) - timedelta(minutes=5)
#: Tweet ids are snowflakes: milliseconds since this moment (2010-11-04), shifted left by 22.
SNOWFLAKE_EPOCH_MS = 1_288_834_974_657
USER_AGENT = f"scamtrail (tweepy/{tweepy.__version__})"

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


# -- secrets --------------------------------------------------------------------------------
class _RedactSecrets(logging.Filter):
    """Replaces registered secrets in log records with ``***`` (tweepy logs request headers)."""

    def __init__(self) -> None:
        super().__init__()
        self.secrets: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.secrets:
            return True
        message = record.getMessage()
        if any(s in message for s in self.secrets):
            for secret in self.secrets:
                message = message.replace(secret, "***")
            record.msg, record.args = message, None
        return True


_REDACT = _RedactSecrets()
for _name in ("tweepy", "tweepy.client", "tweepy.streaming"):
    logging.getLogger(_name).addFilter(_REDACT)


def bearer_token_value(token: SecretStr | None) -> str:
    """The token's text, registered for redaction; ConfigError when it is missing or blank."""
    value = token.get_secret_value().strip() if token is not None else ""
    if not value:
        raise ConfigError(
            "no X API bearer token: set SCAMTRAIL_X_BEARER_TOKEN (or x_bearer_token in the "
            "settings file), or pass --bearer-token-file PATH"
        )
    _REDACT.secrets.add(value)
    return value


# -- routing --------------------------------------------------------------------------------
def check_api_url(url: str) -> str:
    """``url`` if it can be an X API base URL (http or https, a host); ConfigError otherwise."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(f"x_api_url {url!r} is not an http(s) URL such as https://api.x.com")
    return url


class RoutedSession(requests.Session):
    """A requests session that sends every X API request to ``base_url`` with a timeout."""

    def __init__(self, base_url: str, timeout: float | tuple[float, float | None]) -> None:
        super().__init__()
        self.base_url = check_api_url(base_url).rstrip("/")
        self.timeout = timeout

    def route(self, url: str) -> str:
        """``url`` with its X host replaced by ``base_url``."""
        for host in X_HOSTS:
            if url == host or url.startswith(host + "/"):
                return self.base_url + url[len(host) :]
        return url

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = self.timeout
        text = url.decode() if isinstance(url, bytes) else url
        return super().request(method, self.route(text), *args, **kwargs)


def _routed(client: tweepy.Client | tweepy.StreamingClient, session: RoutedSession) -> None:
    client.session.close()
    client.session = session
    client.user_agent = USER_AGENT


class XApi:
    """The X API v2 calls the sources make, through tweepy, routed and with errors translated."""

    def __init__(
        self,
        bearer_token: SecretStr | None,
        base_url: str = "https://api.x.com",
        *,
        timeout_s: float = 30.0,
    ) -> None:
        self._token = bearer_token_value(bearer_token)
        self.base_url = base_url
        self.timeout_s = timeout_s
        self.search_client = tweepy.Client(self._token, return_type=dict)
        _routed(self.search_client, RoutedSession(base_url, timeout_s))
        self.rules_client = tweepy.StreamingClient(self._token, return_type=dict)
        _routed(self.rules_client, RoutedSession(base_url, timeout_s))
        self._stream_session = RoutedSession(base_url, timeout_s)

    def close(self) -> None:
        """Close every connection."""
        self.search_client.session.close()
        self.rules_client.session.close()
        self._stream_session.close()

    def __enter__(self) -> XApi:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- REST calls (tweepy) ----------------------------------------------------------------
    def _call(self, what: str, call: Callable[[], Any]) -> dict[str, Any]:
        """Run one tweepy call; translate its failures (see the module docstring)."""
        try:
            result = call()
        except tweepy.TooManyRequests as exc:
            raise TransientXError(
                f"{what}: rate limited (429)",
                kind="rate_limit",
                status=429,
                reset_at=float(exc.reset_time) if exc.reset_time is not None else None,
            ) from exc
        except tweepy.HTTPException as exc:
            status = exc.response.status_code
            detail = "; ".join(exc.api_messages) or exc.response.reason or ""
            message = f"{what}: HTTP {status} {detail}".rstrip()
            if status in FATAL_STATUSES:
                raise SourceError(message + _hint(status)) from exc
            raise TransientXError(message, kind="http", status=status) from exc
        except requests.exceptions.JSONDecodeError as exc:
            raise TransientXError(f"{what}: the response is not JSON", kind="http") from exc
        except NETWORK_ERRORS as exc:
            raise TransientXError(f"{what}: {type(exc).__name__}", kind="network") from exc
        if not isinstance(result, dict):
            raise TransientXError(f"{what}: the response is not a JSON object", kind="http")
        return result

    def search_recent(self, query: str, **params: Any) -> dict[str, Any]:
        """One page of ``GET /2/tweets/search/recent`` with the fields the sources need."""
        return self._call(
            "recent search",
            lambda: self.search_client.search_recent_tweets(
                query,
                max_results=SEARCH_PAGE_SIZE,
                expansions=EXPANSIONS,
                tweet_fields=TWEET_FIELDS,
                user_fields=USER_FIELDS,
                **{k: v for k, v in params.items() if v is not None},
            ),
        )

    def get_rules(self) -> list[dict[str, Any]]:
        """The stream rules X has for this app."""
        body = self._call("get stream rules", self.rules_client.get_rules)
        return [r for r in body.get("data") or [] if isinstance(r, dict)]

    def add_rules(self, rules: Sequence[tweepy.StreamRule]) -> dict[str, Any]:
        """``POST /2/tweets/search/stream/rules`` with ``add``; the raw response body."""
        return self._call("add stream rules", lambda: self.rules_client.add_rules(list(rules)))

    def delete_rules(self, ids: Sequence[str]) -> dict[str, Any]:
        """``POST /2/tweets/search/stream/rules`` with ``delete``; the raw response body."""
        return self._call("delete stream rules", lambda: self.rules_client.delete_rules(list(ids)))

    # -- the stream connection --------------------------------------------------------------
    def open_stream(self, *, stall_timeout_s: float, connect_timeout_s: float = 10.0) -> Any:
        """Connect ``GET /2/tweets/search/stream``; the open ``requests.Response`` on 200.

        The read timeout is the stall timeout: no byte (tweet or keep-alive) for that long
        raises a network error from the response iterator.
        """
        params = {
            "expansions": ",".join(EXPANSIONS),
            "tweet.fields": ",".join(TWEET_FIELDS),
            "user.fields": ",".join(USER_FIELDS),
        }
        headers = {"Authorization": f"Bearer {self._token}", "User-Agent": USER_AGENT}
        try:
            resp = self._stream_session.get(
                X_HOSTS[0] + STREAM_PATH,
                params=params,
                headers=headers,
                stream=True,
                timeout=(connect_timeout_s, stall_timeout_s),
            )
        except NETWORK_ERRORS as exc:
            raise TransientXError(f"stream connect: {type(exc).__name__}", kind="network") from exc
        if resp.status_code == 200:
            return resp
        try:
            detail = _problem_detail(resp)
        except NETWORK_ERRORS:
            detail = ""
        finally:
            resp.close()
        status = resp.status_code
        message = f"stream connect: HTTP {status} {detail}".rstrip()
        if status == 429:
            raise TransientXError(
                message, kind="rate_limit", status=429, reset_at=_reset_at(resp.headers)
            )
        if status in FATAL_STATUSES:
            raise SourceError(message + _hint(status))
        raise TransientXError(message, kind="http", status=status)


def abort_response(resp: Any) -> None:
    """Shut down a streaming response's socket so a read blocked on it returns at once."""
    sock = None
    raw = getattr(resp, "raw", None)
    conn = getattr(raw, "_connection", None)
    sock = getattr(conn, "sock", None)
    if sock is None:  # urllib3 keeps the socket on the http.client response as well
        fp = getattr(getattr(getattr(raw, "_fp", None), "fp", None), "raw", None)
        sock = getattr(fp, "_sock", None)
    if isinstance(sock, socket.socket):
        with contextlib.suppress(OSError):  # already closed
            sock.shutdown(socket.SHUT_RDWR)


def _reset_at(headers: Mapping[str, str]) -> float | None:
    value = headers.get("x-rate-limit-reset")
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def _problem_detail(resp: Any) -> str:
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


def _hint(status: int) -> str:
    if status == 401:
        return " (check the bearer token)"
    if status == 403:
        return " (this app's X API access level may not include this endpoint)"
    return ""


# -- backoff --------------------------------------------------------------------------------
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


# -- rules and queries ----------------------------------------------------------------------
def stream_rules(
    handles: Iterable[str] = (), hashtags: Iterable[str] = (), extra: Iterable[str] = ()
) -> list[str]:
    """Rule values for the handles to watch (mentions and replies), hashtags and extra rules."""
    values: list[str] = []
    for handle in handles:
        h = handle.strip().lstrip("@")
        if h:
            values += [f"@{h} -is:retweet", f"to:{h}"]
    for tag in hashtags:
        t = tag.strip().lstrip("#")
        if t:
            values.append(f"#{t} -is:retweet")
    values += [r.strip() for r in extra if r.strip()]
    return list(dict.fromkeys(values))


def search_query(rule_values: Sequence[str]) -> str:
    """One recent-search query matching what any of the stream rules matches."""
    if not rule_values:
        raise ConfigError("nothing to watch: give at least one handle, hashtag or rule")
    if len(rule_values) == 1:
        return rule_values[0]
    return " OR ".join(f"({v})" for v in rule_values)


@dataclass(frozen=True)
class RuleSync:
    """What :func:`sync_rules` changed."""

    added: list[str]
    deleted: list[str]
    kept: list[str]
    foreign: list[str]


def sync_rules(api: XApi, values: Sequence[str], tag: str) -> RuleSync:
    """Make X's stream rules tagged ``tag`` exactly ``values``.

    Missing rules are added with ``tag``; rules with ``tag`` that are no longer wanted are
    deleted; rules with other tags are left alone (another tool may own them) and reported.
    Errors in the add response other than duplicates raise SourceError naming the rule.
    """
    existing = api.get_rules()
    present = {r.get("value") for r in existing}
    ours = [r for r in existing if r.get("tag") == tag]
    stale = [r for r in ours if r.get("value") not in values]
    foreign = [
        str(r.get("value"))
        for r in existing
        if r.get("tag") != tag and r.get("value") not in values
    ]
    missing = [v for v in values if v not in present]
    if stale:
        body = api.delete_rules([str(r["id"]) for r in stale])
        _raise_rule_errors(body, "delete")
    if missing:
        body = api.add_rules([tweepy.StreamRule(value=v, tag=tag) for v in missing])
        _raise_rule_errors(body, "add")
    return RuleSync(
        added=missing,
        deleted=[str(r.get("value")) for r in stale],
        kept=[v for v in values if v in present],
        foreign=foreign,
    )


def _raise_rule_errors(body: Mapping[str, Any], action: str) -> None:
    problems = []
    for err in body.get("errors") or []:
        if not isinstance(err, dict) or err.get("title") == "DuplicateRule":
            continue
        details = "; ".join(str(d) for d in err.get("details") or [])[:600]
        value = str(err.get("value") or err.get("id") or "")
        title = err.get("title") or "error"
        text = f"{title}"
        if value:
            text += f" for rule {value[:120]!r}"
        if details or err.get("detail"):
            text += f": {details or err.get('detail')}"
        problems.append(text)
    if problems:
        raise SourceError(f"X rejected the stream rules ({action}): " + " | ".join(problems))


# -- recent search --------------------------------------------------------------------------
def tweet_payloads(page: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Split a search page into stream-shaped payloads, one per tweet, each with its author."""
    users = {
        str(u.get("id")): u
        for u in (page.get("includes") or {}).get("users") or []
        if isinstance(u, dict)
    }
    out = []
    for tweet in page.get("data") or []:
        payload: dict[str, Any] = {"data": tweet}
        author = users.get(str(tweet.get("author_id"))) if isinstance(tweet, dict) else None
        if author is not None:
            payload["includes"] = {"users": [author]}
        out.append(payload)
    return out


def tweet_time(tweet_id: str) -> datetime:
    """When a tweet was posted, read from its id (a snowflake: milliseconds in the high bits)."""
    return datetime.fromtimestamp(((int(tweet_id) >> 22) + SNOWFLAKE_EPOCH_MS) / 1000, UTC)


def collect_recent(
    api: XApi,
    query: str,
    *,
    since_id: str | None = None,
    start_time: datetime | None = None,
    end_time: datetime | None = None,
    on_rate_limit: Callable[[TransientXError], bool] | None = None,
    stopped: Callable[[], bool] = lambda: False,
) -> list[dict[str, Any]]:
    """Every tweet recent search has for ``query`` after ``since_id`` / ``start_time`` (and
    before ``end_time``), oldest first.

    Follows ``next_token`` through every page; pages come newest first, so a search stopped
    half-way returns nothing (delivering only the newest pages would move the checkpoint past
    the rest). On a 429, ``on_rate_limit`` (when given) waits and returns True to carry on from
    the same page, False to give up; without it the TransientXError propagates. Recent search
    reaches back seven days: an older ``since_id`` or ``start_time`` is replaced by the oldest
    time it accepts, with a warning, since asking for more is an error. Tweets without a usable
    id come first (the caller rejects them).
    """
    oldest = datetime.now(UTC) - RECENT_SEARCH_REACH
    if since_id is not None and tweet_time(since_id) < oldest:
        log.warning(
            "checkpoint is older than recent search reaches; tweets before the last seven days "
            "cannot be fetched",
            extra={"stage": "ingest", "since_id": since_id},
        )
        since_id, start_time = None, oldest
    params: dict[str, Any] = {"since_id": since_id, "end_time": end_time}
    if since_id is None and start_time is not None:
        params["start_time"] = max(start_time, oldest)
    payloads: dict[str, dict[str, Any]] = {}
    unusable: list[dict[str, Any]] = []
    next_token: str | None = None
    while True:
        if stopped():
            return []
        try:
            page = api.search_recent(query, next_token=next_token, **params)
        except TransientXError as exc:
            if exc.kind != "rate_limit" or on_rate_limit is None or not on_rate_limit(exc):
                raise
            continue
        for payload in tweet_payloads(page):
            tid = payload_id(payload)
            if tid is None:
                unusable.append(payload)
            else:
                payloads[tid] = payload
        next_token = (page.get("meta") or {}).get("next_token")
        if not next_token:
            break
    ordered = [payloads[k] for k in sorted(payloads, key=int)]
    return unusable + ordered
