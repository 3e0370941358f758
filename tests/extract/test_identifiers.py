"""Identifier and entity extraction: every accepted and rejected form, offsets, properties."""

from __future__ import annotations

import phonenumbers
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from scamtrail.extract.identifiers import IdentifierExtractor, normalise_query

from scamtrail.records import Entity, Identifier

EX = IdentifierExtractor(region="IN")


def ids(text: str, kind: str | None = None) -> list[Identifier]:
    found = EX.identifiers(text)
    for ident in found:
        assert text[ident.start : ident.end] == ident.text, ident
    return [i for i in found if kind is None or i.kind == kind]


def values(text: str, kind: str | None = None) -> list[tuple[str, str]]:
    return [(i.kind, i.value) for i in ids(text, kind)]


def spans(text: str, kind: str) -> list[tuple[str, str]]:
    return [(i.value, i.text) for i in ids(text, kind)]


def e164(written: str) -> str:
    number = phonenumbers.parse(written, "IN")
    assert phonenumbers.is_valid_number(number), written
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


MOBILE = "+919876543210"


# ---------------------------------------------------------------------------------------------
# phones: accepted forms, with the span as written


@pytest.mark.parametrize(
    "number",
    [
        "9876543210",
        "98765 43210",
        "98765-43210",
        "98765.43210",
        "98765\u00a043210",
        "98765\u200b43210",
        "98765\u200c43210",
        "98765\u200d43210",
        "98765\u206043210",
        "98765\ufeff43210",
        "98765\u202f43210",
        "98765 – 43210",
        "987-654-3210",
        "9876 543 210",
        "98 76 54 32 10",
        "+919876543210",
        "+91 98765 43210",
        "+91-98765-43210",
        "+91-9876543210",
        "+91 9876543210",
        "+91\u00a09876543210",
        "(+91) 98765 43210",
        "(+91)9876543210",
        "+ 91 9876543210",
        "+91 (0)9876543210",
        "09876543210",
        "0 98765 43210",
        "0-98765-43210",
        "919876543210",
        "91 98765 43210",
        "0091 98765 43210",
        "९८७६५४३२१०",
        "९८७६५ ४३२१०",
        "+९१ ९८७६५ ४३२१०",
        "９８７６５４３２１０",
        "＋９１ ９８７６５４３２１０",
    ],
)
def test_mobile_forms(number: str) -> None:
    text = f"Got a call from {number} asking for OTP."
    assert spans(text, "phone") == [(MOBILE, number)]


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("call from9876543210 today", "9876543210"),
        ("mob no.9876543210", "9876543210"),
        ("call:9876543210", "9876543210"),
        ("call:-9876543210.", "9876543210"),
        ("number(9876543210)", "9876543210"),
        ("whatsapp+919876543210", "+919876543210"),
        ("9876543210 se call aaya", "9876543210"),
        ("इस नंबर 9876543210 से कॉल आया", "9876543210"),
        ("या क्रमांकावरून ९८७६५४३२१० कॉल आला", "९८७६५४३२१०"),
        ("nambar 9876543210 pe call karo", "9876543210"),
        ("fraud number is 98765-43210!!", "98765-43210"),
        ("\u200b9876543210\u200b", "9876543210"),
    ],
)
def test_phone_glued_to_words_and_punctuation(text: str, written: str) -> None:
    assert spans(text, "phone") == [(MOBILE, written)]


@pytest.mark.parametrize(
    ("text", "value", "written"),
    [
        ("office 022-2345 6789 called", "+912223456789", "022-2345 6789"),
        ("call 011 4567 8901", "+911145678901", "011 4567 8901"),
        ("(022) 2345 6789", "+912223456789", "(022) 2345 6789"),
        ("+91 22 2345 6789", "+912223456789", "+91 22 2345 6789"),
        ("+91-22-23456789", "+912223456789", "+91-22-23456789"),
        ("02223456789", "+912223456789", "02223456789"),
        ("landline 2223456789 called", "+912223456789", "2223456789"),
        ("fake helpline 1800-123-4567", e164("18001234567"), "1800-123-4567"),
        ("toll free 1800 123 4567", e164("18001234567"), "1800 123 4567"),
        ("18001234567 is fake", e164("18001234567"), "18001234567"),
        ("UK number +44 7911 123456", "+447911123456", "+44 7911 123456"),
        ("from +1 (202) 456-1111", e164("+12024561111"), "+1 (202) 456-1111"),
        ("pak +92 300 1234567", "+923001234567", "+92 300 1234567"),
        ("dubai +971 50 123 4567", "+971501234567", "+971 50 123 4567"),
    ],
)
def test_landline_tollfree_foreign(text: str, value: str, written: str) -> None:
    assert spans(text, "phone") == [(value, written)]


