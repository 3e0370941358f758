"""The REST API in-process (FastAPI's TestClient over the real app, bus, store and key store)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from scamtrail.api import create_app
from scamtrail.bus.embedded import EmbeddedBus
from scamtrail.keys import KeyStore
from tests.conftest import enriched

A = "+919876543210"


@pytest.fixture
def api(
    tmp_path: Path, store_factory
) -> Iterator[tuple[TestClient, dict[str, str], EmbeddedBus, KeyStore]]:
    bus = EmbeddedBus(tmp_path / "bus.db")
    store = store_factory()
    store.write(
        [
            enriched("x:1", "SBI caller asked OTP from 98765 43210", phones=(A,), author="asha"),
            enriched(
                "x:2",
                "again 9876543210 called for KYC",
                phones=(A,),
                author="ravi",
                upis=("kyc@ybl",),
            ),
        ]
    )
    keys = KeyStore(tmp_path / "keys.db")
    tokens = {
        role: keys.create(f"{role} agency", role)[1]
        for role in ("investigator", "partner", "intake", "admin")
    }
    app = create_app(bus, store, keys, rate=1000, burst=1000)
    with TestClient(app) as client:
        yield client, tokens, bus, keys
    keys.close()
    bus.close()


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_health_and_readiness(api):
    client, *_ = api
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["checks"] == {"bus": "ok", "store": "ok"}
    assert "scamtrail_api_requests_total" in client.get("/metrics").text


def test_no_key_bad_key_revoked_key(api):
    client, tokens, _, keys = api
    assert client.get(f"/v1/identifiers/{A}").status_code == 401
    assert client.get(f"/v1/identifiers/{A}", headers=auth("st_dead_beef")).status_code == 401
    assert (
        client.get(f"/v1/identifiers/{A}", headers=auth(tokens["partner"] + "x")).status_code == 401
    )
    key_id = tokens["partner"].split("_")[1]
    assert keys.revoke(key_id)
    assert client.get(f"/v1/identifiers/{A}", headers=auth(tokens["partner"])).status_code == 401


def test_partner_sees_no_complainant(api):
    client, tokens, *_ = api
    body = client.get("/v1/identifiers/98765 43210", headers=auth(tokens["partner"])).json()
    assert body["identifier"] == {"kind": "phone", "value": A}
    assert body["complaint_count"] == 2
    assert "complaints" not in body
    assert "asha" not in str(body) and "OTP" not in str(body)
    full = client.get(
        "/v1/identifiers/+91-98765-43210", headers=auth(tokens["investigator"])
    ).json()
    assert {c["author"]["username"] for c in full["complaints"]} == {"asha", "ravi"}


def test_roles_are_enforced(api):
    client, tokens, *_ = api
    assert (
        client.get("/v1/search", params={"q": "otp"}, headers=auth(tokens["partner"])).status_code
        == 403
    )
    assert client.get(f"/v1/identifiers/{A}", headers=auth(tokens["intake"])).status_code == 403
    assert (
        client.post(
            "/v1/complaints", json={"text": "x"}, headers=auth(tokens["partner"])
        ).status_code
        == 403
    )
    hits = client.get(
        "/v1/search", params={"q": "otp"}, headers=auth(tokens["investigator"])
    ).json()
    assert [h["id"] for h in hits["results"]] == ["x:1"]


def test_bulk_check_of_10000_values(api):
    client, tokens, *_ = api
    values = ["98765 43210", "KYC@YBL", "not a number", "+91 70000 00001"] + [
        f"+91 9{i:09d}" for i in range(9996)
    ]
    res = client.post(
        "/v1/identifiers/check", json={"values": values}, headers=auth(tokens["partner"])
    )
    assert res.status_code == 200
    body = res.json()
    assert body["checked"] == 10000 and body["known"] == 2
    assert body["results"][0]["complaint_count"] == 2
    assert body["results"][1]["identifier"] == {"kind": "upi", "value": "kyc@ybl"}
    assert "error" in body["results"][2]
    assert body["results"][3]["complaint_count"] == 0
    too_many = client.post(
        "/v1/identifiers/check", json={"values": ["1"] * 10001}, headers=auth(tokens["partner"])
    )
    assert too_many.status_code == 422


@pytest.mark.parametrize("value", ["' OR 1=1 --", "%00", "ओटीपी", "a" * 3000, '{"match_all":{}}'])
def test_absurd_values_are_answered_cleanly(api, value):
    client, tokens, *_ = api
    res = client.get(f"/v1/identifiers/{value}", headers=auth(tokens["investigator"]))
    assert res.status_code in (404, 422)
    res = client.get("/v1/search", params={"q": value[:1000]}, headers=auth(tokens["investigator"]))
    assert res.status_code == 200


def test_intake_publishes_to_the_raw_topic(api):
    client, tokens, bus, _ = api
    res = client.post(
        "/v1/complaints",
        headers=auth(tokens["intake"]),
        json=[
            {"text": "caller asked my card PIN, number 91234 56789"},
            {
                "id": "helpline-7",
                "text": "UPI collect request fraud",
                "created_at": "2026-03-01T10:00:00Z",
            },
        ],
    )
    assert res.status_code == 202
    ids = res.json()["ids"]
    assert ids[1] == "helpline-7" and ids[0].startswith("intake:")
    msgs = bus.read("raw", 0, 10)
    assert [m.key for m in msgs] == ids
    assert {m.header("agency") for m in msgs} == {"intake agency"}
    bad = client.post(
        "/v1/complaints", headers=auth(tokens["intake"]), json=[{"text": "ok"}, {"nope": 1}]
    )
    assert bad.status_code == 422
    assert bad.json()["detail"]["errors"][0]["index"] == 1
    assert len(bus.read("raw", 0, 10)) == 2  # nothing of a rejected request is published


def test_every_request_is_audited(api):
    client, tokens, _, keys = api
    client.get("/v1/identifiers/98765 43210", headers=auth(tokens["partner"]))
    client.get("/v1/search", headers=auth(tokens["partner"]))
    client.get("/v1/alerts")
    log = keys.audit_log(10)
    assert [(e["status"], e["endpoint"]) for e in log] == [
        (401, "/v1/alerts"),
        (403, "/v1/search"),
        (200, "/v1/identifiers/{value}"),
    ]
    assert (
        log[2]["agency"] == "partner agency"
        and log[2]["values"] == [A]
        and log[2]["result_count"] == 2
    )


def test_rate_limit_per_key(tmp_path: Path):
    from scamtrail.index.sqlite import SqliteStore

    bus, store, keys = (
        EmbeddedBus(tmp_path / "b.db"),
        SqliteStore(tmp_path / "s.db"),
        KeyStore(tmp_path / "k.db"),
    )
    token = keys.create("busy", "partner")[1]
    other = keys.create("calm", "partner")[1]
    with TestClient(create_app(bus, store, keys, rate=0.5, burst=3)) as client:
        codes = [
            client.get(f"/v1/identifiers/{A}", headers=auth(token)).status_code for _ in range(5)
        ]
        assert codes[:3] == [200, 200, 200] and codes[3:] == [429, 429]
        assert client.get(f"/v1/identifiers/{A}", headers=auth(other)).status_code == 200
    keys.close()
    store.close()
    bus.close()
