"""XStreamSource against the stand-in X API: disconnects of every kind lose and double nothing.

Each test scripts the stream connections, runs the source in a thread, collects what it emits
and checks every tweet arrived exactly once, including the ones posted while it was
disconnected (those come from recent search, the gap fill).
"""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import typer
from pydantic import SecretStr
from scamtrail.index.sqlite import SqliteStore
from scamtrail.ingest.x_client import Backoff, TransientXError, XApi, stream_rules
from scamtrail.ingest.x_stream import XStreamSource
from typer.testing import CliRunner

from scamtrail.bus.embedded import EmbeddedBus
from scamtrail.cli import x as cli_x
from scamtrail.errors import BusError, ConfigError, SourceError
from scamtrail.settings import Settings
from tests.x_api_standin import (
    OPERATIONAL_DISCONNECT,
    TOKEN,
    Collector,
    Cut,
    End,
    KeepAlive,
    Pause,
    Raw,
    Respond,
    Running,
    Send,
    StandinXApi,
    invalid_rule_error,
    rate_limited,
    wait_until,
)

STREAM = "/2/tweets/search/stream"
RULES = "/2/tweets/search/stream/rules"
SEARCH = "/2/tweets/search/recent"


@pytest.fixture
def api():
    with StandinXApi() as server:
        yield server


def make_source(api: StandinXApi, state: Path | None, **kwargs: Any) -> XStreamSource:
    options: dict[str, Any] = {
        "bearer_token": SecretStr(TOKEN),
        "handles": ["MumbaiPolice"],
        "api_url": api.url,
        "state_dir": state,
        "stall_timeout_s": 0.5,
        "network_backoff_s": 0.01,
        "http_backoff_s": 0.01,
        "rate_limit_backoff_s": 0.01,
        "request_timeout_s": 5.0,
        "settle_s": 0,
    }
    options.update(kwargs)
    return XStreamSource(**options)


def ids(*payloads: dict[str, Any]) -> list[str]:
    return [p["data"]["id"] for p in payloads]


def run_until(
    api: StandinXApi, source: XStreamSource, expected: list[str], idle: int = 1
) -> Collector:
    """Run until every expected tweet arrived and ``idle`` connections played their script."""
    got = Collector()
    with Running(source, got):
        assert got.wait_for(lambda c: set(c.tweet_ids()) >= set(expected), 10), got.tweet_ids()
        assert wait_until(lambda: api.idle_connections >= idle, 10)
        time.sleep(0.1)  # room for a duplicate to show up, were there one
    return got


def assert_exactly_once(got: Collector, expected: list[str]) -> None:
    emitted = got.tweet_ids()
    assert sorted(emitted, key=int) == sorted(expected, key=int), emitted
    assert len(emitted) == len(set(emitted))


def checkpoint(state: Path) -> dict[str, Any]:
    return json.loads((state / "x_stream.json").read_text())


# -- disconnects --------------------------------------------------------------------------------
def test_cut_mid_stream_fills_the_gap_from_recent_search(api, tmp_path):
    t = [api.post(f"caller asked my OTP, number 98765 4321{i}") for i in range(5)]
    api.connection(Send(t[0]), Send(t[1]), Cut())  # t[2] and t[3] are posted while we are away
    api.connection(Send(t[3]), Send(t[4]))  # the new connection repeats one the search gives
    got = run_until(api, make_source(api, tmp_path), ids(*t), idle=1)

    assert_exactly_once(got, ids(*t))
    assert got.tweet_ids() == ids(*t)  # gap tweets come oldest first, before newer ones
    (search,) = api.recorded(SEARCH)
    assert search.query["since_id"] == t[1]["data"]["id"]
    stream = api.recorded(STREAM)[0].query
    assert stream["expansions"] == "author_id"
    assert stream["user.fields"] == "username,name"
    assert set(stream["tweet.fields"].split(",")) == {
        "created_at",
        "lang",
        "conversation_id",
        "referenced_tweets",
        "entities",
        "geo",
        "author_id",
    }
    assert search.query["tweet.fields"] == stream["tweet.fields"]
    assert search.query["query"] == "(@MumbaiPolice -is:retweet) OR (to:MumbaiPolice)"
    assert checkpoint(tmp_path)["since_id"] == t[4]["data"]["id"]
    assert got.emitted[0].author.username == "citizen"
    assert got.emitted[2].raw["includes"]["users"][0]["username"] == "citizen"


