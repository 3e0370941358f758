"""Console sessions: a random session id in an HttpOnly cookie, the API key kept server-side.

Signing in with an API key (``st_<id>_<secret>``) makes a :class:`Session`: a random id (the
cookie), the key token (never sent back to the browser), a CSRF token for the session's forms and
an expiry. Every request checks the key again with :meth:`KeyStore.verify`, so a revoked key ends
its sessions at once. Sessions live in this process's memory: a restart of ``scamtrail serve``
signs everyone out, which is the safe direction.

Before sign-in the sign-in form carries a CSRF token of its own, bound to a short-lived
``st_console_pre`` cookie (a double-submit token), so a page elsewhere cannot sign a browser in
with a key of its choosing.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from dataclasses import dataclass, field

SESSION_COOKIE = "st_console"
PRE_COOKIE = "st_console_pre"
#: How long a session lasts after sign-in (seconds): a working day.
SESSION_TTL_S = 8 * 3600
#: Most sessions kept at once; past it the oldest is dropped.
MAX_SESSIONS = 10_000


@dataclass(slots=True)
class Session:
    """One signed-in browser: its id (the cookie), key token, CSRF token and expiry."""

    id: str
    token: str
    csrf: str
    expires_at: float
    created_at: float = field(default_factory=time.time)


def same_token(given: str | None, expected: str) -> bool:
    """Constant-time comparison of a submitted token with the expected one."""
    return bool(given) and hmac.compare_digest(str(given).encode(), expected.encode())


class SessionStore:
    """Sessions by id, in memory, with expiry (see the module docstring)."""

    def __init__(self, ttl_s: float = SESSION_TTL_S, max_sessions: int = MAX_SESSIONS) -> None:
        self.ttl_s = ttl_s
        self.max_sessions = max_sessions
        self._sessions: dict[str, Session] = {}
        self._lock = threading.Lock()

    def create(self, token: str) -> Session:
        """Open a session for a verified key token."""
        now = time.time()
        session = Session(
            secrets.token_urlsafe(32), token, secrets.token_urlsafe(32), now + self.ttl_s, now
        )
        with self._lock:
            self._expire(now)
            while len(self._sessions) >= self.max_sessions:
                self._sessions.pop(next(iter(self._sessions)))
            self._sessions[session.id] = session
        return session

    def get(self, session_id: str | None) -> Session | None:
        """The live session with this id, or None (unknown or expired)."""
        if not session_id:
            return None
        with self._lock:
            session = self._sessions.get(session_id)
            if session is not None and session.expires_at <= time.time():
                self._sessions.pop(session_id, None)
                return None
            return session

    def end(self, session_id: str | None) -> None:
        """Sign a session out (no-op when unknown)."""
        if session_id:
            with self._lock:
                self._sessions.pop(session_id, None)

    def _expire(self, now: float) -> None:
        for sid in [s.id for s in self._sessions.values() if s.expires_at <= now]:
            del self._sessions[sid]
