"""Measuring the extract stage on a labelled JSONL file (``scamtrail eval``).

Each line has ``text``, ``category`` and ``identifiers`` (``kind``, ``value``; offsets optional),
as in ``extract/corpus``; ``lang`` and ``style`` (the free-written corpus has both) are optional.
Classification is scored per class and macro-averaged, overall and for each language and each
style, with the confusion matrix and the reliability of the scores (:mod:`.calibration`: ECE and
a table of accuracy against top score) and what the review flag does. Identifiers are scored per
kind as sets of (kind, value) per text, so a number found twice counts once, and an identifier
counts as right only with the right normalised value.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np
from scamtrail.extract.calibration import reliability, review_share
from scamtrail.extract.classifier import classification_report, read_labelled
from scamtrail.extract.pipeline import ComplaintExtractor

from scamtrail.records import CATEGORIES, Complaint


@dataclass
class EvalReport:
    """Scores and the errors behind them."""

    examples: int
    classes: dict[str, dict[str, float]]
    identifiers: dict[str, dict[str, float]]
    misclassified: list[dict[str, str]] = field(default_factory=list)
    identifier_errors: list[dict[str, object]] = field(default_factory=list)
    #: gold category -> predicted category -> count
    confusion: dict[str, dict[str, int]] = field(default_factory=dict)
    #: ``lang`` or ``style`` -> its value -> class report (the key ``macro`` included)
    slices: dict[str, dict[str, dict[str, dict[str, float]]]] = field(default_factory=dict)
    reliability: dict[str, object] = field(default_factory=dict)
    #: what the ``needs_review`` flag does on this file (see ``calibration.review_share``)
    review: dict[str, float] = field(default_factory=dict)

    @property
    def macro_f1(self) -> float:
        """Macro-averaged F1 over the three categories."""
        return self.classes["macro"]["f1"]

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form."""
        return {
            "examples": self.examples,
            "macro_f1": self.macro_f1,
            "classes": self.classes,
            "identifiers": self.identifiers,
            "confusion": self.confusion,
            "slices": self.slices,
            "reliability": self.reliability,
            "review": self.review,
            "misclassified": self.misclassified,
            "identifier_errors": self.identifier_errors,
        }


def slice_reports(
    rows: list[dict], pred: list[str], key: str
) -> dict[str, dict[str, dict[str, float]]]:
    """A class report for each value of ``rows[i][key]`` (rows without the key are skipped)."""
    groups: dict[str, list[int]] = {}
    for i, row in enumerate(rows):
        if row.get(key):
            groups.setdefault(str(row[key]), []).append(i)
    return {
        value: classification_report([rows[i]["category"] for i in idx], [pred[i] for i in idx])
        for value, idx in sorted(groups.items())
    }


def confusion_matrix(gold: list[str], pred: list[str]) -> dict[str, dict[str, int]]:
    """gold -> predicted -> count, over the three categories."""
    counts = Counter(zip(gold, pred, strict=True))
    return {g: {p: counts[(g, p)] for p in CATEGORIES} for g in CATEGORIES}


def evaluate(
    extractor: ComplaintExtractor, path: str, review_below: float | None = None
) -> EvalReport:
    """Run the extractor over a labelled file and score it. ``review_below`` (default: the
    extractor's) is the review threshold whose effect the report describes."""
    rows = read_labelled(path)
    complaints = [
        Complaint(
            id=str(r.get("id", i)), source="eval", text=r["text"], created_at="2026-01-01T00:00:00Z"
        )
        for i, r in enumerate(rows)
    ]
    enriched, failures = extractor.enrich(complaints)
    by_id = {e.id: e for e in enriched}
    failed = {f.complaint.id for f in failures}
    gold_cats, pred_cats = [], []
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    report = EvalReport(len(rows), {}, {})
    probs = np.full((len(rows), len(CATEGORIES)), 1 / len(CATEGORIES))
    for row, complaint in zip(rows, complaints, strict=True):
        e = by_id.get(complaint.id)
        predicted = e.category if e else "other"
        if e:
            probs[len(gold_cats)] = [e.scores.get(c, 0.0) for c in CATEGORIES]
        gold_cats.append(row["category"])
        pred_cats.append(predicted)
        if predicted != row["category"]:
            report.misclassified.append(
                {
                    "id": complaint.id,
                    "gold": row["category"],
                    "predicted": predicted,
                    "text": row["text"],
                }
            )
        gold = {(i["kind"], i["value"]) for i in row.get("identifiers", [])}
        pred = {(i.kind, i.value) for i in e.identifiers} if e else set()
        for kind, _ in gold & pred:
            tp[kind] += 1
        for kind, _ in pred - gold:
            fp[kind] += 1
        for kind, _ in gold - pred:
            fn[kind] += 1
        if gold != pred or complaint.id in failed:
            report.identifier_errors.append(
                {
                    "id": complaint.id,
                    "missed": sorted(f"{k}:{v}" for k, v in gold - pred),
                    "spurious": sorted(f"{k}:{v}" for k, v in pred - gold),
                    "text": row["text"],
                }
            )
    report.classes = classification_report(gold_cats, pred_cats)
    report.confusion = confusion_matrix(gold_cats, pred_cats)
    report.slices = {key: slice_reports(rows, pred_cats, key) for key in ("lang", "style")}
    gold_idx = [CATEGORIES.index(c) for c in gold_cats]
    if rows:
        report.reliability = reliability(probs, gold_idx).to_dict()
        below = getattr(extractor, "review_below", 0.0) if review_below is None else review_below
        report.review = review_share(probs, gold_idx, below)
    for kind in sorted(set(tp) | set(fp) | set(fn)):
        p = tp[kind] / (tp[kind] + fp[kind]) if tp[kind] + fp[kind] else 0.0
        r = tp[kind] / (tp[kind] + fn[kind]) if tp[kind] + fn[kind] else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        report.identifiers[kind] = {
            "precision": p,
            "recall": r,
            "f1": f1,
            "gold": tp[kind] + fn[kind],
            "predicted": tp[kind] + fp[kind],
        }
    return report
