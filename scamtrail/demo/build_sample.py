"""Build the bundled demo sample: X API v2 filtered-stream payloads, one per line.

Deterministic (fixed seed, no network). Run from the repository root:

    .venv/bin/python scamtrail/demo/build_sample.py

Writes ``scamtrail/data/demo_tweets.jsonl`` (about 300 tweets in the filtered-stream shape:
``data`` + ``includes.users`` + ``matching_rules``) and ``scamtrail/data/demo_expected.json``:
every identifier named in two or more demo tweets, with the sorted ``x:<tweet id>`` complaint ids
that name it. The texts come from the same templates as the labelled corpus in
``extract/corpus``; a dozen fraud numbers, a few UPI IDs, a phishing URL and two vehicles are made to
recur across different tweets and authors, typed differently each time.
"""

from __future__ import annotations

import html
import json
import random
import re
import sys
from collections import defaultdict
from pathlib import Path

from scamtrail.demo.sample_tweets import (
    MAX_CHARS,
    N_TWEETS,
    RULES,
    SEED,
    X_LANG,
    _tweet_time,
    entities,
    make_users,
    snowflake,
)

HERE = Path(__file__).resolve().parent
DATA = HERE.parent / "data"
ROOT = HERE.parents[1]
CORPUS = ROOT / "extract" / "corpus"
if str(CORPUS) not in sys.path:
    sys.path.insert(0, str(CORPUS))

import build_corpus as BC  # noqa: E402
import idgen  # noqa: E402


def templates_with(
    cat: str, lang: str, slot_name: str, scam_only: bool = False
) -> list[tuple[str, str]]:
    out = []
    for tid, t in BC.TEMPLATES[(cat, lang)]:
        if "{" + slot_name + "}" not in t:
            continue
        if scam_only and not BC._is_scam(t):
            continue
        if slot_name == "upi" and (
            "{anyphone}" in t.split("{upi}")[0] or "{phone}" in t.split("{upi}")[0]
        ):
            # the forced UPI must be the first identifier slot of its kind; phones before it are fine
            pass
        out.append((tid, t))
    return out


