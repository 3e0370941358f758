"""The store against its own history: ``n`` complaints, then ``n`` more, naming a few hot numbers.

Every complaint names a number of its own and one of :data:`HOT_NUMBERS` busy ones, authors
cycle over :data:`AUTHORS`; by the end of the second half each busy number has been seen
``2n / HOT_NUMBERS`` times. A store whose write cost grows with how often an identifier was seen
before spends more CPU per complaint on the second half than on the first; a flat one the same
(issue 19's "cost flat in history"). The verdict is on that CPU (the client's, plus the search
engine's JVM for the search store, read from ``.services``), since wall-clock rates on a shared
machine move with other work; the rates are printed beside it. The records are built directly, so the extract stage is not measured.
"""

from __future__ import annotations

import tempfile
import time
from typing import Any

from scamtrail.bench.common import open_bench_store
from scamtrail.bench.cpu import service_cpu_s

#: Busy numbers every complaint names one of.
HOT_NUMBERS = 5
#: Distinct complainants the complaints cycle over.
AUTHORS = 3000
#: Complaints per store write, as the index stage's default batch.
BATCH = 500


def history_records(start: int, stop: int) -> list[Any]:
    """Complaints ``start`` .. ``stop - 1`` of the history feed (see the module docstring)."""
    from scamtrail.records import Enriched, Identifier

    def phone(value: str) -> Identifier:
        return Identifier(kind="phone", value=value, text=value, start=0, end=len(value))

    out = []
    for i in range(start, stop):
        s = i % 86_400
        author = f"u{i % AUTHORS}"
        out.append(
            Enriched(
                id=f"h:{i}",
                source="bench",
                text=f"caller asked my OTP, ref {i}",
                created_at=f"2026-{1 + i // 86_400 % 12:02d}-01T{s // 3600:02d}:{s // 60 % 60:02d}"
                f":{s % 60:02d}Z",
                author={"id": author, "username": author, "name": author},
                category="bank_fraud",
                scores={"bank_fraud": 0.9},
                identifiers=[phone(f"+9180{i:08d}"), phone(f"+91900000{i % HOT_NUMBERS:04d}")],
                model="bench",
            )
        )
    return out


def _half(store: Any, records: list[Any], engine: str | None) -> tuple[float, float, float]:
    """(seconds, CPU seconds of this process, of the search engine's JVM) to write ``records``
    in batches."""
    started, cpu = time.perf_counter(), time.process_time()
    jvm = service_cpu_s().get(engine, 0.0) if engine else 0.0
    for i in range(0, len(records), BATCH):
        store.write(records[i : i + BATCH])
    jvm = service_cpu_s().get(engine, 0.0) - jvm if engine else 0.0
    return time.perf_counter() - started, time.process_time() - cpu, jvm


def store_history(kind: str, n: int) -> dict[str, Any]:
    """Write ``n`` then ``n`` more history complaints into a fresh ``kind`` store."""
    from scamtrail.runtime.consumer import settle_gc

    settle_gc()  # as the index stage's process does
    with tempfile.TemporaryDirectory() as tmp:
        store = open_bench_store(kind, tmp)
        try:
            engine = "search" if kind == "search" else None
            first = _half(store, history_records(0, n), engine)
            second = _half(store, history_records(n, 2 * n), engine)
            hot = store.lookup("phone", f"+91900000{0:04d}", limit=1).complaint_count
        finally:
            if hasattr(store, "drop"):
                store.drop()
            store.close()
    return {
        "items": 2 * n,
        "seconds": first[0] + second[0],
        "first_rate": n / first[0],
        "second_rate": n / second[0],
        "ratio": first[0] / second[0],
        "first_cpu_us": first[1] / n * 1e6,
        "second_cpu_us": second[1] / n * 1e6,
        "first_engine_us": first[2] / n * 1e6,
        "second_engine_us": second[2] / n * 1e6,
        # what a complaint costs (client + engine CPU), first half over second: the steadier
        # figure on a shared machine, where the wall-clock rates move with other work
        "cost_ratio": (first[1] + first[2]) / (second[1] + second[2]),
        "hot_count": hot,
    }


def case_store_history_sqlite(n: int) -> dict[str, Any]:
    return store_history("sqlite", n)


def case_store_history_search(n: int) -> dict[str, Any]:
    return store_history("search", n)


def history_line(name: str, r: dict[str, Any]) -> str:
    """One line of the history check: each half's rate and client CPU, and their ratio."""
    n = r["items"] // 2
    engine = (
        f", engine {r['first_engine_us']:,.0f} -> {r['second_engine_us']:,.0f}"
        if r.get("first_engine_us")
        else ""
    )
    return (
        f"{name:<22} {n:,} then {n:,} more ({HOT_NUMBERS} numbers seen {r['hot_count']:,} "
        f"times each): {r['first_rate']:,.0f}/s then {r['second_rate']:,.0f}/s "
        f"({r['ratio']:.2f}x); CPU us/complaint client {r['first_cpu_us']:,.0f} -> "
        f"{r['second_cpu_us']:,.0f}{engine} (cost {r['cost_ratio']:.2f}x: "
        f"{'flat' if r['cost_ratio'] >= 0.9 else 'NOT flat'})"
    )
