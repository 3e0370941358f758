"""The naive end-to-end peer: one complaint at a time, parse -> ``nlp()`` -> phone matcher -> one
store write, with the latency definition of :mod:`scamtrail.bench.e2e` (it has no queue: it reads a
line when done)."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

from scamtrail.bench.e2e import LatencyHistogram, epoch, write_feed


def case_e2e_naive(n: int, store_kind: str = "sqlite") -> dict[str, Any]:
    """One complaint at a time: parse, ``nlp()``, phone matcher, one store write each."""
    import phonenumbers
    import spacy

    from scamtrail.bench.common import open_bench_store
    from scamtrail.ingest.payloads import parse_line
    from scamtrail.records import Enriched, Identifier

    nlp = spacy.blank("xx")
    textcat = nlp.add_pipe("textcat")  # spaCy's default textcat architecture
    for label in ("bank_fraud", "traffic", "other"):
        textcat.add_label(label)
    nlp.initialize()
    latencies = LatencyHistogram()
    with tempfile.TemporaryDirectory() as tmp:
        feed = write_feed(Path(tmp) / "feed.jsonl", n)
        store = open_bench_store(store_kind, tmp)
        started = time.perf_counter()
        with feed.open("rb") as fh:
            for line in fh:
                (c,) = parse_line(line)
                received = epoch(c.received_at)
                doc = nlp(c.text)
                phones = [
                    Identifier(
                        kind="phone",
                        value=phonenumbers.format_number(
                            m.number, phonenumbers.PhoneNumberFormat.E164
                        ),
                        text=m.raw_string,
                        start=m.start,
                        end=m.end,
                    )
                    for m in phonenumbers.PhoneNumberMatcher(c.text, "IN")
                ]
                category = max(doc.cats, key=doc.cats.get)  # type: ignore[arg-type]
                store.write([Enriched.from_complaint(c, category=category, identifiers=phones)])
                latencies.add(time.time() - received)
        elapsed = time.perf_counter() - started
        if hasattr(store, "drop"):
            store.drop()
        store.close()
    return {"items": n, "seconds": elapsed, **latencies.percentiles()}


def case_e2e_search_naive(n: int) -> dict[str, Any]:
    """The naive pipeline writing to the search engine."""
    return case_e2e_naive(n, "search")