def build() -> tuple[list[dict], dict]:
    # separate streams, so that editing templates changes texts but not the recurring values,
    # tweet ids, timestamps or the order of the sample
    rng = random.Random(SEED)  # recurring identifiers and their spellings
    rng_text = random.Random(SEED + 1)  # complaint texts
    rng_meta = random.Random(SEED + 2)  # users, times, ids, order
    rng_auth = random.Random(SEED + 3)  # which user wrote which tweet
    users = make_users(rng_meta, 170)

    # --- recurring identifiers -------------------------------------------------------------
    plans: list[dict] = []  # each: {"cat", "force": {...}, "tmpl_slot"}
    fmt_names = [f[0] for f in idgen.MOBILE_FORMATS]
    recurring_phones = []
    counts = [8, 6, 5, 5, 4, 4, 3, 3, 3, 2, 2, 2, 2]
    for i, k in enumerate(counts):
        n = idgen.new_mobile(rng)
        recurring_phones.append(n)
        visible = [f for f in fmt_names if f not in ("nbsp", "zwsp", "+91 nbsp", "plain")]
        fmts = rng.sample(visible, k - 2) + ["plain"]
        fmts.append(rng.choice(["nbsp", "zwsp"]) if k > 4 else rng.choice(visible[:8]))
        fmts = list(dict.fromkeys(fmts))
        while len(fmts) < k:
            f = rng.choice(visible)
            if f not in fmts:
                fmts.append(f)
        rng.shuffle(fmts)
        cat = "bank_fraud" if i < 10 else "other"
        for f in fmts:
            plans.append({"cat": cat, "slot": "phone", "force": {"force_phone": [(n, f)]}})
    # UPI IDs: two name-based, one phone-based (its digits are also a phone), one more name-based
    upi_specs = [
        ("sbi.refund.desk", "ybl", None, 5),
        ("kyc.update24", "okaxis", None, 4),
        (None, "paytm", idgen.new_mobile(rng), 3),
        ("cashback.help", "ibl", None, 2),
    ]
    for local, psp, mobile, k in upi_specs:
        spellings = []
        base = f"{mobile or local}@{psp}"
        variants = [
            base,
            base.upper(),
            base.capitalize(),
            base[0].upper() + base[1:],
            base.replace("@", "@").title(),
        ]
        seen = []
        for v in variants:
            if v not in seen:
                seen.append(v)
        while len(seen) < k:
            seen.append(base)
        spellings = seen[:k]
        for sp in spellings:
            ids = [{"kind": "upi", "value": base.lower(), "text": sp, "start": 0, "end": len(sp)}]
            if mobile:
                ids.append(
                    {
                        "kind": "phone",
                        "value": "+91" + mobile,
                        "text": mobile,
                        "start": 0,
                        "end": 10,
                    }
                )
            piece = idgen.Piece(sp, ids, {"upi"})
            plans.append({"cat": "bank_fraud", "slot": "upi", "force": {"force_upi": [piece]}})
    # a phishing URL and two repeat-offender vehicles
    url_variants = [
        "https://sbi-kyc-update.xyz/login",
        "hxxps://sbi-kyc-update[.]xyz/login",
        "HTTPS://SBI-KYC-UPDATE.XYZ/login",
        "https://sbi-kyc-update[.]xyz/login",
    ]
    url_values = ["https://sbi-kyc-update.xyz/login"] * len(url_variants)
    vehicle_variants = [
        [
            ("MH 02 DN 4417", "MH02DN4417"),
            ("MH02DN4417", "MH02DN4417"),
            ("mh-02-dn-4417", "MH02DN4417"),
            ("MH02 DN 4417", "MH02DN4417"),
        ],
        [
            ("MH 12 KT 9081", "MH12KT9081"),
            ("MH-12-KT-9081", "MH12KT9081"),
            ("mh12kt9081", "MH12KT9081"),
        ],
    ]
    extra_plans = []
    for t, v in zip(url_variants, url_values, strict=True):
        extra_plans.append(
            (
                "bank_fraud",
                "url",
                idgen.Piece(
                    t, [{"kind": "url", "value": v, "text": t, "start": 0, "end": len(t)}], {"url"}
                ),
            )
        )
    for group in vehicle_variants:
        for t, v in group:
            extra_plans.append(
                (
                    "traffic",
                    "veh",
                    idgen.Piece(
                        t,
                        [{"kind": "vehicle", "value": v, "text": t, "start": 0, "end": len(t)}],
                        {"vehicle"},
                    ),
                )
            )

    records: list[dict] = []
    for p in plans:
        cat = p["cat"]
        for _ in range(100):
            lang = rng_text.choices(BC.LANGS, BC.LANG_WEIGHTS)[0]
            pool = templates_with(cat, lang, p["slot"], scam_only=(cat == "other"))
            if pool:
                break
        for _ in range(50):
            tpl = rng_text.choice(pool)
            force = {k: [x for x in v] for k, v in p["force"].items()}
            rec = BC.generate_one(cat, lang, tpl, rng_text, **force)
            if len(rec["text"]) <= MAX_CHARS:
                break
        records.append(rec)
    for cat, slot_name, piece in extra_plans:
        for _ in range(100):
            lang = rng_text.choices(BC.LANGS, BC.LANG_WEIGHTS)[0]
            pool = templates_with(cat, lang, slot_name)
            if pool:
                break
        for _ in range(50):
            tpl = rng_text.choice(pool)
            rec = _generate_forced_slot(cat, lang, tpl, rng_text, slot_name, piece)
            if len(rec["text"]) <= MAX_CHARS:
                break
        records.append(rec)

    # --- fill up with ordinary complaints -------------------------------------------------
    n_planned = len(records)
    while len(records) < N_TWEETS:
        cat = rng_text.choices(BC.CATEGORIES, [0.34, 0.28, 0.38])[0]
        lang = rng_text.choices(BC.LANGS, BC.LANG_WEIGHTS)[0]
        tpl = rng_text.choice(BC.TEMPLATES[(cat, lang)])
        rec = BC.generate_one(cat, lang, tpl, rng_text)
        if len(rec["text"]) <= MAX_CHARS:
            records.append(rec)
    order = list(range(N_TWEETS))
    rng_meta.shuffle(order)
    records = [records[i] for i in order]
    assert n_planned < N_TWEETS

    # --- authors: a recurring identifier is reported by different people -------------------
    times = sorted(_tweet_time(rng_meta) for _ in records)
    stamps = [(ts, snowflake(ts, rng_meta)) for ts in times]
    lines, gold = [], []
    used_by_value: dict[tuple, set] = defaultdict(set)
    for rec, (ts, tid) in zip(records, stamps, strict=True):
        keys = {(j["kind"], j["value"]) for j in rec["identifiers"]}
        for _ in range(200):
            user = rng_auth.choice(users)
            if all(user["id"] not in used_by_value[k] for k in keys):
                break
        for k in keys:
            used_by_value[k].add(user["id"])
        text = rec["text"]
        reply_to = None
        if "reply" in rec["tags"] and lines:
            # a reply in a thread: point it at an earlier tweet and mention that tweet's author
            parent = lines[rng_meta.randrange(max(0, len(lines) - 40), len(lines))]
            parent_user = parent["includes"]["users"][0]
            m = re.match(r"@\w+ ", text)
            if m and parent_user["id"] != user["id"]:
                text = "@" + parent_user["username"] + " " + text[m.end() :]
                reply_to = parent
        text = html.escape(text, quote=False)
        data = {
            "id": tid,
            "text": text,
            "author_id": user["id"],
            "created_at": ts.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ts.microsecond // 1000:03d}Z",
            "lang": rng_auth.choice(X_LANG[rec["lang"]]),
            "edit_history_tweet_ids": [tid],
            "conversation_id": tid,
        }
        if reply_to is not None:
            data["conversation_id"] = reply_to["data"]["conversation_id"]
            data["in_reply_to_user_id"] = reply_to["data"]["author_id"]
            data["referenced_tweets"] = [{"type": "replied_to", "id": reply_to["data"]["id"]}]
        ent = entities(text)
        if ent:
            data["entities"] = ent
        rules = []
        if "mentions" in ent:
            rules.append(RULES[0])
        if rec["category"] == "traffic":
            rules.append(RULES[2])
        elif rec["category"] == "bank_fraud" or not rules:
            rules.append(RULES[1])
        lines.append({"data": data, "includes": {"users": [dict(user)]}, "matching_rules": rules})
        gold.append((tid, rec))

    # ids must increase with created_at
    ids = [int(line["data"]["id"]) for line in lines]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)

    by_value: dict[tuple, dict] = {}
    for tid, rec in gold:
        for j in rec["identifiers"]:
            key = (j["kind"], j["value"])
            entry = by_value.setdefault(
                key,
                {"kind": j["kind"], "value": j["value"], "complaint_ids": set(), "texts": set()},
            )
            entry["complaint_ids"].add(f"x:{tid}")
            entry["texts"].add(j["text"])
    recurring = []
    for entry in by_value.values():
        if len(entry["complaint_ids"]) >= 2:
            recurring.append(
                {
                    "kind": entry["kind"],
                    "value": entry["value"],
                    "count": len(entry["complaint_ids"]),
                    "complaint_ids": sorted(entry["complaint_ids"]),
                    "texts": sorted(entry["texts"]),
                }
            )
    recurring.sort(key=lambda e: (-e["count"], e["kind"], e["value"]))
    expected = {
        "description": "Identifiers named in two or more tweets of demo_tweets.jsonl. value is normalised "
        "(phones E.164, UPI/email lowercased, vehicles like MH02AB1234, URLs refanged); "
        "complaint_ids are 'x:<tweet id>', sorted; texts are the spellings used. "
        "categories gives the intended label of every demo tweet.",
        "tweets": len(lines),
        "identifiers": recurring,
        "categories": {f"x:{tid}": rec["category"] for tid, rec in gold},
    }
    return lines, expected


def _generate_forced_slot(cat, lang, tpl, rng, slot_name, piece):
    """Generate with one slot replaced by a fixed piece (URL or vehicle spellings)."""
    original = BC.slot
    state = {"done": False}

    def patched(name, ctx):
        if name == slot_name and not state["done"]:
            state["done"] = True
            return idgen.Piece(piece.text, [dict(i) for i in piece.ids], set(piece.tags))
        return original(name, ctx)

    BC.slot = patched
    try:
        return BC.generate_one(cat, lang, tpl, rng)
    finally:
        BC.slot = original


def main() -> None:
    lines, expected = build()
    out = DATA / "demo_tweets.jsonl"
    tmp = out.with_suffix(".jsonl.tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        for line in lines:
            fh.write(json.dumps(line, ensure_ascii=False) + "\n")
    tmp.replace(out)
    (DATA / "demo_expected.json").write_text(
        json.dumps(expected, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    print(f"{len(lines)} tweets; recurring identifiers:")
    for e in expected["identifiers"]:
        print(f"  {e['kind']:8} {e['value']:40} x{e['count']}  {e['texts']}")


if __name__ == "__main__":
    main()
