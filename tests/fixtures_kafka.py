"""Fixtures for tests that need a real Apache Kafka broker (``@pytest.mark.kafka``).

``kafka_url`` (session) reuses ``KAFKA_URL`` from the environment, or the one that
``deploy/local/kafka.sh`` wrote to ``.services/endpoints.env``, when that broker answers; otherwise
it starts the local broker and stops it again at the end of the session (``KEEP_SERVICES=1``
leaves it up for the next run; ``deploy/local/kafka.sh stop`` stops it then). When no broker can be had, the tests are skipped with the reason, or fail
under ``CI=true``.

``kafka_bus_factory`` gives each test its own topic prefix and deletes that test's topics after.
``local_kafka_broker`` controls a *second* broker on free ports with its own data directory, for
tests that stop and start a broker without disturbing the shared one.
"""

from __future__ import annotations

import gc
import os
import socket
import subprocess
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar, NoReturn

import pytest

from scamtrail.bus.kafka import KafkaBus
from scamtrail.errors import BusError
from tests.services import (
    LocalService,
    can_start,
    endpoint_from_file,
    keep_services,
    run_script,
    unavailable,
)

# kafka-python 3.0.12 sometimes drops a socket without closing it (a refused connect, a client
# closed while a connection is being set up); the garbage collector closes it and Python warns.
# Under filterwarnings=error that would fail whichever test happens to collect it, so tests that
# use Kafka ignore exactly that warning and collect their garbage before the next test starts.
KAFKA_SOCKET_WARNING = "ignore:unclosed <socket.socket:ResourceWarning"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Let every ``kafka`` test ignore the unclosed-socket warnings of kafka-python."""
    for item in items:
        if item.get_closest_marker("kafka") is not None:
            item.add_marker(pytest.mark.filterwarnings(KAFKA_SOCKET_WARNING))


@pytest.fixture(autouse=True)
def _collect_kafka_sockets(request: pytest.FixtureRequest) -> Iterator[None]:
    """After a ``kafka`` test, collect the sockets kafka-python left behind (see above)."""
    yield
    if request.node.get_closest_marker("kafka") is not None:
        gc.collect()


def _unavailable(reason: str) -> NoReturn:
    unavailable("Kafka", reason)


def _servers(url: str) -> list[str]:
    return [s for s in url.partition("://")[2].split("/")[0].split(",") if s]


def broker_answers(url: str) -> bool:
    """True when the first server of a ``kafka://`` URL accepts TCP and answers metadata."""
    servers = _servers(url)
    if not servers:
        return False
    host, _, port = servers[0].rpartition(":")
    try:
        with socket.create_connection((host or "127.0.0.1", int(port or 9092)), timeout=2):
            pass
    except (OSError, ValueError):
        return False
    bus = KafkaBus(servers)
    try:
        bus.health()
    except BusError:
        return False
    finally:
        bus.close()
    return True


def run_kafka_sh(
    command: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``deploy/local/kafka.sh COMMAND`` with extra environment; never raises on failure."""
    return run_script("kafka.sh", command, env)


@pytest.fixture(scope="session")
def kafka_url() -> Iterator[str]:
    """``kafka://host:port`` of a broker that answers; started from deploy/local when needed."""
    for candidate in (os.environ.get("KAFKA_URL"), endpoint_from_file("KAFKA_URL")):
        if candidate and broker_answers(candidate):
            yield candidate
            return
    can_start("Kafka", "kafka")
    started = run_kafka_sh("start")
    if started.returncode != 0:
        _unavailable(f"deploy/local/kafka.sh start failed:\n{started.stderr[-3000:]}")
    url = started.stdout.strip().splitlines()[-1]
    if not broker_answers(url):
        _unavailable(f"broker at {url} started but does not answer")
    yield url
    if not keep_services():
        run_kafka_sh("stop")


@pytest.fixture
def kafka_bus_factory(kafka_url: str) -> Iterator[Callable[..., KafkaBus]]:
    """``make(partitions=3, **kwargs) -> KafkaBus``; every bus of one test shares a unique prefix.

    After the test the buses are closed and every topic with the prefix is deleted.
    """
    prefix = f"t{uuid.uuid4().hex[:8]}."
    buses: list[KafkaBus] = []

    def make(partitions: int = 3, **kwargs: object) -> KafkaBus:
        bus = KafkaBus.from_url(kafka_url, prefix=prefix, partitions=partitions, **kwargs)
        buses.append(bus)
        return bus

    yield make
    for bus in buses:
        bus.close()
    cleaner = KafkaBus.from_url(kafka_url, prefix=prefix)
    try:
        cleaner.delete_topics(cleaner.existing_topics())
    finally:
        cleaner.close()


@dataclass
class LocalKafkaBroker(LocalService):
    """A broker of its own (ports, data directory) run through deploy/local/kafka.sh."""

    script: ClassVar[str] = "kafka.sh"
    what: ClassVar[str] = "second broker"
    env_names: ClassVar[tuple[str, str, str]] = (
        "KAFKA_PORT",
        "KAFKA_CONTROLLER_PORT",
        "KAFKA_DATA_DIR",
    )

    @property
    def controller_port(self) -> int:
        """The KRaft controller's port."""
        return self.second_port

    @property
    def url(self) -> str:
        """The broker's ``kafka://`` URL."""
        return f"kafka://127.0.0.1:{self.port}"


@pytest.fixture
def local_kafka_broker(kafka_url: str, tmp_path: Path) -> Iterator[LocalKafkaBroker]:
    """A second, private broker (started) that the test may stop and start; stopped after."""
    broker = LocalKafkaBroker(data_dir=tmp_path / "kafka")
    broker.start()
    try:
        yield broker
    finally:
        broker.stop()
