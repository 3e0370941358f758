"""The shipped BOW classifier read straight from its files: no spaCy, no thinc at run time.

``spacy.load`` of the shipped model imports spaCy and thinc (about 0.3-0.4 s, most of the
extract stage's start-up) only to hand :class:`scamtrail.extract.bow.BowScorer` three things:
the token ids, the n-gram hash and the sparse weight table. :func:`load_bow_scorer` reads them
from the model directory itself:

- ``config.cfg``: the tokenizer (``scamtrail.tokenizer.v1``/``v2`` and its ``fold``);
- ``textcat/cfg``: the labels, in the weight table's column order;
- ``textcat/model``: thinc's msgpack of the model graph, read by :func:`read_msgpack` (the
  subset of msgpack thinc writes, numpy arrays included): the node names, ``ngram_size``,
  ``attr``, ``v1_indexing``, ``W`` and ``b``.

It returns ``None`` for anything else (another architecture, an ensemble, another tokenizer),
and the classifier then loads the model with spaCy as before. The hashes come from
:mod:`scamtrail.extract.murmur`; ``tests/extract/test_bow_model.py`` checks that the scores
equal spaCy's ``nlp.pipe`` to 1e-6 on the corpus and on generated batches.
"""

from __future__ import annotations

import configparser
import json
import struct
from pathlib import Path
from typing import Any

import numpy as np
from scamtrail.extract.bow import BowScorer
from scamtrail.extract.murmur import hash_rows, hash_windows, token_ids
from scamtrail.extract.tokens import FOLDS

#: spaCy's attribute id of ``ORTH`` (``spacy.attrs.ORTH``): the n-grams are of token texts.
ORTH = 65
_TOKENIZERS = {"scamtrail.tokenizer.v1", "scamtrail.tokenizer.v2"}
_LAYERS = {"extract_ngrams", "sparse_linear", "softmax_activation", "logistic"}


class _Reader:
    """The msgpack thinc writes: maps, arrays, strings, bytes, numbers, nil and booleans."""

    def __init__(self, data: bytes) -> None:
        self.data = memoryview(data)
        self.pos = 0

    def _take(self, n: int) -> memoryview:
        start = self.pos
        self.pos += n
        return self.data[start : self.pos]

    def _unpack(self, fmt: str) -> Any:
        size = struct.calcsize(fmt)
        return struct.unpack(fmt, self._take(size))[0]

    def value(self) -> Any:
        b = self._take(1)[0]
        if b <= 0x7F:
            return b
        if b >= 0xE0:
            return b - 0x100
        if 0x80 <= b <= 0x8F:
            return self._map(b & 0x0F)
        if 0x90 <= b <= 0x9F:
            return [self.value() for _ in range(b & 0x0F)]
        if 0xA0 <= b <= 0xBF:
            return str(self._take(b & 0x1F), "utf-8")
        simple = {0xC0: None, 0xC2: False, 0xC3: True}
        if b in simple:
            return simple[b]
        sized = {0xC4: ">B", 0xC5: ">H", 0xC6: ">I", 0xD9: ">B", 0xDA: ">H", 0xDB: ">I"}
        if b in sized:
            raw = self._take(self._unpack(sized[b]))
            return str(raw, "utf-8") if b >= 0xD9 else bytes(raw)
        numbers = {
            0xCA: ">f", 0xCB: ">d", 0xCC: ">B", 0xCD: ">H", 0xCE: ">I", 0xCF: ">Q",
            0xD0: ">b", 0xD1: ">h", 0xD2: ">i", 0xD3: ">q",
        }  # fmt: skip
        if b in numbers:
            return self._unpack(numbers[b])
        containers = {
            0xDC: (">H", False),
            0xDD: (">I", False),
            0xDE: (">H", True),
            0xDF: (">I", True),
        }
        if b in containers:
            fmt, is_map = containers[b]
            n = self._unpack(fmt)
            return self._map(n) if is_map else [self.value() for _ in range(n)]
        raise ValueError(f"unsupported msgpack type 0x{b:02x} at byte {self.pos - 1}")

    def _map(self, n: int) -> Any:
        out = {}
        for _ in range(n):
            key = self.value()
            out[key] = self.value()
        if out.get(b"nd") is True:  # a numpy array, as srsly's msgpack_numpy encodes it
            dtype = out[b"type"]
            dtype = dtype.decode() if isinstance(dtype, bytes) else dtype
            return np.frombuffer(out[b"data"], dtype=dtype).reshape(out[b"shape"])
        return out


def read_msgpack(data: bytes) -> Any:
    """Decode ``data`` (msgpack as thinc and srsly write it; numpy arrays become arrays)."""
    return _Reader(data).value()


def _attr(attrs: dict[str, Any], name: str, default: Any = None) -> Any:
    # thinc stores each attribute as its own msgpack bytes
    raw = attrs.get(name)
    return default if raw is None else read_msgpack(bytes(raw))


