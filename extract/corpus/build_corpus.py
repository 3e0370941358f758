"""Build the labelled complaint corpus (train/dev/test JSONL) from templates written for the project.

Deterministic: a fixed seed, no network. Run from the repository root:

    .venv/bin/python extract/corpus/build_corpus.py

Each template is a sentence skeleton with ``{slot}`` markers. Slots that are identifiers (phones,
UPI IDs, URLs, emails, vehicles, bank accounts) come with gold spans; slots that are numbers but not
identifiers (amounts, OTPs, masked numbers, UTRs, Aadhaar, FIR/portal numbers, PIN codes, dates,
helplines ...) add ``hard:*`` tags. The composed text then gets greetings, police-handle mentions,
closers, hashtags, emoji, abbreviations, typos and case changes applied to the literal parts only,
so every gold span stays exact; the generator asserts ``text[start:end] == identifier["text"]``.

Slots: phone phone2 anyphone landline tollfree foreign upi upinum url ourl email veh veh2 acct
bank card app sapp amt amt2 otp last4 masked mcard utr aadhaar fir ack pin date time place road
landmark name rel courier agency company loanapp vehicle handle helpline ifsc imei consumer order
challan pnr fare samt partial macct smsid n age oldage kidage
"""

from __future__ import annotations

import json
import random
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import grammars  # noqa: E402
import idgen  # noqa: E402
import paraphrase  # noqa: E402
import templates_deva as TD  # noqa: E402
import templates_en as TE  # noqa: E402
import templates_latn as TL  # noqa: E402
import vocab as V  # noqa: E402
from idgen import Piece  # noqa: E402

SEED = 20260412
LANGS = ["en", "hi-Latn", "mr-Latn", "hi", "mr"]
LANG_WEIGHTS = [0.38, 0.26, 0.12, 0.14, 0.10]
CATEGORIES = ["bank_fraud", "traffic", "other"]
CAT_WEIGHTS = [0.36, 0.24, 0.40]
TOTAL = 5400
MAX_WORDS = 64
MIN_WORDS = 5
TEST_TEMPLATE_FRACTION = 0.15
# Dev is held out like test (its own templates, no phrase grammars), so a dev score measures
# unseen phrasing and can choose between models; a dev sharing train's templates cannot.
DEV_TEMPLATE_FRACTION = 0.15
GRAMMAR_SHARE = 0.3  # share of train texts built from phrase grammars (when the pair has one)

SCRIPT = {"en": "latn", "hi-Latn": "latn", "mr-Latn": "latn", "hi": "deva", "mr": "deva"}


def _load_templates() -> dict[tuple[str, str], list[tuple[str, str]]]:
    groups = {
        ("bank_fraud", "en"): TE.BANK_FRAUD,
        ("traffic", "en"): TE.TRAFFIC,
        ("other", "en"): TE.OTHER,
        ("bank_fraud", "hi-Latn"): TL.BANK_FRAUD_HI,
        ("traffic", "hi-Latn"): TL.TRAFFIC_HI,
        ("other", "hi-Latn"): TL.OTHER_HI,
        ("bank_fraud", "mr-Latn"): TL.BANK_FRAUD_MR,
        ("traffic", "mr-Latn"): TL.TRAFFIC_MR,
        ("other", "mr-Latn"): TL.OTHER_MR,
        ("bank_fraud", "hi"): TD.BANK_FRAUD_HI,
        ("traffic", "hi"): TD.TRAFFIC_HI,
        ("other", "hi"): TD.OTHER_HI,
        ("bank_fraud", "mr"): TD.BANK_FRAUD_MR,
        ("traffic", "mr"): TD.TRAFFIC_MR,
        ("other", "mr"): TD.OTHER_MR,
    }
    out = {}
    for (cat, lang), items in groups.items():
        seen = set()
        uniq = []
        for t in items:
            if t not in seen:
                seen.add(t)
                uniq.append(t)
        out[(cat, lang)] = [(f"{cat}/{lang}/{i:03d}", t) for i, t in enumerate(uniq)]
    return out


TEMPLATES = _load_templates()

# ---------------------------------------------------------------------------------------------
# decoration vocabularies (category-neutral unless keyed by category)

