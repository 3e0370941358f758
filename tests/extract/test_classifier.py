"""The classifier: its tokenizer, the Doc-free BOW scorer against spaCy, text preparation."""

from __future__ import annotations

import json

import numpy as np
import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from scamtrail.extract.bow import BowScorer
from scamtrail.extract.classifier import (
    CORPUS_DIR,
    SEPARATOR,
    ComplaintClassifier,
    apply_temperature,
    prepare,
    prepare_joined,
)
from scamtrail.extract.tokenizer import RegexTokenizer, skeleton, words

from scamtrail.records import CATEGORIES


@pytest.fixture(scope="module")
def classifier() -> ComplaintClassifier:
    return ComplaintClassifier(batch_size=64)


@pytest.fixture(scope="module")
def corpus_texts() -> list[str]:
    with (CORPUS_DIR / "dev.jsonl").open(encoding="utf-8") as fh:
        return [json.loads(line)["text"] for line in fh][:300]


def _pipe_scores(classifier: ComplaintClassifier, prepared: list[str]) -> np.ndarray:
    labels = classifier.fast.labels
    return np.array([[d.cats[lb] for lb in labels] for d in classifier.nlp.pipe(prepared)])


# -- tokenizer ------------------------------------------------------------------------------


def test_tokens_keep_devanagari_words_whole_and_split_punctuation():
    assert words("मेरे खाते से पैसे कट गए।") == ["मेरे", "खाते", "से", "पैसे", "कट", "गए", "।"]
    assert words("KYC update karo, warna a/c block!!") == [
        "KYC", "update", "karo", ",", "warna", "a", "/", "c", "block", "!", "!",
    ]  # fmt: skip
    assert words("call\u200b98765 @sbi_help #fraud") == [
        "call", "98765", "@", "sbi_help", "#", "fraud",
    ]  # fmt: skip


def test_shipped_model_uses_the_regex_tokenizer(classifier):
    assert isinstance(classifier.nlp.tokenizer, RegexTokenizer)
    doc = classifier.nlp("otp maanga, 0000 bataya")
    assert [t.text for t in doc] == ["otp", "mng", ",", "0000", "bt"]  # folded skeletons


# -- the Doc-free scorer equals spaCy ---------------------------------------------------------


def test_fast_scores_equal_nlp_pipe_on_corpus_texts(classifier, corpus_texts):
    assert classifier.fast is not None
    prepared = [prepare(t) for t in corpus_texts]
    fast = classifier.fast.predict(prepared)
    assert fast.shape == (len(prepared), 3)
    np.testing.assert_allclose(fast, _pipe_scores(classifier, prepared), rtol=0, atol=1e-6)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.lists(
            st.sampled_from(
                [*"abc xyz0912.,@#₹\n\t\x00", "कट", "खाते", "OTP", "🙏", " ", "\u200b", "\u00a0"]
            ),
            min_size=1,
            max_size=40,
        ).map("".join),
        min_size=1,
        max_size=6,
    )
)
def test_fast_scores_equal_nlp_pipe_on_any_batch(classifier, texts):
    # texts of one or two tokens, repeated tokens and texts shorter than an n-gram included
    prepared = [t for t in (prepare(x) for x in texts) if words(t)]
    if not prepared:
        return
    np.testing.assert_allclose(
        classifier.fast.predict(prepared), _pipe_scores(classifier, prepared), rtol=0, atol=1e-6
    )


def test_scores_are_probabilities_in_input_order(classifier, corpus_texts):
    batch = corpus_texts[:50]
    together = classifier.scores(batch)
    alone = [classifier.scores([t])[0] for t in batch]
    assert together == alone
    for s in together:
        assert set(s) == set(CATEGORIES)
        assert abs(sum(s.values()) - 1) < 1e-3


def test_texts_without_a_token_get_uniform_scores(classifier):
    out = classifier.scores(["", "   ", "\u200b\u200b", "\n\t", "bike wrong side 🙏"])
    for s in out[:4]:
        assert len(set(s.values())) == 1
    assert len(set(out[4].values())) == 3


def test_scorer_declines_a_pipeline_with_another_tokenizer():
    nlp = spacy.blank("xx")
    textcat = nlp.add_pipe(
        "textcat",
        config={
            "model": {
                "@architectures": "spacy.TextCatBOW.v3",
                "exclusive_classes": True,
                "ngram_size": 2,
                "no_output_layer": False,
            }
        },
    )
    for label in CATEGORIES:
        textcat.add_label(label)
    nlp.initialize()
    assert BowScorer.for_pipeline(nlp) is None


# -- preparation ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Call 98765 43210", "call 00000 00000"),
        ("९८७६५ ४३२१०", "00000 00000"),
        ("９８７６５", "00000"),
        ("Rs 1,25,000 OTP", "rs 0,00,000 otp"),
    ],
)
def test_prepare_lowercases_and_maps_every_digit_to_zero(text, expected):
    assert prepare(text) == expected


