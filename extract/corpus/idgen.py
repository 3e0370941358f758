"""Identifier and number generators for the labelled corpus.

Every generator takes a ``random.Random`` and returns a ``Piece``: the text as it will appear in
the complaint, the gold identifiers inside it (offsets relative to the piece) and the tags it adds.
Numbers that are *not* identifiers (amounts, OTPs, masked numbers, UTRs, Aadhaar, FIR numbers ...)
come from here too, with no identifiers and a ``hard:*`` tag.
"""

from __future__ import annotations

import random
import string
from dataclasses import dataclass, field

import phonenumbers

DEVANAGARI_DIGITS = str.maketrans("0123456789", "०१२३४५६७८९")
FULLWIDTH_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")
ZWSP = "\u200b"
NBSP = "\u00a0"


@dataclass
class Piece:
    text: str
    ids: list[dict] = field(default_factory=list)  # offsets relative to ``text``
    tags: set[str] = field(default_factory=set)


# ---------------------------------------------------------------------------------------------
# phones


def _valid(e164: str) -> bool:
    try:
        return phonenumbers.is_valid_number(phonenumbers.parse(e164, None))
    except phonenumbers.NumberParseException:
        return False


def e164_of(text: str, region: str = "IN") -> str:
    digits = text.translate(str.maketrans("०१२३४५६७८९０１２３４５６７８９", "01234567890123456789"))
    num = phonenumbers.parse(digits, region)
    assert phonenumbers.is_valid_number(num), text
    return phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.E164)


def new_mobile(rng: random.Random) -> str:
    """A random valid Indian mobile number, 10 digits national."""
    while True:
        first = rng.choices("9876", weights=[40, 27, 23, 10])[0]
        n = first + "".join(rng.choice(string.digits) for _ in range(9))
        # avoid silly-looking repeats
        if len(set(n)) < 5:
            continue
        if _valid("+91" + n):
            return n


MOBILE_FORMATS = [
    # (name, weight, function national10 -> text)
    ("plain", 22, lambda n: n),
    ("5-5", 12, lambda n: f"{n[:5]} {n[5:]}"),
    ("+91 5-5", 6, lambda n: f"+91 {n[:5]} {n[5:]}"),
    ("+91 5h5", 4, lambda n: f"+91 {n[:5]}-{n[5:]}"),
    ("+91-10", 6, lambda n: f"+91-{n}"),
    ("+9110", 8, lambda n: f"+91{n}"),
    ("+91 10", 6, lambda n: f"+91 {n}"),
    ("0-10", 5, lambda n: f"0{n}"),
    ("91-10", 4, lambda n: f"91{n}"),
    ("(+91) 5-5", 2, lambda n: f"(+91) {n[:5]} {n[5:]}"),
    ("5.5", 2, lambda n: f"{n[:5]}.{n[5:]}"),
    ("5h5", 4, lambda n: f"{n[:5]}-{n[5:]}"),
    ("3-3-4", 3, lambda n: f"{n[:3]}-{n[3:6]}-{n[6:]}"),
    ("4 3 3", 2, lambda n: f"{n[:4]} {n[4:7]} {n[7:]}"),
    ("3 3 4", 2, lambda n: f"{n[:3]} {n[3:6]} {n[6:]}"),
    ("2x5", 1, lambda n: f"{n[:2]} {n[2:4]} {n[4:6]} {n[6:8]} {n[8:]}"),
    ("0 5 5", 2, lambda n: f"0{n[:5]} {n[5:]}"),
    ("0-5-5", 1, lambda n: f"0-{n[:5]}-{n[5:]}"),
    ("nbsp", 2, lambda n: f"{n[:5]}{NBSP}{n[5:]}"),
    ("zwsp", 2, lambda n: f"{n[:5]}{ZWSP}{n[5:]}"),
    ("+91 nbsp", 1, lambda n: f"+91{NBSP}{n}"),
    ("+91-5-5", 3, lambda n: f"+91-{n[:5]}-{n[5:]}"),
    ("91-10", 2, lambda n: f"91-{n}"),
    ("91 5 5", 1, lambda n: f"91 {n[:5]} {n[5:]}"),
    ("0091 10", 1, lambda n: f"0091 {n}"),
    ("+91 (0)", 1, lambda n: f"+91 (0){n}"),
    ("+91.10", 1, lambda n: f"+91.{n}"),
    ("endash", 2, lambda n: f"{n[:5]}\u2013{n[5:]}"),
    ("+91 endash", 1, lambda n: f"+91\u2013{n}"),
    ("4-6", 2, lambda n: f"{n[:4]} {n[4:]}"),
    ("0 10", 1, lambda n: f"0 {n}"),
    ("+91 2-4-4", 1, lambda n: f"+91 {n[:2]} {n[2:6]} {n[6:]}"),
    ("+91 4-3-3", 1, lambda n: f"+91 {n[:4]}-{n[4:7]}-{n[7:]}"),
    ("2h2h2h2h2", 1, lambda n: f"{n[:2]}-{n[2:4]}-{n[4:6]}-{n[6:8]}-{n[8:]}"),
    ("+ 91", 1, lambda n: f"+ 91 {n}"),
    ("+91 0", 1, lambda n: f"+91 0{n}"),
]
_MOBILE_WEIGHTS = [w for _, w, _ in MOBILE_FORMATS]