GREETINGS = {
    "en": [
        "Sir,",
        "Respected sir,",
        "Hello,",
        "Dear team,",
        "Hi",
        "URGENT:",
        "Sir please help.",
        "Dear sir/madam,",
        "Good evening,",
        "Helo sir",
        "Attention:",
        "Namaste sir,",
    ],
    "hi-Latn": [
        "Sir,",
        "Namaste sir,",
        "Respected sir",
        "Sir ji",
        "Hello sir,",
        "Sir plz",
        "Bhai",
        "Urgent:",
    ],
    "mr-Latn": ["Namaskar,", "Sir,", "Saheb,", "Namaskar sir", "Hello sir,"],
    "hi": ["सर,", "नमस्ते सर,", "महोदय,", "आदरणीय सर,", "सर जी"],
    "mr": ["नमस्कार,", "सर,", "साहेब,", "आदरणीय महोदय,"],
}
CLOSERS = {
    "en": [
        "Please take action.",
        "Pls help.",
        "Kindly look into this.",
        "Please do the needful.",
        "Requesting strict action.",
        "Sir please help 🙏",
        "Is anyone listening?",
        "Please look into it asap",
        "Hope you will act.",
        "Thanks in advance.",
        "Please respond.",
        "Kindly help",
        "Please forward to concerned dept.",
        "Waiting for your reply.",
    ],
    "hi-Latn": [
        "Please action lijiye.",
        "Kripya madad kare.",
        "Sir jaldi action lo.",
        "Koi sunne wala hai?",
        "Plz help",
        "Kuch kijiye sir",
        "Dhanyavad.",
        "Jaldi dekho please",
        "Please sir",
    ],
    "mr-Latn": [
        "Krupaya karvai kara.",
        "Madat kara.",
        "Lavkar action ghya.",
        "Dhanyavad.",
        "Please baghun ghya",
    ],
    "hi": ["कृपया कार्रवाई करें।", "मदद करें।", "जल्द कार्रवाई करें।", "धन्यवाद।", "कृपया ध्यान दें।"],
    "mr": ["कृपया कारवाई करा.", "मदत करा.", "लवकर कारवाई करा.", "धन्यवाद.", "कृपया लक्ष द्या."],
}
CAT_CLOSERS = {
    "bank_fraud": {
        "en": [
            "Please block this number.",
            "Don't share OTP with anyone!",
            "Please freeze the beneficiary account.",
            "Please help me get my money back.",
            "Everyone beware.",
        ],
        "hi-Latn": [
            "Is number ko block karo.",
            "Kisi ko OTP mat batana.",
            "Mere paise wapas dilao.",
        ],
        "mr-Latn": ["Ha number block kara.", "Kunalahi OTP sangu naka."],
        "hi": ["इस नंबर को ब्लॉक करें।", "किसी को OTP न बताएं।"],
        "mr": ["हा नंबर ब्लॉक करा.", "कोणालाही OTP सांगू नका."],
    },
    "traffic": {
        "en": [
            "Please issue challan.",
            "Happens daily.",
            "Please deploy traffic cops here.",
            "Photo attached.",
        ],
        "hi-Latn": ["Challan kaato.", "Roz ka hai ye.", "Traffic police bhejo."],
        "mr-Latn": ["Challan kara.", "Roj che aahe."],
        "hi": ["चालान काटें।", "रोज़ का मामला है।"],
        "mr": ["चलन करा.", "रोजचे आहे."],
    },
    "other": {
        "en": ["Please register my complaint.", "Please help.", "Beware of such people."],
        "hi-Latn": ["Complaint darj karo.", "Savdhan rahe."],
        "mr-Latn": ["Takrar nondva.", "Savdhan raha."],
        "hi": ["शिकायत दर्ज करें।", "सावधान रहें।"],
        "mr": ["तक्रार नोंदवा.", "सावध रहा."],
    },
}
DETAILS = {
    "en": [
        "This happened on {date} around {time}.",
        "I have already called {helpline} but no response.",
        "Complaint registered on the portal, ack no {ack}.",
        "FIR no {fir} registered at {place} police station.",
        "Location pin {pin}.",
        "Reported this {n} times already.",
        "Screenshots attached.",
        "Video attached.",
        "My contact details in DM.",
        "Called {helpline}, they asked me to tweet here.",
        "Happened at {time} today.",
        "Also emailed the nodal officer, no reply.",
        "Pincode {pin}.",
        "Complaint no. {ack} on the cyber portal.",
        "Date: {date}",
    ],
    "hi-Latn": [
        "Ye {date} ko {time} hua.",
        "{helpline} pe call kiya koi response nahi.",
        "Portal pe complaint ki hai, ack no {ack}.",
        "Screenshot attach hai.",
        "{n} baar complaint kar chuka hu.",
        "FIR {fir} darj hai {place} thane me.",
        "Aaj {time} ki baat hai.",
    ],
    "mr-Latn": [
        "He {date} la {time} zhala.",
        "{helpline} la call kela pan uttar nahi.",
        "Screenshot jodla aahe.",
        "Portal var takrar keli, ack no {ack}.",
    ],
    "hi": [
        "यह {date} को {time} हुआ।",
        "{helpline} पर कॉल किया, कोई जवाब नहीं।",
        "स्क्रीनशॉट संलग्न है।",
        "पोर्टल पर शिकायत की है, नंबर {ack}।",
        "FIR {fir} दर्ज है।",
    ],
    "mr": [
        "हे {date} रोजी {time} झाले.",
        "{helpline} ला कॉल केला पण उत्तर नाही.",
        "स्क्रीनशॉट जोडला आहे.",
        "पोर्टलवर तक्रार केली, क्रमांक {ack}.",
    ],
}

CAT_DETAILS = {
    "traffic": {
        "en": [
            "Same vehicle got challan {challan} last month, still repeating.",
            "Fine of {fare} is too little for this.",
            "Another car also did it, number started {partial}, couldn't see fully.",
            "Time {time}, date {date}.",
            "Challan no {challan} was issued before.",
            "The other bike was {partial}, too fast to read.",
            "Location pin {pin}.",
            "Called {helpline}, no one came.",
        ],
        "hi-Latn": [
            "Isi gaadi ka pehle bhi challan {challan} hua tha.",
            "Dusri gaadi ka number {partial} tha, pura nahi dikha.",
            "{fare} ka fine kuch nahi hai inke liye.",
            "{helpline} pe call kiya, koi nahi aaya.",
        ],
        "mr-Latn": [
            "Hyach gaadila aadhi challan {challan} zala hota.",
            "Dusri gaadi {partial}, purna number disla nahi.",
            "{helpline} la call kela, koni aala nahi.",
        ],
        "hi": [
            "इसी गाड़ी का पहले भी चालान {challan} हुआ था।",
            "दूसरी गाड़ी का नंबर {partial} था, पूरा नहीं दिखा।",
            "{helpline} पर कॉल किया, कोई नहीं आया।",
        ],
        "mr": [
            "याच गाडीला आधी चलन {challan} झाले होते.",
            "दुसरी गाडी {partial}, पूर्ण नंबर दिसला नाही.",
            "{helpline} ला कॉल केला, कोणी आले नाही.",
        ],
    },
    "bank_fraud": {
        "en": [
            "The OTP was {otp}, I read it out before realising.",
            "My card ending {last4} is now blocked.",
            "Money went from my a/c {macct}.",
            "UTR {utr}.",
            "Bank complaint ref {ack}.",
            "They already knew my account ending {macct}.",
        ],
        "hi-Latn": [
            "OTP {otp} bata diya galti se.",
            "Card ending {last4} ab block karwa diya.",
            "UTR {utr}.",
            "Mere a/c {macct} se paise gaye.",
        ],
        "mr-Latn": ["OTP {otp} chukun sangitla.", "Card ending {last4} block kela.", "UTR {utr}."],
        "hi": [
            "OTP {otp} गलती से बता दिया।",
            "कार्ड के आखिरी अंक {last4}, अब ब्लॉक करवा दिया।",
            "UTR {utr}।",
        ],
        "mr": ["OTP {otp} चुकून सांगितला.", "कार्ड शेवटचे अंक {last4}, आता ब्लॉक केले.", "UTR {utr}."],
    },
    "other": {
        "en": [
            "Paid from my a/c {macct}.",
            "Txn ref {utr}.",
            "Aadhaar {aadhaar} was shared with them.",
            "They asked for OTP {otp} too.",
        ],
        "hi-Latn": ["Txn ref {utr}.", "Unhone OTP {otp} bhi manga.", "Mera a/c {macct} hai."],
        "mr-Latn": ["Txn ref {utr}.", "Tyanni OTP {otp} pan magitla."],
        "hi": ["लेनदेन संदर्भ {utr}।", "उन्होंने OTP {otp} भी मांगा।"],
        "mr": ["व्यवहार संदर्भ {utr}.", "त्यांनी OTP {otp} पण मागितला."],
    },
}

