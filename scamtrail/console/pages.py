"""Console pages over many complaints or identifiers: search, the alerts feed, the registry.

Search is for investigators only (its results carry complainants), as ``GET /v1/search`` is.
The alerts feed and the registry are open to partners too, with what the partner API shows them:
an alert without the complaint ids it cites (they lead to complainants).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from fastapi import FastAPI, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse

from scamtrail.api.keys import ApiKey
from scamtrail.console.web import FULL_ROLES, Console
from scamtrail.records import Alert

CATEGORIES = ("bank_fraud", "traffic", "other")
KINDS = ("phone", "upi", "url", "email", "vehicle", "bank_account")
#: Sources the search form suggests (any other can be typed).
SOURCES = ("x", "intake", "replay")
PER_PAGE = 20
#: Deepest page of a search: past it, narrow the search (dates, category) instead.
MAX_PAGES = 25
#: Alerts the feed shows and each poll reads.
FEED_SIZE = 100
#: Repeat identifiers read to rank the registry view when a category narrows it.
TOP_POOL = 1000
_DATE = re.compile(r"^\d{4}-\d\d-\d\d$")


def parse_day(text: str, name: str) -> date | None:
    """A ``YYYY-MM-DD`` form field as a date (None when empty); ValueError naming the field."""
    text = text.strip()
    if not text:
        return None
    try:
        if not _DATE.match(text):
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{name}: a date such as 2026-03-01") from None


def alert_view(alert: Alert, full: bool) -> dict[str, Any]:
    """An alert as the feed shows it: without complaint ids unless the key sees complainants."""
    item = alert.model_dump(by_alias=True)
    if not full:
        item.pop("complaint_ids", None)
    return item


def register(app: FastAPI, console: Console) -> None:
    """Add search, alerts and registry pages to ``app``."""

    @app.get("/console/search", include_in_schema=False, response_class=HTMLResponse)
    def search(
        request: Request,
        q: str = Query("", max_length=1000),
        category: str = "",
        since: str = "",
        until: str = "",
        source: str = "",
        needs_review: str = "",
        page: int = Query(1, ge=1, le=MAX_PAGES),
    ) -> HTMLResponse:
        endpoint = "/console/search"
        session, key = console.signed_in(request, endpoint, FULL_ROLES)
        form = {
            "q": q,
            "category": category if category in CATEGORIES else "",
            "since": since,
            "until": until,
            "source": source.strip()[:50],
            "needs_review": needs_review if needs_review in ("yes", "no") else "",
        }
        error, hits, more = "", [], False
        try:
            first = parse_day(since, "from")
            last = parse_day(until, "to")
        except ValueError as exc:
            error = str(exc)
        if not error:
            found = console.store.search(
                q,
                category=form["category"] or None,
                since=first.isoformat() if first else None,
                until=(last + timedelta(days=1)).isoformat() if last else None,
                source=form["source"] or None,
                needs_review={"yes": True, "no": False}.get(form["needs_review"]),
                limit=page * PER_PAGE + 1,
            )
            hits = found[(page - 1) * PER_PAGE : page * PER_PAGE]
            more = len(found) > page * PER_PAGE and page < MAX_PAGES
        console.audit(key, request, endpoint, 422 if error else 200, [q], len(hits))
        return console.page(
            "search.html",
            session,
            key,
            422 if error else 200,
            form=form,
            error=error,
            hits=hits,
            page=page,
            more=more,
            categories=CATEGORIES,
            sources=SOURCES,
            query_string=_query_string(form),
        )

    def feed(request: Request, endpoint: str) -> tuple[Any, ApiKey, list[dict[str, Any]]]:
        """The signed-in session, its key and the newest alerts as that key may see them
        (audited): what the alerts page and its JSON poll both show."""
        session, key = console.signed_in(request, endpoint)
        items = console.store.alerts(FEED_SIZE)
        console.audit(key, request, endpoint, 200, None, len(items))
        full = key.role in FULL_ROLES
        return session, key, [alert_view(a, full) for a in items]

    @app.get("/console/alerts", include_in_schema=False, response_class=HTMLResponse)
    def alerts_page(request: Request) -> HTMLResponse:
        session, key, alerts = feed(request, "/console/alerts")
        return console.page("alerts.html", session, key, alerts=alerts)

    @app.get("/console/alerts.json", include_in_schema=False)
    def alerts_json(request: Request) -> JSONResponse:
        return JSONResponse({"alerts": feed(request, "/console/alerts.json")[2]})

    @app.get("/console/registry", include_in_schema=False, response_class=HTMLResponse)
    def registry(
        request: Request, kind: str = "", category: str = "", limit: int = Query(50, ge=1, le=200)
    ) -> HTMLResponse:
        endpoint = "/console/registry"
        session, key = console.signed_in(request, endpoint)
        kind = kind if kind in KINDS else ""
        category = category if category in CATEGORIES else ""
        pool = TOP_POOL if category else limit
        top = [
            e
            for e in console.store.top_identifiers(pool, 2, kind or None)
            if not category or category in e.categories
        ][:limit]
        today = datetime.now(UTC).date().isoformat()
        new_today = [
            a
            for a in console.store.alerts(TOP_POOL)
            if a.rule == "repeat"
            and a.level == 2
            and a.raised_at >= today
            and (not kind or a.identifier.kind == kind)
            and (not category or category in a.categories)
        ]
        console.audit(key, request, endpoint, 200, [kind, category], len(top))
        return console.page(
            "registry.html",
            session,
            key,
            top=top,
            new_today=new_today,
            today=today,
            kind=kind,
            category=category,
            kinds=KINDS,
            categories=CATEGORIES,
        )


def _query_string(form: dict[str, str]) -> str:
    return urlencode({k: v for k, v in form.items() if v})
