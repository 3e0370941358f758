"""The X API v2 shape of the demo's tweets: authors, snowflake ids, times, entities, stream rules."""

from __future__ import annotations

import random
import re
from datetime import UTC, datetime, timedelta

SEED = 7_2026_0309
N_TWEETS = 300
START = datetime(2026, 3, 9, 0, 30, tzinfo=UTC)
SPAN_HOURS = 96
TWEPOCH_MS = 1288834974657
MAX_CHARS = 280  # a standard post; longer ones would arrive as note_tweet

X_LANG = {
    "en": ["en"],
    "hi-Latn": ["hi", "hi", "und", "en", "in"],
    "mr-Latn": ["mr", "hi", "und"],
    "hi": ["hi"],
    "mr": ["mr", "mr", "hi"],
}
RULES = [
    {"id": "1898412507713024001", "tag": "city-police-mentions"},
    {"id": "1898412507713024002", "tag": "cyber-fraud-keywords"},
    {"id": "1898412507713024003", "tag": "traffic-keywords"},
]

FIRST = [
    "Rahul",
    "Amit",
    "Priya",
    "Sneha",
    "Vikram",
    "Anjali",
    "Rohit",
    "Pooja",
    "Suresh",
    "Kavita",
    "Sanjay",
    "Neha",
    "Arjun",
    "Meera",
    "Ravi",
    "Sunita",
    "Deepak",
    "Aarti",
    "Manoj",
    "Swati",
    "Nitin",
    "Shweta",
    "Ganesh",
    "Prakash",
    "Vaishali",
    "Omkar",
    "Tejas",
    "Farhan",
    "Imran",
    "Ayesha",
    "Joseph",
    "Sandeep",
    "Harpreet",
    "Gurpreet",
    "Lakshmi",
    "Karthik",
    "Divya",
    "Abhishek",
    "Shruti",
    "Mahesh",
    "Rupali",
]
LAST = [
    "Sharma",
    "Patil",
    "Deshmukh",
    "Kulkarni",
    "Iyer",
    "Nair",
    "Singh",
    "Gupta",
    "Joshi",
    "Shaikh",
    "Khan",
    "Jadhav",
    "Pawar",
    "Mehta",
    "Shah",
    "Reddy",
    "Rao",
    "Verma",
    "Yadav",
    "Pillai",
    "D'Souza",
    "Kale",
]
WORDS = [
    "tweets",
    "speaks",
    "mumbaikar",
    "punekar",
    "official",
    "_in",
    "desi",
    "views",
    "real",
    "007",
    "_",
    "wanderer",
    "writes",
    "bhau",
    "dada",
]


def _tweet_time(rng: random.Random) -> datetime:
    """A time in the sample window, busier in the Indian daytime and evening than at night."""
    while True:
        ts = START + timedelta(milliseconds=rng.randint(0, SPAN_HOURS * 3600 * 1000))
        ist_hour = (ts.hour + 5 + (1 if ts.minute >= 30 else 0)) % 24
        weight = 1.0 if 8 <= ist_hour <= 23 else 0.25
        if rng.random() < weight:
            return ts


def snowflake(ts: datetime, rng: random.Random) -> str:
    ms = int(ts.timestamp() * 1000)
    return str(
        ((ms - TWEPOCH_MS) << 22)
        | (rng.randrange(32) << 17)
        | (rng.randrange(32) << 12)
        | rng.randrange(4096)
    )


def make_users(rng: random.Random, n: int) -> list[dict]:
    users, seen = [], set()
    while len(users) < n:
        f, last = rng.choice(FIRST), rng.choice(LAST)
        style = rng.random()
        if style < 0.4:
            uname = f"{f.lower()}{last.lower()[: rng.randint(1, len(last))]}{rng.randint(1, 9999)}"
        elif style < 0.7:
            uname = f"{f.lower()}_{rng.choice(WORDS)}"
        else:
            uname = f"{f[0].lower()}{last.lower()}{rng.randint(70, 99)}"
        uname = re.sub(r"[^a-z0-9_]", "", uname)[:15]
        if uname in seen:
            continue
        seen.add(uname)
        if rng.random() < 0.5:
            uid = str(rng.randint(10**7, 3 * 10**9))
        else:
            t = datetime(2012, 1, 1, tzinfo=UTC) + timedelta(days=rng.randint(0, 5000))
            uid = snowflake(t, rng)
        name = (
            f"{f} {last}"
            if rng.random() < 0.75
            else f"{f} {rng.choice(['🇮🇳', '', 'Official', last[0] + '.'])}".strip()
        )
        users.append({"id": uid, "name": name, "username": uname})
    return users


def entities(text: str) -> dict:
    ent: dict = {}
    mentions = [
        {"start": m.start(), "end": m.end(), "username": m.group(1)}
        for m in re.finditer(r"(?<![\w@])@(\w{1,15})", text)
    ]
    tags = [
        {"start": m.start(), "end": m.end(), "tag": m.group(1)}
        for m in re.finditer(r"(?<![\w#])#(\w+)", text)
    ]
    if mentions:
        ent["mentions"] = mentions
    if tags:
        ent["hashtags"] = tags
    return ent