ABBREV = [
    (r"\bplease\b", ["pls", "plz", "pl", "plzz", "plss"]),
    (r"\bPlease\b", ["Pls", "Plz", "PLZ", "Pls"]),
    (r"\byou\b", ["u"]),
    (r"\byour\b", ["ur", "yr"]),
    (r"\baccount\b", ["a/c", "acc", "acct", "A/C", "ac"]),
    (r"\bnumber\b", ["no.", "no", "num", "nmbr", "No."]),
    (r"\bmessage\b", ["msg", "mssg"]),
    (r"\bbecause\b", ["bcoz", "coz", "bcz"]),
    (r"\bthanks\b", ["thx", "thnx", "tnx"]),
    (r"\bThank you\b", ["Thanku", "Thnx", "Ty"]),
    (r"\bpeople\b", ["ppl"]),
    (r"\bimmediately\b", ["immediatly", "asap"]),
    (r"\bminutes\b", ["mins"]),
    (r"\bcustomer care\b", ["cust care", "customer-care", "CC"]),
    (r"\bare\b", ["r"]),
    (r"\bbefore\b", ["b4"]),
    (r"\bwhat\b", ["wat", "wht"]),
    (r"\bwith\b", ["wid", "w/"]),
    (r"\bhelp\b", ["hlp", "halp"]),
    (r"\btransaction\b", ["txn", "trxn"]),
    (r"\bmobile\b", ["mob"]),
    (r"\bhai\b", ["h", "hai", "he"]),
    (r"\bnahi\b", ["nai", "nhi", "nahin"]),
    (r"\bkya\b", ["kya", "kia"]),
    (r"\bhoon\b", ["hu", "hun"]),
    (r"\bsir\b", ["sirji", "sr", "sirr"]),
    (r"\bSir\b", ["Sr", "Sirji", "SIR"]),
    (r"\bkaro\b", ["kro", "karo"]),
    (r"\bkar\b", ["kr"]),
    (r"\braha\b", ["rha", "rhaa"]),
    (r"\brahe\b", ["rhe"]),
    (r"\bmujhe\b", ["mjhe", "muje"]),
    (r"\bkiya\b", ["kia", "kiya"]),
    (r"\bgaye\b", ["gye", "gae"]),
    (r"\baahe\b", ["ahe", "aahe"]),
    (r"\bhota\b", ["hota", "hotaa"]),
    (r"\bpaise\b", ["pese", "paisa"]),
    (r"\bbhai\b", ["bhai", "bhau", "bro"]),
    (r"\bbhejo\b", ["bhejdo", "bhej do"]),
    (r"\bkar diya\b", ["kr dia", "kar dia"]),
    (r"\bgaya\b", ["gya"]),
    (r"\bkarke\b", ["krke", "kar ke"]),
    (r"\bdiya\b", ["dia"]),
    (r"\bliya\b", ["lia"]),
    (r"\bkaise\b", ["kese"]),
    (r"\bmere\b", ["mre", "mere"]),
    (r"\bkela\b", ["kla"]),
    (r"\bzala\b", ["jhala", "zhala"]),
    (r"\bmhanala\b", ["mhnala", "mhanla"]),
    (r"\bkara\b", ["kra"]),
    (r"\bpaise\b", ["pese", "paisa"]),
    (r"\btoday\b", ["2day", "tdy"]),
    (r"\bmoney\b", ["mony", "paisa"]),
    (r"\bdebited\b", ["debitted", "deducted"]),
]

DEVA_VARIANTS = [
    ("ज़", "ज"),
    ("फ़", "फ"),
    ("ड़", "ड"),
    ("हूँ", "हूं"),
    ("हूँ", "हु"),
    ("गए", "गये"),
    ("नहीं", "नही"),
    ("पैसे", "पेसे"),
    ("रुपये", "रूपये"),
    ("कृपया", "क्रपया"),
    ("कॉल", "काॅल"),
    ("ऑटो", "आटो"),
    ("पुलिस", "पुलीस"),
    ("झाले", "झालं"),
    ("आहे", "हाय"),
    ("केले", "केलं"),
    ("मेसेज", "मैसेज"),
    ("फोन", "फ़ोन"),
    ("शिकायत", "शिकायात"),
]

QWERTY_NEIGHBOURS = {
    c: n
    for c, n in zip(
        "qwertyuiopasdfghjklzxcvbnm",
        [
            "wa",
            "qes",
            "wrd",
            "etf",
            "rgy",
            "tuh",
            "yij",
            "uok",
            "ipl",
            "ol",
            "qsz",
            "awdx",
            "sefc",
            "drgv",
            "fthb",
            "gyjn",
            "hukm",
            "jilm",
            "kop",
            "asx",
            "zsdc",
            "xdfv",
            "cfgb",
            "vghn",
            "bhjm",
            "njk",
        ],
        strict=True,
    )
}


# ---------------------------------------------------------------------------------------------


@dataclass
class Ctx:
    lang: str
    category: str
    rng: random.Random
    script: str = "latn"
    force_phone: list = field(default_factory=list)  # [(national10, fmt)]
    force_upi: list = field(default_factory=list)  # [Piece]
    used: set = field(default_factory=set)

    def __post_init__(self) -> None:
        self.script = SCRIPT[self.lang]


def _word(rng: random.Random, options: list[str]) -> Piece:
    return Piece(rng.choice(options))


def _pick_lang(
    ctx: Ctx, latn: list[str], hi_latn=None, mr_latn=None, hi=None, mr=None, mix=0.0
) -> str:
    rng = ctx.rng
    table = {
        "en": latn,
        "hi-Latn": hi_latn or latn,
        "mr-Latn": mr_latn or hi_latn or latn,
        "hi": hi or latn,
        "mr": mr or hi or latn,
    }
    opts = table[ctx.lang]
    if ctx.script == "deva" and mix and rng.random() < mix:
        opts = latn
    return rng.choice(opts)