def test_a_gap_tweet_indexed_late_is_found_by_the_second_search(api, tmp_path):
    now = datetime.now(UTC)
    t = [api.post(f"settle {i}", created_at=now - timedelta(seconds=3 - i)) for i in range(3)]
    api.connection(Send(t[0]), Cut())
    api.connection(Send(t[2]))
    source = make_source(api, tmp_path, settle_s=0.5)
    got = Collector()
    with Running(source, got):
        assert got.wait_for(lambda c: set(c.tweet_ids()) >= set(ids(*t)), 10)
        assert len(api.recorded(SEARCH)) == 1
        # search only now indexes a tweet posted during the gap, older than t[1] and t[2]
        late = api.post("indexed late", created_at=now - timedelta(seconds=2.5))
        assert checkpoint(tmp_path)["since_id"] == t[0]["data"]["id"]  # held at the gap start
        assert got.wait_for(lambda c: late["data"]["id"] in c.tweet_ids(), 10)
        assert wait_until(lambda: checkpoint(tmp_path)["since_id"] == t[2]["data"]["id"])
    assert_exactly_once(got, ids(*t, late))
    searches = api.recorded(SEARCH)
    assert [s.query["since_id"] for s in searches] == [t[0]["data"]["id"]] * 2


def test_429_on_reconnect_waits_until_the_rate_limit_resets(api, tmp_path):
    t = [api.post(f"fraud call {i}") for i in range(3)]
    api.connection(Send(t[0]), Cut())
    api.connection(rate_limited(reset_in_s=1.5))
    api.connection(Send(t[2]))
    got = run_until(api, make_source(api, tmp_path), ids(*t))

    assert_exactly_once(got, ids(*t))
    connects = api.recorded(STREAM)
    assert len(connects) == 3
    # x-rate-limit-reset is whole epoch seconds, 0.5 to 1.5 s ahead; the fallback would be 0.01 s
    assert connects[2].at - connects[1].at >= 0.4


def test_http_errors_and_clean_ends_are_retried(api, tmp_path):
    t = [api.post(f"fraud call {i}") for i in range(3)]
    api.connection(Respond(503, {"title": "Service Unavailable", "status": 503}))
    api.connection(Send(t[0]), End())  # a clean end is a disconnect too
    api.connection(Send(t[2]))
    got = run_until(api, make_source(api, tmp_path), ids(*t))
    assert_exactly_once(got, ids(*t))


def test_an_unreachable_api_is_retried_until_stopped(tmp_path, caplog):
    with StandinXApi() as gone:
        url = gone.url  # nothing listens there once it is closed
    source = XStreamSource(
        bearer_token=SecretStr(TOKEN), handles=["MumbaiPolice"], api_url=url, network_backoff_s=0.01
    )
    with caplog.at_level(logging.WARNING, logger="scamtrail"), Running(source, Collector()):
        assert wait_until(lambda: len(caplog.records) >= 3, 5)
    kinds = {getattr(r, "kind", None) for r in caplog.records}
    assert kinds == {"network"}
    waits = [r.wait_s for r in caplog.records if hasattr(r, "wait_s")]
    assert waits[:3] == [0.01, 0.02, 0.03]  # linear


def test_a_stalled_stream_is_dropped_and_reconnected(api, tmp_path, caplog):
    t = [api.post(f"stall {i}") for i in range(3)]
    api.connection(KeepAlive(), Send(t[0]), Pause(8), Send(t[1]))  # silence past the timeout
    api.connection(Send(t[2]))
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="scamtrail"):
        got = run_until(api, make_source(api, tmp_path, stall_timeout_s=0.5), ids(*t))

    assert time.monotonic() - started < 5
    assert_exactly_once(got, ids(*t))
    assert len(api.recorded(STREAM)) == 2
    assert any("stalled" in getattr(r, "error", "") for r in caplog.records)


def test_operational_disconnect_reconnects(api, tmp_path, caplog):
    t = [api.post(f"op {i}") for i in range(3)]
    api.connection(Send(t[0]), Send(OPERATIONAL_DISCONNECT), End())
    api.connection(Send(t[2]))
    with caplog.at_level(logging.WARNING, logger="scamtrail"):
        got = run_until(api, make_source(api, tmp_path), ids(*t))
    assert_exactly_once(got, ids(*t))
    errors = [getattr(r, "error", "") for r in caplog.records]
    assert any("operational-disconnect" in e for e in errors), errors


