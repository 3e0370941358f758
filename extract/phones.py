"""Phone numbers in complaint texts.

:class:`PhoneFinder` looks for runs of digit groups joined by the separators people type inside
numbers (:data:`scamtrail.extract.normalize.PHONE_SEPARATORS`), tries the groups of each run
left to right, keeps the longest combination that is a valid number, and then asks the words
before it whether it is a phone at all ("call 98765 43210" yes, "UTR 412345678901" no).

Validation follows ``phonenumbers`` exactly, through
:class:`scamtrail.extract.numbering.NumberValidator`.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import NamedTuple

from phonenumbers import PhoneNumberType
from scamtrail.extract.normalize import PHONE_SEPARATORS, PHONE_SYMBOLS, digit_chains, is_social
from scamtrail.extract.numbering import NumberValidator, PhoneNumber


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Types a number may have and still be accepted with no prefix and no "call"/"number" nearby.
_STANDALONE_TYPES = frozenset(
    {
        PhoneNumberType.MOBILE,
        PhoneNumberType.FIXED_LINE_OR_MOBILE,
        PhoneNumberType.TOLL_FREE,
        PhoneNumberType.SHARED_COST,
    }
)
#: Emergency and helpline numbers: never identifiers, whatever else is written around them.
HELPLINES = frozenset({"100", "101", "102", "108", "112", "181", "1091", "1098", "1930", "155260"})


# --------------------------------------------------------------------------------------------
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
_AFTER_RE = re.compile(r"[ \t]*(/-|rupees|rupaye|रुपये|रुपए)")
#: What can follow a number that :data:`_AFTER_RE` matches after.
_AFTER_FIRST = frozenset(" \t/rर")

_GROUP_RE = re.compile(r"[0-9]+")
_MASK_CHARS = frozenset("xX*•●×")
#: Mask characters that are also typed for emphasis or as bullets ("*98765 43210*" in WhatsApp
#: bold, "•98765 43210" in a list) are read as decoration when they cannot be hiding digits;
#: see :func:`_masked`.
_SOFT_MASKS = frozenset("*•●")
_MASK_BEYOND = frozenset("0123456789xX×")
#: "***98765 43210***" (bold italic) at most.
_MAX_EMPHASIS = 3


_HANDLE_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
_ASCII_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
#: Glued words that keep a number a phone ("call9876543210", "NUMBER9876543210", "KO98...").
_GLUED_PHONE_WORDS = FAVOUR_WORDS | NUMBER_WORDS | FILLER_WORDS | _words("ko ki ne no")
#: Capital codes up to this long glued to digits are references ("CRN", "PNR", "TXN", "OD");
#: longer capital words are shouting ("PLEASE BLOCK98348 36148").
_MAX_CODE_LETTERS = 3
#: Only spaces and one line break between two digit runs: one number written across lines.
_SEPS = re.escape(PHONE_SEPARATORS)
_LINE_BREAK_GAP_RE = re.compile(rf"[{_SEPS}]{{0,3}}\r?\n[{_SEPS}]{{0,3}}")


def _glued_reference(folded: str, start: int) -> bool:
    """Is the number at ``start`` the digits of an alphanumeric reference (``CRN9876543210``,
    ``OD9876543210``, ``PNR9876543210``)? Up to three capitals glued to the digits are a code;
    other glued words are typing slips ("ko9876543210", "BLOCK98348 36148"), unless they name a
    reference or veto a number anyway ("order", "utr", "rupees").
    """
    k = start
    while k > 0 and folded[k - 1] in _ASCII_LETTERS:
        k -= 1
    if k == start:
        return False
    word = folded[k:start]
    low = word.lower()
    if low in _GLUED_PHONE_WORDS:
        return False
    return (word.isupper() and len(word) <= _MAX_CODE_LETTERS) or low in VETO_WORDS


def _join_line_breaks(folded: str, chains: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Chains separated by a line break (and separators around it) read as one run of groups:
    a number written across two lines ("98765\n43210")."""
    out = [chains[0]]
    for c_start, c_end in chains[1:]:
        prev_start, prev_end = out[-1]
        if c_start - prev_end <= 8 and _LINE_BREAK_GAP_RE.fullmatch(folded, prev_end, c_start):
            out[-1] = (prev_start, c_end)
        else:
            out.append((c_start, c_end))
    return out


def _in_handle(folded: str, pos: int) -> bool:
    """Do the digits at ``pos`` end an @mention or #hashtag that has letters ("@ravi341")?"""
    k = pos
    while k > 0 and folded[k - 1] in _HANDLE_CHARS:
        k -= 1
    return k < pos and k > 0 and folded[k - 1] in "@#" and not folded[k:pos].isdigit()


