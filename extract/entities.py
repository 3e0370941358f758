"""Entities that are not identifiers: banks and payment brands named, and amounts of money.

:func:`find_banks` returns ``("bank", canonical name, start, end)``; :func:`find_amounts`
returns ``("amount", rupees as a plain integer string, start, end)``. Both take the
digit-folded text; offsets are valid in the original.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from scamtrail.extract.normalize import digit_chains

Found = tuple[str, str, int, int]

#: Canonical name -> how people write it (matched case-insensitively, as whole words).
BANKS: dict[str, tuple[str, ...]] = {
    "SBI": (
        "sbi",
        "state bank of india",
        "state bank",
        "yono",
        "yono sbi",
        "onlinesbi",
        "एसबीआई",
        "एसबीआय",
        "एस बी आई",
        "स्टेट बैंक",
        "स्टेट बँक",
        "भारतीय स्टेट बैंक",
    ),
    "SBI Card": ("sbi card", "sbi cards", "sbi credit card"),
    "HDFC Bank": ("hdfc", "hdfc bank", "payzapp", "एचडीएफसी"),
    "ICICI Bank": ("icici", "icici bank", "imobile", "आईसीआईसीआई", "आयसीआयसीआय"),
    "Axis Bank": ("axis", "axis bank", "एक्सिस", "ॲक्सिस", "अ\u200dॅक्सिस"),
    "Kotak": ("kotak", "kotak mahindra", "kotak mahindra bank", "kotak bank", "कोटक"),
    "PNB": ("pnb", "punjab national bank", "पीएनबी", "पंजाब नेशनल बैंक", "पंजाब नॅशनल बँक"),
    "Bank of Baroda": (
        "bank of baroda",
        "bob",
        "baroda bank",
        "bob world",
        "बैंक ऑफ बड़ौदा",
        "बैंक ऑफ बडौदा",
        "बँक ऑफ बडोदा",
        "बैंक ऑफ़ बड़ौदा",
    ),
    "Canara Bank": ("canara", "canara bank", "केनरा", "कॅनरा"),
    "Union Bank of India": ("union bank", "union bank of india", "यूनियन बैंक", "युनियन बँक"),
    "Bank of India": ("bank of india", "बैंक ऑफ इंडिया", "बँक ऑफ इंडिया"),
    "Central Bank of India": ("central bank", "central bank of india", "सेंट्रल बैंक"),
    "Indian Bank": ("indian bank", "इंडियन बैंक"),
    "Indian Overseas Bank": ("indian overseas bank", "iob"),
    "UCO Bank": ("uco bank", "यूको बैंक"),
    "IDBI Bank": ("idbi", "idbi bank", "आईडीबीआई", "आयडीबीआय"),
    "IDFC First Bank": ("idfc", "idfc first", "idfc first bank", "idfc bank"),
    "Yes Bank": ("yes bank", "येस बैंक", "यस बैंक"),
    "IndusInd Bank": ("indusind", "indusind bank", "इंडसइंड"),
    "Federal Bank": ("federal bank",),
    "RBL Bank": ("rbl", "rbl bank"),
    "AU Small Finance Bank": ("au small finance", "au small finance bank", "au bank"),
    "Bandhan Bank": ("bandhan bank",),
    "Bank of Maharashtra": (
        "bank of maharashtra",
        "maharashtra bank",
        "mahabank",
        "बैंक ऑफ महाराष्ट्र",
        "बँक ऑफ महाराष्ट्र",
        "महाराष्ट्र बँक",
    ),
    "Saraswat Bank": ("saraswat", "saraswat bank", "सारस्वत"),
    "Cosmos Bank": ("cosmos bank", "कॉसमॉस बँक"),
    "South Indian Bank": ("south indian bank",),
    "Karnataka Bank": ("karnataka bank",),
    "Karur Vysya Bank": ("karur vysya", "karur vysya bank", "kvb"),
    "City Union Bank": ("city union bank",),
    "Punjab & Sind Bank": ("punjab & sind bank", "punjab and sind bank"),
    "Standard Chartered": ("standard chartered", "stanchart"),
    "HSBC": ("hsbc",),
    "Citibank": ("citibank", "citi bank"),
    "DBS Bank": ("dbs bank",),
    "Airtel Payments Bank": ("airtel payments bank", "airtel payment bank", "airtel money"),
    "India Post Payments Bank": ("india post payments bank", "ippb"),
    "Paytm Payments Bank": ("paytm payments bank", "paytm bank"),
    "Fino Payments Bank": ("fino", "fino bank", "fino payments bank"),
    "RBI": (
        "rbi",
        "reserve bank",
        "reserve bank of india",
        "आरबीआई",
        "आरबीआय",
        "रिज़र्व बैंक",
        "रिजर्व बैंक",
        "रिझर्व्ह बँक",
    ),
    "Paytm": ("paytm", "पेटीएम"),
    "PhonePe": ("phonepe", "phone pe", "phonepay", "फोनपे", "फ़ोनपे", "फोन पे"),
    "Google Pay": ("google pay", "googlepay", "gpay", "g pay", "tez", "गूगल पे", "गुगल पे", "गूगलपे"),
    "BHIM": ("bhim", "bhim upi", "bhim app", "भीम ऐप", "भीम यूपीआई"),
    "Amazon Pay": ("amazon pay", "amazonpay", "अमेज़न पे", "अमेझॉन पे"),
    "MobiKwik": ("mobikwik",),
    "Freecharge": ("freecharge",),
    "CRED": ("cred",),
    "WhatsApp Pay": ("whatsapp pay",),
}
#: Aliases that are ordinary words in lowercase: only taken as written here.
_CASE_SENSITIVE = {
    "bob": ("BOB", "BoB"),
    "cred": ("CRED", "Cred"),
    "tez": ("Tez", "TEZ"),
    "fino": ("Fino", "FINO"),
}

_NUKTA = {
    "\u095c": "\u0921\u093c",
    "\u095d": "\u0922\u093c",
    "\u095b": "\u091c\u093c",
    "\u095e": "\u092b\u093c",
    "\u0958": "\u0915\u093c",
    "\u0959": "\u0916\u093c",
    "\u095a": "\u0917\u093c",
    "\u095f": "\u092f\u093c",
}


def _variants(alias: str) -> set[str]:
    """The alias with Devanagari nukta letters both precomposed and decomposed."""
    out = {alias}
    decomposed = alias
    for pre, dec in _NUKTA.items():
        decomposed = decomposed.replace(pre, dec)
    out.add(decomposed)
    composed = decomposed
    for pre, dec in _NUKTA.items():
        composed = composed.replace(dec, pre)
    out.add(composed)
    return out


def _alternation(words: set[str]) -> str:
    ordered = sorted(words, key=lambda w: (-len(w), w))
    return "|".join(re.escape(w).replace(r"\ ", "[ \u00a0]?") for w in ordered)


class _LazyPatterns(dict[str, "re.Pattern[str]"]):
    """First word -> its compiled pattern, compiled when a text first names that word: the
    ~130 patterns cost 30 ms to compile, a third of the stage's import, and most processes meet
    a few of them."""

    def __init__(self, sources: dict[str, str]) -> None:
        super().__init__()
        self.sources = sources

    def __missing__(self, first: str) -> re.Pattern[str]:
        pattern = self[first] = re.compile(self.sources[first])
        return pattern


def _build() -> tuple[_LazyPatterns, re.Pattern[str], dict[str, str]]:
    """Per first word, a regex for the Latin aliases starting with it (run on lowered text);
    one regex for the Devanagari aliases; and squashed alias -> canonical name."""
    canonical: dict[str, str] = {}
    by_first: dict[str, set[str]] = {}
    deva: set[str] = set()
    for name, aliases in BANKS.items():
        for alias in aliases:
            for variant in _variants(alias):
                squashed = variant.lower().replace(" ", "")
                canonical[squashed] = name
                if not variant.isascii():
                    deva.add(variant)
                    continue
                by_first.setdefault(variant.split()[0], set()).add(variant)
                if " " in variant:  # "statebank", "hdfcbank": the same name typed without spaces
                    by_first.setdefault(squashed, set()).add(squashed)
    latin = _LazyPatterns(
        {first: rf"(?:{_alternation(words)})(?![a-z0-9])" for first, words in by_first.items()}
    )
    return latin, re.compile(_alternation(deva)), canonical


_LATIN_BY_FIRST, _DEVA_RE, _CANONICAL = _build()
_FIRST_WORDS = frozenset(_LATIN_BY_FIRST.sources)
_WORD_RE = re.compile(r"[a-z]+")
#: Byte table keeping a-z and turning every other byte into a space.
_LATIN_ONLY = bytes(b if 97 <= b <= 122 else 32 for b in range(256))
_SPACES_RE = re.compile(r"[ \u00a0]")
_DEVANAGARI_RE = re.compile(r"[\u0900-\u097f]")
_ASCII_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")
_new = tuple.__new__  # Words for each text, without the named tuple's Python-level __new__


class Words(NamedTuple):
    """A text lowercased (same length as the text) and those of its Latin words that start a
    bank's name or say "amount" (the only ones the finders ask about)."""

    low: str
    words: frozenset[str]