def render_mobile(
    rng: random.Random, n: str, fmt: str | None = None, script: str = "latn"
) -> Piece:
    """Render a 10-digit mobile in one of many typing styles."""
    if fmt is None:
        name, _, fn = rng.choices(MOBILE_FORMATS, weights=_MOBILE_WEIGHTS)[0]
    else:
        name, _, fn = next(f for f in MOBILE_FORMATS if f[0] == fmt)
    text = fn(n)
    tags = {"phone_fmt:" + name}
    if NBSP in text or ZWSP in text:
        tags.add("invisible_space")
    r = rng.random()
    if script == "deva" and r < 0.3 or script != "deva" and r < 0.015:
        text = text.translate(DEVANAGARI_DIGITS)
        tags.add("devanagari_digits")
    elif r > 0.985 and name in ("plain", "5-5", "+9110", "5h5"):
        text = text.translate(FULLWIDTH_DIGITS)
        tags.add("fullwidth_digits")
    return Piece(
        text,
        [{"kind": "phone", "value": "+91" + n, "text": text, "start": 0, "end": len(text)}],
        tags,
    )


STD_CODES = [
    "22",
    "11",
    "80",
    "44",
    "33",
    "20",
    "40",
    "79",
    "712",
    "253",
    "240",
    "141",
    "522",
    "484",
]


def new_landline(rng: random.Random) -> tuple[str, str]:
    """(std code, subscriber number) of a valid Indian landline."""
    while True:
        std = rng.choice(STD_CODES)
        sub_len = 10 - len(std)
        sub = rng.choice("23456") + "".join(rng.choice(string.digits) for _ in range(sub_len - 1))
        if _valid("+91" + std + sub):
            return std, sub


def render_landline(rng: random.Random, std: str | None = None, sub: str | None = None) -> Piece:
    if std is None:
        std, sub = new_landline(rng)
    assert sub is not None
    half = len(sub) // 2
    fmts = [
        f"0{std}-{sub[:half]} {sub[half:]}",
        f"0{std}-{sub}",
        f"0{std} {sub}",
        f"(0{std}) {sub[:half]}-{sub[half:]}",
        f"+91 {std} {sub[:half]} {sub[half:]}",
        f"+91-{std}-{sub}",
        f"0{std}{sub}",
        f"0{std} {sub[:half]} {sub[half:]}",
    ]
    text = rng.choice(fmts)
    return Piece(
        text,
        [{"kind": "phone", "value": "+91" + std + sub, "text": text, "start": 0, "end": len(text)}],
        {"landline"},
    )


def new_tollfree(rng: random.Random) -> str:
    while True:
        rest = "".join(rng.choice(string.digits) for _ in range(7))
        if rest[0] == "0":
            continue
        if _valid("+911800" + rest):
            return "1800" + rest


def render_tollfree(rng: random.Random, num: str | None = None) -> Piece:
    num = num or new_tollfree(rng)
    rest = num[4:]
    fmts = [
        f"1800-{rest[:3]}-{rest[3:]}",
        f"1800 {rest[:3]} {rest[3:]}",
        f"1800{rest}",
        f"1800-{rest}",
        f"1800 {rest}",
        f"1800-{rest[:2]}-{rest[2:]}",
        f"1800 {rest[:3]} {rest[3:5]} {rest[5:]}",
    ]
    text = rng.choice(fmts)
    return Piece(
        text,
        [{"kind": "phone", "value": e164_of(num), "text": text, "start": 0, "end": len(text)}],
        {"tollfree"},
    )


FOREIGN = [
    # (country code, national length generator, format)
    (
        "44",
        lambda r: "7" + "".join(r.choice(string.digits) for _ in range(9)),
        lambda cc, n: rngchoice([f"+44 {n[:4]} {n[4:]}", f"+44{n}", f"+44 {n}"]),
    ),
    (
        "1",
        lambda r: (
            r.choice(["202", "415", "646", "312", "213", "917"])
            + r.choice("23456789")
            + "".join(r.choice(string.digits) for _ in range(6))
        ),
        lambda cc, n: rngchoice(
            [f"+1 {n[:3]} {n[3:6]} {n[6:]}", f"+1 ({n[:3]}) {n[3:6]}-{n[6:]}", f"+1{n}"]
        ),
    ),
    (
        "92",
        lambda r: "3" + r.choice("0123") + "".join(r.choice(string.digits) for _ in range(8)),
        lambda cc, n: rngchoice([f"+92 {n[:3]} {n[3:]}", f"+92{n}", f"+92-{n[:3]}-{n[3:]}"]),
    ),
    (
        "234",
        lambda r: (
            r.choice(["803", "806", "813", "703", "706", "810"])
            + "".join(r.choice(string.digits) for _ in range(7))
        ),
        lambda cc, n: rngchoice([f"+234 {n[:3]} {n[3:6]} {n[6:]}", f"+234{n}"]),
    ),
    (
        "977",
        lambda r: "98" + r.choice("0145") + "".join(r.choice(string.digits) for _ in range(7)),
        lambda cc, n: rngchoice([f"+977 {n}", f"+977-{n}"]),
    ),
    (
        "971",
        lambda r: "5" + r.choice("0256") + "".join(r.choice(string.digits) for _ in range(7)),
        lambda cc, n: rngchoice([f"+971 {n[:2]} {n[2:5]} {n[5:]}", f"+971{n}"]),
    ),
    (
        "855",
        lambda r: (
            r.choice(["12", "17", "92", "77"]) + "".join(r.choice(string.digits) for _ in range(6))
        ),
        lambda cc, n: rngchoice([f"+855 {n[:2]} {n[2:5]} {n[5:]}", f"+855{n}"]),
    ),
]

