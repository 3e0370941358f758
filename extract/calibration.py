"""Calibrated confidence: a softmax temperature fitted on dev, and how reliable the scores are.

A classifier trained to convergence on a few thousand texts is over-confident: its top score
says 0.99 on texts it gets wrong. Temperature scaling (Guo et al., 2017) divides the logits by
one number ``T`` fitted to minimise the negative log-likelihood of the dev split; the ranking of
the classes, and so every prediction, is unchanged, only the confidence moves. :func:`train
<scamtrail.extract.classifier.train>` fits ``T`` on dev after choosing the epoch and ships it in
the model's ``meta.json`` (``scamtrail.temperature``); the classifier applies it to every score.

:func:`reliability` measures what the scores mean: the texts are binned by their top score, and
in a calibrated model each bin's accuracy equals its mean confidence. The expected calibration
error (ECE) is the support-weighted mean gap.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np

#: Temperatures tried by :func:`fit_temperature` (log-spaced; 1.0 is among them).
_GRID = np.exp(np.linspace(np.log(0.05), np.log(20.0), 241))


def _log_softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=1, keepdims=True))


def nll(probs: np.ndarray, gold: np.ndarray, temperature: float = 1.0) -> float:
    """Mean negative log-likelihood of the gold columns after applying ``temperature``."""
    logp = _log_softmax(np.log(np.clip(probs, 1e-12, 1.0)) / temperature)
    return float(-logp[np.arange(len(gold)), gold].mean())


def fit_temperature(probs: np.ndarray, gold: Sequence[int]) -> float:
    """The temperature (from a log-spaced grid, 0.05-20) that minimises dev NLL."""
    gold_idx = np.asarray(gold, dtype=np.int64)
    if len(gold_idx) == 0:
        return 1.0
    losses = [nll(probs, gold_idx, float(t)) for t in _GRID]
    return round(float(_GRID[int(np.argmin(losses))]), 4)


@dataclass(frozen=True, slots=True)
class ReliabilityBin:
    """Texts whose top score fell in ``[low, high)``: how many, how confident, how often right."""

    low: float
    high: float
    count: int
    confidence: float
    accuracy: float


@dataclass(frozen=True, slots=True)
class Reliability:
    """Reliability of a set of predictions: ECE, NLL and the per-bin table."""

    ece: float
    nll: float
    bins: list[ReliabilityBin]

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form."""
        return {"ece": self.ece, "nll": self.nll, "bins": [asdict(b) for b in self.bins]}

    def table(self) -> str:
        """The bins as a Markdown table."""
        lines = ["| top score | texts | mean score | accuracy |", "|---|---:|---:|---:|"]
        for b in self.bins:
            if b.count:
                lines.append(
                    f"| {b.low:.1f}-{b.high:.1f} | {b.count} | {b.confidence:.3f} | "
                    f"{b.accuracy:.3f} |"
                )
        return "\n".join(lines)


def reliability(probs: np.ndarray, gold: Sequence[int], n_bins: int = 10) -> Reliability:
    """Equal-width bins of the top score (``probs`` already calibrated), ECE and NLL."""
    gold_idx = np.asarray(gold, dtype=np.int64)
    top = probs.max(axis=1)
    right = probs.argmax(axis=1) == gold_idx
    # the top score of 3 classes is at least 1/3, so bins below that stay empty
    edges = np.round(np.linspace(0.0, 1.0, n_bins + 1), 10)
    which = np.clip(np.digitize(top, edges[1:-1]), 0, n_bins - 1)
    bins, ece = [], 0.0
    for b in range(n_bins):
        mask = which == b
        count = int(mask.sum())
        conf = float(top[mask].mean()) if count else 0.0
        acc = float(right[mask].mean()) if count else 0.0
        ece += count / max(len(top), 1) * abs(acc - conf)
        bins.append(ReliabilityBin(float(edges[b]), float(edges[b + 1]), count, conf, acc))
    return Reliability(round(ece, 4), round(nll(probs, gold_idx), 4), bins)


def review_share(probs: np.ndarray, gold: Sequence[int], below: float) -> dict[str, float]:
    """What a review threshold does: the share of texts flagged, the accuracy of the flagged
    and of the unflagged ones, and the share of all errors that get flagged."""
    gold_idx = np.asarray(gold, dtype=np.int64)
    flagged = probs.max(axis=1) < below
    right = probs.argmax(axis=1) == gold_idx
    errors = int((~right).sum())
    return {
        "below": below,
        "flagged": float(flagged.mean()) if len(right) else 0.0,
        "flagged_accuracy": float(right[flagged].mean()) if flagged.any() else 1.0,
        "unflagged_accuracy": float(right[~flagged].mean()) if (~flagged).any() else 1.0,
        "errors_flagged": float((~right & flagged).sum() / errors) if errors else 1.0,
    }
