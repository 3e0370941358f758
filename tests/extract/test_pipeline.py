"""The extract stage: batches in order, records equal to validated ones, failures isolated."""

from __future__ import annotations

import json

import pytest
from scamtrail.extract.classifier import CORPUS_DIR
from scamtrail.extract.pipeline import ComplaintExtractor

from scamtrail.records import Complaint, Enriched, decode_enriched


@pytest.fixture(scope="module")
def extractor() -> ComplaintExtractor:
    return ComplaintExtractor(batch_size=32)


def _complaints() -> list[Complaint]:
    with (CORPUS_DIR / "test.jsonl").open(encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh][:120]
    out = [
        Complaint(
            id=f"x:{i}",
            source="x",
            text=r["text"],
            created_at="2026-03-01T15:30:00+05:30",
            author={"id": str(i), "username": f"user{i}"},
            lang=r["lang"],
            raw={"data": {"id": str(i), "text": r["text"]}},
        )
        for i, r in enumerate(rows)
    ]
    out.append(Complaint(id="x:empty", source="x", text="", created_at="2026-03-01T10:00:00Z"))
    return out


def test_enriched_records_equal_validated_records(extractor):
    complaints = _complaints()
    enriched, failures = extractor.enrich(complaints)
    assert not failures
    assert [e.id for e in enriched] == [c.id for c in complaints]
    for complaint, record in zip(complaints, enriched, strict=True):
        validated = Enriched.from_complaint(
            complaint,
            category=record.category,
            scores=record.scores,
            needs_review=record.needs_review,
            identifiers=[i.model_dump() for i in record.identifiers],
            entities=[e.model_dump() for e in record.entities],
            model=record.model,
        )
        assert record.model_dump() == validated.model_dump()
        assert record == validated
        assert record.model_fields_set == validated.model_fields_set
        for built, checked in zip(record.identifiers, validated.identifiers, strict=True):
            assert built == checked and built.model_fields_set == checked.model_fields_set
        for built, checked in zip(record.entities, validated.entities, strict=True):
            assert built == checked and built.model_fields_set == checked.model_fields_set
        assert record.to_json() == validated.to_json()
        assert decode_enriched(record.to_json()).model_dump() == validated.model_dump()
        assert record.created_at == "2026-03-01T10:00:00.000000Z"


def test_categories_follow_the_scores_and_ties_go_to_other(extractor):
    enriched, _ = extractor.enrich(_complaints())
    for record in enriched[:-1]:
        assert record.category == max(record.scores, key=record.scores.get)
    empty = enriched[-1]
    assert empty.category == "other" and len(set(empty.scores.values())) == 1
    assert empty.identifiers == [] and empty.model.startswith("scamtrail_textcat-")


def test_offline_extract_answers_each_line_even_when_ids_repeat(extractor):
    from scamtrail.runtime.extract_file import extract_lines

    lines = [
        json.dumps({"id": "same", "text": "call 9876543210 asked OTP"}).encode(),
        json.dumps({"id": "same", "text": "bike MH 02 AB 1234 on the footpath"}).encode(),
        b"{broken",
        json.dumps({"id": "same", "text": "pay to fraud@ybl"}).encode(),
    ]
    rows = [json.loads(x) for x in extract_lines(extractor, lines)]
    assert [r.get("id") for r in rows] == ["same", "same", None, "same"]
    assert [[(i["kind"], i["value"]) for i in r.get("identifiers", [])] for r in rows] == [
        [("phone", "+919876543210")],
        [("vehicle", "MH02AB1234")],
        [],
        [("upi", "fraud@ybl")],
    ]
    assert [r["text"] for r in (rows[0], rows[1], rows[3])] == [
        "call 9876543210 asked OTP",
        "bike MH 02 AB 1234 on the footpath",
        "pay to fraud@ybl",
    ]


def test_needs_review_marks_records_whose_top_score_is_below_the_threshold(extractor):
    complaints = _complaints()
    enriched, _ = extractor.enrich(complaints)
    for record in enriched:
        assert record.needs_review == (max(record.scores.values()) < extractor.review_below)
    everyone = ComplaintExtractor(batch_size=32, review_below=1.01)
    assert all(r.needs_review for r in everyone.enrich(complaints)[0])
    nobody = ComplaintExtractor(batch_size=32, review_below=0.0)
    assert not any(r.needs_review for r in nobody.enrich(complaints)[0])


def test_a_text_that_breaks_an_extractor_fails_alone(extractor, monkeypatch):
    complaints = _complaints()[:6]
    bad = complaints[2].text
    real_find = extractor.identifiers._find
    real_entities = extractor.identifiers._entities
    also_bad = complaints[4].text

    def find(text):
        if text == bad:
            raise IndexError("broken finder")
        return real_find(text)

    def entities(scan):
        if scan.text == also_bad:
            raise ValueError("broken entity finder")
        return real_entities(scan)

    monkeypatch.setattr(extractor.identifiers, "_find", find)
    monkeypatch.setattr(extractor.identifiers, "_entities", entities)
    enriched, failures = extractor.enrich(complaints)
    assert [f.complaint.id for f in failures] == [complaints[2].id, complaints[4].id]
    assert [str(f.error) for f in failures][0].endswith("IndexError: broken finder")
    assert "ValueError: broken entity finder" in str(failures[1].error)
    assert [e.id for e in enriched] == [c.id for i, c in enumerate(complaints) if i not in (2, 4)]
    monkeypatch.undo()
    again, _ = extractor.enrich([complaints[0], complaints[1]])
    alone = [extractor.enrich([c])[0][0] for c in (complaints[0], complaints[1])]
    assert [e.model_dump(exclude={"received_at"}) for e in again] == [
        e.model_dump(exclude={"received_at"}) for e in alone
    ]


def test_batch_extraction_equals_text_by_text():
    from scamtrail.extract.identifiers import IdentifierExtractor
    from scamtrail.extract.snapshot import snapshot_texts

    texts = snapshot_texts(distinct=300, random_texts=700)[::5]
    batch = IdentifierExtractor().extract_batch(texts)
    alone = IdentifierExtractor()
    assert batch == [(alone.identifiers(t), alone.entities(t)) for t in texts]
