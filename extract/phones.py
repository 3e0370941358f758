"""Phone numbers in complaint texts.

:class:`PhoneFinder` looks for runs of digit groups joined by the separators people type inside
numbers (:data:`scamtrail.extract.normalize.PHONE_SEPARATORS`), tries the groups of each run
left to right, keeps the longest combination that is a valid number, and then asks the words
before it whether it is a phone at all ("call 98765 43210" yes, "UTR 412345678901" no).

Validation follows ``phonenumbers`` exactly. :class:`NumberValidator` answers the common Indian
shapes (ten digits, ``0`` + ten, ``91`` + ten, ``+91`` + ten) from the library's own metadata
patterns without ``phonenumbers.parse`` (which costs ~85 µs a call, more than a whole tweet's
budget), and hands every other shape to ``parse`` + ``is_valid_number`` behind a cache.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers
from phonenumbers import PhoneMetadata, PhoneNumberType
from scamtrail.extract.normalize import digit_chains, is_social


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_TYPE_ORDER = (
    ("premium_rate", PhoneNumberType.PREMIUM_RATE),
    ("toll_free", PhoneNumberType.TOLL_FREE),
    ("shared_cost", PhoneNumberType.SHARED_COST),
    ("voip", PhoneNumberType.VOIP),
    ("personal_number", PhoneNumberType.PERSONAL_NUMBER),
    ("pager", PhoneNumberType.PAGER),
    ("uan", PhoneNumberType.UAN),
    ("voicemail", PhoneNumberType.VOICEMAIL),
)
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


@dataclass(frozen=True, slots=True)
class PhoneNumber:
    """A valid number: E.164 ``value``, its ``national`` significant number and ``number_type``
    (a ``phonenumbers.PhoneNumberType``); ``prefixed`` when written with ``+CC``/``CC``/``0``."""

    value: str
    national: str
    number_type: int
    prefixed: bool


def _compile_desc(desc: object) -> tuple[frozenset[int], re.Pattern[str]] | None:
    pattern = getattr(desc, "national_number_pattern", None)
    if not pattern:
        return None
    return frozenset(getattr(desc, "possible_length", ()) or ()), re.compile(pattern)


def _matches(desc: tuple[frozenset[int], re.Pattern[str]] | None, national: str) -> bool:
    if desc is None:
        return False
    lengths, pattern = desc
    if lengths and len(national) not in lengths:
        return False
    return pattern.fullmatch(national) is not None


@lru_cache(maxsize=8192)
def _parse_cached(digits: str, plus: bool, region: str) -> PhoneNumber | None:
    try:
        number = phonenumbers.parse(("+" if plus else "") + digits, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    national = phonenumbers.national_significant_number(number)
    value = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return PhoneNumber(
        value, national, phonenumbers.number_type(number), len(digits) > len(national)
    )


_CACHE_SIZE = 65536


class NumberValidator:
    """Says whether a digit string is a valid phone number, as ``phonenumbers`` would.

    ``check(digits, plus)`` returns a :class:`PhoneNumber` or ``None``. For region ``IN`` the
    shapes ``NNNNNNNNNN``, ``0NNNNNNNNNN``, ``91NNNNNNNNNN`` and ``+91NNNNNNNNNN`` (N not
    starting with 0) are decided from the metadata patterns directly; every other input goes through
    ``phonenumbers.parse`` and ``is_valid_number`` (cached).
    """

    def __init__(self, region: str = "IN") -> None:
        region = region.upper()
        metadata = PhoneMetadata.metadata_for_region(region)
        if metadata is None:
            raise ValueError(f"unknown phone region {region!r}; use an ISO 3166 code like 'IN'")
        self.region = region
        self.country_code = str(metadata.country_code)
        self._general = _compile_desc(metadata.general_desc)
        self._types = [
            (t, desc)
            for name, t in _TYPE_ORDER
            if (desc := _compile_desc(getattr(metadata, name))) is not None
        ]
        self._fixed = _compile_desc(metadata.fixed_line)
        self._mobile = _compile_desc(metadata.mobile)
        self._same_fixed_mobile = bool(metadata.same_mobile_and_fixed_line_pattern)
        # The direct shapes below are only proven for India's numbering plan (see the tests).
        self._direct = region == "IN"
        # Scam numbers repeat across complaints; so do the partial runs tried on the way.
        self._cache: dict[tuple[str, bool], PhoneNumber | None] = {}

    def number_type(self, national: str) -> int:
        """The ``PhoneNumberType`` of a national significant number of this region."""
        if not _matches(self._general, national):
            return PhoneNumberType.UNKNOWN
        for number_type, desc in self._types:
            if _matches(desc, national):
                return number_type
        if _matches(self._fixed, national):
            if self._same_fixed_mobile or _matches(self._mobile, national):
                return PhoneNumberType.FIXED_LINE_OR_MOBILE
            return PhoneNumberType.FIXED_LINE
        if not self._same_fixed_mobile and _matches(self._mobile, national):
            return PhoneNumberType.MOBILE
        return PhoneNumberType.UNKNOWN

    def _direct_national(self, digits: str, plus: bool) -> str | None:
        n = len(digits)
        if plus:
            if n == 12 and digits[:2] == "91" and digits[2] != "0":
                return digits[2:]
            return None
        if n == 10 and digits[0] != "0":
            return digits
        if n == 11 and digits[0] == "0" and digits[1] != "0":
            return digits[1:]
        if n == 12 and digits[:2] == "91" and digits[2] != "0":
            return digits[2:]
        return None

    def check(self, digits: str, plus: bool = False) -> PhoneNumber | None:
        """Validate ``digits`` (ASCII digits only), written after a ``+`` when ``plus``."""
        key = (digits, plus)
        try:
            return self._cache[key]
        except KeyError:
            pass
        if len(self._cache) >= _CACHE_SIZE:
            self._cache.clear()
        result = self._cache[key] = self._check(digits, plus)
        return result

    def _check(self, digits: str, plus: bool) -> PhoneNumber | None:
        if not self._direct:
            if plus and not _possible_international(digits):
                return None
            return _parse_cached(digits, plus, self.region) if 3 <= len(digits) <= 17 else None
        if digits[:2] == "00" and digits[2:3] not in ("", "0"):
            plus, digits = True, digits[2:]  # "00" is India's international call prefix
        national = self._direct_national(digits, plus)
        if national is not None:
            number_type = self.number_type(national)
            if number_type == PhoneNumberType.UNKNOWN:
                return None
            return PhoneNumber("+91" + national, national, number_type, len(digits) > 10)
        if plus:
            if digits[:2] == "91":
                if not _maybe_indian(digits[2:]):
                    return None
            elif not _possible_international(digits):
                return None
        elif not (
            _maybe_indian(digits)
            or (digits[:1] == "0" and _maybe_indian(digits[1:]))
            or (digits[:2] == "91" and _maybe_indian(digits[2:]))
        ):
            return None
        return _parse_cached(digits, plus, self.region)


def _maybe_indian(rest: str) -> bool:
    """Could ``rest`` (after any national prefix "0") be an Indian national number at all?

    India's general pattern is ``(?:000800|[2-9]\\d\\d)\\d{7}|1\\d{7,12}``: ten digits from 2-9,
    the 000800 toll-free range, or a 1 followed by 7-12 digits (1800, 1860, 140 ...).
    """
    for _ in range(2):
        if rest[:1] == "0" and rest[:6] != "000800":
            rest = rest[1:]
    if rest[:1] == "1":
        return 8 <= len(rest) <= 13
    if rest[:6] == "000800":
        return len(rest) == 13
    return len(rest) == 10 and rest[:1] in "23456789"


def _possible_international(digits: str) -> bool:
    """Could ``+digits`` have a valid length for its country code? Skips parse() for the short
    prefixes tried while growing a run ("+1", "+1 202", "+1 202 555")."""
    lengths = _lengths_by_code()
    for k in (1, 2, 3):
        allowed = lengths.get(digits[:k])
        if allowed is not None:
            return len(digits) in allowed
    return False


@lru_cache(maxsize=1)
def _lengths_by_code() -> dict[str, frozenset[int]]:
    """For each country calling code: the total digit counts (code + national number, allowing
    for a written national prefix) that a valid international number can have."""
    out: dict[str, set[int]] = {}
    for code, regions in phonenumbers.COUNTRY_CODE_TO_REGION_CODE.items():
        cc = str(code)
        allowed = out.setdefault(cc, set())
        for region in regions:
            md = PhoneMetadata.metadata_for_region_or_calling_code(code, region)
            if md is None or md.general_desc is None:
                continue
            prefix = md.national_prefix_for_parsing or ""
            if prefix and not prefix.isdigit():
                # A transform rule can rewrite the national number: any length may work.
                allowed.update(range(len(cc) + 2, 18))
                continue
            extra = max(len(prefix), len(md.national_prefix or ""))
            for length in md.general_desc.possible_length or ():
                for k in range(extra + 1):
                    allowed.add(len(cc) + length + k)
    return {k: frozenset(v) for k, v in out.items()}


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
    ₹ रु रू रुपये रुपए रुपया आधार खाता खाते अकाउंट अकाऊंट कार्ड एफआईआर शिकायत तक्रार पिन
    रक्कम राशि"""
)
#: Words that make a following digit run a phone number even when it is not mobile-shaped.
FAVOUR_WORDS = _words(
    """call called calls calling caller callers mob mobile mobno mobileno phone ph phn tel
    telephone contact cont cell from whatsapp whatsaap watsapp whataspp wa wp dial dialled dialed sms
    message msg messaged texted helpline customercare care landline
    फोन फ़ोन मोबाइल मोबाईल कॉल संपर्क व्हाट्सएप व्हाट्सऐप"""
)
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
_CONTEXT_RE = re.compile(
    r"(?P<brk>[\n!?;|\u0964\u0965]|[.,](?=\s)|[0-9]+)"
    r"|(?P<tok>a/c|[a-z]+|[\u0900-\u0963\u0971-\u097f]+|₹)"
)
_AFTER_RE = re.compile(r"[ \t]*(/-|rupees|rupaye|रुपये|रुपए)")

