"""/metrics, /healthz and /readyz: in-process against real buses and stores, and in real
``scamtrail process`` / ``scamtrail run`` processes started with SCAMTRAIL_METRICS_PORT."""

from __future__ import annotations

import gc
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from scamtrail.bus.base import Message
from scamtrail.bus.embedded import EmbeddedBus
from scamtrail.bus.kafka import KafkaBus
from scamtrail.errors import BusError
from scamtrail.runtime.consumer import GC_YOUNG_THRESHOLD, ConsumerStage
from scamtrail.runtime.health import HealthServer, Heartbeat, serve_health
from scamtrail.settings import StageSettings
from tests.x_api_standin import wait_until

FAMILIES = (
    "scamtrail_consumer_lag",
    "scamtrail_stage_last_batch_timestamp_seconds",
    "scamtrail_end_to_end_seconds",
    "scamtrail_complaints_indexed_total",
    "scamtrail_stream_connected",
    "scamtrail_dead_letters_total",
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def closed_port() -> int:
    return free_port()  # nothing listens there once the probe socket is closed


def get(port: int, path: str, timeout: float = 10.0) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=timeout) as resp:
            return resp.status, resp.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def get_json(port: int, path: str) -> tuple[int, dict]:
    status, body = get(port, path)
    return status, json.loads(body)


# -- in process -------------------------------------------------------------------------------
def test_ready_when_bus_and_store_answer_on_every_backend(bus_factory, store_factory):
    bus, store = bus_factory(), store_factory()
    beat = Heartbeat("index")
    with serve_health(0, [beat], {"bus": bus.health, "store": store.health}) as server:
        assert server is not None
        status, body = get_json(server.port, "/readyz")
        assert (status, body["checks"]) == (200, {"bus": "ok", "store": "ok"}), body
        status, body = get_json(server.port, "/healthz")
        assert status == 200 and body["loops"]["index"]["status"] == "ok"
        status, text = get(server.port, "/metrics")
        assert status == 200 and "# TYPE scamtrail_consumer_lag gauge" in text


def test_readyz_names_an_embedded_bus_whose_file_went_away(tmp_path):
    bus = EmbeddedBus(tmp_path / "bus.db")
    with bus, serve_health(0, [], {"bus": bus.health}, cache_s=0) as server:
        assert get_json(server.port, "/readyz")[0] == 200
        (tmp_path / "bus.db").rename(tmp_path / "elsewhere.db")
        status, body = get_json(server.port, "/readyz")
        assert status == 503 and body["checks"] == {"bus": "down"}
        assert "bus.db is gone" in body["down"]["bus"]


def test_readyz_names_a_kafka_bus_nobody_answers_and_answers_fast():
    bus = KafkaBus([f"127.0.0.1:{closed_port()}"])
    with bus, serve_health(0, [], {"bus": bus.health}) as server:
        started = time.monotonic()
        status, body = get_json(server.port, "/readyz")
        assert time.monotonic() - started < 5
        assert status == 503 and "no bootstrap server reachable" in body["down"]["bus"]


def test_checks_are_cached_and_a_hanging_check_does_not_hang_the_probe():
    calls: list[float] = []
    release = threading.Event()

    def counted() -> None:
        calls.append(time.monotonic())

    def hangs() -> None:
        release.wait(30)

    server = HealthServer(0, [], {"fast": counted}, cache_s=60).start()
    try:
        for _ in range(5):
            assert get_json(server.port, "/readyz")[0] == 200
        assert len(calls) == 1  # four answers came from the cache
    finally:
        server.stop()
    server = HealthServer(0, [], {"slow": hangs}, cache_s=0, check_timeout_s=0.3).start()
    try:
        started = time.monotonic()
        for _ in range(3):
            status, body = get_json(server.port, "/readyz")
            assert status == 503 and "no answer within 0.3s" in body["down"]["slow"]
        assert time.monotonic() - started < 3  # one hung check, not one per probe
        hung = [t for t in threading.enumerate() if t.name == "readyz-slow"]
        assert len(hung) == 1
    finally:
        release.set()
        server.stop()


