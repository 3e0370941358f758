"""``scamtrail export`` and ``scamtrail import`` end to end, as separate processes."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from scamtrail.index.sqlite import SqliteStore

from scamtrail.api.keys import KeyStore
from tests.cli_run import run_cli
from tests.conftest import enriched

A = "+919876543210"


def scamtrail(home: Path, *args: str, agency: str = "mumbai", check: bool = True):
    env = {
        **os.environ,
        "SCAMTRAIL_HOME": str(home),
        "SCAMTRAIL_AGENCY": agency,
        "SCAMTRAIL_LOG_FORMAT": "text",
    }
    for var in ("SCAMTRAIL_BUS", "SCAMTRAIL_STORE", "SCAMTRAIL_CONFIG"):
        env.pop(var, None)
    return run_cli(env, *args, check=check)


def audit(home: Path) -> list[dict]:
    keys = KeyStore(home / "keys.db")
    try:
        return keys.audit_log(5)
    finally:
        keys.close()


@pytest.fixture
def homes(tmp_path: Path) -> tuple[Path, Path]:
    ours, theirs = tmp_path / "mumbai", tmp_path / "pune"
    with SqliteStore(ours / "store.db") as store:
        store.write(
            [
                enriched("x:1", "caller asked OTP", phones=(A,), author="asha"),
                enriched("x:2", "same caller", phones=(A,), upis=("kyc@ybl",), author="ravi"),
            ]
        )
    with SqliteStore(theirs / "store.db") as store:
        store.write([enriched("p:1", phones=(A,), author="meera")])
    return ours, theirs


@pytest.mark.parametrize("fmt", ["json", "csv", "stix", "misp"])
def test_export_then_import_in_another_department(homes, tmp_path, fmt):
    ours, theirs = homes
    feed = tmp_path / f"mumbai-feed.{fmt}"
    out = scamtrail(ours, "export", "--format", fmt, "--min-count", "1", "--output", str(feed))
    assert "exported 2 identifiers" in out.stderr and "agency mumbai" in out.stderr
    text = feed.read_text(encoding="utf-8")
    assert "mumbai" in text and "asha" not in text and "x:1" not in text
    assert not list(tmp_path.glob("*.partial"))

    first = scamtrail(theirs, "import", str(feed), "--agency", "Mumbai Cyber Cell", "--json")
    summary = json.loads(first.stdout)
    assert summary["format"] == fmt and summary["imported"] == 2 and summary["rejected"] == []
    assert summary["matched"] == 1 and summary["alerts"] == 1
    again = json.loads(
        scamtrail(theirs, "import", str(feed), "--agency", "Mumbai Cyber Cell", "--json").stdout
    )
    assert (again["imported"], again["unchanged"], again["alerts"]) == (0, 2, 0)

    with SqliteStore(theirs / "store.db") as store:
        assert store.lookup("phone", A).complaint_count == 1
        (entry,) = store.partner_entries([("phone", A)])[("phone", A)]
        assert (entry.agency, entry.complaint_count, entry.feed) == (
            "Mumbai Cyber Cell",
            2,
            feed.name,
        )
        assert [a.id for a in store.alerts() if a.rule == "partner_hit"] == [
            f"partner_hit:phone:{A}:Mumbai Cyber Cell"
        ]
    assert audit(ours)[0]["endpoint"] == "export"
    log = audit(theirs)
    assert [e["endpoint"] for e in log[:2]] == ["import", "import"]
    assert log[0]["values"] == ["agency=Mumbai Cyber Cell", f"feed={feed.name}"]


def test_import_reports_bad_rows_and_bad_files(homes, tmp_path):
    _, theirs = homes
    feed = tmp_path / "delhi.csv"
    feed.write_text("value,complaint_count\n98765 43210,3\nnot a number at all,2\n", "utf-8")
    out = scamtrail(theirs, "import", str(feed), "--agency", "delhi")
    assert "rejected line 3: not an identifier" in out.stderr
    assert "imported 1 new or changed entries" in out.stdout and "1 rejected of 2" in out.stdout
    junk = tmp_path / "junk.json"
    junk.write_text('{"hello": "world"}', "utf-8")
    bad = scamtrail(theirs, "import", str(junk), "--agency", "delhi", check=False)
    assert bad.returncode == 1 and "is not a scamtrail feed, a STIX 2.1 bundle" in bad.stderr
    binary = tmp_path / "feed.bin"
    binary.write_bytes(b"\xff\xfe\x00junk")
    bad = scamtrail(theirs, "import", str(binary), "--agency", "delhi", check=False)
    assert bad.returncode == 1 and "not UTF-8" in bad.stderr
    usage = scamtrail(theirs, "import", str(feed), "--agency", "  ", check=False)
    assert usage.returncode == 2
    usage = scamtrail(theirs, "export", "--format", "xml", check=False)
    assert usage.returncode == 2
    statuses = [(e["endpoint"], e["status"]) for e in audit(theirs)]
    assert ("import", 400) in statuses and ("import", 200) in statuses
