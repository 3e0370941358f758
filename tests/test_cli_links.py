"""``scamtrail links`` and the ring in ``scamtrail lookup`` (text and --json), on a real store."""

from __future__ import annotations

import json
import os
from pathlib import Path

from scamtrail.index.links import ring_id
from scamtrail.index.sqlite import SqliteStore

from tests.cli_run import run_cli
from tests.conftest import enriched

A, B = "+919876543210", "+918765432109"
U = "9876543210@ybl"


def scamtrail(home: Path, *args: str, check: bool = True):
    env = {**os.environ, "SCAMTRAIL_HOME": str(home), "SCAMTRAIL_LOG_FORMAT": "text"}
    return run_cli(env, *args, check=check)


def _seed(home: Path) -> None:
    home.mkdir(parents=True, exist_ok=True)
    with SqliteStore(home / "store.db") as store:
        store.write(
            [
                enriched("x:1", phones=(A,), upis=(U,), created_at="2026-03-01T10:00:00Z"),
                enriched("x:2", phones=(A, B), created_at="2026-03-02T10:00:00Z"),
                enriched("x:3", phones=(B,), upis=(U,), created_at="2026-03-03T10:00:00Z"),
                enriched("x:4", upis=("lonely@ybl",)),
            ]
        )


def test_links_json_lists_linked_identifiers_and_the_ring(home: Path):
    _seed(home)
    out = json.loads(scamtrail(home, "links", "98765 43210", "--json").stdout)
    assert out["identifier"] == {"kind": "phone", "value": A}
    assert out["count"] == 2
    assert [(lk["identifier"]["value"], lk["complaints"]) for lk in out["links"]] == [
        (B, 1),
        (U, 1),
    ]
    members = [("phone", B), ("phone", A), ("upi", U)]
    assert out["ring"]["id"] == ring_id(members)
    assert out["ring"]["size"] == 3 and out["ring"]["complaint_count"] == 3
    assert out["ring"]["first_seen"].startswith("2026-03-01T10:00:00")


def test_links_text_and_an_identifier_without_links(home: Path):
    _seed(home)
    text = scamtrail(home, "links", U).stdout
    assert f"upi {U}: linked to 2 identifiers" in text
    assert f"  phone {A}  1 complaints" in text
    assert "ring ring:" in text and "3 identifiers, 3 complaints" in text
    alone = scamtrail(home, "links", "lonely@ybl").stdout
    assert "not named beside any other identifier" in alone
    assert json.loads(scamtrail(home, "links", "lonely@ybl", "--json").stdout)["ring"] is None
    bad = scamtrail(home, "links", "hello there", check=False)
    assert bad.returncode == 2 and "VALUE" in bad.stderr


def test_lookup_shows_the_ring(home: Path):
    _seed(home)
    out = json.loads(scamtrail(home, "lookup", A, "--json").stdout)
    assert out["ring"]["id"] == ring_id([("phone", A), ("phone", B), ("upi", U)])
    assert {m["value"] for m in out["ring"]["members"]} == {A, B, U}
    text = scamtrail(home, "lookup", A).stdout
    assert f"ring {out['ring']['id']}: 3 identifiers" in text
    assert f"  upi {U}" in text
    assert json.loads(scamtrail(home, "lookup", "lonely@ybl", "--json").stdout)["ring"] is None