def test_malformed_lines_are_rejected_and_the_stream_goes_on(api, tmp_path):
    no_text = api.post("loses its text")
    del no_text["data"]["text"]
    partial = api.post("has an expansion error too")
    partial = {**partial, "errors": [{"title": "Not Found Error", "detail": "gone"}]}
    t = [api.post(f"good {i}") for i in range(2)]
    api.connection(
        Send(t[0]),
        Raw(b'{"data": {"id": "1", "text": "cut short'),
        Raw(b"[1, 2, 3]"),
        Raw(b"\xff\xfe not utf-8"),
        Raw(b'{"data": {"id": "5", "text": "half a pair \\ud800"}}'),
        Send(no_text),
        Send(partial),
        Send(t[1]),
    )
    expected = ids(t[0], partial, t[1])
    got = run_until(api, make_source(api, tmp_path), expected)

    assert_exactly_once(got, expected)
    reasons = [err.reason for _, err, _ in got.rejected]
    assert reasons == [
        "malformed_json",
        "unexpected_payload",
        "invalid_utf8",
        "invalid_utf8",  # a lone surrogate escape: no text can hold it
        "missing_field",
    ]
    assert got.rejected[0][0].startswith(b'{"data"')
    assert got.rejected[4][2] == f"x:{no_text['data']['id']}"
    assert checkpoint(tmp_path)["since_id"] == t[1]["data"]["id"]


# -- rules --------------------------------------------------------------------------------------
def test_rule_sync_adds_missing_and_deletes_stale_rules(api, tmp_path):
    api.rules = {
        "11": {"id": "11", "value": "to:MumbaiPolice", "tag": "scamtrail:x"},
        "12": {"id": "12", "value": "@OldHandle -is:retweet", "tag": "scamtrail:x"},
        "13": {"id": "13", "value": "cats has:images", "tag": "someone else"},
    }
    source = make_source(api, tmp_path, handles=["@MumbaiPolice"], hashtags=["#CyberFraud"])
    got = run_until(api, source, [])

    assert got.emitted == []
    values = {r["value"]: r.get("tag") for r in api.rules.values()}
    assert values == {
        "to:MumbaiPolice": "scamtrail:x",
        "@MumbaiPolice -is:retweet": "scamtrail:x",
        "#CyberFraud -is:retweet": "scamtrail:x",
        "cats has:images": "someone else",
    }
    bodies = [json.loads(r.body) for r in api.recorded(RULES) if r.method == "POST"]
    assert bodies == [
        {"delete": {"ids": ["12"]}},
        {
            "add": [
                {"value": "@MumbaiPolice -is:retweet", "tag": "scamtrail:x"},
                {"value": "#CyberFraud -is:retweet", "tag": "scamtrail:x"},
            ]
        },
    ]


def test_rule_errors_raise_a_clear_source_error(api, tmp_path):
    bad = "fraud or scam or otp"
    api.rule_errors[bad] = invalid_rule_error(
        ["Ambiguous use of or as a keyword. Use OR to logically join two clauses (at position 7)"]
    )
    source = make_source(api, tmp_path, rules=[bad])
    with pytest.raises(SourceError, match="UnprocessableEntity for rule 'fraud or scam or otp'"):
        source.run(Collector().emit, Collector().reject)
    assert api.recorded(STREAM) == []


def test_stream_rules_from_handles_and_hashtags():
    assert stream_rules(["@MumbaiPolice", "DelhiPolice"], ["#UPIfraud"], ["fraud lang:hi"]) == [
        "@MumbaiPolice -is:retweet",
        "to:MumbaiPolice",
        "@DelhiPolice -is:retweet",
        "to:DelhiPolice",
        "#UPIfraud -is:retweet",
        "fraud lang:hi",
    ]


# -- checkpoint ---------------------------------------------------------------------------------
def test_checkpoint_is_resumed_after_a_restart(api, tmp_path):
    t = [api.post(f"restart {i}") for i in range(5)]
    api.connection(Send(t[0]), Send(t[1]))
    first = run_until(api, make_source(api, tmp_path), ids(t[0], t[1]), idle=1)
    assert_exactly_once(first, ids(t[0], t[1]))
    assert checkpoint(tmp_path)["since_id"] == t[1]["data"]["id"]

    # t[2], t[3] were posted while the process was down; the new connection repeats t[1]
    api.connection(Send(t[1]), Send(t[3]), Send(t[4]))
    second = run_until(api, make_source(api, tmp_path), ids(*t[2:]), idle=2)

    assert_exactly_once(second, ids(*t[2:]))
    assert api.recorded(SEARCH)[-1].query["since_id"] == t[1]["data"]["id"]
    saved = checkpoint(tmp_path)
    assert saved["since_id"] == t[4]["data"]["id"]
    assert TOKEN not in (tmp_path / "x_stream.json").read_text()
    assert [p.name for p in tmp_path.iterdir()] == ["x_stream.json"]  # no temp files left


