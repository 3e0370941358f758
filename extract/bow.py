"""Scoring a trained bag-of-n-grams textcat without building spaCy ``Doc`` objects.

A ``spacy.TextCatBOW`` model is ``extract_ngrams >> sparse_linear >> softmax``: hash each token's
``ORTH`` and each n-gram of those hashes, look the hashes up in one sparse weight table, sum and
normalise. spaCy computes that per ``Doc``, and building the ``Doc`` (tokenizer, lexemes, span
groups, a ``numpy.unique`` per doc) costs several times the arithmetic. :class:`BowScorer` feeds
the same trained layers for a whole batch at once, with no per-text numpy call:

- the batch's prepared texts are joined by :data:`SEPARATOR` and split at whitespace once;
  each distinct chunk is split by :data:`scamtrail.extract.tokenizer.TOKEN_RE` and its tokens
  turned into the model's ``StringStore`` ids (a hash, or spaCy's fixed id for its built-in
  symbols) the first time it is seen, then found by a dictionary lookup; the separator is a
  reserved key 0 (the id of the empty string, which is never a token);
- n-grams are hashed by the model's own ``ops.ngrams`` over the whole batch, and the ones that
  touch a separator dropped;
- the sparse layer is called once for the unigrams and once per n-gram order (each in text
  order, with per-text lengths), and the sums added. The layer is linear in the counts, so
  summing every occurrence equals spaCy's unique keys with their counts, up to float rounding.

The scores equal ``nlp.pipe`` scores to 1e-6 (the tests compare them); the model file is
unchanged. :func:`BowScorer.for_pipeline` returns ``None`` for any other architecture or
tokenizer, and the classifier then falls back to ``nlp.pipe``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import chain
from typing import Any

import numpy as np
from scamtrail.extract.classifier import SEPARATOR
from scamtrail.extract.tokenizer import TOKEN_RE, RegexTokenizer
from spacy.attrs import ORTH

#: Distinct whitespace-separated chunks whose token ids are remembered; the cache is emptied when it fills, so a long
#: stream of new words (numbers map to ``0``, so few are new) cannot grow memory without bound.
_HASH_CACHE_SIZE = 200_000

_SEPARATOR_KEY = 0


def _layer(model: Any, name: str) -> Any:
    for node in model.walk():
        if node.name == name:
            return node
    return None


class BowScorer:
    """Class probabilities from a trained BOW textcat, a batch of prepared texts at a time."""

    def __init__(
        self,
        strings: Any,
        ngrams: Any,
        sparse: Any,
        activation: Any,
        labels: Sequence[str],
        fold: Callable[[str], str] | None = None,
    ) -> None:
        self._strings = strings
        self._ngram_size = int(ngrams.attrs["ngram_size"])
        self._ops = ngrams.ops
        self._sparse = sparse
        self._activation = activation
        self.labels = tuple(labels)
        self._fold = fold
        self._chunks: dict[str, tuple[int, ...]] = {SEPARATOR: (_SEPARATOR_KEY,)}

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
        return cls(
            nlp.vocab.strings, ngrams, sparse, activation, textcat.labels, nlp.tokenizer.fold
        )

    def _keys(self, joined: str) -> np.ndarray:
        # Tokens never span whitespace, so the tokens of a text are those of its
        # whitespace-separated chunks: each distinct chunk ("karo,", "block!!") is split by
        # TOKEN_RE and hashed once, and a batch costs one str.split and dictionary lookups.
        chunks = joined.split()
        cache = self._chunks
        try:
            parts = list(map(cache.__getitem__, chunks))
        except KeyError:
            if len(cache) + len(chunks) > _HASH_CACHE_SIZE:
                cache.clear()
                cache[SEPARATOR] = (_SEPARATOR_KEY,)
            strings, findall, fold = self._strings, TOKEN_RE.findall, self._fold
            for chunk in chunks:
                if chunk not in cache:
                    # the ids a Doc would give the tokens; looking them up stores no string
                    tokens = findall(chunk)
                    if fold is not None:
                        tokens = [fold(word) for word in tokens]
                    cache[chunk] = tuple(strings[word] for word in tokens)
            parts = list(map(cache.__getitem__, chunks))
        return np.fromiter(chain.from_iterable(parts), dtype=np.uint64)

    def linear(self, joined: str, n: int) -> tuple[np.ndarray, np.ndarray]:
        """The sparse layer's output (``(n, len(labels))``, before the softmax) and the number of
        tokens of each text, for ``n`` prepared texts joined by :data:`SEPARATOR` between spaces
        (which none of them may contain). A text without a token gets the layer's bias alone."""
        keys = self._keys(joined)
        sep = keys == _SEPARATOR_KEY
        owner = np.cumsum(sep)
        word = ~sep
        lengths = np.bincount(owner[word], minlength=n).astype(np.int32)
        sparse = self._sparse
        out = sparse.predict((keys[word], np.ones(int(lengths.sum()), "f"), lengths))
        bias = sparse.get_param("b")
        # a window of the n tokens starting at i touches a separator when the running count
        # of separators moves inside it
        seps_before = np.concatenate(([0], owner))
        for size in range(2, self._ngram_size + 1):
            if len(keys) < size:
                break
            grams = self._ops.ngrams(size, keys)
            clean = seps_before[size : len(keys) + 1] == seps_before[: len(keys) - size + 1]
            gram_lengths = np.bincount(owner[: len(grams)][clean], minlength=n).astype(np.int32)
            out += sparse.predict(
                (grams[clean], np.ones(int(gram_lengths.sum()), "f"), gram_lengths)
            )
            out -= bias
        return out, lengths

    def predict(self, texts: Sequence[str]) -> np.ndarray:
        """A ``(len(texts), len(labels))`` array of scores for prepared, non-empty texts."""
        linear, _ = self.linear(f" {SEPARATOR} ".join(texts), len(texts))
        return np.asarray(self._activation.predict(linear))
