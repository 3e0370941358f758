"""The stage cases: the extract stage and the stores alone, each beside its naive peer."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from scamtrail.bench.common import (
    bench_complaints,
    bench_enriched,
    bench_texts,
    open_bench_store,
)
from scamtrail.runtime.consumer import settle_gc


def case_extract(n: int) -> dict[str, float]:
    """``enrich`` (classifier, identifiers, entities, records) on ``n`` distinct tweets, and the
    start-up before it: importing the stage and loading the model and the scanner."""
    loading = time.perf_counter()
    from scamtrail.extract.pipeline import ComplaintExtractor

    extractor = ComplaintExtractor()
    startup = time.perf_counter() - loading
    complaints = bench_complaints(bench_texts(n))
    settle_gc()  # as the stage processes and ``scamtrail extract`` do
    started, cpu = time.perf_counter(), time.process_time()
    for i in range(0, n, 512):
        extractor.enrich(complaints[i : i + 512])
    return {
        "items": n,
        "seconds": time.perf_counter() - started,
        "cpu_seconds": time.process_time() - cpu,
        "startup_s": startup,
    }


#: The naive peer of ``scamtrail extract``: one spaCy call per tweet with spaCy's default
#: textcat, and ``PhoneNumberMatcher`` on every text, JSONL in and out.
_NAIVE_EXTRACT = """
import json, sys
import phonenumbers, spacy
nlp = spacy.blank("xx")
textcat = nlp.add_pipe("textcat")
for label in ("bank_fraud", "traffic", "other"):
    textcat.add_label(label)
nlp.initialize()
with open(sys.argv[1], encoding="utf-8") as src, open(sys.argv[2], "w") as dst:
    for line in src:
        record = json.loads(line)
        doc = nlp(record["text"])
        phones = [phonenumbers.format_number(m.number, phonenumbers.PhoneNumberFormat.E164)
                  for m in phonenumbers.PhoneNumberMatcher(record["text"], "IN")]
        dst.write(json.dumps({"id": record["id"], "scores": doc.cats, "phones": phones}) + "\\n")
"""


def _timed_process(cmd: list[str], n: int) -> dict[str, float]:
    """Run ``cmd`` to the end: wall and CPU seconds of the whole process, start-up included."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"items": n, "seconds": seconds, "cpu_seconds": cpu}


def _extract_input(n: int, tmp: str) -> Path:
    path = Path(tmp) / "tweets.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for i, text in enumerate(bench_texts(n)):
            fh.write(json.dumps({"id": f"b:{i}", "text": text}, ensure_ascii=False) + "\n")
    return path


def case_extract_process(n: int, workers: int = 0) -> dict[str, float]:
    """The whole ``scamtrail extract`` process on ``n`` tweets (JSONL file to JSONL file), with
    its default of one worker per core (``workers`` 0) or the given number."""
    with tempfile.TemporaryDirectory() as tmp:
        src = _extract_input(n, tmp)
        cmd = [sys.executable, "-m", "scamtrail.cli", "extract", "-i", str(src), "-o", os.devnull]
        return _timed_process([*cmd, "--workers", str(workers)], n)


def case_extract_process_one_worker(n: int) -> dict[str, float]:
    """``scamtrail extract --workers 1``: the process on one core, for the per-core figure."""
    return case_extract_process(n, workers=1)


def case_extract_process_naive(n: int) -> dict[str, float]:
    """The naive peer's whole process on the same ``n`` tweets."""
    with tempfile.TemporaryDirectory() as tmp:
        src = _extract_input(n, tmp)
        return _timed_process([sys.executable, "-c", _NAIVE_EXTRACT, str(src), os.devnull], n)


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
    settle_gc()  # as the index stage's process does
    return _store_case("sqlite", n, 500)


def case_store_naive(n: int) -> dict[str, float]:
    return _store_case("sqlite", n, 1)


def case_store_search(n: int) -> dict[str, float]:
    settle_gc()
    return _store_case("search", n, 500)


def case_store_search_naive(n: int) -> dict[str, float]:
    return _store_case("search", n, 1)


def case_store_elasticsearch(n: int) -> dict[str, float]:
    return _store_case("elasticsearch", n, 500)


def case_store_elasticsearch_naive(n: int) -> dict[str, float]:
    return _store_case("elasticsearch", n, 1)
