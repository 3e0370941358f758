"""Identifiers written right next to emoji, symbols, bullets, arrows and joiners."""

from __future__ import annotations

import phonenumbers
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from scamtrail.extract.identifiers import IdentifierExtractor, normalise_query

from scamtrail.records import Identifier

EX = IdentifierExtractor(region="IN")
MOBILE = "+919876543210"


def found(text: str, kind: str) -> list[tuple[str, str, int, int]]:
    out = []
    for ident in EX.identifiers(text):
        assert text[ident.start : ident.end] == ident.text, ident
        if ident.kind == kind:
            out.append((ident.value, ident.text, ident.start, ident.end))
    return out


def at(text: str, written: str) -> tuple[int, int]:
    start = text.index(written)
    return start, start + len(written)


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("📞 98765-43210", "98765-43210"),
        ("☎️9876543210", "9876543210"),
        ("call👉9876543210", "9876543210"),
        ("🚨🚨 +91 98765 43210 🚨", "+91 98765 43210"),
        ("👨\u200d👩\u200d👧9876543210🙏", "9876543210"),
        ("➡️+919876543210⬅️", "+919876543210"),
        ("→9876543210←", "9876543210"),
        # bullets and WhatsApp bold: one or two stars or dots are not a mask
        ("•9876543210", "9876543210"),
        ("• +91 98765 43210", "+91 98765 43210"),
        ("•+91 98765 43210", "+91 98765 43210"),
        ("*9876543210*", "9876543210"),
        ("**98765 43210**", "98765 43210"),
        ("number: *+91-98765-43210*", "+91-98765-43210"),
        ("fraud nos\n•9876543210\n•", "9876543210"),
        ("📱+91 98765 43210 ✅", "+91 98765 43210"),
    ],
)
def test_mobile_next_to_symbols_is_found(text: str, written: str) -> None:
    assert found(text, "phone") == [(MOBILE, written, *at(text, written))]


@pytest.mark.parametrize(
    "text",
    [
        "📞2223456789",
        "📱 022 2345 6789",
        "☎️ 22 2345 6789",
        "call 👉 022-2345-6789",
    ],
)
def test_phone_emoji_reads_like_call(text: str) -> None:
    # A landline without "0" or "+91" is taken only when the words (or symbols) before it
    # say it is a phone.
    assert [f[0] for f in found(text, "phone")] == ["+912223456789"]


def test_phone_emoji_after_account_words_means_a_phone() -> None:
    text = "a/c no 📞 9876543210"
    assert found(text, "phone") == [(MOBILE, "9876543210", *at(text, "9876543210"))]
    assert found(text, "bank_account") == []


def test_landline_without_a_call_word_is_still_not_taken() -> None:
    assert found("ref 👉 2223456789", "phone") == []


def test_keycap_digits_are_a_phone() -> None:
    keycaps = "".join(f"{d}\ufe0f\u20e3" for d in "9876543210")
    text = f"call 📞 {keycaps} now"
    ((value, written, start, end),) = found(text, "phone")
    assert value == MOBILE
    assert start == text.index("9")
    assert written.startswith("9\ufe0f\u20e3") and written.endswith("0")


@pytest.mark.parametrize(
    "text",
    [
        "******3210 called",
        "98765***** called",
        "call from ***9876543210",
        "call 98*6543210",
        "98765••••• called",
        "•••9876543210",
        "call 9160000000**",  # "91 60000000 00" with its last two digits masked
        "**9876543210",
        "9876543210●●",
        "9876543210xx",
        "x9876543210",
    ],
)
def test_masks_still_hide_numbers(text: str) -> None:
    assert found(text, "phone") == []


