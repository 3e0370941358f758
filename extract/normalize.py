"""Character-level normalisation shared by the identifier extractors.

Everything here keeps offsets valid: :func:`fold_digits` maps one character to exactly one
character, so a match found in the folded text has the same ``start``/``end`` in the original.
Nothing here allocates when the text is plain ASCII.
"""

from __future__ import annotations

import re
import unicodedata

#: First code point of every Unicode decimal-digit block a complaint is likely to contain:
#: Arabic-Indic, Extended Arabic-Indic, Devanagari, Bengali, Gurmukhi, Gujarati, Oriya, Tamil,
#: Telugu, Kannada, Malayalam, and the fullwidth forms typed on some phone keyboards.
_DIGIT_BLOCKS = (
    0x0660, 0x06F0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6, 0x0D66, 0xFF10,
)  # fmt: skip

_FOLD: dict[int, int] = {base + i: ord("0") + i for base in _DIGIT_BLOCKS for i in range(10)}
_FOLD[0xFF0B] = ord("+")  # fullwidth plus
_FOLD[0xFF0D] = ord("-")  # fullwidth hyphen-minus
_FOLD[0xFF20] = ord("@")  # fullwidth commercial at

#: Characters that may sit *inside* a written phone number between digit groups: ASCII space
#: and tab, no-break / narrow / figure / thin spaces, zero-width space / non-joiner / joiner,
#: word joiner, BOM, hyphens and dashes, the dot and parentheses, and the emoji variation
#: selector and keycap mark of keycap digits ("9\ufe0f\u20e38\ufe0f\u20e3...", shown as 9️⃣8️⃣).
PHONE_SEPARATORS = (
    " \t\u00a0\u202f\u2007\u2009\u200a\u200b\u200c\u200d\u2060\ufeff"
    "-\u2010\u2011\u2012\u2013\u2014\u2212.()\ufe0f\u20e3"
)
#: Telephone emoji and symbols (📞 📱 📲 ☎ ✆): written before a number, they say "call".
PHONE_SYMBOLS = "\U0001f4de\U0001f4f1\U0001f4f2\u260e\u2706"
#: Invisible characters: they never change what a value means, and are dropped from values.
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"

_INVISIBLE_RE = re.compile(f"[{INVISIBLE}]")
#: Characters of an email's local part (a UPI handle uses a subset of them).
EMAIL_LOCAL_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._%+-")


def fold_digits(text: str) -> str:
    """Return ``text`` with every non-ASCII decimal digit mapped 1:1 to its ASCII digit.

    Also maps the fullwidth ``＋ － ＠``. The result has the same length as ``text``; plain ASCII
    text is returned unchanged (the same object).
    """
    if text.isascii() or _NONASCII_FOLD_RE.search(text) is None:
        return text
    return text.translate(_FOLD)


def strip_decoration(value: str) -> str:
    """``value`` without the emoji, symbols, bullets, arrows, variation selectors, joiners,
    quotes and spaces around it ("📞 98765-43210", "👉ravi@ybl🙏", "*9876543210*"): for an
    identifier typed or pasted alone. Currency signs stay ("₹ 500" is no phone number)."""
    start, end = 0, len(value)
    while start < end and _is_decoration(value[start]):
        start += 1
    while end > start and _is_decoration(value[end - 1]):
        end -= 1
    return value[start:end]


def _is_decoration(ch: str) -> bool:
    if ch.isascii():
        return ch in _ASCII_DECORATION
    if ch.isalnum():
        return False
    category = unicodedata.category(ch)
    if category[0] == "S":
        return category != "Sc"
    return category in _DECORATION_CATEGORIES or "\ufe00" <= ch <= "\ufe0f"


#: ASCII around a pasted value that no identifier starts or ends with (not "+", "(", ")",
#: "-", ".", "/", "@", "_", which some do).
_ASCII_DECORATION = frozenset(" \t\n\r\f\v!?,;:|~^=#%&*{}[]<>'\"`")
#: Non-ASCII punctuation (• · ।), format characters (joiners), enclosing marks (the keycap)
#: and spaces.
_DECORATION_CATEGORIES = frozenset({"Po", "Cf", "Me", "Zs"})