_choice_rng = random.Random(0)


def rngchoice(options):
    return _choice_rng.choice(options)


def render_foreign(rng: random.Random) -> Piece:
    _choice_rng.seed(rng.random())
    cc, gen, fmt = rng.choice(FOREIGN)
    while True:
        n = gen(rng)
        if _valid(f"+{cc}{n}"):
            break
    text = fmt(cc, n)
    return Piece(
        text,
        [{"kind": "phone", "value": f"+{cc}{n}", "text": text, "start": 0, "end": len(text)}],
        {"foreign_phone"},
    )


# ---------------------------------------------------------------------------------------------
# UPI, URL, email, vehicle, bank account

PSP = [
    "ybl",
    "ibl",
    "axl",
    "okaxis",
    "oksbi",
    "okhdfcbank",
    "okicici",
    "paytm",
    "upi",
    "apl",
    "ptyes",
    "ptsbi",
    "pthdfc",
    "ptaxis",
    "axisbank",
    "icici",
    "sbi",
    "hdfcbank",
    "kotak",
    "fbl",
    "waaxis",
    "yapl",
    "ikwik",
    "freecharge",
    "airtel",
    "idfcbank",
    "jupiteraxis",
    "kbl",
]

PSP_COMMON = ["ybl", "okaxis", "oksbi", "okhdfcbank", "okicici", "paytm", "ibl", "axl", "upi"]

UPI_NAMES = [
    "sbi.refund",
    "kyc.update",
    "hdfc.care",
    "refund.desk",
    "rewardpoints",
    "customer.care",
    "icicicare",
    "paytmkyc",
    "cashback.help",
    "bankhelpdesk",
    "card.unblock",
    "axis.rewards",
    "rahul.k",
    "amitsingh",
    "pooja.verma",
    "deepak.sales",
    "rk.traders",
    "vijay.kumar86",
    "sunil.electronics",
    "ramesh.p",
    "anil.jain",
    "maheshkumar",
    "shiv.enterprises",
    "neha.k21",
    "priyanka.s",
    "sonu.ji",
    "manoj.ts",
    "arjun.army",
    "kumar.cisf",
    "support.refund",
    "yono.help",
    "creditcard.limit",
    "loan.disburse",
    "job.portal",
    "taskpay",
    "electricity.bill",
    "gift.kbc",
    "lucky.draw",
    "invest.pro",
    "mahalaxmi.store",
    "rk_traders",
    "sbi-care",
    "kyc_update.desk",
    "helpdesk-refund",
    "amit_k_2026",
    "q724559012",
    "paytmqr281047",
    "bharatpe.90123",
    "gpay-11234",
]


def render_upi(
    rng: random.Random, local: str | None = None, psp: str | None = None, mobile: str | None = None
) -> Piece:
    """A UPI ID. When the local part is a mobile number, the digits are also a phone."""
    psp = psp or (rng.choice(PSP_COMMON) if rng.random() < 0.6 else rng.choice(PSP))
    ids = []
    tags = {"upi"}
    if mobile is not None or (local is None and rng.random() < 0.4):
        mobile = mobile or new_mobile(rng)
        text = f"{mobile}@{psp}"
        ids.append(
            {"kind": "phone", "value": "+91" + mobile, "text": mobile, "start": 0, "end": 10}
        )
        tags.add("upi_with_phone")
    else:
        local = local or rng.choice(UPI_NAMES) + (
            str(rng.randint(1, 99)) if rng.random() < 0.3 else ""
        )
        text = f"{local}@{psp}"
        if rng.random() < 0.08:
            text = text.upper()
            tags.add("caps_identifier")
    ids.insert(
        0, {"kind": "upi", "value": text.lower(), "text": text, "start": 0, "end": len(text)}
    )
    return Piece(text, ids, tags)


