"""The complaint classifier: a spaCy ``textcat`` (bank_fraud / traffic / other).

The architecture lives in ``textcat.cfg`` beside this file; :func:`train` builds the pipeline from
it, trains on a labelled JSONL file with a fixed seed and keeps the epoch with the best dev
macro-F1. The trained pipeline ships as package data in ``model/`` and loads with no network.

The config names a one-regex tokenizer (:mod:`.tokenizer`), and a BOW model is scored without
spaCy ``Doc`` objects by :class:`scamtrail.extract.bow.BowScorer` (same scores, a fraction of the
cost); ``ARCHITECTURE.md`` says why this architecture and how it was chosen.

Texts are prepared before the model sees them: lowercased (typing in ALL CAPS is common and says
nothing about the category) and every digit mapped to ``0``, so the model learns the *shape* of
numbers but never memorises a particular number.
"""

from __future__ import annotations

import configparser
import json
import random
import re
import struct
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from scamtrail.errors import ConfigError
from scamtrail.records import CATEGORIES

PACKAGE_DIR = Path(__file__).resolve().parent
DEFAULT_CONFIG = PACKAGE_DIR / "textcat.cfg"
DEFAULT_MODEL = PACKAGE_DIR / "model"
CORPUS_DIR = PACKAGE_DIR / "corpus"

#: Review threshold of a model whose meta names none (see ``review_below`` in ``textcat.cfg``).
DEFAULT_REVIEW_BELOW = 0.75

#: The classifier reads at most this many characters; categories are decided early in a text.
MAX_CLASSIFY_CHARS = 2000

# ASCII, Devanagari and fullwidth digits other than "0" (one regex substitution is several
# times faster than str.translate with a table on non-ASCII text)
#: Joins the texts of a batch for the fast scorer; :func:`prepare` replaces it with a space.
SEPARATOR = "\x00"

_NONZERO_DIGIT_RE = re.compile("[1-9\u0966-\u096f\uff10-\uff19]")
_OTHER_DIGIT_RE = re.compile("[\u0966-\u096f\uff10-\uff19]")
_ZERO_ASCII_BYTES = bytes.maketrans(b"123456789", b"000000000")


def prepare(text: str) -> str:
    """The text as the classifier sees it: truncated, lowercased, digits mapped to 0."""
    return _NONZERO_DIGIT_RE.sub("0", text[:MAX_CLASSIFY_CHARS].replace(SEPARATOR, " ").lower())


def prepare_joined(texts: Sequence[str]) -> str:
    """``f" {SEPARATOR} ".join(prepare(t) for t in texts)``, lowercased and substituted in one
    call for the batch (the fast scorer's input)."""
    sep = f" {SEPARATOR} "
    joined = sep.join([t[:MAX_CLASSIFY_CHARS] for t in texts])
    if joined.count(SEPARATOR) != len(texts) - 1:  # a text carries the separator itself
        joined = sep.join([t[:MAX_CLASSIFY_CHARS].replace(SEPARATOR, " ") for t in texts])
    low = joined.lower()
    # ASCII digits through a byte table (UTF-8 never has 0x31-0x39 inside a multi-byte
    # character), the other scripts' digits by the pattern only when there are any: 1.6 µs a
    # tweet instead of 2.8 (str.translate is slower than both).
    low = low.encode("utf-8").translate(_ZERO_ASCII_BYTES).decode("utf-8")
    return _NONZERO_DIGIT_RE.sub("0", low) if _OTHER_DIGIT_RE.search(low) else low