_GROUP_RE = re.compile(r"[0-9]+")
_MASK_CHARS = frozenset("xX*•●×")


_HANDLE_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")


def _in_handle(folded: str, pos: int) -> bool:
    """Do the digits at ``pos`` end an @mention or #hashtag that has letters ("@ravi341")?"""
    k = pos
    while k > 0 and folded[k - 1] in _HANDLE_CHARS:
        k -= 1
    return k < pos and k > 0 and folded[k - 1] in "@#" and not folded[k:pos].isdigit()


def context_score(folded: str, start: int) -> int:
    """-1 when the words before ``start`` say the number is not a phone (``UTR``, ``Rs``,
    ``account no``), +1 when they say it is (``call``, ``mobile``, ``number``), else 0.

    Looks back over at most six words, through "number"-words and a few linking words
    ("is", "my", "ka"), and stops at the end of the previous sentence.
    """
    offset = max(0, start - _WINDOW)
    items = [
        (m.lastgroup, m.group(), m.start(), m.end())
        for m in _CONTEXT_RE.finditer(folded[offset:start].lower())
    ]
    favour = 0
    seen = 0
    k = len(items) - 1
    while k >= 0 and seen < 6:
        group, word, w_start, _ = items[k]
        previous = items[k - 1] if k > 0 else None
        if group == "brk":
            # "no. 98765...", "Rs. 500": a dot right after an abbreviation ends no sentence.
            if (
                word in ".,"
                and previous is not None
                and previous[3] == w_start
                and previous[1] in _ABBREVIATIONS
            ):
                k -= 1
                continue
            break  # the end of a sentence, or another number the words before belong to
        seen += 1
        before = previous[1] if previous is not None and previous[0] == "tok" else ""
        if word in VETO_WORDS:
            if word == "id" and before in _ID_FAVOUR:
                return 1
            if word in _ACCOUNT_WORDS and is_social(before):
                return 1  # "whatsapp acc 90128...", "telegram account ..."
            if word in _CURRENCY_WORDS and previous is not None and previous[1][:1].isdigit():
                break  # "19,020 rs. 98765...": the currency closes the amount before it
            return -1
        if word in FAVOUR_WORDS:
            return 1
        if word in NUMBER_WORDS:
            favour = 1
        elif word not in FILLER_WORDS:
            break
        k -= 1
    return favour