def test_two_numbers_side_by_side() -> None:
    for text in [
        "call 98765 43210 98765 43211",
        "9876543210/9876543211",
        "9876543210, 9876543211",
        "9876543210 or +91 98765 43211",
    ]:
        assert [v for _, v in values(text, "phone")] == ["+919876543210", "+919876543211"], text


def test_number_after_other_numbers_in_one_run() -> None:
    assert spans("12-03-2024 9876543210", "phone") == [(MOBILE, "9876543210")]
    assert spans("on 12.03.2024 98765 43210", "phone") == [(MOBILE, "98765 43210")]
    assert spans("1930 9876543210", "phone") == [(MOBILE, "9876543210")]


def test_upi_with_phone_yields_both() -> None:
    found = ids("UPI ID 9876543210@ybl pe paise bheje")
    assert [(i.kind, i.value, i.text) for i in found] == [
        ("upi", "9876543210@ybl", "9876543210@ybl"),
        ("phone", MOBILE, "9876543210"),
    ]
    assert found[1].start == found[0].start


def test_email_with_phone_local_part() -> None:
    assert values("mail 9876543210@gmail.com") == [
        ("email", "9876543210@gmail.com"),
        ("phone", MOBILE),
    ]


# ---------------------------------------------------------------------------------------------
# phones: rejected forms


@pytest.mark.parametrize(
    "text",
    [
        # masked and partial
        "call from 98XXXXXX10",
        "number 98765*****",
        "number 98765-xxxxx",
        "+91 98xxx xx210",
        "XXXXXX3210 called",
        "******3210",
        "9876XXXX10",
        "+91-987*****10",
        "987654321X",
        "X876543210",
        "98765••••• called",
        # amounts
        "lost Rs 1,25,000",
        "₹45000 gone",
        "INR 98,76,543 debited",
        "Rs 9876543210",
        "Rs. 9876543210",
        "Rs.9876543210",
        "₹9876543210",
        "₹ 98765 43210",
        "amount 9876543210",
        "9876543210/- debited",
        "9876543210 rupees",
        # OTPs and cards
        "OTP 482913",
        "OTP is 4829",
        "card ending 4321",
        "card no 9876543210",
        "4111 1111 1111 1111",
        "4111111111111111",
        "CVV 123",
        # transaction references
        "UPI ref 412345678901",
        "UPI ref no. 912345678901",
        "UTR no 312345678901",
        "UTR 919876543210",
        "txn id 9876543210",
        "transaction ID: 9876543210",
        "RRN 612345678901",
        "612345678901",
        # identity documents and accounts
        "Aadhaar 2345 6789 0123",
        "aadhar no 9876 5432 1098",
        "आधार 9876543210",
        "987654321098",
        "a/c no 9876543210",
        "account number 9876543210",
        "PAN ABCDE1234F",
        # case numbers
        "FIR no 123/2024",
        "complaint ID 31234567890123",
        "complaint no 9876543210",
        "ack no 31201234567890",
        "acknowledgement number 9876543210",
        "शिकायत 9876543210",
        # places, dates, times
        "PIN 400001",
        "PIN code 400001",
        "pincode 411045",
        "Mumbai 400001",
        "on 12/03/2024",
        "on 2024-03-12",
        "on 12.03.2024",
        "at 10:30",
        "at 10.30 am",
        "MH 02 AB 1234",
        # helplines
        "call 1930",
        "dial 100",
        "dial 112",
        "181 women helpline",
        "1091",
        "155260",
        # unprefixed landline-shaped digits with no phone words around
        "ref 2223456789",
        "order 4031234567",
        "id 2223456789",
        "consumer no 2223456789",
        # references shaped like nothing
        "IMEI 351234567890123",
        "31234567890123",
        "order 403-1234567-1234567",
    ],
)
def test_not_a_phone(text: str) -> None:
    assert ids(text, "phone") == [], text


def test_digits_inside_urls_are_not_phones() -> None:
    assert values("see https://example.com/u/9876543210") == [
        ("url", "https://example.com/u/9876543210")
    ]


