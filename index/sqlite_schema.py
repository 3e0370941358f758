"""The SQLite store's file: its tables, the connection's settings, and upgrades of older files.

- ``complaints`` holds each Enriched record (the whole JSON in ``doc``) keyed by complaint id;
  ``complaints_fts`` (FTS5) indexes the text under the same rowid.
- ``complaint_identifiers`` links (kind, value) to complaint ids, with what the registry derives
  from each link (created_at, category, author, source); ``registry`` is that derivation.
- ``alerts`` keeps every alert once by id, with its ``published`` flag (the outbox).
- ``temp.touched`` and ``temp.batch_complaints`` are a batch write's scratch tables
  (:mod:`.sqlite_writes`); ``partner_identifiers`` (:mod:`.sqlite_partners`) and
  ``identifier_marks`` (:mod:`.sqlite_marks`) are defined beside the code that uses them.

:func:`open_store_file` opens (or creates) the file with all of it; :func:`upgrade_columns` brings
a file written before the registry counted complainants and sources up to date.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from scamtrail.index.sqlite_links import LINKS_SCHEMA
from scamtrail.index.sqlite_marks import MARKS_SCHEMA
from scamtrail.index.sqlite_partners import PARTNER_SCHEMA

from scamtrail.sqlite_db import open_sqlite, transaction

#: A complaint the classifier was unsure of (``complaints.doc`` of the row aliased ``c``); the
#: partial index ``complaints_review`` is on the same expression, so the filter uses it.
NEEDS_REVIEW = "coalesce(json_extract(c.doc, '$.needs_review'), 0) = 1"

SCHEMA = (
    """
