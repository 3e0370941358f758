"""Recent search, paged: every tweet for a query since a checkpoint, oldest first.

Both X sources use it: the poller for each round, the stream to fill the gap after a
disconnect. :func:`tweet_payloads` gives each tweet the stream's payload shape (``data`` plus
its author in ``includes``), so the rest of ingest sees one shape.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from scamtrail.ingest.checkpoint import payload_id
from scamtrail.ingest.x_errors import TransientXError

if TYPE_CHECKING:
    from scamtrail.ingest.x_client import XApi

log = logging.getLogger("scamtrail.ingest.x")

#: Recent search reaches back seven days (less a margin).
RECENT_SEARCH_REACH = timedelta(days=7) - timedelta(minutes=5)
#: Tweet ids are snowflakes: milliseconds since this moment (2010-11-04), shifted left by 22.
SNOWFLAKE_EPOCH_MS = 1_288_834_974_657


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
