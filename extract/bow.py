"""Scoring a trained bag-of-n-grams textcat without building spaCy ``Doc`` objects.

A ``spacy.TextCatBOW`` model is ``extract_ngrams >> sparse_linear >> softmax``: hash each token's
``ORTH`` and each n-gram of those hashes, look the hashes up in one sparse weight table, sum and
normalise. spaCy computes that per ``Doc``, and building the ``Doc`` (tokenizer, lexemes, span
groups, a ``numpy.unique`` per doc) costs several times the arithmetic. :class:`BowScorer` feeds
the same trained layers for a whole batch at once, with no per-text numpy call:

- the batch's prepared texts are joined by :data:`SEPARATOR` and split at whitespace once;
  tokens never span whitespace, so a text's tokens are those of its chunks ("karo,", "0000");
- the first time a chunk is seen, it is split by :data:`scamtrail.extract.tokenizer.TOKEN_RE`,
  its tokens become the model's ``StringStore`` ids (a hash, or spaCy's fixed id for its
  built-in symbols), and the summed weights of its unigrams and inner bigrams (one sparse-layer
  call for all new chunks of the batch) are stored in a table with its first and last token;
- a batch is then one dictionary lookup per chunk, a ``bincount`` per class over the table's
  rows, and one sparse-layer call for the bigrams that join two chunks (last token of one,
  first of the next; those touching the separator dropped). The layer is linear in the counts,
  so these sums equal spaCy's unique keys with their counts, up to float rounding. Models with
  longer n-grams take a slower path that hashes every n-gram of the batch.

The scores equal ``nlp.pipe`` scores to 1e-6 (the tests compare them); the model file is
unchanged. :func:`BowScorer.for_pipeline` returns ``None`` for any other architecture or
tokenizer, and the classifier then falls back to ``nlp.pipe``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import chain
from operator import itemgetter
from typing import Any

import numpy as np
from scamtrail.extract.classifier import SEPARATOR
from scamtrail.extract.tokens import TOKEN_RE

#: Distinct whitespace-separated chunks whose token ids are remembered; the cache is emptied when it fills, so a long
#: stream of new words (numbers map to ``0``, so few are new) cannot grow memory without bound.
_HASH_CACHE_SIZE = 200_000

_SEPARATOR_KEY = 0


def _rows_of(index: dict[str, int], chunks: list[str]) -> np.ndarray:
    """``index[chunk]`` for every chunk, as an array (``KeyError`` for one not in ``index``).
    One itemgetter call looks them all up in C: a third faster than ``map`` over the batch's
    thousands of chunks."""
    if len(chunks) < 2:  # itemgetter of one key returns the value, not a tuple
        return np.fromiter(map(index.__getitem__, chunks), dtype=np.int64, count=len(chunks))
    return np.fromiter(itemgetter(*chunks)(index), dtype=np.int64, count=len(chunks))


class _ChunkRows:
    """Per distinct chunk: the summed weights of its unigrams and inner bigrams, its token
    count (-1 for the separator) and its first and last token ids."""

    def __init__(self, capacity: int, width: int) -> None:
        self.vectors = np.zeros((capacity, width), "f")
        self.size = np.zeros(capacity, np.int64)
        self.first_key = np.zeros(capacity, np.uint64)
        self.last_key = np.zeros(capacity, np.uint64)

    def resized(self, capacity: int) -> _ChunkRows:
        """A copy with room for ``capacity`` chunks."""
        grown = _ChunkRows(capacity, self.vectors.shape[1])
        n = len(self.size)
        grown.vectors[:n], grown.size[:n] = self.vectors, self.size
        grown.first_key[:n], grown.last_key[:n] = self.first_key, self.last_key
        return grown


def _layer(model: Any, name: str) -> Any:
    for node in model.walk():
        if node.name == name:
            return node
    return None


class BowScorer:
    """Class probabilities from a trained BOW textcat, a batch of prepared texts at a time."""

    def __init__(
        self,
        token_ids: Callable[[Sequence[str]], Sequence[int]],
        ngram_size: int,
        ops: Any,
        sparse: Any,
        activation: Any,
        labels: Sequence[str],
        fold: Callable[[str], str] | None = None,
    ) -> None:
        """``token_ids`` maps tokens to the model's ``StringStore`` ids, ``ops.ngrams(n, keys)``
        hashes n-grams, ``sparse`` is the ``sparse_linear`` layer (``predict``, ``get_param``)
        and ``activation`` the output layer (``predict``): spaCy's own objects
        (:meth:`for_pipeline`) or their numpy equivalents (:mod:`.bow_model`)."""
        self._token_ids = token_ids
        self._ngram_size = int(ngram_size)
        self._ops = ops
        self._sparse = sparse
        self._activation = activation
        self.labels = tuple(labels)
        self._fold = fold
        self._folded: dict[str, str] = {}
        # unigram/bigram models: per distinct chunk, its summed weights and first/last token
        self._index: dict[str, int] = {}
        self._rows = _ChunkRows(0, len(self.labels))
        self._reset()
        # longer n-grams: per distinct chunk, its token ids
        self._chunks: dict[str, tuple[int, ...]] = {}

    @classmethod
    def for_pipeline(cls, nlp: Any, pipe_name: str = "textcat") -> BowScorer | None:
        """A scorer for ``nlp``'s textcat, or ``None`` when it is not a BOW model behind the
        regex tokenizer (the caller then uses ``nlp.pipe``). The scorer keeps sums of the
        model's weights: build it after training, not before."""
        from scamtrail.extract.tokenizer import RegexTokenizer
        from spacy.attrs import ORTH

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
        strings = nlp.vocab.strings
        return cls(
            lambda words: [strings[word] for word in words],
            int(ngrams.attrs["ngram_size"]),
            ngrams.ops,
            sparse,
            activation,
            textcat.labels,
            nlp.tokenizer.fold,
        )

    def _words(self, chunk: str) -> list[str]:
        tokens = TOKEN_RE.findall(chunk)
        if self._fold is not None:
            # chunks differ by their punctuation ("karo", "karo,", "karo!!") far more often
            # than by their words: each word is folded once
            folded = self._folded
            if len(folded) > _HASH_CACHE_SIZE:
                folded.clear()
            fold = self._fold
            out = []
            for word in tokens:
                f = folded.get(word)
                if f is None:
                    f = folded[word] = fold(word)
                out.append(f)
            return out
        return tokens

    def _tokens(self, chunk: str) -> list[int]:
        # the ids a Doc would give the chunk's tokens; looking them up stores no string
        return list(self._token_ids(self._words(chunk)))

    def _chunk_index(self, chunks: list[str]) -> np.ndarray:
        """Row numbers of the chunks in the chunk table, adding the new ones."""
        index = self._index
        try:
            return _rows_of(index, chunks)
        except KeyError:
            pass
        new = [c for c in dict.fromkeys(chunks) if c not in index]
        if len(index) + len(new) > _HASH_CACHE_SIZE:
            self._reset()
            index = self._index
            new = [c for c in dict.fromkeys(chunks) if c != SEPARATOR]
        words = [self._words(c) for c in new]
        first = len(index)
        rows = self._grow(first + len(new))
        # each chunk's own unigrams and bigrams, summed by one call of the sparse layer; the
        # token ids of all new chunks come from one token_ids call
        keys = np.asarray(self._token_ids(list(chain.from_iterable(words))), dtype=np.uint64)
        lengths = np.fromiter(map(len, words), dtype=np.int64, count=len(new))
        owner = np.repeat(np.arange(len(new)), lengths)
        parts_keys, parts_owner = [keys], [owner]
        if self._ngram_size >= 2 and len(keys) >= 2:
            same = owner[:-1] == owner[1:]
            parts_keys.append(self._ops.ngrams(2, keys)[same])
            parts_owner.append(owner[:-1][same])
        all_keys, all_owner = np.concatenate(parts_keys), np.concatenate(parts_owner)
        order = np.argsort(all_owner, kind="stable")
        counts = np.bincount(all_owner, minlength=len(new)).astype(np.int32)
        sums = self._sparse.predict(
            (all_keys[order], np.ones(len(all_keys), "f"), counts)
        ) - self._sparse.get_param("b")
        added = slice(first, first + len(new))
        rows.vectors[added] = sums
        rows.size[added] = lengths
        nonempty = lengths > 0
        ends = np.cumsum(lengths)
        rows.first_key[added][nonempty] = keys[(ends - lengths)[nonempty]]
        rows.last_key[added][nonempty] = keys[ends[nonempty] - 1]
        for offset, chunk in enumerate(new):
            index[chunk] = first + offset
        return _rows_of(index, chunks)

    def _reset(self) -> None:
        self._index = {SEPARATOR: 0}
        self._rows = _ChunkRows(1024, len(self.labels))
        self._rows.size[0] = -1  # the separator: no weights, never part of a bigram

    def _grow(self, needed: int) -> _ChunkRows:
        if needed > len(self._rows.size):
            self._rows = self._rows.resized(max(needed, 2 * len(self._rows.size)))
        return self._rows

    def linear(self, joined: str, n: int) -> tuple[np.ndarray, np.ndarray]:
        """The sparse layer's output (``(n, len(labels))``, before the softmax) and the number of
        tokens of each text, for ``n`` prepared texts joined by :data:`SEPARATOR` between spaces
        (which none of them may contain). A text without a token gets the layer's bias alone."""
        if self._ngram_size > 2:
            return self._linear_tokens(joined, n)
        rows_of = self._chunk_index(joined.split())
        table = self._rows
        size = np.take(table.size, rows_of)
        rows_of, size = rows_of[size != 0], size[size != 0]  # chunks without a token drop out
        sep = size < 0
        owner = np.cumsum(sep)
        word = ~sep
        owner_w, rows_w = owner[word], rows_of[word]
        lengths = np.bincount(owner_w, weights=size[word], minlength=n).astype(np.int32)
        vectors = np.take(table.vectors, rows_w, axis=0)
        out = np.empty((n, len(self.labels)), "f")
        for c in range(len(self.labels)):
            out[:, c] = np.bincount(owner_w, weights=vectors[:, c], minlength=n)
        out += self._sparse.get_param("b")
        if self._ngram_size == 2 and len(rows_of) >= 2:
            # the bigrams that join the last token of a chunk to the first of the next
            pairs = np.empty(2 * (len(rows_of) - 1), dtype=np.uint64)
            pairs[0::2] = np.take(table.last_key, rows_of[:-1])
            pairs[1::2] = np.take(table.first_key, rows_of[1:])
            grams = self._ops.ngrams(2, pairs)[0::2]
            clean = word[:-1] & word[1:]
            gram_lengths = np.bincount(owner[:-1][clean], minlength=n).astype(np.int32)
            out += self._sparse.predict(
                (grams[clean], np.ones(int(gram_lengths.sum()), "f"), gram_lengths)
            )
            out -= self._sparse.get_param("b")
        return out, lengths

    def _keys(self, joined: str) -> np.ndarray:
        chunks = joined.split()
        cache = self._chunks
        if len(cache) + len(chunks) > _HASH_CACHE_SIZE:
            cache.clear()
        for chunk in chunks:
            if chunk not in cache:
                cache[chunk] = (
                    (_SEPARATOR_KEY,) if chunk == SEPARATOR else tuple(self._tokens(chunk))
                )
        return np.fromiter(chain.from_iterable(map(cache.__getitem__, chunks)), dtype=np.uint64)

    def _linear_tokens(self, joined: str, n: int) -> tuple[np.ndarray, np.ndarray]:
        # n-grams longer than two can span several chunks: every token's id, every n-gram
        # hashed over the batch (the ones touching a separator dropped)
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
