"""Our feeds judged by the standards' own tools, as a partner's tools judge them.

- STIX bundles: OASIS ``stix2-validator`` in strict mode (no error, no warning), and the
  ``stix2`` library parses them without ``allow_custom``.
- MISP events: PyMISP loads them and every attribute's type and category pair is one MISP's
  describeTypes allows.
- Our reader reads our new bundles and bundles written before the extension definitions.
"""

from __future__ import annotations

import io
import json
import uuid
from pathlib import Path

import pytest
import stix2
from pymisp import MISPEvent
from scamtrail.index.feed_formats import FeedItem, Provenance, stix_id, write_feed
from scamtrail.index.feed_readers import FeedRow, read_feed
from scamtrail.index.stix_extensions import STIX_PROPERTY_EXTENSION, STIX_SCO_EXTENSION
from stix2validator import ValidationOptions, validate_string

DATA = Path(__file__).parent / "data"
T1, T2 = "2026-03-01T10:00:00.000000Z", "2026-03-05T10:00:00.000000Z"
ITEMS = [
    FeedItem("phone", "+919876543210", 3, T1, T2, ("bank_fraud",), 55.0, "high"),
    FeedItem("upi", "kyc@ybl", 2, T1, None, (), None, None),
    FeedItem("url", 'https://ex.com/a\'b\\c?q="x"', 2, None, T2, ("other",), 12.5, "low"),
    FeedItem("email", "kyc.desk@example.com", 4, T1, T2, ("bank_fraud", "other"), 70.0, "high"),
    FeedItem("vehicle", "MH02AB1234", 2, T1, T2, ("traffic",), 8.0, "low"),
    FeedItem("bank_account", "123456789012", 5, T1, T2, ("bank_fraud",), 91.0, "very_high"),
]
PROVENANCE = Provenance("Mumbai Cyber Cell", "2026-03-10T00:00:00.000000Z", "0.1.0")


def _export(fmt: str, items: list[FeedItem] = ITEMS) -> str:
    out = io.StringIO()
    assert write_feed(fmt, items, PROVENANCE, out) == len(items)
    return out.getvalue()


def _findings(text: str) -> tuple[list[str], list[str]]:
    results = validate_string(text, ValidationOptions(version="2.1", strict=True))
    errors = [str(e) for e in results.errors or []]
    warnings = [str(w) for w in results.warnings or []]
    assert results.is_valid == (not errors)
    return errors, warnings


@pytest.mark.parametrize("items", [ITEMS, []], ids=["six-kinds", "empty"])
def test_stix_bundle_passes_the_strict_validator(items: list[FeedItem]) -> None:
    errors, warnings = _findings(_export("stix", items))
    assert errors == [] and warnings == []


def test_the_old_bundles_failed_the_strict_validator() -> None:
    errors, _ = _findings((DATA / "stix_bundle_before_extensions.json").read_text())
    assert any("extension" in e for e in errors) and any("UUIDv4" in e for e in errors)


def test_stix_library_parses_the_bundle_without_allow_custom() -> None:
    bundle = stix2.parse(_export("stix"), allow_custom=False)
    kinds = [o.type for o in bundle.objects]
    assert kinds.count("extension-definition") == 2 and kinds.count("indicator") == len(ITEMS)


def test_every_extended_object_names_the_property_extension() -> None:
    objects = json.loads(_export("stix"))["objects"]
    ids = {o["id"] for o in objects}
    assert {STIX_PROPERTY_EXTENSION, STIX_SCO_EXTENSION} <= ids
    for o in objects:
        custom = [name for name in o if name.startswith("x_scamtrail_")]
        if custom:
            assert o["extensions"] == {
                STIX_PROPERTY_EXTENSION: {"extension_type": "toplevel-property-extension"}
            }
        assert uuid.UUID(o["id"].split("--")[1]).version == 4


def test_ids_are_deterministic_so_a_re_export_versions_the_same_indicator() -> None:
    first = [o["id"] for o in json.loads(_export("stix"))["objects"]]
    again = [o["id"] for o in json.loads(_export("stix"))["objects"]]
    assert first == again
    assert stix_id("indicator", "Mumbai Cyber Cell|phone|+919876543210") in first


def _rows(tmp_path: Path, text: str) -> dict[str, FeedRow]:
    path = tmp_path / "feed.json"
    path.write_text(text, encoding="utf-8")
    fmt, rows = read_feed(path)
    assert fmt == "stix"
    read = list(rows)
    assert all(isinstance(r, FeedRow) for r in read), read
    return {r.value: r for r in read}  # type: ignore[union-attr]


def test_reader_reads_our_new_bundles(tmp_path: Path) -> None:
    rows = _rows(tmp_path, _export("stix"))
    assert set(rows) == {i.value for i in ITEMS}
    for i in ITEMS:
        row = rows[i.value]
        assert (row.kind, row.complaint_count, row.categories) == (
            i.kind,
            i.complaint_count,
            i.categories,
        )
        assert row.risk_tier == i.risk_tier


def test_reader_reads_bundles_written_before_the_extensions(tmp_path: Path) -> None:
    rows = _rows(tmp_path, (DATA / "stix_bundle_before_extensions.json").read_text())
    assert rows["+919876543210"].complaint_count == 3
    assert rows["+919876543210"].categories == ("bank_fraud",)
    assert rows["kyc@ybl"].kind == "upi" and rows["kyc@ybl"].categories == ()


def test_misp_event_loads_in_pymisp_with_allowed_types() -> None:
    event = MISPEvent()
    event.load(_export("misp"))
    assert event.info and event.Orgc.name == "Mumbai Cyber Cell"
    assert len(event.attributes) == len(ITEMS)
    described = event.describe_types
    for attribute in event.attributes:
        assert attribute.type in described["types"]
        assert attribute.category in described["categories"]
        assert attribute.type in described["category_type_mappings"][attribute.category]
    assert {t.name for t in event.tags} >= {"tlp:amber"}
    assert {a.value for a in event.attributes} == {i.value for i in ITEMS}
