"""The hashes a spaCy BOW textcat is trained on, computed with numpy for whole arrays at once.

A trained ``spacy.TextCatBOW`` model only knows its inputs through three hash functions:

- a token's id is its ``StringStore`` key: ``MurmurHash64A`` of its UTF-8 bytes with seed 1
  (``spacy.strings.hash_string``), except spaCy's built-in symbols, which have small fixed ids;
- an n-gram's id is ``MurmurHash64A`` of its tokens' ids as ``n`` little-endian 64-bit words,
  seed 0 (``thinc``'s ``NumpyOps.ngrams``);
- an id's two rows in the sparse weight table are ``MurmurHash3_x86_32`` of the 64-bit id with
  seeds 0 and 1 (``thinc``'s ``sparse_linear``).

Computing them here lets :mod:`scamtrail.extract.bow_model` score a shipped model without
importing spaCy or thinc (their import is most of the extract stage's start-up). numpy's unsigned
arithmetic wraps modulo 2**32 / 2**64 as the C code does. ``tests/extract/test_bow_model.py``
checks every function against spaCy's and thinc's own on random and corpus inputs.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

_M = np.uint64(0xC6A4A7935BD1E995)
_R = np.uint64(47)

#: spaCy's built-in symbols (``spacy.symbols.IDS``) that a lowercased token can equal: the
#: classifier only hashes lowercased text, so the symbols with capitals never occur. A token
#: equal to one of these has this id instead of its hash (``StringStore.__getitem__``).
#: ``tests/extract/test_bow_model.py`` checks the table against spaCy's.
SYMBOLS: dict[str, int] = dict(
    zip(
        [
            "acomp",
            "advcl",
            "advmod",
            "agent",
            "amod",
            "appos",
            "attr",
            "aux",
            "auxpass",
            "cc",
            "ccomp",
            "complm",
            "conj",
            "cop",
            "csubj",
            "csubjpass",
            "dep",
            "det",
            "dobj",
            "expl",
            "hmod",
            "hyph",
            "infmod",
            "intj",
            "iobj",
            "mark",
            "meta",
            "neg",
            "nmod",
            "nn",
            "npadvmod",
            "nsubj",
            "nsubjpass",
            "num",
            "number",
            "oprd",
            "obj",
            "obl",
            "parataxis",
            "partmod",
            "pcomp",
            "pobj",
            "poss",
            "possessive",
            "preconj",
            "prep",
            "prt",
            "punct",
            "quantmod",
        ],
        range(398, 447),
        strict=True,
    )
)
SYMBOLS.update({"": 0, "relcl": 447, "rcmod": 448, "root": 449, "xcomp": 450, "acl": 451, "_": 456})


def _finish64(h: np.ndarray) -> np.ndarray:
    h ^= h >> _R
    h *= _M
    h ^= h >> _R
    return h


def _mix64(block: np.ndarray) -> np.ndarray:
    k = block * _M
    k ^= k >> _R
    k *= _M
    return k


def hash_strings(strings: Sequence[str], seed: int = 1) -> np.ndarray:
    """``MurmurHash64A`` of each string's UTF-8 bytes (spaCy's ``hash_string`` for seed 1)."""
    data = [s.encode("utf-8") for s in strings]
    n = len(data)
    if n == 0:
        return np.zeros(0, np.uint64)
    lengths = np.fromiter(map(len, data), dtype=np.int64, count=n)
    width = int((lengths.max() + 7) // 8)
    buf = np.zeros((n, max(width, 1) * 8), np.uint8)
    flat = np.frombuffer(b"".join(data), np.uint8)
    if len(flat):
        starts = np.cumsum(lengths) - lengths
        rows = np.repeat(np.arange(n), lengths)
        cols = np.arange(len(flat)) - np.repeat(starts, lengths)
        buf[rows, cols] = flat
    blocks = buf.view("<u8")  # (n, width): the bytes as little-endian 64-bit words
    ulen = lengths.astype(np.uint64)
    h = np.uint64(seed) ^ (ulen * _M)
    full = lengths // 8
    tail = (lengths & 7) > 0
    for b in range(width):
        block = blocks[:, b]
        whole = full > b
        h = np.where(whole, (h ^ _mix64(block)) * _M, h)
        # the last, partial block: its bytes (zero-padded) xored in, then one multiply
        last = tail & (full == b)
        h = np.where(last, (h ^ block) * _M, h)
    return _finish64(h)


def hash_windows(n: int, keys: np.ndarray) -> np.ndarray:
    """``MurmurHash64A`` (seed 0) of every window of ``n`` consecutive 64-bit ``keys``: the ids
    of the n-grams (``thinc``'s ``ops.ngrams(n, keys)``)."""
    keys = np.ascontiguousarray(keys, dtype=np.uint64)
    count = max(0, len(keys) - (n - 1))
    h = np.full(count, (8 * n * int(_M)) & 0xFFFFFFFFFFFFFFFF, dtype=np.uint64)
    for i in range(n):
        h ^= _mix64(keys[i : i + count])
        h *= _M
    return _finish64(h)


_C1 = np.uint32(0xCC9E2D51)
_C2 = np.uint32(0x1B873593)


def _rotl32(x: np.ndarray, r: int) -> np.ndarray:
    return (x << np.uint32(r)) | (x >> np.uint32(32 - r))


def hash_rows(keys: np.ndarray, seed: int) -> np.ndarray:
    """``MurmurHash3_x86_32`` of each 64-bit key with ``seed`` (``sparse_linear``'s row hash)."""
    keys = np.asarray(keys, dtype=np.uint64)
    h = np.full(len(keys), seed, dtype=np.uint32)
    for half in (keys & np.uint64(0xFFFFFFFF), keys >> np.uint64(32)):
        k = half.astype(np.uint32) * _C1
        k = _rotl32(k, 15) * _C2
        h ^= k
        h = _rotl32(h, 13) * np.uint32(5) + np.uint32(0xE6546B64)
    h ^= np.uint32(8)
    h ^= h >> np.uint32(16)
    h *= np.uint32(0x85EBCA6B)
    h ^= h >> np.uint32(13)
    h *= np.uint32(0xC2B2AE35)
    h ^= h >> np.uint32(16)
    return h


def token_ids(tokens: Sequence[str]) -> np.ndarray:
    """The ``StringStore`` ids of ``tokens`` (lowercased text): a symbol's fixed id, else the
    hash."""
    ids = hash_strings(tokens)
    for i, token in enumerate(tokens):
        symbol = SYMBOLS.get(token)
        if symbol is not None:
            ids[i] = symbol
    return ids
