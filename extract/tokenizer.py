"""The classifier's tokenizer: one regular expression, registered as ``scamtrail.tokenizer.v1``.

spaCy's rule-based tokenizer (prefixes, suffixes, infixes, exceptions) costs about 70 µs a tweet,
more than the model itself, and the classifier gains nothing from its rules: it sees prepared
text (lowercased, digits mapped to ``0``, see :func:`scamtrail.extract.classifier.prepare`) and
only needs stable word and punctuation units. A token here is a run of letters, digits, ``_``
and combining marks (so Devanagari words keep their vowel signs), or any other single visible
character (punctuation, ``@``, ``#``, ``₹``, an emoji code point).

``textcat.cfg`` names the tokenizer, so training, ``spacy.load`` of the shipped model and the
fast scorer in :mod:`scamtrail.extract.bow` all split text the same way through :func:`words`.
Import this module before loading a model whose config names it (the classifier does).

``scamtrail.tokenizer.v2`` adds an optional token folding, ``fold = "skeleton"``
(:func:`skeleton`): a transliteration-insensitive form of each word, the same for "khata",
"khaata" and "खाता" (``kht``), so spellings and scripts share their weights. The fast scorer
folds each distinct chunk once, so folding costs nothing per text once a word has been seen.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

import spacy
from scamtrail.extract.tokens import FOLDS, TOKEN_RE, skeleton, words
from spacy.tokens import Doc
from spacy.vocab import Vocab

__all__ = ["FOLDS", "TOKEN_RE", "RegexTokenizer", "create_tokenizer", "skeleton", "words"]


class RegexTokenizer:
    """A spaCy tokenizer that splits with :data:`TOKEN_RE`.

    The doc's text is the tokens joined by single spaces where the input had whitespace, so runs
    of spaces and line breaks collapse; nothing downstream of the classifier reads doc offsets.
    """

    def __init__(self, vocab: Vocab, fold: Callable[[str], str] | None = None) -> None:
        self.vocab = vocab
        #: applied to every token (``None``: tokens as written)
        self.fold = fold

    def __call__(self, text: str) -> Doc:
        found = [(m.group(), m.end()) for m in TOKEN_RE.finditer(text)]
        fold = self.fold
        tokens = [fold(w) if fold else w for w, _ in found]
        spaces = [end < len(text) and text[end].isspace() for _, end in found]
        return Doc(self.vocab, words=tokens, spaces=spaces)

    def pipe(self, texts: Iterable[str], batch_size: int = 1000) -> Iterator[Doc]:
        """Tokenize a stream of texts."""
        for text in texts:
            yield self(text)

    # The tokenizer has no state of its own: serialisation writes and reads nothing, so a
    # shipped model's ``tokenizer`` entry is empty and the rule lives here, in code.
    def to_bytes(self, **_: Any) -> bytes:
        """Empty: the tokenizer has no state."""
        return b""

    def from_bytes(self, _data: bytes, **_: Any) -> RegexTokenizer:
        """Nothing to restore."""
        return self

    def to_disk(self, path: Any, **_: Any) -> None:
        """Writes nothing: the tokenizer has no state."""

    def from_disk(self, _path: Any, **_: Any) -> RegexTokenizer:
        """Nothing to restore."""
        return self


@spacy.registry.tokenizers("scamtrail.tokenizer.v1")
def create_tokenizer() -> Callable[[Any], RegexTokenizer]:
    """Factory named in ``textcat.cfg``: ``[nlp.tokenizer] @tokenizers = "scamtrail.tokenizer.v1"``."""

    def make(nlp: Any) -> RegexTokenizer:
        return RegexTokenizer(nlp.vocab)

    return make


@spacy.registry.tokenizers("scamtrail.tokenizer.v2")
def create_folding_tokenizer(fold: str = "none") -> Callable[[Any], RegexTokenizer]:
    """The v1 tokenizer with a token folding from :data:`FOLDS` (``"none"`` or ``"skeleton"``)."""
    if fold not in FOLDS:
        raise ValueError(f"unknown fold {fold!r}; expected one of {sorted(FOLDS)}")

    def make(nlp: Any) -> RegexTokenizer:
        return RegexTokenizer(nlp.vocab, FOLDS[fold])

    return make