def test_context_window_stops_at_sentence_end() -> None:
    assert spans("Filed a complaint. 9876543210 called again", "phone") == [(MOBILE, "9876543210")]
    assert spans("account blocked! call 9876543210", "phone") == [(MOBILE, "9876543210")]


def test_caller_id_is_a_phone() -> None:
    assert spans("caller id 2223456789", "phone") == [("+912223456789", "2223456789")]


# ---------------------------------------------------------------------------------------------
# UPI and email


@pytest.mark.parametrize(
    ("text", "value", "written"),
    [
        ("pay to rahul.k@okaxis now", "rahul.k@okaxis", "rahul.k@okaxis"),
        ("RAHUL@YBL", "rahul@ybl", "RAHUL@YBL"),
        ("sbi.refund@ybl.", "sbi.refund@ybl", "sbi.refund@ybl"),
        ("(kyc-update@paytm)", "kyc-update@paytm", "kyc-update@paytm"),
        ("upi://pay?pa=sbi_care@oksbi&pn=SBI", "sbi_care@oksbi", "sbi_care@oksbi"),
        ("id: cashback.help@axl,", "cashback.help@axl", "cashback.help@axl"),
        ("refund.desk@jupiteraxis", "refund.desk@jupiteraxis", "refund.desk@jupiteraxis"),
        ("यूपीआई shop@ibl पर", "shop@ibl", "shop@ibl"),
    ],
)
def test_upi(text: str, value: str, written: str) -> None:
    assert spans(text, "upi") == [(value, written)]


@pytest.mark.parametrize(
    "text",
    ["hello @MumbaiPolice", "abc@xyz", "me@home now", "abc@ybl.com", "x@ybl-foo", "a+b@ybl"],
)
def test_not_upi(text: str) -> None:
    assert ids(text, "upi") == []


@pytest.mark.parametrize(
    ("text", "value", "written"),
    [
        ("mail fraud@Example.com", "fraud@example.com", "fraud@Example.com"),
        ("care.icici@gmail.com.", "care.icici@gmail.com", "care.icici@gmail.com"),
        ("<kyc+1@sbi-support.co.in>", "kyc+1@sbi-support.co.in", "kyc+1@sbi-support.co.in"),
        ("abc@ybl.com", "abc@ybl.com", "abc@ybl.com"),
        ("Noreply.Yono@Proton.Me", "noreply.yono@proton.me", "Noreply.Yono@Proton.Me"),
        ("abc@gmail[.]com", "abc@gmail.com", "abc@gmail[.]com"),
    ],
)
def test_email(text: str, value: str, written: str) -> None:
    assert spans(text, "email") == [(value, written)]
    assert ids(text, "url") == []
    assert ids(text, "upi") == []


# ---------------------------------------------------------------------------------------------
# URLs


@pytest.mark.parametrize(
    ("text", "value", "written"),
    [
        ("hxxp://sbi-kyc[.]xyz/a", "http://sbi-kyc.xyz/a", "hxxp://sbi-kyc[.]xyz/a"),
        ("hxxps://sbi-kyc[.]xyz", "https://sbi-kyc.xyz", "hxxps://sbi-kyc[.]xyz"),
        ("open https://bit.ly/3xYz now", "https://bit.ly/3xYz", "https://bit.ly/3xYz"),
        ("bit.ly/3xYz", "http://bit.ly/3xYz", "bit.ly/3xYz"),
        ("go to www.sbi-kyc.com.", "http://www.sbi-kyc.com", "www.sbi-kyc.com"),
        ("www[.]sbi-kyc[.]com/login", "http://www.sbi-kyc.com/login", "www[.]sbi-kyc[.]com/login"),
        ("sbi-kyc.xyz", "http://sbi-kyc.xyz", "sbi-kyc.xyz"),
        ("sbi-kyc(.)xyz/kyc", "http://sbi-kyc.xyz/kyc", "sbi-kyc(.)xyz/kyc"),
        ("sbi-kyc[dot]xyz/login", "http://sbi-kyc.xyz/login", "sbi-kyc[dot]xyz/login"),
        ("HTTP://SBI-KYC.XYZ/KYC", "http://sbi-kyc.xyz/KYC", "HTTP://SBI-KYC.XYZ/KYC"),
        ("BIT.LY/ABCDE", "http://bit.ly/ABCDE", "BIT.LY/ABCDE"),
        ("(see bit.ly/abc).", "http://bit.ly/abc", "bit.ly/abc"),
        ('"tinyurl.com/y7abc"', "http://tinyurl.com/y7abc", "tinyurl.com/y7abc"),
        ("link: cutt.ly/abc!", "http://cutt.ly/abc", "cutt.ly/abc"),
        ("rb.gy/abc?", "http://rb.gy/abc", "rb.gy/abc"),
        ("t.co/AbC123", "http://t.co/AbC123", "t.co/AbC123"),
        ("is.gd/abc;", "http://is.gd/abc", "is.gd/abc"),
        ("shorturl.at/abc", "http://shorturl.at/abc", "shorturl.at/abc"),
        (
            "secure/login.php at pay-verify.online/secure/login.php?id=2291",
            "http://pay-verify.online/secure/login.php?id=2291",
            "pay-verify.online/secure/login.php?id=2291",
        ),
        (
            "https://en.wikipedia.org/wiki/Fraud_(law)",
            "https://en.wikipedia.org/wiki/Fraud_(law)",
            "https://en.wikipedia.org/wiki/Fraud_(law)",
        ),
        ("http://192.168.1.10/login", "http://192.168.1.10/login", "http://192.168.1.10/login"),
        ("इस लिंक sbi-kyc.top/kyc पर", "http://sbi-kyc.top/kyc", "sbi-kyc.top/kyc"),
    ],
)
def test_url(text: str, value: str, written: str) -> None:
    assert spans(text, "url") == [(value, written)]