def slot(name: str, ctx: Ctx) -> Piece:
    rng = ctx.rng
    if name in ("phone", "phone2"):
        if ctx.force_phone:
            n, fmt = ctx.force_phone.pop(0)
            return idgen.render_mobile(rng, n, fmt=fmt, script=ctx.script)
        return idgen.render_mobile(rng, idgen.new_mobile(rng), script=ctx.script)
    if name == "anyphone":
        r = rng.random()
        if r < 0.5 or ctx.force_phone:
            return slot("phone", ctx)
        if r < 0.72:
            return idgen.render_tollfree(rng)
        if r < 0.93:
            return idgen.render_landline(rng)
        return idgen.render_foreign(rng)
    if name == "landline":
        return idgen.render_landline(rng)
    if name == "tollfree":
        return idgen.render_tollfree(rng)
    if name == "foreign":
        return idgen.render_foreign(rng) if rng.random() < 0.8 else slot("phone", ctx)
    if name in ("upi", "upinum"):
        if ctx.force_upi:
            return ctx.force_upi.pop(0)
        if name == "upinum":
            return idgen.render_upi(rng, mobile=idgen.new_mobile(rng))
        return idgen.render_upi(rng)
    if name == "url":
        return idgen.render_url(rng, "bank")
    if name == "ourl":
        return idgen.render_url(rng, "other")
    if name == "email":
        return idgen.render_email(rng, "bank" if ctx.category == "bank_fraud" else "other")
    if name in ("veh", "veh2"):
        return idgen.render_vehicle(rng)
    if name == "acct":
        return idgen.render_account(rng)
    if name == "amt" or name == "amt2":
        return idgen.amount(rng, ctx.script)
    if name == "samt":
        return idgen.small_amount(rng, ctx.script)
    if name == "fare":
        return idgen.fare(rng, ctx.script)
    simple = {
        "otp": idgen.otp,
        "last4": idgen.last4,
        "masked": idgen.masked,
        "mcard": idgen.masked_card,
        "utr": idgen.utr,
        "aadhaar": idgen.aadhaar,
        "fir": idgen.fir,
        "ack": idgen.ack,
        "pin": idgen.pincode,
        "helpline": idgen.helpline,
        "ifsc": idgen.ifsc,
        "imei": idgen.imei,
        "consumer": idgen.consumer_no,
        "order": idgen.order_id,
        "challan": idgen.challan,
        "pnr": idgen.pnr,
        "partial": idgen.partial_plate,
        "macct": idgen.masked_account,
        "smsid": idgen.sms_sender,
    }
    if name == "helpline" and ctx.category == "traffic":
        return Piece(rng.choice(["100", "112", "103"]), [], {"hard:helpline"})
    if name in simple:
        return simple[name](rng)
    if name == "date":
        return idgen.date(rng, ctx.script)
    if name == "time":
        return idgen.time_(rng, ctx.script, ctx.lang)
    if name == "n":
        return idgen.small_int(rng, 2, 12)
    if name == "age":
        return idgen.small_int(rng, 8, 80)
    if name == "oldage":
        return idgen.small_int(rng, 62, 88)
    if name == "kidage":
        return idgen.small_int(rng, 6, 17)
    if name == "bank":
        return Piece(_pick_lang(ctx, V.BANKS, hi=V.BANKS_DEVA, mr=V.BANKS_MR))
    if name == "card":
        return Piece(rng.choice(V.CARDS))
    if name == "app":
        return Piece(rng.choice(V.PAY_APPS))
    if name == "sapp":
        return Piece(rng.choice(V.SCREEN_APPS))
    if name == "place":
        return Piece(_pick_lang(ctx, V.PLACES, hi=V.PLACES_DEVA, mr=V.PLACES_DEVA, mix=0.2))
    if name == "road":
        return Piece(_pick_lang(ctx, V.ROADS, hi=V.ROADS_DEVA, mr=V.ROADS_DEVA, mix=0.4))
    if name == "landmark":
        return Piece(rng.choice(V.LANDMARKS))
    if name == "name":
        return Piece(_pick_lang(ctx, V.NAMES, hi=V.NAMES_DEVA, mr=V.NAMES_DEVA))
    if name == "rel":
        return Piece(
            _pick_lang(
                ctx,
                V.REL_EN,
                hi_latn=V.REL_HI_LATN,
                mr_latn=V.REL_MR_LATN,
                hi=V.REL_HI,
                mr=V.REL_MR,
            )
        )
    if name == "courier":
        return Piece(rng.choice(V.COURIERS))
    if name == "agency":
        return Piece(rng.choice(V.AGENCIES))
    if name == "company":
        return Piece(rng.choice(V.COMPANIES))
    if name == "loanapp":
        return Piece(rng.choice(V.LOAN_APPS))
    if name == "vehicle":
        return Piece(
            _pick_lang(
                ctx, V.VEHICLES_EN, hi_latn=V.VEHICLES_HI, hi=V.VEHICLES_DEVA, mr=V.VEHICLES_MR
            )
        )
    if name == "handle":
        return Piece(rng.choice(V.POLICE_HANDLES))
    raise KeyError(f"unknown slot {{{name}}}")


SLOT_RE = re.compile(r"\{(\w+)\}")
IDENT_SLOTS = {
    "phone",
    "phone2",
    "anyphone",
    "landline",
    "tollfree",
    "foreign",
    "upi",
    "upinum",
    "url",
    "ourl",
    "email",
    "veh",
    "veh2",
    "acct",
}


@dataclass
class Seg:
    text: str
    kind: str  # "lit" (noise allowed), "fixed" (kept as is), "id" (identifier piece)
    ids: list = field(default_factory=list)


def expand(template: str, ctx: Ctx, tags: set) -> list[Seg]:
    segs: list[Seg] = []
    pos = 0
    for m in SLOT_RE.finditer(template):
        if m.start() > pos:
            segs.append(Seg(template[pos : m.start()], "lit"))
        piece = slot(m.group(1), ctx)
        tags |= {t for t in piece.tags if not t.startswith("phone_fmt:")}
        segs.append(Seg(piece.text, "id" if piece.ids else "fixed", piece.ids))
        pos = m.end()
    if pos < len(template):
        segs.append(Seg(template[pos:], "lit"))
    return segs


# ---------------------------------------------------------------------------------------------
# noise on literal segments


def _typo(word: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(word) - 1)
    op = rng.choice(["swap", "drop", "double", "near"])
    if op == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if op == "drop":
        return word[:i] + word[i + 1 :]
    if op == "double":
        return word[:i] + word[i] + word[i:]
    c = word[i].lower()
    if c in QWERTY_NEIGHBOURS:
        return word[:i] + rng.choice(QWERTY_NEIGHBOURS[c]) + word[i + 1 :]
    return word


_SYN_RES = {
    script: [
        (
            re.compile(
                r"(?<![\w\u0900-\u097F])("
                + "|".join(re.escape(p) for p in sorted(group, key=len, reverse=True))
                + r")(?![\w\u0900-\u097F])"
            ),
            group,
        )
        for group in groups
    ]
    for script, groups in paraphrase.SYNONYMS.items()
}


