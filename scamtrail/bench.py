"""Benchmarks (``make bench``): each stage and the whole pipeline beside a naive implementation.

Every case runs in its own subprocess so its peak RSS is its own. Figures are throughput
(complaints/s) and peak memory, printed as a table with the ratio to the naive implementation
measured in the same run, and the corpus size. The naive implementations are what a first attempt
would do: one ``nlp()`` call per tweet with spaCy's default textcat, ``PhoneNumberMatcher`` on
every text, one store write per complaint.

    python -m scamtrail.bench [--n 20000] [--naive-n 3000] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
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


def case_store(n: int) -> dict[str, float]:
    from scamtrail.index.sqlite import SqliteStore

    records = _enriched(n)
    with tempfile.TemporaryDirectory() as tmp:
        store = SqliteStore(Path(tmp) / "store.db")
        started = time.perf_counter()
        for i in range(0, n, 500):
            store.write(records[i : i + 500])
        elapsed = time.perf_counter() - started
        store.close()
    return {"items": n, "seconds": elapsed}


def case_store_naive(n: int) -> dict[str, float]:
    from scamtrail.index.sqlite import SqliteStore

    records = _enriched(n)
    with tempfile.TemporaryDirectory() as tmp:
        store = SqliteStore(Path(tmp) / "store.db")
        started = time.perf_counter()
        for r in records:
            store.write([r])
        elapsed = time.perf_counter() - started
        store.close()
    return {"items": n, "seconds": elapsed}


def case_e2e(n: int) -> dict[str, float]:
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
                fh.write(json.dumps({"id": f"b:{i}", "text": text, "created_at": "2026-03-01T10:00:00Z"}) + "\n")
        s = load_settings(home=Path(tmp) / "home", bus=None, store=None)
        extractor = ComplaintExtractor()
        started = time.perf_counter()
        with open_bus(s) as bus, open_store(s) as store:
            process = ProcessStage(bus, extractor, settings=s.stage)
            index = IndexStage(bus, store, settings=s.stage)
            run_all(process, index, source=ReplaySource(feed), ingestor=Ingestor(bus), until_drained=True)
            assert store.stats().complaints == n
        elapsed = time.perf_counter() - started
    return {"items": n, "seconds": elapsed}


def case_e2e_naive(n: int) -> dict[str, float]:
    import phonenumbers
    import spacy

    from scamtrail.index.sqlite import SqliteStore
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
        store = SqliteStore(Path(tmp) / "store.db")
        started = time.perf_counter()
        for line in lines:
            (c,) = parse_line(line)
            doc = nlp(c.text)
            phones = [
                Identifier(kind="phone", value=phonenumbers.format_number(m.number, phonenumbers.PhoneNumberFormat.E164),
                           text=m.raw_string, start=m.start, end=m.end)
                for m in phonenumbers.PhoneNumberMatcher(c.text, "IN")
            ]
            store.write([Enriched.from_complaint(c, category=max(doc.cats, key=doc.cats.get), identifiers=phones)])
        elapsed = time.perf_counter() - started
        store.close()
    return {"items": n, "seconds": elapsed}


CASES = {
    "extract": (case_extract, "extract-naive", case_extract_naive),
    "store-sqlite": (case_store, "store-sqlite-naive", case_store_naive),
    "e2e-embedded": (case_e2e, "e2e-embedded-naive", case_e2e_naive),
}
_ALL = {name: fn for name, (fn, naive_name, naive_fn) in CASES.items()} | {
    naive_name: naive_fn for _, (_, naive_name, naive_fn) in CASES.items()
}


def _run_case(name: str, n: int) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-m", "scamtrail.bench", "--case", name, "--n", str(n)],
        capture_output=True, text=True, check=False,
    )
    if out.returncode != 0:
        raise SystemExit(f"benchmark case {name} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark table (or one case, for the subprocesses)."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
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
    wanted = [c for c in args.only.split(",") if c] or list(CASES)
    rows = []
    print(f"{'case':<16} {'n':>7} {'complaints/s':>13} {'peak MB':>8}   {'naive n':>7} {'naive/s':>9} {'naive MB':>8}   {'speed-up':>8}")
    for name in wanted:
        _, naive_name, _ = CASES[name]
        fast = _run_case(name, args.n)
        slow = _run_case(naive_name, args.naive_n)
        ratio = fast["rate"] / slow["rate"]
        rows.append({"case": name, "optimised": fast, "naive": slow, "speedup": ratio})
        print(f"{name:<16} {fast['items']:>7} {fast['rate']:>13,.0f} {fast['peak_rss_mb']:>8.0f}   "
              f"{slow['items']:>7} {slow['rate']:>9,.0f} {slow['peak_rss_mb']:>8.0f}   {ratio:>7.1f}x", flush=True)
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