CREATE TABLE IF NOT EXISTS complaints (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    category TEXT NOT NULL,
    source TEXT NOT NULL,
    doc TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS complaints_created ON complaints (created_at);
CREATE INDEX IF NOT EXISTS complaints_category ON complaints (category, created_at);
CREATE INDEX IF NOT EXISTS complaints_review ON complaints (created_at)
    WHERE coalesce(json_extract(doc, '$.needs_review'), 0) = 1;
CREATE VIRTUAL TABLE IF NOT EXISTS complaints_fts USING fts5(
    text, tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TABLE IF NOT EXISTS complaint_identifiers (
    kind TEXT NOT NULL, value TEXT NOT NULL, complaint_id TEXT NOT NULL,
    created_at TEXT NOT NULL, category TEXT NOT NULL, author TEXT, source TEXT,
    PRIMARY KEY (kind, value, complaint_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS complaint_identifiers_by_complaint
    ON complaint_identifiers (complaint_id);
CREATE TABLE IF NOT EXISTS registry (
    kind TEXT NOT NULL, value TEXT NOT NULL,
    complaint_count INTEGER NOT NULL, first_seen TEXT, last_seen TEXT, categories TEXT NOT NULL,
    complainants INTEGER NOT NULL DEFAULT 0, sources TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (kind, value)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS registry_count ON registry (complaint_count DESC);
CREATE TABLE IF NOT EXISTS alerts (
    id TEXT PRIMARY KEY, raised_at TEXT NOT NULL, doc TEXT NOT NULL,
    published INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS alerts_pending ON alerts (published, raised_at);
CREATE INDEX IF NOT EXISTS alerts_raised ON alerts (raised_at);
CREATE TEMP TABLE IF NOT EXISTS touched (
    kind TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (kind, value)
) WITHOUT ROWID;
CREATE TEMP TABLE IF NOT EXISTS rederive (
    kind TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (kind, value)
) WITHOUT ROWID;
CREATE TEMP TABLE IF NOT EXISTS batch_authors (
    kind TEXT NOT NULL, value TEXT NOT NULL, author TEXT NOT NULL,
    PRIMARY KEY (kind, value, author)
) WITHOUT ROWID;
CREATE TEMP TABLE IF NOT EXISTS batch_complaints (
    id TEXT PRIMARY KEY, text TEXT NOT NULL
) WITHOUT ROWID;
"""
    + PARTNER_SCHEMA
    + MARKS_SCHEMA
    + LINKS_SCHEMA
)  # partner entries, verdicts: their tables are defined beside their code

#: The store connection's settings besides WAL and ``synchronous=NORMAL`` (``open_sqlite``: a
#: commit survives a crash of the process; a power loss can drop the last transactions, those in
#: the WAL since its last checkpoint).
PRAGMAS = (
    # The per-batch scratch tables (and sorts) stay in memory; they hold one batch at most.
    "temp_store=MEMORY",
    # Checkpoint (copy the WAL into the database and sync it) every 8,000 pages (32 MB) instead
    # of SQLite's 1,000: a batch of 500 complaints writes a few MB, so the default checkpoints
    # and syncs on nearly every commit, which about doubled a batch's wall time. More of the
    # last transactions sit in the WAL, unsynced, at a power loss; none is lost at a crash.
    "wal_autocheckpoint=8000",
    # After a checkpoint the WAL file is cut back to 64 MB, so its size on disk stays bounded.
    "journal_size_limit=67108864",
    # A 16 MB page cache (SQLite's default is 2 MB): a batch reads the registry and link pages
    # of about a thousand identifiers spread over the whole file; with a 300,000-complaint store
    # this saved about 12% of a write's CPU. It fills within the first few thousand complaints
    # and then stays that size, so memory stays flat.
    "cache_size=-16000",
)


#: The registry's updates in place (sqlite_registry): is this complainant new to the entry, and
#: an entry's newest or oldest links without reading all of them. Created after
#: :func:`upgrade_columns`, since older files gain ``author`` there.
LINK_INDEXES = """
CREATE INDEX IF NOT EXISTS complaint_identifiers_by_author
    ON complaint_identifiers (kind, value, author);
CREATE INDEX IF NOT EXISTS complaint_identifiers_by_time
    ON complaint_identifiers (kind, value, created_at, complaint_id);
"""


def open_store_file(path: Path) -> sqlite3.Connection:
    """Open the store file at ``path`` with :data:`SCHEMA` and :data:`PRAGMAS`, upgraded."""
    db = open_sqlite(path, SCHEMA, pragmas=PRAGMAS)
    upgrade_columns(db)
    db.executescript(LINK_INDEXES)
    return db


#: Who complained: the author id, else the username (``@name``, lowercased), else nobody known.
AUTHOR_KEY_SQL = (
    "COALESCE(NULLIF(json_extract({doc}, '$.author.id'), ''),"
    " '@' || lower(NULLIF(json_extract({doc}, '$.author.username'), '')))"
)


def upgrade_columns(db: sqlite3.Connection) -> None:
    """Add ``author``/``source`` to the links and ``complainants``/``sources`` to the registry.

    A no-op on files created with them. On older files it fills them from the stored complaints
    in one transaction, so the registry is derived as if it had always had them.
    """
    links = {row[1] for row in db.execute("PRAGMA table_info(complaint_identifiers)")}
    registry = {row[1] for row in db.execute("PRAGMA table_info(registry)")}
    if {"author", "source"} <= links and {"complainants", "sources"} <= registry:
        return
    with transaction(db):
        if "author" not in links:
            db.execute("ALTER TABLE complaint_identifiers ADD COLUMN author TEXT")
        if "source" not in links:
            db.execute("ALTER TABLE complaint_identifiers ADD COLUMN source TEXT")
        if "complainants" not in registry:
            db.execute("ALTER TABLE registry ADD COLUMN complainants INTEGER NOT NULL DEFAULT 0")
        if "sources" not in registry:
            db.execute("ALTER TABLE registry ADD COLUMN sources TEXT NOT NULL DEFAULT ''")
        author = AUTHOR_KEY_SQL.format(doc="c.doc")
        db.execute(
            "UPDATE complaint_identifiers SET"
            f" author = (SELECT {author} FROM complaints c WHERE c.id = complaint_id),"
            " source = (SELECT c.source FROM complaints c WHERE c.id = complaint_id)"
        )
        db.execute(
            "UPDATE registry SET"
            " complainants = (SELECT COUNT(DISTINCT ci.author) FROM complaint_identifiers ci"
            "  WHERE ci.kind = registry.kind AND ci.value = registry.value),"
            " sources = COALESCE((SELECT group_concat(DISTINCT ci.source)"
            "  FROM complaint_identifiers ci"
            "  WHERE ci.kind = registry.kind AND ci.value = registry.value), '')"
        )
