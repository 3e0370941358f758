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
    #: ``lang`` or ``style`` -> its value -> the slice's confusion matrix
    slice_confusion: dict[str, dict[str, dict[str, dict[str, int]]]] = field(default_factory=dict)
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
            "slice_confusion": self.slice_confusion,
            "reliability": self.reliability,
            "review": self.review,
            "misclassified": self.misclassified,
            "identifier_errors": self.identifier_errors,
        }


def slice_reports(
    rows: list[dict], pred: list[str], key: str
) -> dict[str, dict[str, dict[str, float]]]:
    """A class report for each value of ``rows[i][key]`` (rows without the key are skipped).

    A slice's ``macro`` averages the classes it has texts of (no forwarded SMS is a traffic
    complaint: a class with no gold text would count as F1 0), and carries its ``accuracy``."""
    groups: dict[str, list[int]] = {}
    for i, row in enumerate(rows):
        if row.get(key):
            groups.setdefault(str(row[key]), []).append(i)
    reports = {}
    for value, idx in sorted(groups.items()):
        gold, got = [rows[i]["category"] for i in idx], [pred[i] for i in idx]
        rep = classification_report(gold, got)
        present = [c for c in CATEGORIES if rep[c]["support"]]
        rep["macro"] = {
            k: sum(rep[c][k] for c in present) / len(present) for k in ("precision", "recall", "f1")
        }
        rep["macro"]["accuracy"] = sum(g == p for g, p in zip(gold, got, strict=True)) / len(idx)
        reports[value] = rep
    return reports


def slice_confusion(
    rows: list[dict], pred: list[str], key: str
) -> dict[str, dict[str, dict[str, int]]]:
    """The confusion matrix of each value of ``rows[i][key]``."""
    groups: dict[str, list[int]] = {}
    for i, row in enumerate(rows):
        if row.get(key):
            groups.setdefault(str(row[key]), []).append(i)
    return {
        value: confusion_matrix([rows[i]["category"] for i in idx], [pred[i] for i in idx])
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
    report.slice_confusion = {
        key: slice_confusion(rows, pred_cats, key) for key in ("lang", "style")
    }
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


def _class_lines(classes: dict[str, dict[str, float]]) -> list[str]:
    lines = [f"{'class':<12} {'P':>6} {'R':>6} {'F1':>6} {'n':>6}"]
    for label, m in classes.items():
        n = f"{int(m.get('support', 0))}" if label != "macro" else ""
        lines.append(
            f"{label:<12} {m['precision']:>6.3f} {m['recall']:>6.3f} {m['f1']:>6.3f} {n:>6}"
        )
    return lines


def _slice_lines(
    key: str,
    reports: dict[str, dict[str, dict[str, float]]],
    confusion: dict[str, dict[str, dict[str, int]]],
) -> list[str]:
    head = f"{key:<12} {'n':>5} {'acc':>6} {'macro':>6} " + " ".join(
        f"{c[:10]:>10}" for c in CATEGORIES
    )
    lines = [head + "  errors (gold>predicted)"]
    for value, rep in reports.items():
        n = sum(int(rep[c]["support"]) for c in CATEGORIES)
        cells = " ".join(
            f"{rep[c]['f1']:>10.3f}" if rep[c]["support"] else f"{'-':>10}" for c in CATEGORIES
        )
        acc = rep["macro"].get("accuracy", float("nan"))
        errors = ", ".join(
            f"{g[0]}>{p[0]} {k}"
            for g, row in confusion.get(value, {}).items()
            for p, k in row.items()
            if g != p and k
        )
        lines.append(
            f"{value:<12} {n:>5} {acc:>6.3f} {rep['macro']['f1']:>6.3f} {cells}  {errors}".rstrip()
        )
    return lines


def format_report(report: EvalReport, show_errors: int = 10) -> str:
    """The report as plain text: classes, confusion matrix, languages and styles (each with its
    errors as gold>predicted by first letter: ``b>o 3`` is three bank_fraud texts called other),
    reliability, review flag, identifiers and the first errors of each sort."""
    lines = [f"{report.examples} examples, macro-F1 {report.macro_f1:.4f}", ""]
    lines += _class_lines(report.classes)
    lines += ["", "confusion (rows gold, columns predicted)"]
    lines.append(f"{'':<12} " + " ".join(f"{c:>10}" for c in CATEGORIES))
    for gold, row in report.confusion.items():
        lines.append(f"{gold:<12} " + " ".join(f"{row[c]:>10}" for c in CATEGORIES))
    for key in ("lang", "style"):
        if report.slices.get(key):
            confusion = report.slice_confusion.get(key, {})
            lines += ["", *_slice_lines(key, report.slices[key], confusion)]
    if report.reliability:
        rel = report.reliability
        lines += ["", f"reliability: ECE {rel['ece']:.4f}, NLL {rel['nll']:.4f}"]
        lines.append(f"{'top score':<12} {'n':>5} {'score':>6} {'acc':>6}")
        for b in rel["bins"]:  # type: ignore[union-attr]
            if b["count"]:
                lines.append(
                    f"{b['low']:.1f}-{b['high']:.1f}{'':<5} {b['count']:>5} "
                    f"{b['confidence']:>6.3f} {b['accuracy']:>6.3f}"
                )
    if report.review:
        r = report.review
        lines.append(
            f"needs_review below {r['below']:.2f}: {r['flagged']:.1%} of texts flagged, "
            f"{r['errors_flagged']:.1%} of errors among them; accuracy {r['flagged_accuracy']:.3f} "
            f"flagged, {r['unflagged_accuracy']:.3f} not flagged"
        )
    if report.identifiers:
        lines += ["", f"{'identifier':<12} {'P':>6} {'R':>6} {'F1':>6} {'gold':>6}"]
        for kind, m in report.identifiers.items():
            lines.append(
                f"{kind:<12} {m['precision']:>6.3f} {m['recall']:>6.3f} {m['f1']:>6.3f} "
                f"{int(m['gold']):>6}"
            )
    for err in report.misclassified[:show_errors]:
        lines.append(f"  class {err['gold']} -> {err['predicted']}: {_short(err['text'])}")
    for err in report.identifier_errors[:show_errors]:
        lines.append(
            f"  ids missed={err['missed']} spurious={err['spurious']}: {_short(str(err['text']))}"
        )
    return "\n".join(lines)


def _short(text: str, width: int = 100) -> str:
    one_line = " ".join(text.split())
    return one_line if len(one_line) <= width else one_line[: width - 1] + "…"
