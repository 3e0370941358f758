"""Alerts in the search-engine store: stored once by id, kept as an outbox until published.

``record_alerts`` creates each alert with ``_id`` = alert id (``create``): a second write of the
same id is refused by the engine (409) and not returned, so an alert is raised once however often
the rules fire on it. ``pending_alerts`` is the outbox the index stage publishes before it
commits; ``mark_alerts_published`` empties it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from scamtrail.index.search_indices import SearchIndices
from scamtrail.index.search_queries import page_size

from scamtrail.records import Alert, decode_alert


def alert_document(alert: Alert) -> dict[str, Any]:
    """The indexed form of an alert: the record plus its ``published`` flag."""
    doc = alert.model_dump(mode="json", by_alias=True)
    doc["published"] = False
    return doc


def alerts_body(limit: int, *, pending: bool) -> dict[str, Any]:
    """Pending alerts oldest first (the outbox), or all alerts newest first."""
    if pending:
        return {
            "query": {"bool": {"filter": [{"term": {"published": False}}]}},
            "sort": [{"raised_at": "asc"}, {"id": "asc"}],
            "size": page_size(limit),
        }
    return {
        "query": {"match_all": {}},
        "sort": [{"raised_at": "desc"}, {"id": "asc"}],
        "size": page_size(limit),
    }


class SearchAlerts(SearchIndices):
    """The alerts outbox of the search-engine store (a mixin; see the module docstring)."""

    def record_alerts(self, alerts: Sequence[Alert]) -> list[Alert]:
        """Create alerts by id; return those the engine had not stored before, once each."""
        if not alerts:
            return []
        self._ensure()
        actions = [
            {
                "_op_type": "create",
                "_index": self.alerts_index,
                "_id": a.id,
                "_source": alert_document(a),
            }
            for a in alerts
        ]
        items = self._bulk(actions, "recording alerts")
        self._dirtied(self.alerts_index)
        self._check(items, (200, 201, 409), "recording alerts", "alert")  # 409: stored before
        created = {i["_id"] for i in items if i.get("status") in (200, 201)}
        fresh: dict[str, Alert] = {}
        for a in alerts:
            if a.id in created:
                fresh.setdefault(a.id, a)
        return list(fresh.values())

    def pending_alerts(self, limit: int = 500) -> list[Alert]:
        """Recorded alerts not yet marked published, oldest first."""
        self._ensure()
        body = alerts_body(limit, pending=True)
        hits = self._search(self.alerts_index, body, "reading pending alerts")["hits"]["hits"]
        return [decode_alert(h["_source"]) for h in hits]

    def mark_alerts_published(self, alert_ids: Sequence[str]) -> None:
        """Mark alerts as delivered to the alerts topic (unknown ids are ignored)."""
        if not alert_ids:
            return
        self._ensure()
        actions = [
            {
                "_op_type": "update",
                "_index": self.alerts_index,
                "_id": i,
                "doc": {"published": True},
            }
            for i in dict.fromkeys(alert_ids)
        ]
        items = self._bulk(actions, "marking alerts published")
        self._dirtied(self.alerts_index)
        self._check(items, (200, 201, 404), "marking alerts published", "alert")

    def alerts(self, limit: int = 100) -> list[Alert]:
        """The latest alerts, newest first."""
        self._ensure()
        body = alerts_body(limit, pending=False)
        hits = self._search(self.alerts_index, body, "reading alerts")["hits"]["hits"]
        return [decode_alert(h["_source"]) for h in hits]
