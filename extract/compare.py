"""Choosing the classifier architecture: train each candidate, score it on dev, time it.

    python -m scamtrail.extract.compare [--only NAMES] [--seeds 13,14,15] [--json FILE]

Every candidate is ``textcat.cfg`` with its ``[components.textcat.model]`` block replaced, trained
by :func:`scamtrail.extract.classifier.train` on the corpus train split with the config's seed
and epochs (the best dev epoch is kept, as ``scamtrail train`` does). Dev is made of held-out
templates (see ``corpus/README.md``), so its macro-F1 measures unseen phrasing. Speed is the
classifier alone (``ComplaintClassifier.scores``, as the extract stage calls it: the Doc-free BOW
scorer when the architecture allows it, ``nlp.pipe`` otherwise) on distinct texts, best of three
runs in CPU seconds of one process. Test macro-F1 is printed for information only: choosing on
it would make the quality floors meaningless. The choice and its reasons are in ``extract/ARCHITECTURE.md``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from scamtrail.extract.classifier import (
    CORPUS_DIR,
    DEFAULT_CONFIG,
    ComplaintClassifier,
    classification_report,
    read_labelled,
    train,
)


def _bow(ngram_size: int, length: int = 262144) -> dict[str, Any]:
    return {
        "@architectures": "spacy.TextCatBOW.v3",
        "exclusive_classes": True,
        "ngram_size": ngram_size,
        "no_output_layer": False,
        "length": length,
    }


def _tok2vec(width: int) -> dict[str, Any]:
    return {
        "@architectures": "spacy.HashEmbedCNN.v2",
        "pretrained_vectors": None,
        "width": width,
        "depth": 2,
        "embed_size": 2000,
        "window_size": 1,
        "maxout_pieces": 3,
        "subword_features": True,
    }


#: name -> (the textcat model block, what it is)
CANDIDATES: dict[str, tuple[dict[str, Any], str]] = {
    "bow-1": (_bow(1), "BOW unigrams, 2^18 rows"),
    "bow-2": (_bow(2), "BOW uni+bigrams, 2^18 rows"),
    "bow-3": (_bow(3), "BOW up to trigrams, 2^18 rows"),
    "bow-2-small": (_bow(2, 65536), "BOW uni+bigrams, 2^16 rows"),
    "bow-2-large": (_bow(2, 1048576), "BOW uni+bigrams, 2^20 rows"),
    "cnn-64": (
        {
            "@architectures": "spacy.TextCatCNN.v2",
            "exclusive_classes": True,
            "tok2vec": _tok2vec(64),
        },
        "CNN (HashEmbedCNN width 64, depth 2), mean pooling",
    ),
    "ensemble-64": (
        {
            "@architectures": "spacy.TextCatEnsemble.v2",
            "tok2vec": _tok2vec(64),
            "linear_model": _bow(2),
        },
        "ensemble: BOW uni+bigrams + CNN width 64",
    ),
}


@dataclass
class Result:
    """One candidate's scores, speed and size (means over the seeds)."""

    name: str
    description: str
    dev_macro_f1: float
    dev_macro_f1_per_seed: list[float]
    test_macro_f1: float
    texts_per_s: float
    doc_free: bool
    model_mb: float
    train_s: float


def _macro_f1(classifier: ComplaintClassifier, rows: list[dict]) -> float:
    scores = classifier.scores([r["text"] for r in rows])
    pred = [max(s, key=s.get) for s in scores]  # type: ignore[arg-type]
    return classification_report([r["category"] for r in rows], pred)["macro"]["f1"]


def _speed(classifier: ComplaintClassifier, texts: list[str], runs: int = 3) -> float:
    classifier.scores(texts[:256])  # warm up
    best = float("inf")
    for _ in range(runs):
        # CPU time of this process: on a shared machine wall time mostly measures the neighbours
        started = time.process_time()
        classifier.scores(texts)
        best = min(best, time.process_time() - started)
    return len(texts) / best