def words_of(text: str) -> Words:
    """Lowercase ``text`` keeping offsets, and collect its Latin words (shared by the finders)."""
    low = text.lower()
    if len(low) != len(text):  # a few letters ("İ") lowercase to two characters
        low = "".join(ch if len(ch.lower()) != 1 else ch.lower() for ch in text)
    # Latin words are the runs of a-z: every other byte of the UTF-8 text (Devanagari, digits,
    # punctuation) becomes a space, in C, and split() cuts there. Intersecting with the list
    # hashes each word once and builds only a small set.
    latin = low.encode().translate(_LATIN_ONLY).decode("ascii").split()
    return _new(Words, (low, _KEY_WORDS.intersection(latin)))


def find_banks(text: str, words: Words | None = None) -> list[Found]:
    """Banks and payment brands named in ``text``, with their canonical names."""
    if words is None:
        words = words_of(text)
    low = words.low
    hits: list[tuple[int, int]] = []
    for first in _FIRST_WORDS.intersection(words.words):
        pattern = _LATIN_BY_FIRST[first]
        pos = low.find(first)
        while pos != -1:
            if pos == 0 or low[pos - 1] not in _ASCII_ALNUM:
                m = pattern.match(low, pos)
                if m is not None:
                    hits.append(m.span())
            pos = low.find(first, pos + 1)
    if not text.isascii() and _DEVANAGARI_RE.search(text) is not None:
        for m in _DEVA_RE.finditer(text):
            if m.start() == 0 or not "\u0900" <= text[m.start() - 1] <= "\u097f":
                hits.append(m.span())
    out: list[Found] = []
    end = -1
    for start, stop in sorted(hits, key=lambda h: (h[0], -h[1])):
        if start < end:
            continue  # "bank of india" inside "state bank of india"
        written = text[start:stop]
        key = _SPACES_RE.sub("", written.lower())
        allowed = _CASE_SENSITIVE.get(key)
        if allowed is not None and written not in allowed:
            continue
        name = _CANONICAL.get(key)
        if name is not None:
            out.append(("bank", name, start, stop))
            end = stop
    return out