class ComplaintClassifier:
    """Loads the trained textcat pipeline and scores texts in batches."""

    def __init__(self, model_path: str | Path | None = None, batch_size: int = 256) -> None:
        from scamtrail.extract.bow_model import load_bow_scorer
        from scamtrail.extract.tokens import TOKEN_RE

        path = Path(model_path) if model_path else DEFAULT_MODEL
        if not (path / "meta.json").is_file():
            raise ConfigError(f"no trained classifier at {path}; run `scamtrail train` to build it")
        self.path = path
        self.batch_size = batch_size
        self._nlp: Any = None
        # A BOW model behind the regex tokenizer is read from its files and scored with numpy
        # (same scores, no Doc objects, no spaCy import); any other architecture is loaded by
        # spaCy and goes through nlp.pipe.
        try:
            self.fast = load_bow_scorer(path)
        except (
            ValueError,
            KeyError,
            IndexError,
            TypeError,
            struct.error,
            configparser.Error,
        ) as exc:
            raise ConfigError(
                f"cannot read the classifier at {path} ({type(exc).__name__}: {exc}); "
                "run `scamtrail train` to rebuild it"
            ) from exc
        if self.fast is not None:
            meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
            self.labels = self.fast.labels
            self._columns = [self.fast.labels.index(label) for label in CATEGORIES]
        else:
            meta = self.nlp.meta
            self.labels = tuple(self.nlp.get_pipe("textcat").labels)
        self.model_name = f"{meta.get('name', 'textcat')}-{meta.get('version', '0')}"
        self._has_token = TOKEN_RE.search
        #: softmax temperature fitted on dev by :func:`train` (1.0 for a model without one)
        self.temperature = float(meta.get("scamtrail", {}).get("temperature", 1.0))
        #: a top score below this marks the record ``needs_review`` (from ``textcat.cfg``)
        self.review_below = float(
            meta.get("scamtrail", {}).get("review_below", DEFAULT_REVIEW_BELOW)
        )

    @property
    def nlp(self) -> Any:
        """The spaCy pipeline, loaded on first use (serving a BOW model never needs it)."""
        if self._nlp is None:
            # importing the tokenizer module registers the tokenizer the model's config names
            import scamtrail.extract.tokenizer  # noqa: F401
            import spacy

            self._nlp = spacy.load(self.path)
        return self._nlp

    def scores(self, texts: Sequence[str]) -> list[dict[str, float]]:
        """Calibrated class probabilities for each text, in order (rounded to 4 places)."""
        if not texts:
            return []
        probs = np.concatenate(
            [
                self.probabilities(texts[i : i + self.batch_size])
                for i in range(0, len(texts), self.batch_size)
            ]
        )
        return [dict(zip(CATEGORIES, row, strict=True)) for row in np.round(probs, 4).tolist()]

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """A ``(len(texts), 3)`` array of calibrated probabilities, columns in ``CATEGORIES``
        order. Texts without a token get uniform scores (so ``other``, with low confidence)."""
        n = len(texts)
        if self.fast is not None:
            joined = prepare_joined(texts)
            linear, lengths = self.fast.linear(joined, n)
            probs = _softmax(linear[:, self._columns] / self.temperature)
            empty = lengths == 0
        else:
            prepared = [prepare(t) for t in texts]
            empty = np.array([not self._has_token(t) for t in prepared], dtype=bool)
            probs = np.full((n, len(CATEGORIES)), 1 / len(CATEGORIES))
            scored = [i for i in range(n) if not empty[i]]
            docs = self.nlp.pipe((prepared[i] for i in scored), batch_size=self.batch_size)
            for i, doc in zip(scored, docs, strict=True):
                probs[i] = [doc.cats.get(label, 0.0) for label in CATEGORIES]
            probs = apply_temperature(probs, self.temperature)
        probs[empty] = 1 / len(CATEGORIES)
        return probs


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def apply_temperature(probs: np.ndarray, temperature: float) -> np.ndarray:
    """Probabilities rescaled by a temperature: ``softmax(log(p) / T)`` (``T > 1`` softens)."""
    if temperature == 1.0:
        return probs
    return _softmax(np.log(np.clip(probs, 1e-12, 1.0)) / temperature)


@dataclass(frozen=True, slots=True)
class TrainReport:
    """What :func:`train` did: where the model went, its best epoch and dev scores."""

    output: Path
    best_epoch: int
    dev_macro_f1: float
    dev_per_class: dict[str, dict[str, float]]
    train_examples: int
    seconds: float
    temperature: float = 1.0


def read_labelled(path: str | Path) -> list[dict]:
    """Labelled examples from a JSONL file (each line has at least ``text`` and ``category``)."""
    rows = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            row = json.loads(line)
            if row.get("category") not in CATEGORIES:
                raise ValueError(f"{path}:{n}: category must be one of {CATEGORIES}")
            rows.append(row)
    return rows


def classification_report(gold: Sequence[str], pred: Sequence[str]) -> dict[str, dict[str, float]]:
    """Per-class precision/recall/F1/support and their macro average (key ``macro``)."""
    report: dict[str, dict[str, float]] = {}
    for label in CATEGORIES:
        tp = sum(1 for g, p in zip(gold, pred, strict=True) if g == label and p == label)
        fp = sum(1 for g, p in zip(gold, pred, strict=True) if g != label and p == label)
        fn = sum(1 for g, p in zip(gold, pred, strict=True) if g == label and p != label)
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        report[label] = {"precision": prec, "recall": rec, "f1": f1, "support": tp + fn}
    report["macro"] = {
        k: sum(report[c][k] for c in CATEGORIES) / len(CATEGORIES)
        for k in ("precision", "recall", "f1")
    }
    return report


def _pipe_probabilities(nlp: object, texts: Iterable[str]) -> np.ndarray:
    """Uncalibrated probabilities through ``nlp.pipe``, columns in ``CATEGORIES`` order."""
    docs = nlp.pipe(prepare(t) for t in texts)  # type: ignore[attr-defined]
    return np.array([[d.cats.get(c, 0.0) for c in CATEGORIES] for d in docs]).reshape(-1, 3)


def _predict(nlp: object, texts: Iterable[str]) -> list[str]:
    probs = _pipe_probabilities(nlp, texts)
    return [CATEGORIES[i] for i in probs.argmax(axis=1)]


def _paths(value: object, default: object) -> list[Path]:
    """Paths from an argument or the config: one path or a list; relative to this package."""
    chosen = default if value is None else value
    items = [chosen] if isinstance(chosen, str | Path) else list(chosen)  # type: ignore[call-overload]
    return [p if Path(p).is_absolute() else PACKAGE_DIR / p for p in map(Path, items)]


