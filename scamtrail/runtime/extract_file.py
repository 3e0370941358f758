"""Offline extraction for ``scamtrail extract``: JSONL in, Enriched JSONL out, in input order.

Input lines are plain ``{"id", "text"}`` objects or X API v2 payloads. Each input line gives one
output line (an X search page with several tweets gives one per tweet). A line that cannot be
read or enriched gives ``{"id": <id if known>, "error": {"reason", "message"}}`` in its place, so
line N of the output always answers line N of the input.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import IO

from scamtrail.errors import RecordError
from scamtrail.extract.pipeline import ComplaintExtractor
from scamtrail.ingest.payloads import parse_line
from scamtrail.records import Complaint
from scamtrail.runtime.collector import settle_gc

_CHUNK = 512


def _error_line(line: bytes, exc: RecordError) -> str:
    ident = None
    try:
        obj = json.loads(line)
        if isinstance(obj, dict):
            ident = obj.get("id") or (obj.get("data") or {}).get("id")
    except (ValueError, AttributeError):
        pass
    return json.dumps(
        {"id": ident, "error": {"reason": exc.reason, "message": str(exc)}}, ensure_ascii=False
    )


def extract_lines(extractor: ComplaintExtractor, lines: Iterable[bytes]) -> Iterable[str]:
    """Yield one output JSON line per input line (see the module docstring)."""
    pending: list[tuple[bytes, list[Complaint] | RecordError]] = []

    def flush() -> Iterable[str]:
        complaints = [c for _, p in pending if isinstance(p, list) for c in p]
        enriched, failures = extractor.enrich(complaints) if complaints else ([], [])
        # By position, not by id: two input lines may carry the same id with different texts.
        # ``enrich`` returns the records it enriched in input order, and names the others.
        succeeded = iter(enriched)
        failed = {id(f.complaint): f.error for f in failures}
        for raw, parsed in pending:
            if isinstance(parsed, RecordError):
                yield _error_line(raw, parsed)
                continue
            for c in parsed:
                err = failed.get(id(c))
                if err is not None:
                    yield json.dumps(
                        {"id": c.id, "error": {"reason": err.reason, "message": str(err)}}
                    )
                else:
                    e = next(succeeded)
                    yield e.model_dump_json(by_alias=True, exclude={"raw"})
        pending.clear()

    for line in lines:
        raw = line.rstrip(b"\r\n")
        if not raw.strip():
            continue
        try:
            pending.append((raw, parse_line(raw, default_source="extract")))
        except RecordError as exc:
            pending.append((raw, exc))
        if len(pending) >= _CHUNK:
            yield from flush()
    if pending:
        yield from flush()


def extract_stream(extractor: ComplaintExtractor, src: IO[bytes], dst: IO[str]) -> int:
    """Read JSONL from ``src``, write Enriched JSONL to ``dst``; return lines written."""
    settle_gc()
    n = 0
    for out in extract_lines(extractor, src):
        dst.write(out + "\n")
        n += 1
    dst.flush()
    return n
