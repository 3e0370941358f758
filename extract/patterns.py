"""UPI IDs, emails, vehicle registrations and bank account numbers (URLs: :mod:`.urls`).

Each ``find_*`` function takes the digit-folded text (see
:func:`scamtrail.extract.normalize.fold_digits`) and returns ``(kind, value, start, end)``
tuples; the offsets are valid in the original text. Values are normalised the way the registry
stores them: UPI IDs and emails lowercased, URLs refanged with a scheme, vehicles
``MH02AB1234``, bank accounts digits only.
"""

from __future__ import annotations

import re

from scamtrail.extract.normalize import (
    EMAIL_LOCAL_CHARS,
    PHONE_SYMBOLS,
    digit_chains,
    is_social,
    refang,
    within_one_edit,
)

Found = tuple[str, str, int, int]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# --------------------------------------------------------------------------------------------
# UPI

#: UPI handles (the part after ``@``) of the apps and banks people pay through.
UPI_HANDLES = _words(
    """ybl ibl axl okaxis oksbi okhdfcbank okicici okbizaxis okbizicici okbizsbi okbizhdfc
    paytm ptyes ptsbi pthdfc ptaxis pytm upi bhim apl yapl rapl amazonpay fbl federal icici
    myicici imobile icicipay sbi sbipay hdfcbank hdfc payzapp axisbank axisb axis kotak kmbl
    kotak811 jupiteraxis waaxis wahdfcbank waicici wasbi freecharge ikwik mbk airtel
    airtelpaymentsbank jio jiopay barodampay barodapay bob unionbank unionbankofindia uboi ubi
    pnb idfcbank idfc idfcfirst idfcfirstbank rbl rblbank yesbank yesbankltd yespay yes indus
    indusind aubank au bandhan boi cbin cboi centralbank cnrb canarabank canara csbpay csb cub
    dbs dcb dcbbank equitas esaf fino finobank hsbc idbi idbibank indianbank indbank indianbk
    iob jkb jsb karb kbl kvb lvb mahb maharashtrabank pingpay psb sib scb sc sbm srcb tjsb
    tmb uco ucobank utbi united vijb ippb postbank nsdl paysbi ratn superyes tapicici
    timecosmos cosmos saraswat svcbank naviaxis slice sliceaxis niyoicici pockets gpay okpay
    dlb dhanbank allbank andb obc denabank eazypay ezeepay purz abfspay abcdicici goaxb fam
    famx mobikwik phonepe googlepay cred ptpnb ptkotak paytmbank"""
)
_PSP_RE = re.compile(
    r"[A-Za-z][A-Za-z0-9]{1,30}(?![A-Za-z0-9_@\-])(?!\.[A-Za-z0-9])(?!\[\.\]|\(\.\)|\[dot\])"
)
_UPI_FULL_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._\-]{0,255}@[A-Za-z][A-Za-z0-9]{1,30}")


def find_at_sign_ids(text: str, at_signs: list[int] | None = None) -> list[Found]:
    """UPI IDs (``handle@psp`` with a known UPI handle and no dot after it) and emails.

    Works from each ``@`` outwards (``at_signs``, their offsets, when the caller has them), so
    a text whose only ``@`` signs start mentions (``@MumbaiPolice``) costs little.
    """
    if at_signs is None:
        at_signs = [i for i, ch in enumerate(text) if ch == "@"]
    out: list[Found] = []
    for at in at_signs:
        if at > 0 and text[at - 1] in EMAIL_LOCAL_CHARS:
            item = _at_sign_id(text, at)
            if item is not None:
                out.append(item)
    return out


def _at_sign_id(text: str, at: int) -> Found | None:
    start = at - 1
    while start > 0 and text[start - 1] in EMAIL_LOCAL_CHARS:
        start -= 1
    if not text[start].isalnum() or (start > 0 and text[start - 1] == "@"):
        return None
    local = text[start:at]
    psp = _PSP_RE.match(text, at + 1)
    if (
        psp is not None
        and psp.group(0).lower() in UPI_HANDLES
        and "%" not in local
        and "+" not in local
    ):
        return ("upi", text[start : psp.end()].lower(), start, psp.end())
    domain = _EMAIL_DOMAIN_RE.match(text, at + 1)
    if domain is None:
        return None
    return ("email", refang(text[start : domain.end()]).lower(), start, domain.end())


def find_upi(text: str) -> list[Found]:
    """UPI IDs in ``text``."""
    return [item for item in find_at_sign_ids(text) if item[0] == "upi"]


def normalise_upi(value: str) -> str | None:
    """The registry value of a typed UPI ID (any handle without a dot), or ``None``."""
    return value.lower() if _UPI_FULL_RE.fullmatch(value) else None


