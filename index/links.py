"""Links between identifiers and the rings they form: value objects, caps and rules.

Two identifiers are **linked** when one complaint names both. Each store keeps, per complaint, the
pairs of its identifiers (both directions) as part of the same idempotent batch write: a
redelivered complaint replaces its own pairs, so a link's ``complaints`` is the number of
*distinct* complaints naming both ends, exact under redelivery and reordering.

Rules (the same on every store):

- a complaint links at most :data:`MAX_LINKED_PER_COMPLAINT` distinct identifiers (the first
  ones in the complaint's order), so its write costs at most that many squared pairs;
- a **ring** is the connected component over links, found at read time by breadth-first search
  from one identifier, visiting at most :data:`MAX_RING_MEMBERS` members (then ``truncated``);
- a **hub** (an identifier linked to more than :data:`HUB_DEGREE` others, e.g. a shared short
  link or an official number) is a member of a ring but is not traversed through, so it never
  glues unrelated gangs together; the identifier a ring is asked for is always expanded;
- a ring's id is ``"ring:" + sha1("kind:value" of its smallest member)[:16]``, stable while that
  member stays in the ring.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

MAX_LINKED_PER_COMPLAINT = 20
MAX_RING_MEMBERS = 200
HUB_DEGREE = 50


@dataclass(frozen=True, slots=True)
class Link:
    """The other end of a link, seen from one identifier."""

    kind: str
    value: str
    complaints: int
    first_seen: str
    last_seen: str

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form."""
        return {
            "identifier": {"kind": self.kind, "value": self.value},
            "complaints": self.complaints,
            "first_seen": self.first_seen,
            "last_seen": self.last_seen,
        }


@dataclass(frozen=True, slots=True)
class Ring:
    """A connected component over links (see the module docstring for caps and the id)."""

    id: str
    members: tuple[tuple[str, str], ...]
    size: int
    complaint_count: int
    categories: dict[str, int]
    first_seen: str
    last_seen: str
    truncated: bool

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form."""
        return {
            "id": self.id,
            "members": [{"kind": k, "value": v} for k, v in self.members],
            "size": self.size,
            "complaint_count": self.complaint_count,
            "categories": dict(self.categories),
            "first_seen": self.first_seen,
            "last_seen": self.last_seen,
            "truncated": self.truncated,
        }


def ring_id(members: Sequence[tuple[str, str]]) -> str:
    """The stable id of a ring: derived from its smallest (kind, value) member."""
    kind, value = min(members)
    return "ring:" + hashlib.sha1(f"{kind}:{value}".encode()).hexdigest()[:16]


def link_keys(keys: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """The distinct identifiers of one complaint that are linked (at most the cap, in order)."""
    return list(dict.fromkeys(keys))[:MAX_LINKED_PER_COMPLAINT]


def component(
    start: tuple[str, str],
    neighbours: Callable[[tuple[str, str]], list[tuple[str, str]]],
    many: Callable[[list[tuple[str, str]]], dict[tuple[str, str], list[tuple[str, str]]]]
    | None = None,
) -> tuple[list[tuple[str, str]], bool]:
    """Members of ``start``'s ring by BFS (hubs not traversed, capped); and whether truncated.

    ``neighbours(key)`` returns every identifier linked to ``key`` (a store's read); ``many``,
    when given, reads the neighbours of every key queued so far at once (one round trip per BFS
    level instead of one per member); the answer is the same.
    """
    seen = {start}
    queue = [start]
    read: dict[tuple[str, str], list[tuple[str, str]]] = {}
    truncated = False
    at = 0
    while at < len(queue):
        key = queue[at]
        at += 1
        if key not in read and many is not None:
            read.update(many([k for k in queue[at - 1 :] if k not in read]))
        near = read.pop(key) if key in read else neighbours(key)
        if key != start and len(near) > HUB_DEGREE:
            continue  # a hub: a member, not a bridge
        for other in sorted(near):
            if other in seen:
                continue
            if len(seen) >= MAX_RING_MEMBERS:
                truncated = True
                break
            seen.add(other)
            queue.append(other)
        if truncated:
            break
    return sorted(seen), truncated
