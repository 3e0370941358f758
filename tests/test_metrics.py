"""The operational metrics move when the work they describe happens.

Values are read from prometheus_client's default registry before and after, on both buses and
against the stand-in X API for the stream and poll sources.
"""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from prometheus_client import REGISTRY
from pydantic import SecretStr
from scamtrail.index.sqlite import SqliteStore
from scamtrail.ingest.x_poll import XPollSource
from scamtrail.ingest.x_stream import XStreamSource

from scamtrail import metrics
from scamtrail.bus.base import Message
from scamtrail.records import Complaint
from scamtrail.runtime.ingestor import Ingestor
from scamtrail.runtime.stages import IndexStage
from scamtrail.settings import StageSettings
from tests.conftest import enriched
from tests.x_api_standin import (
    TOKEN,
    Collector,
    Cut,
    Respond,
    Running,
    Send,
    StandinXApi,
    rate_limited,
    wait_until,
)


def value(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def iso(t: datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def test_a_stage_reports_lag_per_partition_at_most_every_few_seconds(bus_factory, tmp_path):
    bus = bus_factory(partitions=1)
    bus.publish("enriched", [Message.new(f"m:{i}", enriched(f"m:{i}").to_json()) for i in range(5)])
    with SqliteStore(tmp_path / "store.db") as store:
        stage = IndexStage(
            bus, store, settings=StageSettings(batch_size=2, index_batch_size=2, poll_timeout_s=5)
        )
        last_before = value("scamtrail_stage_last_batch_timestamp_seconds", stage="index")
        started = time.time()
        assert stage.step() == 2
        lag = {"group": "index", "topic": "enriched", "partition": "0"}
        assert value("scamtrail_consumer_lag", **lag) == 3  # refreshed on the first step
        assert value("scamtrail_stage_last_batch_timestamp_seconds", stage="index") >= started
        assert value("scamtrail_stage_last_batch_timestamp_seconds", stage="index") > last_before

        assert stage.step() == 2
        assert value("scamtrail_consumer_lag", **lag) == 3  # not yet: lag calls are rate-limited
        stage.refresh_lag(every_s=0)
        assert value("scamtrail_consumer_lag", **lag) == 1
        assert stage.heartbeat.age_s() < 5 and stage.heartbeat.problem() is None
        stage.close()


def test_the_ingestor_stamps_the_last_complaint_of_its_source(bus_factory):
    name = f"metrics-{uuid.uuid4().hex[:6]}"
    ingestor = Ingestor(bus_factory(), source_name=name)
    before = value("scamtrail_complaints_ingested_total", source="replay")
    ingestor.emit([])
    assert value("scamtrail_last_complaint_timestamp_seconds", source=name) == 0
    started = time.time()
    ingestor.emit(
        [
            Complaint(
                id=f"r:{i}", source="replay", text="otp fraud", created_at=iso(datetime.now(UTC))
            )
            for i in range(3)
        ]
    )
    assert value("scamtrail_last_complaint_timestamp_seconds", source=name) >= started
    assert value("scamtrail_complaints_ingested_total", source="replay") == before + 3


def test_latency_histograms_count_live_complaints_only_for_posted_to_indexed():
    now = datetime.now(UTC)
    live = enriched("l:1", created_at=iso(now - timedelta(seconds=4)))
    live = live.model_copy(update={"received_at": iso(now - timedelta(seconds=3))})
    old = enriched("o:1", created_at="2026-03-01T10:00:00Z")
    old = old.model_copy(update={"received_at": iso(now - timedelta(seconds=1))})
    e2e_before = value("scamtrail_end_to_end_seconds_count")
    e2e_sum_before = value("scamtrail_end_to_end_seconds_sum")
    posted_before = value("scamtrail_created_to_indexed_seconds_count", source="x")
    posted_sum_before = value("scamtrail_created_to_indexed_seconds_sum", source="x")

    metrics.observe_indexed([live, old], now=now.timestamp())

    assert value("scamtrail_end_to_end_seconds_count") == e2e_before + 2
    assert abs(value("scamtrail_end_to_end_seconds_sum") - e2e_sum_before - 4.0) < 0.01
    assert value("scamtrail_created_to_indexed_seconds_count", source="x") == posted_before + 1
    posted = value("scamtrail_created_to_indexed_seconds_sum", source="x") - posted_sum_before
    assert abs(posted - 4.0) < 0.01


def stream_source(api: StandinXApi, tmp_path: Any, **kwargs: Any) -> XStreamSource:
    return XStreamSource(
        bearer_token=SecretStr(TOKEN),
        handles=["MumbaiPolice"],
        api_url=api.url,
        state_dir=tmp_path,
        stall_timeout_s=0.5,
        network_backoff_s=0.01,
        http_backoff_s=0.01,
        rate_limit_backoff_s=0.01,
        settle_s=0,
        **kwargs,
    )


def test_stream_connects_disconnects_waits_and_connected(tmp_path):
    src = "x_stream"
    before = {
        "connects": value("scamtrail_stream_connects_total", source=src),
        "lost": value("scamtrail_stream_disconnects_total", source=src, reason="network"),
        "waits_http": value("scamtrail_stream_waits_total", source=src, reason="http"),
        "waits_net": value("scamtrail_stream_waits_total", source=src, reason="network"),
        "wait_s": value("scamtrail_stream_wait_seconds_total", source=src),
    }
    with StandinXApi() as api:
        t = [api.post(f"caller asked my OTP, number 98765 4321{i}") for i in range(3)]
        api.connection(Respond(503, {"title": "Service Unavailable", "status": 503}))
        api.connection(Send(t[0]), Cut())
        api.connection(Send(t[2]))
        got = Collector()
        started = time.time()
        with Running(stream_source(api, tmp_path), got):
            assert got.wait_for(lambda c: len(set(c.tweet_ids())) >= 3, 10)
            assert wait_until(lambda: value("scamtrail_stream_connected", source=src) == 1)
            assert value("scamtrail_last_complaint_timestamp_seconds", source=src) >= started
        assert value("scamtrail_stream_connected", source=src) == 0
    # two accepted connections; the 503 was a failed connect, not a lost connection
    assert value("scamtrail_stream_connects_total", source=src) == before["connects"] + 2
    lost = value("scamtrail_stream_disconnects_total", source=src, reason="network")
    assert lost == before["lost"] + 1
    assert (
        value("scamtrail_stream_waits_total", source=src, reason="http") == before["waits_http"] + 1
    )
    assert (
        value("scamtrail_stream_waits_total", source=src, reason="network")
        == before["waits_net"] + 1
    )
    assert value("scamtrail_stream_wait_seconds_total", source=src) > before["wait_s"]


def test_poll_waits_and_connected(tmp_path):
    src = "x_poll"
    waits_before = value("scamtrail_stream_waits_total", source=src, reason="rate_limit")
    http_before = value("scamtrail_stream_waits_total", source=src, reason="http")
    with StandinXApi() as api:
        api.post("fraud call", created_at=datetime.now(UTC) - timedelta(minutes=1))
        api.search_failures.extend([Respond(503, {"title": "Service Unavailable"})])
        source = XPollSource(
            bearer_token=SecretStr(TOKEN),
            handles=["MumbaiPolice"],
            api_url=api.url,
            state_dir=tmp_path,
            once=True,
            backfill_since=datetime.now(UTC) - timedelta(minutes=5),
            http_backoff_s=0.01,
            rate_limit_backoff_s=0.01,
            settle_s=0,
        )
        got = Collector()
        source.run(got.emit, got.reject)
        assert len(got.emitted) == 1
        assert value("scamtrail_stream_connected", source=src) == 1
        assert value("scamtrail_stream_waits_total", source=src, reason="http") == http_before + 1

        api.search_failures.extend([rate_limited(None)])
        XPollSource(
            bearer_token=SecretStr(TOKEN),
            handles=["MumbaiPolice"],
            api_url=api.url,
            state_dir=tmp_path,
            once=True,
            rate_limit_backoff_s=0.01,
            settle_s=0,
        ).run(got.emit, got.reject)
    after = value("scamtrail_stream_waits_total", source=src, reason="rate_limit")
    assert after == waits_before + 1


def test_merged_registry_adds_a_child_processes_families_to_its_own():
    from prometheus_client import CollectorRegistry, Counter, Gauge, generate_latest

    local, child = CollectorRegistry(), CollectorRegistry()
    for registry, stage, lag in ((local, "process", 3), (child, "index", 7)):
        batches = Counter("t_batches", "Batches", ["stage"], registry=registry)
        batches.labels(stage).inc(2)
        Counter("t_unlabelled", "Unlabelled", registry=registry).inc(5)
        Gauge("t_lag", "Lag", ["group"], registry=registry).labels("both").set(lag)
    only_child = Counter("t_indexed", "Only in the child", registry=child)
    only_child.inc(4)
    merged = metrics.MergedRegistry(local)
    merged.update_remote("index", list(child.collect()))
    text = generate_latest(merged).decode()
    assert 't_batches_total{stage="process"} 2.0' in text
    assert 't_batches_total{stage="index"} 2.0' in text
    assert "t_unlabelled_total 10.0" in text  # counters add up
    assert 't_lag{group="both"} 7.0' in text  # gauges keep the larger value
    assert "t_indexed_total 4.0" in text
    assert text.count("# TYPE t_batches_total counter") == 1
    merged.update_remote("index", [])
    assert "t_indexed_total" not in generate_latest(merged).decode()