@pytest.mark.parametrize(
    "text",
    [
        "e.g. this",
        "i.e. that",
        "Rs.500 lost",
        "No.9876543210",
        "at 10 a.m. today",
        "lost my money.In the call",
        "v1.2.3 app",
        "fraud@example.com",
        "abc@ybl",
        "S.B.I. called",
        "Mr.Sharma called",
        "12.03.2024",
        "1.5 lakh",
    ],
)
def test_not_url(text: str) -> None:
    assert ids(text, "url") == [], text


# ---------------------------------------------------------------------------------------------
# vehicles


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("MH 02 AB 1234", "MH02AB1234"),
        ("MH-02-AB-1234", "MH02AB1234"),
        ("mh02ab1234", "MH02AB1234"),
        ("MH02AB1234", "MH02AB1234"),
        ("MH.02.AB.1234", "MH02AB1234"),
        ("MH 02AB 1234", "MH02AB1234"),
        ("mh 12 de 1433", "MH12DE1433"),
        ("DL 3C AB 1234", "DL3CAB1234"),
        ("DL3CAB1234", "DL3CAB1234"),
        ("DL-10C-AB-1234", "DL10CAB1234"),
        ("KA 05 M 1234", "KA05M1234"),
        ("TN 09 ABC 1234", "TN09ABC1234"),
        ("UP 32 AB 1234", "UP32AB1234"),
        ("OD 02 AB 1234", "OD02AB1234"),
        ("22 BH 1234 AA", "22BH1234AA"),
        ("22BH1234AA", "22BH1234AA"),
        ("22-BH-1234-A", "22BH1234A"),
    ],
)
def test_vehicle(written: str, value: str) -> None:
    text = f"car {written} parked on the footpath"
    assert spans(text, "vehicle") == [(value, written)]
    assert ids(text, "phone") == []


@pytest.mark.parametrize(
    "text",
    [
        "XY 12 AB 1234",  # not a state code
        "Ka 05 Ab 1234",  # mixed case reads as words
        "as 12 am 1930",
        "MH 02 AB 12345",
        "MH02AB1234XYZ",
        "MH 02 1234",
        "AMH 02 AB 1234",
        "MH 02 ABCD 1234",
    ],
)
def test_not_vehicle(text: str) -> None:
    assert ids(text, "vehicle") == [], text


# ---------------------------------------------------------------------------------------------
# bank accounts


@pytest.mark.parametrize(
    ("text", "value", "written"),
    [
        ("a/c no 123456789012", "123456789012", "123456789012"),
        ("A/C No. 1234 5678 9012", "123456789012", "1234 5678 9012"),
        ("account number 50100234567891", "50100234567891", "50100234567891"),
        ("bank account no. is: 3012345678901", "3012345678901", "3012345678901"),
        ("acct 123456789", "123456789", "123456789"),
        ("my account 9876543210 se paise gaye", "9876543210", "9876543210"),
        ("khata sankhya 123456789012", "123456789012", "123456789012"),
        ("खाता संख्या 123456789012", "123456789012", "123456789012"),
        ("खाते क्रमांक १२३४५६७८९०१२", "123456789012", "१२३४५६७८९०१२"),
    ],
)
def test_bank_account(text: str, value: str, written: str) -> None:
    assert spans(text, "bank_account") == [(value, written)]
    assert ids(text, "phone") == []


