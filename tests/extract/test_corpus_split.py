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


# -- the free-written corpus ------------------------------------------------------------------

FREE = CORPUS_DIR / "free"
#: a held-out text sharing this share of its word 5-grams with one train text is a near copy
NEAR_COPY_SHARE = 0.5
#: the share of all held-out 5-grams that may also occur in train (set phrases: "please help",
#: "sir mera account" ...); measured when the splits were imported: dev 0.015, test 0.026 (with
#: Devanagari words kept whole, ``import_free.words``; cut at vowel signs it read 0.05 and 0.12)
SHARED_5_GRAMS_CEILING = 0.05


def _free(split: str) -> list[dict]:
    with (FREE / f"{split}.jsonl").open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


@pytest.fixture(scope="module")
def free() -> dict[str, list[dict]]:
    return {split: _free(split) for split in ("train", "dev", "test")}


def test_free_splits_are_large_and_labelled(free):
    import import_free

    assert len(free["train"]) + len(free["dev"]) >= 1500
    assert len(free["dev"]) >= 300 and len(free["test"]) >= 60
    ids = [r["id"] for rows in free.values() for r in rows]
    assert len(ids) == len(set(ids))
    for rows in free.values():
        for r in rows:
            assert r["category"] in import_free.CATEGORIES and r["lang"] in import_free.LANGS
            assert r["style"] in import_free.STYLES
            for ident in r["identifiers"]:
                assert r["text"][ident["start"] : ident["end"]] == ident["text"]
        for category in import_free.CATEGORIES:
            assert sum(r["category"] == category for r in rows) >= 0.15 * len(rows), category


def test_free_held_out_texts_are_written_apart_from_train(free):
    import import_free

    # test was written by another writer, apart from train (dev may be a share of train's
    # writers' texts, see corpus/free/README.md)
    assert not {r["origin"] for r in free["train"]} & {r["origin"] for r in free["test"]}
    train_texts = {import_free.normalised(r["text"]) for r in free["train"] + _rows("train")}
    for split in ("dev", "test"):
        held_out = [import_free.normalised(r["text"]) for r in free[split]]
        assert not set(held_out) & train_texts, split
    assert not {import_free.normalised(r["text"]) for r in free["dev"]} & {
        import_free.normalised(r["text"]) for r in free["test"]
    }


def test_free_held_out_texts_share_few_5_grams_with_train(free):
    import import_free

    train_grams: dict[tuple[str, ...], set[int]] = {}
    for n, r in enumerate(free["train"] + _rows("train")):
        for gram in import_free.shingles(r["text"]):
            train_grams.setdefault(gram, set()).add(n)
    for split in ("dev", "test"):
        grams_total = grams_shared = near_copies = 0
        for r in free[split]:
            grams = import_free.shingles(r["text"])
            hits: dict[int, int] = {}
            for gram in grams:
                for n in train_grams.get(gram, ()):
                    hits[n] = hits.get(n, 0) + 1
            grams_total += len(grams)
            grams_shared += sum(1 for gram in grams if gram in train_grams)
            near_copies += bool(hits) and max(hits.values()) >= NEAR_COPY_SHARE * len(grams)
        assert near_copies <= 0.01 * len(free[split]), (split, near_copies)
        assert grams_shared <= SHARED_5_GRAMS_CEILING * grams_total, (split, grams_shared)
