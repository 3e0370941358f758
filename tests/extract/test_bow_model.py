"""The spaCy-free BOW scorer: its hashes, weight table and scores against spaCy's and thinc's."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scamtrail.extract import murmur
from scamtrail.extract.bow import BowScorer
from scamtrail.extract.bow_model import ORTH, load_bow_scorer, read_msgpack
from scamtrail.extract.classifier import CORPUS_DIR, DEFAULT_MODEL, ComplaintClassifier, prepare


@pytest.fixture(scope="module")
def classifier() -> ComplaintClassifier:
    return ComplaintClassifier(batch_size=64)


@pytest.fixture(scope="module")
def corpus_texts() -> list[str]:
    texts = []
    for name in ("train.jsonl", "dev.jsonl", "test.jsonl"):
        with (CORPUS_DIR / name).open(encoding="utf-8") as fh:
            texts += [json.loads(line)["text"] for line in fh]
    return texts


def test_symbol_table_is_spacys_lowercase_symbols():
    from spacy.attrs import ORTH as SPACY_ORTH
    from spacy.symbols import IDS

    assert {k: v for k, v in IDS.items() if k == k.lower()} == murmur.SYMBOLS
    assert ORTH == SPACY_ORTH


@settings(max_examples=80, deadline=None)
@given(st.lists(st.text(max_size=40), min_size=1, max_size=30))
def test_token_ids_equal_the_string_store(words):
    from spacy.strings import StringStore

    strings = StringStore()
    words = [w.lower() for w in words] + ["", "cc", "number", "_", "otp", "खाता"]
    assert murmur.token_ids(words).tolist() == [strings[w] for w in words]


@settings(max_examples=50, deadline=None)
@given(st.lists(st.integers(0, 2**64 - 1), max_size=50), st.integers(1, 4))
def test_ngram_ids_equal_thincs(keys, n):
    from thinc.api import NumpyOps

    array = np.array(keys, dtype=np.uint64)
    if len(array) < n:
        assert len(murmur.hash_windows(n, array)) == 0
        return
    assert murmur.hash_windows(n, array).tolist() == NumpyOps().ngrams(n, array).tolist()


def test_sparse_weights_equal_thincs_layer(classifier):
    fast = load_bow_scorer(DEFAULT_MODEL)
    layer = classifier.nlp.get_pipe("textcat").model.get_ref("output_layer")
    rng = np.random.default_rng(3)
    keys = rng.integers(0, 2**63, 5000, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
    values = rng.integers(1, 4, 5000).astype("f")
    lengths = np.array([0, 1, 2, 997, 4000], dtype=np.int32)
    np.testing.assert_allclose(
        fast._sparse.predict((keys, values, lengths)),
        layer.predict((keys, values, lengths)),
        rtol=1e-6,  # thinc sums 4,000 keys in float32 one by one, this in float64
        atol=1e-6,
    )


def test_model_file_reads_like_srsly():
    import srsly

    data = (DEFAULT_MODEL / "textcat" / "model").read_bytes()
    ours, theirs = read_msgpack(data), srsly.msgpack_loads(data)
    assert ours["nodes"] == theirs["nodes"] and ours["attrs"] == theirs["attrs"]
    for mine, other in zip(ours["params"], theirs["params"], strict=True):
        assert mine.keys() == other.keys()
        for name in mine:
            np.testing.assert_array_equal(mine[name], other[name])


def test_scores_equal_spacy_on_the_whole_corpus(classifier, corpus_texts):
    # the scorer read from files against spaCy's nlp.pipe, every corpus text, one batch of 512
    # at a time as the stage scores them
    numpy_scorer = load_bow_scorer(DEFAULT_MODEL)
    spacy_scorer = BowScorer.for_pipeline(classifier.nlp)
    assert numpy_scorer is not None and spacy_scorer is not None
    prepared = [prepare(t) for t in corpus_texts]
    for start in range(0, len(prepared), 512):
        batch = prepared[start : start + 512]
        np.testing.assert_allclose(
            numpy_scorer.predict(batch), spacy_scorer.predict(batch), rtol=0, atol=1e-6
        )
    sample = prepared[:400]
    pipe = np.array(
        [[d.cats[lb] for lb in numpy_scorer.labels] for d in classifier.nlp.pipe(sample)]
    )
    np.testing.assert_allclose(numpy_scorer.predict(sample), pipe, rtol=0, atol=1e-6)


def test_serving_never_imports_spacy():
    code = (
        "import sys\n"
        "from scamtrail.extract.pipeline import ComplaintExtractor\n"
        "from scamtrail.records import Complaint\n"
        "ex = ComplaintExtractor()\n"
        "c = Complaint(id='t:1', source='t', text='otp maanga 9876543210', created_at='2026-01-01T00:00:00Z')\n"
        "assert ex.enrich([c])[0][0].category\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('spacy', 'thinc', 'srsly')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_other_models_are_not_read_without_spacy(tmp_path):
    # a model directory whose config names another tokenizer falls back to spaCy
    for name in ("meta.json", "config.cfg"):
        text = (DEFAULT_MODEL / name).read_text(encoding="utf-8")
        (tmp_path / name).write_text(text.replace("scamtrail.tokenizer.v2", "spacy.Tokenizer.v1"))
    (tmp_path / "textcat").mkdir()
    for name in ("cfg", "model"):
        (tmp_path / "textcat" / name).write_bytes((DEFAULT_MODEL / "textcat" / name).read_bytes())
    assert load_bow_scorer(tmp_path) is None
    assert load_bow_scorer(DEFAULT_MODEL) is not None


def test_a_damaged_model_file_is_one_clear_error(tmp_path):
    from scamtrail.errors import ConfigError

    for name in ("meta.json", "config.cfg"):
        (tmp_path / name).write_bytes((DEFAULT_MODEL / name).read_bytes())
    (tmp_path / "textcat").mkdir()
    (tmp_path / "textcat" / "cfg").write_bytes((DEFAULT_MODEL / "textcat" / "cfg").read_bytes())
    data = (DEFAULT_MODEL / "textcat" / "model").read_bytes()
    (tmp_path / "textcat" / "model").write_bytes(data[: len(data) // 2])  # cut short
    with pytest.raises(ConfigError, match="cannot read the classifier at"):
        ComplaintClassifier(tmp_path)
