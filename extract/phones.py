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
from scamtrail.extract.context import ASCII_LETTERS as _ASCII_LETTERS
from scamtrail.extract.context import (
    FAVOUR_WORDS,
    FILLER_WORDS,
    NUMBER_WORDS,
    VETO_WORDS,
    context_score,
)
from scamtrail.extract.normalize import PHONE_SEPARATORS, digit_chains
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
    reference or veto a number anyway ("order", "utr", "rupees"), or are a short code after
    words that name a reference ("booking id bk9876543210").
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
    if (word.isupper() and len(word) <= _MAX_CODE_LETTERS) or low in VETO_WORDS:
        return True
    # "booking id bk9876543210", "order no. od98...": the words before the code name a reference.
    return len(word) <= _MAX_CODE_LETTERS and context_score(folded, k) < 0


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
class PhoneMatch(NamedTuple):
    """A phone number found in a text: ``number`` and the span it was written in."""

    number: PhoneNumber
    start: int
    end: int


#: Named tuples built per text through tuple.__new__: the class's own __new__ is Python code
#: (a call and a frame per record). Same object, same fields.
_new = tuple.__new__


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
        check = self.validator.check
        for c_start, c_end in chains:
            if c_end - c_start < 7:
                continue
            digits = folded[c_start:c_end]
            if digits.isdigit():
                # One group of digits, the common case: no combinations to try.
                if c_end - c_start <= 17:
                    number = check(digits, False)
                    if number is not None and self._accept(
                        folded, number, c_start, c_end, local_parts, True
                    ):
                        out.append(_new(PhoneMatch, (number, c_start, c_end)))
                continue
            plus = digits[0] == "+"
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
                out.append(_new(PhoneMatch, (number, start, end)))
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
