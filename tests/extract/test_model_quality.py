"""Quality floors on the corpus test split (held-out templates): CI fails below them."""

from __future__ import annotations

import pytest
from scamtrail.extract.classifier import CORPUS_DIR
from scamtrail.extract.evaluate import evaluate
from scamtrail.extract.pipeline import ComplaintExtractor

MACRO_F1_FLOOR = 0.93
PHONE_FLOOR = 0.995  # precision and recall
OTHER_KIND_F1_FLOOR = 0.95


@pytest.fixture(scope="module")
def report():
    return evaluate(ComplaintExtractor(), str(CORPUS_DIR / "test.jsonl"))


def test_classifier_macro_f1_on_unseen_templates(report):
    assert report.examples >= 500
    assert report.macro_f1 >= MACRO_F1_FLOOR, report.misclassified[:10]


def test_phone_precision_and_recall(report):
    phone = report.identifiers["phone"]
    assert phone["gold"] >= 100
    assert phone["precision"] >= PHONE_FLOOR and phone["recall"] >= PHONE_FLOOR, (
        report.identifier_errors[:10]
    )


@pytest.mark.parametrize("kind", ["vehicle", "upi", "url"])
def test_other_identifier_kinds(report, kind):
    assert report.identifiers[kind]["f1"] >= OTHER_KIND_F1_FLOOR, report.identifier_errors[:10]
