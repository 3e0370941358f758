"""The benchmark runner, ``python -m scamtrail.bench``: every case in its own subprocess, one table."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from scamtrail.bench.common import peak_rss_mb, service_endpoints
from scamtrail.bench.cpu import cpu_report, scaling_lines
from scamtrail.bench.history import (
    case_store_history_search,
    case_store_history_sqlite,
    history_line,
)
from scamtrail.bench.stage_cases import (
    case_extract,
    case_extract_naive,
    case_extract_process,
    case_extract_process_naive,
    case_extract_process_one_worker,
    case_store,
    case_store_elasticsearch,
    case_store_elasticsearch_naive,
    case_store_naive,
    case_store_search,
    case_store_search_naive,
)


def _e2e(name: str, module: str = "e2e") -> Callable[..., dict[str, Any]]:
    """A case of :mod:`scamtrail.bench.e2e`, imported only in the subprocess that runs it (so the
    other cases' peak RSS does not include the pipeline's modules)."""

    def case(*args: Any) -> dict[str, Any]:
        import importlib

        cases = importlib.import_module(f"scamtrail.bench.{module}")
        return getattr(cases, name)(*args)  # type: ignore[no-any-return]

    return case


#: name -> (case, which size it takes: stage / e2e, naive case). Naive cases take --naive-n.
CASES: dict[str, tuple[Callable[..., dict[str, Any]], str, str]] = {
    "extract": (case_extract, "stage", "extract-naive"),
    "extract-process": (case_extract_process, "stage", "extract-process-naive"),
    "extract-process-1w": (case_extract_process_one_worker, "stage", "extract-process-naive"),
    "store-sqlite": (case_store, "stage", "store-sqlite-naive"),
    "e2e-embedded": (_e2e("case_e2e"), "e2e", "e2e-embedded-naive"),
}
#: Cases that need the services from `make services` (run when both endpoints are known).
SERVICE_CASES: dict[str, tuple[Callable[..., dict[str, Any]], str, str]] = {
    "store-search": (case_store_search, "stage", "store-search-naive"),
    "e2e-kafka-search": (_e2e("case_e2e_kafka"), "e2e", "e2e-kafka-search-naive"),
}
#: The store case on Elasticsearch (run when ELASTICSEARCH_URL is known), same corpus and run.
ES_CASES: dict[str, tuple[Callable[..., dict[str, Any]], str, str]] = {
    "store-elasticsearch": (case_store_elasticsearch, "stage", "store-elasticsearch-naive"),
}
#: The console's pages on a store of --e2e-n complaints (answer times, no naive peer).
CONSOLE_CASES: dict[str, Callable[..., dict[str, Any]]] = {
    "console-pages": _e2e("case_console", "console_pages")
}
#: Paced replays (``--rate`` complaints/s for ``--rate-seconds``), latency only.
RATE_CASES: dict[str, Callable[..., dict[str, Any]]] = {"at-rate-embedded": _e2e("case_at_rate")}
SERVICE_RATE_CASES: dict[str, Callable[..., dict[str, Any]]] = {
    "at-rate-kafka-search": _e2e("case_at_rate_kafka")
}
#: The store against its history (bench/history.py): one line each, no naive peer.
HISTORY_CASES: dict[str, Callable[..., dict[str, Any]]] = {
    "store-history-sqlite": case_store_history_sqlite
}
SERVICE_HISTORY_CASES: dict[str, Callable[..., dict[str, Any]]] = {
    "store-history-search": case_store_history_search
}
_NAIVE = {
    "extract-naive": case_extract_naive,
    "extract-process-naive": case_extract_process_naive,
    "store-sqlite-naive": case_store_naive,
    "e2e-embedded-naive": _e2e("case_e2e_naive", "e2e_naive"),
    "store-search-naive": case_store_search_naive,
    "store-elasticsearch-naive": case_store_elasticsearch_naive,
    "e2e-kafka-search-naive": _e2e("case_e2e_search_naive", "e2e_naive"),
}
#: The one-core run of an e2e case (every stage in one thread), for its scaling table.
SINGLE = {
    "e2e-embedded": "e2e-embedded-single",
    "e2e-kafka-search": "e2e-kafka-search-single",
}
#: Cases whose naive peer runs on the same number of complaints (not --naive-n).
_SAME_N_NAIVE = frozenset({"extract-process", "extract-process-1w"})
_ALL: dict[str, Callable[..., dict[str, Any]]] = (
    {name: fn for name, (fn, _, _) in (CASES | SERVICE_CASES | ES_CASES).items()}
    | RATE_CASES
    | SERVICE_RATE_CASES
    | CONSOLE_CASES
    | HISTORY_CASES
    | SERVICE_HISTORY_CASES
    | _NAIVE
    | {
        "e2e-embedded-single": _e2e("case_e2e_single"),
        "e2e-kafka-search-single": _e2e("case_e2e_kafka_single"),
    }
)


def _run_case(name: str, n: int, rate: float | None = None) -> dict[str, Any]:
    """Run one case in a fresh interpreter and return its JSON result."""
    cmd = [sys.executable, "-m", "scamtrail.bench", "--case", name, "--n", str(n)]
    if rate is not None:
        cmd += ["--rate", str(rate)]
    out = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise SystemExit(f"benchmark case {name} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def _ms(result: dict[str, Any], key: str) -> str:
    value = result.get(key)
    return "-" if value is None or value != value else f"{value:,.0f}"


HEADER = (
    f"{'case':<18} {'n':>8} {'per s':>7} {'p50 ms':>8} {'p99 ms':>8} {'peak MB':>7} | "
    f"{'naive n':>7} {'per s':>6} {'p50 ms':>7} {'p99 ms':>7} {'MB':>5} | {'speed-up':>8}"
)


def _row(name: str, fast: dict[str, Any], slow: dict[str, Any]) -> str:
    ratio = fast["rate"] / slow["rate"]
    return (
        f"{name:<18} {fast['items']:>8,} {fast['rate']:>7,.0f} {_ms(fast, 'p50_ms'):>8} "
        f"{_ms(fast, 'p99_ms'):>8} {fast['peak_rss_mb']:>7.0f} | {slow['items']:>7,} "
        f"{slow['rate']:>6,.0f} {_ms(slow, 'p50_ms'):>7} {_ms(slow, 'p99_ms'):>7} "
        f"{slow['peak_rss_mb']:>5.0f} | {ratio:>7.1f}x"
    )


def console_lines(name: str, r: dict[str, Any]) -> str:
    """The console case's lines: every page's p50/p95/max, and whether all p95 are under 200 ms."""
    pages = ", ".join(
        f"{p} {t['p50_ms']:.0f}/{t['p95_ms']:.0f}/{t['max_ms']:.0f}" for p, t in r["pages"].items()
    )
    verdict = "under 200 ms" if r["slowest_p95_ms"] < 200 else "NOT under 200 ms"
    return (
        f"{name:<18} {r['items']:>8,} complaints (hottest number in {r['hot_complaints']:,}), "
        f"{r['alerts']:,} alerts; ms p50/p95/max per page: {pages}\n{'':<18} slowest page "
        f"{r['slowest']} p95 {r['slowest_p95_ms']:.0f} ms: every page {verdict} (p95)"
    )


def flatness(case: str, small: int, large: int, large_result: dict | None = None) -> dict:
    """Peak RSS of ``case`` at ``small`` and ``large`` complaints; flat = within 10%."""
    a = _run_case(case, small)
    b = large_result or _run_case(case, large)
    growth = b["peak_rss_mb"] / a["peak_rss_mb"] - 1
    print(
        f"memory {case}: peak {a['peak_rss_mb']:.0f} MB at {small:,}, {b['peak_rss_mb']:.0f} MB "
        f"at {large:,} ({growth:+.1%}): {'flat' if abs(growth) <= 0.10 else 'NOT flat'}",
        flush=True,
    )
    return {"case": case, "small": a, "large": b, "growth": growth}


def target_lines(results: dict[str, Any]) -> list[str]:
    """Issue 19's targets as ratios of this run's figures (a benchmark, not a timed test)."""
    rate = {row["case"]: row["optimised"]["rate"] for row in results["rows"]}
    lines = []
    for fast, slow, target in (
        ("e2e-embedded", "extract", 0.8),
        ("e2e-kafka-search", "e2e-embedded", 0.5),
    ):
        if fast in rate and slow in rate:
            ratio = rate[fast] / rate[slow]
            met = "met" if ratio >= target else "NOT met"
            lines.append(f"  {fast} / {slow}: {ratio:.2f}x (target {target}x: {met})")
    for r in results["history"]:
        met = "met" if r["cost_ratio"] >= 0.9 else "NOT met"
        lines.append(
            f"  {r['case']}: CPU per complaint, first half / second {r['cost_ratio']:.2f}x "
            f"(rate {r['ratio']:.2f}x; target 0.9x: {met})"
        )
    if results["memory"]:
        growth = results["memory"]["growth"]
        met = "met" if abs(growth) <= 0.10 else "NOT met"
        lines.append(f"  e2e-embedded peak memory growth: {growth:+.1%} (target 10%: {met})")
    return ["issue 19 targets, from this run:", *lines] if lines else []


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark table (or one case, for the subprocesses)."""
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--n", type=int, default=20000, help="complaints for the stage cases")
    ap.add_argument("--e2e-n", type=int, default=100000, help="complaints for the e2e cases")
    ap.add_argument("--naive-n", type=int, default=2000, help="complaints for the naive cases")
    ap.add_argument(
        "--rate",
        type=float,
        default=1000.0,
        help="paced replay (embedded), complaints/s (the issue's latency target is at 1,000/s)",
    )
    ap.add_argument(
        "--kafka-rate", type=float, default=100.0, help="paced replay (Kafka), complaints/s"
    )
    ap.add_argument("--rate-seconds", type=float, default=30.0, help="paced replay length")
    ap.add_argument("--only", default="", help="comma-separated case names (default: all)")
    ap.add_argument(
        "--memory",
        default=None,
        help="only the memory flatness check of e2e-embedded at these two sizes, e.g. "
        "100000,1000000 (by default it runs at e2e-n/10 and e2e-n within the table)",
    )
    ap.add_argument("--json", dest="json_out", default=None, help="also write the results here")
    ap.add_argument("--case", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.case:
        fn = _ALL[args.case]
        result = (
            fn(args.n, args.rate) if args.case in RATE_CASES | SERVICE_RATE_CASES else fn(args.n)
        )
        result["rate"] = result["items"] / result["seconds"]
        result["peak_rss_mb"] = peak_rss_mb()
        print(json.dumps(result))
        return
    if args.memory:
        small, large = (int(x) for x in args.memory.split(","))
        report = flatness("e2e-embedded", small, large)
        if args.json_out:
            Path(args.json_out).write_text(json.dumps(report, indent=2))
        return
    table, rates = dict(CASES), dict(RATE_CASES)
    endpoints = service_endpoints()
    if {"KAFKA_URL", "SEARCH_URL"} <= endpoints.keys():
        table.update(SERVICE_CASES)
        rates.update(SERVICE_RATE_CASES)
    else:
        print("(Kafka/search engine not running: `make services` adds their cases)", flush=True)
    if "ELASTICSEARCH_URL" in endpoints:
        table.update(ES_CASES)
    history = dict(HISTORY_CASES)
    if "SEARCH_URL" in endpoints:
        history.update(SERVICE_HISTORY_CASES)
    known = list(CASES | SERVICE_CASES | ES_CASES) + list(RATE_CASES | SERVICE_RATE_CASES)
    known += list(CONSOLE_CASES) + list(HISTORY_CASES | SERVICE_HISTORY_CASES)
    wanted = [c for c in args.only.split(",") if c] or (
        list(table) + list(history) + list(rates) + list(CONSOLE_CASES)
    )
    results: dict[str, Any] = {"rows": [], "rates": [], "history": [], "memory": None}
    print(HEADER, flush=True)
    apart = set(rates) | set(history) | set(CONSOLE_CASES)
    for name in [w for w in wanted if w not in apart]:
        if name not in table:
            why = "needs `make services`" if name in known else f"unknown; cases: {known}"
            print(f"{name}: skipped ({why})")
            continue
        _, size, naive_name = table[name]
        fast = _run_case(name, args.e2e_n if size == "e2e" else args.n)
        # Whole processes include their start-up: the naive peer gets the same tweets.
        slow = _run_case(naive_name, args.n if name in _SAME_N_NAIVE else args.naive_n)
        results["rows"].append({"case": name, "optimised": fast, "naive": slow})
        print(_row(name, fast, slow), flush=True)
        if fast.get("cpu_seconds") and slow.get("cpu_seconds"):
            # a single-threaded stage: items per CPU-second is its rate on one whole core, which
            # other work on the machine barely moves (wall-clock rates above do move)
            per_core, naive_per_core = (r["items"] / r["cpu_seconds"] for r in (fast, slow))
            print(
                f"{'':<18} on one core (per CPU-second): {per_core:,.0f}/s, naive "
                f"{naive_per_core:,.0f}/s, {per_core / naive_per_core:.1f}x",
                flush=True,
            )
        if "startup_s" in fast:
            print(
                f"{'':<18} start-up (import + model + scanner): {fast['startup_s']:.2f}s",
                flush=True,
            )
        us = cpu_report(fast)
        if us is not None:
            parts = ", ".join(f"{k} {v:,.0f}" for k, v in us.items() if k != "total")
            print(f"{'':<18} CPU us per complaint: {us['total']:,.0f} ({parts})", flush=True)
        if "lag_at_ingest_end" in fast and name.startswith("e2e-kafka"):
            print(
                f"{'':<18} consumer lag (process + index, all partitions): max "
                f"{fast['lag_max']:,.0f}, when the replay finished {fast['lag_at_ingest_end']:,.0f}"
                f", drained {fast['drain_s']:.1f}s later; 0 at the end",
                flush=True,
            )
    for row in [r for r in results["rows"] if r["case"] in SINGLE]:
        # Scaling: project from the per-stage CPU of the one-core run, check against both runs.
        name, two = row["case"], row["optimised"]
        one = _run_case(SINGLE[name], two["items"])
        us = cpu_report(one)
        if us is None:
            continue
        row["single"] = one
        lines = scaling_lines(name, us, {1: one["rate"], 2: two["rate"]}, name == "e2e-embedded")
        print("\n".join(lines), flush=True)
    for name in [w for w in wanted if w in history]:
        r = _run_case(name, args.n)
        results["history"].append({"case": name, **r})
        print(history_line(name, r), flush=True)
    for name in [w for w in wanted if w in rates]:
        rate = args.kafka_rate if "kafka" in name else args.rate
        n_rate = int(rate * args.rate_seconds)
        r = _run_case(name, n_rate, rate)
        results["rates"].append({"case": name, **r})
        sustained = r["rate"] >= 0.95 * rate
        print(
            f"{name:<18} {n_rate:>8,} at {rate:,.0f}/s: achieved {r['rate']:,.0f}/s "
            f"({'sustained' if sustained else 'NOT sustained'}); tweet -> searchable and alerted "
            f"p50 {_ms(r, 'p50_ms')} ms, p99 {_ms(r, 'p99_ms')} ms; peak {r['peak_rss_mb']:.0f} MB",
            flush=True,
        )
    for name in [w for w in wanted if w in CONSOLE_CASES]:
        r = _run_case(name, args.e2e_n)
        results["console"] = r
        print(console_lines(name, r), flush=True)
    e2e = next((r["optimised"] for r in results["rows"] if r["case"] == "e2e-embedded"), None)
    if e2e is not None and args.e2e_n >= 20:
        results["memory"] = flatness("e2e-embedded", args.e2e_n // 10, args.e2e_n, e2e)
    print("\n".join(target_lines(results)), flush=True)
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
