"""The classifier's tokens, without spaCy: the token rule and the foldings.

A token is a run of letters, digits, ``_`` and combining marks (so Devanagari words keep their
vowel signs), or any other single visible character (punctuation, ``@``, ``#``, ``₹``, an emoji
code point). :func:`skeleton` is the ``fold = "skeleton"`` of ``scamtrail.tokenizer.v2``. The
spaCy tokenizer registered for training (:mod:`scamtrail.extract.tokenizer`) and the fast
scorers (:mod:`scamtrail.extract.bow`, :mod:`scamtrail.extract.bow_model`) all split and fold
text with these, so they agree by construction; serving imports this module and not spaCy.
"""

from __future__ import annotations

import re
from collections.abc import Callable

__all__ = ["FOLDS", "TOKEN_RE", "skeleton", "words"]

# Word characters plus the combining marks of the Indic scripts (U+0900-U+0DFF, without the
# Devanagari dandas U+0964/U+0965, which end sentences), combining diacritics and the zero-width
# (non-)joiners that Indic typing puts inside words.
_WORD = r"[\w\u0300-\u036f\u0900-\u0963\u0966-\u0dff\u200c\u200d]+"
TOKEN_RE = re.compile(rf"{_WORD}|[^\s\u200b\u2060\ufeff]")


def words(text: str) -> list[str]:
    """The tokens of ``text``, in order (whitespace and zero-width spaces dropped)."""
    return TOKEN_RE.findall(text)


# Devanagari letters in rough Latin (vowel signs as vowels, which the skeleton drops anyway);
# nukta, virama and the zero-width joiners vanish.
def _letters(keys: str, values: str) -> dict[str, str]:
    latin = values.split(" ")
    return dict(zip(keys, latin, strict=True))


_DEVA = _letters(
    "कखगघङचछजझञटठडढणतथदधनपफबभमयरलळवशषसहऋ",
    "k kh g gh n ch chh j jh n t th d dh n t th d dh n p ph b bh m y r l l v sh sh s h ri",
)
_DEVA.update(_letters("अआइईउऊएऐओऔऑ", "a a i i u u e ai o au o"))
_DEVA.update(_letters("ािीुूृेैोौॉ", "a i i u u ri e ai o au o"))
_DEVA.update({"ं": "n", "ँ": "n", "ः": "h", "्": "", "़": "", "\u200c": "", "\u200d": ""})
_DEVA_RE = re.compile("[\u0900-\u097f\u200c\u200d]")
_LATIN_WORD_RE = re.compile("[a-z]+")
# The foldings, in this order, on a word of a-z only: "ph" -> "f"; every "h" after the first
# letter dropped (aspiration: kh, bh, sh, th ... and "ch"); c, q -> k, w -> v, z -> j, x -> ks
# (one table: none of them makes a letter another one changes); the vowels after the first
# letter dropped; doubled letters made single.
_MERGED = str.maketrans({"c": "k", "q": "k", "w": "v", "z": "j", "x": "ks"})
_NO_VOWELS = str.maketrans("", "", "aeiouy")
_DOUBLED_RE = re.compile(r"(.)\1+")


def skeleton(token: str) -> str:
    """A transliteration-insensitive form of a lowercased word: Devanagari in rough Latin, then
    aspiration, vowels after the first letter and doubled letters dropped and a few
    interchangeable letters merged (``c``/``q`` -> ``k``, ``w`` -> ``v``, ``z`` -> ``j``). Other
    tokens (numbers, punctuation, other scripts) are returned as they are."""
    if _DEVA_RE.search(token):
        latin = "".join(_DEVA.get(ch, ch) for ch in token)
        if not _LATIN_WORD_RE.fullmatch(latin):
            return token
    elif _LATIN_WORD_RE.fullmatch(token):
        latin = token
    else:
        return token
    latin = latin.replace("ph", "f")
    latin = latin[0] + latin[1:].replace("h", "")
    latin = latin.translate(_MERGED)
    latin = latin[0] + latin[1:].translate(_NO_VOWELS)
    return _DOUBLED_RE.sub(r"\1", latin)


#: token foldings a v2 tokenizer can apply
FOLDS: dict[str, Callable[[str], str] | None] = {"none": None, "skeleton": skeleton}