def drop_invisible(text: str) -> str:
    """Remove zero-width characters and soft hyphens (for values, never for offsets)."""
    if text.isascii():
        return text
    return _INVISIBLE_RE.sub("", text)


# --------------------------------------------------------------------------------------------
# URLs

_DEFANGED_DOT_RE = re.compile(
    r"\[\.\]|\(\.\)|\{\.\}|\[dot\]|\(dot\)|\{dot\}", re.IGNORECASE | re.ASCII
)
_SCHEME_RE = re.compile(r"^(h(?:tt|xx)ps?|fxp|ftp)(?::|\[:\])//", re.IGNORECASE | re.ASCII)
_HOST_END_RE = re.compile(r"[/?#]")


def refang(text: str) -> str:
    """Undo the usual defanging: ``hxxp://`` -> ``http://``, ``[.]``/``(.)``/``[dot]`` -> ``.``."""
    while "[" in text or "(" in text or "{" in text:
        refanged = _DEFANGED_DOT_RE.sub(".", text)
        if refanged == text:
            break
        text = refanged  # again: "([.])" refangs to "(.)", which is itself a defanged dot
    return text


def normalise_url(written: str) -> str:
    """The registry value of a URL as written: refanged, scheme ``http://`` added when absent,
    scheme and host lowercased, path kept as written."""
    url = refang(drop_invisible(written))
    match = _SCHEME_RE.match(url)
    if match:
        scheme = match.group(1).lower().replace("xx", "tt").replace("fxp", "ftp")
        rest = url[match.end() :]
    else:
        scheme = "http"
        rest = url
    cut = _HOST_END_RE.search(rest)
    if cut is None:
        host, path = rest, ""
    else:
        host, path = rest[: cut.start()], rest[cut.start() :]
    return f"{scheme}://{host.lower()}{path}"


# --------------------------------------------------------------------------------------------
# digit chains: the one full-text scan every digit-based extractor shares

_SEP_CLASS = re.escape(PHONE_SEPARATORS)
# Starts with a literal branch (not "\+?") so the regex engine can skip to the next digit or
# "+" at C speed instead of trying the pattern at every position.
DIGIT_CHAIN_RE = re.compile(rf"(?:\+ ?[0-9]|[0-9])[0-9]*(?:[{_SEP_CLASS}]{{1,3}}[0-9]+)*")
_SPAN = re.Match.span
_NONASCII_FOLD_RE = re.compile("[" + "".join(chr(c) for c in sorted(_FOLD)) + "]")


def digit_chains(folded: str) -> list[tuple[int, int]]:
    """Spans of digit groups joined by phone separators (``+91 98765-43210``, ``1,25`` is two
    chains, ``12/03`` two). A leading ``+`` (or ``+ ``) is part of the chain."""
    return list(map(_SPAN, DIGIT_CHAIN_RE.finditer(folded)))


# --------------------------------------------------------------------------------------------
# words shared by the context rules

_SOCIAL = ("whatsapp", "telegram", "instagram", "facebook")
_SOCIAL_SHORT = frozenset({"wa", "wp", "insta", "fb", "twitter", "signal", "व्हाट्सएप", "टेलीग्राम"})


def within_one_edit(word: str, target: str) -> bool:
    """Damerau-Levenshtein distance <= 1: one letter added, dropped, changed or two swapped."""
    if word == target:
        return True
    if abs(len(word) - len(target)) > 1:
        return False
    if len(word) == len(target):
        diff = [i for i, (a, b) in enumerate(zip(word, target, strict=True)) if a != b]
        if len(diff) == 1:
            return True
        i, j = diff[0], diff[-1]
        return len(diff) == 2 and j == i + 1 and word[i] == target[j] and word[j] == target[i]
    short, long_ = (word, target) if len(word) < len(target) else (target, word)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


def is_social(word: str) -> bool:
    """A messaging or social app ("whatsapp", "whataspp", "fb"): its accounts are not banks'."""
    return word in _SOCIAL_SHORT or (
        len(word) >= 6 and any(within_one_edit(word, name) for name in _SOCIAL)
    )