@pytest.mark.parametrize(
    "text",
    ["account 12345678", "123456789012", "a/c XXXX1234", "account linked mobile 9876543210"],
)
def test_not_bank_account(text: str) -> None:
    assert ids(text, "bank_account") == []


def test_account_linked_mobile_is_a_phone() -> None:
    assert values("account linked mobile 9876543210") == [("phone", MOBILE)]


# ---------------------------------------------------------------------------------------------
# a whole complaint


def test_complaint_with_everything() -> None:
    text = (
        "@MumbaiPolice Got call from +91 98765 43210 claiming to be SBI, sent link "
        "hxxps://sbi-rewards[.]xyz/kyc and asked to pay Rs 45,000 to kyc.help@ybl. UTR "
        "512345678901. Also his car MH 02 AB 1234. Mail: refund@sbi-care.in"
    )
    assert values(text) == [
        ("phone", MOBILE),
        ("url", "https://sbi-rewards.xyz/kyc"),
        ("upi", "kyc.help@ybl"),
        ("vehicle", "MH02AB1234"),
        ("email", "refund@sbi-care.in"),
    ]
    assert [(e.label, e.value, e.text) for e in EX.entities(text)] == [
        ("bank", "SBI", "SBI"),
        ("amount", "45000", "Rs 45,000"),
    ]


def test_sorted_and_without_duplicates() -> None:
    text = "9876543210 9876543210@ybl 9876543210"
    found = ids(text)
    assert [i.start for i in found] == sorted(i.start for i in found)
    assert len({(i.kind, i.value, i.start) for i in found}) == len(found)


@pytest.mark.parametrize("text", ["", " ", "no digits here at all", "🙏🙏", "@MumbaiPolice help"])
def test_nothing(text: str) -> None:
    assert EX.identifiers(text) == []


def test_returns_records() -> None:
    found = EX.identifiers("call 9876543210")
    assert found == [Identifier(kind="phone", value=MOBILE, text="9876543210", start=5, end=15)]
    assert found[0].model_dump()["kind"] == "phone"
    ents = EX.entities("SBI")
    assert ents == [Entity(label="bank", text="SBI", value="SBI", start=0, end=3)]


def test_region_is_configurable() -> None:
    us = IdentifierExtractor(region="us")
    assert [i.value for i in us.identifiers("call (202) 456-1111")] == [e164("+12024561111")]
    assert [i.value for i in us.identifiers("call +91 98765 43210")] == [MOBILE]
    with pytest.raises(ValueError, match="region"):
        IdentifierExtractor(region="XX")


def test_never_calls_phone_number_matcher(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*args: object, **kwargs: object) -> None:
        raise AssertionError("PhoneNumberMatcher must not be used")

    monkeypatch.setattr(phonenumbers, "PhoneNumberMatcher", boom)
    assert values("call 98765 43210") == [("phone", MOBILE)]


def test_texts_without_digits_never_reach_phonenumbers(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*args: object, **kwargs: object) -> None:
        raise AssertionError("phonenumbers.parse called")

    monkeypatch.setattr(phonenumbers, "parse", boom)
    fresh = IdentifierExtractor()
    for text in ["no digits here", "sbi-kyc.xyz", "a@ybl", "MH AB", "एसबीआई", "call +91 nahi"]:
        fresh.identifiers(text)
        fresh.entities(text)
    # and common Indian shapes are decided without parse() too
    assert [i.value for i in fresh.identifiers("call 9123456780 / 09123456781")] == [
        "+919123456780",
        "+919123456781",
    ]