def test_healthz_fails_for_a_dead_loop_and_a_stuck_one_but_not_a_finished_one():
    dead, stuck, finished, idle = (
        Heartbeat("dead"),
        Heartbeat("stuck", stuck_after_s=0.2),
        Heartbeat("finished"),
        Heartbeat("idle-source", stuck_after_s=None),
    )

    def crash() -> None:
        dead.running()
        dead.beat()  # then the thread ends without finished()

    def complete() -> None:
        finished.running()
        finished.finished()

    for target in (crash, complete):
        t = threading.Thread(target=target)
        t.start()
        t.join()
    stuck.running()
    with serve_health(0, [finished, idle]) as server:
        time.sleep(0.3)
        assert get_json(server.port, "/healthz")[0] == 200
        server.add_heartbeat(stuck)
        status, body = get_json(server.port, "/healthz")
        assert status == 503 and body["loops"]["stuck"]["problem"].startswith("stuck")
        stuck.beat()
        assert get_json(server.port, "/healthz")[0] == 200
        server.add_heartbeat(dead)
        status, body = get_json(server.port, "/healthz")
        assert status == 503 and body["loops"]["dead"]["problem"].startswith("dead")
        assert body["loops"]["finished"]["status"] == "finished"
        assert body["loops"]["idle-source"]["status"] == "ok"


# -- real processes ---------------------------------------------------------------------------
def start(args: list[str], home: Path, port: int, **env: str) -> subprocess.Popen:
    """``scamtrail ARGS`` in a subprocess; its stderr goes to ``<home>.stderr``."""
    environ = {
        **os.environ,
        "SCAMTRAIL_HOME": str(home),
        "SCAMTRAIL_METRICS_PORT": str(port),
        "SCAMTRAIL_LOG_FORMAT": "text",
        **env,
    }
    for var in ("SCAMTRAIL_BUS", "SCAMTRAIL_STORE", "SCAMTRAIL_CONFIG"):
        if var not in env:
            environ.pop(var, None)
    with stderr_of(home).open("w") as err:
        return subprocess.Popen(
            [sys.executable, "-m", "scamtrail.cli", *args],
            env=environ,
            stdout=subprocess.DEVNULL,
            stderr=err,
        )


def stderr_of(home: Path) -> Path:
    return home.with_suffix(".stderr")


def serving(proc: subprocess.Popen, home: Path, port: int, timeout: float = 90) -> bool:
    def up() -> bool:
        if proc.poll() is not None:
            raise AssertionError(f"exited {proc.returncode}: {stderr_of(home).read_text()[-2000:]}")
        try:
            return get(port, "/healthz", timeout=2)[0] in (200, 503)
        except OSError:
            return False

    return wait_until(up, timeout, interval=0.2)


def stop(proc: subprocess.Popen) -> int:
    proc.send_signal(signal.SIGTERM)
    try:
        return proc.wait(30)
    except subprocess.TimeoutExpired:
        proc.kill()
        raise


def test_process_with_an_unreachable_kafka_is_live_but_not_ready(tmp_path):
    home, port = tmp_path / "home", free_port()
    proc = start(["process"], home, port, SCAMTRAIL_BUS=f"kafka://127.0.0.1:{closed_port()}")
    try:
        assert serving(proc, home, port)
        status, body = get_json(port, "/readyz")
        assert status == 503 and set(body["down"]) == {"bus"}, body
        assert "no bootstrap server reachable" in body["down"]["bus"]
        status, body = get_json(port, "/healthz")
        assert status == 200 and set(body["loops"]) == {"process"}, body  # retrying, alive
        status, text = get(port, "/metrics")
        assert status == 200
        for family in FAMILIES:
            assert f"# TYPE {family} " in text, family
    finally:
        assert stop(proc) == 0


