"""Import the free-written corpus into ``extract/corpus/free/`` (train, dev and test splits).

    .venv/bin/python extract/corpus/import_free.py SOURCE_DIR [--partial] [--dev-from-train 0.2]

``SOURCE_DIR`` holds the texts as written, one JSON object a line: ``text``, ``lang``,
``category``, ``style``, ``case`` and ``identifiers`` [{``kind``, ``text``}]. Files named
``train-*.jsonl`` go to the train split, ``dev[-*].jsonl`` and ``test[-*].jsonl`` to theirs; dev
and test were written separately from train, after it, each by writers of its own. A file is
imported once it is complete (a ``<name>.done`` or ``<name>.jsonl.done`` file beside it), or
with ``--partial`` as it stands (to try the machinery).

Each line is checked (JSON, category, language, style, a non-empty text) and the rejects are
counted by reason. Each kept text gets an id (``f-<split>-<n>``), its identifiers get their
offsets (the first occurrence of the written text after the previous one of the same text; an
identifier whose text is not in the text is dropped) and their normalised ``value``
(:func:`scamtrail.extract.identifiers.normalise_query`; one that does not read as its kind is
dropped). Duplicates are removed by :func:`normalised` text, within a split and across splits:
test and dev win over train, and dev over test. A train text that shares half or more of its
word 5-grams with one dev or test text is dropped too, so the held-out scores are not inflated by
near copies. ``free/README.md`` gets the composition tables. The output is deterministic.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "free"
CATEGORIES = ("bank_fraud", "traffic", "other")
LANGS = ("en", "hi-Latn", "mr-Latn", "hi", "mr")
STYLES = ("victim", "bystander", "forward", "one_liner", "thread", "question", "other")
KINDS = ("phone", "upi", "url", "email", "vehicle", "bank_account")
SPLITS = ("train", "dev", "test")
#: a train text sharing this share of its 5-grams with one held-out text is a near copy
NEAR_COPY_SHARE = 0.5

_NON_WORD_RE = re.compile(r"[\W_]+")
#: a letter or digit and what follows it of letters, digits, Latin and Devanagari combining marks
_MARKS = "\u0300-\u036f\u0900-\u0903\u093a-\u094f\u0951-\u0957\u0962\u0963"
_WORD_RE = re.compile(rf"[^\W_](?:[^\W_]|[{_MARKS}])*")


def normalised(text: str) -> str:
    """The text for comparing wordings: NFKC, lowercased, every run of non-word characters
    (punctuation, emoji, spaces; also Indic vowel signs) as one space."""
    return _NON_WORD_RE.sub(" ", unicodedata.normalize("NFKC", text).lower()).strip()


def words(text: str) -> list[str]:
    """The words of the text, NFKC and lowercased, each with its combining marks: a Devanagari
    word stays whole (``normalised`` cuts it at its vowel signs, which is right for spotting
    copies but makes every 5-gram of fragments a common one)."""
    return _WORD_RE.findall(unicodedata.normalize("NFKC", text).lower())


def shingles(text: str, n: int = 5) -> set[tuple[str, ...]]:
    """The word ``n``-grams of the text (:func:`words`)."""
    words_ = words(text)
    return {tuple(words_[i : i + n]) for i in range(len(words_) - n + 1)}


def split_of(path: Path) -> str | None:
    """Which split a source file feeds, from its name."""
    for split in SPLITS:  # train-*.jsonl, dev.jsonl, dev-*.jsonl, test.jsonl, test-*.jsonl
        if path.stem == split or path.stem.startswith(f"{split}-"):
            return split
    return None


def is_done(path: Path) -> bool:
    """Whether the writer marked a source file complete: ``<name>.done`` or ``<name>.jsonl.done``."""
    return path.with_suffix(".done").exists() or path.with_name(path.name + ".done").exists()


def _identifiers(text: str, given: object, rejects: Counter[str]) -> list[dict]:
    from scamtrail.extract.identifiers import normalise_query

    out = []
    after: dict[str, int] = {}
    for item in given if isinstance(given, list) else []:
        if not isinstance(item, dict) or item.get("kind") not in KINDS:
            rejects["identifier_kind"] += 1
            continue
        written = str(item.get("text", ""))
        start = text.find(written, after.get(written, 0)) if written else -1
        if start < 0:
            rejects["identifier_not_in_text"] += 1
            continue
        after[written] = start + len(written)
        try:
            kind, value = normalise_query(written, kind=item["kind"])
        except ValueError:
            rejects["identifier_unreadable"] += 1
            continue
        out.append(
            {"kind": kind, "value": value, "text": written, "start": start, "end": after[written]}
        )
    return sorted(out, key=lambda i: (i["start"], i["end"]))


def read_source(path: Path, rejects: Counter[str]) -> list[dict]:
    """The valid rows of one source file, in order, without ids."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
        except json.JSONDecodeError:
            rejects["malformed_json"] += 1
            continue
        if not isinstance(raw, dict) or not str(raw.get("text", "")).strip():
            rejects["no_text"] += 1
            continue
        if raw.get("category") not in CATEGORIES:
            rejects["category"] += 1
            continue
        if raw.get("lang") not in LANGS:
            rejects["lang"] += 1
            continue
        text = str(raw["text"]).strip()
        rows.append(
            {
                "text": text,
                "lang": raw["lang"],
                "category": raw["category"],
                "style": raw.get("style") if raw.get("style") in STYLES else "other",
                "case": str(raw.get("case", ""))[:80],
                "identifiers": _identifiers(text, raw.get("identifiers"), rejects),
                "origin": path.stem,
            }
        )
    return rows


