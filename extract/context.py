"""The words written just before a digit run: do they say it is a phone number?

:func:`context_score` gives -1 ("UTR", "Rs", "account no" before it), +1 ("call", "mobile",
"number") or 0. It reads the nearest word first (:func:`_nearest_word_score`, no regex), which
settles most numbers; otherwise the context pattern over a short window, then the full one.
"""

from __future__ import annotations

import re

from scamtrail.extract.normalize import PHONE_SYMBOLS, is_social


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


ASCII_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
# context: the words written just before a digit run

#: Words that make a following digit run something other than a phone number. (OTP and CVV
#: are not here: those codes are 3-8 digits, never a valid number, so "OTP number 0650..." is
#: someone giving the number the OTP came from.)
VETO_WORDS = _words(
    """rs inr rupees rupee rupaye rupay rupiya amount amt utr ref refno reference txn txnid
    trxn transaction transactions tid rrn a/c ac acc acct account accounts khata aadhaar aadhar
    adhaar adhar aadhaarcard uid uidai fir complaint complain ack acknowledgement acknowledgment
    id card cards pin pincode postal ifsc order awb tracking consignment imei challan ticket
    policy invoice bill consumer meter date dated dt case srn docket token application app
    registration reg roll receipt voucher serial booking pnr passport licence license chassis
    crn bkg oid orderid orderno bookingid bookingno ticketid ticketno tkt tripid rideid refid
    txnref upiref utrno rrnno awbno trackingid trackingno invoiceno billno ackno reservation
    confirmation od ord trn inv req tkn
    ₹ रु रू रुपये रुपए रुपया आधार खाता खाते अकाउंट अकाऊंट कार्ड एफआईआर शिकायत तक्रार पिन
    रक्कम राशि"""
)
#: Words that make a following digit run a phone number even when it is not mobile-shaped.
FAVOUR_WORDS = _words(
    """call called calls calling caller callers mob mobile mobno mobileno phone ph phn tel
    telephone contact cont cell from whatsapp whatsaap watsapp whataspp wa wp dial dialled dialed sms
    message msg messaged texted helpline customercare care landline
    फोन फ़ोन मोबाइल मोबाईल कॉल संपर्क व्हाट्सएप व्हाट्सऐप"""
) | frozenset(PHONE_SYMBOLS)
#: "number", "no." ...: favour a phone unless a veto word comes just before them.
NUMBER_WORDS = _words(
    "no nos number numbers num nbr nmbr nambar numbar sankhya नंबर नम्बर नं क्रमांक क्र संख्या"
)
#: Words skipped while looking back for a veto or favour word.
FILLER_WORDS = _words(
    """is was hai he the this that these my his her their your our its a an of ka ke se on at
    to by par pe me mujhe mera meri mere ye yeh ek same given below above following new another other
    fake fraud fraudulent scam scammer scammers unknown suspicious code codes
    का के है से पर मेरा मेरी मेरे इस यह ये एक को वर चा ची चे माझा माझी माझे हा ही या"""
)
_ID_FAVOUR = frozenset({"caller", "whatsapp", "telegram", "upi", "truecaller", "wa"})
_ACCOUNT_WORDS = frozenset({"acc", "account", "accounts", "acct", "ac", "a/c", "अकाउंट"})
_CURRENCY_WORDS = frozenset(
    {"rs", "inr", "rupees", "rupee", "rupaye", "rupay", "rupiya", "₹", "रु", "रू", "रुपये", "रुपए",
     "रुपया"}
)  # fmt: skip
#: Abbreviations that end in a dot without ending a sentence ("no. 98765...", "Rs. 500").
_ABBREVIATIONS = frozenset(
    {
        "no",
        "nos",
        "rs",
        "mob",
        "ph",
        "tel",
        "ref",
        "ack",
        "num",
        "acct",
        "ac",
        "a/c",
        "id",
        "inr",
        "rupees",
        "dt",
        "amt",
        "txn",
        "नं",
        "रु",
    }
)
_WINDOW = 48
#: Most numbers are decided by the word or two just before them ("call", "Rs", "UTR"), so a
#: short window is read first and the full one only when the short one runs out.
_SHORT_WINDOW = 28
# "adot": a dot or comma right after a word (it may close an abbreviation, "no. 98765"); "brk":
# the end of a sentence or a number; "tok": a word.
_CONTEXT_RE = re.compile(
    r"(?P<adot>(?<=[a-z/\u0900-\u0963\u0971-\u097f₹])[.,](?=\s))"
    r"|(?P<brk>[\n!?;|\u0964\u0965]|[.,](?=\s)|[0-9]+)"
    rf"|(?P<tok>a/c|[a-z]+|[\u0900-\u0963\u0971-\u097f]+|[₹{PHONE_SYMBOLS}])"
)

