"""The identifier dossier (``/console/identifier``) and the verdict form.

Everything known about one identifier, typed any way a person types it: its normalised value
and how complaints wrote it, risk (score, tier, factors), complaints over time, the complaints,
linked identifiers and the ring as a graph, partner entries, alerts and the investigators'
verdict. A partner key sees what ``GET /v1/identifiers/{value}`` shows it: no complaint, no
complaint text, no complaint id (so no chart and no written forms either, both read from
complaints). Investigators may mark the identifier a false positive or clear the verdict; every
change is audited as ``/console/mark``.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from scamtrail.console.charts import dossier_href, ring_graph, timeline
from scamtrail.console.pages import alert_view
from scamtrail.console.web import FULL_ROLES, Console, Refused
from scamtrail.extract.identifiers import IdentifierExtractor, normalise_query
from scamtrail.index.base import IdentifierMark
from scamtrail.index.links import Link, Ring
from scamtrail.index.risk import assess
from scamtrail.records import utcnow_iso

#: The newest complaints the dossier lists (the chart counts them all).
LIST_LIMIT = 50
ALERTS_LIMIT = 100
LINKS_LIMIT = 50
FALSE_POSITIVE = "false_positive"


def _links(console: Console, kind: str, value: str, limit: int = LINKS_LIMIT) -> list[Link]:
    try:
        return console.store.links(kind, value, limit)
    except NotImplementedError:  # a store without links yet: none to show
        return []


def _ring(console: Console, kind: str, value: str) -> Ring | None:
    try:
        return console.store.ring(kind, value)
    except NotImplementedError:
        return None


def dossier(console: Console, kind: str, norm: str, typed: str, full: bool) -> dict[str, Any]:
    """The dossier's facts for the template (see the module docstring for a partner's view)."""
    store = console.store
    found = store.lookup(kind, norm, limit=LIST_LIMIT if full else 0, newest_first=True)
    partners = store.partner_entries([(kind, norm)]).get((kind, norm), [])
    mark = store.marks([(kind, norm)]).get((kind, norm))
    risk = assess(
        found.entry(),
        partners=partners,
        mark=mark,
        allowlisted=console.allowlist.owner(kind, norm),
        settings=console.risk_settings,
    )
    links = _links(console, kind, norm)
    ring = _ring(console, kind, norm)
    graph = None
    if ring is not None:
        graph = ring_graph(
            (kind, norm),
            ring.members,
            lambda key: [(ln.kind, ln.value, ln.complaints) for ln in _links(console, *key)],
        )
    alerts = [alert_view(a, full) for a in store.identifier_alerts(kind, norm, ALERTS_LIMIT)]
    complaints = list(found.complaints)
    written: list[str] = []
    if full:
        finder = IdentifierExtractor(console.region)
        for c in complaints:
            for f_kind, f_value, start, end in finder.find(c.text):
                if f_kind == kind and f_value == norm and c.text[start:end] not in written:
                    written.append(c.text[start:end])
    return {
        "kind": kind,
        "value": norm,
        "typed": typed,
        "found": found,
        "risk": risk,
        "partners": partners,
        "mark": mark,
        "links": [(ln, dossier_href(ln.kind, ln.value)) for ln in links],
        "ring": ring,
        "graph_json": json.dumps(graph) if graph else "",
        "alerts": alerts,
        "complaints": complaints,
        "chart": timeline(store.complaint_days(kind, norm))
        if full and found.complaint_count
        else None,
        "written": written,
    }


def register(app: FastAPI, console: Console) -> None:
    """Add the dossier and its verdict form to ``app``."""

    @app.get("/console/identifier", include_in_schema=False, response_class=HTMLResponse)
    def identifier(request: Request, value: str = "", kind: str = "") -> HTMLResponse:
        endpoint = "/console/identifier"
        session, key = console.signed_in(request, endpoint)
        value = value.strip()[:2000]
        if not value:
            return console.page("lookup.html", session, key)
        try:
            found_kind, norm = normalise_query(value, console.region, kind=kind or None)
        except ValueError as exc:
            console.audit(key, request, endpoint, 422, [value[:200]], 0)
            return console.page("lookup.html", session, key, 422, error=str(exc), value=value)
        facts = dossier(console, found_kind, norm, value, key.role in FULL_ROLES)
        console.audit(key, request, endpoint, 200, [norm], facts["found"].complaint_count)
        return console.page("identifier.html", session, key, **facts)

    @app.post("/console/identifier/mark", include_in_schema=False)
    async def mark(request: Request) -> Response:
        endpoint = "/console/mark"
        session, key = console.signed_in(request, endpoint, FULL_ROLES)
        fields = await console.form(request, session)
        action = fields.get("action", "")
        reason = fields.get("reason", "").strip()[:1000]
        try:
            kind, norm = normalise_query(
                fields.get("value", "")[:2000], console.region, kind=fields.get("kind") or None
            )
        except ValueError as exc:
            console.audit(key, request, endpoint, 422, None, 0)
            raise Refused(422, str(exc)) from exc
        if action == FALSE_POSITIVE:
            if not reason:
                console.audit(key, request, endpoint, 422, [norm], 0)
                raise Refused(422, "a false-positive verdict needs a reason")
            who = f"{key.agency} (key {key.key_id})"
            console.store.set_mark(
                IdentifierMark(kind, norm, FALSE_POSITIVE, reason, who, utcnow_iso())
            )
            status = 200
        elif action == "clear":
            status = 200 if console.store.clear_mark(kind, norm) else 404
        else:
            console.audit(key, request, endpoint, 422, [norm], 0)
            raise Refused(422, "action: false_positive or clear")
        console.audit(key, request, endpoint, status, [norm], 1 if status == 200 else 0)
        back = "/console/identifier?" + urlencode({"kind": kind, "value": norm})
        return RedirectResponse(back, status_code=303)
