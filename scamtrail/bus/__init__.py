"""Buses: the embedded SQLite log and Apache Kafka, behind one interface (see ``base``).

:func:`open_bus` picks the backend from the ``SCAMTRAIL_BUS`` URL; kafka-python is imported only
when a ``kafka://`` URL is used, and only in ``scamtrail.bus.kafka``.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

from scamtrail.bus.base import TOPICS, Batch, Bus, Consumer, Message
from scamtrail.errors import ConfigError
from scamtrail.settings import Settings

__all__ = ["TOPICS", "Batch", "Bus", "Consumer", "Message", "open_bus"]


def open_bus(settings: Settings) -> Bus:
    """Open the bus named by ``settings.bus_url``."""
    url = settings.bus_url
    parsed = urlparse(url)
    if parsed.scheme == "embedded":
        from scamtrail.bus.embedded import EmbeddedBus

        path = Path("/" + (parsed.netloc + parsed.path).lstrip("/"))
        return EmbeddedBus(path, prefix=settings.topic_prefix)
    if parsed.scheme == "kafka":
        from scamtrail.bus.kafka import KafkaBus

        servers = [s for s in parsed.netloc.split(",") if s]
        if not servers:
            raise ConfigError(f"bus URL {url!r} names no broker; use kafka://host:9092")
        k = settings.kafka
        return KafkaBus(
            servers,
            prefix=settings.topic_prefix,
            partitions=k.partitions,
            replication_factor=k.replication_factor,
            security=k.security(),
            compression=k.compression,
        )
    raise ConfigError(
        f"unknown bus URL {url!r}; use embedded:///path/to/bus.db or kafka://host:9092"
    )
