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
