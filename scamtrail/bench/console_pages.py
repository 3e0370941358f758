"""The console benchmark case: every console page's answer time on a store of ``n`` complaints.

The store is SQLite, filled with ``n`` enriched complaints whose phone numbers and UPI IDs are
drawn log-uniformly from pools (a heavy head: the most named number is in about 6% of the
complaints, as a gang's number in a busy cell's inbox), so rankings, a hot identifier's dossier
and rings over links all have real work to do; repeat alerts are recorded for every identifier
named twice or more. Pages are then asked through the full ASGI app in-process (FastAPI's
TestClient: routing, session check, audit, rendering; no socket), ``ROUNDS`` times each after
one warm-up request, as a signed-in investigator. The result has each page's p50, p95 and max in
ms, and the page with the highest p95 (the issue's target: every page under 200 ms). The max is
reported but not judged: on a shared machine one request in twenty may wait for another process.
"""

from __future__ import annotations

import gc
import random
import re
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

ROUNDS = 20
BATCH = 1000


def _records(n: int, seed: int = 5):  # type: ignore[no-untyped-def]
    from scamtrail.bench.common import bench_texts
    from scamtrail.records import Enriched, Identifier

    rng = random.Random(seed)
    texts = bench_texts(min(n, 5000), seed)
    phones = max(10, n // 4)
    upis = max(5, n // 20)
    categories = ("bank_fraud",) * 6 + ("other",) * 3 + ("traffic",)
    out = []
    for i in range(n):
        number = f"+9198{int(phones ** rng.random()):08d}"
        idents = [Identifier(kind="phone", value=number, text=number[3:])]
        text = f"{texts[i % len(texts)]} call {number[3:]}"
        if rng.random() < 0.25:
            upi = f"pay{int(upis ** rng.random())}@ybl"
            idents.append(Identifier(kind="upi", value=upi, text=upi))
            text += f" pay {upi}"
        day = rng.randrange(120)
        out.append(
            Enriched(
                id=f"b:{i}",
                source="x" if i % 7 else "intake",
                text=text,
                created_at=f"2026-{1 + day // 30:02d}-{1 + day % 28:02d}T{i % 24:02d}:00:00Z",
                author={"id": str(rng.randrange(n)), "username": f"c{i}", "name": None},
                category=categories[i % len(categories)],
                scores={},
                identifiers=idents,
                needs_review=i % 13 == 0,
                model="bench",
            )
        )
    return out


def _alerts(store) -> int:  # type: ignore[no-untyped-def]
    from scamtrail.records import Alert

    alerts = [
        Alert(
            id=f"repeat:{e.kind}:{e.value}:2",
            rule="repeat",
            level=2,
            identifier={"kind": e.kind, "value": e.value},
            complaint_ids=[],
            categories=list(e.categories),
            complaint_count=e.complaint_count,
        )
        for e in store.top_identifiers(5000, 2)
    ]
    store.record_alerts(alerts)
    return len(alerts)


def _timed(client, url: str) -> list[float]:  # type: ignore[no-untyped-def]
    r = client.get(url)
    assert r.status_code == 200, (url, r.status_code, r.text[:300])
    times = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        r = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert r.status_code == 200, url
    return times


def case_console(n: int) -> dict[str, Any]:
    """Fill a store with ``n`` complaints, then time every console page (see the module doc)."""
    from fastapi.testclient import TestClient

    from scamtrail.api import create_app
    from scamtrail.api.keys import KeyStore
    from scamtrail.bus.embedded import EmbeddedBus
    from scamtrail.index.sqlite import SqliteStore

    tmp = Path(tempfile.mkdtemp(prefix="bench-console-"))
    store = SqliteStore(tmp / "store.db")
    records = _records(n)
    fill_start = time.perf_counter()
    for i in range(0, n, BATCH):
        store.write(records[i : i + BATCH])
    fill_s = time.perf_counter() - fill_start
    # the served process holds no complaints in memory: neither do we while timing it (a full
    # garbage collection walking n records would stall a request for hundreds of ms)
    del records
    gc.collect()
    alerts = _alerts(store)
    hot = store.top_identifiers(1, 2)[0]
    upi = store.top_identifiers(1, 2, "upi")[0]
    keys = KeyStore(tmp / "keys.db")
    token = keys.create("bench", "investigator")[1]
    bus = EmbeddedBus(tmp / "bus.db")
    app = create_app(bus, store, keys, rate=1e6, burst=10**6)
    pages = {
        "signin": "/console/signin",
        "search": "/console/search",
        "search-words": "/console/search?q=otp+bank&category=bank_fraud",
        "search-filters": "/console/search?q=kyc&since=2026-02-01&until=2026-03-31&source=intake&needs_review=no",
        "search-page-25": "/console/search?q=call&page=25",
        "dossier-hot-phone": f"/console/identifier?kind=phone&value={hot.value}",
        "dossier-hot-upi": f"/console/identifier?kind=upi&value={upi.value}",
        "dossier-unknown": "/console/identifier?value=%2B919000000001",
        "alerts": "/console/alerts",
        "alerts-json": "/console/alerts.json",
        "registry": "/console/registry",
        "registry-filtered": "/console/registry?kind=phone&category=traffic",
    }
    timings: dict[str, dict[str, float]] = {}
    start = time.perf_counter()
    with TestClient(app) as client:
        form = client.get("/console/signin").text
        csrf = re.search(r'name="csrf" value="([^"]+)"', form).group(1)  # type: ignore[union-attr]
        client.post("/console/signin", data={"csrf": csrf, "key": token, "next": "/console/"})
        for name, url in pages.items():
            times = _timed(client, url)
            ranked = sorted(times)
            timings[name] = {
                "p50_ms": round(statistics.median(times), 1),
                "p95_ms": round(ranked[int(0.95 * len(ranked)) - 1], 1),
                "max_ms": round(ranked[-1], 1),
            }
    seconds = time.perf_counter() - start
    keys.close()
    bus.close()
    store.close()
    slowest = max(timings, key=lambda k: timings[k]["p95_ms"])
    return {
        "items": n,
        "seconds": seconds,
        "fill_s": fill_s,
        "alerts": alerts,
        "hot_complaints": hot.complaint_count,
        "pages": timings,
        "slowest": slowest,
        "slowest_p95_ms": timings[slowest]["p95_ms"],
    }