def test_prepare_joined_is_the_prepared_texts_joined():
    texts = ["Call 98765 43210", "", "a\x00b ९८", "OTP\x00", "x" * 2500]
    assert prepare_joined(texts) == f" {SEPARATOR} ".join(prepare(t) for t in texts)
    assert prepare("a\x00b") == "a b"


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.text(
            st.sampled_from(
                [*"aZ 0123456789+.\x00", "९", "०", "８", "０", "İ", "🙏", "ख", "ा", "é"]
            ),
            max_size=30,
        ),
        min_size=1,
        max_size=5,
    )
)
def test_prepare_joined_equals_prepare_on_any_texts(texts):
    # ASCII and other-script digits, letters that lowercase to two characters, emoji
    assert prepare_joined(texts) == f" {SEPARATOR} ".join(prepare(t) for t in texts)


# -- calibration ------------------------------------------------------------------------------


def test_temperature_softens_or_sharpens_without_changing_the_ranking():
    probs = np.array([[0.7, 0.2, 0.1], [0.34, 0.33, 0.33]])
    soft = apply_temperature(probs, 2.0)
    sharp = apply_temperature(probs, 0.5)
    np.testing.assert_allclose(soft.sum(axis=1), 1.0)
    assert soft[0, 0] < 0.7 < sharp[0, 0]
    assert (soft.argmax(axis=1) == probs.argmax(axis=1)).all()
    np.testing.assert_allclose(apply_temperature(probs, 1.0), probs)


def test_scores_are_the_model_scores_at_the_shipped_temperature(classifier, corpus_texts):
    prepared = [prepare(t) for t in corpus_texts[:40]]
    pipe = _pipe_scores(classifier, prepared)
    columns = [classifier.fast.labels.index(label) for label in CATEGORIES]
    expected = apply_temperature(pipe[:, columns], classifier.temperature)
    got = classifier.probabilities(corpus_texts[:40])
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-5)


# -- the folding tokenizer ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spellings", "expected"),
    [
        (["khata", "khaata", "खाता", "खाते"], "kt"),
        (["paise", "पैसे"], "ps"),
        (["helmet", "हेल्मेट"], "hlmt"),
        (["signal", "सिग्नल", "signall"], "sgnl"),
        (["pleaseee", "pls", "plz"], None),
    ],
)
def test_skeleton_is_the_same_across_spellings_and_scripts(spellings, expected):
    folded = {skeleton(w) for w in spellings}
    if expected is None:
        assert len(folded) <= 2
    else:
        assert folded == {expected}
    assert skeleton("0000") == "0000" and skeleton("@") == "@" and skeleton("ঘর") == "ঘর"


def test_fast_scores_equal_nlp_pipe_with_the_folding_tokenizer(corpus_texts):
    from scamtrail.extract.classifier import DEFAULT_CONFIG
    from spacy import util
    from spacy.training import Example

    config = util.load_config(DEFAULT_CONFIG)
    config["nlp"]["tokenizer"] = {"@tokenizers": "scamtrail.tokenizer.v2", "fold": "skeleton"}
    nlp = util.load_model_from_config(
        util.Config({k: v for k, v in config.items() if k != "train"}), auto_fill=True
    )
    textcat = nlp.get_pipe("textcat")
    for label in CATEGORIES:
        textcat.add_label(label)
    examples = [
        Example.from_dict(
            nlp.make_doc(prepare(t)), {"cats": {c: float(c == lb) for c in CATEGORIES}}
        )
        for t, lb in zip(corpus_texts[:120], [*CATEGORIES] * 40, strict=True)
    ]
    nlp.initialize(lambda: examples)
    nlp.update(examples)
    fast = BowScorer.for_pipeline(nlp)
    assert fast is not None
    prepared = [prepare(t) for t in corpus_texts]
    pipe = np.array([[d.cats[lb] for lb in fast.labels] for d in nlp.pipe(prepared)])
    np.testing.assert_allclose(fast.predict(prepared), pipe, rtol=0, atol=1e-6)


def test_fast_scores_stay_equal_when_the_chunk_table_is_reset(
    classifier, corpus_texts, monkeypatch
):
    import scamtrail.extract.bow as bow

    scorer = BowScorer.for_pipeline(classifier.nlp)
    monkeypatch.setattr(bow, "_HASH_CACHE_SIZE", 300)
    prepared = [prepare(t) for t in corpus_texts]
    expected = _pipe_scores(classifier, prepared)
    for start in range(0, len(prepared), 50):  # every batch brings new chunks; resets happen
        np.testing.assert_allclose(
            scorer.predict(prepared[start : start + 50]),
            expected[start : start + 50],
            rtol=0,
            atol=1e-6,
        )
    distinct = {chunk for text in prepared for chunk in text.split()}
    assert len(scorer._index) < len(distinct)  # the table was emptied on the way
