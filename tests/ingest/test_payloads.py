"""Sources' parsing: X API v2 payloads (the real shapes in shared samples) and plain records."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from scamtrail.ingest.payloads import MAX_LINE_BYTES, parse_line
from scamtrail.ingest.replay import ReplaySource

from scamtrail.errors import RecordError

SAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "x_api_samples"


def _sample(name: str) -> str:
    path = SAMPLES / name
    if not path.exists():
        pytest.skip(f"shared sample {name} not present")
    return path.read_text()


def test_filtered_stream_line_with_author_expansion():
    (c,) = parse_line(
        json.dumps(json.loads(_sample("filtered_stream_tweet_with_author_expansion.json")))
    )
    assert c.id == "x:1234567890"
    assert c.source == "x"
    assert c.author.username == "catperson"
    assert c.created_at == "2024-01-15T10:35:00.000000Z"
    assert c.url == "https://x.com/catperson/status/1234567890"
    assert c.raw is not None and c.raw["matching_rules"][0]["tag"] == "cats with images"


def test_search_page_gives_every_tweet():
    page = json.loads(_sample("recent_search_response_with_includes_users.json"))
    complaints = parse_line(json.dumps(page))
    assert len(complaints) == len(page["data"])
    assert all(c.id.startswith("x:") for c in complaints)
    users = {u["id"]: u["username"] for u in page["includes"]["users"]}
    for c, tweet in zip(complaints, page["data"], strict=True):
        assert c.author.username == users.get(tweet["author_id"])


def test_plain_record_defaults():
    (c,) = parse_line('{"id": "web-7", "text": "help"}', default_source="intake")
    assert (c.id, c.source, c.text) == ("web-7", "intake", "help")
    assert c.created_at.endswith("Z")


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        (b'{"data": {"id": "1"}}', "missing_field"),
        (b'{"data": []}', "invalid_field"),
        (b'{"data": {"id": "1", "text": "x"}, "includes": [null]}', "invalid_field"),
        (b'{"data": [{"id": "1", "text": "x"}], "includes": "users"}', "invalid_field"),
        (b'{"data": {"id": "1", "text": "x"}, "includes": null}', "invalid_field"),
        (b'{"id": "1", "text": "x", "author": {"name": "a\\ud800"}}', "invalid_utf8"),
        (
            b'{"data": {"id": "1", "text": "x"}, "includes": {"users": [{"id": "\\udfff"}]}}',
            "invalid_utf8",
        ),
        (b'{"data": {"text": "hi"}}', "missing_field"),
        (b'{"text": "no id"}', "missing_field"),
        (b"nope", "malformed_json"),
        (b"\xc3\x28", "invalid_utf8"),
        (b"b" * (MAX_LINE_BYTES + 1), "too_large"),
        (
            b'{"errors": [{"title": "operational-disconnect", "disconnect_type": "UpstreamOperationalDisconnect"}]}',
            "x_error",
        ),
    ],
)
def test_bad_lines_are_rejected_with_a_reason(line, reason):
    with pytest.raises(RecordError) as info:
        parse_line(line)
    assert info.value.reason == reason


def test_replay_rejects_bad_lines_and_carries_on(tmp_path: Path):
    f = tmp_path / "in.jsonl"
    good = [json.dumps({"id": f"r{i}", "text": f"complaint {i}"}) for i in range(5)]
    f.write_bytes(
        "\n".join([good[0], "{broken", good[1], '{"id": "r9"}', good[2], ""]).encode()
        + b"\xff\xfe\n"
        + "\n".join(good[3:]).encode()
        + b"\n"
        + b"x" * (MAX_LINE_BYTES + 10)
        + b"\n"
    )
    emitted, rejected = [], []
    src = ReplaySource(f, batch_size=2)
    src.run(
        lambda batch: emitted.extend(batch),
        lambda raw, err, ref: rejected.append((err.reason, ref)),
    )
    assert [c.id for c in emitted] == [f"r{i}" for i in range(5)]
    assert [r for r, _ in rejected] == [
        "malformed_json",
        "missing_field",
        "invalid_utf8",
        "too_large",
    ]
    assert rejected[0][1].endswith(":2")