def paraphrase_lits(segs: list[Seg], ctx: Ctx, tags: set) -> None:
    rng = ctx.rng
    if rng.random() > 0.6:
        return
    for s in segs:
        if s.kind != "lit":
            continue
        for rx, group in _SYN_RES[ctx.script]:
            if rng.random() < 0.5:
                s.text = rx.sub(
                    lambda m, g=group: rng.choice(g) if rng.random() < 0.7 else m.group(0), s.text
                )


CONTINUATION = re.compile(
    r"(?i)(then|also|and|but|after|within|so|this|that|he|she|they|it|one|baad|phir|fir|nantar|"
    r"ani|aur|par|pan|tab|usne|unhone|ye|he|ha|hi|फिर|और|पर|तब|नंतर|आणि|पण|हे|हा|ही|यह|वह|उन्होंने)\b"
)
SENT_SPLIT = re.compile(r"(?<=[.!?।])\s+(?=\S)")


def reorder(template: str, rng: random.Random, tags: set) -> str:
    """Sometimes put the last sentence first, or drop a sentence that names no identifier."""
    parts = SENT_SPLIT.split(template)
    if len(parts) < 2:
        return template
    r = rng.random()
    last = parts[-1]
    if r < 0.12 and len(last.split()) <= 8 and not CONTINUATION.match(last):
        parts = [last] + parts[:-1]
        tags.add("reordered")
    elif r < 0.22:
        droppable = [
            i
            for i, p in enumerate(parts)
            if i > 0 and len(p.split()) <= 6 and not (set(SLOT_RE.findall(p)) & IDENT_SLOTS)
        ]
        if droppable:
            del parts[rng.choice(droppable)]
            tags.add("shortened")
    return " ".join(parts)


def apply_noise(segs: list[Seg], ctx: Ctx, tags: set) -> None:
    rng = ctx.rng
    lits = [s for s in segs if s.kind == "lit"]
    if not lits:
        return
    paraphrase_lits(segs, ctx, tags)
    if ctx.script == "latn":
        if rng.random() < 0.45:
            changed = False
            for s in lits:
                for pat, repl in ABBREV:
                    if rng.random() < 0.6:
                        new = re.sub(pat, lambda _m, r=repl: rng.choice(r), s.text)
                        changed |= new != s.text
                        s.text = new
            if changed:
                tags.add("abbrev")
        if rng.random() < 0.3:
            n_typos = rng.choice([1, 1, 2, 3])
            for _ in range(n_typos):
                s = rng.choice(lits)
                words = [(m.start(), m.end()) for m in re.finditer(r"[A-Za-z]{5,}", s.text)]
                if words:
                    a, b = rng.choice(words)
                    s.text = s.text[:a] + _typo(s.text[a:b], rng) + s.text[b:]
                    tags.add("typo")
        if rng.random() < 0.15:
            # stretched words: pleaseee, sirrr, helppp
            s = rng.choice(lits)
            words = list(
                re.finditer(
                    r"\b(please|pls|plz|sir|help|urgent|fraud|fake|kya|yaar|bhai|sirji|hello)\b",
                    s.text,
                    flags=re.I,
                )
            )
            if words:
                w = rng.choice(words)
                s.text = s.text[: w.end()] + w.group()[-1] * rng.randint(2, 4) + s.text[w.end() :]
                tags.add("stretched")
        r = rng.random()
        if r < 0.06:
            for s in lits:
                s.text = s.text.upper()
            tags.add("caps")
        elif r < 0.26:
            for s in lits:
                s.text = s.text.lower()
            tags.add("lowercase")
        elif r < 0.3:
            # shouting a few words
            s = rng.choice(lits)
            words = list(re.finditer(r"[A-Za-z]{3,}", s.text))
            if words:
                w = rng.choice(words)
                s.text = s.text[: w.start()] + w.group().upper() + s.text[w.end() :]
                tags.add("caps")
    else:
        if rng.random() < 0.2:
            for s in lits:
                s.text = s.text.replace("।", rng.choice([".", "|", ""]))
        if rng.random() < 0.3:
            # Devanagari typing habits: nukta and chandrabindu dropped, alternative spellings
            changed = False
            for s in lits:
                for a, b in DEVA_VARIANTS:
                    if a in s.text and rng.random() < 0.6:
                        s.text = s.text.replace(a, b)
                        changed = True
            if changed:
                tags.add("spelling_variant")
    if rng.random() < 0.15:
        for s in lits:
            s.text = re.sub(r"[.,।](?=\s|$)", "", s.text)
        tags.add("nopunct")
    if rng.random() < 0.03:
        s = rng.choice(lits)
        s.text = s.text.replace(" ", "  ", 1)


def glue(segs: list[Seg], ctx: Ctx, tags: set) -> None:
    """Sometimes the space before a phone number is lost: 'from9876543210', 'no.9876543210', 'Mob:98765...'."""
    rng = ctx.rng
    for i in range(len(segs) - 1):
        s, nxt = segs[i], segs[i + 1]
        if (
            s.kind == "id"
            and s.ids
            and s.ids[0]["kind"] == "phone"
            and s.ids[0]["end"] == len(s.text)
            and nxt.kind == "lit"
            and re.match(r" [^\W\d_]", nxt.text)
            and rng.random() < 0.03
        ):
            nxt.text = nxt.text[1:]
            tags.add("glued")
    if ctx.script != "latn":
        return
    for i in range(1, len(segs)):
        s, prev = segs[i], segs[i - 1]
        if not (s.kind == "id" and s.ids and s.ids[0]["kind"] == "phone" and prev.kind == "lit"):
            continue
        if s.ids[0]["start"] != 0:
            continue
        if re.search(r"[@#]\w+\s$", prev.text):
            continue  # gluing onto a handle or hashtag would change what it is
        if s.text[0] in "+(" or s.text[0].isdigit():
            if re.search(r"[A-Za-z.:]\s$", prev.text) and rng.random() < 0.12:
                prev.text = prev.text[:-1]
                tags.add("glued")
            elif (
                s.text[0].isdigit() and re.search(r"[A-Za-z]\s$", prev.text) and rng.random() < 0.03
            ):
                prev.text = prev.text[:-1] + rng.choice([":", "-", ":-", "="])
                tags.add("glued")


# ---------------------------------------------------------------------------------------------


def _username(rng: random.Random) -> str:
    first = rng.choice(
        [
            "rahul",
            "amit",
            "priya",
            "sneha",
            "vik",
            "anju",
            "rohit",
            "pooja",
            "sunny",
            "kavi",
            "raj",
            "neha",
            "arjun",
            "meera",
            "ravi",
            "deepu",
            "aarti",
            "manoj",
            "swati",
            "nitin",
            "ganesh",
        ]
    )
    return (
        first
        + rng.choice(["_", "", "."]).replace(".", "_")
        + rng.choice(
            ["k", "sharma", "patil", "in", "official", "007", "mumbai", str(rng.randint(1, 999))]
        )
    )


