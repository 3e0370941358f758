"""The command line: help texts, the offline extract contract, errors, search and stats."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli_run import run_cli

COMMANDS = [
    "run",
    "ingest",
    "ingest replay",
    "process",
    "index",
    "extract",
    "lookup",
    "links",
    "search",
    "stats",
    "alerts",
    "dlq",
    "train",
    "eval",
    "demo",
]


def scamtrail(home: Path, *args: str, input: str | None = None, check: bool = True):
    env = {**os.environ, "SCAMTRAIL_HOME": str(home), "SCAMTRAIL_LOG_FORMAT": "text"}
    return run_cli(env, *args, input=input, check=check)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_explains_itself(home: Path, command: str):
    out = scamtrail(home, *command.split(), "--help")
    assert "Usage:" in out.stdout
    assert len(out.stdout.splitlines()) > 4


def test_extract_one_line_out_per_line_in_in_order(home: Path):
    tweet = {
        "data": {
            "id": "1852000000000000001",
            "text": "SBI KYC caller +91 98765 43210 asked OTP",
            "author_id": "7",
            "created_at": "2026-03-01T10:00:00.000Z",
        },
        "includes": {"users": [{"id": "7", "username": "asha", "name": "Asha"}]},
    }
    lines = [
        json.dumps({"id": "a", "text": "Car MH 02 AB 1234 parked on the footpath"}),
        json.dumps(tweet),
        "{not json",
        json.dumps({"id": "c", "text": ""}),
        json.dumps({"id": "d", "text": "pay to fraud@ybl or call 09876543210"}),
    ]
    out = scamtrail(home, "extract", input="\n".join(lines) + "\n").stdout.splitlines()
    assert len(out) == 5
    rows = [json.loads(x) for x in out]
    assert [r.get("id") for r in rows] == ["a", "x:1852000000000000001", None, "c", "d"]
    assert rows[2]["error"]["reason"] == "malformed_json"
    assert rows[1]["identifiers"][0]["value"] == "+919876543210"
    assert rows[1]["author"]["username"] == "asha"
    assert {(i["kind"], i["value"]) for i in rows[4]["identifiers"]} >= {
        ("upi", "fraud@ybl"),
        ("phone", "+919876543210"),
    }
    for r in (rows[0], rows[1], rows[3], rows[4]):
        assert r["category"] in {"bank_fraud", "traffic", "other"}
        assert set(r["scores"]) == {"bank_fraud", "traffic", "other"}
        assert r["schema"] == 1 and r["model"]


def test_extract_files(home: Path, tmp_path: Path):
    src, dst = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    src.write_text(
        "\n".join(json.dumps({"id": str(i), "text": f"call {9876543200 + i}"}) for i in range(40))
        + "\n"
    )
    scamtrail(home, "extract", "--input", str(src), "--output", str(dst))
    rows = [json.loads(x) for x in dst.read_text().splitlines()]
    assert [r["id"] for r in rows] == [str(i) for i in range(40)]
    assert [r["identifiers"][0]["value"] for r in rows] == [
        f"+91{9876543200 + i}" for i in range(40)
    ]


def test_lookup_rejects_values_that_are_no_identifier(home: Path):
    out = scamtrail(home, "lookup", "hello there", check=False)
    assert out.returncode == 2
    assert "VALUE" in out.stderr


def test_unknown_store_is_a_clear_error(home: Path):
    env_home = home
    out = subprocess.run(
        [sys.executable, "-m", "scamtrail.cli", "stats"],
        env={**os.environ, "SCAMTRAIL_HOME": str(env_home), "SCAMTRAIL_STORE": "mysql://db"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 1
    assert "scamtrail: error: unknown store URL" in out.stderr
    assert "Traceback" not in out.stderr


def test_search_and_stats_after_a_run(home: Path, tmp_path: Path):
    f = tmp_path / "in.jsonl"
    f.write_text(
        "\n".join(
            [
                json.dumps(
                    {
                        "id": "1",
                        "text": "Fake SBI officer asked my OTP, number 9876543210",
                        "created_at": "2026-01-10T00:00:00Z",
                    }
                ),
                json.dumps(
                    {
                        "id": "2",
                        "text": "Truck MH 12 AB 1234 parked on the road blocking traffic",
                        "created_at": "2026-02-10T00:00:00Z",
                    }
                ),
                json.dumps(
                    {
                        "id": "3",
                        "text": "again OTP call from 98765 43210 pretending to be bank",
                        "created_at": "2026-03-10T00:00:00Z",
                    }
                ),
            ]
        )
        + "\n"
    )
    scamtrail(home, "run", "--replay", str(f), "--no-progress")
    hits = json.loads(scamtrail(home, "search", "otp", "--json").stdout)
    assert [h["id"] for h in hits] == ["3", "1"]
    hits = json.loads(scamtrail(home, "search", "otp", "--since", "2026-02-01", "--json").stdout)
    assert [h["id"] for h in hits] == ["3"]
    unsure = json.loads(scamtrail(home, "search", "", "--needs-review", "--json").stdout)
    sure = json.loads(scamtrail(home, "search", "", "--sure", "--json").stdout)
    assert sorted(h["id"] for h in unsure + sure) == ["1", "2", "3"]
    assert {h["needs_review"] for h in unsure} <= {True}
    assert {h["needs_review"] for h in sure} <= {False}
    stats = json.loads(scamtrail(home, "stats", "--json").stdout)
    assert stats["complaints"] == 3
    assert stats["repeat_identifiers"] == 1
    alerts = json.loads(scamtrail(home, "alerts", "--json").stdout)
    assert [(a["identifier"]["value"], a["rule"], sorted(a["complaint_ids"])) for a in alerts] == [
        ("+919876543210", "repeat", ["1", "3"])
    ]