@pytest.mark.parametrize(
    ("text", "kind", "value", "written"),
    [
        ("pay to 👉ravi.k@ybl👈", "upi", "ravi.k@ybl", "ravi.k@ybl"),
        ("UPI:✅9876543210@okaxis🙏", "upi", "9876543210@okaxis", "9876543210@okaxis"),
        ("mail➡️help.desk@gmail.com⬅️", "email", "help.desk@gmail.com", "help.desk@gmail.com"),
        ("link👉bit.ly/Ab12Cd🚨", "url", "http://bit.ly/Ab12Cd", "bit.ly/Ab12Cd"),
        (
            "🔗https://sbi-kyc.top/login️",
            "url",
            "https://sbi-kyc.top/login",
            "https://sbi-kyc.top/login",
        ),
        ("🚗MH 02 AB 1234🚨", "vehicle", "MH02AB1234", "MH 02 AB 1234"),
        ("a/c no 👉 123456789012", "bank_account", "123456789012", "123456789012"),
        ("a/c➡️123456789012", "bank_account", "123456789012", "123456789012"),
        ("खाता संख्या ✅ 123456789012", "bank_account", "123456789012", "123456789012"),
    ],
)
def test_other_kinds_next_to_symbols(text: str, kind: str, value: str, written: str) -> None:
    assert found(text, kind) == [(value, written, *at(text, written))]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("📞 98765-43210", ("phone", MOBILE)),
        ("☎️9876543210", ("phone", MOBILE)),
        ("•9876543210 🙏", ("phone", MOBILE)),
        ('"📞+91 98765 43210"', ("phone", MOBILE)),
        (
            "9\ufe0f\u20e38\ufe0f\u20e37\ufe0f\u20e36\ufe0f\u20e35\ufe0f\u20e34\ufe0f\u20e33\ufe0f\u20e32\ufe0f\u20e31\ufe0f\u20e30\ufe0f\u20e3",
            ("phone", MOBILE),
        ),
        ("👉ravi@ybl👈", ("upi", "ravi@ybl")),
        ("bit.ly/Ab12🙏", ("url", "http://bit.ly/Ab12")),
        ("🚗MH 02 AB 1234🚨", ("vehicle", "MH02AB1234")),
    ],
)
def test_typed_identifier_between_symbols_normalises(typed: str, expected: tuple[str, str]) -> None:
    assert normalise_query(typed) == expected


@pytest.mark.parametrize("typed", ["🙏", "📞 ☎️", "₹9876543210"])
def test_symbols_alone_or_currency_are_not_identifiers(typed: str) -> None:
    with pytest.raises(ValueError):
        normalise_query(typed)


# ---------------------------------------------------------------------------------------------
# property: a valid number surrounded by random emoji and symbols is found, offsets exact

SYMBOLS = [
    "📞", "☎", "☎\ufe0f", "📱", "👉", "👈", "🚨", "✅", "❗", "🙏", "😡", "🇮🇳", "👨\u200d👩\u200d👧",
    "\ufe0f", "\u200d", "\u20e3", "→", "⇒", "➡\ufe0f", "⬅", "•", "·", "★", "✓", "©", "™", "°",
    "◆", "▶\ufe0f", "⚠\ufe0f", "💯", "🔴", ":", "~", "|", "!", "?", "#", "\"", "'", "=", "[",
    "]", "<", ">", "{", "}", "^", "%", "&", "*", "●",
]  # fmt: skip
WORDS = ["", "call ", "call", "number ", "mob: ", "कॉल ", "whatsapp "]
AROUND = st.lists(st.sampled_from(SYMBOLS), max_size=4).map("".join)


@st.composite
def written_mobiles(draw: st.DrawFn) -> tuple[str, str]:
    national = draw(st.sampled_from("6789")) + draw(
        st.text(alphabet="0123456789", min_size=9, max_size=9)
    )
    assume(phonenumbers.is_valid_number(phonenumbers.parse("+91" + national)))
    shape = draw(st.sampled_from(["{n}", "{a} {b}", "{a}-{b}", "+91 {a} {b}", "+91{n}", "0{n}"]))
    written = shape.format(n=national, a=national[:5], b=national[5:])
    if draw(st.booleans()):
        written = written.translate(str.maketrans("0123456789", "०१२३४५६७८९"))
    return national, written


@settings(max_examples=400, suppress_health_check=[HealthCheck.filter_too_much])
@given(written_mobiles(), st.sampled_from(WORDS), AROUND, AROUND)
def test_property_mobile_between_symbols_is_found(
    mobile: tuple[str, str], word: str, before: str, after: str
) -> None:
    national, written = mobile
    # More than one star or bullet on one side is a mask, not decoration (tested above).
    soft = "*•●"
    assume(len(before) - len(before.rstrip(soft)) < 2 and len(after) - len(after.lstrip(soft)) < 2)
    text = f"{word}{before}{written}{after}"
    start = len(word) + len(before)
    phones = [i for i in EX.identifiers(text) if i.kind == "phone"]
    assert normalise_query(f"{before}{written}{after}") == ("phone", "+91" + national)
    assert phones == [
        Identifier(
            kind="phone",
            value="+91" + national,
            text=written,
            start=start,
            end=start + len(written),
        )
    ]
