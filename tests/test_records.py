"""The data contract: round trips, validation that names the bad field, schema versions."""

from __future__ import annotations

import json

import pytest

from scamtrail.errors import RecordError
from scamtrail.records import (
    MAX_TEXT_CHARS,
    Complaint,
    Enriched,
    Identifier,
    decode_complaint,
    decode_enriched,
)


def _complaint(**over):
    base = {
        "id": "x:1",
        "source": "x",
        "text": "caller asked OTP",
        "created_at": "2026-03-01T10:00:00+05:30",
    }
    base.update(over)
    return base


def test_complaint_round_trip_and_utc_normalisation():
    c = decode_complaint(json.dumps(_complaint(author={"id": "7", "username": "a"})))
    assert c.created_at == "2026-03-01T04:30:00.000000Z"
    wire = json.loads(c.to_json())
    assert wire["schema"] == 1
    assert decode_complaint(c.to_json()) == c


def test_enriched_round_trip():
    c = Complaint.model_validate(_complaint())
    e = Enriched.from_complaint(
        c,
        category="bank_fraud",
        scores={"bank_fraud": 0.9},
        identifiers=[
            Identifier(kind="phone", value="+919876543210", text="98765 43210", start=0, end=11)
        ],
        model="m-1",
    )
    back = decode_enriched(e.to_json())
    assert back == e
    assert back.identifiers[0].value == "+919876543210"


@pytest.mark.parametrize(
    ("payload", "reason", "field"),
    [
        (b"{not json", "malformed_json", "not JSON"),
        (b"\xff\xfe\x00garbage", "invalid_utf8", "UTF-8"),
        (b"[1, 2]", "not_an_object", "list"),
        (
            json.dumps({"id": "x:1", "source": "x", "created_at": "2026-01-01T00:00:00Z"}),
            "missing_field",
            "text",
        ),
        (json.dumps(_complaint(created_at="yesterday")), "invalid_field", "created_at"),
        (json.dumps(_complaint(schema=99)), "unknown_schema", "schema"),
        (json.dumps(_complaint(text="a" * (MAX_TEXT_CHARS + 1))), "invalid_field", "text"),
        (json.dumps(_complaint(id="  ")), "invalid_field", "id"),
    ],
)
def test_bad_payloads_name_the_problem(payload, reason, field):
    with pytest.raises(RecordError) as info:
        decode_complaint(payload)
    assert info.value.reason == reason
    assert field in str(info.value)


def test_unknown_fields_are_ignored():
    c = decode_complaint(json.dumps(_complaint(extra_field={"a": 1})))
    assert c.id == "x:1"


def _general_utc_iso(text: str) -> str:
    """The general normalisation (parse, convert to UTC, format), for the fast path to match."""
    from datetime import UTC, datetime

    text = text.strip()
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    parsed = datetime.fromisoformat(text)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@pytest.mark.parametrize(
    "text",
    [
        "2026-03-01T10:00:00.123456Z",  # canonical: returned as is
        "2026-03-01T10:00:00Z",
        "2026-03-01T10:00:00.5Z",
        "2026-03-01T10:00:00.000Z",  # X API created_at
        "2024-02-29T23:59:59.999999Z",
        "1000-01-01T00:00:00Z",
        "0999-12-31T23:00:00Z",  # strftime prints short years its own way: the general path
        "2026-03-01T10:00:00.123456+05:30",
        " 2026-03-01T10:00:00Z ",
    ],
)
def test_utc_timestamps_normalise_as_the_general_path_does(text):
    from scamtrail.records import to_utc_iso

    assert to_utc_iso(text) == _general_utc_iso(text)


@pytest.mark.parametrize(
    "text", ["2026-02-30T10:00:00.000000Z", "2025-02-29T00:00:00Z", "2026-13-01T00:00:00Z"]
)
def test_impossible_dates_in_the_canonical_shape_are_rejected(text):
    from scamtrail.records import to_utc_iso

    with pytest.raises(ValueError, match="not an ISO-8601 timestamp"):
        to_utc_iso(text)


def test_json_the_fast_parser_rejects_is_read_as_json_reads_it():
    # A lone surrogate escape is valid JSON that the fast parser refuses: json reads it, and the
    # record is then refused for its text (no text can hold it), not as malformed JSON.
    with pytest.raises(RecordError) as info:
        decode_complaint(json.dumps(_complaint(text="caller \ud800 asked OTP")).encode())
    assert info.value.reason == "invalid_utf8" and "lone surrogate" in str(info.value)
    with pytest.raises(RecordError) as info:
        decode_complaint(b"\xef\xbb\xbf" + json.dumps(_complaint()).encode())
    assert info.value.reason == "malformed_json"
    assert "BOM" in str(info.value)
    with pytest.raises(RecordError) as info:
        decode_complaint(json.dumps(_complaint(schema="1")))
    assert info.value.reason == "unknown_schema"


def test_enriched_without_needs_review_decodes_as_not_flagged():
    # records written before the field existed carry no needs_review key
    old = {
        "schema": 1,
        "id": "x:1",
        "source": "x",
        "text": "bike wrong side",
        "created_at": "2026-01-01T00:00:00Z",
        "category": "traffic",
        "scores": {"bank_fraud": 0.1, "traffic": 0.8, "other": 0.1},
    }
    assert Enriched.model_validate(old).needs_review is False
    flagged = Enriched.model_validate({**old, "needs_review": True})
    assert Enriched.model_validate_json(flagged.to_json()).needs_review is True


def test_utcnow_iso_is_now_in_the_canonical_shape():
    import time as _time
    from datetime import UTC as _UTC
    from datetime import datetime as _datetime
    from datetime import timedelta as _timedelta

    from scamtrail.records import to_utc_iso, utcnow_iso

    for _ in range(3):
        before = _datetime.now(_UTC)
        stamp = utcnow_iso()
        after = _datetime.now(_UTC)
        parsed = _datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=_UTC)
        tick = _timedelta(microseconds=1)  # datetime rounds to the microsecond, this truncates
        assert before - tick <= parsed <= after
        assert to_utc_iso(stamp) == stamp  # already canonical: 26 characters, six digits
        assert len(stamp) == 27 and stamp.endswith("Z")
        _time.sleep(0.6)  # across a second boundary at least once


@pytest.mark.parametrize("escape", ["\\ud800", "\\udfff", "\\udc00 tail"])
def test_a_lone_surrogate_in_the_text_is_a_clear_error(escape):
    line = '{"id": "s", "source": "x", "created_at": "2026-03-01T10:00:00Z", "text": "call '
    line += escape + ' 98765 43210"}'
    with pytest.raises(RecordError) as info:
        decode_complaint(line)
    assert info.value.reason == "invalid_utf8"
    assert "lone surrogate \\u" + escape[2:6] in str(info.value)


def test_a_surrogate_pair_is_one_character_and_kept():
    record = decode_complaint(
        '{"id": "p", "text": "fraud \\ud83d\\ude00", "source": "x", "created_at": "2026-03-01"}'
    )
    assert record.text == "fraud 😀"