FAKE_DOMAINS = [
    "sbi-kyc-update.xyz",
    "hdfc-netbanking-verify.com",
    "icici-reward-points.in",
    "yono-sbi-kyc.top",
    "paytm-kyc-verify.online",
    "axis-card-block.site",
    "sbi-rewards.co",
    "kotak-kyc.info",
    "pnb-update-kyc.live",
    "bob-world-verify.in",
    "hdfcbank-customercare.net",
    "sbicard-points.xyz",
    "onlinesbi-kyc.site",
    "icicibank-secure-login.com",
    "canarabank-kyc.top",
    "phonepe-refund.in",
    "gpay-cashback-offer.com",
    "rbi-kyc-verification.org",
    "indusind-card-help.xyz",
    "unionbank-update.online",
    "yesbank-rewards.site",
    "idfc-kyc-portal.in",
    "bankofbaroda-upd.com",
    "sbi.co.in-kyc.online",
    "onlinesbi.sbi.kyc-verify.top",
    "hdfcbank.com.secure-login.site",
    "icicibank.co.in.rewards-claim.xyz",
]
OTHER_DOMAINS = [
    "parttime-job-india.com",
    "amazon-task-earn.site",
    "courier-track-fedx.in",
    "kbc-lottery-winner.com",
    "mahadiscom-bill-pay.xyz",
    "cheap-loan-instant.in",
    "crypto-profit-india.live",
    "trade-guru-vip.com",
    "indiapost-redelivery.top",
    "customs-clearance-india.org",
    "electricity-update.online",
    "olx-payment-secure.in",
    "ytlike-earn.com",
    "gov-scheme-apply.site",
]
SHORTENERS = ["bit.ly", "tinyurl.com", "is.gd", "cutt.ly", "rb.gy", "t.ly", "shorturl.at"]
PATHS = [
    "SBI_KYC.apk",
    "download/YONO_Update.apk",
    "login",
    "kyc",
    "update",
    "verify",
    "kyc/update",
    "netbanking/login",
    "reward",
    "claim",
    "redeem",
    "secure/login.php",
    "apk",
    "index.html",
    "form",
    "pay",
    "refund",
    "track",
    "apply",
    "KYC-Update",
    "login?id=2291",
    "app/download",
    "v/3421",
    "user/verify",
]


def _rand_token(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(n))


def render_url(rng: random.Random, kind: str = "bank") -> Piece:
    tags = {"url"}
    if kind == "other" and rng.random() < 0.15:
        handle = rng.choice(
            [
                "earnwithtasks",
                "vipstocktips",
                "ytjobsindia",
                "cryptoprofit_official",
                "hoteltaskjobs",
                "amazonreviewjob",
                "tradeguruvip",
            ]
        ) + str(rng.randint(1, 99))
        path = rng.choice([handle, "joinchat/" + _rand_token(rng, 10), "+" + _rand_token(rng, 12)])
        scheme = rng.choice(["", "", "https://"])
        text = f"{scheme}t.me/{path}"
        value = (scheme or "http://") + "t.me/" + path
        return Piece(
            text,
            [{"kind": "url", "value": value, "text": text, "start": 0, "end": len(text)}],
            tags | {"telegram_link"},
        )
    r = rng.random()
    if r < 0.3:
        host = rng.choice(SHORTENERS)
        path = _rand_token(rng, rng.randint(5, 8))
    else:
        host = rng.choice(FAKE_DOMAINS if kind == "bank" else OTHER_DOMAINS)
        if rng.random() < 0.15:
            host = "www." + host
        path = rng.choice(PATHS) if rng.random() < 0.75 else ""
        if path and rng.random() < 0.5:
            path += rng.choice(["/", "?ref=", "?id=", "/u/", "-"]) + _rand_token(
                rng, rng.randint(3, 6)
            )
    scheme = rng.choices(["", "http://", "https://"], weights=[5, 2, 4])[0]
    written_host = host
    written_scheme = scheme
    if rng.random() < 0.12:
        # defanged
        tags.add("defanged")
        dot = rng.choice(["[.]", "[.]", "[.]", "(.)"])
        written_host = host.replace(".", dot, 1) if rng.random() < 0.6 else host.replace(".", dot)
        written_scheme = {"": "", "http://": "hxxp://", "https://": "hxxps://"}[scheme]
        if written_scheme and rng.random() < 0.25:
            written_scheme = written_scheme.replace("://", "[:]//")
        if not scheme and rng.random() < 0.5:
            written_scheme, scheme = "hxxp://", "http://"
    if rng.random() < 0.05:
        written_host = written_host.upper()
        written_scheme = written_scheme.upper()
        tags.add("caps_identifier")
    text = written_scheme + written_host + ("/" + path if path else "")
    value = (scheme or "http://") + host.lower() + ("/" + path if path else "")
    return Piece(
        text, [{"kind": "url", "value": value, "text": text, "start": 0, "end": len(text)}], tags
    )


EMAIL_LOCALS = {
    "bank": [
        "sbi.kycupdate",
        "refund-desk.hdfc",
        "care.icici",
        "support.paytm.kyc",
        "rbi.helpdesk",
        "axisbank.grievance",
        "customer.support.sbi",
        "kyc.verify.team",
        "rewards.team",
        "noreply.yono",
        "help.desk2026",
        "netbanking.alerts",
        "cardservices.team",
        "kotak.securecare",
    ],
    "other": [
        "hr.recruitment",
        "jobs.amazonhiring",
        "cbi.officer.delhi",
        "customs.clearance",
        "kbc.lottery.dept",
        "loan.approval",
        "mumbai.crime.branch",
        "help.desk2026",
        "careers.hiring",
        "visa.processing",
        "rahul.sharma",
        "priya.k",
        "tasks.earn",
        "official.trai",
        "amit1987",
        "neha.verma",
    ],
}
EMAIL_DOMAINS = [
    "gmail.com",
    "outlook.com",
    "yahoo.com",
    "yahoo.co.in",
    "rediffmail.com",
    "proton.me",
    "sbi-support.in",
    "hdfc-help.co",
    "hotmail.com",
]


