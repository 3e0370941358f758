"""The Apache Kafka bus, on kafka-python (the only module that imports it).

:class:`KafkaBus` maps the :class:`~scamtrail.bus.base.Bus` contract onto Kafka:

- a logical topic is the physical topic ``prefix + TOPICS[logical]``, created on first use with the
  configured partition count and replication factor (an existing topic is left as it is);
- ``publish`` sends every message with its key and headers (``acks="all"``, idempotent producer,
  bounded in-flight requests, batches sent together by a flush at the end) and returns only after
  the broker acknowledged each one, so a caller that got a return value may commit its own input;
- a consumer group is ``prefix + group``; auto-commit is off and a new group starts from the
  earliest offset; ``commit(batch)`` synchronously stores exactly ``batch.positions``.

A commit refused because the group rebalanced (the partitions now belong to another member, or the
member is rejoining) is **logged and dropped**: retrying it cannot succeed, the worker keeps
polling, and the uncommitted messages are delivered again to whoever owns the partitions now;
stores are idempotent by key, so that is safe. :attr:`KafkaGroupConsumer.dropped_commits` counts
them. Every other kafka-python error becomes :class:`~scamtrail.errors.BusError`, ``retriable``
copied from the Kafka error.
"""

from __future__ import annotations

import threading
import time
import weakref
from collections.abc import Iterable, Sequence
from typing import Any

from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer, TopicPartition
from kafka.errors import (
    TopicAlreadyExistsError,
)

from scamtrail.bus.base import TOPICS, Bus, Message
from scamtrail.bus.kafka_client import (
    BOOTSTRAP_TIMEOUT_MS,
    COMPRESSIONS,
    DELIVERY_TIMEOUT_MS,
    PRODUCER_BATCH_BYTES,
    PRODUCER_LINGER_MS,
    READ_DEADLINE_S,
    RECONNECT_BACKOFF_MAX_MS,
    REQUEST_TIMEOUT_MS,
    _accepts_tcp,
    _client_options,
    kafka_errors,
    log,
)
from scamtrail.bus.kafka_consumer import KafkaGroupConsumer, _message
from scamtrail.errors import BusError, ConfigError