class _Ngrams:
    """``ops.ngrams`` for :class:`BowScorer`: the n-gram ids of a key sequence."""

    @staticmethod
    def ngrams(n: int, keys: np.ndarray) -> np.ndarray:
        return hash_windows(n, keys)


class SparseWeights:
    """thinc's ``sparse_linear`` layer, forward only: two hashed rows of ``W`` per key."""

    def __init__(self, W: np.ndarray, b: np.ndarray, n_out: int, length: int, v1: bool) -> None:
        self.n_out, self.length, self.v1 = n_out, length, v1
        self._flat = np.ascontiguousarray(W, dtype="f")
        # one row of n_out weights per table slot (v2 indexing keeps each class's column apart)
        self._rows = None if v1 else np.ascontiguousarray(self._flat.reshape(n_out, length).T)
        self._b = np.asarray(b, dtype="f")
        self._power_of_two = length & (length - 1) == 0

    def get_param(self, name: str) -> np.ndarray:
        """``b``, the bias (the only parameter the scorer asks for)."""
        if name != "b":
            raise KeyError(name)
        return self._b

    def _weights(self, slots: np.ndarray) -> np.ndarray:
        if self._rows is not None:
            # np.take gathers rows four times faster than fancy indexing; "&" is "%" for a
            # power-of-two table (the shipped 2**18)
            if self._power_of_two:
                index = (slots & np.uint32(self.length - 1)).astype(np.intp)
            else:
                index = (slots % np.uint32(self.length)).astype(np.intp)
            return np.take(self._rows, index, axis=0)
        slots = (slots & np.uint32(self.length - 1)).astype(np.int64)
        return self._flat[slots[:, None] + np.arange(self.n_out)]

    def predict(self, X: tuple[np.ndarray, np.ndarray, np.ndarray]) -> np.ndarray:
        """Scores ``(len(lengths), n_out)``: per text, the sum over its keys of value times the
        key's two rows, plus the bias."""
        keys, values, lengths = X
        n = len(lengths)
        out = np.empty((n, self.n_out), "f")
        if len(keys):
            vectors = self._weights(hash_rows(keys, 0)) + self._weights(hash_rows(keys, 1))
            vectors *= np.asarray(values, "f")[:, None]
            owner = np.repeat(np.arange(n), lengths)
            for c in range(self.n_out):
                out[:, c] = np.bincount(owner, weights=vectors[:, c], minlength=n)
        else:
            out[:] = 0
        out += self._b
        return out


class _Activation:
    def __init__(self, exclusive: bool) -> None:
        self.exclusive = exclusive

    def predict(self, z: np.ndarray) -> np.ndarray:
        if not self.exclusive:
            return 1 / (1 + np.exp(-z))
        z = z - z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)


def _tokenizer_fold(path: Path) -> tuple[bool, Any]:
    config = configparser.ConfigParser(interpolation=None)
    config.read(path / "config.cfg", encoding="utf-8")
    if not config.has_section("nlp.tokenizer"):
        return False, None
    section = config["nlp.tokenizer"]
    name = json.loads(section.get("@tokenizers", "null"))
    fold = json.loads(section.get("fold", '"none"'))
    if name not in _TOKENIZERS or fold not in FOLDS:
        return False, None
    return True, FOLDS[fold] if name.endswith("v2") else None


def load_bow_scorer(path: str | Path, pipe_name: str = "textcat") -> BowScorer | None:
    """A :class:`BowScorer` for the model directory ``path``, read without spaCy, or ``None``
    when the model is not a BOW textcat behind the regex tokenizer."""
    path = Path(path)
    model_file, cfg_file = path / pipe_name / "model", path / pipe_name / "cfg"
    if not (model_file.is_file() and cfg_file.is_file()):
        return None
    ok, fold = _tokenizer_fold(path)
    if not ok:
        return None
    labels = json.loads(cfg_file.read_text(encoding="utf-8")).get("labels", [])
    graph = read_msgpack(model_file.read_bytes())
    names = [node["name"] for node in graph["nodes"]]
    leaves = {n for n in names if "(" not in n and ">>" not in n}
    if not leaves <= _LAYERS or "extract_ngrams" not in leaves or "sparse_linear" not in leaves:
        return None
    if ("softmax_activation" in leaves) == ("logistic" in leaves):
        return None
    ngrams_at, sparse_at = names.index("extract_ngrams"), names.index("sparse_linear")
    if _attr(graph["attrs"][ngrams_at], "attr") != ORTH:
        return None
    dims, params = graph["nodes"][sparse_at]["dims"], graph["params"][sparse_at]
    n_out, length = int(dims["nO"]), int(dims["length"])
    if len(labels) != n_out or "W" not in params:
        return None
    sparse = SparseWeights(
        params["W"],
        params["b"],
        n_out,
        length,
        bool(_attr(graph["attrs"][sparse_at], "v1_indexing")),
    )
    ngram_size = int(_attr(graph["attrs"][ngrams_at], "ngram_size", 1))
    return BowScorer(
        token_ids,
        ngram_size,
        _Ngrams(),
        sparse,
        _Activation("softmax_activation" in leaves),
        labels,
        fold,
    )