# --------------------------------------------------------------------------------------------
# amounts

_NUM = r"[0-9]{1,3}(?:,[0-9]{2,3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?"
_PRE = r"rs\.?|inr|₹|rupees|रु\.?|रू\.?|रुपये"
_MULT_WORD = (
    r"thousand|hazaar|hazar|hajar|हजार|हज़ार|लाख|lakhs?|lacs?|crores?|cr|करोड़|करोड़|करोड|कोटी"
)
_POST = r"/-|rs\b\.?|rupees?|rupaye|rupaiye|rupaiya|रुपये|रुपए|रुपया|रुपयांचा|रुपयांची|रुपयांचे|रुपयांना|रुपयां"
_AMOUNT_RE = re.compile(
    rf"(?P<num>{_NUM})"
    rf"(?:(?P<glued>k|l)(?![A-Za-z0-9])|[ \u00a0]?(?P<mult>{_MULT_WORD})(?![A-Za-z]))?"
    rf"(?:[ \u00a0]?(?P<post>{_POST}))?",
    re.IGNORECASE | re.ASCII,
)
_PRE_RE = re.compile(
    r"(?:(?<![A-Za-z])(?:rs\.?|inr|rupees)|₹|रु\.?|रू\.?|रुपये)[ \u00a0]?\Z", re.IGNORECASE | re.ASCII
)
_GROUP_RE = re.compile(r"[0-9]+")
#: What a currency prefix can start with (रु and रू start with र).
_PRE_FIRST_CHARS = frozenset("rRiI₹\u0930")
_GLUED = frozenset("kKlL")
#: The last two characters (lowercased) of the currency prefixes: rs, rs., inr, rupees, रु,
#: रु., रू, रू., रुपये (and ₹, one character, on its own).
_PRE_ENDS = frozenset({"rs", "s.", "nr", "es", "\u0930\u0941", "\u0941.", "\u0930\u0942", "\u0942.",
                       "\u092f\u0947"})  # fmt: skip
