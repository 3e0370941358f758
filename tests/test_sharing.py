"""Sharing with other departments: feeds in four formats, import with provenance, on every store."""

from __future__ import annotations

import csv
import io
import json
import re
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from scamtrail.extract.identifiers import normalise_query
from scamtrail.index.base import Store
from scamtrail.index.feed_formats import FORMATS, Provenance, write_feed
from scamtrail.index.feed_readers import read_feed
from scamtrail.index.risk import TIERS
from scamtrail.index.sharing import export_items, import_rows
from scamtrail.index.sqlite import SqliteStore

from tests.conftest import enriched

A = "+919876543210"
B = "+918765432109"
NOW = datetime(2026, 3, 10, tzinfo=UTC)
STIX_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
STIX_ID = re.compile(
    r"^([a-z0-9-]{3,250})--[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
)
STIX_PATTERN = re.compile(r"^\[([a-z0-9-]{3,250}):([a-z0-9_]+) = '((?:[^'\\]|\\.)*)'\]$")
#: MISP categories and the attribute types each accepts (the subset our feeds use).
MISP_CATEGORIES = {
    "Financial fraud": {"phone-number", "bank-account-nr", "text", "comment", "other"},
    "Network activity": {"url", "domain", "hostname", "text", "comment", "other"},
    "Payload delivery": {"url", "email-src", "text", "comment", "other"},
    "Other": {"text", "comment", "other"},
}
SECRETS = ("asha", "ravi", "Asha", "OTP", "x:1", "x:2", "x:3", "tweet")


def normalise(value: str, kind: str | None) -> tuple[str, str]:
    return normalise_query(value, "IN", kind)


@pytest.fixture
def stores(store_factory, request, tmp_path) -> Iterator[tuple[Store, Callable[[], Store]]]:
    """Our store (filled) and a factory for a second, separate store on the same backend."""
    ours = store_factory()
    ours.write(
        [
            enriched("x:1", "SBI caller asked OTP", phones=(A,), author="asha"),
            enriched(
                "x:2",
                "again asked OTP",
                phones=(A,),
                upis=("kyc@ybl",),
                author="ravi",
                created_at="2026-03-02T10:00:00Z",
            ),
            enriched("x:3", "signal jumped", phones=(B,), category="traffic", author="asha"),
        ]
    )
    made: list[Store] = []

    def other() -> Store:
        if isinstance(ours, SqliteStore):
            store: Store = SqliteStore(tmp_path / f"other-{len(made)}.db")
        else:
            from scamtrail.index.search_engine import SearchEngineStore

            url = request.getfixturevalue(f"{ours.name}_url")  # the engine ``ours`` is on
            store = SearchEngineStore(url, index_prefix=f"{ours.prefix}o{len(made)}-")
        made.append(store)
        return store

    yield ours, other
    for store in made:
        if not isinstance(store, SqliteStore):
            store.drop()
        store.close()


def export_text(store: Store, fmt: str, agency: str = "mumbai") -> str:
    out = io.StringIO()
    p = Provenance(agency, "2026-03-10T00:00:00.000000Z", "0.1.0", {"min_count": 1})
    write_feed(fmt, export_items(store, now=NOW), p, out)
    return out.getvalue()