# ---------------------------------------------------------------------------------------------
# entities


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("SBI se call", [("SBI", "SBI")]),
        ("State Bank of India", [("SBI", "State Bank of India")]),
        ("state bank", [("SBI", "state bank")]),
        ("hdfc bank customer care", [("HDFC Bank", "hdfc bank")]),
        ("HDFC credit card", [("HDFC Bank", "HDFC")]),
        ("ICICI", [("ICICI Bank", "ICICI")]),
        ("Axis Bank", [("Axis Bank", "Axis Bank")]),
        ("Kotak Mahindra Bank", [("Kotak", "Kotak Mahindra Bank")]),
        ("paid via Paytm and PhonePe", [("Paytm", "Paytm"), ("PhonePe", "PhonePe")]),
        ("phone pe", [("PhonePe", "phone pe")]),
        ("Google Pay / GPay", [("Google Pay", "Google Pay"), ("Google Pay", "GPay")]),
        (
            "Bank of Baroda and BOB",
            [("Bank of Baroda", "Bank of Baroda"), ("Bank of Baroda", "BOB")],
        ),
        ("bob the builder", []),
        ("एसबीआई से कॉल", [("SBI", "एसबीआई")]),
        ("एचडीएफसी बैंक", [("HDFC Bank", "एचडीएफसी")]),
        ("स्टेट बँकेचा अधिकारी", [("SBI", "स्टेट बँक")]),
        ("बैंक ऑफ बड़ौदा", [("Bank of Baroda", "बैंक ऑफ बड़ौदा")]),
        ("RBI officer", [("RBI", "RBI")]),
        ("#SBI #HDFC", [("SBI", "SBI"), ("HDFC Bank", "HDFC")]),
        ("visit sbi-kyc.xyz", []),
        ("pay to x@oksbi", []),
        ("sbiofficial is fake", []),
    ],
)
def test_banks(text: str, expected: list[tuple[str, str]]) -> None:
    got = [e for e in EX.entities(text) if e.label == "bank"]
    for e in got:
        assert text[e.start : e.end] == e.text
    assert [(e.value, e.text) for e in got] == expected


@pytest.mark.parametrize(
    ("text", "value", "written"),
    [
        ("lost Rs 1,25,000 today", "125000", "Rs 1,25,000"),
        ("₹45k gone", "45000", "₹45k"),
        ("2 lakh debited", "200000", "2 lakh"),
        ("Rs. 45,000/- debited", "45000", "Rs. 45,000/-"),
        ("5000/- debited", "5000", "5000/-"),
        ("1.5 lakh", "150000", "1.5 lakh"),
        ("Rs 2.5 lakh", "250000", "Rs 2.5 lakh"),
        ("INR 98,76,543", "9876543", "INR 98,76,543"),
        ("₹ 500 only", "500", "₹ 500"),
        ("rs 500", "500", "rs 500"),
        ("Rs500", "500", "Rs500"),
        ("500 rupees", "500", "500 rupees"),
        ("50 hazar", "50000", "50 hazar"),
        ("2L gaye", "200000", "2L"),
        ("Rs 2 crore", "20000000", "Rs 2 crore"),
        ("45 हजार रुपये कट गए", "45000", "45 हजार रुपये"),
        ("२ लाख रुपये", "200000", "२ लाख रुपये"),
        ("रु. 4,500", "4500", "रु. 4,500"),
        ("₹१,२५,०००", "125000", "₹१,२५,०००"),
    ],
)
def test_amounts(text: str, value: str, written: str) -> None:
    got = [e for e in EX.entities(text) if e.label == "amount"]
    assert [(e.value, e.text) for e in got] == [(value, written)]
    assert text[got[0].start : got[0].end] == written


@pytest.mark.parametrize(
    "text", ["at 10:30", "call 9876543210", "PIN 400001", "OTP 482913", "2024", "3 cars"]
)
def test_not_amounts(text: str) -> None:
    assert [e for e in EX.entities(text) if e.label == "amount"] == []


def test_amount_is_not_taken_from_a_phone() -> None:
    text = "call 9876543210 rs 500 gaye"
    assert [(e.label, e.value) for e in EX.entities(text)] == [("amount", "500")]


