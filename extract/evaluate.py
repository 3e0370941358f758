"""Measuring the extract stage on a labelled JSONL file (``scamtrail eval``).

Each line has ``text``, ``category`` and ``identifiers`` (``kind``, ``value``; offsets optional),
as in ``extract/corpus``. Classification is scored per class and macro-averaged; identifiers are
scored per kind as sets of (kind, value) per text, so a number found twice counts once, and an
identifier counts as right only with the right normalised value.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from scamtrail.extract.classifier import classification_report, read_labelled
from scamtrail.extract.pipeline import ComplaintExtractor

from scamtrail.records import Complaint


@dataclass
class EvalReport:
    """Scores and the errors behind them."""

    examples: int
    classes: dict[str, dict[str, float]]
    identifiers: dict[str, dict[str, float]]
    misclassified: list[dict[str, str]] = field(default_factory=list)
    identifier_errors: list[dict[str, object]] = field(default_factory=list)

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
            "misclassified": self.misclassified,
            "identifier_errors": self.identifier_errors,
        }


def evaluate(extractor: ComplaintExtractor, path: str) -> EvalReport:
    """Run the extractor over a labelled file and score it."""
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
    for row, complaint in zip(rows, complaints, strict=True):
        e = by_id.get(complaint.id)
        predicted = e.category if e else "other"
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
