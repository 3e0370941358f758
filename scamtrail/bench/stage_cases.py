"""The stage cases: the extract stage and the stores alone, each beside its naive peer."""

from __future__ import annotations

import tempfile
import time

from scamtrail.bench.common import (
    bench_complaints,
    bench_enriched,
    bench_texts,
    open_bench_store,
)


def case_extract(n: int) -> dict[str, float]:
    from scamtrail.extract.pipeline import ComplaintExtractor

    extractor = ComplaintExtractor()
    complaints = bench_complaints(bench_texts(n))
    started, cpu = time.perf_counter(), time.process_time()
    for i in range(0, n, 512):
        extractor.enrich(complaints[i : i + 512])
    return {
        "items": n,
        "seconds": time.perf_counter() - started,
        "cpu_seconds": time.process_time() - cpu,
    }


def case_extract_naive(n: int) -> dict[str, float]:
    import phonenumbers
    import spacy

    nlp = spacy.blank("xx")
    textcat = nlp.add_pipe("textcat")  # spaCy's default textcat architecture
    for label in ("bank_fraud", "traffic", "other"):
        textcat.add_label(label)
    nlp.initialize()
    texts = bench_texts(n)
    started, cpu = time.perf_counter(), time.process_time()
    for text in texts:
        nlp(text)
        [m.number for m in phonenumbers.PhoneNumberMatcher(text, "IN")]
    return {
        "items": n,
        "seconds": time.perf_counter() - started,
        "cpu_seconds": time.process_time() - cpu,
    }


def _store_case(kind: str, n: int, batch: int) -> dict[str, float]:
    records = bench_enriched(n)
    with tempfile.TemporaryDirectory() as tmp:
        store = open_bench_store(kind, tmp)
        started = time.perf_counter()
        for i in range(0, n, batch):
            store.write(records[i : i + batch])
        elapsed = time.perf_counter() - started
        if hasattr(store, "drop"):
            store.drop()
        store.close()
    return {"items": n, "seconds": elapsed}


def case_store(n: int) -> dict[str, float]:
    return _store_case("sqlite", n, 500)


def case_store_naive(n: int) -> dict[str, float]:
    return _store_case("sqlite", n, 1)


def case_store_search(n: int) -> dict[str, float]:
    return _store_case("search", n, 500)


def case_store_search_naive(n: int) -> dict[str, float]:
    return _store_case("search", n, 1)