@dataclass(frozen=True, slots=True)
class PhoneMatch:
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
        local_parts: frozenset[int] = frozenset(),
    ) -> list[PhoneMatch]:
        """Phones in ``folded`` (a text after :func:`fold_digits`).

        ``chains`` are the text's :func:`digit_chains` when the caller already has them.
        ``local_parts`` are offsets of ``@`` signs that end a UPI ID or email: a number written
        right before one is taken without asking the surrounding words.
        """
        if chains is None:
            chains = digit_chains(folded)
        out: list[PhoneMatch] = []
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
            self._chain(folded, groups, plus, local_parts, out)
        return out

    def _chain(
        self,
        folded: str,
        groups: list[tuple[int, int]],
        plus: bool,
        local_parts: frozenset[int],
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
            start = groups[i][0] - (1 if with_plus else 0)
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
        local_parts: frozenset[int],
        whole: bool,
    ) -> bool:
        if number.national in HELPLINES:
            return False
        if (start > 0 and folded[start - 1] in _MASK_CHARS) or (
            end < len(folded) and folded[end] in _MASK_CHARS
        ):
            return False
        if end in local_parts:
            return True
        if _AFTER_RE.match(folded, end):
            return False
        if folded[start] in "+(" and number.prefixed:
            return True  # "+91 ..." / "(+91) ...": nobody writes a reference or amount that way
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