def compose(cat: str, lang: str, template: str, ctx: Ctx) -> tuple[str, list[dict], list[str]]:
    rng = ctx.rng
    tags: set[str] = set()
    body = expand(reorder(template, rng, tags), ctx, tags)
    apply_noise(body, ctx, tags)
    glue(body, ctx, tags)

    before: list[Seg] = []
    after: list[Seg] = []
    # police handle mentions
    r = rng.random()
    handles = V.TRAFFIC_HANDLES if cat == "traffic" and rng.random() < 0.7 else V.POLICE_HANDLES
    if r < 0.36:
        k = rng.choice([1, 1, 1, 1, 2, 2, 3])
        hs = rng.sample(handles, k)
        before.append(Seg(" ".join(hs) + " ", "fixed"))
        tags.add("mention")
    elif r < 0.48:
        after.append(Seg(" " + " ".join(rng.sample(handles, rng.choice([1, 2]))), "fixed"))
        tags.add("mention")
    if rng.random() < 0.06:
        # a reply in a thread: the first mention is another user
        before.insert(0, Seg("@" + _username(rng) + " ", "fixed"))
        tags.add("reply")
    if rng.random() < 0.25:
        gl = "en" if lang != "en" and rng.random() < 0.2 else lang
        before.append(Seg(rng.choice(GREETINGS[gl]) + " ", "lit"))
    # neutral details (carry non-identifier numbers into every class)
    if rng.random() < 0.3:
        d = expand(" " + rng.choice(DETAILS[lang]), ctx, tags)
        after[0:0] = d
    if rng.random() < 0.12 and (cat != "other" or hard_tag(template) == "hard:other_scam"):
        d = expand(" " + rng.choice(CAT_DETAILS[cat][lang]), ctx, tags)
        after[0:0] = d
    if rng.random() < 0.35:
        # people mix languages: a Hinglish or Hindi complaint often ends in English
        cl = (
            "en"
            if lang != "en" and rng.random() < (0.25 if ctx.script == "latn" else 0.12)
            else lang
        )
        pool = CLOSERS[cl] + CAT_CLOSERS[cat][cl]
        after.append(Seg(" " + rng.choice(pool), "lit"))
    if rng.random() < 0.25:
        tags_ = rng.sample(V.HASHTAGS[cat] + V.HASHTAGS["generic"], rng.choice([1, 1, 2, 3]))
        after.append(Seg(" " + " ".join(tags_), "fixed"))
        tags.add("hashtag")
    if rng.random() < 0.3:
        e = rng.choice(V.EMOJI)
        if rng.random() < 0.7:
            after.append(Seg(" " + e if rng.random() < 0.7 else e, "fixed"))
        else:
            before.append(Seg(e + " ", "fixed"))
        tags.add("emoji")
    if rng.random() < 0.08:
        # an emoji in the middle, after a sentence end
        mids = [s for s in body if s.kind == "lit" and re.search(r"[.!?।] \S", s.text)]
        if mids:
            s = rng.choice(mids)
            m = rng.choice(list(re.finditer(r"[.!?।] (?=\S)", s.text)))
            s.text = s.text[: m.end() - 1] + " " + rng.choice(V.EMOJI) + " " + s.text[m.end() :]
            tags.add("emoji")
    segs = before + body + after
    # noise for greeting/closer too (cheap: they are lits)
    if rng.random() < 0.08 and ctx.script == "latn":
        for s in segs:
            if s.kind == "lit":
                s.text = s.text.lower()
    # multi-line tweets
    if rng.random() < 0.08:
        for s in segs:
            if s.kind == "lit" and ". " in s.text:
                s.text = s.text.replace(". ", ".\n", 1)
                tags.add("newline")
                break

    text = ""
    ids: list[dict] = []
    for s in segs:
        base = len(text)
        text += s.text
        for i in s.ids:
            j = dict(i)
            j["start"] += base
            j["end"] += base
            ids.append(j)
    # tidy whitespace at the ends without moving spans
    lead = len(text) - len(text.lstrip())
    text = text.strip()
    for j in ids:
        j["start"] -= lead
        j["end"] -= lead
        assert text[j["start"] : j["end"]] == j["text"], (text, j)
    ids.sort(key=lambda j: (j["start"], -j["end"]))
    n_words = len(text.split())
    if n_words > 60:
        tags.add("long")
    if any(j["kind"] == "phone" for j in ids):
        tags.add("has_phone")
    if cat == "other":
        hard = hard_tag(template)
        if hard:
            tags.add(hard)
        if any(j["kind"] == "vehicle" for j in ids):
            tags.add("hard:vehicle_in_other")
    if cat == "traffic" and ("{bank}" in template or "{company}" in template):
        tags.add("hard:bank_in_traffic")
    if cat != "other" and not ids:
        tags.add("no_identifier")
    return text, ids, sorted(tags)


SCAM_WORDS = (
    "job",
    "stock",
    "case against",
    "केस",
    "case aahe",
    "खोटा",
    "झूठा",
    "accident",
    "blackmail",
    "ब्लैकमेल",
    "task",
    "parcel",
    "digital arrest",
    "lottery",
    "kbc",
    "electricity",
    "bijli",
    "light bill",
    "olx",
    "army",
    "invest",
    "trading",
    "crypto",
    "loan app",
    "sextortion",
    "trai",
    "customs",
    "fake",
    "scam",
    "work from home",
    "gas agency",
    "rent",
    "courier",
    "नौकरी",
    "पार्सल",
    "बिजली",
    "लाईट",
    "लोन",
    "लॉटरी",
    "नोकरी",
    "arrested",
    "facebook",
    "offer",
    "fraud",
    "lucky draw",
    "betting",
    "threat",
    "sextortion",
    "kidnapping",
    "e-challan",
    "ई-चालान",
    "ई-चलन",
    "custody",
    "कोठडी",
    "हिरासत",
    "टास्क",
    "टेलीग्राम",
    "टेलिग्राम",
    "क्रिप्टो",
    "बनावट",
    "फर्जी",
    "नकली",
    "सेक्सटॉर्शन",
    "income tax",
    "lic policy",
    "matrimonial",
    "instagram",
    "इंस्टाग्राम",
    "bonus",
    "profile",
    "bijli",
    "dhamki",
    "डिजिटल अरेस्ट",
    "'digital arrest'",
    "misused",
    "using my photo",
    "धमकी",
    "धमकावले",
    "video viral",
)
BANK_WORDS = (
    "atm",
    "branch",
    "{bank}",
    "loan file",
    "cheque",
    "refunded",
    "recover",
    "wapas",
    "parat",
    "वापस",
    "परत",
    "{utr}",
    "ref no",
    "{acct}",
    "credit card bill",
    "एटीएम",
    "बैंक",
    "बँक",
    "bank",
)
THANKS_WORDS = (
    "thank",
    "grateful",
    "dhanyavad",
    "धन्यवाद",
    "recover",
    "refund ho gaye",
    "वापस आ गए",
    "परत मिळाले",
    "parat aale",
)


