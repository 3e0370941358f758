"""API keys per agency, and the audit trail of every API request.

Keys are random (``st_<id>_<secret>``), printed once at creation and stored only as a SHA-256
hash; the ``id`` part names the key in lists, revocations and the audit trail without revealing
it. Roles:

- ``investigator``: everything, complainants included;
- ``partner``: identifiers, counts, categories, first/last seen, risk and the owning agency, but
  no complainant (no author, no complaint text);
- ``intake``: may only submit complaints (web forms, helpline operators' tools);
- ``admin``: manages keys, and everything an investigator may do.

Both live in ``<SCAMTRAIL_HOME>/keys.db`` (SQLite), beside the embedded bus and store.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from scamtrail.errors import ConfigError
from scamtrail.records import utcnow_iso
from scamtrail.sqlite_db import open_sqlite

ROLES = ("investigator", "partner", "intake", "admin")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS api_keys (
    key_id TEXT PRIMARY KEY, key_hash TEXT NOT NULL, agency TEXT NOT NULL, role TEXT NOT NULL,
    created_at TEXT NOT NULL, revoked_at TEXT
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS audit (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, key_id TEXT, agency TEXT, role TEXT,
    method TEXT NOT NULL, endpoint TEXT NOT NULL, status INTEGER NOT NULL, values_asked TEXT,
    result_count INTEGER
);
"""


@dataclass(frozen=True, slots=True)
class ApiKey:
    """A key's public facts (never the secret)."""

    key_id: str
    agency: str
    role: str
    created_at: str
    revoked_at: str | None = None


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class KeyStore:
    """API keys (hashed) and the audit trail, in one SQLite file."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._db = open_sqlite(self.path, _SCHEMA)

    def create(self, agency: str, role: str) -> tuple[ApiKey, str]:
        """Create a key; return its public facts and the key itself (shown once, never stored)."""
        if role not in ROLES:
            raise ConfigError(f"role must be one of {', '.join(ROLES)}, not {role!r}")
        if not agency.strip():
            raise ConfigError("agency must not be empty")
        key_id = secrets.token_hex(4)
        token = f"st_{key_id}_{secrets.token_urlsafe(24)}"
        key = ApiKey(key_id, agency.strip(), role, utcnow_iso())
        with self._lock:
            self._db.execute(
                "INSERT INTO api_keys (key_id, key_hash, agency, role, created_at) VALUES (?,?,?,?,?)",
                (key.key_id, _hash(token), key.agency, key.role, key.created_at),
            )
        return key, token

    def revoke(self, key_id: str) -> bool:
        """Revoke a key by id; False when there is no such active key."""
        with self._lock:
            cur = self._db.execute(
                "UPDATE api_keys SET revoked_at=? WHERE key_id=? AND revoked_at IS NULL",
                (utcnow_iso(), key_id),
            )
        return cur.rowcount == 1

    def verify(self, token: str) -> ApiKey | None:
        """The active key this token is, or None."""
        parts = token.split("_", 2)
        if len(parts) != 3 or parts[0] != "st":
            return None
        with self._lock:
            row = self._db.execute(
                "SELECT key_hash, agency, role, created_at, revoked_at FROM api_keys WHERE key_id=?",
                (parts[1],),
            ).fetchone()
        if row is None or row[4] is not None or not hmac.compare_digest(row[0], _hash(token)):
            return None
        return ApiKey(parts[1], row[1], row[2], row[3])

    def list(self) -> list[ApiKey]:
        """Every key, newest first."""
        with self._lock:
            rows = self._db.execute(
                "SELECT key_id, agency, role, created_at, revoked_at FROM api_keys ORDER BY created_at DESC"
            ).fetchall()
        return [ApiKey(*r) for r in rows]

    def audit(
        self,
        *,
        key: ApiKey | None,
        method: str,
        endpoint: str,
        status: int,
        values: list[str] | None = None,
        result_count: int | None = None,
    ) -> None:
        """Record one API request."""
        with self._lock:
            self._db.execute(
                "INSERT INTO audit (at, key_id, agency, role, method, endpoint, status, values_asked,"
                " result_count) VALUES (?,?,?,?,?,?,?,?,?)",
                (
                    utcnow_iso(),
                    key.key_id if key else None,
                    key.agency if key else None,
                    key.role if key else None,
                    method,
                    endpoint,
                    status,
                    json.dumps(values[:100], ensure_ascii=False) if values else None,
                    result_count,
                ),
            )

    def audit_log(self, limit: int = 100) -> list[dict[str, object]]:
        """The latest audited requests, newest first."""
        with self._lock:
            rows = self._db.execute(
                "SELECT at, key_id, agency, role, method, endpoint, status, values_asked, result_count"
                " FROM audit ORDER BY seq DESC LIMIT ?",
                (int(limit),),
            ).fetchall()
        names = (
            "at",
            "key_id",
            "agency",
            "role",
            "method",
            "endpoint",
            "status",
            "values",
            "result_count",
        )
        out = []
        for r in rows:
            entry = dict(zip(names, r, strict=True))
            entry["values"] = json.loads(entry["values"]) if entry["values"] else []  # type: ignore[arg-type]
            out.append(entry)
        return out

    def close(self) -> None:
        """Close the database."""
        with self._lock:
            self._db.close()


class RateLimiter:
    """A token bucket per key: ``rate`` requests per second, bursts up to ``burst``."""

    def __init__(self, rate: float, burst: int) -> None:
        self.rate = rate
        self.burst = burst
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def take(self, key_id: str) -> float:
        """0 when the request may go ahead, else seconds until it may."""
        now = time.monotonic()
        with self._lock:
            tokens, at = self._buckets.get(key_id, (float(self.burst), now))
            tokens = min(self.burst, tokens + (now - at) * self.rate)
            if tokens >= 1:
                self._buckets[key_id] = (tokens - 1, now)
                return 0.0
            self._buckets[key_id] = (tokens, now)
            return (1 - tokens) / self.rate
