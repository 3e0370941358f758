"""Replay: complaints from a JSONL file or standard input onto the raw topic.

Each line is an X API v2 payload or a plain ``{"id", "text", ...}`` record (see ``payloads``).
Lines that cannot be parsed are rejected with their line number and reason; the replay goes on.
``rate`` paces the replay (complaints per second); a progress bar is shown for files.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from scamtrail.ingest.base import Emit, Reject, Source
from scamtrail.ingest.payloads import MAX_LINE_BYTES, parse_line

from scamtrail.errors import RecordError, SourceError
from scamtrail.records import Complaint


class ReplaySource(Source):
    """Replays a JSONL file (or ``-`` for stdin). See the module docstring."""

    name = "replay"

    def __init__(
        self,
        path: str | Path,
        *,
        rate: float | None = None,
        batch_size: int = 500,
        progress: bool = False,
        source_name: str = "replay",
    ) -> None:
        self.path = str(path)
        self.rate = rate
        self.batch_size = batch_size
        self.progress = progress
        self.source_name = source_name
        self._stop = threading.Event()
        self.lines = 0
        self.emitted = 0
        self.rejected = 0

    def stop(self) -> None:
        """Stop after the current batch."""
        self._stop.set()

    def _open(self) -> tuple[BinaryIO, int | None]:
        if self.path == "-":
            return sys.stdin.buffer, None
        try:
            fh = open(self.path, "rb")  # noqa: SIM115 - closed in run()
        except OSError as exc:
            raise SourceError(f"cannot read {self.path}: {exc.strerror}") from exc
        return fh, Path(self.path).stat().st_size

    def _lines(self, fh: BinaryIO) -> Iterator[bytes]:
        # Read bounded lines so a single huge line cannot exhaust memory.
        while True:
            line = fh.readline(MAX_LINE_BYTES + 1)
            if not line:
                return
            if len(line) > MAX_LINE_BYTES and not line.endswith(b"\n"):
                while True:  # skip the rest of the oversized line
                    rest = fh.readline(MAX_LINE_BYTES)
                    if not rest or rest.endswith(b"\n"):
                        break
            yield line

    def run(self, emit: Emit, reject: Reject) -> None:
        """Replay every line; see the module docstring."""
        fh, size = self._open()
        bar = None
        if self.progress and size is not None:
            from tqdm import tqdm

            bar = tqdm(total=size, unit="B", unit_scale=True, desc="replay", file=sys.stderr)
        started = time.monotonic()
        batch: list[Complaint] = []
        try:
            for line in self._lines(fh):
                if self._stop.is_set():
                    break
                self.lines += 1
                if bar is not None:
                    bar.update(len(line))
                if not line.strip():
                    continue
                try:
                    batch.extend(parse_line(line.rstrip(b"\r\n"), self.source_name))
                except RecordError as exc:
                    self.rejected += 1
                    reject(line[:MAX_LINE_BYTES], exc, f"{self.path}:{self.lines}")
                    continue
                if len(batch) >= self.batch_size:
                    self._flush(batch, emit, started)
                    batch = []
            if batch:
                self._flush(batch, emit, started)
        finally:
            if bar is not None:
                bar.close()
            if fh is not sys.stdin.buffer:
                fh.close()

    def _flush(self, batch: list[Complaint], emit: Emit, started: float) -> None:
        emit(batch)
        self.emitted += len(batch)
        if self.rate:
            ahead = self.emitted / self.rate - (time.monotonic() - started)
            if ahead > 0:
                self._stop.wait(ahead)