#: What can come right after the digits of an amount: a glued "k"/"l", a space, the first
#: letter of a multiplier ("lakh", "हजार") or of a currency after it ("/-", "rupees", "रुपये").
_AFTER_FIRST = frozenset("kKlLtThHcCrR/ \u00a0\u0939\u0932\u0915\u0930")
#: ... and after one space: a multiplier or a currency, by their first two characters
#: (lowercased): "thousand", "hazaar"/"hajar", "lakh"/"lac", "crore"/"cr", "rs", "rupees" ...,
#: "/-", हजार, लाख, करोड़, कोटी, रुपये. Two, not one: "ref 12 call", "5 hours" and "3 tabs"
#: need no look at the amount pattern.
_AFTER_SPACE = frozenset(
    {"th", "ha", "la", "cr", "rs", "ru", "/-", "\u0939\u091c", "\u0932\u093e", "\u0915\u0930",
     "\u0915\u094b", "\u0930\u0941"}
)  # fmt: skip
_SPAN = re.Match.span
_NUMBER_GOES_ON = frozenset(",.")
_ASCII_DIGITS = frozenset("0123456789")
_AMOUNT_TOKENS = frozenset(
    {"rs", "inr", "rupees", "rupee", "rupaye", "rupaiye", "rupaiya", "lakh", "lakhs", "lac",
     "lacs", "crore", "crores", "cr", "thousand", "hazar", "hazaar", "hajar"}
)  # fmt: skip
_AMOUNT_DEVA = ("रु", "रू", "हजार", "हज़ार", "लाख", "करो", "कोटी")
_AMOUNT_DEVA_RE = re.compile("|".join(_AMOUNT_DEVA))
_KEY_WORDS = _FIRST_WORDS | _AMOUNT_TOKENS
_MULTIPLIERS = {
    "k": 1000, "thousand": 1000, "hazaar": 1000, "hazar": 1000, "hajar": 1000, "हजार": 1000,
    "हज़ार": 1000,
    "l": 100_000, "lakh": 100_000, "lakhs": 100_000, "lac": 100_000, "lacs": 100_000,
    "लाख": 100_000,
    "crore": 10_000_000, "crores": 10_000_000, "cr": 10_000_000, "करोड़": 10_000_000,
    "करो\u095c": 10_000_000, "करोड": 10_000_000, "कोटी": 10_000_000,
}  # fmt: skip


