"""End-to-end benchmark cases: replay -> bus -> process -> index, with per-complaint latency.

Each case runs in its own subprocess (see :mod:`scamtrail.bench`), so its peak RSS is its own.

Latency of a complaint is measured from its ``received_at`` (stamped when the replay read its line:
the moment the system got the tweet) to the moment the index stage finished the batch holding it:
written to the store with its registry updates, alerts raised and published to the alerts topic.
The index stage records that moment (:class:`TimedIndexStage`) for every complaint, into 1%-wide
buckets (:class:`LatencyHistogram`), so p50/p99 are within 1% and memory stays constant. The
pipeline is deployed as ``scamtrail run`` deploys it: ingest and the process stage in the case's
process, the index stage in a child process (:mod:`scamtrail.runtime.child`), which sends the
histogram back when it ends. On SQLite a complaint is searchable at that moment; on the search
engine other readers see it within the index's ``refresh_interval`` (1 s) more.

- :func:`case_e2e`: a backlog replay at full speed (throughput; its latency is mostly time spent
  waiting in the backlog). On Kafka, consumer lag (sum over partitions, both groups) is sampled
  from the stages' lag gauges: the maximum, and the lag left when the replay finished publishing.
- :func:`case_at_rate`: a replay paced at a fixed rate (``--rate``), the latency a live tweet sees.
- the naive peer is in :mod:`scamtrail.bench.e2e_naive`.

The feed is written line by line from a generator, so the case's memory does not grow with N.
Before the measured feed, one warm-up complaint goes through (consumer groups joined, model and
connections warm); rates and latencies cover the measured feed only.
"""

from __future__ import annotations

import json
import math
import tempfile
import threading
import time
import uuid
from array import array
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from prometheus_client import CollectorRegistry

from scamtrail.bus.base import Bus, Message
from scamtrail.index.base import Store
from scamtrail.ingest.base import Emit, Reject, Source
from scamtrail.metrics import REGISTRY
from scamtrail.runtime.ingestor import Ingestor
from scamtrail.runtime.stages import IndexStage
from scamtrail.settings import Settings

_RECEIVED = b'"received_at":"'
WARM_UP_ID = "bench:warm-up"


def corpus_texts() -> list[str]:
    """The labelled corpus texts the synthetic complaints are built from."""
    from scamtrail.extract.classifier import CORPUS_DIR

    base = []
    for name in ("train.jsonl", "dev.jsonl", "test.jsonl"):
        path = CORPUS_DIR / name
        if path.exists():
            with path.open(encoding="utf-8") as fh:
                base += [json.loads(line)["text"] for line in fh]
    return base


def feed_lines(n: int, seed: int = 11) -> Iterator[str]:
    """``n`` JSONL complaint lines, each text made distinct with its own reference and number.

    About one complaint in ten reuses an earlier number, so repeat alerts fire as in real traffic.
    """
    import random

    base = corpus_texts()
    rng = random.Random(seed)

    def number(i: int) -> str:
        return f"{'6789'[i % 4]}{(i * 2654435761) % 10**9:09d}"

    for i in range(n):
        text_number = number(rng.randrange(i) if i and rng.random() < 0.1 else i)
        text = f"{base[i % len(base)]} ref {i} call {text_number}"
        yield json.dumps({"id": f"b:{i}", "text": text, "created_at": "2026-03-01T10:00:00Z"})


def write_feed(path: Path, n: int) -> Path:
    """Write ``n`` feed lines to ``path``."""
    with path.open("w", encoding="utf-8") as fh:
        for line in feed_lines(n):
            fh.write(line + "\n")
    return path


def epoch(iso: str) -> float:
    return datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()


def _received(value: bytes) -> float | None:
    """``received_at`` of an encoded record, found without decoding the whole JSON."""
    start = value.find(_RECEIVED)
    if start < 0:
        return None
    start += len(_RECEIVED)
    return epoch(value[start : value.index(b'"', start)].decode())


class LatencyHistogram:
    """Latencies in log-spaced buckets 1% wide (100 us to ~1.6 h): p50/p99 within 1%, memory
    constant however many complaints pass (so it does not distort the memory-flatness check)."""

    STEP = math.log(1.01)
    LOW_S = 1e-4

    def __init__(self) -> None:
        self.counts = array("q", [0]) * 1800
        self.total = 0

    def add(self, seconds: float) -> None:
        """Count one latency."""
        index = int(math.log(max(seconds, self.LOW_S) / self.LOW_S) / self.STEP)
        self.counts[min(index, len(self.counts) - 1)] += 1
        self.total += 1

    def percentiles(self) -> dict[str, float]:
        """p50 and p99 in milliseconds (upper bucket bounds; NaN when empty)."""
        if not self.total:
            return {"p50_ms": float("nan"), "p99_ms": float("nan")}
        out, seen, wanted = {}, 0, [(0.50, "p50_ms"), (0.99, "p99_ms")]
        for index, count in enumerate(self.counts):
            seen += count
            while wanted and seen > wanted[0][0] * self.total:
                out[wanted.pop(0)[1]] = self.LOW_S * math.exp((index + 1) * self.STEP) * 1000
        return out


