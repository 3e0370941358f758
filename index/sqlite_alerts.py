"""Alerts in the SQLite store: the ``alerts`` table, each alert once by id, kept as an outbox.

``record_alerts`` inserts only the alerts whose id is not stored yet and returns those (in one
``BEGIN IMMEDIATE`` transaction, so no other process inserts the same id in between);
``pending_alerts`` is the outbox the index stage publishes before it commits, and
``mark_alerts_published`` empties it.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence

from scamtrail.index.sqlite_reads import SqliteReads

from scamtrail.errors import StoreError
from scamtrail.records import Alert, decode_alert
from scamtrail.sqlite_db import transaction

#: The alert rules, whose names start alert ids (``<rule>:<kind>:<value>:<level or more>``).
ALERT_RULES = ("repeat", "velocity", "partner_hit", "linked")


class SqliteAlerts(SqliteReads):
    """The alerts outbox of the SQLite store (a mixin; see the module docstring)."""

    def record_alerts(self, alerts: Sequence[Alert]) -> list[Alert]:
        """Insert alerts whose id is new; return those."""
        fresh: list[Alert] = []
        if not alerts:
            return fresh
        try:
            with self._lock, transaction(self._db) as db:
                # The rules raise every alert the current state supports on each batch, so most
                # are stored already: find those in one statement and serialise only the others.
                stored = self._stored_alert_ids(db, list(dict.fromkeys(a.id for a in alerts)))
                for alert in alerts:
                    # BEGIN IMMEDIATE holds the write lock: no other process inserts an alert
                    # between that read and this insert, so every id not stored is new.
                    if alert.id not in stored:
                        stored.add(alert.id)  # the first of a repeated id is the new one
                        fresh.append(alert)
                db.executemany(
                    "INSERT OR IGNORE INTO alerts (id, raised_at, doc) VALUES (?,?,?)",
                    [(a.id, a.raised_at, a.model_dump_json(by_alias=True)) for a in fresh],
                )
        except sqlite3.Error as exc:
            raise StoreError(f"alert write failed: {exc}", retriable=True) from exc
        return fresh

    @staticmethod
    def _stored_alert_ids(db: sqlite3.Connection, ids: list[str]) -> set[str]:
        """Those of ``ids`` already stored: one statement for any number (json_each), and one
        per id for ids holding a NUL, which SQLite's JSON functions cut short."""
        plain = [i for i in ids if "\x00" not in i]
        stored = {
            alert_id
            for (alert_id,) in db.execute(
                "SELECT id FROM alerts WHERE id IN (SELECT value FROM json_each(?))",
                (json.dumps(plain),),
            )
        }
        for alert_id in ids:
            if (
                "\x00" in alert_id
                and db.execute("SELECT 1 FROM alerts WHERE id = ?", (alert_id,)).fetchone()
            ):
                stored.add(alert_id)
        return stored

    def pending_alerts(self, limit: int = 500) -> list[Alert]:
        """Alerts not yet published, oldest first."""
        rows = self._read(
            "SELECT doc FROM alerts WHERE published = 0 ORDER BY raised_at, id LIMIT ?",
            (int(limit),),
        )
        return [decode_alert(d) for (d,) in rows]

    def mark_alerts_published(self, alert_ids: Sequence[str]) -> None:
        """Mark alerts as published."""
        try:
            # One transaction: in autocommit each row would be a commit of its own.
            with self._lock, transaction(self._db) as db:
                db.executemany(
                    "UPDATE alerts SET published = 1 WHERE id = ?", [(i,) for i in alert_ids]
                )
        except sqlite3.Error as exc:
            raise StoreError(f"alert update failed: {exc}", retriable=True) from exc

    def identifier_alerts(self, kind: str, value: str, limit: int = 100) -> list[Alert]:
        """The alerts about (kind, value), newest first: a range read by id per rule."""
        found: list[Alert] = []
        for rule in ALERT_RULES:
            prefix = f"{rule}:{kind}:{value}:"
            for (doc,) in self._read(
                "SELECT doc FROM alerts WHERE id >= ? AND id < ?", (prefix, prefix[:-1] + ";")
            ):
                alert = decode_alert(doc)
                # a value with a colon in it (a URL) may share a prefix with a longer one
                if alert.identifier.kind == kind and alert.identifier.value == value:
                    found.append(alert)
        found.sort(key=lambda a: (a.raised_at, a.id), reverse=True)
        return found[:limit]

    def alerts(self, limit: int = 100) -> list[Alert]:
        """The latest alerts, newest first."""
        rows = self._read(
            "SELECT doc FROM alerts ORDER BY raised_at DESC, id LIMIT ?", (int(limit),)
        )
        return [decode_alert(d) for (d,) in rows]