def _speed_texts(rows: list[dict], n: int) -> list[str]:
    # distinct texts: each copy of a dev text gets its own trailing reference number
    return [f"{rows[i % len(rows)]['text']} ref {i}" for i in range(n)]


def _dir_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


def run(
    names: list[str],
    seeds: list[int],
    speed_n: int = 5000,
    log: Callable[[str], None] = print,
) -> list[Result]:
    """Train and measure each named candidate; results in the order given."""
    import scamtrail.extract.tokenizer  # noqa: F401  (registers the tokenizer the config names)
    from spacy import util

    dev = read_labelled(CORPUS_DIR / "dev.jsonl")
    test = read_labelled(CORPUS_DIR / "test.jsonl")
    texts = _speed_texts(dev, speed_n)
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            block, description = CANDIDATES[name]
            config = util.load_config(DEFAULT_CONFIG)
            config["components"]["textcat"]["model"] = block
            cfg_path = Path(tmp) / f"{name}.cfg"
            config.to_disk(cfg_path)
            dev_f1s, test_f1s, speeds, seconds = [], [], [], []
            for seed in seeds:
                out = Path(tmp) / f"{name}-{seed}"
                report = train(config_path=cfg_path, output=out, seed=seed)
                classifier = ComplaintClassifier(out)
                dev_f1s.append(_macro_f1(classifier, dev))
                test_f1s.append(_macro_f1(classifier, test))
                speeds.append(_speed(classifier, texts))
                seconds.append(report.seconds)
                log(
                    f"{name} seed={seed} epoch={report.best_epoch} dev={dev_f1s[-1]:.4f} "
                    f"test={test_f1s[-1]:.4f} texts/s={speeds[-1]:,.0f} "
                    f"train_s={report.seconds:.0f}"
                )
            results.append(
                Result(
                    name=name,
                    description=description,
                    dev_macro_f1=statistics.mean(dev_f1s),
                    dev_macro_f1_per_seed=dev_f1s,
                    test_macro_f1=statistics.mean(test_f1s),
                    texts_per_s=statistics.median(speeds),
                    doc_free=classifier.fast is not None,
                    model_mb=_dir_mb(out),
                    train_s=statistics.mean(seconds),
                )
            )
    return results


def table(results: list[Result]) -> str:
    """The results as a Markdown table."""
    lines = [
        "| candidate | architecture | dev macro-F1 | test macro-F1 (info) | texts/s | model MB |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for r in results:
        spread = (
            f" ({min(r.dev_macro_f1_per_seed):.4f}-{max(r.dev_macro_f1_per_seed):.4f})"
            if len(r.dev_macro_f1_per_seed) > 1
            else ""
        )
        lines.append(
            f"| {r.name} | {r.description} | {r.dev_macro_f1:.4f}{spread} | "
            f"{r.test_macro_f1:.4f} | {r.texts_per_s:,.0f}{'' if r.doc_free else ' (nlp.pipe)'} | "
            f"{r.model_mb:.1f} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    """Command line: train and compare the candidates, print a Markdown table."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--only", default="", help=f"comma-separated names of {', '.join(CANDIDATES)}")
    ap.add_argument("--seeds", default="13", help="comma-separated training seeds (mean reported)")
    ap.add_argument("--speed-n", type=int, default=5000, help="distinct texts for the speed run")
    ap.add_argument("--json", dest="json_out", default=None, help="also write the results here")
    args = ap.parse_args(argv)
    names = [n for n in args.only.split(",") if n] or list(CANDIDATES)
    unknown = [n for n in names if n not in CANDIDATES]
    if unknown:
        ap.error(f"unknown candidates {unknown}; known: {', '.join(CANDIDATES)}")
    seeds = [int(s) for s in args.seeds.split(",") if s]
    results = run(names, seeds, args.speed_n)
    print(table(results))
    if args.json_out:
        Path(args.json_out).write_text(json.dumps([asdict(r) for r in results], indent=2) + "\n")


if __name__ == "__main__":
    main()