class KafkaBus(Bus):
    """A :class:`Bus` on an Apache Kafka cluster. See the module docstring for the semantics.

    ``security`` is passed to every kafka-python client (``security_protocol``,
    ``sasl_mechanism``, ``sasl_plain_username``, ``sasl_plain_password``, ``ssl_cafile``, ...).
    No connection is made until the first call that needs one.
    """

    def __init__(
        self,
        bootstrap_servers: list[str],
        prefix: str = "scamtrail.",
        partitions: int = 3,
        replication_factor: int = 1,
        security: dict[str, object] | None = None,
        client_id: str = "scamtrail",
        compression: str | None = "lz4",
    ) -> None:
        super().__init__(prefix)
        if not bootstrap_servers:
            raise ConfigError("kafka bus needs at least one bootstrap server")
        if compression is not None and compression not in COMPRESSIONS:
            raise ConfigError(f"unknown kafka compression {compression!r}")
        if partitions < 1 or replication_factor < 1:
            raise ConfigError("kafka partitions and replication_factor must be >= 1")
        security = dict(security or {})
        known = (
            set(KafkaProducer.DEFAULT_CONFIG)
            | set(KafkaConsumer.DEFAULT_CONFIG)
            | set(KafkaAdminClient.DEFAULT_CONFIG)
        )
        unknown = sorted(set(security) - known)
        if unknown:
            raise ConfigError(f"unknown kafka security options: {', '.join(unknown)}")
        self.bootstrap_servers = list(bootstrap_servers)
        self.partitions = partitions
        self.replication_factor = replication_factor
        self.compression = compression
        self._options: dict[str, Any] = {
            "bootstrap_servers": self.bootstrap_servers,
            "client_id": client_id,
            "request_timeout_ms": REQUEST_TIMEOUT_MS,
            # Reconnect within seconds of a broker restart (kafka-python backs off up to 30 s).
            "reconnect_backoff_max_ms": RECONNECT_BACKOFF_MAX_MS,
            **security,
        }
        self._lock = threading.RLock()
        self._producer: KafkaProducer | None = None
        self._admin: KafkaAdminClient | None = None
        self._probe: KafkaConsumer | None = None
        self._ready_topics: set[str] = set()
        self._consumers: weakref.WeakSet[KafkaGroupConsumer] = weakref.WeakSet()
        self._closed = False

    @classmethod
    def from_url(cls, url: str, **kwargs: Any) -> KafkaBus:
        """A bus for ``kafka://host:9092[,host2:9092]``; keyword arguments go to the constructor."""
        scheme, sep, rest = url.partition("://")
        servers = [s.strip() for s in rest.split("/")[0].split(",") if s.strip()]
        if scheme != "kafka" or not sep or not servers:
            raise ConfigError(f"not a kafka bus URL: {url!r} (expected kafka://host:port[,...])")
        return cls(servers, **kwargs)

    # -- clients -------------------------------------------------------------------------------

    def client_options(self, client: type) -> dict[str, Any]:
        """Connection options (servers, client id, security) for a kafka-python client class."""
        return _client_options(client, self._options)

    def connect(self, client: type, what: str, **config: Any) -> Any:
        """A new kafka-python ``client`` with this bus's connection options plus ``config``.

        Raises a retriable BusError at once when no bootstrap server accepts a TCP connection:
        kafka-python 3.0.12 leaves a client's I/O thread running when its constructor fails to
        bootstrap, so a client is only built once a server answers.
        """
        self._check_open()
        proxied = self._options.get("proxy_url") or self._options.get("socks5_proxy")
        if not proxied and not any(_accepts_tcp(s) for s in self.bootstrap_servers):
            raise BusError(
                f"kafka {what}: no bootstrap server reachable ({', '.join(self.bootstrap_servers)})",
                retriable=True,
            )
        with kafka_errors(f"connect ({what})"):
            return client(**self.client_options(client), **config)

    def _admin_client(self) -> KafkaAdminClient:
        with self._lock:
            if self._admin is None:
                self._admin = self.connect(
                    KafkaAdminClient, "admin", bootstrap_timeout_ms=BOOTSTRAP_TIMEOUT_MS
                )
            return self._admin

    def _producer_client(self) -> KafkaProducer:
        with self._lock:
            if self._producer is None:
                self._producer = self.connect(
                    KafkaProducer,
                    "producer",
                    acks="all",
                    enable_idempotence=True,
                    compression_type=self.compression,
                    linger_ms=PRODUCER_LINGER_MS,
                    batch_size=PRODUCER_BATCH_BYTES,
                    max_in_flight_requests_per_connection=5,
                    delivery_timeout_ms=DELIVERY_TIMEOUT_MS,
                    bootstrap_timeout_ms=BOOTSTRAP_TIMEOUT_MS,
                )
            return self._producer

    def _probe_client(self) -> KafkaConsumer:
        """A group-less consumer for offset and partition look-ups."""
        with self._lock:
            if self._probe is None:
                self._probe = self.group_less_consumer("consumer")
            return self._probe

    def group_less_consumer(self, what: str) -> KafkaConsumer:
        """A consumer outside any group, for assigned reads and offset look-ups."""
        return self.connect(
            KafkaConsumer,
            what,
            group_id=None,
            enable_auto_commit=False,
            allow_auto_create_topics=False,
            bootstrap_timeout_ms=BOOTSTRAP_TIMEOUT_MS,
        )

    def _check_open(self) -> None:
        if self._closed:
            raise BusError("kafka bus is closed")

    # -- topics --------------------------------------------------------------------------------

    def logical_name(self, physical: str) -> str:
        """The logical name of a physical topic of this bus (``scamtrail.dlq`` -> ``dlq``)."""
        suffix = physical.removeprefix(self.prefix)
        for logical, name in TOPICS.items():
            if name == suffix:
                return logical
        return suffix

    def ensure_topics(self, topics: Iterable[str] = tuple(TOPICS)) -> None:
        """Create the physical topics of these logical ones if missing (default: all four)."""
        missing = [self.topic(t) for t in topics if self.topic(t) not in self._ready_topics]
        if not missing:
            return
        admin = self._admin_client()
        spec = {
            name: {"num_partitions": self.partitions, "replication_factor": self.replication_factor}
            for name in missing
        }
        with self._lock, kafka_errors("create topics"):
            result = admin.create_topics(spec, raise_errors=False)
            for item in result.get("topics", []):
                code = item.get("error_code", 0)
                if code not in (0, TopicAlreadyExistsError.errno):
                    raise BusError(
                        f"kafka create topic {item.get('name')} failed: error {code} "
                        f"{item.get('error_message') or ''}".rstrip(),
                        retriable=False,
                    )
            admin.wait_for_topics(missing, timeout_ms=REQUEST_TIMEOUT_MS)
        self._ready_topics.update(missing)
        log.info("stage=bus action=ensure_topics topics=%s", ",".join(missing))

    def existing_topics(self) -> list[str]:
        """The logical names of every topic on the cluster that carries this bus's prefix."""
        admin = self._admin_client()
        with self._lock, kafka_errors("list topics"):
            names = admin.list_topics()
        return sorted(self.logical_name(n) for n in names if n.startswith(self.prefix))

    def delete_topics(self, topics: Iterable[str] | None = None) -> None:
        """Delete the physical topics of these logical ones (default: every topic this bus made).

        Destroys data: meant for test clean-up and tear-down of a deployment's prefix.
        """
        names = sorted(
            {self.topic(t) for t in topics} if topics is not None else self._ready_topics
        )
        if not names:
            return
        admin = self._admin_client()
        with self._lock, kafka_errors("delete topics"):
            admin.delete_topics(names, raise_errors=False)
        self._ready_topics.difference_update(names)

    def partitions_of(self, topic: str) -> list[int]:
        """The partition ids of a logical topic (creating the topic if missing)."""
        self.ensure_topics([topic])
        probe = self._probe_client()
        with self._lock, kafka_errors("describe topic"):
            parts = probe.partitions_for_topic(self.topic(topic))
        if not parts:
            raise BusError(f"kafka topic {self.topic(topic)} has no partitions", retriable=True)
        return sorted(parts)

    # -- Bus -----------------------------------------------------------------------------------

    def publish(self, topic: str, messages: Iterable[Message]) -> int:
        """Send messages to a logical topic; return once every one is acknowledged by the broker."""
        batch = list(messages)
        if not batch:
            return 0
        self.ensure_topics([topic])
        physical = self.topic(topic)
        producer = self._producer_client()
        with kafka_errors(f"publish to {physical}"):
            futures = [
                producer.send(
                    physical,
                    value=m.value,
                    key=m.key.encode("utf-8") if m.key is not None else None,
                    headers=list(m.headers),
                )
                for m in batch
            ]
            producer.flush(timeout=DELIVERY_TIMEOUT_MS / 1000 + 10)
            for future in futures:
                future.get(timeout=0)
        return len(batch)

    def consumer(self, topics: Sequence[str], group: str) -> KafkaGroupConsumer:
        """Join consumer group ``prefix + group`` on the given logical topics."""
        self.ensure_topics(topics)
        consumer = KafkaGroupConsumer(self, topics, group)
        self._consumers.add(consumer)
        return consumer

    def read(self, topic: str, from_offset: int = 0, limit: int = 1000) -> list[Message]:
        """Read without a group: from ``from_offset`` in every partition up to the current end.

        At most ``limit`` messages, oldest first (by timestamp, then partition and offset).
        """
        if limit <= 0:
            return []
        partitions = self.partitions_of(topic)
        physical = self.topic(topic)
        tps = [TopicPartition(physical, p) for p in partitions]
        reader = self.group_less_consumer(f"read {physical}")
        with kafka_errors(f"read {physical}"):
            try:
                return self._read_with(reader, tps, topic, from_offset, limit)
            finally:
                reader.close(autocommit=False)

    def _read_with(
        self,
        reader: KafkaConsumer,
        tps: list[TopicPartition],
        logical: str,
        from_offset: int,
        limit: int,
    ) -> list[Message]:
        reader.assign(tps)
        start = reader.beginning_offsets(tps)
        end = reader.end_offsets(tps)
        pending = {}
        for tp in tps:
            first = max(from_offset, start[tp])
            if first < end[tp]:
                reader.seek(tp, first)
                pending[tp] = 0
            else:
                reader.pause(tp)
        found: list[Message] = []
        deadline = time.monotonic() + READ_DEADLINE_S
        while pending and time.monotonic() < deadline:
            for tp, records in reader.poll(timeout_ms=500, max_records=limit).items():
                if tp not in pending:
                    continue
                for record in records:
                    if record.offset >= end[tp] or pending[tp] >= limit:
                        break
                    found.append(_message(record, logical))
                    pending[tp] += 1
                if pending[tp] >= limit or reader.position(tp) >= end[tp]:
                    del pending[tp]
                    reader.pause(tp)
        if pending:
            raise BusError(f"kafka read of {tps[0].topic} timed out", retriable=True)
        found.sort(key=lambda m: (m.timestamp_ms, m.partition, m.offset))
        return found[:limit]

    def end_offsets(self, topic: str) -> dict[int, int]:
        """The next offset to be written, per partition of a logical topic."""
        partitions = self.partitions_of(topic)
        physical = self.topic(topic)
        probe = self._probe_client()
        with self._lock, kafka_errors(f"end offsets of {physical}"):
            ends = probe.end_offsets([TopicPartition(physical, p) for p in partitions])
        return {tp.partition: off for tp, off in ends.items()}

    def health(self) -> None:
        """Raise BusError unless the cluster answers a metadata request.

        A cluster whose brokers refuse connections fails at once, instead of after the
        request timeout of an already connected client.
        """
        proxied = self._options.get("proxy_url") or self._options.get("socks5_proxy")
        if not proxied and not any(_accepts_tcp(s, 1.0) for s in self.bootstrap_servers):
            raise BusError(
                f"kafka: no bootstrap server reachable ({', '.join(self.bootstrap_servers)})",
                retriable=True,
            )
        admin = self._admin_client()
        with self._lock, kafka_errors("health check"):
            admin.describe_cluster()

    def close(self) -> None:
        """Close open consumers, flush and close the producer, release every connection.

        Every client is closed even when one fails; the first failure is raised afterwards.
        """
        with self._lock:
            if self._closed:
                return
            self._closed = True
            failure: BusError | None = None
            steps = [consumer.close for consumer in list(self._consumers)]
            if self._producer is not None:
                producer = self._producer
                steps.append(lambda: producer.flush(timeout=DELIVERY_TIMEOUT_MS / 1000))
                steps.append(lambda: producer.close(timeout=10))
            if self._probe is not None:
                probe = self._probe
                steps.append(lambda: probe.close(autocommit=False))
            if self._admin is not None:
                steps.append(self._admin.close)
            for step in steps:
                try:
                    with kafka_errors("close"):
                        step()
                except BusError as exc:
                    log.warning("stage=bus action=close error=%s", exc)
                    failure = failure or exc
            self._producer = self._probe = self._admin = None
            if failure is not None:
                raise failure
