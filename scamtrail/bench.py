"""Benchmarks (``make bench``): each stage and the whole pipeline beside a naive implementation.

Every case runs in its own subprocess so its peak RSS is its own. Figures are throughput
(complaints/s) and peak memory, printed as a table with the ratio to the naive implementation
measured in the same run, and the corpus size. The naive implementations are what a first attempt
would do: one ``nlp()`` call per tweet with spaCy's default textcat, ``PhoneNumberMatcher`` on
every text, one store write per complaint.

    python -m scamtrail.bench [--n 20000] [--naive-n 3000] [--only CASES] [--json FILE]

With Kafka and the search engine running (``make services``), the search-engine store and the
pipeline through Kafka + search engine are measured too.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from scamtrail.extract.classifier import CORPUS_DIR


def _texts(n: int, seed: int = 11) -> list[str]:
    """``n`` distinct complaint texts built from the corpus (each gets its own numbers)."""
    base = []
    for name in ("train.jsonl", "dev.jsonl", "test.jsonl"):
        path = CORPUS_DIR / name
        if path.exists():
            base += [json.loads(line)["text"] for line in path.open(encoding="utf-8")]
    rng = random.Random(seed)
    out = []
    for i in range(n):
        text = base[i % len(base)]
        out.append(f"{text} ref {i} call {rng.choice('6789')}{rng.randrange(10**8, 10**9)}")
    return out


def _complaints(texts: list[str]):  # type: ignore[no-untyped-def]
    from scamtrail.records import Complaint

    return [
        Complaint(id=f"b:{i}", source="bench", text=t, created_at="2026-03-01T10:00:00Z")
        for i, t in enumerate(texts)
    ]


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# -- cases (each runs in a subprocess) ------------------------------------------------------
def case_extract(n: int) -> dict[str, float]:
    from scamtrail.extract.pipeline import ComplaintExtractor

    extractor = ComplaintExtractor()
    complaints = _complaints(_texts(n))
    started = time.perf_counter()
    for i in range(0, n, 512):
        extractor.enrich(complaints[i : i + 512])
    return {"items": n, "seconds": time.perf_counter() - started}


def case_extract_naive(n: int) -> dict[str, float]:
    import phonenumbers
    import spacy

    nlp = spacy.blank("xx")
    textcat = nlp.add_pipe("textcat")  # spaCy's default textcat architecture
    for label in ("bank_fraud", "traffic", "other"):
        textcat.add_label(label)
    nlp.initialize()
    texts = _texts(n)
    started = time.perf_counter()
    for text in texts:
        nlp(text)
        [m.number for m in phonenumbers.PhoneNumberMatcher(text, "IN")]
    return {"items": n, "seconds": time.perf_counter() - started}


def _enriched(n: int):  # type: ignore[no-untyped-def]
    from scamtrail.extract.pipeline import ComplaintExtractor

    extractor = ComplaintExtractor()
    complaints = _complaints(_texts(n))
    out = []
    for i in range(0, n, 512):
        out += extractor.enrich(complaints[i : i + 512])[0]
    return out


def _services() -> dict[str, str]:
    """KAFKA_URL / SEARCH_URL from the environment or .services/endpoints.env."""
    found = {k: os.environ[k] for k in ("KAFKA_URL", "SEARCH_URL") if os.environ.get(k)}
    env_file = Path(".services/endpoints.env")
    if env_file.exists():
        for line in env_file.read_text().splitlines():
            key, _, value = line.partition("=")
            if key in ("KAFKA_URL", "SEARCH_URL") and value:
                found.setdefault(key, value.strip())
    return found


def _open_store(kind: str, tmp: str):  # type: ignore[no-untyped-def]
    if kind == "sqlite":
        from scamtrail.index.sqlite import SqliteStore

        return SqliteStore(Path(tmp) / "store.db")
    from scamtrail.index.search_engine import SearchEngineStore

    store = SearchEngineStore(
        _services()["SEARCH_URL"], index_prefix=f"bench{uuid.uuid4().hex[:6]}-"
    )
    store.setup()
    return store


def _store_case(kind: str, n: int, batch: int) -> dict[str, float]:
    records = _enriched(n)
    with tempfile.TemporaryDirectory() as tmp:
        store = _open_store(kind, tmp)
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


def case_e2e(n: int, backends: str = "embedded") -> dict[str, float]:
    from scamtrail.bus import open_bus
    from scamtrail.extract.pipeline import ComplaintExtractor
    from scamtrail.index import open_store
    from scamtrail.ingest.replay import ReplaySource
    from scamtrail.pipeline import IndexStage, Ingestor, ProcessStage, run_all
    from scamtrail.settings import load_settings

    with tempfile.TemporaryDirectory() as tmp:
        feed = Path(tmp) / "feed.jsonl"
        with feed.open("w", encoding="utf-8") as fh:
            for i, text in enumerate(_texts(n)):
                fh.write(
                    json.dumps({"id": f"b:{i}", "text": text, "created_at": "2026-03-01T10:00:00Z"})
                    + "\n"
                )
        urls = _services()
        tag = uuid.uuid4().hex[:6]
        s = load_settings(
            home=Path(tmp) / "home",
            bus=urls["KAFKA_URL"] if backends == "kafka" else None,
            store=urls["SEARCH_URL"] if backends == "kafka" else None,
            topic_prefix=f"bench{tag}.",
            index_prefix=f"bench{tag}-",
        )
        extractor = ComplaintExtractor()
        started = time.perf_counter()
        with open_bus(s) as bus, open_store(s) as store:
            process = ProcessStage(bus, extractor, settings=s.stage)
            index = IndexStage(bus, store, settings=s.stage)
            run_all(
                process,
                index,
                source=ReplaySource(feed),
                ingestor=Ingestor(bus),
                until_drained=True,
            )
            elapsed = time.perf_counter() - started
            assert store.stats().complaints == n
            if hasattr(store, "drop"):
                store.drop()
    return {"items": n, "seconds": elapsed}


def case_e2e_kafka(n: int) -> dict[str, float]:
    return case_e2e(n, "kafka")


def case_e2e_naive(n: int, store_kind: str = "sqlite") -> dict[str, float]:
    import phonenumbers
    import spacy

    from scamtrail.ingest.payloads import parse_line
    from scamtrail.records import Enriched, Identifier

    nlp = spacy.blank("xx")
    textcat = nlp.add_pipe("textcat")
    for label in ("bank_fraud", "traffic", "other"):
        textcat.add_label(label)
    nlp.initialize()
    lines = [
        json.dumps({"id": f"b:{i}", "text": t, "created_at": "2026-03-01T10:00:00Z"})
        for i, t in enumerate(_texts(n))
    ]
    with tempfile.TemporaryDirectory() as tmp:
        store = _open_store(store_kind, tmp)
        started = time.perf_counter()
        for line in lines:
            (c,) = parse_line(line)
            doc = nlp(c.text)
            phones = [
                Identifier(
                    kind="phone",
                    value=phonenumbers.format_number(m.number, phonenumbers.PhoneNumberFormat.E164),
                    text=m.raw_string,
                    start=m.start,
                    end=m.end,
                )
                for m in phonenumbers.PhoneNumberMatcher(c.text, "IN")
            ]
            store.write(
                [
                    Enriched.from_complaint(
                        c, category=max(doc.cats, key=doc.cats.get), identifiers=phones
                    )
                ]
            )
        elapsed = time.perf_counter() - started
        if hasattr(store, "drop"):
            store.drop()
        store.close()
    return {"items": n, "seconds": elapsed}


def case_e2e_search_naive(n: int) -> dict[str, float]:
    return case_e2e_naive(n, "search")


CASES = {
    "extract": (case_extract, "extract-naive", case_extract_naive),
    "store-sqlite": (case_store, "store-sqlite-naive", case_store_naive),
    "e2e-embedded": (case_e2e, "e2e-embedded-naive", case_e2e_naive),
}
#: Cases that need the services from `make services` (run when both endpoints answer).
SERVICE_CASES = {
    "store-search": (case_store_search, "store-search-naive", case_store_search_naive),
    "e2e-kafka-search": (case_e2e_kafka, "e2e-kafka-search-naive", case_e2e_search_naive),
}
_ALL = {name: fn for name, (fn, _, _) in (CASES | SERVICE_CASES).items()} | {
    naive_name: naive_fn for _, (_, naive_name, naive_fn) in (CASES | SERVICE_CASES).items()
}


def _run_case(name: str, n: int) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-m", "scamtrail.bench", "--case", name, "--n", str(n)],
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode != 0:
        raise SystemExit(f"benchmark case {name} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark table (or one case, for the subprocesses)."""
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--n", type=int, default=20000, help="complaints for the optimised cases")
    ap.add_argument("--naive-n", type=int, default=3000, help="complaints for the naive cases")
    ap.add_argument("--only", default="", help="comma-separated case names (default: all)")
    ap.add_argument("--json", dest="json_out", default=None, help="also write the results here")
    ap.add_argument("--case", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.case:
        result = _ALL[args.case](args.n)
        result["rate"] = result["items"] / result["seconds"]
        result["peak_rss_mb"] = _peak_rss_mb()
        print(json.dumps(result))
        return
    table = dict(CASES)
    if len(_services()) == 2:
        table.update(SERVICE_CASES)
    else:
        print("(Kafka/search engine not running: `make services` adds their cases)", flush=True)
    wanted = [c for c in args.only.split(",") if c] or list(table)
    rows = []
    print(
        f"{'case':<16} {'n':>7} {'complaints/s':>13} {'peak MB':>8}   {'naive n':>7} {'naive/s':>9} {'naive MB':>8}   {'speed-up':>8}"
    )
    for name in wanted:
        if name not in table:
            known = ", ".join(CASES | SERVICE_CASES)
            print(
                f"{name}: skipped ({'needs `make services`' if name in SERVICE_CASES else 'unknown; cases: ' + known})"
            )
            continue
        _, naive_name, _ = table[name]
        fast = _run_case(name, args.n)
        slow = _run_case(naive_name, args.naive_n)
        ratio = fast["rate"] / slow["rate"]
        rows.append({"case": name, "optimised": fast, "naive": slow, "speedup": ratio})
        print(
            f"{name:<16} {fast['items']:>7} {fast['rate']:>13,.0f} {fast['peak_rss_mb']:>8.0f}   "
            f"{slow['items']:>7} {slow['rate']:>9,.0f} {slow['peak_rss_mb']:>8.0f}   {ratio:>7.1f}x",
            flush=True,
        )
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
