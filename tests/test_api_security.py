# ruff: noqa: F811
"""Hostile input to the partner API and the store, on every store backend.

SQL for SQLite, query DSL / query_string / painless for the search engine, FTS5 syntax, bulk
checks, non-ASCII and absurd values: each must answer cleanly (200 or 422, never 500), return
nothing it should not, and leave the store as it was.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from scamtrail.index.base import PartnerEntry

# `served` is the API fixture of tests/test_api.py, shared rather than copied.
from tests.test_api import A, auth, served  # noqa: F401

SQL = [
    "' OR 1=1 --",
    '"); DROP TABLE complaints; --',
    "1' UNION SELECT doc FROM complaints --",
    "x'; DELETE FROM registry; --",
    "%' OR value LIKE '%",
]
DSL = [
    "* OR category:*",
    '{"match_all":{}}',
    "category:bank_fraud AND _exists_:author",
    "text:* OR author.username:*",
    "ctx._source.text = 'x'; ctx.op = 'delete'",
    "params._source.author",
    '{"script": {"source": "ctx._source.clear()"}}',
    "/.*/",
]
FTS5 = ["NEAR(otp kyc)", "otp*", '"otp', "text:otp", "-otp", "^otp", "otp OR caller NOT sbi"]
STRANGE = [
    "\u202e01234 56789\u202d",  # right-to-left override around digits
    "\U0001f4de\U0001f4de",  # emoji only
    "\u0627\u0644\u0633\u0644\u0627\u0645",  # Arabic text
    "\x00",
    "98765\x0043210",
    "a" * 100_000,
    "\ud800".encode("utf-8", "surrogatepass").decode("utf-8", "replace"),
]


def snapshot(store) -> tuple:
    stats = store.stats()
    return (stats.complaints, stats.identifiers, store.lookup("phone", A).complaint_count)


def test_hostile_identifier_values_find_nothing_and_break_nothing(served):
    client, tokens, _, _, store = served
    before = snapshot(store)
    investigator = auth(tokens["investigator"])
    for value in SQL + DSL + STRANGE:
        check_value(client, investigator, value)
    assert snapshot(store) == before


def check_value(client, investigator: dict[str, str], value: str) -> None:
    res = client.post("/v1/identifiers/check", json={"values": [value, A]}, headers=investigator)
    assert res.status_code == 200
    body = res.json()
    assert body["checked"] == 2 and body["known"] == 1  # only A, however the other one reads
    first = body["results"][0]
    assert "error" in first or first["complaint_count"] == 0
    if len(value) < 2000:
        got = client.get(f"/v1/identifiers/{quote(value, safe='')}", headers=investigator)
        assert got.status_code in (404, 422) or got.json()["complaint_count"] == 0, value


def test_hostile_search_queries_are_plain_words(served):
    client, tokens, _, _, store = served
    before = snapshot(store)
    for query in SQL + DSL + FTS5 + STRANGE[:5]:
        check_query(client, auth(tokens["investigator"]), query)
    assert snapshot(store) == before


def check_query(client, investigator: dict[str, str], query: str) -> None:
    res = client.get("/v1/search", params={"q": query}, headers=investigator)
    assert res.status_code == 200
    texts = [r["text"].lower() for r in res.json()["results"]]
    # Every hit holds every word of the query; syntax never widens the match.
    words = re.findall(r"\w+", query.lower())
    for text in texts:
        assert all(w in text for w in words), (query, text)
    if not words:
        assert len(texts) == 2, query  # no word at all: every complaint, as documented


def test_search_syntax_cannot_reach_authors(served):
    client, tokens, _, _, _ = served
    inv = auth(tokens["investigator"])
    assert client.get("/v1/search", params={"q": "asha"}, headers=inv).json()["count"] == 0
    assert client.get("/v1/search", params={"q": "author:asha"}, headers=inv).json()["count"] == 0
    too_long = client.get("/v1/search", params={"q": "otp " * 400}, headers=inv)
    assert too_long.status_code == 422


def test_hostile_agency_names_are_kept_literally(served):
    _, _, _, _, store = served
    agencies = [
        "pune'); DROP TABLE partner_identifiers; --",
        '{"match_all":{}}',
        "पुणे सायबर",
        "\u202eenup",
        "delhi",
    ]
    entries = [PartnerEntry(a, "phone", A, 5, None, None, ("bank_fraud",)) for a in agencies]
    assert store.import_partner_entries(entries) == len(agencies)
    got = store.partner_entries([("phone", A)])[("phone", A)]
    assert sorted(p.agency for p in got) == sorted(agencies)
    assert store.lookup("phone", A).complaint_count == 2


def test_devanagari_and_arabic_indic_digits_find_the_number(served):
    client, tokens, _, _, _ = served
    inv = auth(tokens["investigator"])
    for typed in ("९८७६५ ४३२१०", "٩٨٧٦٥٤٣٢١٠", "+91 98765\u00a043210", "\u200b98765-43210"):
        body = client.post("/v1/identifiers/check", json={"values": [typed]}, headers=inv).json()
        assert body["results"][0].get("identifier") == {"kind": "phone", "value": A}, typed
        assert body["known"] == 1


def test_bulk_check_of_10000_values_with_partner_entries(served):
    client, tokens, _, _, store = served
    values = [f"+91 9{i:09d}" for i in range(9_999)] + ["98765 43210"]
    shared = [
        PartnerEntry("pune", "phone", f"+919{i:09d}", 2, None, "2026-03-01T00:00:00.000000Z")
        for i in range(0, 9_999, 7)
    ]
    store.import_partner_entries(shared)
    res = client.post(
        "/v1/identifiers/check", json={"values": values}, headers=auth(tokens["partner"])
    )
    assert res.status_code == 200
    body = res.json()
    assert body["checked"] == 10_000 and body["known"] == 1
    assert body["known_to_partners"] == len(shared)
    assert body["results"][7]["partners"][0]["agency"] == "pune"
    assert body["results"][7]["risk"]["score"] > body["results"][8]["risk"]["score"]
    assert body["results"][-1]["complaint_count"] == 2
    bad = client.post(
        "/v1/identifiers/check", json={"values": "98765 43210"}, headers=auth(tokens["partner"])
    )
    assert bad.status_code == 422
    nested = client.post(
        "/v1/identifiers/check", json={"values": [{"$ne": None}]}, headers=auth(tokens["partner"])
    )
    assert nested.status_code == 200 and "error" in nested.json()["results"][0]
