"""The source interface: something that produces Complaint records.

A source calls ``emit(complaints)`` with batches of parsed complaints and ``reject(raw, error,
ref)`` for input it cannot parse (the caller dead-letters it with the reason); it never drops
anything silently. ``run`` returns when the input is exhausted (replay) or after ``stop()``
(streams); all resume state (checkpoints) is the source's own.
"""

from __future__ import annotations

import abc
from collections.abc import Callable, Sequence

from scamtrail.errors import RecordError
from scamtrail.records import Complaint

Emit = Callable[[Sequence[Complaint]], None]
Reject = Callable[[bytes, RecordError, str], None]


class Source(abc.ABC):
    """Produces complaints. ``name`` appears in logs and metrics."""

    name: str = "source"

    @abc.abstractmethod
    def run(self, emit: Emit, reject: Reject) -> None:
        """Read input, calling ``emit`` with complaint batches and ``reject`` with bad input."""

    def stop(self) -> None:  # noqa: B027 - optional for finite sources
        """Ask a running source to finish its current batch and return."""
