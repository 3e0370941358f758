"""Alert delivery by the index stage: a batch's alerts at once, the outbox swept on a timer.

Runs on both stores (the real search engine with the ``elasticsearch`` marker). The store is
wrapped, not replaced, to count how often the stage reads the outbox; on the search engines the
engine's own refresh stats of the alerts index show that no batch forces a refresh.
"""

from __future__ import annotations

from collections.abc import Callable

from scamtrail.index.base import Store
from scamtrail.index.search_engine import SearchEngineStore

from scamtrail.bus.base import Bus, Message
from scamtrail.records import Alert, Identifier
from scamtrail.runtime.stages import IndexStage
from scamtrail.settings import StageSettings
from tests.conftest import enriched


class CountingStore:
    """The real store, counting ``pending_alerts`` calls."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self.pending_reads = 0

    def pending_alerts(self, limit: int = 500) -> list[Alert]:
        self.pending_reads += 1
        return self._store.pending_alerts(limit)

    def __getattr__(self, name: str):  # everything else goes to the real store
        return getattr(self._store, name)


def _alerts_on_topic(bus: Bus) -> list[str]:
    return [m.key for m in bus.read("alerts") if m.key]


def _stage(bus: Bus, store: CountingStore, sweep_s: float) -> IndexStage:
    settings = StageSettings(poll_timeout_s=0.05, alert_sweep_s=sweep_s)
    return IndexStage(bus, store, settings=settings)  # type: ignore[arg-type]


def test_a_batch_publishes_its_alerts_without_reading_the_outbox(
    bus_factory: Callable[..., Bus], store_factory: Callable[[], Store]
):
    bus, store = bus_factory(), CountingStore(store_factory())
    store.setup()
    stage = _stage(bus, store, sweep_s=3600)
    stage.step()  # start-up: the first step sweeps the (empty) outbox
    assert store.pending_reads == 1
    records = [enriched(f"x:{i}", phones=("+919876500001",)) for i in range(3)]
    bus.publish("enriched", [Message.new(r.id, r.to_json()) for r in records])
    while stage.step():
        pass
    assert store.pending_reads == 1, "no outbox read per batch"
    assert any(k.startswith("repeat:phone:+919876500001:2") for k in _alerts_on_topic(bus))
    assert store.pending_alerts() == []  # published alerts were marked so
    stage.close()


def test_the_outbox_is_swept_at_start_up_and_when_due(
    bus_factory: Callable[..., Bus], store_factory: Callable[[], Store]
):
    bus, store = bus_factory(), CountingStore(store_factory())
    store.setup()
    number = "+919876500002"
    left = Alert(
        id=f"partner_hit:phone:{number}:pune",
        rule="partner_hit",
        identifier=Identifier(kind="phone", value=number, text=number, start=0, end=len(number)),
        complaint_ids=["x:1"],
        complaint_count=1,
        raised_at="2026-03-01T10:00:00Z",
        message="shared by pune",
    )
    assert [a.id for a in store.record_alerts([left])] == [left.id]  # as an import records it
    stage = _stage(bus, store, sweep_s=3600)
    stage.step()
    assert _alerts_on_topic(bus) == [left.id]  # a (re)started stage delivers what was left
    later = left.model_copy(update={"id": f"partner_hit:phone:{number}:nagpur"})
    store.record_alerts([later])
    stage.step()
    assert later.id not in _alerts_on_topic(bus)  # not due yet
    stage._next_sweep = 0.0  # the sweep interval has passed
    stage.step()
    assert _alerts_on_topic(bus).count(later.id) == 1
    stage.close()


def _refreshes(store: SearchEngineStore) -> int:
    """How many refreshes the engine ran on the store's alerts index (``_stats/refresh``)."""
    stats = store._client.indices.stats(index=store.alerts_index, metric="refresh")
    return int(stats["_all"]["total"]["refresh"]["total"])


def test_no_refresh_of_the_alerts_index_per_batch(
    bus_factory: Callable[..., Bus], search_store_factory: Callable[..., SearchEngineStore]
):
    # A refresh interval longer than the test: every refresh counted is one something forced.
    bus, store = bus_factory(), search_store_factory(refresh_interval="60s")
    store.setup()
    stage = IndexStage(
        bus,
        store,
        settings=StageSettings(
            poll_timeout_s=0.05, alert_sweep_s=3600, batch_size=3, index_batch_size=3
        ),
        sinks=[],
    )
    stage.step()  # start-up sweep
    before, batches = _refreshes(store), 12
    for b in range(batches):
        records = [enriched(f"x:{b}-{i}", phones=(f"+91987650{b:04d}",)) for i in range(3)]
        bus.publish("enriched", [Message.new(r.id, r.to_json()) for r in records])
        while stage.step():
            pass
    assert stage.alerts_published == batches  # each batch raised (and published) one alert
    forced = _refreshes(store) - before
    assert forced <= 2, f"{forced} refreshes of the alerts index over {batches} batches"
    stage.close()
