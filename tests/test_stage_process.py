"""The index stage in a child process: drained runs, signals, and a parent or child killed."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from scamtrail.extract.pipeline import ComplaintExtractor
from scamtrail.index import open_store
from scamtrail.ingest.replay import ReplaySource

from scamtrail.bus import open_bus
from scamtrail.runtime.child import StageProcess, StageProcessError
from scamtrail.runtime.ingestor import Ingestor
from scamtrail.runtime.run import run_all
from scamtrail.runtime.stages import ProcessStage
from scamtrail.settings import load_settings

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/task").exists(), reason="finds child processes through /proc"
)


def _feed(path: Path, n: int) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            text = f"Caller claiming to be SBI asked my OTP, ref {i}, call {9812345000 + i % 7}"
            fh.write(json.dumps({"id": f"c{i}", "text": text}) + "\n")
    return path


def _stage_children(pid: int) -> list[int]:
    """Child processes of ``pid`` that run a spawned stage (not multiprocessing's tracker)."""
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            try:
                cmdline = Path(f"/proc/{child}/cmdline").read_bytes()
            except FileNotFoundError:
                continue
            if b"spawn_main" in cmdline:
                found.append(int(child))
    return found


def _gone(pid: int, timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
        except FileNotFoundError:
            return True
        if state == "Z":
            return True  # exited; its parent has not reaped it (it may be gone itself)
        time.sleep(0.1)
    return False


def test_run_all_beside_a_child_index_stage_drains_everything(tmp_path):
    s = load_settings(home=tmp_path / "home")
    feed = _feed(tmp_path / "feed.jsonl", 120)
    with open_bus(s) as bus, open_store(s) as store:
        process = ProcessStage(bus, ComplaintExtractor(), settings=s.stage)
        index = StageProcess(s).start()
        run_all(
            process, index, source=ReplaySource(feed), ingestor=Ingestor(bus), until_drained=True
        )
        assert store.stats().complaints == 120
        assert index.summary["handled"] == 120
        assert index.summary["alerts_published"] > 0
        assert not index.is_alive()
        assert store.lookup("phone", "+919812345000").complaint_count > 1


@pytest.fixture
def run_proc(tmp_path: Path) -> Iterator[subprocess.Popen[bytes]]:
    """A live `scamtrail run` (no replay), with its stage child started."""
    env = {**os.environ, "SCAMTRAIL_HOME": str(tmp_path / "home"), "SCAMTRAIL_LOG_FORMAT": "text"}
    for var in ("SCAMTRAIL_BUS", "SCAMTRAIL_STORE", "SCAMTRAIL_CONFIG", "SCAMTRAIL_METRICS_PORT"):
        env.pop(var, None)
    with (tmp_path / "run.stderr").open("wb") as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "scamtrail.cli", "run"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=err,
        )
    try:
        deadline = time.monotonic() + 60
        while not _stage_children(proc.pid) and time.monotonic() < deadline:
            assert proc.poll() is None, (tmp_path / "run.stderr").read_text()
            time.sleep(0.1)
        time.sleep(3)  # both stages up and polling
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_stops_run_and_its_child_cleanly(run_proc, signum):
    (child,) = _stage_children(run_proc.pid)
    run_proc.send_signal(signum)
    assert run_proc.wait(60) == 0
    assert _gone(child, 10)


@pytest.mark.slow
def test_the_child_ends_when_run_is_killed(run_proc):
    (child,) = _stage_children(run_proc.pid)
    run_proc.kill()
    run_proc.wait()
    assert _gone(child, 30), "the index stage outlived the killed parent"


@pytest.mark.slow
def test_a_killed_child_fails_run(run_proc, tmp_path):
    (child,) = _stage_children(run_proc.pid)
    os.kill(child, signal.SIGKILL)
    assert run_proc.wait(60) == 1
    assert "the index stage failed" in (tmp_path / "run.stderr").read_text()


def test_a_child_that_cannot_start_its_stage_raises_in_the_parent(tmp_path):
    s = load_settings(home=tmp_path / "home")
    index = StageProcess(s, _broken_stage).start()
    with pytest.raises(StageProcessError, match="RuntimeError: no store today"):
        index.wait()


def _broken_stage(bus, store, settings, stop):  # type: ignore[no-untyped-def]
    raise RuntimeError("no store today")
