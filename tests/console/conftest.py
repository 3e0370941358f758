"""The console in-process: FastAPI's TestClient over the real app, SQLite store and key store."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from scamtrail.index.sqlite import SqliteStore

from scamtrail.api import create_app
from scamtrail.api.keys import KeyStore
from scamtrail.bus.embedded import EmbeddedBus
from tests.conftest import enriched, repeat_alert

A = "+919876543210"
B = "+919123456789"
UPI = "kyc@ybl"
HOSTILE = '<img src=x onerror=alert(1)> and <script>alert("x")</script> called from 98765 43210'
HINDI = "मुझे 9876543210 से कॉल आया, ओटीपी मांगा"


def console_records():
    """Four complaints: A in all, A with UPI (a link), UPI with B (the ring grows), one hostile."""
    return [
        enriched("x:1", "SBI caller asked OTP from 98765 43210", phones=(A,), author="asha"),
        enriched(
            "x:2",
            "again +91-98765-43210 called for KYC, pay kyc@ybl",
            phones=(A,),
            upis=(UPI,),
            author="ravi",
            created_at="2026-03-02T09:00:00Z",
        ),
        enriched(
            "x:3",
            HINDI,
            phones=(A, B),
            upis=(UPI,),
            author="meena",
            created_at="2026-03-05T12:00:00Z",
        ),
        enriched("x:4", HOSTILE, phones=(A,), author="evil", created_at="2026-03-06T08:00:00Z"),
    ]


@dataclass
class Served:
    client: TestClient
    tokens: dict[str, str]
    keys: KeyStore
    store: SqliteStore


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    """The app over a real bus, a SQLite store with :func:`console_records`, one key per role."""
    bus = EmbeddedBus(tmp_path / "bus.db")
    store = SqliteStore(tmp_path / "store.db")
    store.write(console_records())
    store.record_alerts([repeat_alert(A)])
    keys = KeyStore(tmp_path / "keys.db")
    tokens = {
        role: keys.create(f"{role} agency", role)[1]
        for role in ("investigator", "partner", "intake", "admin")
    }
    app = create_app(bus, store, keys, rate=1000, burst=1000, agency="mumbai")
    with TestClient(app) as client:
        yield Served(client, tokens, keys, store)
    keys.close()
    store.close()
    bus.close()


_CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def csrf_of(html: str) -> str:
    """The CSRF token of the first form on a page."""
    found = _CSRF.search(html)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


def sign_in(client: TestClient, token: str, follow: bool = True):
    """Sign in through the form, as a browser does (GET the form, POST it with its token)."""
    form = client.get("/console/signin")
    assert form.status_code == 200
    return client.post(
        "/console/signin",
        data={"csrf": csrf_of(form.text), "key": token, "next": "/console/"},
        follow_redirects=follow,
    )
