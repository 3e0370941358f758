"""Turning what sources read into Complaint records.

Accepted inputs, one JSON object each:

- an X API v2 filtered-stream line ``{"data": {...tweet...}, "includes": {"users": [...]}, ...}``;
- an X API v2 search page ``{"data": [tweets], "includes": {...}, "meta": {...}}`` (many tweets);
- a plain record ``{"id", "text", ...}`` with any Complaint fields (``created_at`` defaults to the
  time it was received).

Anything else raises :class:`scamtrail.errors.RecordError` with a reason code and a message that
names the bad field, so the caller can dead-letter it.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import ValidationError

from scamtrail.errors import RecordError
from scamtrail.records import Complaint, decode_complaint, loads_json, utcnow_iso

#: Longest input line a source accepts, in bytes (a 100,000-character text in UTF-8 plus room).
MAX_LINE_BYTES = 1_000_000


def parse_line(line: bytes | str, default_source: str = "replay") -> list[Complaint]:
    """Parse one JSON line into its Complaint records (a search page gives several)."""
    if isinstance(line, bytes):
        if len(line) > MAX_LINE_BYTES:
            raise RecordError(
                "too_large", f"line is {len(line)} bytes; the limit is {MAX_LINE_BYTES}"
            )
        try:
            line = line.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise RecordError("invalid_utf8", f"line is not UTF-8 at byte {exc.start}") from exc
    obj = loads_json(line, "line")
    return parse_object(obj, default_source)


def parse_object(obj: Any, default_source: str = "replay") -> list[Complaint]:
    """Turn one decoded JSON object into Complaint records."""
    if not isinstance(obj, dict):
        raise RecordError("not_an_object", f"expected a JSON object, got {type(obj).__name__}")
    if "data" in obj:
        return complaints_from_x(obj)
    if "errors" in obj and "text" not in obj:
        raise RecordError("x_error", f"X API error payload: {json.dumps(obj['errors'])[:300]}")
    record = dict(obj)
    record.setdefault("source", default_source)
    record.setdefault("created_at", record.get("received_at") or utcnow_iso())
    if "id" in record and not isinstance(record["id"], str):
        record["id"] = str(record["id"])
    return [decode_complaint(record)]


def complaints_from_x(payload: dict[str, Any]) -> list[Complaint]:
    """Complaints from an X API v2 stream line or search page (author from ``includes.users``)."""
    data = payload.get("data")
    if data == []:
        raise RecordError("invalid_field", "data: an empty list (send one tweet or more)")
    tweets = data if isinstance(data, list) else [data]
    includes = payload.get("includes")
    if "includes" in payload and not isinstance(includes, dict):
        raise RecordError(
            "invalid_field", f"includes: expected an object, got {type(includes).__name__}"
        )
    listed = includes.get("users") if isinstance(includes, dict) else None
    users = {
        str(u.get("id")): u
        for u in (listed if isinstance(listed, list) else [])
        if isinstance(u, dict)
    }
    out = []
    for tweet in tweets:
        out.append(complaint_from_tweet(tweet, users, payload if len(tweets) == 1 else None))
    return out


def complaint_from_tweet(
    tweet: Any, users: dict[str, dict[str, Any]], raw: dict[str, Any] | None = None
) -> Complaint:
    """One Complaint from one v2 tweet object."""
    if not isinstance(tweet, dict):
        raise RecordError(
            "invalid_field", f"data: expected a tweet object, got {type(tweet).__name__}"
        )
    for name in ("id", "text"):
        if not isinstance(tweet.get(name), str) or (name == "id" and not tweet[name]):
            raise RecordError("missing_field", f"data.{name}: missing or not a string")
    author_id = tweet.get("author_id")
    user = users.get(str(author_id), {}) if author_id is not None else {}
    username = user.get("username")
    url = (
        f"https://x.com/{username}/status/{tweet['id']}"
        if username
        else f"https://x.com/i/web/status/{tweet['id']}"
    )
    try:
        return Complaint(
            id=f"x:{tweet['id']}",
            source="x",
            text=tweet["text"],
            created_at=tweet.get("created_at") or utcnow_iso(),
            author={"id": author_id, "username": username, "name": user.get("name")},
            lang=tweet.get("lang"),
            url=url,
            raw=raw if raw is not None else {"data": tweet},
        )
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = ".".join(str(p) for p in err.get("loc", ()))
        raise RecordError("invalid_field", f"data.{loc}: {err.get('msg')}") from exc
