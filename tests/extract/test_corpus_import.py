"""Importing the free-written corpus: validation, ids, offsets, values, deduplication."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from scamtrail.extract.classifier import CORPUS_DIR

sys.path.insert(0, str(CORPUS_DIR))
import import_free  # noqa: E402


def _write(path: Path, rows: list[object], done: bool = True) -> None:
    lines = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    if done:
        path.with_suffix(".done").touch()


def _row(text: str, category: str = "other", **extra: object) -> dict:
    return {
        "text": text,
        "lang": "en",
        "category": category,
        "style": "victim",
        "case": "x",
    } | extra


def test_rows_are_checked_given_ids_offsets_and_values(tmp_path):
    _write(
        tmp_path / "train-a.jsonl",
        [
            _row(
                "Fake SBI care 98765 43210 asked my pin, then again 98765 43210",
                "bank_fraud",
                identifiers=[
                    {"kind": "phone", "text": "98765 43210"},
                    {"kind": "phone", "text": "98765 43210"},
                    {"kind": "upi", "text": "not in the text@ybl"},
                ],
            ),
            "{not json",
            _row("no such class", "spam"),
            _row("no such language", lang="fr"),
            _row("a style nobody named", style="poem"),
            _row("Fake SBI care 98765-43210 asked my PIN, then again 98765 43210!!", "bank_fraud"),
        ],
    )
    _write(tmp_path / "train-b.jsonl", [_row("not finished yet")], done=False)
    splits, rejects = import_free.build(tmp_path)
    train = splits["train"]
    assert [r["id"] for r in train] == ["f-train-00001", "f-train-00002"]
    first = train[0]
    assert [(i["value"], i["start"]) for i in first["identifiers"]] == [
        ("+919876543210", 14),
        ("+919876543210", 51),
    ]
    for ident in first["identifiers"]:
        assert first["text"][ident["start"] : ident["end"]] == ident["text"]
    assert train[1]["style"] == "other"
    assert rejects["malformed_json"] == 1 and rejects["category"] == 1 and rejects["lang"] == 1
    assert rejects["identifier_not_in_text"] == 1
    assert rejects["duplicate:train"] == 1  # same words, other punctuation and case
    assert rejects["incomplete:train-b.jsonl"] == 1
    assert len(import_free.build(tmp_path, partial=True)[0]["train"]) == 3


def test_held_out_texts_win_and_near_copies_leave_train(tmp_path):
    shared = "my father got a call from someone saying his card is blocked today"
    _write(
        tmp_path / "train-a.jsonl",
        [
            _row(shared),
            _row(shared + " and he asked for the otp twice"),
            _row("a different story about a parked truck near the gate", "traffic"),
        ],
    )
    _write(tmp_path / "dev.jsonl", [_row(shared.upper() + "!!")])
    _write(tmp_path / "test.jsonl", [_row("the signal at the junction is dead", "traffic")])
    splits, rejects = import_free.build(tmp_path)
    assert [r["text"] for r in splits["train"]] == [
        "a different story about a parked truck near the gate"
    ]
    assert rejects["duplicate:train"] == 1 and rejects["near_copy_of_held_out:train"] == 1
    assert len(splits["dev"]) == 1 and len(splits["test"]) == 1


def test_a_file_marked_name_jsonl_done_is_complete(tmp_path):
    _write(
        tmp_path / "test-2.jsonl",
        [_row("the signal near the school is dead", "traffic")],
        done=False,
    )
    splits, rejects = import_free.build(tmp_path)
    assert not splits["test"] and rejects["incomplete:test-2.jsonl"] == 1
    (tmp_path / "test-2.jsonl.done").touch()
    splits, rejects = import_free.build(tmp_path)
    assert [r["origin"] for r in splits["test"]] == ["test-2"] and not rejects


def test_devanagari_words_keep_their_vowel_signs_in_5_grams():
    text = "मेरे पापा को बैंक से कॉल आया"
    assert import_free.words(text) == ["मेरे", "पापा", "को", "बैंक", "से", "कॉल", "आया"]
    assert len(import_free.shingles(text)) == 3
    # normalised() cuts at the vowel signs, which is what duplicate detection wants
    assert len(import_free.normalised(text).split()) > 7
