"""Phone validation without phonenumbers.parse on the common shapes, and the context rules."""

from __future__ import annotations

import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scamtrail.extract.context import context_by_pattern, context_score
from scamtrail.extract.numbering import NumberValidator
from scamtrail.extract.phones import PhoneFinder

IN = NumberValidator("IN")


def library(digits: str, plus: bool, region: str) -> str | None:
    """What phonenumbers itself says: the E.164 of a valid number, else None."""
    try:
        number = phonenumbers.parse(("+" if plus else "") + digits, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


PREFIXES = ["", "", "0", "91", "0091", "00", "1800", "1860", "140", "000800", "9", "8", "7", "6",
            "2", "02", "022", "44", "1", "911", "9100", "910", "00910"]  # fmt: skip
DIGIT_STRINGS = st.builds(
    lambda prefix, rest: (prefix + rest)[:17],
    st.sampled_from(PREFIXES),
    st.text(alphabet="0123456789", min_size=0, max_size=14),
).filter(lambda d: len(d) >= 3)


@settings(max_examples=3000, deadline=None)
@given(DIGIT_STRINGS, st.booleans())
def test_validator_agrees_with_phonenumbers_for_india(digits: str, plus: bool) -> None:
    number = IN.check(digits, plus)
    assert (number.value if number else None) == library(digits, plus, "IN")


@pytest.mark.parametrize("region", ["US", "GB", "AE"])
@settings(max_examples=150, deadline=None)
@given(digits=DIGIT_STRINGS, plus=st.booleans())
def test_validator_agrees_with_phonenumbers_elsewhere(region: str, digits: str, plus: bool) -> None:
    number = NumberValidator(region).check(digits, plus)
    assert (number.value if number else None) == library(digits, plus, region)


@pytest.mark.parametrize(
    ("digits", "plus"),
    [("9876543210", False), ("09876543210", False), ("919876543210", False),
     ("919876543210", True), ("2223456789", False), ("02223456789", False)],
)  # fmt: skip
def test_common_indian_shapes_skip_parse(
    digits: str, plus: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = library(digits, plus, "IN")

    def boom(*args: object, **kwargs: object) -> None:
        raise AssertionError("parse() called for a common shape")

    monkeypatch.setattr(phonenumbers, "parse", boom)
    number = NumberValidator("IN").check(digits, plus)
    assert number is not None and number.value == expected


def test_number_types_and_prefix_flag() -> None:
    mobile = IN.check("9876543210")
    assert mobile is not None and not mobile.prefixed
    assert mobile.number_type == phonenumbers.PhoneNumberType.MOBILE
    landline = IN.check("02223456789")
    assert landline is not None and landline.prefixed
    assert landline.number_type == phonenumbers.PhoneNumberType.FIXED_LINE
    assert IN.check("1930") is None
    assert IN.check("155260") is None


def test_unknown_region() -> None:
    with pytest.raises(ValueError, match="unknown phone region 'ZZ'"):
        NumberValidator("ZZ")


@pytest.mark.parametrize(
    ("before", "score"),
    [
        ("call me on ", 1),
        ("mobile no. ", 1),
        ("this number is ", 1),
        ("whatsapp: ", 1),
        ("मेरे नंबर ", 1),
        ("फोन ", 1),
        ("UTR no ", -1),
        ("UPI ref no. ", -1),
        ("Rs. ", -1),
        ("₹", -1),
        ("a/c no ", -1),
        ("account number is ", -1),
        ("Aadhaar ", -1),
        ("आधार नंबर ", -1),
        ("complaint ID ", -1),
        ("PIN code ", -1),
        ("OTP was ", 0),  # OTPs are 3-8 digits: a full number after "OTP" is a phone
        ("OTP number ", 1),
        ("19,020 rs. ", 0),  # the currency closes the amount before it
        ("whataspp acc ", 1),
        ("caller id ", 1),
        ("txn id ", -1),
        ("he said ", 0),
        ("", 0),
        ("UTR 5123. Later ", 0),
        ("complaint filed! ", 0),
    ],
)
def test_context_score(before: str, score: int) -> None:
    assert context_score(before, len(before)) == score


def test_finder_without_precomputed_chains() -> None:
    finder = PhoneFinder("IN")
    text = "call 98765 43210"
    [match] = finder.find(text)
    assert (match.number.value, text[match.start : match.end]) == ("+919876543210", "98765 43210")


CONTEXT_PIECES = ["call ", "CALL", "mob:", "UTR ", "utr", "a/c ", "no. ", "Rs ", "id ", "whatsapp ",
                  "caller ", "acc ", "İ", "x", ":", " - ", "(", "'", "\n", "5", ". ", "कॉल ",
                  "📞", "/", "from", "order", "ref", "is ", "my "]  # fmt: skip


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(CONTEXT_PIECES), max_size=12))
def test_nearest_word_shortcut_agrees_with_the_pattern(pieces: list[str]) -> None:
    before = "".join(pieces)
    assert context_score(before, len(before)) == context_by_pattern(before, len(before))


def test_lengths_per_calling_code_load_only_that_codes_metadata() -> None:
    from scamtrail.extract.numbering import _lengths_for_code

    assert 12 in _lengths_for_code("91") and 11 in _lengths_for_code("1")
    assert _lengths_for_code("0") is None and _lengths_for_code("091") is None
    assert _lengths_for_code("999") is None  # no such code
    assert _lengths_for_code("") is None