class TimedIndexStage(IndexStage):
    """The index stage, recording each complaint's received -> stored-and-alerted latency."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.latencies = LatencyHistogram()

    def handle(self, messages: list[Message]) -> None:
        """Handle the batch as the index stage does, then stamp every complaint in it."""
        super().handle(messages)
        done = time.time()
        for msg in messages:
            received = _received(msg.value)
            if received is not None and msg.key != WARM_UP_ID:
                self.latencies.add(done - received)

    def summary(self) -> dict[str, Any]:
        """The index stage's summary and the latency histogram (sent back from the child)."""
        return {**super().summary(), "latencies": self.latencies}


def timed_index_stage(
    bus: Bus, store: Store, settings: Settings, stop: threading.Event
) -> TimedIndexStage:
    """The index stage as ``scamtrail run`` builds it in its child process, timed."""
    stage = TimedIndexStage.from_settings(bus, store, settings, stop=stop)
    stage.lag_refresh_s = 1.0
    return stage


class LagSampler:
    """Samples the summed consumer-lag gauges of the stages every ``every_s`` in a thread."""

    def __init__(
        self,
        groups: tuple[str, ...] = ("process", "index"),
        every_s: float = 0.5,
        registry: CollectorRegistry = REGISTRY,
    ):
        self.groups = groups
        self.registry = registry
        self.every_s = every_s
        self.samples: list[tuple[float, float]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="lag-sampler", daemon=True)

    def _total(self) -> float:
        total = 0.0
        for family in self.registry.collect():
            if family.name != "scamtrail_consumer_lag":
                continue
            total += sum(s.value for s in family.samples if s.labels.get("group") in self.groups)
        return total

    def _run(self) -> None:
        while not self._stop.wait(self.every_s):
            self.samples.append((time.monotonic(), self._total()))

    def __enter__(self) -> LagSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def at(self, moment: float) -> float:
        """The first sample at or after ``moment`` (the last one if none)."""
        later = [v for t, v in self.samples if t >= moment]
        return later[0] if later else (self.samples[-1][1] if self.samples else 0.0)


class _StampedIngestor(Ingestor):
    """The ingestor, noting when its source finished publishing."""

    done_at: float | None = None

    def run(self, source: Source) -> None:
        """Run the source, then note the time."""
        super().run(source)
        self.done_at = time.monotonic()


class _AfterWarmUp(Source):
    """Emits one warm-up complaint, waits until it is indexed (consumer groups joined, caches
    warm), then runs the measured source; ``started_at`` is when the measured part began."""

    name = "replay"

    def __init__(self, inner: Source, warmed: Callable[[], bool]) -> None:
        self.inner = inner
        self.warmed = warmed
        self.started_at: float | None = None
        self._stop = threading.Event()

    def run(self, emit: Emit, reject: Reject) -> None:
        """Warm up, then replay."""
        from scamtrail.records import Complaint

        emit(
            [
                Complaint(
                    id=WARM_UP_ID,
                    source="replay",
                    text="warm up",
                    created_at="2026-03-01T10:00:00Z",
                )
            ]
        )
        while not self.warmed():
            if self._stop.wait(0.01):
                return
        self.started_at = time.monotonic()
        self.inner.run(emit, reject)

    def stop(self) -> None:
        """Stop waiting or replaying."""
        self._stop.set()
        self.inner.stop()


