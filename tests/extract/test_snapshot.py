"""The before/after snapshot: the same texts every time, and lines that describe them."""

from __future__ import annotations

import json

from scamtrail.extract.snapshot import main, snapshot_lines, snapshot_texts


def test_snapshot_texts_are_fixed_and_cover_the_corpus() -> None:
    first = snapshot_texts(distinct=50, random_texts=50)
    assert first == snapshot_texts(distinct=50, random_texts=50)
    assert len(first) == len(snapshot_texts(distinct=0, random_texts=0)) + 100
    assert len(set(first[-100:-50])) == 50  # the appended references make them distinct


def test_snapshot_lines_hold_offsets(tmp_path) -> None:
    texts = ["call 📞 98765 43210, paid ₹5,000 via ravi@ybl to SBI", "nothing here"]
    lines = [json.loads(line) for line in snapshot_lines(texts)]
    assert [line[0] for line in lines] == texts
    (text, identifiers, entities), (_, none, no_entities) = lines
    assert [(i["kind"], i["value"]) for i in identifiers] == [
        ("phone", "+919876543210"),
        ("upi", "ravi@ybl"),
    ]
    assert {(e["label"], e["value"]) for e in entities} == {("amount", "5000"), ("bank", "SBI")}
    for item in identifiers + entities:
        assert text[item["start"] : item["end"]] == item["text"]
    assert none == [] and no_entities == []
    out = tmp_path / "snap.jsonl"
    main([str(out), "--distinct", "3", "--random", "3"])
    assert len(out.read_text(encoding="utf-8").splitlines()) == len(snapshot_texts(3, 3))