def hard_tag(template: str) -> str | None:
    """Which hard-negative family an `other` template belongs to (for slicing evaluations)."""
    low = template.lower()
    if any(w in low for w in THANKS_WORDS) and ("{amt}" in low or "fraud" in low):
        return "hard:bank_non_fraud"
    if any(w in low for w in SCAM_WORDS):
        return "hard:other_scam"
    if any(w in low for w in BANK_WORDS):
        return "hard:bank_non_fraud"
    return None


def _is_scam(template: str) -> bool:
    return hard_tag(template) == "hard:other_scam"


def generate_one(
    cat: str, lang: str, tid_template: tuple[str, str], rng: random.Random, **force
) -> dict:
    ctx = Ctx(lang=lang, category=cat, rng=rng, **force)
    text, ids, tags = compose(cat, lang, tid_template[1], ctx)
    return {
        "text": text,
        "lang": lang,
        "category": cat,
        "identifiers": ids,
        "tags": tags,
        "_template": tid_template[0],
    }


def split_templates(rng: random.Random) -> tuple[dict, dict, dict]:
    """Hold out a share of each (category, language) group's templates for the test split and
    another, disjoint share for the dev split; train gets the rest."""
    train_pool, dev_pool, test_pool = {}, {}, {}
    for key, items in sorted(TEMPLATES.items()):
        items = list(items)
        rng.shuffle(items)
        k = max(1, round(len(items) * TEST_TEMPLATE_FRACTION)) if len(items) >= 4 else 0
        test_pool[key] = items[:k] or items
        rest = items[k:] or items
        # no extra draw from rng here: the test split stays what it was before dev was held out
        d = max(1, round(len(items) * DEV_TEMPLATE_FRACTION)) if len(rest) >= 4 else 0
        dev_pool[key] = rest[:d] or rest
        train_pool[key] = rest[d:] or rest
    return train_pool, dev_pool, test_pool


def build(total: int = TOTAL, seed: int = SEED) -> dict[str, list[dict]]:
    rng = random.Random(seed)
    train_pool, dev_pool, test_pool = split_templates(rng)
    n_test = round(total * 0.15)
    n_dev = round(total * 0.15)
    n_train = total - n_test - n_dev
    seen: set[str] = set()
    out: dict[str, list[dict]] = {"train": [], "dev": [], "test": []}

    def draw(pool, n, bucket, use_grammars):
        made = 0
        attempts = 0
        while made < n:
            attempts += 1
            assert attempts < n * 50, "cannot make enough distinct texts"
            cat = rng.choices(CATEGORIES, CAT_WEIGHTS)[0]
            lang = rng.choices(LANGS, LANG_WEIGHTS)[0]
            gram = grammars.GRAMMARS.get((cat, lang)) if use_grammars else None
            if gram and rng.random() < GRAMMAR_SHARE:
                k = rng.randrange(len(gram))
                tpl = (f"{cat}/{lang}/g{k}", grammars.expand_grammar(gram[k], rng))
            else:
                tpl = rng.choice(pool[(cat, lang)])
            rec = generate_one(cat, lang, tpl, rng)
            if rec["text"] in seen or not MIN_WORDS <= len(rec["text"].split()) <= MAX_WORDS:
                continue
            seen.add(rec["text"])
            bucket.append(rec)
            made += 1

    # test first, from the same rng state as ever: held-out templates only, no grammars
    draw(test_pool, n_test, out["test"], False)
    draw(dev_pool, n_dev, out["dev"], False)
    draw(train_pool, n_train, out["train"], True)
    n = 0
    for split in ("train", "dev", "test"):
        rng.shuffle(out[split])
        for r in out[split]:
            n += 1
            r["id"] = f"c-{n:06d}"
    return out


VALUE_RE = {
    "phone": re.compile(r"\+[1-9]\d{6,14}"),
    "upi": re.compile(r"[a-z0-9._-]+@[a-z]+"),
    "url": re.compile(r"https?://[a-z0-9.-]+\.[a-z]{2,}(/\S*)?"),
    "email": re.compile(r"[a-z0-9._-]+@[a-z0-9.-]+\.[a-z]{2,}"),
    "vehicle": re.compile(r"([A-Z]{2}\d{1,2}[A-Z]{0,3}\d{4}|\d{2}BH\d{4}[A-Z]{1,2})"),
    "bank_account": re.compile(r"\d{9,18}"),
}


def validate(rec: dict) -> None:
    assert rec["category"] in CATEGORIES
    assert rec["lang"] in LANGS
    assert MIN_WORDS <= len(rec["text"].split()) <= MAX_WORDS, rec["text"]
    prev = (-1, 0)
    for j in rec["identifiers"]:
        assert rec["text"][j["start"] : j["end"]] == j["text"], rec
        assert j["kind"] in ("phone", "upi", "url", "email", "vehicle", "bank_account")
        assert VALUE_RE[j["kind"]].fullmatch(j["value"]), j
        assert j["text"] == j["text"].strip() and j["text"][-1] not in ".,;:!?)'\"", j
        assert (j["start"], -j["end"]) >= prev, rec
        prev = (j["start"], -j["end"])
        if j["kind"] == "phone":
            assert idgen._valid(j["value"]), j


def check_all(out: dict[str, list[dict]]) -> None:
    ids = [r["id"] for rs in out.values() for r in rs]
    texts = [r["text"] for rs in out.values() for r in rs]
    assert len(set(ids)) == len(ids), "duplicate ids"
    assert len(set(texts)) == len(texts), "duplicate texts"
    for rs in out.values():
        for r in rs:
            validate(r)