# ---------------------------------------------------------------------------------------------
# normalise_query


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("98765 43210", ("phone", MOBILE)),
        ("+91-98765-43210", ("phone", MOBILE)),
        ("09876543210", ("phone", MOBILE)),
        ("919876543210", ("phone", MOBILE)),
        ("  9876543210  ", ("phone", MOBILE)),
        ("(+91) 98765 43210", ("phone", MOBILE)),
        ("+91–98765–43210", ("phone", MOBILE)),
        ("98765\u200b43210", ("phone", MOBILE)),
        ("९८७६५४३२१०", ("phone", MOBILE)),
        ("022-2345 6789", ("phone", "+912223456789")),
        ("1800-123-4567", ("phone", e164("18001234567"))),
        ("+44 7911 123456", ("phone", "+447911123456")),
        ("MH 02 ab 1234", ("vehicle", "MH02AB1234")),
        ("dl3cab1234", ("vehicle", "DL3CAB1234")),
        ("22 BH 1234 AA", ("vehicle", "22BH1234AA")),
        ("X@YBL", ("upi", "x@ybl")),
        ("someone@okbizaxis", ("upi", "someone@okbizaxis")),
        ("fraud@Example.com", ("email", "fraud@example.com")),
        ("hxxp://sbi-kyc[.]xyz/a", ("url", "http://sbi-kyc.xyz/a")),
        ("HTTPS://Bit.ly/AbC", ("url", "https://bit.ly/AbC")),
        ("sbi-kyc.xyz", ("url", "http://sbi-kyc.xyz")),
        ("www.example.co.uk/x", ("url", "http://www.example.co.uk/x")),
        ("123456789012", ("bank_account", "123456789012")),
        ("5010 0234 5678 91", ("bank_account", "50100234567891")),
    ],
)
def test_normalise_query(typed: str, expected: tuple[str, str]) -> None:
    assert normalise_query(typed) == expected


def test_normalise_query_kind_hint() -> None:
    assert normalise_query("9876543210", kind="bank_account") == ("bank_account", "9876543210")
    assert normalise_query("9876543210", kind="phone") == ("phone", MOBILE)
    with pytest.raises(ValueError, match="not a vehicle"):
        normalise_query("9876543210", kind="vehicle")
    with pytest.raises(ValueError, match="unknown identifier kind"):
        normalise_query("9876543210", kind="pager")


def test_normalise_query_region() -> None:
    assert normalise_query("(202) 456-1111", region="US") == ("phone", e164("+12024561111"))


@pytest.mark.parametrize(
    "typed", ["", "   ", "hello world", "98XXXXXX10", "12345", "1930", "@MumbaiPolice", "Rs 500"]
)
def test_normalise_query_rejects(typed: str) -> None:
    with pytest.raises(ValueError, match="phone number, UPI ID, email, URL|empty value"):
        normalise_query(typed)


# ---------------------------------------------------------------------------------------------
# properties

SEPARATORS = [" ", "-", ".", "\u00a0", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u202f"]
PREFIXES = ["", "+91", "+91 ", "+91-", "(+91) ", "(+91)", "0", "0 ", "0-", "91", "91 ", "+91\u00a0"]
SPLITS = [(10,), (5, 5), (3, 3, 4), (4, 3, 3), (2, 2, 2, 2, 2), (5, 3, 2), (2, 8)]
DEVANAGARI = str.maketrans("0123456789", "०१२३४५६७८९")
FULLWIDTH = str.maketrans("0123456789+", "０１２３４５６７８９＋")
# No digits, no mask characters (x X * •), nothing that glues onto a number ("@", "/", "+").
SAFE_TEXT = st.text(
    alphabet=st.sampled_from(
        list("abcdefghijklmnopqrstuvwyzABCDEFGHIJKLMNOPQRSTUVWYZ .,!?:;'\"")
        + list("मुझेकॉलआयाहैसेरमदद")
        + ["🙏", "😡", "\n"]
    ),
    max_size=40,
)


@st.composite
def mobiles(draw: st.DrawFn) -> str:
    first = draw(st.sampled_from("6789"))
    rest = draw(st.text(alphabet="0123456789", min_size=9, max_size=9))
    national = first + rest
    assume(phonenumbers.is_valid_number(phonenumbers.parse("+91" + national)))
    return national


@st.composite
def written_mobiles(draw: st.DrawFn) -> tuple[str, str]:
    national = draw(mobiles())
    split = draw(st.sampled_from(SPLITS))
    sep = draw(st.sampled_from(SEPARATORS))
    parts, pos = [], 0
    for size in split:
        parts.append(national[pos : pos + size])
        pos += size
    written = draw(st.sampled_from(PREFIXES)) + sep.join(parts)
    script = draw(st.sampled_from(["latin", "latin", "devanagari", "fullwidth"]))
    if script == "devanagari":
        written = written.translate(DEVANAGARI)
    elif script == "fullwidth":
        written = written.translate(FULLWIDTH)
    return national, written


FRAGMENTS = [
    "call ", "from", "+91", "+91 ", "0", "91", "98765", "43210", "9876543210", " ", "-", ".",
    "\u200b", "\u00a0", "@", "@ybl", "@gmail.com", "Rs ", "₹", "1,25,000", "lakh", "k", "/-",
    "OTP ", "UTR ", "a/c no ", "account ", "MH ", "02 ", "AB ", "1234", "22 BH ", "DL 3C ",
    "bit.ly/", "hxxp://", "[.]", "(.)", "[dot]", "www.", ".com", ".xyz", "/login", "sbi", "SBI ",
    "एसबीआई", "१२३४५", "९८७६५४३२१०", "x", "X", "*", "(", ")", "/", ":", "12/03/2024", "1930",
    "https://", "t.co/", "कॉल", "नंबर ", "खाता संख्या ", "\n", "İ", "ß", "🙏",
]  # fmt: skip
MESSY_TEXT = st.one_of(
    st.lists(st.sampled_from(FRAGMENTS), max_size=25).map("".join),
    st.text(max_size=200),
    st.text(
        alphabet=st.sampled_from(list("0123456789 +-.()@/[]xX*abcMH₹") + ["\u200b", "०"]),
        max_size=80,
    ),
)


def _check_invariants(text: str) -> list[Identifier]:
    found = EX.identifiers(text)
    keys = set()
    for ident in found:
        assert 0 <= ident.start < ident.end <= len(text)
        assert text[ident.start : ident.end] == ident.text
        assert ident.kind in ("phone", "upi", "url", "email", "vehicle", "bank_account")
        keys.add((ident.kind, ident.value, ident.start))
        if ident.kind == "phone":
            parsed = phonenumbers.parse(ident.value, None)
            assert phonenumbers.is_valid_number(parsed)
            assert phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164) == (
                ident.value
            )
    assert len(keys) == len(found)
    assert [i.start for i in found] == sorted(i.start for i in found)
    for ent in EX.entities(text):
        assert 0 <= ent.start < ent.end <= len(text)
        assert text[ent.start : ent.end] == ent.text
        if ent.label == "amount":
            assert ent.value is not None and ent.value.isdigit()
    return found


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(MESSY_TEXT)
def test_property_never_raises_and_offsets_hold(text: str) -> None:
    _check_invariants(text)