def test_the_checkpoint_moves_only_after_emit_returned(api, tmp_path):
    t = [api.post(f"bus down {i}") for i in range(2)]
    api.connection(Send(t[0]), Send(t[1]))
    calls = []

    def emit(batch):
        calls.append(batch)
        if len(calls) == 2:
            raise BusError("bus is down", retriable=True)

    source = make_source(api, tmp_path)
    with pytest.raises(BusError):
        source.run(emit, Collector().reject)
    assert checkpoint(tmp_path)["since_id"] == t[0]["data"]["id"]


def test_a_bad_checkpoint_is_a_clear_error(api, tmp_path):
    (tmp_path / "x_stream.json").write_text("{half a")
    with pytest.raises(SourceError, match="checkpoint .* is unreadable"):
        make_source(api, tmp_path).run(Collector().emit, Collector().reject)


# -- routing, token, stop -----------------------------------------------------------------------
def test_every_call_goes_to_x_api_url_with_the_token_and_it_is_never_logged(api, tmp_path, caplog):
    t = [api.post(f"token {i}") for i in range(3)]
    api.connection(Send(t[0]), Cut())
    api.connection(Send(t[2]))
    with caplog.at_level(logging.DEBUG):
        got = run_until(api, make_source(api, tmp_path), ids(*t))
    assert_exactly_once(got, ids(*t))

    paths = {(r.method, r.path) for r in api.requests}
    assert paths == {("GET", RULES), ("POST", RULES), ("GET", STREAM), ("GET", SEARCH)}
    assert all(r.headers["authorization"] == f"Bearer {TOKEN}" for r in api.requests)
    assert "Making API request" in caplog.text  # tweepy's debug log ran, redacted
    assert TOKEN not in caplog.text
    assert TOKEN not in (tmp_path / "x_stream.json").read_text()


def test_a_wrong_token_stops_with_a_message_that_does_not_contain_it(api, tmp_path, caplog):
    wrong = "wrong-token-0123456789"
    source = make_source(api, tmp_path, bearer_token=SecretStr(wrong))
    with caplog.at_level(logging.DEBUG), pytest.raises(SourceError) as info:
        source.run(Collector().emit, Collector().reject)
    assert "401" in str(info.value) and "bearer token" in str(info.value)
    assert wrong not in str(info.value) and wrong not in caplog.text


@pytest.mark.parametrize("token", [None, SecretStr(""), SecretStr("   ")])
def test_a_missing_token_is_a_config_error(token):
    with pytest.raises(ConfigError, match="SCAMTRAIL_X_BEARER_TOKEN"):
        XStreamSource(bearer_token=token, handles=["MumbaiPolice"])


def test_a_bad_api_url_is_a_config_error():
    with pytest.raises(ConfigError, match="not an http"):
        XStreamSource(bearer_token=SecretStr(TOKEN), handles=["x"], api_url="api.x.com")


def test_nothing_to_watch_is_a_config_error():
    with pytest.raises(ConfigError, match="nothing to watch"):
        XStreamSource(bearer_token=SecretStr(TOKEN))


def test_tweepy_clients_are_routed_to_x_api_url(api):
    with XApi(SecretStr(TOKEN), api.url + "/") as client:
        assert client.get_rules() == []
        assert client.search_recent("to:MumbaiPolice")["meta"]["result_count"] == 0
    assert [r.path for r in api.requests] == [RULES, SEARCH]


def test_stop_interrupts_a_quiet_connection_at_once(api, tmp_path):
    api.connection(Pause(30))  # no keep-alives either, and the stall timeout is the default
    source = make_source(api, tmp_path, stall_timeout_s=20)
    got = Collector()
    with Running(source, got) as running:
        assert wait_until(lambda: len(api.recorded(STREAM)) == 1)
        time.sleep(0.1)
        started = time.monotonic()
        source.stop()
        running.thread.join(5)
        assert time.monotonic() - started < 1.0


def test_stop_interrupts_a_rate_limit_wait(api, tmp_path):
    api.connection(rate_limited(reset_in_s=120))
    source = make_source(api, tmp_path)
    with Running(source, Collector()) as running:
        assert wait_until(lambda: len(api.recorded(STREAM)) == 1)
        time.sleep(0.1)
        started = time.monotonic()
        source.stop()
        running.thread.join(5)
        assert time.monotonic() - started < 1.0


