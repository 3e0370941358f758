"""XPollSource against the stand-in X API: pages, since_id, rate limits, checkpoints."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr
from scamtrail.ingest.x_client import XApi, collect_recent
from scamtrail.ingest.x_poll import XPollSource

from scamtrail.bus.embedded import EmbeddedBus
from scamtrail.errors import ConfigError, SourceError
from tests.x_api_standin import (
    TOKEN,
    Collector,
    Respond,
    Running,
    StandinXApi,
    rate_limited,
    snowflake_at,
    wait_until,
)

SEARCH = "/2/tweets/search/recent"


@pytest.fixture
def api():
    with StandinXApi() as server:
        yield server


def make_source(api: StandinXApi, state: Path | None, **kwargs: Any) -> XPollSource:
    options: dict[str, Any] = {
        "bearer_token": SecretStr(TOKEN),
        "handles": ["MumbaiPolice"],
        "api_url": api.url,
        "state_dir": state,
        "once": True,
        "interval_s": 0.05,
        "network_backoff_s": 0.01,
        "http_backoff_s": 0.01,
        "rate_limit_backoff_s": 0.01,
        "request_timeout_s": 5.0,
        "settle_s": 0,
    }
    options.update(kwargs)
    return XPollSource(**options)


def ago(minutes: float) -> datetime:
    return datetime.now(UTC) - timedelta(minutes=minutes)


def run_once(source: XPollSource) -> Collector:
    got = Collector()
    source.run(got.emit, got.reject)
    return got


def tweet_ids(*payloads: dict[str, Any]) -> list[str]:
    return [p["data"]["id"] for p in payloads]


def since_id_on_disk(state: Path) -> str:
    return json.loads((state / "x_poll.json").read_text())["since_id"]


def test_once_pages_through_everything_oldest_first_then_resumes_from_the_checkpoint(api, tmp_path):
    api.page_size = 3
    old = [api.post(f"caller wanted CVV {i}", created_at=ago(30 - i)) for i in range(7)]
    got = run_once(make_source(api, tmp_path, backfill_since=ago(60)))

    assert got.tweet_ids() == tweet_ids(*old)  # oldest first, each once
    searches = api.recorded(SEARCH)
    assert len(searches) == 3
    assert "since_id" not in searches[0].query and searches[0].query["start_time"].endswith("Z")
    assert [s.query.get("next_token") for s in searches][1:] == [
        f"below-{old[4]['data']['id']}",
        f"below-{old[1]['data']['id']}",
    ]
    assert searches[0].query["query"] == "(@MumbaiPolice -is:retweet) OR (to:MumbaiPolice)"
    assert since_id_on_disk(tmp_path) == old[-1]["data"]["id"]
    assert got.emit_calls == 1  # one batch of up to 100, then the checkpoint

    new = [api.post(f"UPI fraud {i}") for i in range(2)]
    again = run_once(make_source(api, tmp_path))
    assert again.tweet_ids() == tweet_ids(*new)
    assert api.recorded(SEARCH)[-1].query["since_id"] == old[-1]["data"]["id"]
    assert "start_time" not in api.recorded(SEARCH)[-1].query
    assert since_id_on_disk(tmp_path) == new[-1]["data"]["id"]


def test_only_settled_tweets_are_asked_for(api, tmp_path):
    settled = api.post("five minutes old", created_at=ago(5))
    api.post("just now, maybe not indexed yet")
    got = run_once(make_source(api, tmp_path, backfill_since=ago(10), settle_s=60))
    assert got.tweet_ids() == tweet_ids(settled)
    end = api.recorded(SEARCH)[0].query["end_time"]
    end_time = datetime.strptime(end, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    assert ago(1.2) < end_time < ago(0.9)
    assert since_id_on_disk(tmp_path) == settled["data"]["id"]


def test_a_fresh_start_waits_for_tweets_to_settle(api, tmp_path):
    got = run_once(make_source(api, tmp_path, settle_s=60))
    assert got.emitted == [] and api.recorded(SEARCH) == []


def test_a_fresh_start_reads_from_now_on(api, tmp_path):
    api.post("from last week", created_at=ago(60 * 24 * 3))
    got = run_once(make_source(api, tmp_path))
    assert got.emitted == []
    start = datetime.strptime(api.recorded(SEARCH)[0].query["start_time"], "%Y-%m-%dT%H:%M:%SZ")
    assert abs(start.replace(tzinfo=UTC) - datetime.now(UTC)) < timedelta(seconds=10)


def test_429_waits_for_the_reset_and_carries_on_from_the_same_page(api, tmp_path):
    api.page_size = 2
    posted = [api.post(f"rate {i}", created_at=ago(10 - i)) for i in range(5)]
    api.search_failures.extend([None, rate_limited(reset_in_s=1.5)])
    got = run_once(make_source(api, tmp_path, backfill_since=ago(20)))

    assert got.tweet_ids() == tweet_ids(*posted)
    searches = api.recorded(SEARCH)
    assert len(searches) == 4  # page 1, 429, page 2 again, page 3
    assert searches[1].query["next_token"] == searches[2].query["next_token"]
    assert searches[2].at - searches[1].at >= 0.4  # waited for x-rate-limit-reset


def test_429_without_a_reset_header_backs_off_exponentially(api, tmp_path, caplog):
    posted = [api.post("no header", created_at=ago(1))]
    api.search_failures.extend([rate_limited(None), rate_limited(None)])
    source = make_source(api, tmp_path, backfill_since=ago(5), rate_limit_backoff_s=0.05)
    with caplog.at_level(logging.WARNING, logger="scamtrail"):
        got = run_once(source)
    assert got.tweet_ids() == tweet_ids(*posted)
    assert [r.wait_s for r in caplog.records if hasattr(r, "wait_s")] == [0.05, 0.1]


def test_polling_repeats_until_stopped_and_delivers_each_tweet_once(api, tmp_path):
    source = make_source(api, tmp_path, once=False, interval_s=0.05)
    got = Collector()
    posted = []
    with Running(source, got):
        for i in range(6):
            posted.append(api.post(f"live {i}"))
            assert got.wait_for(lambda c, n=len(posted): len(c.emitted) >= n, 5)
        assert wait_until(lambda: source.rounds >= 3)
    emitted = got.tweet_ids()
    assert emitted == tweet_ids(*posted)
    assert since_id_on_disk(tmp_path) == posted[-1]["data"]["id"]


def test_transient_errors_are_retried_and_once_gives_up_in_the_end(api, tmp_path):
    posted = [api.post("after a blip", created_at=ago(1))]
    api.search_failures.extend([Respond(503, {"title": "Service Unavailable"})])
    got = run_once(make_source(api, tmp_path, backfill_since=ago(5)))
    assert got.tweet_ids() == tweet_ids(*posted)

    api.search_failures.extend([Respond(503, {"title": "Service Unavailable"})] * 3)
    with pytest.raises(SourceError, match="gave up after 3 attempts"):
        run_once(make_source(api, tmp_path, max_attempts=3))


def test_bad_requests_stop_with_the_api_message(api, tmp_path):
    api.search_failures.append(
        Respond(400, {"errors": [{"message": "Invalid 'start_time'"}], "title": "Invalid Request"})
    )
    with pytest.raises(SourceError, match="HTTP 400 Invalid 'start_time'"):
        run_once(make_source(api, tmp_path, backfill_since=ago(60 * 24 * 30)))


def test_tweets_without_text_are_rejected_and_the_rest_emitted(api, tmp_path):
    good = api.post("good one", created_at=ago(2))
    bad = api.post("soon without text", created_at=ago(1))
    del bad["data"]["text"]  # the stand-in keeps this very dict as the stored tweet
    got = run_once(make_source(api, tmp_path, backfill_since=ago(5)))
    assert got.tweet_ids() == tweet_ids(good)
    ((raw, error, ref),) = got.rejected
    assert error.reason == "missing_field" and ref == f"x:{bad['data']['id']}"
    assert json.loads(raw)["data"]["id"] == bad["data"]["id"]
    assert since_id_on_disk(tmp_path) == bad["data"]["id"]


def test_token_is_sent_routed_and_never_logged_or_saved(api, tmp_path, caplog):
    api.post("token check", created_at=ago(1))
    with caplog.at_level(logging.DEBUG):
        got = run_once(make_source(api, tmp_path, backfill_since=ago(5)))
    assert len(got.emitted) == 1
    assert all(r.headers["authorization"] == f"Bearer {TOKEN}" for r in api.requests)
    assert {r.path for r in api.requests} == {SEARCH}
    assert TOKEN not in caplog.text
    assert TOKEN not in (tmp_path / "x_poll.json").read_text()


def test_a_missing_token_is_a_config_error():
    with pytest.raises(ConfigError, match="--bearer-token-file"):
        XPollSource(bearer_token=None, query="to:MumbaiPolice")


def test_stop_interrupts_the_wait_between_rounds(api, tmp_path):
    source = make_source(api, tmp_path, once=False, interval_s=60)
    with Running(source, Collector()):
        assert wait_until(lambda: source.rounds == 1)
    # leaving the block stopped and joined the source well before the 60 s interval


def test_ingest_poll_once_command_publishes_to_the_bus(api, home):
    posted = [api.post(f"fraud call {i}", created_at=ago(3 - i)) for i in range(3)]
    since = ago(10).strftime("%Y-%m-%dT%H:%M:%SZ")
    env = {
        **os.environ,
        "SCAMTRAIL_HOME": str(home),
        "SCAMTRAIL_X_API_URL": api.url,
        "SCAMTRAIL_X_BEARER_TOKEN": TOKEN,
        "SCAMTRAIL_LOG_LEVEL": "DEBUG",
    }
    args = ["ingest", "poll", "--handle", "MumbaiPolice", "--once", "--backfill-since", since]
    out = subprocess.run(
        [sys.executable, "-m", "scamtrail.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    assert "published 3 complaints" in out.stderr
    assert TOKEN not in out.stderr and TOKEN not in out.stdout
    with EmbeddedBus(home / "bus.db") as bus:
        assert [m.key for m in bus.read("raw")] == [f"x:{i}" for i in tweet_ids(*posted)]
    assert since_id_on_disk(home / "state") == posted[-1]["data"]["id"]


def test_a_checkpoint_older_than_seven_days_falls_back_to_the_oldest_time_search_allows(
    api, tmp_path, caplog
):
    stale = str(snowflake_at(ago(60 * 24 * 8)))
    (tmp_path / "x_poll.json").write_text(json.dumps({"version": 1, "since_id": stale}))
    posted = api.post("six days ago", created_at=ago(60 * 24 * 6))
    with caplog.at_level(logging.WARNING, logger="scamtrail"):
        got = run_once(make_source(api, tmp_path))
    assert got.tweet_ids() == tweet_ids(posted)
    query = api.recorded(SEARCH)[0].query
    assert "since_id" not in query
    start = datetime.strptime(query["start_time"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    assert ago(60 * 24 * 7) < start < ago(60 * 24 * 7 - 10)
    assert "older than recent search reaches" in caplog.text


def test_a_search_stopped_half_way_delivers_nothing(api):
    api.page_size = 1
    for i in range(3):
        api.post(f"page {i}")
    with XApi(SecretStr(TOKEN), api.url) as client:
        found = collect_recent(client, "to:MumbaiPolice", stopped=lambda: len(api.requests) >= 2)
    assert found == []  # the newest pages alone would move the checkpoint past the others
    assert len(api.recorded(SEARCH)) == 2