def find_amounts(
    text: str, chains: list[tuple[int, int]] | None = None, words: Words | None = None
) -> list[Found]:
    """Amounts of money: ``Rs 1,25,000``, ``₹45k``, ``2 lakh``, ``5000/-``, ``45 हजार रुपये``.

    Works from the text's digit chains: a number is an amount when a currency comes before it
    or a multiplier ("lakh", "k") or currency ("rupees", "/-") after it.
    """
    if chains is None:
        chains = digit_chains(text)
    if words is None:
        words = words_of(text)
    # Without a currency or multiplier word anywhere, only "45k" / "2L" glued forms remain.
    worded = (
        not _AMOUNT_TOKENS.isdisjoint(words.words)
        or "₹" in text
        or "/-" in text
        or (not text.isascii() and _AMOUNT_DEVA_RE.search(text) is not None)
    )
    out: list[Found] = []
    done = 0
    for c_start, c_end in chains:
        if c_end <= done or not (worded or text[c_end : c_end + 1] in _GLUED):
            continue
        if text[c_start] == "+":
            c_start += 1
        if text[c_start:c_end].isdigit():
            groups = [(c_start, c_end)]
        else:
            groups = list(map(_SPAN, _GROUP_RE.finditer(text, c_start, c_end)))
        for g, g_end in groups:
            if g < done or (g > 0 and text[g - 1] in "0123456789,"):
                continue
            if g > 1 and text[g - 1] == "." and text[g - 2].isdigit():
                continue
            after = text[g_end : g_end + 1]
            if (
                # "1,25,000", "2.5 lakh" go on; "called 1930, then" ends at the comma
                not (after in _NUMBER_GOES_ON and text[g_end + 1 : g_end + 2] in _ASCII_DIGITS)
                and (
                    after not in _AFTER_FIRST
                    or (
                        after in " \u00a0"
                        and text[g_end + 1 : g_end + 3].lower() not in _AFTER_SPACE
                    )
                )
                and not _prefix_may_end(text, g)
            ):
                continue  # no currency before, and no multiplier or currency can follow
            item = _amount_at(text, g)
            if item is not None:
                out.append(item)
                done = item[3]
    return out


def _prefix_may_end(text: str, g: int) -> bool:
    """Could a currency prefix ("Rs.", "₹", "रु") end right before ``g``, after at most one
    space? (It is "₹" or its last two characters are one of :data:`_PRE_ENDS`: "no. 98...",
    "is 5000" and "for 12" need no look at the amount pattern.)"""
    k = g - 1
    if k >= 0 and text[k] in " \u00a0":
        k -= 1
    if k < 0:
        return False
    return text[k] == "₹" or (k > 0 and text[k - 1 : k + 1].lower() in _PRE_ENDS)


def _amount_at(text: str, g: int) -> Found | None:
    m = _AMOUNT_RE.match(text, g)
    if m is None:
        return None
    glued, mult, post = m.group("glued", "mult", "post")
    pre = None
    if not (glued or mult or post):
        if _PRE_FIRST_CHARS.isdisjoint(text[max(0, g - 9) : g]):
            return None
        pre = _PRE_RE.search(text, max(0, g - 9), g)
        if pre is None:
            return None
    elif not _PRE_FIRST_CHARS.isdisjoint(text[max(0, g - 9) : g]):
        pre = _PRE_RE.search(text, max(0, g - 9), g)
    factor = _MULTIPLIERS[(glued or mult).lower()] if (glued or mult) else 1
    num = m.group("num").replace(",", "")
    if num.isdigit():
        rupees = int(num) * factor  # the common case, without Decimal's cost
    else:
        try:
            rupees = int(Decimal(num) * factor)
        except InvalidOperation:
            return None
    return ("amount", str(rupees), pre.start() if pre else g, m.end())
