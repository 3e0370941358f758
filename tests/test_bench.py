"""The end-to-end benchmark measures what it says: every complaint indexed, one latency each."""

from __future__ import annotations

import json

from scamtrail.bench import e2e as bench_e2e


def test_feed_lines_are_distinct_complaints_with_some_repeat_numbers():
    lines = [json.loads(line) for line in bench_e2e.feed_lines(200)]
    assert len({x["id"] for x in lines}) == len({x["text"] for x in lines}) == 200
    numbers = [x["text"].rsplit("call ", 1)[1] for x in lines]
    assert len(set(numbers)) < len(numbers)  # repeats, so alerts fire


def test_latency_percentiles_are_within_one_percent_in_milliseconds():
    histogram = bench_e2e.LatencyHistogram()
    for i in range(1, 1001):
        histogram.add(i / 1000)  # 1 ms .. 1 s
    result = histogram.percentiles()
    # the exact figures (value at rank int(q * n) of the sorted list) are 501 ms and 991 ms
    assert 501 <= result["p50_ms"] <= 501 * 1.0101
    assert 991 <= result["p99_ms"] <= 991 * 1.0101
    assert len(histogram.counts) == 1800  # the same memory for any number of complaints


def test_a_small_embedded_run_records_one_latency_per_complaint():
    result = bench_e2e.case_e2e(40)
    assert result["items"] == 40 and result["seconds"] > 0
    assert 0 < result["p50_ms"] <= result["p99_ms"] < 60_000
    assert result["lag_max"] >= 0 and result["drain_s"] >= 0
    # every stage's CPU is measured, and the stages did the work (the index stage in its child)
    assert set(result["cpu_s"]) == {"ingest", "process", "index"}
    assert result["cpu_s"]["process"] > 0 and result["cpu_s"]["index"] > 0


def test_a_one_core_run_measures_the_index_stage_in_this_process():
    result = bench_e2e.case_e2e_single(40)
    assert result["items"] == 40
    assert result["cpu_s"]["process"] > 0 and result["cpu_s"]["index"] > 0


def test_projections_follow_the_per_complaint_cpu():
    from scamtrail.bench.cpu import per_complaint_us, projected_rates

    us = per_complaint_us({"ingest": 0.1, "process": 0.5, "index": 0.4}, 10_000)
    assert us["total"] == 100  # microseconds a complaint, all parts
    scale_out = projected_rates(us, single_writer=False)
    assert scale_out[1] == 10_000 and scale_out[32] == 320_000
    assert scale_out[2] == 1e6 / 60  # ingest + process (60 us) in one process bound two cores
    one_writer = projected_rates(us, single_writer=True)
    assert one_writer[8] == one_writer[32] == 1e6 / 40  # the single SQLite writer


def test_service_cpu_is_read_from_the_pid_files(tmp_path):
    import os

    from scamtrail.bench.cpu import service_cpu_s

    (tmp_path / "svc").mkdir()
    (tmp_path / "svc" / "svc.pid").write_text(str(os.getpid()))
    sum(i * i for i in range(200_000))  # spend some CPU in this process
    assert service_cpu_s(tmp_path)["svc"] > 0
    (tmp_path / "svc" / "svc.pid").write_text("not a pid")
    assert service_cpu_s(tmp_path) == {}


def test_the_console_case_times_every_page_on_a_filled_store():
    from scamtrail.bench.__main__ import console_lines
    from scamtrail.bench.console_pages import case_console

    result = case_console(300)
    assert result["items"] == 300 and result["hot_complaints"] >= 10 and result["alerts"] > 0
    assert {"search", "dossier-hot-phone", "alerts-json", "registry"} <= set(result["pages"])
    for page in result["pages"].values():
        assert 0 < page["p50_ms"] <= page["p95_ms"] <= page["max_ms"]
    assert result["slowest_p95_ms"] == max(p["p95_ms"] for p in result["pages"].values())
    assert "every page" in console_lines("console-pages", result)


def test_the_history_case_writes_both_halves_and_counts_the_busy_numbers():
    from scamtrail.bench.history import HOT_NUMBERS, store_history

    result = store_history("sqlite", 500)
    assert result["items"] == 1000
    assert result["hot_count"] == 1000 // HOT_NUMBERS  # each busy number, every time it was named
    assert result["first_rate"] > 0 and result["second_rate"] > 0
    assert abs(result["ratio"] - result["second_rate"] / result["first_rate"]) < 1e-9
    assert result["cost_ratio"] > 0 and result["first_engine_us"] == 0  # SQLite: no engine
