"""Choosing the classifier: train each candidate on each training corpus, score it on dev, time it.

    python -m scamtrail.extract.compare [--only NAMES] [--corpora SPECS] [--seeds 13,14,15]
                                        [--json FILE]

A candidate is ``textcat.cfg`` with its ``[components.textcat.model]`` block (and, for the
folding candidates, its ``[nlp.tokenizer]`` block) replaced, trained by
:func:`scamtrail.extract.classifier.train` with the config's seed and epochs (the best dev epoch
is kept and the temperature fitted, as ``scamtrail train`` does) on a training corpus named by a
spec: ``free`` (``corpus/free/train.jsonl``), ``gen`` (the generated ``corpus/train.jsonl``),
joined by ``+``; ``gen[traffic/other]`` keeps only those categories of a part, ``2*free`` repeats
it. Dev is the free-written dev split (``corpus/free/dev.jsonl``, written apart from train), so
its macro-F1 measures wording no training text shares. Speed is the classifier alone
(``ComplaintClassifier.scores``, as the extract stage calls it: the Doc-free BOW scorer when the
architecture allows it, ``nlp.pipe`` otherwise) on distinct texts, best of three runs in CPU
seconds of one process. Test macro-F1 (the free-written test split, and the generated one) is
printed for information only: choosing on it would make the quality floors meaningless. The
choice and its reasons are in ``extract/ARCHITECTURE.md``.
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


_SKELETON = {"@tokenizers": "scamtrail.tokenizer.v2", "fold": "skeleton"}
#: the same split without folding (the config itself folds, so no block would mean folding)
_PLAIN = {"@tokenizers": "scamtrail.tokenizer.v2", "fold": "none"}

#: name -> (the textcat model block, the tokenizer block or None for the config's, what it is)
CANDIDATES: dict[str, tuple[dict[str, Any], dict[str, Any] | None, str]] = {
    "bow-1": (_bow(1), _PLAIN, "BOW unigrams, 2^18 rows"),
    "bow-2": (_bow(2), _PLAIN, "BOW uni+bigrams, 2^18 rows"),
    "bow-3": (_bow(3), _PLAIN, "BOW up to trigrams, 2^18 rows"),
    "bow-2-large": (_bow(2, 1048576), _PLAIN, "BOW uni+bigrams, 2^20 rows"),
    "bow-2-fold": (_bow(2), _SKELETON, "BOW uni+bigrams of folded tokens (skeleton)"),
    "bow-1-fold": (_bow(1), _SKELETON, "BOW unigrams of folded tokens (skeleton)"),
    "cnn-64": (
        {
            "@architectures": "spacy.TextCatCNN.v2",
            "exclusive_classes": True,
            "tok2vec": _tok2vec(64),
        },
        None,
        "CNN (HashEmbedCNN width 64, depth 2, prefix/suffix/shape features), mean pooling",
    ),
    "reduce-64": (
        {
            "@architectures": "spacy.TextCatReduce.v1",
            "exclusive_classes": True,
            "use_reduce_first": False,
            "use_reduce_last": False,
            "use_reduce_max": True,
            "use_reduce_mean": True,
            "tok2vec": _tok2vec(64),
        },
        None,
        "CNN width 64, mean+max pooling (TextCatReduce)",
    ),
    "ensemble-64": (
        {
            "@architectures": "spacy.TextCatEnsemble.v2",
            "tok2vec": _tok2vec(64),
            "linear_model": _bow(2),
        },
        None,
        "ensemble: BOW uni+bigrams + CNN width 64",
    ),
}

#: corpus part names in a spec -> files (relative to the corpus directory)
CORPUS_PARTS = {"free": "free/train.jsonl", "gen": "train.jsonl"}


@dataclass
class Result:
    """One candidate's scores, speed and size (means over the seeds)."""

    name: str
    corpus: str
    train_examples: int
    description: str
    dev_macro_f1: float
    dev_macro_f1_per_seed: list[float]
    dev_ece: float
    test_macro_f1: float
    gen_test_macro_f1: float
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


def corpus_files(spec: str, tmp: Path, parts: dict[str, Path] | None = None) -> list[Path]:
    """The training files a corpus spec names (``free+gen[traffic]``, ``2*free+gen`` ...);
    filtered parts are written under ``tmp``."""
    files = []
    for part in spec.split("+"):
        times, _, rest = part.rpartition("*")
        name, _, cats = rest.partition("[")
        known = {k: CORPUS_DIR / v for k, v in CORPUS_PARTS.items()} | (parts or {})
        if name not in known:
            raise ValueError(f"unknown corpus part {name!r} in {spec!r}; known: {list(known)}")
        path = known[name]
        if cats:
            keep = set(cats.rstrip("]").split("/"))
            path_out = tmp / f"{name}-{'-'.join(sorted(keep))}.jsonl"
            lines = path.read_text(encoding="utf-8").splitlines()
            path_out.write_text(
                "".join(f"{ln}\n" for ln in lines if json.loads(ln)["category"] in keep),
                encoding="utf-8",
            )
            path = path_out
        files += [path] * int(times or 1)
    return files


