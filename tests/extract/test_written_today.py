"""Numbers where scammers write them today: inside messaging links, in every grouping, and
never the digits of an alphanumeric reference (scamtrail issue 13). Property-based."""

from __future__ import annotations

import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scamtrail.extract.identifiers import IdentifierExtractor
from scamtrail.extract.phones import _GLUED_PHONE_WORDS

EX = IdentifierExtractor(region="IN")


def _is_mobile(national: str) -> bool:
    number = phonenumbers.parse("+91" + national)
    return phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.MOBILE


MOBILES = st.builds(
    lambda first, rest: first + rest,
    st.sampled_from("6789"),
    st.text(alphabet="0123456789", min_size=9, max_size=9),
).filter(_is_mobile)
#: Words around the identifier; none of them says anything about a number.
SURROUNDINGS = st.sampled_from(
    [("", ""), ("Message me on ", " now"), ("chat here: ", " 🙏"), ("लिंक ", " पर भेजो"),
     ("(", ")"), ("Join => ", ".")]
)  # fmt: skip


def found(text: str) -> list[tuple[str, str, str, int, int]]:
    out = []
    for ident in EX.identifiers(text):
        assert text[ident.start : ident.end] == ident.text, ident
        out.append((ident.kind, ident.value, ident.text, ident.start, ident.end))
    return out


# ---------------------------------------------------------------------------------------------
# links that carry a number: both identifiers, each with its own offsets

#: (link with {n} for the number as the app writes it, how the number is written in it)
LINKS = [
    ("wa.me/{cc}{n}", "{cc}{n}"),
    ("https://wa.me/{cc}{n}", "{cc}{n}"),
    ("https://wa.me/{cc}{n}?text=Hi%20sir", "{cc}{n}"),
    ("wa.me/+{cc}{n}", "+{cc}{n}"),
    ("wa.me/c/{cc}{n}", "{cc}{n}"),
    ("https://api.whatsapp.com/send?phone={cc}{n}", "{cc}{n}"),
    ("https://api.whatsapp.com/send/?phone=%2B{cc}{n}&text=hello&type=phone_number", "{cc}{n}"),
    ("api.whatsapp.com/send?text=kyc&phone={cc}{n}", "{cc}{n}"),
    ("https://web.whatsapp.com/send?phone={cc}{n}", "{cc}{n}"),
    ("whatsapp://send?phone={cc}{n}", "{cc}{n}"),
    ("whatsapp://send?text=hi&phone=+{cc}{n}", "+{cc}{n}"),
    ("t.me/+{cc}{n}", "+{cc}{n}"),
    ("https://t.me/+{cc}{n}", "+{cc}{n}"),
    ("https://telegram.me/+{cc}{n}", "+{cc}{n}"),
    ("tg://resolve?phone={cc}{n}", "{cc}{n}"),
]


@settings(max_examples=400, deadline=None)
@given(
    national=MOBILES,
    link=st.sampled_from(LINKS),
    country_code=st.sampled_from(["91", ""]),
    around=SURROUNDINGS,
)
def test_link_yields_the_link_and_its_number(
    national: str, link: tuple[str, str], country_code: str, around: tuple[str, str]
) -> None:
    template, number_template = link
    if ("+" in number_template or "%2B" in template) and not country_code:
        country_code = "91"  # a "+" is always followed by the country code
    written_link = template.format(cc=country_code, n=national)
    written_number = number_template.format(cc=country_code, n=national)
    text = around[0] + written_link + around[1]
    start = len(around[0])
    got = found(text)
    urls = [f for f in got if f[0] == "url"]
    phones = [f for f in got if f[0] == "phone"]
    assert [(u[2], u[3], u[4]) for u in urls] == [(written_link, start, start + len(written_link))]
    at = start + written_link.index(written_number)
    assert phones == [("phone", "+91" + national, written_number, at, at + len(written_number))], (
        text
    )


@pytest.mark.parametrize(
    "text",
    [
        "join t.me/+AbCdEf123456 for tips",  # an invite link, not a number
        "https://t.me/kycsupport9876543210",  # a user name
        "https://chat.whatsapp.com/KXy12AbCdEf",  # a group invite
        "wa.me/1930",  # a helpline is no valid number in a link either
    ],
)
def test_links_without_a_number(text: str) -> None:
    assert [f for f in found(text) if f[0] == "phone"] == []
    assert [f[0] for f in found(text)] == ["url"]


# ---------------------------------------------------------------------------------------------
# every grouping, with any separators, across a line break, with or without +91 / 91 / 0

