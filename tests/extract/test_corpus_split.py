"""The corpus splits: dev and test are held-out templates, and the files are what the generator
writes."""

from __future__ import annotations

import json
import random
import sys

import pytest
from scamtrail.extract.classifier import CORPUS_DIR

sys.path.insert(0, str(CORPUS_DIR))
import build_corpus  # noqa: E402


def _rows(split: str) -> list[dict]:
    with (CORPUS_DIR / f"{split}.jsonl").open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def test_train_dev_and_test_templates_are_disjoint_in_every_group():
    train, dev, test = build_corpus.split_templates(random.Random(build_corpus.SEED))
    assert set(train) == set(dev) == set(test) == set(build_corpus.TEMPLATES)
    for key in build_corpus.TEMPLATES:
        ids = [{tid for tid, _ in pool[key]} for pool in (train, dev, test)]
        assert ids[0] and ids[1] and ids[2], key
        assert not ids[0] & ids[1] and not ids[0] & ids[2] and not ids[1] & ids[2], key
        assert len(ids[1]) >= len(build_corpus.TEMPLATES[key]) * 0.1, key


@pytest.fixture(scope="module")
def built() -> dict[str, list[dict]]:
    return build_corpus.build()


def test_dev_and_test_texts_come_only_from_their_own_templates(built):
    train, dev, test = build_corpus.split_templates(random.Random(build_corpus.SEED))
    for split, pool in (("dev", dev), ("test", test)):
        allowed = {tid for items in pool.values() for tid, _ in items}
        used = {r["_template"] for r in built[split]}
        assert used <= allowed, split
        assert not any("/g" in t for t in used), f"{split} uses a phrase grammar"
    train_ids = {tid for items in train.values() for tid, _ in items}
    assert {r["_template"] for r in built["train"] if "/g" not in r["_template"]} <= train_ids


def test_shipped_files_are_what_the_generator_writes(built):
    for split in ("train", "dev", "test"):
        shipped = [(r["id"], r["text"], r["category"]) for r in _rows(split)]
        assert shipped == [(r["id"], r["text"], r["category"]) for r in built[split]], split
    sizes = {split: len(_rows(split)) for split in ("train", "dev", "test")}
    assert sizes["dev"] >= 500 and sizes["test"] >= 500
