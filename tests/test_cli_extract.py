"""``scamtrail extract`` as a process: files it cannot open, output in chunks, a quick exit."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

from tests.cli_run import run_cli


def _env(home: Path) -> dict[str, str]:
    return {**os.environ, "SCAMTRAIL_HOME": str(home), "SCAMTRAIL_LOG_FORMAT": "text"}


def _lines(n: int) -> str:
    return "".join(
        json.dumps({"id": str(i), "text": f"call {9876500000 + i} ₹{i} 🙏"}, ensure_ascii=False)
        + "\n"
        for i in range(n)
    )


def test_an_input_or_output_it_cannot_open_is_a_usage_error_naming_the_option(
    home: Path, tmp_path: Path
):
    out = run_cli(_env(home), "extract", "--input", str(tmp_path / "missing.jsonl"), check=False)
    assert out.returncode == 2
    assert "--input" in out.stderr and "missing.jsonl" in out.stderr
    assert "Traceback" not in out.stderr
    src = tmp_path / "in.jsonl"
    src.write_text(_lines(1))
    out = run_cli(
        _env(home), "extract", "-i", str(src), "-o", str(tmp_path / "no" / "dir.jsonl"), check=False
    )
    assert out.returncode == 2
    assert "--output" in out.stderr and "Traceback" not in out.stderr


def test_every_line_reaches_stdout_and_the_file_before_the_process_ends(home: Path, tmp_path: Path):
    # more than two chunks of 512, the last one short: each is written whole before the exit,
    # which skips the interpreter's teardown
    n = 1100
    src = tmp_path / "in.jsonl"
    src.write_text(_lines(n), encoding="utf-8")
    piped = run_cli(_env(home), "extract", input=src.read_text(encoding="utf-8"))
    dst = tmp_path / "out.jsonl"
    run_cli(_env(home), "extract", "-i", str(src), "-o", str(dst))
    for text in (piped.stdout, dst.read_text(encoding="utf-8")):
        assert text.endswith("\n")
        rows = [json.loads(line) for line in text.splitlines()]
        assert [r["id"] for r in rows] == [str(i) for i in range(n)]
        assert rows[-1]["identifiers"][0]["value"] == f"+91{9876500000 + n - 1}"
        assert rows[-1]["text"].endswith("🙏")  # UTF-8 as is, not escaped


def test_extract_stream_writes_utf8_lines_and_counts_them():
    from scamtrail.extract.pipeline import ComplaintExtractor

    from scamtrail.runtime.extract_file import extract_stream

    src = io.BytesIO((_lines(3) + "{broken\n\n").encode())
    dst = io.BytesIO()
    assert extract_stream(ComplaintExtractor(), src, dst) == 4
    lines = dst.getvalue().decode("utf-8").split("\n")
    assert lines[-1] == "" and len(lines) == 5
    assert json.loads(lines[3])["error"]["reason"] == "malformed_json"
    assert "🙏" in lines[0] and '"raw"' not in lines[0]
    assert json.loads(lines[0])["schema"] == 1


def test_workers_give_the_same_lines_in_the_same_order(home: Path, tmp_path: Path):
    from scamtrail.runtime.extract_file import CHUNK_LINES

    lines = _lines(3 * CHUNK_LINES + 7).splitlines(True)
    lines[5:5] = ["{not json\n", "\n", '{"id": "s", "text": "half \\ud800"}\r\n']
    lines.insert(CHUNK_LINES + 3, json.dumps({"id": "dup", "text": "SBI OTP 9876543210"}) + "\n")
    src = tmp_path / "in.jsonl"
    src.write_text("".join(lines))

    def run(workers: int) -> list[dict]:
        dst = tmp_path / f"out-{workers}.jsonl"
        run_cli(_env(home), "extract", "-i", str(src), "-o", str(dst), "--workers", str(workers))
        rows = [json.loads(line) for line in dst.read_text().splitlines()]
        for row in rows:  # stamped when read: the only fields that differ between runs
            row.pop("received_at", None)
            row.pop("created_at", None)
        return rows

    one, two = run(1), run(2)
    assert len(one) == len(lines) - 1  # the blank line gives none
    assert two == one
    assert [r.get("id") for r in two[:8]] == ["0", "1", "2", "3", "4", None, "s", "5"]
    assert two[5]["error"]["reason"] == "malformed_json"
    assert two[6]["error"]["reason"] == "invalid_utf8"