# -- backoff ------------------------------------------------------------------------------------
def test_backoff_follows_x_guidance():
    now = 1_000_000.0
    b = Backoff(clock=lambda: now)
    net = TransientXError("x", kind="network")
    assert [b.delay(net) for _ in range(3)] == [0.25, 0.5, 0.75]
    assert [b.delay(net) for _ in range(100)][-1] == 16.0
    http = TransientXError("x", kind="http", status=503)
    assert [b.delay(http) for _ in range(8)] == [5, 10, 20, 40, 80, 160, 320, 320]
    limited = TransientXError("x", kind="rate_limit", status=429)
    assert [b.delay(limited) for _ in range(6)] == [60, 120, 240, 480, 960, 960]
    reset = TransientXError("x", kind="rate_limit", status=429, reset_at=now + 42)
    assert b.delay(reset) == 42
    b.reset()
    assert b.delay(net) == 0.25 and b.delay(http) == 5


# -- the command ------------------------------------------------------------------------------
def test_ingest_stream_command_publishes_to_the_bus_and_stops_on_sigterm(api, home, tmp_path):
    t = api.post("SBI KYC caller 98765 43210 asked OTP")
    api.connection(Raw(b"{broken"), Send(t))  # the checkpoint appears once both were handled
    token_file = tmp_path / "token"
    token_file.write_text(TOKEN + "\n")
    env = {
        **os.environ,
        "SCAMTRAIL_HOME": str(home),
        "SCAMTRAIL_X_API_URL": api.url,
        "SCAMTRAIL_LOG_FORMAT": "text",
        "SCAMTRAIL_LOG_LEVEL": "DEBUG",
    }
    env.pop("SCAMTRAIL_X_BEARER_TOKEN", None)
    args = ["ingest", "stream", "--handle", "MumbaiPolice", "--bearer-token-file", str(token_file)]
    with subprocess.Popen(
        [sys.executable, "-m", "scamtrail.cli", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as proc:
        try:
            state = home / "state" / "x_stream.json"
            assert wait_until(lambda: state.exists() and api.idle_connections >= 1, 60)
            proc.send_signal(signal.SIGTERM)
            _, err = proc.communicate(timeout=20)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.communicate()
    assert proc.returncode == 0, err
    assert "published 1 complaints; rejected 1 lines" in err
    assert TOKEN not in err
    assert json.loads(state.read_text())["since_id"] == t["data"]["id"]
    with EmbeddedBus(home / "bus.db") as bus:
        assert [m.key for m in bus.read("raw")] == [f"x:{t['data']['id']}"]
        assert [m.header("reason") for m in bus.read("dlq")] == ["malformed_json"]


def test_ingest_commands_without_a_token_say_how_to_give_one(home):
    app = typer.Typer()
    cli_x.register(app, lambda: Settings(home=home, x_bearer_token=None))
    for command in (["stream", "--handle", "MumbaiPolice"], ["poll", "--query", "to:x"]):
        result = CliRunner().invoke(app, command)
        assert isinstance(result.exception, ConfigError), result.output
        assert "SCAMTRAIL_X_BEARER_TOKEN" in str(result.exception)
        assert "--bearer-token-file" in str(result.exception)


def test_the_bearer_token_file_option_is_read_and_checked(tmp_path):
    path = tmp_path / "token"
    path.write_text(f"  {TOKEN}\n")
    assert cli_x.read_token_file(path).get_secret_value() == TOKEN
    path.write_text("\n")
    with pytest.raises(ConfigError, match="is empty"):
        cli_x.read_token_file(path)


def test_run_with_x_stream_source_indexes_live_tweets_and_stops_on_sigterm(api, home, tmp_path):
    t = api.post("SBI KYC caller 98765 43210 asked my OTP")
    api.connection(Send(t))
    env = {
        **os.environ,
        "SCAMTRAIL_HOME": str(home),
        "SCAMTRAIL_X_API_URL": api.url,
        "SCAMTRAIL_X_BEARER_TOKEN": TOKEN,
        "SCAMTRAIL_X_HANDLES": '["MumbaiPolice"]',
        "SCAMTRAIL_LOG_FORMAT": "text",
    }
    with subprocess.Popen(
        [sys.executable, "-m", "scamtrail.cli", "run", "--source", "x-stream"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as proc:
        try:
            store_db = home / "store.db"

            def indexed() -> bool:
                if not store_db.exists():
                    return False
                with SqliteStore(store_db) as store:
                    return store.lookup("phone", "+919876543210").complaint_count == 1

            assert wait_until(indexed, 90)
            proc.send_signal(signal.SIGTERM)
            _, err = proc.communicate(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.communicate()
    assert proc.returncode == 0, err
    assert "indexed 1 complaints" in err
    assert TOKEN not in err
    assert any("MumbaiPolice" in r["value"] for r in api.rules.values()), (
        "rules from SCAMTRAIL_X_HANDLES"
    )
