"""Keeping the SQLite registry in step with a batch's links, at a cost that does not grow with history.

A registry entry (count of distinct complaints, first/last seen, categories, complainants,
sources) is a summary of its ``complaint_identifiers`` links. A batch changes an entry in one of
two ways:

- **only adds links** (a new complaint names it: the usual case). The entry is *updated*: the
  count grows by the links added, first/last and the category and source sets take the new
  links in, and a complainant counts when no stored link of the entry has them yet (one probe of
  the ``complaint_identifiers_by_author`` index per new complainant). Nothing already stored is
  read beyond that, so a number seen 10,000 times costs the same as a number seen twice.
- **loses or changes a link** (a reprocessed complaint that no longer names it, or names it with
  another date, category, author or source: rare). The entry is *derived* again from all its
  links, as before; only the entries that need it pay for it.

Redelivery adds no link (the links' primary key is (kind, value, complaint id)), so it leaves every
entry as it was: counts stay exact under redelivery and reordering.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from scamtrail.index.sqlite_reads import REGISTRY_COLUMNS, split_list

Key = tuple[str, str]
#: (kind, value, complaint id) of one link
LinkKey = tuple[str, str, str]
#: (created_at, category, author, source) of one link
LinkFacts = tuple[str, str, str | None, str]


def rederive_keys(old: dict[LinkKey, LinkFacts], new: dict[LinkKey, LinkFacts]) -> set[Key]:
    """The entries the batch cannot update in place: a link of theirs goes or changes."""
    keys: set[Key] = set()
    for link, facts in old.items():
        if new.get(link) != facts:
            keys.add(link[:2])
    return keys


def stored_entries(db: sqlite3.Connection) -> dict[Key, tuple]:
    """The registry rows of ``temp.touched``, by key (REGISTRY_COLUMNS without the key)."""
    return {
        (row[0], row[1]): row[2:]
        for row in db.execute(
            f"SELECT {', '.join('r.' + c.strip() for c in REGISTRY_COLUMNS.split(','))}"
            " FROM temp.touched t CROSS JOIN registry r ON r.kind = t.kind AND r.value = t.value"
        )
    }


def known_complainants(
    db: sqlite3.Connection, candidates: Iterable[tuple[str, str, str]]
) -> set[tuple[str, str, str]]:
    """Which (kind, value, complainant) already have a stored link (run before the batch's
    links are written)."""
    db.execute("DELETE FROM temp.batch_authors")
    db.executemany("INSERT OR IGNORE INTO temp.batch_authors VALUES (?,?,?)", candidates)
    return set(
        db.execute(
            "SELECT t.kind, t.value, t.author FROM temp.batch_authors t"
            " CROSS JOIN complaint_identifiers ci INDEXED BY complaint_identifiers_by_author"
            " ON ci.kind = t.kind AND ci.value = t.value AND ci.author = t.author"
            " GROUP BY t.kind, t.value, t.author"
        )
    )


def updated_rows(
    stored: dict[Key, tuple],
    added: dict[LinkKey, LinkFacts],
    known: set[tuple[str, str, str]],
    skip: set[Key],
) -> list[tuple]:
    """Registry rows (in REGISTRY_COLUMNS order) of the entries that only gain links."""
    gained: dict[Key, list[LinkFacts]] = {}
    for (kind, value, _cid), facts in added.items():
        if (kind, value) not in skip:
            gained.setdefault((kind, value), []).append(facts)
    # by entry once: scanning all of ``known`` for each entry cost batch size squared
    known_by_key: dict[Key, set[str]] = {}
    for kind, value, who in known:
        known_by_key.setdefault((kind, value), set()).add(who)
    rows = []
    for key, links in gained.items():
        count, first, last, cats, people, sources = stored.get(key, (0, None, None, "", 0, ""))
        dates = [created for created, *_ in links]
        first = min([first, *dates]) if first else min(dates)
        last = max([last, *dates]) if last else max(dates)
        new_people = {who for _, _, who, _ in links if who} - known_by_key.get(key, set())
        rows.append(
            (
                *key,
                count + len(links),
                first,
                last,
                ",".join(sorted({*split_list(cats), *(cat for _, cat, _, _ in links)})),
                people + len(new_people),
                ",".join(sorted({*split_list(sources), *(src for *_, src in links if src)})),
            )
        )
    return rows


def write_updated(db: sqlite3.Connection, rows: list[tuple]) -> None:
    """Upsert the entries :func:`updated_rows` computed."""
    db.executemany(
        f"INSERT INTO registry ({REGISTRY_COLUMNS}) VALUES (?,?,?,?,?,?,?,?)"
        " ON CONFLICT (kind, value) DO UPDATE SET complaint_count=excluded.complaint_count,"
        " first_seen=excluded.first_seen, last_seen=excluded.last_seen,"
        " categories=excluded.categories, complainants=excluded.complainants,"
        " sources=excluded.sources",
        rows,
    )


def rederive(db: sqlite3.Connection, keys: set[Key]) -> None:
    """Derive these entries again from all their links (after the batch's links are written)."""
    if not keys:
        return
    db.execute("DELETE FROM temp.rederive")
    db.executemany("INSERT INTO temp.rederive (kind, value) VALUES (?,?)", keys)
    db.execute(
        "DELETE FROM registry WHERE (kind, value) IN (SELECT kind, value FROM temp.rederive)"
    )
    db.execute(
        f"INSERT INTO registry ({REGISTRY_COLUMNS})"
        " SELECT t.kind, t.value, COUNT(*), MIN(ci.created_at), MAX(ci.created_at),"
        " group_concat(DISTINCT ci.category), COUNT(DISTINCT ci.author),"
        " COALESCE(group_concat(DISTINCT ci.source), '')"
        " FROM temp.rederive t CROSS JOIN complaint_identifiers ci"
        " ON ci.kind = t.kind AND ci.value = t.value"
        " GROUP BY t.kind, t.value"
    )