def build(
    source: Path, partial: bool = False, dev_from_train: float = 0.0
) -> tuple[dict[str, list[dict]], Counter[str]]:
    """The three splits from ``source``, deduplicated, with ids; and the reject counts.

    ``dev_from_train`` (a share, 0 to 1) holds that share of the train texts out as dev (chosen
    by a hash of the normalised text, so it is stable) and puts the separately written dev
    texts into test: for when the separately written held-out files are too small to split."""
    rejects: Counter[str] = Counter()
    raw: dict[str, list[dict]] = {s: [] for s in SPLITS}
    for path in sorted(source.glob("*.jsonl")):
        split = split_of(path)
        if split is None:
            continue
        if dev_from_train and split == "dev":
            split = "test"
        if not partial and not is_done(path):
            rejects[f"incomplete:{path.name}"] += 1
            continue
        raw[split].extend(read_source(path, rejects))
    if dev_from_train:
        held = [r for r in raw["train"] if _share(r["text"]) < dev_from_train]
        raw["train"] = [r for r in raw["train"] if _share(r["text"]) >= dev_from_train]
        raw["dev"] = held + raw["dev"]
    seen: set[str] = set()
    kept: dict[str, list[dict]] = {}
    for split in ("test", "dev", "train"):  # held-out splits keep their texts first
        kept[split] = []
        for row in raw[split]:
            key = normalised(row["text"])
            if key in seen:
                rejects[f"duplicate:{split}"] += 1
                continue
            seen.add(key)
            kept[split].append(row)
    held_out: dict[tuple[str, ...], set[int]] = defaultdict(set)
    for n, row in enumerate(kept["dev"] + kept["test"]):
        for gram in shingles(row["text"]):
            held_out[gram].add(n)
    train = []
    for row in kept["train"]:
        grams = shingles(row["text"])
        hits: Counter[int] = Counter(i for g in grams for i in held_out.get(g, ()))
        if grams and hits and max(hits.values()) >= NEAR_COPY_SHARE * len(grams):
            rejects["near_copy_of_held_out:train"] += 1
            continue
        train.append(row)
    kept["train"] = train
    splits = {}
    for split in SPLITS:
        splits[split] = [
            {"id": f"f-{split}-{n:05d}", **row} for n, row in enumerate(kept[split], 1)
        ]
    return splits, rejects


def _share(text: str) -> float:
    digest = hashlib.sha256(normalised(text).encode()).digest()
    return int.from_bytes(digest[:4], "big") / 2**32


