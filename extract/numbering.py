"""Phone number validation that agrees with ``phonenumbers``, without its cost.

:class:`NumberValidator` answers the common Indian shapes (ten digits, ``0`` + ten, ``91`` +
ten, ``+91`` + ten) from the library's own metadata patterns without ``phonenumbers.parse``
(which costs ~85 µs a call, more than a whole tweet's budget), and hands every other shape to
``parse`` + ``is_valid_number`` behind a cache. The tests check it against the library on
random digit strings.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

import phonenumbers
from phonenumbers import PhoneMetadata, PhoneNumberType

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


#: Branch name of :meth:`NumberValidator._combine`'s pattern -> the type it stands for.
_GROUP_TYPES: dict[str | None, int] = {
    **{f"t{int(t)}": t for _, t in _TYPE_ORDER},
    "fixed_or_mobile": PhoneNumberType.FIXED_LINE_OR_MOBILE,
    "fixed": PhoneNumberType.FIXED_LINE,
    "mobile": PhoneNumberType.MOBILE,
    None: PhoneNumberType.UNKNOWN,
}


class PhoneNumber(NamedTuple):
    """A valid number: E.164 ``value``, its ``national`` significant number and ``number_type``
    (a ``phonenumbers.PhoneNumberType``); ``prefixed`` when written with ``+CC``/``CC``/``0``."""

    value: str
    national: str
    number_type: int
    prefixed: bool


_Desc = tuple[frozenset[int], re.Pattern[str]]
_Plan = tuple[
    re.Pattern[str] | None,
    list[tuple[int, re.Pattern[str]]],
    re.Pattern[str] | None,
    re.Pattern[str] | None,
]


def _compile_desc(desc: object) -> _Desc | None:
    pattern = getattr(desc, "national_number_pattern", None)
    if not pattern:
        return None
    return frozenset(getattr(desc, "possible_length", ()) or ()), re.compile(pattern)


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


#: A PhoneNumber from its four fields without the named tuple's Python-level __new__.
_new_number = tuple.__new__
_CACHE_SIZE = 65536
#: Not in the cache (``None`` is a cached answer: not a valid number). A miss costs a lookup,
#: not a raised KeyError: most numbers a benchmark or a stream meets are new.
_MISSING = object()


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
        # number_type() runs for every candidate number: its patterns, chosen once per length.
        self._plans: dict[int, _Plan] = {}
        self._combined: dict[int, re.Pattern[str] | bool] = {}
        # The direct shapes below are only proven for India's numbering plan (see the tests).
        self._direct = region == "IN"
        if self._direct:
            # Nearly every number met is a ten-digit national number: its type pattern (6 ms
            # to compile, India's mobile ranges) is built with the validator, not on the first
            # number of the first batch.
            self._combined[10] = self._combine(10)
        ten = self._combined.get(10)
        #: The type pattern of ten-digit national numbers, for the shortcut in _check.
        self._ten: re.Pattern[str] | None = ten if isinstance(ten, re.Pattern) else None
        # Scam numbers repeat across complaints; so do the partial runs tried on the way.
        self._cache: dict[tuple[str, bool], PhoneNumber | None] = {}

    def number_type(self, national: str) -> int:
        """The ``PhoneNumberType`` of a national significant number of this region."""
        combined = self._combined.get(len(national))
        if combined is None:
            combined = self._combined[len(national)] = self._combine(len(national))
        if combined is not False:
            m = combined.fullmatch(national)
            return PhoneNumberType.UNKNOWN if m is None else _GROUP_TYPES[m.lastgroup]
        return self._number_type_by_plan(national)

    def _combine(self, length: int) -> re.Pattern[str] | bool:
        """One pattern deciding the type of a ``length``-digit number in a single match: the
        general pattern as a lookahead, then one named branch per type in the order
        :meth:`_number_type_by_plan` tries them (the first branch that matches wins). ``False``
        when a metadata pattern has groups of its own (the branch names would not hold)."""
        general, types, fixed, mobile = self._plan(length)
        if general is None:
            return re.compile(r"(?!)")
        parts = [(f"t{int(t)}", p.pattern) for t, p in types]
        if fixed is not None:
            if self._same_fixed_mobile:
                parts.append(("fixed_or_mobile", fixed.pattern))
            else:
                if mobile is not None:
                    parts.append(
                        ("fixed_or_mobile", rf"(?=(?:{fixed.pattern})\Z)(?:{mobile.pattern})")
                    )
                parts.append(("fixed", fixed.pattern))
        if not self._same_fixed_mobile and mobile is not None:
            parts.append(("mobile", mobile.pattern))
        patterns = [general.pattern] + [p for _, p in parts]
        if any(re.compile(p).groups for p in patterns):
            return False
        branches = "|".join(f"(?P<{name}>{pattern})" for name, pattern in parts)
        return re.compile(rf"(?=(?:{general.pattern})\Z)(?:{branches or '(?!)'})")

    def _number_type_by_plan(self, national: str) -> int:
        plan = self._plans.get(len(national))
        if plan is None:
            plan = self._plans[len(national)] = self._plan(len(national))
        general, types, fixed, mobile = plan
        if general is None or general.fullmatch(national) is None:
            return PhoneNumberType.UNKNOWN
        for number_type, pattern in types:
            if pattern.fullmatch(national) is not None:
                return number_type
        if fixed is not None and fixed.fullmatch(national) is not None:
            if self._same_fixed_mobile or (mobile is not None and mobile.fullmatch(national)):
                return PhoneNumberType.FIXED_LINE_OR_MOBILE
            return PhoneNumberType.FIXED_LINE
        if not self._same_fixed_mobile and mobile is not None and mobile.fullmatch(national):
            return PhoneNumberType.MOBILE
        return PhoneNumberType.UNKNOWN

    def _plan(self, length: int) -> _Plan:
        """The patterns that apply to numbers of ``length`` digits: a description whose possible
        lengths exclude ``length`` never matches, so it is left out."""

        def applies(desc: _Desc | None) -> re.Pattern[str] | None:
            if desc is None or (desc[0] and length not in desc[0]):
                return None
            return desc[1]

        types = [(t, p) for t, desc in self._types if (p := applies(desc)) is not None]
        return applies(self._general), types, applies(self._fixed), applies(self._mobile)

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
        result = self._cache.get(key, _MISSING)
        if result is not _MISSING:
            return result  # type: ignore[return-value]
        if len(self._cache) >= _CACHE_SIZE:
            self._cache.clear()
        result = self._cache[key] = self._check(digits, plus)
        return result

    def _check(self, digits: str, plus: bool) -> PhoneNumber | None:
        ten = self._ten
        if ten is not None and not plus and len(digits) == 10 and digits[0] != "0":
            # Ten digits, no prefix: most numbers. What _direct_national and number_type do
            # for them, inline.
            m = ten.fullmatch(digits)
            if m is None:
                return None
            return _new_number(
                PhoneNumber, ("+91" + digits, digits, _GROUP_TYPES[m.lastgroup], False)
            )
        if not self._direct:
            if plus and digits[:1] != "0" and not _possible_international(digits):
                return None
            return _parse_cached(digits, plus, self.region) if 3 <= len(digits) <= 17 else None
        if digits[:2] == "00" and digits[2:3] not in ("", "0"):
            # "00" is India's international call prefix ("0091 ..."), also typed after a "+".
            plus, digits = True, digits[2:]
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
    for k in (1, 2, 3):
        allowed = _lengths_for_code(digits[:k])
        if allowed is not None:
            return len(digits) in allowed
    return False


@lru_cache(maxsize=1024)
def _lengths_for_code(cc: str) -> frozenset[int] | None:
    """For a country calling code: the total digit counts (code + national number, allowing
    for a written national prefix) that a valid international number can have; ``None`` when
    ``cc`` is no calling code. Computed per code when first asked: reading every region's
    metadata up front made phonenumbers load all of it (about 50 ms, on the first
    international number a process met)."""
    if not cc.isdigit() or cc[0] == "0":
        return None
    code = int(cc)
    regions = phonenumbers.COUNTRY_CODE_TO_REGION_CODE.get(code)
    if regions is None:
        return None
    allowed: set[int] = set()
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
    return frozenset(allowed)