def render_email(rng: random.Random, kind: str = "bank") -> Piece:
    text = f"{rng.choice(EMAIL_LOCALS[kind])}{rng.choice(['', '', str(rng.randint(1, 999))])}@{rng.choice(EMAIL_DOMAINS)}"
    tags = {"email"}
    if rng.random() < 0.1:
        text = text[0].upper() + text[1:]
        tags.add("caps_identifier")
    return Piece(
        text,
        [{"kind": "email", "value": text.lower(), "text": text, "start": 0, "end": len(text)}],
        tags,
    )


STATE_RTOS = {
    "MH": list(range(1, 51)),
    "KA": list(range(1, 71)),
    "TN": list(range(1, 99)),
    "GJ": list(range(1, 39)),
    "UP": [14, 16, 32, 65, 70, 78, 80, 81],
    "RJ": [14, 27, 45],
    "TS": [7, 8, 9, 10, 13],
    "AP": [16, 39],
    "WB": [2, 6, 20, 26],
    "HR": [26, 29, 51, 55],
    "PB": [10, 65],
    "MP": [4, 9],
    "KL": [7, 11, 14],
    "GA": [3, 7],
    "CG": [4],
    "OD": [2, 5],
    "BR": [1],
    "JH": [1],
    "HP": [1],
    "CH": [1],
    "UK": [7],
}
DL_DISTRICTS = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13"]
DL_CATS = ["C", "S", "C", "C", "S", "E", "R", "V", "Y"]


def render_vehicle(rng: random.Random, state: str | None = None) -> Piece:
    letters = "ABCDEFGHJKLMNPRSTUVWXYZ"
    num = str(rng.randint(1, 9)) + "".join(rng.choice(string.digits) for _ in range(3))
    tags = {"vehicle"}
    r = rng.random()
    if r < 0.07:
        yy = str(rng.randint(21, 26))
        ser = rng.choice(letters) + rng.choice(letters)
        while ser == "XX":
            ser = rng.choice(letters) + rng.choice(letters)
        value = f"{yy}BH{num}{ser}"
        text = rng.choice(
            [
                f"{yy} BH {num} {ser}",
                f"{yy}BH{num}{ser}",
                f"{yy}-BH-{num}-{ser}",
                f"{yy} BH {num}{ser}",
            ]
        )
        tags.add("bh_series")
    elif (state == "DL") or (state is None and r < 0.2):
        d = rng.choice(DL_DISTRICTS)
        c = rng.choice(DL_CATS)
        ser = rng.choice(letters) + (rng.choice(letters) if rng.random() < 0.85 else "")
        while set(ser) == {"X"}:
            ser = rng.choice(letters) + rng.choice(letters)
        value = f"DL{d}{c}{ser}{num}"
        text = rng.choice(
            [
                f"DL {d}{c} {ser} {num}",
                f"DL{d}{c}{ser}{num}",
                f"DL-{d}{c}-{ser}-{num}",
                f"DL {d}{c}{ser} {num}",
                f"DL{d}{c} {ser} {num}",
            ]
        )
    else:
        st = (
            state
            or rng.choices(
                list(STATE_RTOS),
                weights=[30, 8, 6, 5, 4, 2, 3, 2, 2, 3, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1],
            )[0]
        )
        rto = f"{rng.choice(STATE_RTOS[st]):02d}"
        ser = rng.choice(letters) + (rng.choice(letters) if rng.random() < 0.85 else "")
        while set(ser) == {"X"}:  # "XX" reads as a masked plate
            ser = rng.choice(letters) + rng.choice(letters)
        if rng.random() < 0.1:
            ser = ser + rng.choice(letters) if len(ser) == 2 and st in ("TN", "KA") else ser
        value = f"{st}{rto}{ser}{num}"
        text = rng.choices(
            [
                f"{st} {rto} {ser} {num}",
                f"{st}-{rto}-{ser}-{num}",
                f"{st}{rto}{ser}{num}",
                f"{st} {rto}{ser} {num}",
                f"{st}{rto} {ser} {num}",
                f"{st}.{rto}.{ser}.{num}",
                f"{st}{rto}-{ser}-{num}",
                f"{st} {rto} {ser}{num}",
                f"{st}{rto} {ser}{num}",
            ],
            weights=[30, 12, 25, 6, 8, 2, 4, 4, 3],
        )[0]
    if rng.random() < 0.15:
        text = text.lower()
        tags.add("lowercase_vehicle")
    return Piece(
        text,
        [{"kind": "vehicle", "value": value, "text": text, "start": 0, "end": len(text)}],
        tags,
    )


