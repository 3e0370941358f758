"""JSON that does not parse is reported in one clean phrase: what is wrong, and where."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from scamtrail.index.feed_readers import read_feed
from scamtrail.ingest.payloads import parse_line

from scamtrail.errors import RecordError, SourceError
from scamtrail.records import decode_complaint

UNTERMINATED = '{"id": "1", "text": "OTP'  # the string starting at char 20 never ends
TRAILING = '{"id": "1",}'


def _clean(message: str) -> None:
    assert not re.search(r"\bat at\b", message), message
    assert re.search(r"line 1 column \d+ \(char \d+\)", message), message


@pytest.mark.parametrize("text", [UNTERMINATED, TRAILING, "{not json"])
def test_replay_line(text: str) -> None:
    with pytest.raises(RecordError) as info:
        parse_line(text)
    assert info.value.reason == "malformed_json"
    _clean(str(info.value))


def test_unterminated_string_reads_cleanly() -> None:
    with pytest.raises(RecordError) as info:
        parse_line(UNTERMINATED)
    assert str(info.value) == (
        "line is not JSON: Unterminated string starting at line 1 column 21 (char 20)"
    )


@pytest.mark.parametrize("text", [UNTERMINATED, TRAILING])
def test_bus_payload(text: str) -> None:
    with pytest.raises(RecordError) as info:
        decode_complaint(text.encode())
    _clean(str(info.value))


def test_feed_file(tmp_path: Path) -> None:
    feed = tmp_path / "feed.json"
    feed.write_text('{"format": "scamtrail-feed", "agency": "Pune')
    with pytest.raises(SourceError) as info:
        read_feed(feed)
    _clean(str(info.value))
    assert "Unterminated string starting at line 1 column" in str(info.value)