def _table(rows: list[dict], key: str, values: tuple[str, ...]) -> list[str]:
    counts = Counter((r[key], r["category"]) for r in rows)
    lines = [f"| {key} | " + " | ".join(CATEGORIES) + " | total |", "|---|" + "---:|" * 4]
    for v in values:
        cells = [counts[(v, c)] for c in CATEGORIES]
        if sum(cells):
            lines.append(f"| {v} | " + " | ".join(map(str, cells)) + f" | {sum(cells)} |")
    totals = [sum(counts[(v, c)] for v in values) for c in CATEGORIES]
    lines.append("| total | " + " | ".join(map(str, totals)) + f" | {sum(totals)} |")
    return lines


def readme(
    splits: dict[str, list[dict]], rejects: Counter[str], dev_from_train: float = 0.0
) -> str:
    """``free/README.md``: what the files are and their composition."""
    parts = [
        "# The free-written corpus",
        "",
        "Complaint texts written one by one, in varied voices (victims, relatives, bystanders,",
        "forwarded SMS and WhatsApp messages, one-liners, threads, questions), in English,",
        "Hinglish, Marathi in Latin letters, Hindi and Marathi. Not generated: no templates, no",
        "grammars. Labels follow `extract/LABELS.md`. Every number, name and link is invented.",
        *(
            [
                f"`dev.jsonl` is a {dev_from_train:.0%} share of the train texts held out (by a",
                "hash of the text; same writers as train, different texts); `test.jsonl` holds",
                "the texts written separately from train, after it, by other writers: its",
                "wording and authorship are disjoint from train. (The separately written",
                "files are kept whole as test, so that nothing is chosen on them.)",
            ]
            if dev_from_train
            else [
                "`dev.jsonl` and `test.jsonl` were written separately from `train.jsonl`,",
                "after it, each by writers of its own who saw no other split, so their",
                "wording and authorship are disjoint from train and from each other.",
            ]
        ),
        "`tests/extract/test_corpus_split.py` checks that no normalised text is shared and",
        "that held-out texts share few word 5-grams with train.",
        "",
        "Written by `import_free.py` (see its docstring); each line: `id`, `text`, `lang`,",
        "`category`, `style`, `case` (what kind of case, in a few words), `identifiers` (as in",
        "`../README.md`), `origin` (the source file).",
        "",
        "Sizes: " + ", ".join(f"{s} {len(splits[s])}" for s in SPLITS) + ".",
        "",
        "By source file (`origin`): "
        + "; ".join(
            f"{s} "
            + ", ".join(
                f"{o} {n}" for o, n in sorted(Counter(r["origin"] for r in splits[s]).items())
            )
            for s in SPLITS
        )
        + ".",
        "",
        "Dropped on import: "
        + (", ".join(f"{k} {v}" for k, v in sorted(rejects.items())) or "nothing")
        + ".",
    ]
    for split in SPLITS:
        parts += ["", f"## {split}", ""]
        parts += _table(splits[split], "lang", LANGS)
        parts += [""]
        parts += _table(splits[split], "style", STYLES)
    return "\n".join(parts) + "\n"


def main(argv: list[str] | None = None) -> None:
    """Command line: import SOURCE_DIR into extract/corpus/free/."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("source", type=Path)
    ap.add_argument("--partial", action="store_true", help="import files not marked done too")
    ap.add_argument(
        "--dev-from-train",
        type=float,
        default=0.0,
        help="hold this share of train out as dev; the separately written dev goes to test",
    )
    args = ap.parse_args(argv)
    splits, rejects = build(args.source, args.partial, args.dev_from_train)
    OUT.mkdir(exist_ok=True)
    for split, rows in splits.items():
        with (OUT / f"{split}.jsonl").open("w", encoding="utf-8") as fh:
            for row in rows:
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    (OUT / "README.md").write_text(readme(splits, rejects, args.dev_from_train), encoding="utf-8")
    sizes = {split: len(rows) for split, rows in splits.items()}
    print(f"written {sizes}; dropped {dict(sorted(rejects.items()))}", file=sys.stderr)


if __name__ == "__main__":
    main()