def new_account(rng: random.Random) -> str:
    kind = rng.choice(["sbi", "hdfc", "icici", "axis", "kotak", "pnb", "generic"])
    d = lambda k: "".join(rng.choice(string.digits) for _ in range(k))  # noqa: E731
    return {
        "sbi": "3" + rng.choice("0123489") + d(9),
        "hdfc": "50100" + d(9),
        "icici": "0" + d(11),
        "axis": "91" + rng.choice("0123") + d(12),
        "kotak": "4" + d(9) + "1",
        "pnb": "0" + d(15),
        "generic": rng.choice("12345") + d(rng.choice([10, 12, 13, 14])),
    }[kind]


def render_account(rng: random.Random, acct: str | None = None) -> Piece:
    acct = acct or new_account(rng)
    text = acct
    if rng.random() < 0.1 and len(acct) % 4 == 0:
        text = " ".join(acct[i : i + 4] for i in range(0, len(acct), 4))
    return Piece(
        text,
        [{"kind": "bank_account", "value": acct, "text": text, "start": 0, "end": len(text)}],
        {"bank_account"},
    )


# ---------------------------------------------------------------------------------------------
# numbers that are NOT identifiers


def _indian_group(n: int) -> str:
    s = str(n)
    if len(s) <= 3:
        return s
    head, tail = s[:-3], s[-3:]
    parts = []
    while len(head) > 2:
        parts.insert(0, head[-2:])
        head = head[:-2]
    if head:
        parts.insert(0, head)
    return ",".join(parts) + "," + tail


def amount(rng: random.Random, script: str = "latn") -> Piece:
    n = rng.choice(
        [
            rng.randint(1, 99) * 100 - rng.choice([0, 1]),
            rng.randint(1, 999) * 100,
            rng.randint(1, 50) * 1000,
            rng.randint(1, 9) * 100000 + rng.choice([0, 25000, 50000]),
            rng.randint(100, 50000) * 10,
        ]
    )
    g = _indian_group(n)
    if script == "deva":
        opts = [f"₹{g}", f"₹ {g}", f"{g} रुपये", f"रु. {g}", f"Rs {g}", f"{n} रुपए"]
        if n >= 100000 and n % 50000 == 0:
            lakh = n / 100000
            ls = str(int(lakh)) if lakh == int(lakh) else str(lakh)
            opts += [f"{ls} लाख रुपये", f"{ls} लाख", f"₹{ls} लाख"]
        elif n % 1000 == 0 and n < 100000:
            opts += [f"{n // 1000} हजार रुपये", f"{n // 1000} हज़ार"]
        text = rng.choice(opts)
        if rng.random() < 0.35:
            text = text.translate(DEVANAGARI_DIGITS)
    else:
        opts = [
            f"Rs {g}",
            f"Rs.{g}",
            f"Rs. {g}/-",
            f"₹{g}",
            f"₹ {g}",
            f"INR {g}",
            f"rs {n}",
            f"{g} rs",
            f"Rs{n}",
            f"{n} rupees",
            f"₹{n}",
        ]
        if n >= 100000 and n % 50000 == 0:
            lakh = n / 100000
            ls = str(int(lakh)) if lakh == int(lakh) else str(lakh)
            opts += [f"{ls} lakh", f"Rs {ls} lakh", f"₹{ls} lakh", f"{ls} lac", f"{ls}L"]
        elif n % 1000 == 0 and n < 100000:
            opts += [
                f"{n // 1000}k",
                f"Rs {n // 1000}k",
                f"{n // 1000} thousand",
                f"{n // 1000} hazar",
            ]
        text = rng.choice(opts)
    return Piece(text, [], {"hard:amount"})


def fare(rng: random.Random, script: str = "latn") -> Piece:
    n = rng.choice([rng.randint(3, 40) * 10, rng.randint(1, 9) * 100, rng.randint(50, 900)])
    opts = [f"Rs {n}", f"Rs.{n}", f"₹{n}", f"{n} rs", f"{n} rupees", f"rs{n}", f"₹ {n}"]
    if script == "deva":
        opts = [f"₹{n}", f"{n} रुपये", f"रु. {n}", f"{n} रुपए"]
    text = rng.choice(opts)
    if script == "deva" and rng.random() < 0.3:
        text = text.translate(DEVANAGARI_DIGITS)
    return Piece(text, [], {"hard:amount"})


def small_amount(rng: random.Random, script: str = "latn") -> Piece:
    n = rng.choice(
        [
            rng.randint(1, 50) * 100,
            rng.randint(2, 20) * 250,
            rng.choice([499, 999, 1499, 2999, 4999]),
        ]
    )
    g = _indian_group(n)
    opts = [
        f"Rs {g}",
        f"Rs.{g}",
        f"₹{g}",
        f"₹ {g}",
        f"{n} rs",
        f"{n} rupees",
        f"INR {g}",
        f"Rs.{g}/-",
    ]
    if script == "deva":
        opts = [f"₹{g}", f"{g} रुपये", f"रु. {g}", f"{n} रुपए", f"Rs {g}"]
    text = rng.choice(opts)
    if script == "deva" and rng.random() < 0.3:
        text = text.translate(DEVANAGARI_DIGITS)
    return Piece(text, [], {"hard:amount"})


