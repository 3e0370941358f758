"""The REST API (``scamtrail serve``): complaint intake, identifier checks for partner agencies,
search and alerts for investigators, health and metrics for operations. OpenAPI page at ``/docs``.

Every ``/v1`` request needs ``Authorization: Bearer <key>`` (see ``scamtrail.api.keys``): 401 without a
valid key, 403 outside the key's role, 429 past the per-key rate. Every ``/v1`` request is
audited (agency, role, endpoint, values asked, result count, status). A partner never sees a
complainant: no author, no complaint text, no complaint id (a tweet id leads to its author).

Identifier answers carry ``risk`` (:func:`scamtrail.index.risk.assess` over our registry entry,
the partner entries and the investigators' verdict) and ``partners``: what other agencies shared
about the identifier (agency, counts, first/last seen, categories, their risk), the owning agency
of each report. ``GET /v1/export`` gives partners our feed (:mod:`scamtrail.index.feed_formats`).
"""

from __future__ import annotations

import io
import uuid
from collections.abc import Callable
from typing import Any

from fastapi import Body, Depends, FastAPI, HTTPException, Query, Request, Security
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from scamtrail.api import models as m
from scamtrail.api.identifier_routes import READ_ROLES, add_identifier_routes
from scamtrail.api.keys import ApiKey, KeyStore, RateLimiter
from scamtrail.bus.base import Bus, Message
from scamtrail.errors import BusError, RecordError, StoreError
from scamtrail.index.allowlist import Allowlist, default_allowlist
from scamtrail.index.base import Store
from scamtrail.index.feed_formats import FORMATS
from scamtrail.index.sharing import export_feed
from scamtrail.ingest.payloads import parse_object
from scamtrail.metrics import API_REQUESTS, COMPLAINTS_INGESTED
from scamtrail.records import check_whole_characters
from scamtrail.settings import RiskSettings

MAX_INTAKE_BATCH = m.MAX_INTAKE_BATCH
MAX_CHECK_VALUES = m.MAX_CHECK_VALUES
FULL_ROLES = ("investigator", "admin")
INTAKE_ROLES = ("intake", "investigator", "admin")


