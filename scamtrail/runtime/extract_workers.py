"""``scamtrail extract`` on every core: chunks of input lines enriched by worker processes, the
output written in input order by this one.

The workers are forked after the extractor is built, so they share its model and scanner tables
with this process (no second start-up, no pickled model). This process reads the input in chunks
of lines, keeps a few chunks in flight per worker (so a large input is never read ahead into
memory), and writes each chunk's output lines as its turn comes. Each chunk goes through the same
:func:`~scamtrail.runtime.extract_file.extract_lines` as a single-process run, and a record's
output depends only on its own line, so the output is the same byte for byte.

An input of one chunk or less is enriched here: a pool would cost more than it saves.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator
from itertools import chain
from multiprocessing.pool import AsyncResult

from scamtrail.extract.pipeline import ComplaintExtractor
from scamtrail.runtime.extract_file import CHUNK_LINES, extract_lines

#: Chunks waiting or being enriched, per worker: enough to keep each one busy while this process
#: writes, few enough that memory stays flat however long the input.
IN_FLIGHT_PER_WORKER = 3

_extractor: ComplaintExtractor | None = None  # the forked workers' extractor


def default_workers() -> int:
    """One worker per core this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _enrich_chunk(lines: list[bytes]) -> list[bytes]:
    assert _extractor is not None, "forked without an extractor"
    out = list(extract_lines(_extractor, lines))
    gc.collect(1)  # the chunk's records are gone; its rare cycles with them
    return out


def _chunks(lines: Iterable[bytes]) -> Iterator[list[bytes]]:
    chunk: list[bytes] = []
    for line in lines:
        chunk.append(line)
        if len(chunk) >= CHUNK_LINES:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def extract_lines_parallel(
    extractor: ComplaintExtractor, lines: Iterable[bytes], workers: int
) -> Iterator[bytes]:
    """The output lines of :func:`extract_lines`, in order, enriched by ``workers`` processes."""
    chunks = _chunks(lines)
    head = [c for c in (next(chunks, None), next(chunks, None)) if c is not None]
    if workers <= 1 or len(head) < 2:
        for chunk in chain(head, chunks):
            yield from extract_lines(extractor, chunk)
        return
    global _extractor
    _extractor = extractor
    pool = multiprocessing.get_context("fork").Pool(workers)
    try:
        pending: deque[AsyncResult[list[bytes]]] = deque()
        for chunk in chain(head, chunks):
            pending.append(pool.apply_async(_enrich_chunk, (chunk,)))
            if len(pending) >= workers * IN_FLIGHT_PER_WORKER:
                yield from pending.popleft().get()
        while pending:
            yield from pending.popleft().get()
        pool.close()
        pool.join()
    finally:
        pool.terminate()
        _extractor = None