def otp(rng: random.Random) -> Piece:
    return Piece(
        "".join(rng.choice(string.digits) for _ in range(rng.choice([4, 6, 6, 6]))),
        [],
        {"hard:otp"},
    )


def last4(rng: random.Random) -> Piece:
    d = "".join(rng.choice(string.digits) for _ in range(4))
    text = rng.choice(
        [d, d, f"XX{d}", f"xxxx{d}", f"XXXX XXXX XXXX {d}", f"**** {d}", f"4{d[1:]}"[:0] + d]
    )
    return Piece(text, [], {"hard:card_last4"})


def masked(rng: random.Random) -> Piece:
    n = new_mobile(rng)
    k = rng.randint(4, 6)
    text = rng.choice(
        [
            f"{n[:2]}{'X' * 6}{n[-2:]}",
            f"{n[:5]}{'*' * 5}",
            f"{n[:2]}xxxxxx{n[-2:]}",
            f"+91 {n[:2]}xxx xx{n[-3:]}",
            f"{'*' * 6}{n[-4:]}",
            f"{n[:4]}XXXX{n[-2:]}",
            f"{n[:k]}{'X' * (10 - k)}",
            f"XXXXXX{n[-4:]}",
            f"+91-{n[:3]}*****{n[-2:]}",
        ]
    )
    return Piece(text, [], {"hard:masked"})


def masked_card(rng: random.Random) -> Piece:
    d = "".join(rng.choice(string.digits) for _ in range(4))
    b = rng.choice(["4", "5", "6"]) + "".join(rng.choice(string.digits) for _ in range(3))
    return Piece(
        rng.choice([f"{b} XXXX XXXX {d}", f"{b}-XXXX-XXXX-{d}", f"{b}********{d}"]),
        [],
        {"hard:masked"},
    )


def utr(rng: random.Random) -> Piece:
    y = rng.choice("56")
    doy = f"{rng.randint(1, 365):03d}"
    hh = f"{rng.randint(0, 23):02d}"
    rest = "".join(rng.choice(string.digits) for _ in range(6))
    r = rng.random()
    if r < 0.8:
        text = y + doy + hh + rest
    elif r < 0.9:
        text = (
            rng.choice(["SBIN", "HDFC", "ICIC", "UTIB", "PUNB"])
            + "R5"
            + "".join(rng.choice(string.digits) for _ in range(10))
        )
    else:
        text = y + doy + hh + rest[:4] + "".join(rng.choice(string.digits) for _ in range(2))
    return Piece(text, [], {"hard:utr"})


def aadhaar(rng: random.Random) -> Piece:
    d = rng.choice("2345678") + "".join(rng.choice(string.digits) for _ in range(11))
    text = rng.choice(
        [f"{d[:4]} {d[4:8]} {d[8:]}", f"{d[:4]}-{d[4:8]}-{d[8:]}", d, f"XXXX XXXX {d[8:]}"]
    )
    return Piece(text, [], {"hard:aadhaar"})


def fir(rng: random.Random) -> Piece:
    n = rng.randint(12, 1450)
    y = rng.choice(["2025", "2026", "26", "25"])
    text = rng.choice([f"{n}/{y}", f"{n}/{y}", f"I-{n}/{y}", f"0{n}/{y}"])
    return Piece(text, [], {"hard:fir"})


def ack(rng: random.Random) -> Piece:
    """NCRP (cyber crime portal) acknowledgement number: 14 digits."""
    text = (
        "3"
        + rng.choice(["12", "11", "10", "13", "19", "27"])
        + rng.choice(["0", "1"])
        + "".join(rng.choice(string.digits) for _ in range(10))
    )
    return Piece(text, [], {"hard:complaint_id"})


def pincode(rng: random.Random) -> Piece:
    return Piece(
        rng.choice(["400", "411", "110", "560", "600", "500", "700", "380", "422", "440"])
        + f"{rng.randint(1, 99):03d}",
        [],
        {"hard:pincode"},
    )


def date(rng: random.Random, script: str = "latn") -> Piece:
    d, m = rng.randint(1, 28), rng.randint(1, 12)
    y = rng.choice(["2026", "2025", "26"])
    months = [
        "Jan",
        "Feb",
        "March",
        "April",
        "May",
        "June",
        "July",
        "Aug",
        "Sept",
        "Oct",
        "Nov",
        "Dec",
    ]
    text = rng.choice(
        [
            f"{d:02d}/{m:02d}/{y}",
            f"{d}-{m}-{y}",
            f"{d}.{m}.{y}",
            f"{d} {months[m - 1]}",
            f"{d}th {months[m - 1]}",
            f"{d:02d}/{m:02d}",
        ]
    )
    if script == "deva" and rng.random() < 0.3:
        text = text.translate(DEVANAGARI_DIGITS)
    return Piece(text, [], {"hard:date"})


