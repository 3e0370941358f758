"""Everything the extractors find in a fixed set of texts, to prove a change kept the output.

A change made for speed must not change a single identifier, entity or offset. Write a snapshot
before the change and one after, and compare them::

    python -m scamtrail.extract.snapshot before.jsonl
    ... change the code ...
    python -m scamtrail.extract.snapshot after.jsonl
    cmp before.jsonl after.jsonl

The texts are the whole corpus (train, dev, test), the same texts with a reference and a fresh
number appended (as the stage benchmark builds its distinct texts), and random sequences of the
fragments the extractors react to (digits in several scripts, separators, ``@`` handles, defanged
dots, currency, account words, emoji, masks). Each output line is
``[text, identifiers, entities]`` as JSON.
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Iterator
from pathlib import Path

from scamtrail.extract.classifier import CORPUS_DIR
from scamtrail.extract.identifiers import IdentifierExtractor

FRAGMENTS = [
    "call ", "+91 ", "98765", "43210", " ", "-", "@ybl", "@gmail.com", "Rs ", "₹", "1,25,000",
    "a/c no ", "MH ", "02 ", "AB ", "1234", "bit.ly/", "[.]", "www.", ".com", "sbi ", "HDFC ",
    "lakh", "k ", "०९८७", "📞", "👉", "*", "•", "x", "\u200d", "\ufe0f", ".", "/", "paytm ",
    "5000", "rupees", "UTR ", "OTP ",
]  # fmt: skip


def snapshot_texts(distinct: int = 20000, random_texts: int = 20000, seed: int = 5) -> list[str]:
    """The corpus, ``distinct`` corpus texts made unique, and ``random_texts`` fragment soups."""
    base = []
    for name in ("train.jsonl", "dev.jsonl", "test.jsonl"):
        with (CORPUS_DIR / name).open(encoding="utf-8") as fh:
            base += [json.loads(line)["text"] for line in fh]
    rng = random.Random(seed)
    texts = list(base)
    for i in range(distinct):
        number = f"{rng.choice('6789')}{rng.randrange(10**8, 10**9)}"
        texts.append(f"{base[i % len(base)]} ref {i} call {number}")
    for _ in range(random_texts):
        texts.append("".join(rng.choice(FRAGMENTS) for _ in range(rng.randint(1, 20))))
    return texts


def snapshot_lines(texts: list[str], region: str = "IN") -> Iterator[str]:
    """One JSON line per text: the text, its identifiers and its entities."""
    extractor = IdentifierExtractor(region=region)
    for text in texts:
        identifiers = [i.model_dump() for i in extractor.identifiers(text)]
        entities = [e.model_dump() for e in extractor.entities(text)]
        yield json.dumps([text, identifiers, entities], ensure_ascii=False)


def main(argv: list[str] | None = None) -> None:
    """Write the snapshot to the file named on the command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="JSONL file to write")
    parser.add_argument("--distinct", type=int, default=20000)
    parser.add_argument("--random", type=int, default=20000)
    args = parser.parse_args(argv)
    texts = snapshot_texts(args.distinct, args.random)
    with args.out.open("w", encoding="utf-8") as fh:
        for line in snapshot_lines(texts):
            fh.write(line + "\n")
    print(f"{len(texts)} texts -> {args.out}")


if __name__ == "__main__":
    main()
