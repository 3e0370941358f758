"""``scamtrail eval``'s slices: per language and per style, each with its confusion matrix."""

from __future__ import annotations

import json

import pytest
from scamtrail.extract.evaluate import (
    evaluate,
    format_report,
    slice_confusion,
    slice_reports,
)
from scamtrail.extract.pipeline import ComplaintExtractor

ROWS = [
    {"category": "bank_fraud", "style": "forward", "lang": "en"},
    {"category": "bank_fraud", "style": "forward", "lang": "en"},
    {"category": "other", "style": "forward", "lang": "hi"},
    {"category": "other", "style": "forward", "lang": "hi"},
    {"category": "traffic", "style": "bystander", "lang": "hi"},
    {"category": "traffic", "style": "bystander"},
]
PRED = ["bank_fraud", "other", "other", "other", "traffic", "other"]


def test_a_slice_averages_only_the_classes_it_has_texts_of():
    forward = slice_reports(ROWS, PRED, "style")["forward"]
    # bank_fraud: P 1, R 0.5 -> F1 2/3; other: P 2/3, R 1 -> F1 0.8; no traffic text
    assert forward["traffic"]["support"] == 0
    assert forward["macro"]["f1"] == pytest.approx((2 / 3 + 0.8) / 2)
    assert forward["macro"]["accuracy"] == pytest.approx(3 / 4)
    bystander = slice_reports(ROWS, PRED, "style")["bystander"]
    assert bystander["macro"]["accuracy"] == pytest.approx(1 / 2)


def test_rows_without_the_key_are_left_out_of_its_slices():
    langs = slice_reports(ROWS, PRED, "lang")
    assert set(langs) == {"en", "hi"}
    assert sum(langs["hi"][c]["support"] for c in ("bank_fraud", "traffic", "other")) == 3


def test_each_slice_has_its_confusion_matrix():
    confusion = slice_confusion(ROWS, PRED, "style")
    assert confusion["forward"]["bank_fraud"] == {"bank_fraud": 1, "traffic": 0, "other": 1}
    assert confusion["bystander"]["traffic"] == {"bank_fraud": 0, "traffic": 1, "other": 1}
    assert sum(sum(r.values()) for r in confusion["forward"].values()) == 4


def test_the_report_prints_each_slice_with_its_errors(tmp_path):
    path = tmp_path / "labelled.jsonl"
    texts = [
        ("SBI KYC expired, share the OTP to unblock your card", "bank_fraud", "en", "forward"),
        (
            "signal at the chowk is dead since morning, cars everywhere",
            "traffic",
            "en",
            "bystander",
        ),
        ("mera phone bus me chori ho gaya", "other", "hi-Latn", "victim"),
    ]
    with path.open("w", encoding="utf-8") as fh:
        for text, category, lang, style in texts:
            row = {"text": text, "category": category, "lang": lang, "style": style}
            fh.write(json.dumps({**row, "identifiers": []}) + "\n")
    report = evaluate(ComplaintExtractor(), str(path))
    assert set(report.slice_confusion["lang"]) == {"en", "hi-Latn"}
    en = report.slice_confusion["lang"]["en"]
    assert sum(sum(r.values()) for r in en.values()) == 2
    text = format_report(report)
    assert "errors (gold>predicted)" in text
    assert "slice_confusion" in report.to_dict()