def time_(rng: random.Random, script: str = "latn", lang: str = "en") -> Piece:
    h, mi = rng.randint(1, 12), rng.choice([0, 5, 10, 15, 20, 30, 40, 45, 50, 55])
    opts = [
        f"{h}:{mi:02d} pm",
        f"{h}:{mi:02d}am",
        f"{h}.{mi:02d} PM",
        f"{h}:{mi:02d}",
        f"{h}pm",
        f"{h} AM",
        f"{h}:{mi:02d} AM",
    ]
    if lang == "hi-Latn":
        opts += [f"{h} baje", f"{h}:{mi:02d} baje"]
    elif lang == "mr-Latn":
        opts += [f"{h} vajta", f"{h}:{mi:02d} vajta"]
    elif lang == "hi":
        opts = [f"{h}:{mi:02d}", f"{h} बजे", f"{h}:{mi:02d} बजे", f"{h}:{mi:02d} PM"]
    elif lang == "mr":
        opts = [f"{h}:{mi:02d}", f"{h} वाजता", f"{h}.{mi:02d} वाजता", f"{h}:{mi:02d} PM"]
    text = rng.choice(opts)
    if script == "deva" and rng.random() < 0.3:
        text = text.translate(DEVANAGARI_DIGITS)
    return Piece(text, [], {"hard:time"})


def helpline(rng: random.Random) -> Piece:
    return Piece(
        rng.choice(["1930", "1930", "100", "112", "1930", "103", "155260"]), [], {"hard:helpline"}
    )


def ifsc(rng: random.Random) -> Piece:
    return Piece(
        rng.choice(["SBIN", "HDFC", "ICIC", "UTIB", "KKBK", "PUNB", "BARB", "CNRB"])
        + "0"
        + "".join(rng.choice(string.digits) for _ in range(6)),
        [],
        {"hard:ifsc"},
    )


def imei(rng: random.Random) -> Piece:
    return Piece("35" + "".join(rng.choice(string.digits) for _ in range(13)), [], {"hard:imei"})


def _digits_not_phone_like(rng: random.Random, k: int) -> str:
    while True:
        d = "".join(rng.choice(string.digits) for _ in range(k))
        if not d.startswith(("91", "0")):
            return d


def consumer_no(rng: random.Random) -> Piece:
    return Piece(
        rng.choice(["1", "17", "2", "3"]) + _digits_not_phone_like(rng, 11)[: rng.choice([10, 11])],
        [],
        {"hard:consumer_no"},
    )


def order_id(rng: random.Random) -> Piece:
    d = lambda k: "".join(rng.choice(string.digits) for _ in range(k))  # noqa: E731
    return Piece(
        rng.choice([f"40{d(1)}-{d(7)}-{d(7)}", f"OD{d(18)}", f"EE{d(9)}IN", "3" + d(11)]),
        [],
        {"hard:order_id"},
    )


def challan(rng: random.Random) -> Piece:
    d = lambda k: "".join(rng.choice(string.digits) for _ in range(k))  # noqa: E731
    return Piece(
        rng.choice([f"MH{d(17)}", f"DL{d(17)}", f"{d(10)}"[:0] + f"KA{d(16)}"]),
        [],
        {"hard:challan"},
    )


def partial_plate(rng: random.Random) -> Piece:
    """A vehicle number only partly seen: never an identifier."""
    st = rng.choice(["MH", "MH", "DL", "KA", "GJ", "UP", "TS"])
    rto = f"{rng.randint(1, 47):02d}"
    num = str(rng.randint(1000, 9999))
    text = rng.choice(
        [
            f"{st} {rto} ** {num}",
            f"{st}{rto} XX {num}",
            f"{st} {rto} something {num}",
            f"{st}{rto}....",
            f"{st}-{rto}-??-{num}",
            f"ending {num}",
            f"{st} {rto}",
            f"**{num}",
        ]
    )
    return Piece(text, [], {"hard:partial_plate"})


def masked_account(rng: random.Random) -> Piece:
    d = "".join(rng.choice(string.digits) for _ in range(4))
    return Piece(
        rng.choice([f"XXXXXXXX{d}", f"xxxx{d}", f"******{d}", f"XX{d}", f"XXXX XXXX {d}"]),
        [],
        {"hard:masked"},
    )


def sms_sender(rng: random.Random) -> Piece:
    """SMS header of the kind operators show (VM-SBIUPD): not an identifier."""
    pre = rng.choice(["VM", "AD", "JD", "BZ", "AX", "VK", "TM", "JM", "CP"])
    body = rng.choice(
        [
            "SBIUPD",
            "SBIKYC",
            "HDFCBK",
            "ICICIT",
            "AXISBK",
            "KOTAKB",
            "PNBSMS",
            "YONOSB",
            "PYTMBK",
            "BOBTXN",
            "CANBNK",
            "IDFCFB",
            "SBICRD",
            "KYCUPD",
            "RWDPTS",
        ]
    )
    text = f"{pre}-{body}" + (rng.choice(["-S", "-T", ""]) if rng.random() < 0.3 else "")
    return Piece(text, [], {"hard:sms_sender"})


def pnr(rng: random.Random) -> Piece:
    """Railway PNR: 10 digits, never starting like a mobile number here."""
    return Piece(
        rng.choice("24") + "".join(rng.choice(string.digits) for _ in range(9)), [], {"hard:pnr"}
    )


def small_int(rng: random.Random, lo: int = 2, hi: int = 40) -> Piece:
    return Piece(str(rng.randint(lo, hi)), [], set())
