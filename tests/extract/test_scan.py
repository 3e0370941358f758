"""The one scan finds exactly what the per-kind scans it replaced found."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from scamtrail.extract.normalize import digit_chains
from scamtrail.extract.scan import scan
from scamtrail.extract.snapshot import FRAGMENTS
from scamtrail.extract.urls import _dot_anchors

PIECES = FRAGMENTS + ["[dot]", "(dot)", "(.)", "{.}", "192.168.", "1.1", "a.b", "+ 9", "@", "..",
                      "x.", ".5", "98765(.)43210", "Dot", "\n"]  # fmt: skip


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=25))
def test_scan_finds_what_the_separate_scans_found(pieces: list[str]) -> None:
    text = "".join(pieces)
    found = scan(text)
    assert found.chains == digit_chains(text)
    assert found.at_signs == [i for i, ch in enumerate(text) if ch == "@"]
    assert found.dots == _dot_anchors(text)


def test_text_without_candidates() -> None:
    assert scan("sir please help, my money is gone") == ([], [], [])