def run(
    names: list[str],
    corpora: list[str],
    seeds: list[int],
    speed_n: int = 5000,
    log: Callable[[str], None] = print,
    dev_path: Path = CORPUS_DIR / "free" / "dev.jsonl",
    test_path: Path = CORPUS_DIR / "free" / "test.jsonl",
    parts: dict[str, Path] | None = None,
) -> list[Result]:
    """Train and measure each named candidate on each corpus; results in the order given."""
    import scamtrail.extract.tokenizer  # noqa: F401  (registers the tokenizer the config names)
    from spacy import util

    dev = read_labelled(dev_path)
    test = read_labelled(test_path) if test_path.is_file() else []
    gen_test = read_labelled(CORPUS_DIR / "test.jsonl")
    texts = _speed_texts(dev, speed_n)
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            block, tokenizer, description = CANDIDATES[name]
            config = util.load_config(DEFAULT_CONFIG)
            config["components"]["textcat"]["model"] = block
            if tokenizer is not None:
                config["nlp"]["tokenizer"] = tokenizer
            cfg_path = Path(tmp) / f"{name}.cfg"
            config.to_disk(cfg_path)
            for spec in corpora:
                files = corpus_files(spec, Path(tmp), parts)
                dev_f1s, eces, test_f1s, gen_f1s, speeds, seconds = [], [], [], [], [], []
                for seed in seeds:
                    out = Path(tmp) / f"{name}-{seed}"
                    report = train(files, dev_path, out, cfg_path, seed=seed)
                    classifier = ComplaintClassifier(out)
                    dev_f1s.append(_macro_f1(classifier, dev))
                    eces.append(float(classifier.nlp.meta["scamtrail"]["dev_ece"]))
                    test_f1s.append(_macro_f1(classifier, test) if test else float("nan"))
                    gen_f1s.append(_macro_f1(classifier, gen_test))
                    speeds.append(_speed(classifier, texts))
                    seconds.append(report.seconds)
                    log(
                        f"{name} [{spec}] seed={seed} epoch={report.best_epoch} "
                        f"dev={dev_f1s[-1]:.4f} ece={eces[-1]:.4f} T={report.temperature} "
                        f"test={test_f1s[-1]:.4f} gen_test={gen_f1s[-1]:.4f} "
                        f"texts/s={speeds[-1]:,.0f} train_s={report.seconds:.0f}"
                    )
                results.append(
                    Result(
                        name=name,
                        corpus=spec,
                        train_examples=report.train_examples,
                        description=description,
                        dev_macro_f1=statistics.mean(dev_f1s),
                        dev_macro_f1_per_seed=dev_f1s,
                        dev_ece=statistics.mean(eces),
                        test_macro_f1=statistics.mean(test_f1s),
                        gen_test_macro_f1=statistics.mean(gen_f1s),
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
        "| candidate | corpus (texts) | dev macro-F1 | dev ECE | test (info) | gen test (info) "
        "| texts/s | model MB |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        spread = (
            f" ({min(r.dev_macro_f1_per_seed):.4f}-{max(r.dev_macro_f1_per_seed):.4f})"
            if len(r.dev_macro_f1_per_seed) > 1
            else ""
        )
        lines.append(
            f"| {r.name} | {r.corpus} ({r.train_examples:,}) | {r.dev_macro_f1:.4f}{spread} | "
            f"{r.dev_ece:.3f} | {r.test_macro_f1:.4f} | {r.gen_test_macro_f1:.4f} | "
            f"{r.texts_per_s:,.0f}{'' if r.doc_free else ' (nlp.pipe)'} | {r.model_mb:.1f} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    """Command line: train and compare the candidates, print a Markdown table."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--only", default="", help=f"comma-separated names of {', '.join(CANDIDATES)}")
    ap.add_argument(
        "--corpora", default="free+gen", help="comma-separated corpus specs (see above)"
    )
    ap.add_argument("--seeds", default="13", help="comma-separated training seeds (mean reported)")
    ap.add_argument("--speed-n", type=int, default=5000, help="distinct texts for the speed run")
    ap.add_argument("--dev", type=Path, default=CORPUS_DIR / "free" / "dev.jsonl")
    ap.add_argument("--test", type=Path, default=CORPUS_DIR / "free" / "test.jsonl")
    ap.add_argument("--free", type=Path, default=None, help="another file for the part 'free'")
    ap.add_argument(
        "--speed-only",
        action="store_true",
        help="time the shipped model only: µs a tweet on --speed-n distinct texts of dev",
    )
    ap.add_argument("--json", dest="json_out", default=None, help="also write the results here")
    args = ap.parse_args(argv)
    if args.speed_only:
        classifier = ComplaintClassifier()
        texts = _speed_texts(read_labelled(args.dev), args.speed_n)
        per_s = _speed(classifier, texts)
        print(f"{1e6 / per_s:.1f} µs a tweet ({per_s:,.0f} texts/s, CPU time, best of three)")
        return
    names = [n for n in args.only.split(",") if n] or list(CANDIDATES)
    unknown = [n for n in names if n not in CANDIDATES]
    if unknown:
        ap.error(f"unknown candidates {unknown}; known: {', '.join(CANDIDATES)}")
    seeds = [int(s) for s in args.seeds.split(",") if s]
    corpora = [c for c in args.corpora.split(",") if c]
    parts = {"free": args.free} if args.free else None
    results = run(names, corpora, seeds, args.speed_n, print, args.dev, args.test, parts)
    print(table(results))
    if args.json_out:
        Path(args.json_out).write_text(json.dumps([asdict(r) for r in results], indent=2) + "\n")


if __name__ == "__main__":
    main()
