"""`scamtrail dlq replay`: dead letters go back where they failed, once each (every bus)."""

from __future__ import annotations

import json

from scamtrail.bus.base import Message
from scamtrail.runtime.consumer import dead_letter
from scamtrail.runtime.ingestor import replay_dead_letters


def _raw_keys(bus) -> list[str]:
    return sorted(m.key for m in bus.read("raw", 0, 100))


def test_replay_sends_each_dead_letter_back_once(bus_factory):
    bus = bus_factory()
    stage_failure = Message(key="x:1", value=b'{"id": "x:1"}', topic="raw", partition=0, offset=7)
    fixed_line = json.dumps({"id": "web-2", "text": "caller asked OTP"}).encode()
    bus.publish(
        "dlq",
        [
            dead_letter(
                stage_failure.value,
                stage="process",
                reason="missing_field",
                error="text",
                origin=stage_failure,
            ),
            dead_letter(
                fixed_line,
                stage="ingest",
                reason="invalid_field",
                error="was rejected",
                key="in.jsonl:2",
            ),
            dead_letter(
                b"{still broken",
                stage="ingest",
                reason="malformed_json",
                error="x",
                key="in.jsonl:3",
            ),
            dead_letter(
                b"{}", stage="index", reason="store_rejected", error="x", origin=stage_failure
            ),
        ],
    )
    resent, left = replay_dead_letters(bus, stage="ingest")
    assert (resent, left) == (2, 2)
    assert _raw_keys(bus) == ["web-2"]
    reasons = [m.header("reason") for m in bus.read("dlq", 0, 100)]
    assert reasons.count("malformed_json") == 2  # still broken: dead-lettered anew, with its reason

    resent, left = replay_dead_letters(bus, stage="process", group="dlq-replay-2")
    assert resent == 1
    assert _raw_keys(bus) == ["web-2", "x:1"]
    replayed = [m for m in bus.read("raw", 0, 100) if m.key == "x:1"][0]
    assert replayed.header("replayed_from") == "dlq"

    assert replay_dead_letters(bus, stage="ingest") == (1, 0)  # only the new dead letter is sent
