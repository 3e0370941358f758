"""Test helpers for consumers on either bus."""

from __future__ import annotations

import time

from scamtrail.bus.base import Consumer, Message


def drain(
    consumer: Consumer, expect: int, timeout_s: float = 30.0, commit: bool = True
) -> list[Message]:
    """Poll until ``expect`` messages arrived (or time out), committing each batch."""
    got: list[Message] = []
    deadline = time.monotonic() + timeout_s
    while len(got) < expect and time.monotonic() < deadline:
        batch = consumer.poll(max_records=100, timeout_s=0.5)
        got.extend(batch.messages)
        if commit and batch:
            consumer.commit(batch)
    return got
