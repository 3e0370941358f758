"""Fixtures for tests that need a real search engine (markers ``opensearch``, ``elasticsearch``).

``search_url`` (session) is parametrised over both engines: for OpenSearch it reuses
``SEARCH_URL``, for Elasticsearch ``ELASTICSEARCH_URL``, from the environment or from
``.services/endpoints.env`` (written by ``deploy/local/search.sh`` / ``elasticsearch.sh``), when
that engine answers; otherwise it starts the local node (OpenSearch 2.19 or Elasticsearch 8.19 from
Maven Central jars) and stops it again at the end of the session (set ``KEEP_SERVICES=1`` to
leave it up for the next run). When an engine cannot be had, its cases are skipped with the
reason, or fail under ``CI=true``.

``search_store_factory`` gives each test its own index prefix (``t<8 hex>-``); every store it makes
shares that prefix, and the test's indices and templates are deleted after it.
``local_search_node`` controls a *second* node on free ports with its own data directory, for tests
that stop and start the engine without disturbing the shared one.
"""

from __future__ import annotations

import os
import subprocess
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, NoReturn

import pytest
from scamtrail.index.search_engine import SearchEngineStore

from scamtrail.errors import ConfigError, StoreError
from tests.services import (
    LocalService,
    can_start,
    endpoint_from_file,
    keep_services,
    run_script,
    unavailable,
)


def _unavailable(reason: str) -> NoReturn:
    unavailable("search engine", reason)


def engine_problem(url: str) -> str | None:
    """None when the engine at ``url`` answers with health yellow or green, else why not."""
    try:
        store = SearchEngineStore(url, index_prefix="probe-")
    except ConfigError as exc:
        return str(exc)
    try:
        store.health()
    except StoreError as exc:
        return str(exc)
    finally:
        store.close()
    return None


def run_search_sh(
    command: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``deploy/local/search.sh COMMAND`` with extra environment; never raises on failure."""
    return run_script("search.sh", command, env)


@dataclass(frozen=True)
class EngineService:
    """How one engine is found or started: its endpoint key, script and service directory."""

    name: str
    url_key: str
    script: str
    lib: str


ENGINES = {
    "opensearch": EngineService("OpenSearch", "SEARCH_URL", "search.sh", "search"),
    "elasticsearch": EngineService(
        "Elasticsearch", "ELASTICSEARCH_URL", "elasticsearch.sh", "elasticsearch"
    ),
}
#: Cases of every test that takes ``search_url``: one per engine, each with its own marker.
ENGINE_PARAMS = [
    pytest.param("opensearch", marks=pytest.mark.opensearch, id="opensearch"),
    pytest.param("elasticsearch", marks=pytest.mark.elasticsearch, id="elasticsearch"),
]


def _engine_url(engine: EngineService) -> Iterator[str]:
    """The URL of ``engine``: from the environment, .services/endpoints.env, or a fresh start."""
    tried = []
    for candidate in (os.environ.get(engine.url_key), endpoint_from_file(engine.url_key)):
        if not candidate:
            continue
        problem = engine_problem(candidate)
        if problem is None:
            yield candidate
            return
        tried.append(f"{candidate}: {problem}")
    can_start(engine.name, engine.lib)
    started = run_script(engine.script, "start")
    if started.returncode != 0:
        before = "".join(f"\n  tried {t}" for t in tried)
        unavailable(
            engine.name,
            f"deploy/local/{engine.script} start failed:{before}\n{started.stderr[-3000:]}",
        )
    lines = [ln for ln in started.stdout.splitlines() if ln.startswith(f"{engine.url_key}=")]
    url = lines[-1].partition("=")[2] if lines else (endpoint_from_file(engine.url_key) or "")
    problem = engine_problem(url)
    if problem is not None:
        unavailable(engine.name, f"engine at {url} started but does not answer: {problem}")
    yield url
    if not keep_services():
        run_script(engine.script, "stop")


@pytest.fixture(scope="session")
def opensearch_url() -> Iterator[str]:
    """``opensearch+http://host:port`` of an OpenSearch node that answers."""
    yield from _engine_url(ENGINES["opensearch"])


@pytest.fixture(scope="session")
def elasticsearch_url() -> Iterator[str]:
    """``elasticsearch+http://host:port`` of an Elasticsearch node that answers."""
    yield from _engine_url(ENGINES["elasticsearch"])


@pytest.fixture(scope="session", params=ENGINE_PARAMS)
def search_url(request: pytest.FixtureRequest) -> str:
    """``<engine>+http://host:port`` of an engine that answers, once per engine (OpenSearch and
    Elasticsearch); started from deploy/local if needed. Locally an engine that cannot be had skips
    its cases; under ``CI=true`` they fail."""
    return str(request.getfixturevalue(f"{request.param}_url"))


@contextmanager
def store_factory_on(url: str) -> Iterator[Callable[..., SearchEngineStore]]:
    """``make(**kwargs) -> SearchEngineStore`` on ``url``, one index prefix for all it makes.

    Afterwards the stores are closed and the prefix's indices and templates are deleted.
    """
    prefix = f"t{uuid.uuid4().hex[:8]}-"
    stores: list[SearchEngineStore] = []

    def make(**kwargs: Any) -> SearchEngineStore:
        store = SearchEngineStore(url, index_prefix=prefix, **kwargs)
        stores.append(store)
        return store

    try:
        yield make
    finally:
        for store in stores:
            store.close()
        cleaner = SearchEngineStore(url, index_prefix=prefix)
        try:
            cleaner.drop()
        finally:
            cleaner.close()


@pytest.fixture
def search_store_factory(search_url: str) -> Iterator[Callable[..., SearchEngineStore]]:
    """Stores on the session's engine (each engine in turn), one index prefix per test."""
    with store_factory_on(search_url) as make:
        yield make


@dataclass
class LocalSearchNode(LocalService):
    """A node of its own (ports, data directory) run through deploy/local/search.sh."""

    script: ClassVar[str] = "search.sh"
    what: ClassVar[str] = "second search node"
    env_names: ClassVar[tuple[str, str, str]] = (
        "SEARCH_PORT",
        "SEARCH_TRANSPORT_PORT",
        "SEARCH_DATA_DIR",
    )
    url: str = ""

    @property
    def transport_port(self) -> int:
        """The node's transport port."""
        return self.second_port

    def _started(self, stdout: str) -> bool:
        lines = [ln for ln in stdout.splitlines() if ln.startswith("SEARCH_URL=")]
        if lines:
            self.url = lines[-1].partition("=")[2]
        return bool(lines)


@pytest.fixture
def local_search_node(opensearch_url: str, tmp_path: Path) -> Iterator[LocalSearchNode]:
    """A second, private OpenSearch node (started) that the test may stop and start; stopped
    after. Mark its tests ``opensearch``."""
    node = LocalSearchNode(data_dir=tmp_path / "search")
    node.start()
    try:
        yield node
    finally:
        node.stop()