def write(out: dict[str, list[dict]], folder: Path = HERE) -> None:
    check_all(out)
    for split, recs in out.items():
        path = folder / f"{split}.jsonl"
        tmp = path.with_suffix(".jsonl.tmp")
        with tmp.open("w", encoding="utf-8") as fh:
            for r in recs:
                validate(r)
                row = {
                    "id": r["id"],
                    "text": r["text"],
                    "lang": r["lang"],
                    "category": r["category"],
                    "identifiers": [
                        {
                            "kind": j["kind"],
                            "value": j["value"],
                            "text": j["text"],
                            "start": j["start"],
                            "end": j["end"],
                        }
                        for j in r["identifiers"]
                    ],
                    "tags": r["tags"],
                }
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        tmp.replace(path)


def stats(out: dict[str, list[dict]]) -> str:
    lines = []
    allr = [r for rs in out.values() for r in rs]
    lines.append(f"total {len(allr)}: " + ", ".join(f"{k} {len(v)}" for k, v in out.items()))
    c = Counter((r["lang"], r["category"]) for r in allr)
    lines.append(
        "lang x category: " + json.dumps({f"{a}/{b}": n for (a, b), n in sorted(c.items())})
    )
    t = Counter(t for r in allr for t in r["tags"])
    lines.append("tags: " + json.dumps(dict(sorted(t.items()))))
    k = Counter(j["kind"] for r in allr for j in r["identifiers"])
    lines.append("identifiers: " + json.dumps(dict(k)))
    tc = Counter(key[0] for key in TEMPLATES for _ in TEMPLATES[key])
    lines.append("templates per category: " + json.dumps(dict(tc)))
    return "\n".join(lines)


def stats_markdown(out: dict[str, list[dict]]) -> str:
    allr = [r for rs in out.values() for r in rs]
    md = ["## Composition (written by build_corpus.py)", ""]
    md.append(f"{len(allr)} texts: " + ", ".join(f"{k} {len(v)}" for k, v in out.items()) + ".")
    md.append("")
    for title, recs in [
        ("all splits", allr),
        ("dev (held-out templates)", out["dev"]),
        ("test (held-out templates)", out["test"]),
    ]:
        c = Counter((r["lang"], r["category"]) for r in recs)
        md += [
            f"Language x category, {title}:",
            "",
            "| lang | " + " | ".join(CATEGORIES) + " | total |",
            "|---|" + "---:|" * (len(CATEGORIES) + 1),
        ]
        for lang in LANGS:
            row = [c[(lang, cat)] for cat in CATEGORIES]
            md.append(f"| {lang} | " + " | ".join(map(str, row)) + f" | {sum(row)} |")
        tot = [sum(c[(lang, cat)] for lang in LANGS) for cat in CATEGORIES]
        md.append("| total | " + " | ".join(map(str, tot)) + f" | {sum(tot)} |")
        md.append("")
    tc = Counter()
    md += [
        "Templates per category and language:",
        "",
        "| lang | " + " | ".join(CATEGORIES) + " |",
        "|---|" + "---:|" * len(CATEGORIES),
    ]
    for lang in LANGS:
        md.append(
            f"| {lang} | "
            + " | ".join(str(len(TEMPLATES[(cat, lang)])) for cat in CATEGORIES)
            + " |"
        )
        for cat in CATEGORIES:
            tc[cat] += len(TEMPLATES[(cat, lang)])
    md.append("| total | " + " | ".join(str(tc[cat]) for cat in CATEGORIES) + " |")
    md.append("")
    n_gram = sum(len(g) for g in grammars.GRAMMARS.values())
    combos = 0
    for gs in grammars.GRAMMARS.values():
        for g in gs:
            c = 1
            for part in g:
                c *= len(part)
            combos += c
    md.append(
        f"Plus {n_gram} phrase grammars over {len(grammars.GRAMMARS)} (category, language) pairs "
        f"({combos:,} distinct skeletons), used for about {int(GRAMMAR_SHARE * 100)}% of train texts "
        "of those pairs."
    )
    md.append("")
    md.append(
        f"Plus {sum(len(v) for v in DETAILS.values())} category-neutral and "
        f"{sum(len(x) for v in CAT_DETAILS.values() for x in v.values())} category-specific detail sentences, "
        f"{sum(len(v) for v in GREETINGS.values())} greetings and "
        f"{sum(len(v) for v in CLOSERS.values()) + sum(len(x) for v in CAT_CLOSERS.values() for x in v.values())}"
        " closers shared across categories."
    )
    md.append("")
    t = Counter(t for r in allr for t in r["tags"])
    tcat = defaultdict(Counter)
    for r in allr:
        for tag in r["tags"]:
            tcat[tag][r["category"]] += 1
    md += [
        "Tags (texts carrying each tag, by category):",
        "",
        "| tag | " + " | ".join(CATEGORIES) + " | total |",
        "|---|" + "---:|" * (len(CATEGORIES) + 1),
    ]
    for tag in sorted(t, key=lambda x: (not x.startswith("hard:"), x)):
        md.append(
            f"| `{tag}` | " + " | ".join(str(tcat[tag][c]) for c in CATEGORIES) + f" | {t[tag]} |"
        )
    md.append("")
    k = Counter((j["kind"], r["category"]) for r in allr for j in r["identifiers"])
    kinds = ["phone", "upi", "url", "email", "vehicle", "bank_account"]
    md += [
        "Gold identifiers by kind and category:",
        "",
        "| kind | " + " | ".join(CATEGORIES) + " | total |",
        "|---|" + "---:|" * (len(CATEGORIES) + 1),
    ]
    for kind in kinds:
        row = [k[(kind, c)] for c in CATEGORIES]
        md.append(f"| {kind} | " + " | ".join(map(str, row)) + f" | {sum(row)} |")
    zero = sum(1 for r in allr if not r["identifiers"])
    md += [
        "",
        f"Texts with no identifier: {zero}. Words per text: min "
        f"{min(len(r['text'].split()) for r in allr)}, median "
        f"{sorted(len(r['text'].split()) for r in allr)[len(allr) // 2]}, max "
        f"{max(len(r['text'].split()) for r in allr)}.",
    ]
    return "\n".join(md)


def update_readme(out: dict[str, list[dict]]) -> None:
    path = HERE / "README.md"
    text = path.read_text(encoding="utf-8")
    a, b = "<!-- stats:begin -->", "<!-- stats:end -->"
    if a in text and b in text:
        head, rest = text.split(a, 1)
        _, tail = rest.split(b, 1)
        path.write_text(head + a + "\n" + stats_markdown(out) + "\n" + b + tail, encoding="utf-8")


def main() -> None:
    out = build()
    write(out)
    update_readme(out)
    print(stats(out))


if __name__ == "__main__":
    main()
