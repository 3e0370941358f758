"""Stream rules and the recent-search query that matches the same tweets.

:func:`stream_rules` turns handles, hashtags and extra rules into rule values;
:func:`search_query` joins them into one recent-search query; :func:`sync_rules` makes X's
rules with our tag exactly those values, leaving rules with other tags alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import tweepy

from scamtrail.errors import ConfigError, SourceError

if TYPE_CHECKING:
    from scamtrail.ingest.x_client import XApi


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