def create_app(
    bus: Bus,
    store: Store,
    keys: KeyStore,
    *,
    region: str = "IN",
    rate: float = 20.0,
    burst: int = 60,
    agency: str = "local",
    risk_settings: RiskSettings | None = None,
    allowlist: Allowlist | None = None,
    version: str = "0.1.0",
) -> FastAPI:
    """Build the API over an open bus, store and key store.

    ``agency`` names us in exported feeds; ``risk_settings`` tunes the risk scores;
    ``allowlist`` (default: the shipped one) names official numbers, which score 0.
    """
    official = allowlist if allowlist is not None else default_allowlist()
    app = FastAPI(
        title="scamtrail",
        description="Fraud complaint intelligence: intake, identifier checks, search, alerts.",
        version="0.1.0",
        responses=m.error_responses(404),
    )
    limiter = RateLimiter(rate, burst)
    bearer = HTTPBearer(
        auto_error=False, description="An API key from `scamtrail keys create`: `st_<id>_<secret>`."
    )

    def needs(roles: tuple[str, ...], endpoint: str) -> Callable[..., ApiKey]:
        """A dependency that checks the key before the request is validated or handled."""

        def dependency(
            request: Request, _: HTTPAuthorizationCredentials | None = Security(bearer)
        ) -> ApiKey:
            return guard(request, roles, endpoint)

        return dependency

    def guard(request: Request, roles: tuple[str, ...], endpoint: str) -> ApiKey:
        header = request.headers.get("authorization", "")
        token = header[7:].strip() if header.lower().startswith("bearer ") else ""
        key = keys.verify(token) if token else None
        if key is None:
            _deny(
                None,
                endpoint,
                request.method,
                401,
                "a valid API key is required (Authorization: Bearer <key>)",
            )
        assert key is not None
        if key.role not in roles:
            _deny(key, endpoint, request.method, 403, f"role {key.role!r} may not use {endpoint}")
        wait = limiter.take(key.key_id)
        if wait:
            keys.audit(key=key, method=request.method, endpoint=endpoint, status=429)
            API_REQUESTS.labels(endpoint, "429", key.role).inc()
            raise HTTPException(
                429, "rate limit exceeded", headers={"Retry-After": f"{max(1, round(wait))}"}
            )
        return key

    def _deny(key: ApiKey | None, endpoint: str, method: str, status: int, detail: str) -> None:
        keys.audit(key=key, method=method, endpoint=endpoint, status=status)
        API_REQUESTS.labels(endpoint, str(status), key.role if key else "none").inc()
        raise HTTPException(
            status, detail, headers={"WWW-Authenticate": "Bearer"} if status == 401 else None
        )

    def done(
        key: ApiKey,
        request: Request,
        endpoint: str,
        status: int,
        values: list[str] | None,
        count: int | None,
    ) -> None:
        keys.audit(
            key=key,
            method=request.method,
            endpoint=endpoint,
            status=status,
            values=values,
            result_count=count,
        )
        API_REQUESTS.labels(endpoint, str(status), key.role).inc()

    @app.exception_handler(StoreError)
    async def _store_down(request: Request, exc: StoreError) -> JSONResponse:
        return JSONResponse({"detail": f"store unavailable: {exc}"}, status_code=503)

    @app.exception_handler(BusError)
    async def _bus_down(request: Request, exc: BusError) -> JSONResponse:
        return JSONResponse({"detail": f"bus unavailable: {exc}"}, status_code=503)

    @app.get("/healthz", tags=["operations"], response_model=m.Liveness)
    def healthz() -> dict[str, str]:
        """Liveness: the process answers."""
        return {"status": "ok"}

    @app.get("/readyz", tags=["operations"], response_model=None, responses=m.READINESS)
    def readyz() -> JSONResponse:
        """Readiness: the bus and the store can be reached."""
        checks: dict[str, str] = {}
        for name, probe in (("bus", bus.health), ("store", store.health)):
            try:
                probe()
                checks[name] = "ok"
            except (BusError, StoreError) as exc:
                checks[name] = f"error: {exc}"
        ready = all(v == "ok" for v in checks.values())
        return JSONResponse({"ready": ready, "checks": checks}, status_code=200 if ready else 503)

    @app.get("/metrics", tags=["operations"], response_class=PlainTextResponse, responses=m.TEXT)
    def metrics_endpoint() -> PlainTextResponse:
        """Prometheus metrics."""
        return PlainTextResponse(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    @app.post(
        "/v1/complaints",
        status_code=202,
        tags=["intake"],
        response_model=None,
        responses={202: {"model": m.IntakeAccepted}, **m.V1_BODY_ERRORS},
        openapi_extra=m.INTAKE_REQUEST,
    )
    def intake(
        request: Request,
        body: Any = Body(..., description=m.INTAKE_BODY_DOC),
        key: ApiKey = Depends(needs(INTAKE_ROLES, "/v1/complaints")),
    ) -> dict[str, Any]:
        """Submit complaints from other channels; validated, published, answered with their ids."""
        endpoint = "/v1/complaints"
        items = body if isinstance(body, list) else [body]
        if not items or len(items) > MAX_INTAKE_BATCH:
            done(key, request, endpoint, 422, None, 0)
            raise HTTPException(422, f"send 1 to {MAX_INTAKE_BATCH} complaints")
        complaints, errors = [], []
        for n, item in enumerate(items):
            if isinstance(item, dict) and "data" not in item:
                if m.bad_intake_id(item.get("id")):
                    errors.append({"index": n, "reason": "invalid_field", "message": m.ID_RULE})
                    continue
                item = {"id": f"intake:{uuid.uuid4()}", **item, "source": "intake"}
            try:
                check_whole_characters(item, "complaint")  # the body was parsed by json.loads
                complaints.extend(parse_object(item, default_source="intake"))
            except RecordError as exc:
                errors.append({"index": n, "reason": exc.reason, "message": str(exc)})
        if errors:
            done(key, request, endpoint, 422, None, 0)
            raise HTTPException(422, {"errors": errors})
        bus.publish(
            "raw", [Message.new(c.id, c.to_json(), {"agency": key.agency}) for c in complaints]
        )
        for c in complaints:
            COMPLAINTS_INGESTED.labels(c.source).inc()
        done(key, request, endpoint, 202, [c.id for c in complaints], len(complaints))
        return {"accepted": len(complaints), "ids": [c.id for c in complaints]}

    add_identifier_routes(
        app,
        store,
        needs=needs,
        done=done,
        region=region,
        official=official,
        risk_settings=risk_settings,
    )

    @app.get(
        "/v1/search",
        tags=["investigation"],
        response_model=None,
        responses={200: {"model": m.SearchAnswer}, **m.V1_ERRORS},
    )
    def search(
        request: Request,
        q: str = Query("", max_length=1000),
        category: str | None = Query(None, pattern="^(bank_fraud|traffic|other)$"),
        since: m.UtcTime | None = None,
        until: m.UtcTime | None = None,
        limit: int = Query(20, ge=1, le=500),
        needs_review: bool | None = Query(None, description="only the unsure (true) or sure"),
        key: ApiKey = Depends(needs(FULL_ROLES, "/v1/search")),
    ) -> dict[str, Any]:
        """Full-text search over complaints (investigators only: results carry complainants)."""
        endpoint = "/v1/search"
        try:
            hits = store.search(
                q,
                category=category,
                since=since,
                until=until,
                limit=limit,
                needs_review=needs_review,
            )
        except ValueError as exc:
            done(key, request, endpoint, 422, [q], 0)
            raise HTTPException(422, str(exc)) from exc
        done(key, request, endpoint, 200, [q], len(hits))
        return {"count": len(hits), "results": [h.to_dict() for h in hits]}

    @app.get(
        "/v1/alerts",
        tags=["investigation"],
        response_model=None,
        responses={200: {"model": m.AlertsAnswer}, **m.V1_ERRORS},
    )
    def alerts(
        request: Request,
        limit: int = Query(100, ge=1, le=1000),
        key: ApiKey = Depends(needs(READ_ROLES, "/v1/alerts")),
    ) -> dict[str, Any]:
        """The latest alerts: repeat identifiers with the complaints that named them."""
        endpoint = "/v1/alerts"
        items = [a.model_dump(by_alias=True) for a in store.alerts(limit)]
        if key.role == "partner":
            for item in items:
                item.pop("complaint_ids", None)  # complaint ids lead to complainants
        done(key, request, endpoint, 200, None, len(items))
        return {"count": len(items), "alerts": items}

    @app.get(
        "/v1/export",
        tags=["identifiers"],
        response_class=Response,
        responses={200: m.EXPORT_CONTENT, **m.V1_ERRORS},
    )
    def export(
        request: Request,
        format: str = Query("json", pattern="^(" + "|".join(FORMATS) + ")$"),
        since: m.UtcTime | None = None,
        min_count: int = Query(1, ge=1, le=2**31 - 1),
        category: str | None = Query(None, pattern="^(bank_fraud|traffic|other)$"),
        kind: str | None = Query(None, pattern="^(phone|upi|url|email|vehicle|bank_account)$"),
        key: ApiKey = Depends(needs(READ_ROLES, "/v1/export")),
    ) -> Response:
        """Our identifiers as a feed (json, csv, stix or misp): counts, risk, no complainant."""
        endpoint = "/v1/export"
        since_iso = since
        out = io.StringIO()
        count = export_feed(
            store,
            format,
            out,
            agency=agency,
            tool_version=version,
            since=since_iso,
            min_count=min_count,
            category=category,
            kind=kind,
            risk_settings=risk_settings,
            allowlist=official,
        )
        done(key, request, endpoint, 200, [format], count)
        media = m.EXPORT_MEDIA_TYPES[format]
        return Response(out.getvalue(), media_type=f"{media}; charset=utf-8")

    from scamtrail.console import mount_console  # the web console at /, same keys and store

    mount_console(app, store, keys, region, risk_settings, official, limiter)
    return app