@settings(max_examples=300, suppress_health_check=[HealthCheck.filter_too_much])
@given(
    written_mobiles(), SAFE_TEXT, st.sampled_from(["saw", "got", "says", "dekho", "पहा"]), SAFE_TEXT
)
def test_property_embedded_mobile_is_found(
    mobile: tuple[str, str], before: str, word: str, after: str
) -> None:
    national, written = mobile
    text = f"{before} {word} {written}, {after}"
    phones = [i for i in _check_invariants(text) if i.kind == "phone"]
    assert [(i.value, i.text) for i in phones] == [("+91" + national, written)]


@settings(max_examples=300, suppress_health_check=[HealthCheck.filter_too_much])
@given(
    mobiles(),
    st.data(),
    st.sampled_from(["X", "x", "*", "•"]),
    st.sampled_from(["", "+91 ", "+91-", "0", "91"]),
    SAFE_TEXT,
)
def test_property_masked_numbers_are_never_found(
    national: str, data: st.DataObject, mask: str, prefix: str, around: str
) -> None:
    start = data.draw(st.integers(0, 9))
    stop = data.draw(st.integers(start + 1, 10))
    masked = national[:start] + mask * (stop - start) + national[stop:]
    sep = data.draw(st.sampled_from(["", " ", "-"]))
    written = prefix + masked[:5] + sep + masked[5:]
    text = f"{around} call {written} {around}"
    assert [i for i in _check_invariants(text) if i.kind == "phone"] == []


@settings(max_examples=300, suppress_health_check=[HealthCheck.filter_too_much])
@given(st.one_of(MESSY_TEXT, written_mobiles().map(lambda m: f"number {m[1]} and {m[1]}@ybl")))
def test_property_values_round_trip_through_normalise_query(text: str) -> None:
    for ident in _check_invariants(text):
        if ident.kind == "bank_account":
            assert normalise_query(ident.value, kind="bank_account") == (
                "bank_account",
                ident.value,
            )
        else:
            assert normalise_query(ident.value) == (ident.kind, ident.value)
        if ident.kind in ("phone", "vehicle", "upi", "email"):
            # ... and so does the identifier as it was written
            assert normalise_query(ident.text) == (ident.kind, ident.value)
