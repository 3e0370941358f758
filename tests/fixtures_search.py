"""Fixtures for tests that need a real search engine (``@pytest.mark.elasticsearch``).

``search_url`` (session) reuses ``SEARCH_URL`` from the environment, or the one that
``deploy/local/search.sh`` wrote to ``.services/endpoints.env``, when that engine answers;
otherwise it starts the local node (OpenSearch 2.19 from Maven Central jars) and stops it again at
the end of the session (set ``SEARCH_KEEP_RUNNING=1`` to leave it up for the next run). When no
engine can be had, the tests are skipped with the reason, or fail under ``CI=true``.

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


@pytest.fixture(scope="session")
def search_url() -> Iterator[str]:
    """``<engine>+http://host:port`` of an engine that answers; started from deploy/local if needed."""
    tried = []
    for candidate in (os.environ.get("SEARCH_URL"), endpoint_from_file("SEARCH_URL")):
        if not candidate:
            continue
        problem = engine_problem(candidate)
        if problem is None:
            yield candidate
            return
        tried.append(f"{candidate}: {problem}")
    can_start("search engine", "search")
    started = run_search_sh("start")
    if started.returncode != 0:
        before = "".join(f"\n  tried {t}" for t in tried)
        _unavailable(f"deploy/local/search.sh start failed:{before}\n{started.stderr[-3000:]}")
    lines = [ln for ln in started.stdout.splitlines() if ln.startswith("SEARCH_URL=")]
    url = lines[-1].partition("=")[2] if lines else (endpoint_from_file("SEARCH_URL") or "")
    problem = engine_problem(url)
    if problem is not None:
        _unavailable(f"engine at {url} started but does not answer: {problem}")
    yield url
    if os.environ.get("SEARCH_KEEP_RUNNING") != "1":
        run_search_sh("stop")


@pytest.fixture
def search_store_factory(search_url: str) -> Iterator[Callable[..., SearchEngineStore]]:
    """``make(**kwargs) -> SearchEngineStore`` on the session's engine, one index prefix per test.

    After the test the stores are closed and the prefix's indices and templates are deleted.
    """
    prefix = f"t{uuid.uuid4().hex[:8]}-"
    stores: list[SearchEngineStore] = []

    def make(**kwargs: Any) -> SearchEngineStore:
        store = SearchEngineStore(search_url, index_prefix=prefix, **kwargs)
        stores.append(store)
        return store

    yield make
    for store in stores:
        store.close()
    cleaner = SearchEngineStore(search_url, index_prefix=prefix)
    try:
        cleaner.drop()
    finally:
        cleaner.close()


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
def local_search_node(search_url: str, tmp_path: Path) -> Iterator[LocalSearchNode]:
    """A second, private node (started) that the test may stop and start; stopped after."""
    node = LocalSearchNode(data_dir=tmp_path / "search")
    node.start()
    try:
        yield node
    finally:
        node.stop()
