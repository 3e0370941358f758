"""Shared fixtures: backend-parametrised buses and stores, records, a scratch SCAMTRAIL_HOME.

``bus_factory`` and ``store_factory`` run every contract test on the embedded backends and, with
the ``kafka`` / ``opensearch`` / ``elasticsearch`` markers (the search cases are parametrised
over both engines by ``search_url``), on the real services started from deploy/local (see
tests/fixtures_kafka.py and tests/fixtures_search.py).
"""

from __future__ import annotations

import importlib.util
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from scamtrail.index.base import Store
from scamtrail.index.sqlite import SqliteStore

from scamtrail.bus.base import Bus
from scamtrail.bus.embedded import EmbeddedBus
from scamtrail.records import Alert, Enriched, Identifier

_PLUGINS = [
    m
    for m in ("tests.fixtures_kafka", "tests.fixtures_search")
    if importlib.util.find_spec(m) is not None
]
pytest_plugins = _PLUGINS

BUS_BACKENDS = [
    "embedded",
    *(
        [pytest.param("kafka", marks=pytest.mark.kafka)]
        if "tests.fixtures_kafka" in _PLUGINS
        else []
    ),
]
STORE_BACKENDS = [
    "sqlite",
    *(
        [
            pytest.param("opensearch", marks=pytest.mark.opensearch),
            pytest.param("elasticsearch", marks=pytest.mark.elasticsearch),
        ]
        if "tests.fixtures_search" in _PLUGINS
        else []
    ),
]


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh SCAMTRAIL_HOME, with no bus/store overrides leaking in from the environment."""
    h = tmp_path / "home"
    monkeypatch.setenv("SCAMTRAIL_HOME", str(h))
    for var in ("SCAMTRAIL_BUS", "SCAMTRAIL_STORE", "SCAMTRAIL_CONFIG"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("SCAMTRAIL_LOG_FORMAT", "text")
    return h


@pytest.fixture(params=BUS_BACKENDS)
def bus_factory(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[..., Bus]]:
    """Makes buses on the parametrised backend; every bus of one test shares its topics."""
    if request.param == "kafka":
        yield request.getfixturevalue("kafka_bus_factory")
        return
    made: list[Bus] = []
    path = tmp_path / f"bus-{uuid.uuid4().hex[:6]}.db"

    def make(partitions: int = 1) -> Bus:
        bus = EmbeddedBus(path, partitions=partitions, lease_s=5.0)
        made.append(bus)
        return bus

    yield make
    for bus in made:
        bus.close()


@pytest.fixture(params=STORE_BACKENDS)
def store_factory(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[[], Store]]:
    """Makes stores on the parametrised backend."""
    if request.param in ("opensearch", "elasticsearch"):
        from tests.fixtures_search import store_factory_on

        with store_factory_on(request.getfixturevalue(f"{request.param}_url")) as make:
            yield make
        return
    made: list[Store] = []

    def make() -> Store:
        store = SqliteStore(tmp_path / "store.db")
        made.append(store)
        return store

    yield make
    for store in made:
        store.close()


def enriched(
    cid: str,
    text: str = "caller asked my OTP",
    *,
    category: str = "bank_fraud",
    created_at: str = "2026-03-01T10:00:00Z",
    phones: tuple[str, ...] = (),
    upis: tuple[str, ...] = (),
    author: str = "citizen",
) -> Enriched:
    """An Enriched record for store tests."""
    idents = [Identifier(kind="phone", value=p, text=p, start=0, end=len(p)) for p in phones]
    idents += [Identifier(kind="upi", value=u, text=u, start=0, end=len(u)) for u in upis]
    return Enriched(
        id=cid,
        source="x",
        text=text,
        created_at=created_at,
        author={"id": "1", "username": author, "name": author.title()},
        category=category,
        scores={category: 0.9},
        identifiers=idents,
        model="test",
    )


def repeat_alert(value: str, level: int = 2) -> Alert:
    """A repeat alert about one phone number, for store tests."""
    return Alert(
        id=f"repeat:phone:{value}:{level}",
        rule="repeat",
        level=level,
        identifier=Identifier(kind="phone", value=value),
        complaint_ids=["x:1", "x:2"],
        categories=["bank_fraud"],
        complaint_count=2,
    )


def race(work: Callable[[int], None], writers: int = 2) -> None:
    """Run ``work(0)``, ``work(1)``, ... in as many threads at once; re-raise the first failure."""
    import threading

    failures: list[BaseException] = []

    def run(n: int) -> None:
        try:
            work(n)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the test's thread
            failures.append(exc)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if failures:
        raise failures[0]
