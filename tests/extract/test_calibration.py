"""Temperature scaling and the reliability measures."""

from __future__ import annotations

import numpy as np
from scamtrail.extract.calibration import fit_temperature, reliability, review_share
from scamtrail.extract.classifier import apply_temperature


def _sampled(rng: np.random.Generator, n: int, true_t: float) -> tuple[np.ndarray, np.ndarray]:
    # labels drawn from softmax(z / true_t); the model reports softmax(z), mis-calibrated
    z = rng.normal(0, 2.5, size=(n, 3))
    true = np.exp(z / true_t)
    true /= true.sum(axis=1, keepdims=True)
    gold = np.array([rng.choice(3, p=p) for p in true])
    model = np.exp(z)
    return model / model.sum(axis=1, keepdims=True), gold


def test_fitted_temperature_recovers_the_miscalibration():
    rng = np.random.default_rng(0)
    for true_t in (0.5, 2.0):
        probs, gold = _sampled(rng, 4000, true_t)
        fitted = fit_temperature(probs, gold)
        assert abs(np.log(fitted / true_t)) < 0.15, (true_t, fitted)
        before = reliability(probs, gold)
        after = reliability(apply_temperature(probs, fitted), gold)
        assert after.ece < before.ece and after.nll <= before.nll
        assert after.ece < 0.03


def test_reliability_bins_and_review_share():
    probs = np.array([[0.9, 0.05, 0.05], [0.5, 0.3, 0.2], [0.2, 0.7, 0.1], [0.4, 0.35, 0.25]])
    gold = np.array([0, 1, 1, 0])
    rel = reliability(probs, gold)
    assert sum(b.count for b in rel.bins) == 4
    assert {(b.low, b.count, b.accuracy) for b in rel.bins if b.count} == {
        (0.9, 1, 1.0),
        (0.5, 1, 0.0),
        (0.7, 1, 1.0),
        (0.4, 1, 1.0),
    }
    assert "| 0.9-1.0 | 1 |" in rel.table()
    share = review_share(probs, gold, below=0.6)
    assert share["flagged"] == 0.5 and share["errors_flagged"] == 1.0
    assert share["unflagged_accuracy"] == 1.0 and share["flagged_accuracy"] == 0.5
