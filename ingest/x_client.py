"""The X API v2 client of the sources: tweepy clients routed to ``x_api_url``, errors translated.

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
    Every tweepy and requests failure is translated here, in :meth:`XApi._call` and
    :meth:`XApi.open_stream`, into the errors of ``x_errors`` (``TransientXError`` with a
    ``kind``, or a plain ``SourceError`` for what retrying cannot fix).

The rest of what the X sources share lives beside this module: ``x_errors`` (errors and
``Backoff``), ``x_rules`` (stream rules, the search query, ``sync_rules``), ``x_search``
(recent search paged, ``collect_recent``) and ``x_source`` (the loop both sources run). The
names of the first three are imported here too, so ``scamtrail.ingest.x_client`` still offers
them.
"""

from __future__ import annotations

import contextlib
import logging
import socket
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import urlsplit

import requests
import tweepy
from pydantic import SecretStr
from scamtrail.ingest.x_errors import (
    FATAL_STATUSES,
    NETWORK_ERRORS,
    Backoff,
    TransientKind,
    TransientXError,
    hint,
    problem_detail,
    reset_at,
)
from scamtrail.ingest.x_rules import RuleSync, search_query, stream_rules, sync_rules
from scamtrail.ingest.x_search import collect_recent, tweet_payloads, tweet_time

from scamtrail.errors import ConfigError, SourceError

__all__ = [
    "FATAL_STATUSES",
    "NETWORK_ERRORS",
    "Backoff",
    "RoutedSession",
    "RuleSync",
    "TransientKind",
    "TransientXError",
    "XApi",
    "abort_response",
    "bearer_token_value",
    "check_api_url",
    "collect_recent",
    "search_query",
    "stream_rules",
    "sync_rules",
    "tweet_payloads",
    "tweet_time",
]

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
#: Recent search gives at most 100 tweets a page.
SEARCH_PAGE_SIZE = 100
USER_AGENT = f"scamtrail (tweepy/{tweepy.__version__})"


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
                raise SourceError(message + hint(status)) from exc
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
            detail = problem_detail(resp)
        except NETWORK_ERRORS:
            detail = ""
        finally:
            resp.close()
        status = resp.status_code
        message = f"stream connect: HTTP {status} {detail}".rstrip()
        if status == 429:
            raise TransientXError(
                message, kind="rate_limit", status=429, reset_at=reset_at(resp.headers)
            )
        if status in FATAL_STATUSES:
            raise SourceError(message + hint(status))
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
