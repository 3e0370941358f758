"""Resume state for the X sources: the newest tweet id delivered, recently seen ids, delivery.

:class:`CheckpointFile` keeps one small JSON object on disk::

    {"version": 1, "source": "x_stream", "since_id": "1852...", "updated_at": "2026-...Z"}

``since_id`` means "every matching tweet up to this id has been handed to ``emit`` or
``reject``"; it is written only after those calls returned, so a crash at any point repeats at
most the tweets after it (the bus key is the complaint id, so a repeat overwrites) and never
skips one. Writes go to a temporary file in the same directory, are fsynced, then renamed over
the old file, so a reader sees the old checkpoint or the new one, never half of one.

:class:`SeenIds` is the bounded in-memory set that stops a tweet delivered twice (once by the
stream, once by the search that fills a gap) from being emitted twice. :class:`TweetLedger`
puts the two together in the order that makes the checkpoint true: emit, then remember.

Nothing secret is ever written here: the file holds ids and timestamps only.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections import OrderedDict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from scamtrail.ingest.base import Emit, Reject
from scamtrail.ingest.payloads import MAX_LINE_BYTES, complaints_from_x

from scamtrail.errors import RecordError, SourceError
from scamtrail.records import Complaint, utcnow_iso

CHECKPOINT_VERSION = 1


def newer_id(a: str | None, b: str | None) -> str | None:
    """The larger of two tweet ids (snowflakes compare as integers), ignoring ``None``."""
    if a is None:
        return b
    if b is None:
        return a
    return a if int(a) >= int(b) else b


class CheckpointFile:
    """The ``since_id`` of one source, persisted atomically. See the module docstring."""

    def __init__(self, path: str | Path, source: str) -> None:
        self.path = Path(path)
        self.source = source
        self.since_id: str | None = None

    def load(self) -> str | None:
        """Read the checkpoint (``None`` when there is none yet) and remember it."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise SourceError(f"cannot read checkpoint {self.path}: {exc.strerror}") from exc
        try:
            obj = json.loads(text)
            since_id = obj.get("since_id")
            if since_id is not None and not (isinstance(since_id, str) and since_id.isdigit()):
                raise ValueError(f"since_id {since_id!r} is not a tweet id")
        except (ValueError, AttributeError) as exc:
            raise SourceError(
                f"checkpoint {self.path} is unreadable ({exc}); fix it, or delete it to start "
                "from now"
            ) from exc
        self.since_id = since_id
        return since_id

    def advance(self, tweet_id: str) -> bool:
        """Move ``since_id`` forward to ``tweet_id`` (never back); True when it was written."""
        newest = newer_id(self.since_id, tweet_id)
        if newest == self.since_id:
            return False
        self.since_id = newest
        self._write()
        return True

    def _write(self) -> None:
        body = json.dumps(
            {
                "version": CHECKPOINT_VERSION,
                "source": self.source,
                "since_id": self.since_id,
                "updated_at": utcnow_iso(),
            }
        )
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(
                prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent
            )
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as fh:
                    fh.write(body)
                    fh.flush()
                    os.fsync(fh.fileno())
                os.replace(tmp, self.path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
            dir_fd = os.open(self.path.parent, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)
        except OSError as exc:
            raise SourceError(f"cannot write checkpoint {self.path}: {exc.strerror}") from exc


class SeenIds:
    """The last ``capacity`` tweet ids delivered, for de-duplication (oldest forgotten first)."""

    def __init__(self, capacity: int = 10_000) -> None:
        self.capacity = capacity
        self._ids: OrderedDict[str, None] = OrderedDict()

    def __contains__(self, tweet_id: object) -> bool:
        return tweet_id in self._ids

    def __len__(self) -> int:
        return len(self._ids)

    def add(self, tweet_id: str) -> None:
        """Remember ``tweet_id``, forgetting the oldest id when full."""
        self._ids[tweet_id] = None
        self._ids.move_to_end(tweet_id)
        while len(self._ids) > self.capacity:
            self._ids.popitem(last=False)


#: One delivery: the decoded payload, its bytes as received (for the dead-letter topic), a ref.
Delivery = tuple[Any, bytes, str]


class TweetLedger:
    """Delivers tweets exactly once per run and keeps the checkpoint behind ``emit``.

    ``deliver`` drops tweets already seen (in :class:`SeenIds`, or at/below the checkpoint the
    run started from when ``skip_at_or_below_start`` is set), converts the rest, calls
    ``reject`` for those that do not fit the contract and ``emit`` for the others, and only then
    remembers their ids and writes the newest as the checkpoint.

    ``hold(at)`` keeps the checkpoint (and :attr:`resume_id`) at ``at`` while tweets newer than
    it are delivered, until ``release()``: for a stretch where an older tweet may still turn up
    (search indexes tweets a few seconds late), so a restart searches from before it.
    """

    def __init__(
        self,
        checkpoint: CheckpointFile | None,
        *,
        seen_capacity: int = 10_000,
        skip_at_or_below_start: bool = True,
    ) -> None:
        self.checkpoint = checkpoint
        self.seen = SeenIds(seen_capacity)
        self.since_id: str | None = None
        self.floor_id: str | None = None
        self.skip_at_or_below_start = skip_at_or_below_start
        self.emitted = 0
        self.rejected = 0
        self.duplicates = 0
        self.held = False
        self.hold_id: str | None = None

    @property
    def resume_id(self) -> str | None:
        """The id a search must start after so that nothing is missed (held or newest)."""
        return self.hold_id if self.held else self.since_id

    def hold(self, at: str | None) -> None:
        """Keep the checkpoint at ``at`` until :meth:`release`."""
        self.held, self.hold_id = True, at

    def release(self) -> None:
        """Let the checkpoint catch up with the newest tweet delivered."""
        self.held, self.hold_id = False, None
        if self.checkpoint is not None and self.since_id is not None:
            self.checkpoint.advance(self.since_id)

    def load(self) -> str | None:
        """Start from the stored checkpoint (``None`` when there is none)."""
        if self.checkpoint is not None:
            self.since_id = self.checkpoint.load()
            if self.skip_at_or_below_start:
                self.floor_id = self.since_id
        return self.since_id

    def is_duplicate(self, tweet_id: str) -> bool:
        """True when ``tweet_id`` was delivered already."""
        if tweet_id in self.seen:
            return True
        return self.floor_id is not None and int(tweet_id) <= int(self.floor_id)

    def deliver(self, items: Iterable[Delivery], emit: Emit, reject: Reject) -> int:
        """Emit the new tweets among ``items``; return how many complaints were emitted."""
        batch: list[Complaint] = []
        delivered: list[str] = []
        for payload, raw, ref in items:
            tid = payload_id(payload)
            if tid is not None and (self.is_duplicate(tid) or tid in delivered):
                self.duplicates += 1
                continue
            try:
                batch.extend(complaints_from_x(payload))
            except RecordError as exc:
                self.rejected += 1
                reject(raw[:MAX_LINE_BYTES], exc, f"x:{tid}" if tid else ref)
            if tid is not None:
                delivered.append(tid)
        if batch:
            emit(batch)
            self.emitted += len(batch)
        for tid in delivered:
            self.seen.add(tid)
            self.since_id = newer_id(self.since_id, tid)
        if delivered and self.checkpoint is not None and self.since_id and not self.held:
            self.checkpoint.advance(self.since_id)
        return len(batch)

    def reject(self, reject: Reject, raw: bytes, error: RecordError, ref: str) -> None:
        """Reject input that is not a tweet at all (counted with the others)."""
        self.rejected += 1
        reject(raw[:MAX_LINE_BYTES], error, ref)


def payload_id(payload: Any) -> str | None:
    """The tweet id of a stream-shaped payload ``{"data": {"id": ...}}``, when usable."""
    tweet = payload.get("data") if isinstance(payload, dict) else None
    tid = tweet.get("id") if isinstance(tweet, dict) else None
    return tid if isinstance(tid, str) and tid.isdigit() else None


class LedgerCounters:
    """What an X source reports about its deliveries, read from its ``ledger``."""

    ledger: TweetLedger

    @property
    def since_id(self) -> str | None:
        """The newest tweet id delivered (what the checkpoint holds)."""
        return self.ledger.since_id

    @property
    def emitted(self) -> int:
        """Complaints emitted so far."""
        return self.ledger.emitted

    @property
    def rejected(self) -> int:
        """Lines and tweets rejected so far."""
        return self.ledger.rejected

    @property
    def duplicates(self) -> int:
        """Tweets dropped because they had been delivered already."""
        return self.ledger.duplicates