GROUPINGS = [(10,), (5, 5), (2, 4, 4), (3, 3, 4), (4, 3, 3), (2, 2, 2, 2, 2), (3, 3, 2, 2), (4, 6)]
SEPARATORS = [" ", "-", ".", " - ", "\u00a0", " – ", "  ", "\n", " \n", "\n ", "\u200b", "-\n"]
PREFIXES = ["", "+91", "+91", "91", "0", "0091", "+ 91"]
CONTEXTS = ["Got a call from {} asking for OTP", "{}", "Fraud number: {} please block",
            "मेरे नंबर {} पर कॉल आया", "block this\n{}\nurgent", "WhatsApp {}."]  # fmt: skip


@st.composite
def written_numbers(draw: st.DrawFn) -> tuple[str, str]:
    national = draw(MOBILES)
    grouping = draw(st.sampled_from(GROUPINGS))
    parts, k = [], 0
    for size in grouping:
        parts.append(national[k : k + size])
        k += size
    written = parts[0]
    for part in parts[1:]:
        written += draw(st.sampled_from(SEPARATORS)) + part
    prefix = draw(st.sampled_from(PREFIXES))
    if prefix:
        written = prefix + draw(st.sampled_from(["", " ", "-", "\n"])) + written
    return national, written


@settings(max_examples=1500, deadline=None)
@given(number=written_numbers(), context=st.sampled_from(CONTEXTS))
def test_every_grouping_is_one_phone(number: tuple[str, str], context: str) -> None:
    national, written = number
    text = context.format(written)
    at = text.index(written)
    assert found(text) == [("phone", "+91" + national, written, at, at + len(written))], text


def test_a_line_break_between_two_whole_numbers_keeps_them_apart() -> None:
    text = "numbers:\n9876543210\n9123456780"
    assert [f[1] for f in found(text)] == ["+919876543210", "+919123456780"]


# ---------------------------------------------------------------------------------------------
# alphanumeric references: never phones, glued to their letters or not

REFERENCE_WORDS = ["CRN", "PNR", "UTR", "RRN", "TXN", "OD", "ORD", "TKT", "BKG", "REF", "ID",
                   "AWB", "Order", "order id", "Booking ID", "ticket no", "Ticket", "Txn ref",
                   "UPI ref", "trip id", "Ride ID"]  # fmt: skip
CAPITAL_CODES = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1, max_size=3).filter(
    lambda w: w.lower() not in _GLUED_PHONE_WORDS
)
GLUE = ["", "", " ", ": ", "-", " no. ", " #", " - ", ":"]


@settings(max_examples=800, deadline=None)
@given(
    national=MOBILES,
    word=st.one_of(st.sampled_from(REFERENCE_WORDS), CAPITAL_CODES),
    case=st.sampled_from([str, str.upper, str.lower, str.title]),
    glue=st.sampled_from(GLUE),
    country=st.sampled_from(["", "91"]),
    around=SURROUNDINGS,
)
def test_references_are_never_phones(
    national: str, word: str, case, glue: str, country: str, around: tuple[str, str]
) -> None:
    if word not in REFERENCE_WORDS:
        # Other capital codes are references when glued to the digits; written lowercase, or
        # apart from the digits, they may be any word.
        case, glue = str, ""
    text = around[0] + "Ride booked, " + case(word) + glue + country + national + around[1]
    assert [f for f in found(text) if f[0] == "phone"] == [], text


@settings(max_examples=300, deadline=None)
@given(
    national=MOBILES,
    named=st.sampled_from(["booking id", "Order no.", "PNR", "ticket", "UTR:", "txn id"]),
    # Not a glued word that says "phone" ("wa98...", "no98..."): those stay phones.
    code=st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=3).filter(
        lambda w: w not in _GLUED_PHONE_WORDS
    ),
)
def test_lowercase_code_after_a_reference_word(national: str, named: str, code: str) -> None:
    text = f"my {named} {code}{national} not confirmed"
    assert [f for f in found(text) if f[0] == "phone"] == [], text


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("call9876543210", "9876543210"),
        ("mob9876543210", "9876543210"),
        ("Meri wife ko9876543210 se call aaya", "9876543210"),
        ("PLEASE BLOCK98765 43210 NOW", "98765 43210"),
        ("NUMBER9876543210", "9876543210"),
        ("WhatsApp9876543210", "9876543210"),
    ],
)
def test_glued_words_that_are_not_references(text: str, written: str) -> None:
    assert [(f[1], f[2]) for f in found(text) if f[0] == "phone"] == [("+919876543210", written)]
