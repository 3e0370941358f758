"""End to end on the embedded default: replay -> process -> index -> lookup, bad input, crashes."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from scamtrail.extract.identifiers import normalise_query
from scamtrail.extract.pipeline import ComplaintExtractor
from scamtrail.index import open_store
from scamtrail.ingest.replay import ReplaySource

from scamtrail.bus import open_bus
from scamtrail.bus.base import Message
from scamtrail.demo import sample_path
from scamtrail.runtime.ingestor import Ingestor
from scamtrail.runtime.run import run_all
from scamtrail.runtime.stages import IndexStage, ProcessStage
from scamtrail.settings import load_settings
from tests.cli_run import run_cli

EXPECTED = Path(str(sample_path())).with_name("demo_expected.json")


@pytest.fixture(scope="module")
def extractor() -> ComplaintExtractor:
    return ComplaintExtractor()


def _run(
    home: Path, extractor: ComplaintExtractor, replay: Path
) -> tuple[Ingestor, ProcessStage, IndexStage]:
    s = load_settings(home=home)
    bus, store = open_bus(s), open_store(s)
    process = ProcessStage(bus, extractor, settings=s.stage)
    index = IndexStage(bus, store, settings=s.stage)
    ingestor = Ingestor(bus)
    run_all(process, index, source=ReplaySource(replay), ingestor=ingestor, until_drained=True)
    bus.close()
    store.close()
    return ingestor, process, index


def _scamtrail(home: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SCAMTRAIL_HOME": str(home), "SCAMTRAIL_LOG_FORMAT": "text"}
    return run_cli(env, *args, check=check)


def test_demo_sample_every_repeat_lookup_returns_exactly_its_complaints(home, extractor):
    _run(home, extractor, sample_path())
    expected = json.loads(EXPECTED.read_text())["identifiers"]
    assert expected, "the demo sample must carry repeat identifiers"
    with open_store(load_settings(home=home)) as store:
        for item in expected:
            for typed in item["texts"]:  # however the number was typed, the lookup finds it
                kind, value = normalise_query(typed)
                assert (kind, value) == (item["kind"], item["value"]), typed
            result = store.lookup(item["kind"], item["value"])
            assert sorted(c.id for c in result.complaints) == item["complaint_ids"], item["value"]
            assert result.complaint_count == item["count"]
        alert_ids = {a.id for a in store.alerts(1000)}
    for item in expected:
        if item["kind"] in ("phone", "upi"):
            assert f"repeat:{item['kind']}:{item['value']}:2" in alert_ids


def test_cli_run_replay_then_lookup_as_typed(home):
    done = _scamtrail(home, "run", "--replay", str(sample_path()), "--no-progress")
    assert "indexed 300 complaints" in done.stderr
    item = json.loads(EXPECTED.read_text())["identifiers"][0]
    for typed in item["texts"][:3]:
        out = json.loads(_scamtrail(home, "lookup", typed, "--json").stdout)
        assert out["identifier"] == {"kind": item["kind"], "value": item["value"]}
        assert out["complaint_count"] == item["count"]
        assert sorted(c["id"] for c in out["complaints"]) == item["complaint_ids"]
        assert {"id", "created_at", "category", "text", "author"} <= set(out["complaints"][0])
    unknown = json.loads(_scamtrail(home, "lookup", "+91 70000 00001", "--json").stdout)
    assert unknown["complaint_count"] == 0 and unknown["complaints"] == []
    stats = json.loads(_scamtrail(home, "stats", "--json").stdout)
    assert stats["complaints"] == 300
    assert sum(stats["by_category"].values()) == 300


def test_bad_input_goes_to_the_dlq_with_reasons_and_the_rest_is_indexed(home, extractor, tmp_path):
    good = [
        json.dumps({"id": f"g{i}", "text": f"caller from bank asked OTP, number 98765 4321{i}"})
        for i in range(5)
    ]
    f = tmp_path / "mixed.jsonl"
    f.write_bytes(
        b"\n".join(
            [
                good[0].encode(),
                b'{"id": "m1", "text": "unterminated',  # malformed JSON
                good[1].encode(),
                b'{"id": "m2", "created_at": "2026-01-01T00:00:00Z"}',  # missing text
                b'{"id": "m3", "text": "bad \xff\xfe bytes"}',  # invalid UTF-8
                good[2].encode(),
                json.dumps({"id": "m4", "text": "x" * 1_100_000}).encode(),  # over the size limit
                json.dumps({"schema": 7, "id": "m5", "text": "from the future"}).encode(),
                good[3].encode(),
                json.dumps({"id": "m6", "text": "\x00\x01\x02 binary junk \ufffd" * 10}).encode(),
                good[4].encode(),
            ]
        )
        + b"\n"
    )
    s = load_settings(home=home)
    with open_bus(s) as bus:  # a producer elsewhere puts junk straight onto the raw topic
        bus.publish(
            "raw",
            [
                Message.new("junk-1", b"\x00\x9f not json"),
                Message.new("junk-2", b'{"schema": 1, "id": "junk-2"}'),
            ],
        )
    ingestor, process, index = _run(home, extractor, f)
    assert ingestor.rejected == 5
    assert process.dead_lettered == 2
    with open_bus(s) as bus:
        dlq = bus.read("dlq", 0, 100)
    reasons = sorted((m.header("stage"), m.header("reason")) for m in dlq)
    assert reasons == sorted(
        [
            ("ingest", "malformed_json"),
            ("ingest", "missing_field"),
            ("ingest", "invalid_utf8"),
            ("ingest", "too_large"),
            ("ingest", "unknown_schema"),
            ("process", "invalid_utf8"),
            ("process", "missing_field"),
        ]
    )
    assert all(m.header("error") for m in dlq)
    with open_store(s) as store:
        ids = {h.id for h in store.search("", limit=100)}
    assert ids == {"g0", "g1", "g2", "g3", "g4", "m6"}  # binary junk is still a complaint text
    out = _scamtrail(home, "dlq", "--json")
    assert len(out.stdout.strip().splitlines()) == 7


def _synthetic(path: Path, n: int, repeat_number: str, every: int) -> int:
    rng = random.Random(7)
    planted = 0
    with path.open("w") as fh:
        for i in range(n):
            if i % every == 0:
                number, planted = repeat_number, planted + 1
            else:
                number = f"9{rng.randrange(10**8, 10**9)}"
            text = f"Caller claiming to be from SBI asked for my card PIN and OTP, call came from {number}"
            fh.write(
                json.dumps({"id": f"s{i}", "text": text, "created_at": "2026-02-01T10:00:00Z"})
                + "\n"
            )
    return planted


@pytest.mark.slow
def test_kill_9_mid_stream_then_restart_indexes_everything_exactly_once(home, tmp_path):
    f = tmp_path / "many.jsonl"
    total = 10_000  # large enough that a fast machine cannot finish between two polls
    planted = _synthetic(f, total, "9812345678", every=50)
    _scamtrail(home, "ingest", "replay", str(f), "--no-progress")
    env = {
        **os.environ,
        "SCAMTRAIL_HOME": str(home),
        "SCAMTRAIL_LOG_FORMAT": "text",
        "SCAMTRAIL_STAGE__BATCH_SIZE": "100",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "scamtrail.cli", "run"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    s = load_settings(home=home)
    deadline = time.monotonic() + 120
    indexed = 0
    while time.monotonic() < deadline and indexed < 800:
        time.sleep(0.05)
        if (home / "store.db").exists():
            with open_store(s) as store:
                indexed = store.stats().complaints
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    with open_store(s) as store:
        indexed = store.stats().complaints
    assert 0 < indexed < total, "the kill should land mid-stream"
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    _scamtrail(home, "run", "--replay", str(empty), "--no-progress")
    with open_store(s) as store:
        assert store.stats().complaints == total
        result = store.lookup("phone", "+919812345678", limit=1000)
        assert result.complaint_count == planted
        assert len({c.id for c in result.complaints}) == planted
        alerts = [a for a in store.alerts(100) if a.identifier.value == "+919812345678"]
    assert sorted(a.level for a in alerts) == [2, 5, 10]
    with open_bus(s) as bus:
        published = [m.key for m in bus.read("alerts", 0, 1000)]
    assert {a.id for a in alerts} <= set(published)