def import_text(store: Store, text: str, name: str, tmp_path: Path, agency: str = "mumbai"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    fmt, rows = read_feed(path)
    return import_rows(store, rows, agency=agency, feed=name, fmt=fmt, normalise=normalise)


def test_json_feed_has_the_envelope_counts_risk_and_no_complainant(stores):
    store, _ = stores
    text = export_text(store, "json")
    feed = json.loads(text)
    assert feed["format"] == "scamtrail-feed" and feed["version"] == 1
    assert feed["agency"] == "mumbai" and feed["generated_at"].startswith("2026-03-10")
    assert feed["tool"] == {"name": "scamtrail", "version": "0.1.0"}
    items = {(i["kind"], i["value"]): i for i in feed["identifiers"]}
    assert set(items) == {("phone", A), ("phone", B), ("upi", "kyc@ybl")}
    a = items[("phone", A)]
    assert a["complaint_count"] == 2 and a["categories"] == ["bank_fraud"]
    assert a["first_seen"].startswith("2026-03-01") and a["last_seen"].startswith("2026-03-02")
    assert a["risk"]["tier"] in TIERS and 0 < a["risk"]["score"] <= 100
    # two bank-fraud complaints weigh more than one traffic complaint
    assert a["risk"]["score"] > items[("phone", B)]["risk"]["score"]
    assert not any(s in text for s in SECRETS)
    assert set(a) == {"kind", "value", "complaint_count", "first_seen", "last_seen"} | {
        "categories",
        "risk",
    }


def test_export_filters(stores):
    store, _ = stores
    assert [i.value for i in export_items(store, min_count=2, now=NOW)] == [A]
    assert [i.value for i in export_items(store, category="traffic", now=NOW)] == [B]
    assert [i.value for i in export_items(store, kind="upi", now=NOW)] == ["kyc@ybl"]
    assert {i.value for i in export_items(store, since="2026-03-02", now=NOW)} == {A, "kyc@ybl"}


def test_csv_feed_has_a_header_and_provenance_on_every_row(stores):
    store, _ = stores
    text = export_text(store, "csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 3
    assert {r["agency"] for r in rows} == {"mumbai"}
    assert {r["tool_version"] for r in rows} == {"0.1.0"}
    row = next(r for r in rows if r["value"] == A)
    assert row["complaint_count"] == "2" and row["risk_tier"] in TIERS
    assert not any(s in text for s in SECRETS)


def test_stix_bundle_has_the_stix_2_1_shape(stores):
    store, _ = stores
    text = export_text(store, "stix")
    bundle = json.loads(text)
    assert bundle["type"] == "bundle" and STIX_ID.match(bundle["id"])
    assert "spec_version" not in bundle  # a 2.1 bundle carries none
    objects = bundle["objects"]
    ids = {o["id"] for o in objects}
    assert len(ids) == len(objects)
    (identity,) = [
        o for o in objects if o["type"] == "identity" and o["identity_class"] != "system"
    ]  # the other is scamtrail's, author of the extension definitions
    assert identity["name"] == "mumbai" and identity["identity_class"] == "organization"
    indicators = [o for o in objects if o["type"] == "indicator"]
    assert len(indicators) == 3
    for o in objects:
        assert STIX_ID.match(o["id"]).group(1) == o["type"]
        assert o["spec_version"] == "2.1"
        assert STIX_TIME.match(o["created"]) and STIX_TIME.match(o["modified"])
        assert o["modified"] >= o["created"]
        for name in o:
            assert re.match(r"^[a-z0-9_]{3,250}$", name) or name == "id", name
    patterns = {}
    for o in indicators:
        for required in ("pattern", "pattern_type", "valid_from", "created_by_ref"):
            assert required in o
        assert o["pattern_type"] == "stix" and STIX_TIME.match(o["valid_from"])
        assert o["created_by_ref"] == identity["id"]
        assert isinstance(o["confidence"], int) and 0 <= o["confidence"] <= 100
        assert any(label.startswith("risk-") for label in o["labels"])
        match = STIX_PATTERN.match(o["pattern"])
        assert match, o["pattern"]
        patterns[match.group(1)] = match.group(3)
        assert o["indicator_types"] == ["malicious-activity"]
        assert uuid.UUID(o["id"].split("--")[1])
    assert patterns == {
        "x-scamtrail-phone": patterns["x-scamtrail-phone"],
        "x-scamtrail-upi": "kyc@ybl",
    }
    assert not any(s in text for s in SECRETS)


def test_misp_event_has_the_fields_misp_imports(stores):
    store, _ = stores
    text = export_text(store, "misp")
    event = json.loads(text)["Event"]
    assert event["info"] and re.match(r"^\d{4}-\d\d-\d\d$", event["date"])
    assert event["threat_level_id"] in {"1", "2", "3", "4"}
    assert event["analysis"] in {"0", "1", "2"}
    assert event["distribution"] in {"0", "1", "2", "3", "4"}
    assert event["Orgc"]["name"] == "mumbai" and uuid.UUID(event["Orgc"]["uuid"])
    assert {"name": "tlp:amber"} in event["Tag"]
    attributes = event["Attribute"]
    assert len(attributes) == 3
    for a in attributes:
        assert a["type"] in MISP_CATEGORIES[a["category"]], (a["type"], a["category"])
        assert isinstance(a["to_ids"], bool) and a["comment"].startswith("scamtrail kind=")
        assert uuid.UUID(a["uuid"])
    assert {a["type"] for a in attributes} == {"phone-number", "text"}
    assert not any(s in text for s in SECRETS)


@pytest.mark.parametrize("fmt", FORMATS)
def test_round_trip_keeps_counts_apart_and_raises_a_partner_hit_once(stores, tmp_path, fmt):
    ours, other = stores
    text = export_text(ours, fmt, agency="mumbai")
    theirs = other()
    theirs.write(
        [enriched("p:1", phones=(A,), author="meera"), enriched("p:2", phones=("+917777777777",))]
    )
    summary = import_text(theirs, text, f"mumbai.{fmt}", tmp_path)
    assert (summary.format, summary.rows, summary.imported, summary.rejected) == (fmt, 3, 3, [])
    assert summary.matched == 1 and summary.alerts == 1
    # their own registry did not change: our counts live beside it
    assert theirs.lookup("phone", A).complaint_count == 1
    assert theirs.registry("upi", ["kyc@ybl"]) == {}
    got = theirs.partner_entries([("phone", A), ("upi", "kyc@ybl"), ("phone", B)])
    (pa,) = got[("phone", A)]
    assert (pa.agency, pa.complaint_count, pa.categories) == ("mumbai", 2, ("bank_fraud",))
    assert pa.first_seen.startswith("2026-03-01") and pa.last_seen.startswith("2026-03-02")
    assert pa.risk_tier in TIERS and pa.feed == f"mumbai.{fmt}" and pa.imported_at
    assert got[("phone", B)][0].categories == ("traffic",)
    alerts = [a for a in theirs.alerts() if a.rule == "partner_hit"]
    assert [a.id for a in alerts] == [f"partner_hit:phone:{A}:mumbai"]
    assert alerts[0].complaint_count == 1
    # the same feed again: nothing written, no new alert
    again = import_text(theirs, text, f"mumbai.{fmt}", tmp_path)
    assert (again.imported, again.unchanged, again.alerts, again.matched) == (0, 3, 0, 1)
    assert len([a for a in theirs.alerts() if a.rule == "partner_hit"]) == 1
    assert ours.partner_entries([("phone", A)]) == {}  # the exporter holds no partner entries


def test_import_normalises_values_and_reports_bad_rows(stores, tmp_path):
    store, _ = stores
    text = (
        "kind,value,complaint_count,first_seen,last_seen,categories\n"
        ",98765 43210,4,2026-02-01,2026-02-05,bank_fraud\n"
        "phone,' OR 1=1 --,1,,,\n"
        ",KYC@YBL,2,,,bank_fraud;other\n"
        ",+91 70000 00001,many,,,\n"
        ",+91 70000 00002,1,yesterday,,\n"
        "martian,+91 70000 00003,1,,,\n"
        ',"' + "9" * 5000 + '",1,,,\n'
        ",७०००० ००००४,1,,,\n"
    )
    summary = import_text(store, text, "pune.csv", tmp_path, agency="pune")
    assert summary.rows == 8 and summary.imported == 3
    assert [r.where for r in summary.rejected] == ["line 3", "line 5", "line 6", "line 7", "line 8"]
    reasons = " | ".join(r.reason for r in summary.rejected)
    assert "complaint_count" in reasons and "first_seen" in reasons and "martian" in reasons
    got = store.partner_entries([("phone", A), ("upi", "kyc@ybl"), ("phone", "+917000000004")])
    assert got[("phone", A)][0].complaint_count == 4
    assert got[("upi", "kyc@ybl")][0].categories == ("bank_fraud", "other")
    assert ("phone", "+917000000004") in got  # Devanagari digits read as digits
    assert summary.matched == 2 and summary.alerts == 2
    assert store.lookup("phone", A).complaint_count == 2  # ours unchanged


@pytest.mark.parametrize(
    "text",
    [
        '{"format": "scamtrail-feed", "version": 1, "identifiers": [{"value": 5}, "x", {"value": "98765 43210", "complaint_count": -1}]}',
        '{"type": "bundle", "objects": [{"type": "indicator", "pattern": "[file:name = \'a\']"}, {"type": "indicator", "pattern": "[url:value = \'a\' AND url:value = \'b\']"}, {"type": "indicator", "pattern_type": "sigma", "pattern": "x"}]}',
        '{"Event": {"Attribute": [{"type": "md5", "value": "d41d8cd98f00b204e9800998ecf8427e"}, {"type": "phone-number", "value": "\\u0000"}, {"type": "text", "value": "nothing here"}]}}',
    ],
    ids=["json", "stix", "misp"],
)
def test_bad_rows_of_every_format_are_reported_with_their_index(stores, tmp_path, text):
    store, _ = stores
    summary = import_text(store, text, "bad.json", tmp_path, agency="pune")
    assert summary.imported == 0 and len(summary.rejected) == 3
    assert all(re.search(r"\[\d+\]", r.where) for r in summary.rejected)
    assert store.stats().identifiers == 3


def test_false_positives_and_official_numbers_are_never_shared_nor_alerted(stores, tmp_path):
    from scamtrail.index.allowlist import Allowlist, default_allowlist
    from scamtrail.index.base import IdentifierMark

    store, _ = stores
    official = next(e for e in default_allowlist() if e.value.startswith("+91"))
    store.write([enriched("x:9", "called the bank helpline", phones=(official.value,))])
    store.set_mark(
        IdentifierMark("upi", "kyc@ybl", "false_positive", "a shop", "inspector", "2026-03-05")
    )
    shared = {i.value for i in export_items(store, allowlist=default_allowlist(), now=NOW)}
    assert shared == {A, B}
    assert shared == {i.value for i in export_items(store, now=NOW)}  # the shipped list by default
    assert official.value in {i.value for i in export_items(store, allowlist=Allowlist(), now=NOW)}

    feed = f"kind,value,complaint_count\nphone,{official.value},9\nupi,kyc@ybl,4\nphone,{A},3\n"
    path = tmp_path / "delhi.csv"
    path.write_text(feed, encoding="utf-8")
    fmt, rows = read_feed(path)
    summary = import_rows(
        store,
        rows,
        agency="delhi",
        feed=path.name,
        fmt=fmt,
        normalise=normalise,
        allowlist=default_allowlist(),
    )
    assert (summary.imported, summary.matched, summary.alerts) == (3, 3, 1)
    assert [a.id for a in store.alerts() if a.rule == "partner_hit"] == [
        f"partner_hit:phone:{A}:delhi"
    ]


@pytest.mark.parametrize("fmt", FORMATS)
def test_awkward_values_survive_every_format(tmp_path, fmt):
    from scamtrail.index.feed_formats import FeedItem

    value = 'https://ex.com/a\'b\\c?q="x",y;z\nदेवनागरी'
    item = FeedItem("url", value, 4, None, "2026-03-02T10:00:00.000000Z", ("other",), 12.5, "low")
    out = io.StringIO()
    write_feed(fmt, [item], Provenance('a,b "c"', "2026-03-10T00:00:00.000000Z", "0.1.0"), out)
    path = tmp_path / f"feed.{fmt}"
    path.write_text(out.getvalue(), encoding="utf-8")
    found, rows = read_feed(path)
    (row,) = list(rows)
    assert found == fmt and row.value == value and row.kind == "url"
    assert int(row.complaint_count) == 4 and float(row.risk_score) == 12.5
    assert row.last_seen.startswith("2026-03-02") and row.categories == ("other",)
