"""Alert sinks against a real HTTP server on loopback, and alerts end to end in the pipeline."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from prometheus_client import REGISTRY
from scamtrail.extract.pipeline import ComplaintExtractor
from scamtrail.index import open_store
from scamtrail.index.sqlite import SqliteStore

from scamtrail.bus import open_bus
from scamtrail.bus.base import Message
from scamtrail.bus.embedded import EmbeddedBus
from scamtrail.records import Alert, Complaint, Identifier
from scamtrail.runtime.alert_sinks import LogSink, WebhookSink, sinks_from_settings, slack_text
from scamtrail.runtime.ingestor import Ingestor
from scamtrail.runtime.run import run_all
from scamtrail.runtime.stages import IndexStage, ProcessStage
from scamtrail.settings import WebhookSettings, load_settings
from tests.conftest import enriched

FAST = WebhookSettings(timeout_s=2, max_retries=4, backoff_s=0.05, max_backoff_s=0.2)


@dataclass
class Hook:
    """A webhook on 127.0.0.1 that answers ``fail_first`` requests with ``fail_status``."""

    fail_first: int = 0
    fail_status: int = 500
    hold: threading.Event | None = None
    received: list[dict] = field(default_factory=list)
    arrived: list[float] = field(default_factory=list)
    attempts: int = 0
    url: str = ""


@pytest.fixture
def hook() -> Iterator[Hook]:
    state = Hook()
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - the http.server API
            body = self.rfile.read(int(self.headers["Content-Length"]))
            if state.hold is not None:
                state.hold.wait(10)
            with lock:
                state.attempts += 1
                failing = state.attempts <= state.fail_first
                if not failing:
                    state.received.append(json.loads(body))
                    state.arrived.append(time.monotonic())
            self.send_response(state.fail_status if failing else 200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    if state.hold is not None:
        state.hold.set()
    server.shutdown()
    server.server_close()


def deliveries(sink: str, outcome: str) -> float:
    value = REGISTRY.get_sample_value(
        "scamtrail_alert_deliveries_total", {"sink": sink, "outcome": outcome}
    )
    return value or 0.0


def alert(n: int = 1) -> Alert:
    return Alert(
        id=f"repeat:phone:+91987654321{n % 10}:2",
        rule="repeat",
        level=2,
        identifier=Identifier(kind="phone", value=f"+91987654321{n % 10}"),
        complaint_ids=["x:1", "x:2"],
        categories=["bank_fraud"],
        complaint_count=2,
        message=f"phone +91987654321{n % 10} named in 2 complaints",
    )


def wait_for(condition, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return bool(condition())


def test_webhook_retries_with_backoff_until_accepted(hook: Hook):
    hook.fail_first = 2
    ok, retry = deliveries("webhook", "ok"), deliveries("webhook", "retry")
    sink = WebhookSink(hook.url, FAST)
    sink.deliver([alert()])
    assert wait_for(lambda: len(hook.received) == 1)
    (body,) = hook.received
    assert body["alert"]["id"] == alert().id
    assert body["alert"]["complaint_ids"] == ["x:1", "x:2"]
    assert body["text"] == slack_text(alert()) and "+919876543211" in body["text"]
    assert hook.attempts == 3
    assert deliveries("webhook", "retry") - retry == 2
    # the sink thread counts the delivery after the hook has answered it
    assert wait_for(lambda: deliveries("webhook", "ok") - ok == 1)
    sink.close()


def test_webhook_gives_up_after_max_retries_and_on_client_errors(hook: Hook):
    hook.fail_first = 100
    failed = deliveries("webhook", "failed")
    sink = WebhookSink(hook.url, FAST.model_copy(update={"max_retries": 2}))
    sink.deliver([alert()])
    assert wait_for(lambda: sink.failed == 1)
    assert hook.attempts == 3  # the first try and two retries
    hook.fail_status, hook.attempts = 400, 0
    sink.deliver([alert(2)])
    assert wait_for(lambda: sink.failed == 2)
    assert hook.attempts == 1  # a 400 is not retried
    assert deliveries("webhook", "failed") - failed == 2
    sink.close()


def test_a_full_queue_drops_and_counts_instead_of_blocking(hook: Hook):
    hook.hold = threading.Event()
    dropped = deliveries("webhook", "dropped")
    sink = WebhookSink(hook.url, FAST.model_copy(update={"queue_size": 1}))
    started = time.monotonic()
    sink.deliver([alert(i) for i in range(6)])
    assert time.monotonic() - started < 0.5
    assert sink.dropped >= 4  # one in flight (perhaps), one queued
    assert deliveries("webhook", "dropped") - dropped == sink.dropped
    hook.hold.set()
    assert wait_for(lambda: sink.delivered == 6 - sink.dropped)
    sink.close()


def test_log_sink_and_sinks_from_settings(tmp_path: Path, caplog: pytest.LogCaptureFixture):
    with caplog.at_level("WARNING", logger="scamtrail.alerts"):
        LogSink().deliver([alert()])
    (record,) = [r for r in caplog.records if r.getMessage() == "alert"]
    assert record.alert_id == alert().id  # type: ignore[attr-defined]
    plain = load_settings(home=tmp_path)
    assert [s.name for s in sinks_from_settings(plain)] == ["log"]
    hooked = load_settings(home=tmp_path, alert_webhook_url="http://127.0.0.1:9/hook")
    sinks = sinks_from_settings(hooked)
    assert [s.name for s in sinks] == ["log", "webhook"]
    assert "127.0.0.1" not in repr(sinks[1])  # the URL may carry a token: never shown


def test_a_dead_webhook_never_slows_the_index_stage(tmp_path: Path):
    # A listener that never answers: connections hang until the client's timeout.
    with socket.socket() as dead:
        dead.bind(("127.0.0.1", 0))
        dead.listen(100)
        url = f"http://127.0.0.1:{dead.getsockname()[1]}/hook"
        sink = WebhookSink(url, WebhookSettings(timeout_s=5, max_retries=3, queue_size=5))
        bus = EmbeddedBus(tmp_path / "bus.db", partitions=1)
        store = SqliteStore(tmp_path / "store.db")
        stage = IndexStage(bus, store, sinks=[sink])
        now = datetime.now(UTC)
        records = [
            enriched(
                f"x:{i}",
                phones=(f"+9198765{n:05d}",),
                created_at=(now - timedelta(minutes=i)).isoformat(),
            )
            for n in range(40)
            for i in (2 * n, 2 * n + 1)
        ]
        bus.publish("enriched", [Message.new(r.id, r.to_json()) for r in records])
        try:
            started = time.monotonic()
            while stage.step(0.05):
                pass
            elapsed = time.monotonic() - started
            assert stage.alerts_published >= 40  # a repeat alert for each of the 40 numbers
            assert sink.delivered == 0 and sink.dropped >= 30  # queue of 5, nothing delivered
            assert elapsed < 3.0, f"indexing took {elapsed:.2f}s with a dead webhook"
            closing = time.monotonic()
            stage.close()
            assert time.monotonic() - closing < 3.0
        finally:
            stage.close()
            bus.close()
            store.close()


@pytest.fixture(scope="module")
def extractor() -> ComplaintExtractor:
    return ComplaintExtractor()


def test_run_all_delivers_an_alert_within_two_seconds(
    tmp_path: Path, hook: Hook, extractor: ComplaintExtractor
):
    s = load_settings(home=tmp_path / "home", alert_webhook_url=hook.url)
    bus, store = open_bus(s), open_store(s)
    process = ProcessStage(bus, extractor, settings=s.stage)
    index = IndexStage.from_settings(bus, store, s)
    stop = threading.Event()
    runner = threading.Thread(target=run_all, args=(process, index), kwargs={"stop": stop})
    runner.start()
    ingestor = Ingestor(bus)
    try:
        now = datetime.now(UTC).isoformat()
        text = "Caller posing as SBI asked my OTP, number {}"
        ingestor.emit(
            [Complaint(id="x:1", source="x", text=text.format("98765 43210"), created_at=now)]
        )
        assert wait_for(lambda: store.lookup("phone", "+919876543210").complaint_count == 1)
        sent = time.monotonic()
        ingestor.emit(
            [Complaint(id="x:2", source="x", text=text.format("+91-9876543210"), created_at=now)]
        )
        assert wait_for(lambda: any(bus.read("alerts", 0, 10)), timeout=5)
        on_topic = time.monotonic()
        assert wait_for(lambda: hook.received, timeout=5)
        (message,) = bus.read("alerts", 0, 10)
        assert message.key == "repeat:phone:+919876543210:2"
        assert hook.received[0]["alert"]["id"] == message.key
        assert on_topic - sent < 2.0
        assert hook.arrived[0] - sent < 2.0
    finally:
        stop.set()
        runner.join(10)
        bus.close()
        store.close()