def _masked(folded: str, start: int, end: int) -> bool:
    """Do mask characters touch ``folded[start:end]`` ("******3210", "98765xxxxx")?

    Stars and bullets are also decoration: one of them ("•98765 43210", "*98765 43210*"), or
    the same short run on both sides ("**98765 43210**"), masks nothing unless a digit or an
    "x" lies beyond it ("98*6543210"). Two on one side can hide the end of a longer number
    ("9160000000**" was "91600000000" + two more digits).
    """
    n = len(folded)
    if not (
        (start > 0 and folded[start - 1] in _MASK_CHARS) or (end < n and folded[end] in _MASK_CHARS)
    ):
        return False
    lo = start
    while lo > 0 and folded[lo - 1] in _SOFT_MASKS:
        lo -= 1
    hi = end
    while hi < n and folded[hi] in _SOFT_MASKS:
        hi += 1
    if (lo > 0 and folded[lo - 1] in _MASK_BEYOND) or (hi < n and folded[hi] in _MASK_BEYOND):
        return True  # a hard mask ("x") touches, or more digits lie beyond the stars
    before, after = start - lo, hi - end
    if before == after:
        return before > _MAX_EMPHASIS
    return max(before, after) > 1


#: Characters the context pattern reads as nothing: a word before them is still the nearest.
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
    while i > lo and folded[i - 1] in _ASCII_LETTERS:
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


class PhoneMatch(NamedTuple):
    """A phone number found in a text: ``number`` and the span it was written in."""

    number: PhoneNumber
    start: int
    end: int


class PhoneFinder:
    """Finds phone numbers in (digit-folded) text. Build once, call :meth:`find` per text."""

    def __init__(self, region: str = "IN") -> None:
        self.validator = NumberValidator(region)
        self._mobile_first = "6789" if self.validator.region == "IN" else ""

    def find(
        self,
        folded: str,
        chains: list[tuple[int, int]] | None = None,
        local_parts: Collection[int] = (),
    ) -> list[PhoneMatch]:
        """Phones in ``folded`` (a text after :func:`fold_digits`).

        ``chains`` are the text's :func:`digit_chains` when the caller already has them.
        ``local_parts`` are offsets of ``@`` signs that end a UPI ID or email: a number written
        right before one is taken without asking the surrounding words.
        """
        if chains is None:
            chains = digit_chains(folded)
        out: list[PhoneMatch] = []
        if len(chains) > 1 and "\n" in folded:
            chains = _join_line_breaks(folded, chains)
        for c_start, c_end in chains:
            if c_end - c_start < 7:
                continue
            plus = folded[c_start] == "+"
            if folded[c_start:c_end].isdigit():
                groups = [(c_start, c_end)]
            else:
                groups = [g.span() for g in _GROUP_RE.finditer(folded, c_start, c_end)]
                if not plus and _in_handle(folded, c_start):
                    groups = groups[1:]  # "@anju_007 98765 43210": 007 belongs to the handle
            self._chain(folded, c_start, groups, plus, local_parts, out)
        return out

    def _chain(
        self,
        folded: str,
        chain_start: int,
        groups: list[tuple[int, int]],
        plus: bool,
        local_parts: Collection[int],
        out: list[PhoneMatch],
    ) -> None:
        check = self.validator.check
        n = len(groups)
        i = 0
        while i < n:
            with_plus = plus and i == 0
            best: tuple[int, PhoneNumber] | None = None
            digits = ""
            for j in range(i, n):
                g_start, g_end = groups[j]
                digits += folded[g_start:g_end]
                if len(digits) > 17:
                    break
                if len(digits) >= 7:
                    number = check(digits, with_plus)
                    if number is not None:
                        best = (j, number)
            if best is None:
                i += 1
                continue
            j, number = best
            start = chain_start if with_plus else groups[i][0]  # "+91..." / "+ 91 ..."
            end = groups[j][1]
            if start > 0 and folded[start - 1] == "(":
                # "(+91) 98765 43210", "(022) 2345 6789": the bracket closes inside the number.
                # Not "(+91 (0)87996...)", where the ")" closes the "(0".
                close, reopen = folded.find(")", start, end), folded.find("(", start, end)
                if close != -1 and (reopen == -1 or close < reopen):
                    start -= 1
            whole = i == 0 and j == n - 1
            if self._accept(folded, number, start, end, local_parts, whole):
                out.append(PhoneMatch(number, start, end))
                i = j + 1
            else:
                i += 1  # "10:15 68 79 66 39 69": the minutes must not swallow the number

    def _accept(
        self,
        folded: str,
        number: PhoneNumber,
        start: int,
        end: int,
        local_parts: Collection[int],
        whole: bool,
    ) -> bool:
        if number.national in HELPLINES:
            return False
        after = folded[end : end + 1]
        if (after in _MASK_CHARS or (start > 0 and folded[start - 1] in _MASK_CHARS)) and _masked(
            folded, start, end
        ):
            return False
        if end in local_parts:
            return True
        if after in _AFTER_FIRST and _AFTER_RE.match(folded, end):
            return False
        if folded[start] in "+(" and number.prefixed:
            return True  # "+91 ..." / "(+91) ...": nobody writes a reference or amount that way
        if start > 0 and folded[start - 1] in _ASCII_LETTERS and _glued_reference(folded, start):
            return False
        score = context_score(folded, start)
        if score < 0:
            return False
        if number.prefixed or number.number_type in _STANDALONE_TYPES:
            return True
        if score > 0 and whole:
            return True
        # Unprefixed and not mobile-shaped (a landline without its STD "0", a UAN ...): random
        # ten-digit references look just like these, so only take them when the text says so.
        return number.national[:1] in self._mobile_first if self._mobile_first else False
