"""Offline extraction for ``scamtrail extract``: JSONL in, Enriched JSONL out, in input order.

Input lines are plain ``{"id", "text"}`` objects or X API v2 payloads. Each input line gives one
output line (an X search page with several tweets gives one per tweet). A line that cannot be
read or enriched gives ``{"id": <id if known>, "error": {"reason", "message"}}`` in its place, so
line N of the output always answers line N of the input.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Iterable
from typing import IO

from scamtrail.errors import RecordError
from scamtrail.extract.pipeline import ComplaintExtractor
from scamtrail.ingest.payloads import parse_line
from scamtrail.records import Complaint
from scamtrail.runtime.collector import settle_gc

#: Lines enriched (and written) together.
CHUNK_LINES = 512


def _error_line(line: bytes, exc: RecordError) -> str:
    ident = None
    try:
        obj = json.loads(line)
        if isinstance(obj, dict):
            ident = obj.get("id") or (obj.get("data") or {}).get("id")
    except (ValueError, AttributeError):
        pass
    out = {"id": ident, "error": {"reason": exc.reason, "message": str(exc)}}
    text = json.dumps(out, ensure_ascii=False)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # an id holding a lone surrogate: written as its escape
        text = json.dumps(out)
    return text


#: What an output line leaves out of the Enriched record: the source's raw payload (given as a
#: dict: pydantic-core reads it faster than a set).
_EXCLUDE = {"raw": True}


def extract_lines(extractor: ComplaintExtractor, lines: Iterable[bytes]) -> Iterable[bytes]:
    """Yield one output JSON line (UTF-8, no newline) per input line (see the module docstring)."""
    pending: list[tuple[bytes, list[Complaint] | RecordError]] = []

    def flush() -> list[bytes]:
        complaints = [c for _, p in pending if type(p) is list for c in p]
        enriched, failures = extractor.enrich(complaints) if complaints else ([], [])
        # By position, not by id: two input lines may carry the same id with different texts.
        # ``enrich`` returns the records it enriched in input order, and names the others.
        succeeded = iter(enriched)
        failed = {id(f.complaint): f.error for f in failures}
        out: list[bytes] = []
        # pydantic-core writes the record's JSON bytes straight from the model: no str between
        # (model_dump_json decodes them, the text file encodes them again)
        for raw, parsed in pending:
            if type(parsed) is not list:
                out.append(_error_line(raw, parsed).encode())
                continue
            for c in parsed:
                err = failed.get(id(c)) if failed else None
                if err is not None:
                    out.append(
                        json.dumps(
                            {"id": c.id, "error": {"reason": err.reason, "message": str(err)}}
                        ).encode()
                    )
                else:
                    e = next(succeeded)
                    out.append(
                        e.__pydantic_serializer__.to_json(e, by_alias=True, exclude=_EXCLUDE)
                    )
        pending.clear()
        return out

    for line in lines:
        raw = line.rstrip(b"\r\n")
        if not raw.strip():
            continue
        try:
            pending.append((raw, parse_line(raw, default_source="extract")))
        except RecordError as exc:
            pending.append((raw, exc))
        if len(pending) >= CHUNK_LINES:
            yield from flush()
    if pending:
        yield from flush()


def extract_stream(
    extractor: ComplaintExtractor, src: IO[bytes], dst: IO[bytes], workers: int = 1
) -> int:
    """Read JSONL from ``src``, write Enriched JSONL (UTF-8) to ``dst``; return lines written.
    With ``workers`` > 1, chunks are enriched by that many forked processes (``extract_workers``).

    Lines are written a chunk at a time (one write of up to ``CHUNK_LINES`` lines). The cyclic
    collector does not run on its own meanwhile: what start-up built (the model, the scanner's
    tables) is frozen out of its passes, and between two chunks, when the chunk's records are
    gone, it collects the young generations (cycles are rare here: an exception's traceback).
    """
    settle_gc()
    gc.freeze()
    collecting = gc.isenabled()
    gc.disable()
    n = 0
    block: list[bytes] = []
    try:
        if workers > 1:
            from scamtrail.runtime.extract_workers import extract_lines_parallel

            outputs = extract_lines_parallel(extractor, src, workers)
        else:
            outputs = extract_lines(extractor, src)
        for out in outputs:
            block.append(out)
            if len(block) >= CHUNK_LINES:
                n += _write_block(dst, block)
                gc.collect(1)
        n += _write_block(dst, block)
        dst.flush()
    finally:
        gc.unfreeze()
        if collecting:
            gc.enable()
    return n


def _write_block(dst: IO[bytes], block: list[bytes]) -> int:
    if not block:
        return 0
    block.append(b"")
    dst.write(b"\n".join(block))
    n = len(block) - 1
    block.clear()
    return n
