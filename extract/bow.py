"""Scoring a trained bag-of-n-grams textcat without building spaCy ``Doc`` objects.

A ``spacy.TextCatBOW`` model is ``extract_ngrams >> sparse_linear >> softmax``: hash each token's
``ORTH`` and each n-gram of those hashes, look the hashes up in one sparse weight table, sum and
normalise. spaCy computes that per ``Doc``, and building the ``Doc`` (tokenizer, lexemes, span
groups, a ``numpy.unique`` per doc) costs several times the arithmetic. :class:`BowScorer` feeds
the same trained layers the same ``(keys, counts, lengths)`` input for a whole batch at once:
tokens from :func:`scamtrail.extract.tokenizer.words`, hashed by the model's ``StringStore``
(a hash, or spaCy's fixed id for its built-in symbols), n-grams
hashed with the model's own ``ops.ngrams``, de-duplicated per text in one sort. The scores equal
``nlp.pipe`` scores (the tests compare them); the model file is unchanged.

:func:`BowScorer.for_pipeline` returns ``None`` for any other architecture or tokenizer, and the
classifier then falls back to ``nlp.pipe``.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import chain
from typing import Any

import numpy as np
from scamtrail.extract.tokenizer import TOKEN_RE, RegexTokenizer
from spacy.attrs import ORTH

#: Distinct tokens whose hashes are remembered; the cache is emptied when it fills, so a long
#: stream of new words (numbers map to ``0``, so few are new) cannot grow memory without bound.
_HASH_CACHE_SIZE = 200_000


def _layer(model: Any, name: str) -> Any:
    for node in model.walk():
        if node.name == name:
            return node
    return None


class BowScorer:
    """Class probabilities from a trained BOW textcat, a batch of prepared texts at a time."""

    def __init__(
        self, strings: Any, ngrams: Any, sparse: Any, activation: Any, labels: Sequence[str]
    ) -> None:
        self._strings = strings
        self._ngram_size = int(ngrams.attrs["ngram_size"])
        self._ops = ngrams.ops
        self._sparse = sparse
        self._activation = activation
        self.labels = tuple(labels)
        self._hashes: dict[str, int] = {}

    @classmethod
    def for_pipeline(cls, nlp: Any, pipe_name: str = "textcat") -> BowScorer | None:
        """A scorer for ``nlp``'s textcat, or ``None`` when it is not a BOW model behind the
        regex tokenizer (the caller then uses ``nlp.pipe``)."""
        if not isinstance(nlp.tokenizer, RegexTokenizer) or pipe_name not in nlp.pipe_names:
            return None
        textcat = nlp.get_pipe(pipe_name)
        model = textcat.model
        ngrams = _layer(model, "extract_ngrams")
        sparse = model.get_ref("output_layer") if model.has_ref("output_layer") else None
        activation = _layer(model, "softmax_activation") or _layer(model, "logistic")
        expected = {"extract_ngrams", "sparse_linear", "softmax_activation", "logistic"}
        if (
            ngrams is None
            or sparse is None
            or not sparse.name.startswith("sparse_linear")
            or ngrams.attrs.get("attr") != ORTH
            or activation is None
            # anything else in the graph (an ensemble's CNN half, ...) is not computed here
            or not {n.name for n in model.walk() if "(" not in n.name and ">>" not in n.name}
            <= expected
        ):
            return None
        return cls(nlp.vocab.strings, ngrams, sparse, activation, textcat.labels)

    def _keys(self, text: str) -> list[int]:
        tokens = TOKEN_RE.findall(text)
        try:
            return list(map(self._hashes.__getitem__, tokens))
        except KeyError:
            pass
        cache = self._hashes
        if len(cache) + len(tokens) > _HASH_CACHE_SIZE:
            cache.clear()
        for word in tokens:
            if word not in cache:
                # the id a Doc would give the token; looking it up does not store the string
                cache[word] = self._strings[word]
        return list(map(cache.__getitem__, tokens))

    def predict(self, texts: Sequence[str]) -> np.ndarray:
        """A ``(len(texts), len(labels))`` array of scores for prepared, non-empty texts."""
        per_text = [self._keys(t) for t in texts]
        lengths = np.fromiter(map(len, per_text), dtype=np.int64, count=len(per_text))
        unigrams = np.fromiter(
            chain.from_iterable(per_text), dtype=np.uint64, count=int(lengths.sum())
        )
        owner = np.repeat(np.arange(len(texts), dtype=np.int64), lengths)
        keys, docs = [unigrams], [owner]
        for n in range(2, self._ngram_size + 1):
            if len(unigrams) < n:
                break
            grams = self._ops.ngrams(n, unigrams)
            # n-grams of the concatenation that span two texts are not n-grams of either
            same = owner[: len(grams)] == owner[n - 1 :]
            keys.append(grams[same])
            docs.append(owner[: len(grams)][same])
        all_keys = np.concatenate(keys)
        all_docs = np.concatenate(docs)
        # per text, unique keys in ascending order with their counts: what numpy.unique gives
        # spaCy for each doc, so the sparse layer sums in the same order
        order = np.lexsort((all_keys, all_docs))
        all_keys, all_docs = all_keys[order], all_docs[order]
        first = np.ones(len(all_keys), dtype=bool)
        first[1:] = (all_keys[1:] != all_keys[:-1]) | (all_docs[1:] != all_docs[:-1])
        starts = np.flatnonzero(first)
        counts = np.diff(np.append(starts, len(all_keys))).astype("f")
        out_lengths = np.bincount(all_docs[starts], minlength=len(texts)).astype("int32")
        scores = self._sparse.predict((all_keys[starts], counts, out_lengths))
        return np.asarray(self._activation.predict(scores))
