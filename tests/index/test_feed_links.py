"""Links in exported feeds, on every store: STIX ``related-to`` relationships between the
indicators of linked identifiers and MISP annotation objects referencing both attributes, judged
by ``stix2-validator --strict`` and PyMISP; only identifiers the feed carries are tied."""

from __future__ import annotations

import io
import json
from pathlib import Path

from pymisp import MISPEvent
from scamtrail.index.base import IdentifierMark
from scamtrail.index.feed_formats import stix_id
from scamtrail.index.feed_readers import FeedRow, read_feed
from scamtrail.index.sharing import export_feed
from stix2validator import ValidationOptions, validate_string

from tests.conftest import enriched

A, B, C = "+919876543210", "+918765432109", "+917654321098"
U = "9876543210@ybl"
AGENCY = "Mumbai Cyber Cell"


def _filled(store_factory):
    store = store_factory()
    store.write(
        [
            enriched("x:1", phones=(A,), upis=(U,), created_at="2026-03-01T10:00:00Z"),
            enriched("x:2", phones=(A, C), upis=(U,), created_at="2026-03-02T10:00:00Z"),
            enriched("x:3", phones=(B,)),
        ]
    )
    # C is a false positive: the feed leaves it out, so nothing may point at it
    store.set_mark(
        IdentifierMark("phone", C, "false_positive", "a shop", "inspector", "2026-03-05")
    )
    return store


def _export(store, fmt: str, **filters) -> str:
    out = io.StringIO()
    export_feed(store, fmt, out, agency=AGENCY, tool_version="0.1.0", **filters)
    return out.getvalue()


def _indicator(kind: str, value: str) -> str:
    return stix_id("indicator", f"{AGENCY}|{kind}|{value}")


def test_stix_relationships_tie_linked_indicators_and_pass_the_strict_validator(store_factory):
    store = _filled(store_factory)
    text = _export(store, "stix")
    results = validate_string(text, ValidationOptions(version="2.1", strict=True))
    assert results.is_valid and not results.warnings, (results.errors, results.warnings)
    objects = json.loads(text)["objects"]
    indicators = {o["id"] for o in objects if o["type"] == "indicator"}
    relationships = [o for o in objects if o["type"] == "relationship"]
    assert [(r["relationship_type"], r["source_ref"], r["target_ref"]) for r in relationships] == [
        ("related-to", _indicator("phone", A), _indicator("upi", U))
    ]
    assert {relationships[0]["source_ref"], relationships[0]["target_ref"]} <= indicators
    assert "2 citizen complaint(s)" in relationships[0]["description"]
    assert C not in text
    # a filter that leaves U out leaves the relationship out too
    phones_only = json.loads(_export(store, "stix", kind="phone"))["objects"]
    assert not [o for o in phones_only if o["type"] == "relationship"]


def test_misp_link_objects_reference_both_attributes_and_load_in_pymisp(
    store_factory, tmp_path: Path
):
    store = _filled(store_factory)
    text = _export(store, "misp")
    event = MISPEvent()
    event.load(text)
    by_value = {a.value: a.uuid for a in event.attributes}
    assert set(by_value) == {A, B, U}
    (link,) = event.objects
    assert link.name == "annotation"
    assert sorted((r.referenced_uuid, r.relationship_type) for r in link.references) == sorted(
        [(by_value[A], "related-to"), (by_value[U], "related-to")]
    )
    # our reader takes identifiers only, never the annotation's text
    path = tmp_path / "feed.json"
    path.write_text(text, encoding="utf-8")
    _, rows = read_feed(path)
    read = list(rows)
    assert all(isinstance(r, FeedRow) for r in read), read
    assert sorted(r.value for r in read) == sorted([A, B, U])


def test_json_and_csv_feeds_carry_no_links(store_factory):
    store = _filled(store_factory)
    assert "related" not in _export(store, "json") and "related" not in _export(store, "csv")