# --------------------------------------------------------------------------------------------
# email

_DOT = r"(?:\.|\[\.\]|\(\.\)|\[dot\])"
_EMAIL_DOMAIN_RE = re.compile(
    rf"(?:[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?{_DOT})+[A-Za-z]{{2,24}}(?![A-Za-z0-9\-])",
    re.IGNORECASE | re.ASCII,
)
_EMAIL_RE = re.compile(
    rf"[A-Za-z0-9][A-Za-z0-9._%+\-]*@{_EMAIL_DOMAIN_RE.pattern}", re.IGNORECASE | re.ASCII
)


def find_email(text: str) -> list[Found]:
    """Email addresses in ``text`` (``[.]`` in the domain is refanged), lowercased."""
    return [item for item in find_at_sign_ids(text) if item[0] == "email"]


def normalise_email(value: str) -> str | None:
    """The registry value of a typed email address, or ``None``."""
    return refang(value).lower() if _EMAIL_RE.fullmatch(value) else None


# --------------------------------------------------------------------------------------------
# vehicle registrations

#: Registration codes of the states and union territories (with older codes still on plates).
STATE_CODES = _words(
    """AN AP AR AS BR CH CG CT DD DN DL GA GJ HR HP JK JH KA KL LA LD MP MH MN ML MZ NL OD OR PY
    PB RJ SK TN TS TG TR UP UK UA WB"""
)
_VSEP = r"[ .\-\u00a0]?"
_VSEP_CHARS = " .-\u00a0"
_STATE_ALT = "|".join(sorted(STATE_CODES))
_VEHICLE_RE = re.compile(
    rf"(?<![A-Za-z0-9])(?:"
    rf"(?P<st>{_STATE_ALT}){_VSEP}(?P<rto>[0-9]{{1,2}})"
    rf"(?P<ser>(?:{_VSEP}[A-Z]{{1,3}}){{1,2}}){_VSEP}(?P<num>[0-9]{{1,4}})"
    rf"|(?P<yy>[0-9]{{2}}){_VSEP}BH{_VSEP}(?P<bhnum>[0-9]{{4}}){_VSEP}(?P<bhser>[A-Z]{{1,2}})"
    rf")(?![A-Za-z0-9])",
    re.IGNORECASE | re.ASCII,
)
_VEHICLE_STRIP_RE = re.compile(r"[ .\-\u00a0]")
#: Lowercase look-alikes of plates in running text ("as 12 am 1930").
_LOWER_WORD_STATES = frozenset({"as", "or", "an"})
_LOWER_WORD_SERIES = frozenset({"am", "pm", "hrs", "hr", "min", "baje"})


def find_vehicle(text: str, chains: list[tuple[int, int]] | None = None) -> list[Found]:
    """Indian registrations: ``MH 02 AB 1234``, ``DL 3C AB 1234``, ``22 BH 1234 AA``.

    Works from the text's digit chains (see :func:`digit_chains`): a plate's first digits follow
    a state code, or are the year of a ``BH`` plate.
    """
    if chains is None:
        chains = digit_chains(text)
    out: list[Found] = []
    done = 0
    for c_start, c_end in chains:
        if c_end <= done:
            continue
        if c_end - c_start > 2:
            # A plate's first digits are one or two ("MH 02", "DL 3C", "22 BH"); in a longer
            # run ("@ravi341 26 bh 8553at") only a last group of two can start a BH plate.
            if text[c_end - 3] not in _VSEP_CHARS or not text[c_end - 2 : c_end].isdigit():
                continue
            c_start = c_end - 2
        if c_start < done:
            continue
        for start in _plate_starts(text, c_start, c_end):
            m = _VEHICLE_RE.match(text, start)
            if m is not None and _plate_ok(m):
                value = _VEHICLE_STRIP_RE.sub("", m.group(0)).upper()
                out.append(("vehicle", value, m.start(), m.end()))
                done = m.end()
                break
    return out


def _plate_starts(text: str, c_start: int, c_end: int) -> list[int]:
    """Where a plate around these digits could start: at a state code before them, or at
    the digits themselves for a ``BH`` plate."""
    starts = []
    pos = c_start
    if pos > 0 and text[pos - 1] in _VSEP_CHARS:
        pos -= 1
    if pos >= 2 and text[pos - 2 : pos].upper() in STATE_CODES:
        starts.append(pos - 2)
    after = text[c_end : c_end + 4].upper()
    if c_end - c_start == 2 and (after[:2] == "BH" or after[1:3] == "BH"):
        starts.append(c_start)
    return starts