def _pipeline_run(
    n: int, backends: str, rate: float | None, single: bool = False
) -> dict[str, Any]:
    """Replay ``n`` complaints as ``scamtrail run`` deploys them (``single``: as
    ``scamtrail run --single-process`` does, every stage in this one thread)."""
    from scamtrail.bench.common import service_endpoints
    from scamtrail.bench.cpu import service_cpu_s
    from scamtrail.bus import open_bus
    from scamtrail.extract.pipeline import ComplaintExtractor
    from scamtrail.index import open_store
    from scamtrail.ingest.replay import ReplaySource
    from scamtrail.metrics import MergedRegistry
    from scamtrail.runtime.child import StageProcess
    from scamtrail.runtime.run import run_all
    from scamtrail.runtime.stages import ProcessStage
    from scamtrail.settings import load_settings

    with tempfile.TemporaryDirectory() as tmp:
        feed = write_feed(Path(tmp) / "feed.jsonl", n)
        urls = service_endpoints()
        tag = uuid.uuid4().hex[:6]
        s = load_settings(
            home=Path(tmp) / "home",
            bus=urls["KAFKA_URL"] if backends == "kafka" else None,
            store=urls["SEARCH_URL"] if backends == "kafka" else None,
            topic_prefix=f"bench{tag}.",
            index_prefix=f"bench{tag}-",
        )
        extractor = ComplaintExtractor()
        # Paced: small batches so complaints arrive evenly, not in bursts of 500.
        paced = ReplaySource(feed, rate=rate, batch_size=10 if rate else 500)
        # The deployment `scamtrail run` starts: ingest and process here, index in a child.
        registry = MergedRegistry()
        with open_bus(s) as bus, open_store(s) as store, LagSampler(registry=registry) as lag:
            process = ProcessStage(bus, extractor, settings=s.stage)
            process.lag_refresh_s = 1.0
            index: Any
            if single:
                index = timed_index_stage(bus, store, s, threading.Event())
            else:
                index = StageProcess(s, timed_index_stage, registry=registry).start()
            source = _AfterWarmUp(paced, lambda: index.handled >= 1)
            ingestor = _StampedIngestor(bus)
            cpu_at, services_at = time.process_time(), service_cpu_s()
            run_all(process, index, source=source, ingestor=ingestor, until_drained=True)
            finished = time.monotonic()
            own_cpu, services_now = time.process_time() - cpu_at, service_cpu_s()
            elapsed = finished - (source.started_at or finished)
            store.refresh()  # the index stage wrote from its own process
            indexed = store.stats().complaints - 1  # the warm-up complaint
            if hasattr(store, "drop"):
                store.drop()
        if hasattr(bus, "delete_topics"):
            with open_bus(s) as cleanup:
                cleanup.delete_topics()  # type: ignore[attr-defined]
    if indexed != n:
        raise SystemExit(f"indexed {indexed} of {n} complaints")
    summary = index.summary() if single else index.summary
    latencies: LatencyHistogram = summary["latencies"]
    result: dict[str, Any] = {"items": n, "seconds": elapsed, **latencies.percentiles()}
    # CPU seconds of each part (bench.cpu): the index stage's own thread (here or in the child),
    # the process stage's, the rest of this process (ingest, the embedded bus), the services'
    index_cpu = float(summary.get("cpu_s", 0.0))
    result["cpu_s"] = {
        "ingest": max(own_cpu - process.cpu_s - (index_cpu if single else 0.0), 0.0),
        "process": process.cpu_s,
        "index": index_cpu,
    }
    if backends == "kafka":  # each service's JVM: kafka, search
        for name, seconds in services_now.items():
            result["cpu_s"][name] = seconds - services_at.get(name, 0.0)
    result["lag_max"] = max((v for _, v in lag.samples), default=0.0)
    if ingestor.done_at is not None:
        result["lag_at_ingest_end"] = lag.at(ingestor.done_at)
        result["drain_s"] = finished - ingestor.done_at
    return result


def case_e2e(n: int) -> dict[str, Any]:
    """Backlog replay through the embedded bus and SQLite store (the default deployment)."""
    return _pipeline_run(n, "embedded", None)


def case_e2e_single(n: int) -> dict[str, Any]:
    """The embedded deployment on one core (``scamtrail run --single-process``)."""
    return _pipeline_run(n, "embedded", None, single=True)


def case_e2e_kafka_single(n: int) -> dict[str, Any]:
    """Kafka and the search engine with every stage in one process (one core of ours)."""
    return _pipeline_run(n, "kafka", None, single=True)


def case_e2e_kafka(n: int) -> dict[str, Any]:
    """Backlog replay through Kafka and the search engine."""
    return _pipeline_run(n, "kafka", None)


def case_at_rate(n: int, rate: float) -> dict[str, Any]:
    """``n`` complaints replayed at ``rate``/s through the embedded deployment."""
    result = _pipeline_run(n, "embedded", rate)
    result["target_rate"] = rate
    return result


def case_at_rate_kafka(n: int, rate: float) -> dict[str, Any]:
    """``n`` complaints replayed at ``rate``/s through Kafka and the search engine."""
    result = _pipeline_run(n, "kafka", rate)
    result["target_rate"] = rate
    return result
