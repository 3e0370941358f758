"""The console's frame: security headers, templates, sessions, sign-in and sign-out.

:class:`Console` holds what every page needs (the store, the key store, sessions, templates) and
:func:`mount_console` puts the pages on the API's FastAPI app, at ``/`` and under ``/console``.
Pages are server-rendered Jinja2 templates with autoescaping on, so text from complaints is
always shown as text; the only scripts are the package's own ``static/console.js``, allowed by a
Content-Security-Policy that forbids inline script and every other origin.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape

from scamtrail.api.keys import ApiKey, KeyStore, RateLimiter
from scamtrail.console.sessions import (
    PRE_COOKIE,
    SESSION_COOKIE,
    Session,
    SessionStore,
    same_token,
)
from scamtrail.index.allowlist import Allowlist
from scamtrail.index.base import Store
from scamtrail.settings import RiskSettings

HERE = Path(__file__).parent
#: The policy of every console answer: our own scripts, styles and images only, no inline script.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'"
)
CONSOLE_ROLES = ("investigator", "partner", "admin")
FULL_ROLES = ("investigator", "admin")
MAX_FORM_BYTES = 64 * 1024


class NotSignedIn(Exception):
    """The request has no live session (or its key was revoked)."""


class Refused(Exception):
    """The key may not see this page (its role), or sent a bad form; shown as an error page."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class Console:
    """What every console page uses: store, keys, sessions, templates and the risk inputs."""

    def __init__(
        self,
        store: Store,
        keys: KeyStore,
        *,
        region: str,
        risk_settings: RiskSettings | None,
        allowlist: Allowlist,
        limiter: RateLimiter,
        sessions: SessionStore | None = None,
    ) -> None:
        self.store = store
        self.keys = keys
        self.region = region
        self.risk_settings = risk_settings
        self.allowlist = allowlist
        self.sessions = sessions or SessionStore()
        self.limiter = limiter
        self.env = Environment(
            loader=FileSystemLoader(HERE / "templates"),
            autoescape=select_autoescape(["html", "svg"], default=True),
            trim_blocks=True,
            lstrip_blocks=True,
        )

    # -- requests ---------------------------------------------------------------------------
    def signed_in(self, request: Request, endpoint: str, roles: tuple[str, ...] = CONSOLE_ROLES):
        """The session and key of this request, checked against ``roles``; audited refusals."""
        session = self.sessions.get(request.cookies.get(SESSION_COOKIE))
        key = self.keys.verify(session.token) if session else None
        if session is None or key is None:
            raise NotSignedIn()
        if key.role not in roles:
            self.audit(key, request, endpoint, 403)
            raise Refused(403, f"role {key.role!r} may not use this page")
        if self.limiter.take(key.key_id):
            self.audit(key, request, endpoint, 429)
            raise Refused(429, "too many requests; wait a moment")
        return session, key

    def audit(
        self,
        key: ApiKey | None,
        request: Request,
        endpoint: str,
        status: int,
        values: list[str] | None = None,
        count: int | None = None,
    ) -> None:
        """One line of the API's audit trail (``scamtrail audit``)."""
        self.keys.audit(
            key=key,
            method=request.method,
            endpoint=endpoint,
            status=status,
            values=values,
            result_count=count,
        )

    async def form(self, request: Request, session: Session | None) -> dict[str, str]:
        """A posted urlencoded form, after its CSRF token was checked against ``session``."""
        body = await request.body()
        if len(body) > MAX_FORM_BYTES:
            raise Refused(413, "form too large")
        fields = {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace")).items()}
        expected = session.csrf if session else request.cookies.get(PRE_COOKIE, "")
        if not expected or not same_token(fields.get("csrf"), expected):
            raise Refused(403, "the form's security token is missing or stale; reload the page")
        return fields

    def page(
        self,
        name: str,
        session: Session | None,
        key: ApiKey | None,
        status: int = 200,
        **context: Any,
    ) -> HTMLResponse:
        """Render ``templates/<name>`` with the frame's context (signed-in key, CSRF token)."""
        html = self.env.get_template(name).render(
            key=key,
            csrf=session.csrf if session else context.pop("csrf", ""),
            full=key is not None and key.role in FULL_ROLES,
            **context,
        )
        return HTMLResponse(html, status_code=status)


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


def _register_frame(app: FastAPI, console: Console) -> None:
    """Security headers, error pages, ``/``, sign-in and sign-out."""

    @app.middleware("http")
    async def _headers(request: Request, call_next: Callable[[Request], Awaitable[Response]]):
        response = await call_next(request)
        path = request.url.path
        if path == "/" or path.startswith("/console"):
            response.headers["Content-Security-Policy"] = CSP
            response.headers["X-Content-Type-Options"] = "nosniff"
            response.headers["Referrer-Policy"] = "no-referrer"
            response.headers["X-Frame-Options"] = "DENY"
            if not path.startswith("/console/static/"):
                response.headers["Cache-Control"] = "no-store"
        return response

    @app.exception_handler(NotSignedIn)
    async def _to_signin(request: Request, exc: NotSignedIn) -> Response:
        if request.url.path.endswith(".json"):
            return JSONResponse({"detail": "signed out"}, status_code=401)
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        if request.method != "GET":  # a form posted after the session ended: start over
            target = "/console/"
        return RedirectResponse(f"/console/signin?next={quote(target)}", status_code=303)

    @app.exception_handler(Refused)
    async def _refused(request: Request, exc: Refused) -> Response:
        if request.url.path.endswith(".json"):
            return JSONResponse({"detail": exc.message}, status_code=exc.status)
        session = console.sessions.get(request.cookies.get(SESSION_COOKIE))
        key = console.keys.verify(session.token) if session else None
        return console.page("error.html", session, key, exc.status, message=exc.message)

    @app.get("/", include_in_schema=False)
    def root() -> RedirectResponse:
        return RedirectResponse("/console/", status_code=303)

    @app.get("/console/", include_in_schema=False)
    def home(request: Request) -> RedirectResponse:
        _, key = console.signed_in(request, "/console/")
        start = "/console/search" if key.role in FULL_ROLES else "/console/registry"
        return RedirectResponse(start, status_code=303)

    @app.get("/console/signin", include_in_schema=False, response_class=HTMLResponse)
    def signin_form(request: Request, next: str = "/console/") -> Response:
        pre = request.cookies.get(PRE_COOKIE) or secrets.token_urlsafe(32)
        resp = console.page("signin.html", None, None, csrf=pre, next=_local(next))
        resp.set_cookie(
            PRE_COOKIE, pre, max_age=3600, httponly=True, samesite="strict", secure=_secure(request)
        )
        return resp

    @app.post("/console/signin", include_in_schema=False)
    async def signin(request: Request) -> Response:
        fields = await console.form(request, None)
        token = fields.get("key", "").strip()
        key = console.keys.verify(token) if token else None
        nxt = _local(fields.get("next", "/console/"))
        if key is None or key.role not in CONSOLE_ROLES:
            status = 401 if key is None else 403
            console.audit(key, request, "/console/signin", status)
            error = "not a valid API key" if key is None else f"role {key.role!r} has no console"
            return console.page(
                "signin.html",
                None,
                None,
                status,
                csrf=request.cookies.get(PRE_COOKIE, ""),
                next=nxt,
                error=error,
            )
        console.sessions.end(request.cookies.get(SESSION_COOKIE))  # a browser has one session
        session = console.sessions.create(token)
        console.audit(key, request, "/console/signin", 200)
        resp = RedirectResponse(nxt, status_code=303)
        resp.set_cookie(
            SESSION_COOKIE,
            session.id,
            max_age=int(session.expires_at - time.time()),
            httponly=True,
            samesite="strict",
            secure=_secure(request),
            path="/",
        )
        resp.delete_cookie(PRE_COOKIE)
        return resp

    @app.post("/console/signout", include_in_schema=False)
    async def signout(request: Request) -> Response:
        session, key = console.signed_in(request, "/console/signout")
        await console.form(request, session)
        console.sessions.end(session.id)
        console.audit(key, request, "/console/signout", 200)
        resp = RedirectResponse("/console/signin", status_code=303)
        resp.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="strict")
        return resp


def _local(target: str) -> str:
    """A redirect target on this site only (an absolute or protocol-relative URL is refused)."""
    if not target.startswith("/console") or target.startswith("//") or "\\" in target:
        return "/console/"
    return target


def mount_console(
    app: FastAPI,
    store: Store,
    keys: KeyStore,
    region: str,
    risk_settings: RiskSettings | None,
    allowlist: Allowlist,
    limiter: RateLimiter,
    sessions: SessionStore | None = None,
) -> Console:
    """Serve the console on ``app``: ``/`` and ``/console/...``, static files included.

    ``limiter`` is the API's: a key's console pages and API calls share one rate.
    """
    from scamtrail.console import dossier, pages

    console = Console(
        store,
        keys,
        region=region,
        risk_settings=risk_settings,
        allowlist=allowlist,
        limiter=limiter,
        sessions=sessions,
    )
    _register_frame(app, console)
    pages.register(app, console)
    dossier.register(app, console)
    app.mount("/console/static", StaticFiles(directory=HERE / "static"), name="console-static")
    return console