def _plate_ok(m: re.Match[str]) -> bool:
    letters = "".join(ch for ch in m.group(0) if ch.isalpha())
    if not (letters.isupper() or letters.islower()):
        return False  # "Ka 05 Ab 1234" reads like words, not a plate
    if m.group("st") is None:
        return True
    series = _VEHICLE_STRIP_RE.sub("", m.group("ser"))
    if len(series) > 3 or (len(series) > 1 and series.upper().strip("X") == ""):
        return False  # too long, or masked ("KA28 XX 2338": the rest was not readable)
    return not (
        letters.islower() and (m.group("st") in _LOWER_WORD_STATES or series in _LOWER_WORD_SERIES)
    )


def normalise_vehicle(value: str) -> str | None:
    """The registry value of a typed registration number, or ``None``."""
    m = _VEHICLE_RE.fullmatch(value.strip())
    if m is None:
        return None
    return _VEHICLE_STRIP_RE.sub("", m.group(0)).upper()


# --------------------------------------------------------------------------------------------
# bank accounts (only where the text says it is one)

_WORD_GAP = frozenset(" \t\n\u00a0.:#-")
_LATIN = frozenset("abcdefghijklmnopqrstuvwxyz")
#: Words for "account" (and "account number") as people write them.
ACCOUNT_WORDS = _words("a/c a\\c ac acc acct acnt accnt account khata खाता खाते अकाउंट अकाऊंट")
_ACCOUNT_FILLERS = _words(
    "no number num nbr sankhya is hai details संख्या क्रमांक नंबर नं नम्बर है bank saving savings"
)
_ACCOUNT_NUMBER_RE = re.compile(r"[0-9](?:[ \-]?[0-9]){8,17}(?![0-9])")


def is_account_word(word: str) -> bool:
    """ "a/c", "account", "खाता" ... or "account" with one typo."""
    return word in ACCOUNT_WORDS or (5 <= len(word) <= 9 and within_one_edit(word, "account"))


def _is_symbol(ch: str) -> bool:
    """Emoji, arrows, bullets, variation selectors, joiners: nothing that ends a sentence
    ("a/c 👉 1234...", "खाता नं.➡️ 1234..."). Not "₹", nor a telephone ("a/c no 📞 98...":
    the number after it is a phone)."""
    return ch >= "\u2010" and ch != "₹" and ch not in PHONE_SYMBOLS and not ch.isalnum()


def _last_word(low: str, pos: int) -> tuple[str, int]:
    """The word ending just before ``pos`` (skipping spaces, ``. : # -``) and where it starts."""
    end = pos
    while end > 0 and (low[end - 1] in _WORD_GAP or _is_symbol(low[end - 1])):
        end -= 1
    if end >= 3 and low[end - 3 : end] in ("a/c", "a\\c"):
        return low[end - 3 : end], end - 3
    start = end
    while start > 0 and (
        low[start - 1] in _LATIN
        or "\u0900" <= low[start - 1] <= "\u0963"
        or "\u0971" <= low[start - 1] <= "\u097f"
    ):
        start -= 1
    return low[start:end], start


def _account_before(low: str, pos: int) -> bool:
    """Do the words just before ``pos`` say "account (number)"? Not a WhatsApp account."""
    for _ in range(4):
        word, pos = _last_word(low, pos)
        if not word:
            return False
        if is_account_word(word):
            return not is_social(_last_word(low, pos)[0])
        if word not in _ACCOUNT_FILLERS:
            return False
    return False


def find_bank_account(
    text: str, chains: list[tuple[int, int]] | None = None, low: str = ""
) -> list[Found]:
    """Bank account numbers written as such ("a/c no 1234...", "खाता संख्या ..."): 9-18 digits
    right after an account word, value digits only. ``low`` is ``text`` lowercased with its
    offsets kept, when the caller has it."""
    if chains is None:
        chains = digit_chains(text)
    out: list[Found] = []
    checked = False
    for c_start, c_end in chains:
        if c_end - c_start < 9 or text[c_start] == "+":
            continue
        if not checked:
            checked = True
            if not low:
                low = text.lower()
                if len(low) != len(text):
                    low = "".join(ch if len(ch.lower()) != 1 else ch.lower() for ch in text)
            if not (
                "ac" in low
                or "a/c" in low
                or "a\\c" in low
                or "khata" in low
                or "खात" in low
                or "अका" in low
            ):
                return out  # no account word (nor a typo of one) anywhere
        if not _account_before(low, c_start):
            continue
        m = _ACCOUNT_NUMBER_RE.match(text, c_start)
        if m is None:
            continue
        end = m.end()
        if text[end - 2] in " -" and end - 2 - c_start >= 9:
            end -= 2  # "a/c no 048346211822 7 baar": a lone last digit is the next word's
        digits = text[c_start:end].replace(" ", "").replace("-", "")
        if len(digits) >= 9:
            out.append(("bank_account", digits, c_start, end))
    return out