def train(
    train_path: str | Path | Sequence[str | Path] | None = None,
    dev_path: str | Path | None = None,
    output: str | Path = DEFAULT_MODEL,
    config_path: str | Path = DEFAULT_CONFIG,
    seed: int | None = None,
    epochs: int | None = None,
    log: object = None,
) -> TrainReport:
    """Train the classifier from ``config_path``; write the best epoch's pipeline to ``output``.

    The training files (one or several, concatenated) and the dev file default to the config's
    ``[train] train_files`` and ``dev_file`` (paths relative to this package). After the best
    dev epoch is chosen, a softmax temperature is fitted on dev (:mod:`.calibration`) and
    written to the model's meta, so the shipped scores are calibrated.
    """
    import scamtrail.extract.tokenizer  # noqa: F401  (registers the tokenizer the config names)
    from scamtrail.extract.calibration import fit_temperature, reliability
    from spacy import util
    from spacy.training import Example

    started = time.perf_counter()
    config = util.load_config(config_path)
    params = dict(config.get("train", {}))
    seed = int(params.get("seed", 13) if seed is None else seed)
    epochs = int(params.get("epochs", 10) if epochs is None else epochs)
    batch_size = int(params.get("batch_size", 64))
    dropout = float(params.get("dropout", 0.1))
    learn_rate = float(params.get("learn_rate", 0.001))
    review_below = float(params.get("review_below", DEFAULT_REVIEW_BELOW))
    train_files = _paths(train_path, params.get("train_files", ["corpus/train.jsonl"]))
    dev_file = _paths(dev_path, params.get("dev_file", "corpus/dev.jsonl"))[0]
    util.fix_random_seed(seed)
    rng = random.Random(seed)
    nlp_config = {k: v for k, v in config.items() if k != "train"}
    nlp = util.load_model_from_config(util.Config(nlp_config), auto_fill=True, validate=True)
    textcat = nlp.get_pipe("textcat")
    for label in CATEGORIES:
        textcat.add_label(label)

    train_rows = [row for path in train_files for row in read_labelled(path)]
    dev_rows = read_labelled(dev_file)
    dev_gold = [r["category"] for r in dev_rows]
    examples = [
        Example.from_dict(
            nlp.make_doc(prepare(r["text"])),
            {"cats": {c: float(c == r["category"]) for c in CATEGORIES}},
        )
        for r in train_rows
    ]
    from thinc.api import Adam

    optimizer = Adam(learn_rate)
    nlp.initialize(lambda: examples, sgd=optimizer)
    best_f1, best_epoch, best_bytes, best_report = -1.0, 0, b"", {}
    for epoch in range(1, epochs + 1):
        rng.shuffle(examples)
        losses: dict[str, float] = {}
        for i in range(0, len(examples), batch_size):
            nlp.update(examples[i : i + batch_size], sgd=optimizer, drop=dropout, losses=losses)
        report = classification_report(dev_gold, _predict(nlp, (r["text"] for r in dev_rows)))
        f1 = report["macro"]["f1"]
        if callable(log):
            log(f"epoch={epoch} loss={losses.get('textcat', 0.0):.4f} dev_macro_f1={f1:.4f}")
        if f1 >= best_f1:  # on a tie the later, better-trained epoch wins
            best_f1, best_epoch, best_bytes, best_report = f1, epoch, nlp.to_bytes(), report
    nlp.from_bytes(best_bytes)
    dev_probs = _pipe_probabilities(nlp, (r["text"] for r in dev_rows))
    dev_idx = [CATEGORIES.index(c) for c in dev_gold]
    temperature = fit_temperature(dev_probs, dev_idx)
    calibrated = apply_temperature(dev_probs, temperature)
    rel_before, rel_after = reliability(dev_probs, dev_idx), reliability(calibrated, dev_idx)
    if callable(log):
        log(
            f"temperature={temperature} dev_ece={rel_before.ece:.4f}->{rel_after.ece:.4f} "
            f"dev_nll={rel_before.nll:.4f}->{rel_after.nll:.4f}"
        )
    nlp.meta["name"] = "scamtrail_textcat"
    # 0.3: free-written corpus, dev split of free-written texts, calibrated scores
    nlp.meta["version"] = "0.3.0"
    nlp.meta["description"] = (
        "Complaint classifier (bank_fraud, traffic, other), BOW n-grams of folded tokens"
    )
    nlp.meta["scamtrail"] = {
        "seed": seed,
        "best_epoch": best_epoch,
        "dev_macro_f1": round(best_f1, 4),
        "train_examples": len(train_rows),
        "train_files": [_relative(p) for p in train_files],
        "dev_file": _relative(dev_file),
        "temperature": temperature,
        "review_below": review_below,
        "dev_ece": rel_after.ece,
        "dev_ece_uncalibrated": rel_before.ece,
    }
    out = Path(output)
    out.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(out)
    return TrainReport(
        out,
        best_epoch,
        best_f1,
        best_report,
        len(train_rows),
        time.perf_counter() - started,
        temperature,
    )


def _relative(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(PACKAGE_DIR))
    except ValueError:
        return str(path)