_SKIPPED = frozenset(" \t:-()\"'=>")
_FAST_FAVOUR = frozenset(w for w in FAVOUR_WORDS - VETO_WORDS if w.isascii() and w.isalpha())
#: Veto words whose verdict never depends on the word before them.
_FAST_VETO = frozenset(
    w for w in VETO_WORDS - {"id"} - _ACCOUNT_WORDS - _CURRENCY_WORDS if w.isascii() and w.isalpha()
)


def _nearest_word_score(folded: str, start: int) -> int | None:
    """The verdict of the nearest word alone, when it settles the question ("call", "UTR"),
    else ``None``. Gives what :func:`_score_window` gives, without its regex."""
    j = start
    lo = max(0, start - 6)
    while j > lo and folded[j - 1] in _SKIPPED:
        j -= 1
    i = j
    lo = max(0, j - 16)
    while i > lo and folded[i - 1] in ASCII_LETTERS:
        i -= 1
    if i == j or (i > 0 and (folded[i - 1].isalpha() or folded[i - 1] == "/")):
        return None  # no word, or one the pattern would read differently ("a/c", "İcall")
    word = folded[i:j].lower()
    if word in _FAST_FAVOUR:
        return 1
    if word in _FAST_VETO:
        return -1
    return None


def context_score(folded: str, start: int) -> int:
    """-1 when the words before ``start`` say the number is not a phone (``UTR``, ``Rs``,
    ``account no``), +1 when they say it is (``call``, ``mobile``, ``number``), else 0.

    Looks back over at most six words, through "number"-words and a few linking words
    ("is", "my", "ka"), and stops at the end of the previous sentence.
    """
    nearest = _nearest_word_score(folded, start)
    if nearest is not None:
        return nearest
    return context_by_pattern(folded, start)


def context_by_pattern(folded: str, start: int) -> int:
    """:func:`context_score` read with the context pattern alone (no nearest-word shortcut)."""
    if start > _SHORT_WINDOW:
        score = _score_window(folded, start, _SHORT_WINDOW)
        if score is not None:
            return score
    return _score_window(folded, start, _WINDOW)  # type: ignore[return-value]


def _score_window(folded: str, start: int, width: int) -> int | None:
    """:func:`context_score` over the ``width`` characters before ``start``; ``None`` when a
    window shorter than the full one would have to read its first item (a word the window may
    have cut in two), so the caller must look again with the full window."""
    offset = max(0, start - width)
    items = _CONTEXT_RE.findall(folded[offset:start].lower())
    cut = offset > 0 and width < _WINDOW
    favour = 0
    seen = 0
    k = len(items) - 1
    while k >= 0 and seen < 6:
        if cut and k <= 1:
            return None  # items[k - 1] may be the cut word
        adot, brk, word = items[k]
        if adot or brk:
            # "no. 98765...", "Rs. 500": a dot right after an abbreviation ends no sentence.
            if adot and k > 0 and items[k - 1][2] in _ABBREVIATIONS:
                k -= 1
                continue
            break  # the end of a sentence, or another number the words before belong to
        seen += 1
        before = items[k - 1][2] if k > 0 else ""
        if word in VETO_WORDS:
            if word == "id" and before in _ID_FAVOUR:
                return 1
            if word in _ACCOUNT_WORDS and is_social(before):
                return 1  # "whatsapp acc 90128...", "telegram account ..."
            if word in _CURRENCY_WORDS and k > 0 and items[k - 1][1][:1].isdigit():
                break  # "19,020 rs. 98765...": the currency closes the amount before it
            return -1
        if word in FAVOUR_WORDS:
            return 1
        if word in NUMBER_WORDS:
            favour = 1
        elif word not in FILLER_WORDS:
            break
        k -= 1
    if cut and not items:
        return None  # nothing but spaces and symbols in the short window: look further back
    return favour
