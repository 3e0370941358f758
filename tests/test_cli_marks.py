"""``scamtrail mark`` and the risk ``scamtrail lookup`` shows, through the real command line."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from tests.test_cli import scamtrail

NUMBER = "+919876543210"
OTHER = "+918765432109"


def _replay(home: Path, tmp_path: Path, name: str, rows: list[tuple[str, str]]) -> None:
    f = tmp_path / name
    now = datetime.now(UTC).isoformat()
    f.write_text(
        "".join(json.dumps({"id": i, "text": t, "created_at": now}) + "\n" for i, t in rows)
    )
    scamtrail(home, "run", "--replay", str(f), "--no-progress")


def test_mark_suppresses_alerts_lowers_risk_and_is_audited(home: Path, tmp_path: Path):
    # Marked before any complaint names it: the complaints are stored, but raise no alert.
    out = scamtrail(
        home, "mark", "87654 32109", "--false-positive", "--reason", "bank IVR", "--by", "asha"
    )
    assert f"phone {OTHER}: marked false positive by asha" in out.stdout
    _replay(
        home,
        tmp_path,
        "in.jsonl",
        [
            ("1", "Fake SBI officer asked my OTP from 98765 43210, IVR said 87654 32109"),
            ("2", "OTP fraud call again from +91 98765 43210 and 8765432109"),
        ],
    )
    alerts = json.loads(scamtrail(home, "alerts", "--json").stdout)
    assert {a["identifier"]["value"] for a in alerts} == {NUMBER}

    hot = json.loads(scamtrail(home, "lookup", "98765 43210", "--json").stdout)
    assert hot["complaint_count"] == 2 and hot["mark"] is None
    assert hot["complainants"] == 0  # plain records name no author
    assert hot["risk"]["score"] > 5 and {f["name"] for f in hot["risk"]["factors"]} >= {
        "complaints",
        "category",
    }
    assert hot["complaints"][1]["prior_matches"] == [
        {"kind": "phone", "value": NUMBER, "prior_count": 1},
        {"kind": "phone", "value": OTHER, "prior_count": 1},
    ]

    cold = json.loads(scamtrail(home, "lookup", "8765432109", "--json").stdout)
    assert cold["complaint_count"] == 2
    assert cold["mark"]["reason"] == "bank IVR" and cold["mark"]["marked_by"] == "asha"
    assert cold["risk"]["tier"] == "low" and cold["risk"]["score"] <= 5
    assert cold["risk"]["factors"][-1]["name"] == "false_positive"
    text = scamtrail(home, "lookup", "8765432109").stdout
    assert "marked false_positive by asha" in text and "risk " in text

    assert "verdict removed" in scamtrail(home, "mark", OTHER, "--clear").stdout
    assert "had no verdict" in scamtrail(home, "mark", OTHER, "--clear").stdout
    assert json.loads(scamtrail(home, "lookup", OTHER, "--json").stdout)["mark"] is None

    audit = json.loads(scamtrail(home, "audit", "--json").stdout)
    marks = [e for e in audit if e["endpoint"] == "mark"]
    assert len(marks) == 3
    assert all(e["agency"] == "cli" and e["role"] == "admin" for e in marks)
    assert [e["status"] for e in marks] == [404, 200, 200]  # newest first
    assert f"phone:{OTHER}" in marks[-1]["values"] and "by=asha" in marks[-1]["values"]


def test_mark_usage_errors(home: Path):
    both = scamtrail(home, "mark", NUMBER, "--false-positive", "--clear", check=False)
    assert both.returncode == 2
    no_reason = scamtrail(home, "mark", NUMBER, "--false-positive", check=False)
    assert no_reason.returncode == 2 and "--reason" in no_reason.stderr
    nonsense = scamtrail(home, "mark", "hello", "--clear", check=False)
    assert nonsense.returncode == 2


def test_allowlisted_number_has_zero_risk_naming_its_owner(home: Path):
    looked = json.loads(scamtrail(home, "lookup", "1800 1234", "--json").stdout)
    assert looked["risk"]["score"] == 0 and looked["risk"]["tier"] == "low"
    assert "State Bank of India" in looked["risk"]["factors"][-1]["detail"]
