"""What the benchmark cases share: the corpus-built complaints, peak memory, the stores under test."""

from __future__ import annotations

import json
import os
import random
import resource
import uuid
from pathlib import Path

from scamtrail.extract.classifier import CORPUS_DIR


def bench_texts(n: int, seed: int = 11) -> list[str]:
    """``n`` distinct complaint texts built from the corpus (each gets its own numbers)."""
    base = []
    for name in ("train.jsonl", "dev.jsonl", "test.jsonl"):
        path = CORPUS_DIR / name
        if path.exists():
            with path.open(encoding="utf-8") as lines:
                base += [json.loads(line)["text"] for line in lines]
    rng = random.Random(seed)
    out = []
    for i in range(n):
        text = base[i % len(base)]
        out.append(f"{text} ref {i} call {rng.choice('6789')}{rng.randrange(10**8, 10**9)}")
    return out


def bench_complaints(texts: list[str]):  # type: ignore[no-untyped-def]
    from scamtrail.records import Complaint

    return [
        Complaint(id=f"b:{i}", source="bench", text=t, created_at="2026-03-01T10:00:00Z")
        for i, t in enumerate(texts)
    ]


def peak_rss_mb() -> float:
    """Peak RSS of the case: its own, plus its largest child's (the e2e cases run the index
    stage in a child process, as ``scamtrail run`` does)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return (own + children) / 1024


# -- cases (each runs in a subprocess) ------------------------------------------------------
def bench_enriched(n: int):  # type: ignore[no-untyped-def]
    from scamtrail.extract.pipeline import ComplaintExtractor

    extractor = ComplaintExtractor()
    complaints = bench_complaints(bench_texts(n))
    out = []
    for i in range(0, n, 512):
        out += extractor.enrich(complaints[i : i + 512])[0]
    return out


#: The services' endpoints: Kafka, OpenSearch (SEARCH_URL) and Elasticsearch.
_ENDPOINT_KEYS = ("KAFKA_URL", "SEARCH_URL", "ELASTICSEARCH_URL")
#: Store kind -> the endpoint its search-engine store is on.
_STORE_URL_KEY = {"search": "SEARCH_URL", "elasticsearch": "ELASTICSEARCH_URL"}


def service_endpoints() -> dict[str, str]:
    """KAFKA_URL / SEARCH_URL / ELASTICSEARCH_URL from the environment or .services/endpoints.env."""
    found = {k: os.environ[k] for k in _ENDPOINT_KEYS if os.environ.get(k)}
    env_file = Path(".services/endpoints.env")
    if env_file.exists():
        for line in env_file.read_text().splitlines():
            key, _, value = line.partition("=")
            if key in _ENDPOINT_KEYS and value:
                found.setdefault(key, value.strip())
    return found


def open_bench_store(kind: str, tmp: str):  # type: ignore[no-untyped-def]
    """A fresh store for a case: SQLite under ``tmp`` or a uniquely prefixed search index
    (``search``: OpenSearch at SEARCH_URL, ``elasticsearch``: ELASTICSEARCH_URL)."""
    if kind == "sqlite":
        from scamtrail.index.sqlite import SqliteStore

        return SqliteStore(Path(tmp) / "store.db")
    from scamtrail.index.search_engine import SearchEngineStore

    store = SearchEngineStore(
        service_endpoints()[_STORE_URL_KEY[kind]], index_prefix=f"bench{uuid.uuid4().hex[:6]}-"
    )
    store.setup()
    return store
