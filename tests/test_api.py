"""The REST API in-process (FastAPI's TestClient over the real app, bus, store and key store)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from scamtrail.index.base import PartnerEntry, Store

from scamtrail.api import create_app
from scamtrail.api.keys import KeyStore
from scamtrail.bus.embedded import EmbeddedBus
from tests.conftest import enriched

A = "+919876543210"


@pytest.fixture
def served(
    tmp_path: Path, store_factory
) -> Iterator[tuple[TestClient, dict[str, str], EmbeddedBus, KeyStore, Store]]:
    """The app over a real bus, store (two complaints naming A) and key store, one key per role."""
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
    app = create_app(bus, store, keys, rate=1000, burst=1000, agency="mumbai")
    with TestClient(app) as client:
        yield client, tokens, bus, keys, store
    keys.close()
    bus.close()


@pytest.fixture
def api(served) -> tuple[TestClient, dict[str, str], EmbeddedBus, KeyStore]:
    return served[:4]


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
    lone = client.post(
        "/v1/complaints",
        headers={**auth(tokens["intake"]), "Content-Type": "application/json"},
        content=b'[{"text": "ok"}, {"text": "call \\ud800 now"}]',
    )
    assert lone.status_code == 422
    assert lone.json()["detail"]["errors"] == [
        {
            "index": 1,
            "reason": "invalid_utf8",
            "message": "complaint holds a lone surrogate \\ud800 (half of a UTF-16 pair, not a "
            "character)",
        }
    ]
    assert len(bus.read("raw", 0, 10)) == 2


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


ENDPOINTS = [
    ("GET", f"/v1/identifiers/{A}", None, ("investigator", "partner", "admin")),
    ("GET", f"/v1/identifiers/{A}/links", None, ("investigator", "partner", "admin")),
    ("POST", "/v1/identifiers/check", {"values": [A]}, ("investigator", "partner", "admin")),
    ("GET", "/v1/search?q=otp", None, ("investigator", "admin")),
    ("GET", "/v1/alerts", None, ("investigator", "partner", "admin")),
    ("GET", "/v1/export?format=csv", None, ("investigator", "partner", "admin")),
    (
        "POST",
        "/v1/complaints",
        {"text": "caller wanted my OTP"},
        ("intake", "investigator", "admin"),
    ),
]


def test_every_v1_endpoint_checks_key_and_role(api):
    client, tokens, _, keys = api

    def call(endpoint: tuple, headers: dict[str, str] | None = None) -> int:
        method, path, body, _ = endpoint
        return client.request(method, path, json=body, headers=headers).status_code

    for endpoint in ENDPOINTS:
        path, allowed = endpoint[1], endpoint[3]
        ok = 202 if path == "/v1/complaints" else 200
        assert call(endpoint) == 401, path
        assert call(endpoint, {"Authorization": "Basic " + tokens["admin"]}) == 401, path
        for role, token in tokens.items():
            assert call(endpoint, auth(token)) == (ok if role in allowed else 403), (path, role)
        revoked = keys.create("leaver", allowed[0])[1]
        assert call(endpoint, auth(revoked)) == ok, path
        assert keys.revoke(revoked.split("_")[1])
        assert call(endpoint, auth(revoked)) == 401, path


def shared(agency: str, count: int, value: str = A) -> PartnerEntry:
    return PartnerEntry(
        agency=agency,
        kind="phone",
        value=value,
        complaint_count=count,
        first_seen="2026-02-01T00:00:00.000000Z",
        last_seen="2026-03-01T00:00:00.000000Z",
        categories=("bank_fraud",),
        risk_score=70.0,
        risk_tier="high",
        feed=f"{agency}-feed.json",
        imported_at="2026-03-02T00:00:00.000000Z",
    )


def test_identifier_answers_carry_risk_and_the_owning_agencies(served):
    client, tokens, _, _, store = served
    before = client.get(f"/v1/identifiers/{A}", headers=auth(tokens["partner"])).json()
    assert before["partners"] == []
    assert before["risk"]["tier"] in ("low", "medium", "high", "very_high")
    store.import_partner_entries([shared("pune", 12), shared("delhi", 3)])
    body = client.get("/v1/identifiers/98765 43210", headers=auth(tokens["partner"])).json()
    assert [(p["agency"], p["complaint_count"]) for p in body["partners"]] == [
        ("delhi", 3),
        ("pune", 12),
    ]
    assert body["complaint_count"] == 2  # partners' counts are theirs, not added to ours
    assert body["risk"]["score"] > before["risk"]["score"]
    factors = {f["name"]: f for f in body["risk"]["factors"]}
    assert factors["partners"]["points"] > 0 and "pune" in factors["partners"]["detail"]
    assert round(sum(f["points"] for f in body["risk"]["factors"]), 1) == body["risk"]["score"]
    assert "feed" not in str(body["partners"])  # file names stay with us
    checked = client.post(
        "/v1/identifiers/check",
        json={"values": ["98765 43210", "+91 70000 00001"]},
        headers=auth(tokens["partner"]),
    ).json()
    assert checked["known"] == 1 and checked["known_to_partners"] == 1
    assert abs(checked["results"][0]["risk"]["score"] - body["risk"]["score"]) <= 0.1
    assert checked["results"][1]["partners"] == [] and checked["results"][1]["risk"]["score"] == 0


def test_only_partners_known_identifier_is_scored_from_their_reports(served):
    client, tokens, _, _, store = served
    other = "+917000000001"
    store.import_partner_entries([shared("pune", 30, other)])
    body = client.get(f"/v1/identifiers/{other}", headers=auth(tokens["partner"])).json()
    assert body["complaint_count"] == 0 and body["partners"][0]["agency"] == "pune"
    assert body["risk"]["score"] > 0


def test_a_partner_sees_no_complainant_anywhere(served):
    client, tokens, _, _, store = served
    from scamtrail.records import Alert, Identifier

    store.record_alerts(
        [
            Alert(
                id=f"repeat:phone:{A}:2",
                rule="repeat",
                level=2,
                identifier=Identifier(kind="phone", value=A),
                complaint_ids=["x:1", "x:2"],
                complaint_count=2,
            )
        ]
    )
    partner = auth(tokens["partner"])
    answers = [
        client.get(f"/v1/identifiers/{A}", headers=partner).text,
        client.post("/v1/identifiers/check", json={"values": [A]}, headers=partner).text,
        client.get("/v1/alerts", headers=partner).text,
        *(
            client.get(f"/v1/export?format={f}", headers=partner).text
            for f in ("json", "csv", "stix", "misp")
        ),
    ]
    for text in answers:
        for secret in ("x:1", "x:2", "asha", "ravi", "OTP", "KYC", "complaint_ids"):
            assert secret not in text, (secret, text[:300])
    investigator = client.get("/v1/alerts", headers=auth(tokens["investigator"])).json()
    assert investigator["alerts"][0]["complaint_ids"] == ["x:1", "x:2"]


def test_export_endpoint_gives_the_feed_in_every_format(served):
    client, tokens, _, keys, _ = served
    partner = auth(tokens["partner"])
    feed = client.get("/v1/export", headers=partner).json()
    assert feed["format"] == "scamtrail-feed" and feed["agency"] == "mumbai"
    assert {i["value"] for i in feed["identifiers"]} == {A, "kyc@ybl"}
    only = client.get("/v1/export?format=json&min_count=2", headers=partner).json()
    assert [i["value"] for i in only["identifiers"]] == [A]
    csv_text = client.get("/v1/export?format=csv&kind=upi", headers=partner).text
    assert csv_text.splitlines()[0].startswith("kind,value,") and "kyc@ybl" in csv_text
    stix = client.get("/v1/export?format=stix", headers=partner)
    assert stix.json()["type"] == "bundle"
    assert stix.headers["content-type"].startswith("application/stix+json;version=2.1")
    misp = client.get("/v1/export?format=misp", headers=partner)
    assert "Event" in misp.json() and misp.headers["content-type"].startswith("application/json")
    declared = client.get("/openapi.json").json()["paths"]["/v1/export"]["get"]["responses"]
    assert set(declared["200"]["content"]) == {
        "application/json",
        "application/stix+json;version=2.1",
        "text/csv",
    }
    assert client.get("/v1/export?format=xml", headers=partner).status_code == 422
    assert client.get("/v1/export?since=yesterday", headers=partner).status_code == 422
    log = keys.audit_log(20)
    assert any(e["endpoint"] == "/v1/export" and e["status"] == 200 for e in log)


def test_search_hits_and_identifier_answers_say_which_complaints_need_review(served):
    client, tokens, _, _, store = served
    unsure = enriched("x:3", "caller said my KYC lapsed, 98765 43210", phones=(A,))
    store.write([unsure.model_copy(update={"needs_review": True})])
    head = auth(tokens["investigator"])
    hits = client.get("/v1/search", params={"q": "caller"}, headers=head).json()["results"]
    assert {h["id"]: h["needs_review"] for h in hits} == {"x:1": False, "x:3": True}
    only = client.get("/v1/search", params={"q": "", "needs_review": "true"}, headers=head).json()
    assert [h["id"] for h in only["results"]] == ["x:3"]
    sure = client.get("/v1/search", params={"needs_review": "false"}, headers=head).json()
    assert "x:3" not in {h["id"] for h in sure["results"]} and sure["count"] == 2
    answer = client.get(f"/v1/identifiers/{A}", headers=head).json()
    assert {c["id"]: c["needs_review"] for c in answer["complaints"]} == {
        "x:1": False,
        "x:2": False,
        "x:3": True,
    }
    hit = client.get("/openapi.json").json()["components"]["schemas"]["ComplaintHit"]
    assert hit["properties"]["needs_review"]["type"] == "boolean"


def test_links_and_the_ring_of_an_identifier(served):
    client, tokens, _, keys, store = served
    upi = "9876543210@ybl"
    other = "+918765432109"
    store.write(
        [
            enriched("x:3", "pay to 9876543210@ybl", phones=(A,), upis=(upi,)),
            enriched("x:4", "same gang", phones=(other,), upis=(upi,)),
        ]
    )
    for role in ("investigator", "partner"):
        body = client.get("/v1/identifiers/98765 43210/links", headers=auth(tokens[role])).json()
        assert body["identifier"] == {"kind": "phone", "value": A}
        assert body["count"] == 2  # and kyc@ybl, from the fixture's x:2
        assert [(lk["identifier"]["value"], lk["complaints"]) for lk in body["links"]] == [
            (upi, 1),
            ("kyc@ybl", 1),
        ]
        ring = body["ring"]
        assert {mb["value"] for mb in ring["members"]} == {A, upi, other, "kyc@ybl"}
        assert ring["complaint_count"] == 3 and ring["id"].startswith("ring:")
        answer = client.get(f"/v1/identifiers/{A}", headers=auth(tokens[role])).json()
        assert answer["ring"] == ring
    alone = client.get("/v1/identifiers/x-alone@ybl/links", headers=auth(tokens["admin"]))
    assert alone.json() == {
        "identifier": {"kind": "upi", "value": "x-alone@ybl"},
        "count": 0,
        "links": [],
        "ring": None,
    }
    assert (
        client.get("/v1/identifiers/hello/links", headers=auth(tokens["admin"])).status_code == 422
    )
    asked = [r for r in keys.audit_log() if r["endpoint"] == "/v1/identifiers/{value}/links"]
    assert [r["status"] for r in asked[:2]] == [422, 200]  # newest first