def test_run_serves_metrics_and_turns_unready_when_its_bus_goes_away(tmp_path):
    home, port = tmp_path / "home", free_port()
    proc = start(["run"], home, port)
    try:
        assert serving(proc, home, port)
        assert get_json(port, "/readyz") == (
            200,
            {"ready": True, "checks": {"bus": "ok", "store": "ok"}},
        )
        feed = tmp_path / "feed.jsonl"
        feed.write_text(
            "".join(
                json.dumps({"id": f"h:{i}", "text": f"caller asked OTP from 98765432{i:02d}"})
                + "\n"
                for i in range(20)
            )
        )
        env = {**os.environ, "SCAMTRAIL_HOME": str(home), "SCAMTRAIL_LOG_FORMAT": "text"}
        env.pop("SCAMTRAIL_METRICS_PORT", None)
        for var in ("SCAMTRAIL_BUS", "SCAMTRAIL_STORE", "SCAMTRAIL_CONFIG"):
            env.pop(var, None)
        subprocess.run(
            [sys.executable, "-m", "scamtrail.cli", "ingest", "replay", str(feed), "--no-progress"],
            env=env,
            check=True,
            capture_output=True,
            timeout=120,
        )

        def indexed() -> bool:
            text = get(port, "/metrics")[1]
            return 'scamtrail_complaints_indexed_total{store="sqlite"} 20.0' in text

        assert wait_until(indexed, 60, interval=0.5)
        text = get(port, "/metrics")[1]
        assert 'scamtrail_stage_last_batch_timestamp_seconds{stage="index"}' in text
        assert 'scamtrail_consumer_lag{group="process",partition="0",topic="raw"}' in text
        status, body = get_json(port, "/healthz")
        assert status == 200 and set(body["loops"]) == {"process", "index"}
        assert all(loop["seconds_since_step"] < 30 for loop in body["loops"].values())

        (home / "bus.db").rename(home / "bus.db.moved")
        time.sleep(2)  # past the readiness cache
        status, body = get_json(port, "/readyz")
        assert status == 503 and set(body["down"]) == {"bus"}, body
    finally:
        assert stop(proc) == 0


class _FlakyBus(EmbeddedBus):
    """The real embedded bus, failing its first ``outages`` publishes to ``enriched``."""

    outages = 1

    def publish(self, topic: str, messages) -> int:  # type: ignore[no-untyped-def]
        if topic == "enriched" and self.outages:
            self.outages -= 1
            raise BusError("injected outage", retriable=True)
        return super().publish(topic, messages)


class _CopyStage(ConsumerStage):
    name = "copy"
    input_topic = "raw"

    def handle(self, messages: list[Message]) -> None:
        self.bus.publish("enriched", [Message.new(m.key, m.value) for m in messages])


def test_a_stage_rides_out_a_bus_outage_and_rereads_the_uncommitted_batch(tmp_path):
    bus = _FlakyBus(tmp_path / "bus.db")
    bus.publish("raw", [Message.new(f"k{i}", b"v") for i in range(5)])
    stop = threading.Event()
    stage = _CopyStage(bus, settings=StageSettings(poll_timeout_s=0.05), stop=stop)
    worker = threading.Thread(target=stage.run_forever)
    worker.start()
    try:
        assert wait_until(lambda: len(bus.read("enriched")) >= 5, 20)
        assert bus.outages == 0 and stage.heartbeat.problem() is None
        assert wait_until(lambda: bus.committed("raw", "copy") == {0: 5})
    finally:
        stop.set()
        worker.join(10)
    assert sorted(m.key for m in bus.read("enriched")) == [f"k{i}" for i in range(5)]
    assert stage.heartbeat.report()["status"] == "finished"
    bus.close()


def test_a_stage_process_spaces_out_the_garbage_collector(tmp_path):
    saved = gc.get_threshold()
    gc.set_threshold(700, 10, 10)  # CPython's default
    try:
        stop = threading.Event()
        stop.set()  # run_forever sets the process up, then finds it should stop
        stage = _CopyStage(EmbeddedBus(tmp_path / "bus.db"), settings=StageSettings(), stop=stop)
        stage.run_forever()
        stage.close()
        assert gc.get_threshold() == (GC_YOUNG_THRESHOLD, 10, 10)
    finally:
        gc.set_threshold(*saved)
