"""The pipeline at scale: real Kafka and a real search engine, separate processes, kill -9.

Each test gets its own topic prefix, consumer groups and index prefix, so tests never see each
other's data. The stages run as the same ``scamtrail`` commands an operator runs.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from scamtrail.index import open_store

from scamtrail.demo import sample_path
from scamtrail.settings import load_settings
from tests.cli_run import run_cli
from tests.test_pipeline import _synthetic

EXPECTED = Path(str(sample_path())).with_name("demo_expected.json")


@pytest.fixture
def env_for(tmp_path: Path):
    """Environment for scamtrail subprocesses with a unique topic and index prefix."""
    tag = uuid.uuid4().hex[:8]

    def make(bus: str | None = None, store: str | None = None) -> dict[str, str]:
        env = {
            **os.environ,
            "SCAMTRAIL_HOME": str(tmp_path / "home"),
            "SCAMTRAIL_LOG_FORMAT": "text",
            "SCAMTRAIL_TOPIC_PREFIX": f"t{tag}.",
            "SCAMTRAIL_INDEX_PREFIX": f"t{tag}-",
            "SCAMTRAIL_STAGE__BATCH_SIZE": "100",
        }
        env.pop("SCAMTRAIL_BUS", None)
        env.pop("SCAMTRAIL_STORE", None)
        if bus:
            env["SCAMTRAIL_BUS"] = bus
        if store:
            env["SCAMTRAIL_STORE"] = store
        return env

    return make


def cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli(env, *args, timeout=600)


def start(env: dict[str, str], *args: str) -> subprocess.Popen[bytes]:
    """Start a stage; its log goes to <home>/<stage>-<pid>.log, shown when a test fails."""
    log = Path(env["SCAMTRAIL_HOME"]) / f"{args[0]}-{uuid.uuid4().hex[:4]}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as fh:
        return subprocess.Popen(
            [sys.executable, "-m", "scamtrail.cli", *args],
            env=env,
            stdout=fh,
            stderr=subprocess.STDOUT,
        )


def logs(env: dict[str, str]) -> str:
    """The tail of every stage log of this test."""
    return "\n".join(
        f"--- {p.name}\n{p.read_text(errors='replace')[-3000:]}"
        for p in sorted(Path(env["SCAMTRAIL_HOME"]).glob("*.log"))
    )


@pytest.fixture
def procs() -> Iterator[list[subprocess.Popen[bytes]]]:
    running: list[subprocess.Popen[bytes]] = []
    yield running
    for p in running:
        if p.poll() is None:
            p.kill()
        p.wait()


def _settings(env: dict[str, str]):  # type: ignore[no-untyped-def]
    return load_settings(
        home=Path(env["SCAMTRAIL_HOME"]),
        bus=env.get("SCAMTRAIL_BUS"),
        store=env.get("SCAMTRAIL_STORE"),
        index_prefix=env["SCAMTRAIL_INDEX_PREFIX"],
        topic_prefix=env["SCAMTRAIL_TOPIC_PREFIX"],
    )


def _wait_for(env: dict[str, str], count: int, timeout_s: float = 240, poll_s: float = 0.5) -> int:
    deadline = time.monotonic() + timeout_s
    seen = -1
    with open_store(_settings(env)) as store:
        while time.monotonic() < deadline:
            seen = store.stats().complaints
            if seen >= count:
                return seen
            time.sleep(poll_s)
    return seen


@pytest.mark.kafka
def test_demo_on_kafka_and_search_engine_matches_every_repeat(env_for, kafka_url, search_url):
    env = env_for(kafka_url, search_url)
    done = cli(env, "run", "--replay", str(sample_path()), "--no-progress")
    assert "indexed 300 complaints" in done.stderr
    for item in json.loads(EXPECTED.read_text())["identifiers"]:
        out = json.loads(cli(env, "lookup", item["texts"][0], "--json").stdout)
        assert sorted(c["id"] for c in out["complaints"]) == item["complaint_ids"], item["value"]
    alerts = json.loads(cli(env, "alerts", "--json").stdout)
    assert {a["identifier"]["value"] for a in alerts} >= {
        i["value"]
        for i in json.loads(EXPECTED.read_text())["identifiers"]
        if i["kind"] in ("phone", "upi")
    }


@pytest.mark.kafka
@pytest.mark.slow
def test_two_process_workers_and_kill_9_mid_stream_on_kafka(env_for, kafka_url, tmp_path, procs):
    env = env_for(kafka_url)
    feed = tmp_path / "feed.jsonl"
    # Large enough that the pipeline cannot finish between two polls on a fast machine: the
    # kill must land with most of the stream still to go.
    total = 20_000
    planted = _synthetic(feed, total, "9812345678", every=40)
    cli(env, "ingest", "replay", str(feed), "--no-progress")
    workers = [start(env, "process"), start(env, "process")]
    indexer = start(env, "index")
    procs.extend([*workers, indexer])
    _wait_for(env, 600, poll_s=0.05)
    for p in (workers[0], indexer):  # kill -9 one process worker and the index worker
        os.kill(p.pid, signal.SIGKILL)
        p.wait()
    with open_store(_settings(env)) as store:
        indexed = store.stats().complaints  # what the killed index worker had committed
    assert 0 < indexed < total, "the kill should land mid-stream\n" + logs(env)
    procs.append(start(env, "index"))
    assert _wait_for(env, total) == total, logs(env)
    time.sleep(2)  # anything redelivered late would land now
    with open_store(_settings(env)) as store:
        assert store.stats().complaints == total
        result = store.lookup("phone", "+919812345678", limit=1000)
        assert result.complaint_count == planted
        assert len({c.id for c in result.complaints}) == planted
    for p in procs:
        p.send_signal(signal.SIGTERM)
    for p in procs:
        if p.poll() is None:
            assert p.wait(timeout=60) == 0, "SIGTERM should finish the batch, commit and exit 0"
