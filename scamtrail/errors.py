"""The exceptions scamtrail raises, in one tree.

::

    ScamtrailError                 anything scamtrail raises on purpose
    ├── ConfigError                settings that cannot work (bad URL, missing secret)
    ├── RecordError(reason)        a payload that does not fit the data contract -> dead-letter
    ├── SourceError                a source cannot read its input (X API, file, intake)
    ├── BusError(retriable)        the bus failed; retriable errors are retried, others stop
    ├── ExtractError               the extract stage failed on one record -> dead-letter
    ├── StoreError(retriable)      the store failed; retriable errors are retried with offsets
    │                              uncommitted, others dead-letter the record
    └── BackpressureError(retry_after)   a downstream asked us to slow down

Vendor exceptions (kafka-python, elasticsearch, sqlite3) are translated into these only in
``scamtrail.bus`` and ``scamtrail.index``; ``raise StoreError(...) from exc`` keeps the cause.
"""

from __future__ import annotations


class ScamtrailError(Exception):
    """Root of every error scamtrail raises on purpose."""


class ConfigError(ScamtrailError):
    """The settings cannot work: a bad URL, a missing secret, an unknown backend."""


class RecordError(ScamtrailError):
    """A payload does not fit the data contract.

    ``reason`` is a short machine-readable code (``malformed_json``, ``missing_field``,
    ``unknown_schema``, ...) used as the dead-letter reason and metric label; the message names the
    bad field.
    """

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


class SourceError(ScamtrailError):
    """A source cannot read its input."""


class BusError(ScamtrailError):
    """The bus failed. ``retriable`` says whether trying again may succeed."""

    def __init__(self, message: str, *, retriable: bool = False) -> None:
        super().__init__(message)
        self.retriable = retriable


class ExtractError(ScamtrailError):
    """The extract stage could not process one record."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


class StoreError(ScamtrailError):
    """The store failed. ``retriable`` errors are retried with offsets left uncommitted."""

    def __init__(self, message: str, *, retriable: bool = False) -> None:
        super().__init__(message)
        self.retriable = retriable


class BackpressureError(ScamtrailError):
    """A downstream asked us to slow down; try again after ``retry_after`` seconds."""

    def __init__(self, message: str, *, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = retry_after
