"""The data contract: the records every stage and both buses exchange.

JSON on the wire, one object per message, with a ``schema`` version. The bus message key is the
complaint ``id``; stores write idempotently by that id.

- :class:`Complaint` is what a source produces (``raw`` topic).
- :class:`Enriched` is a Complaint plus ``category``, ``scores``, ``needs_review``,
  ``identifiers``, ``entities`` and ``model`` (``enriched`` topic).
- :class:`Identifier` is one number, UPI ID, URL, email, vehicle or bank account found in a text,
  with its normalised ``value`` and where it was written.
- :class:`Alert` is what the index stage raises when an identifier repeats (``alerts`` topic).

Decoding errors raise :class:`scamtrail.errors.RecordError`, whose message names the bad field.
"""

from __future__ import annotations

import json
import re
import time
from datetime import UTC, datetime
from typing import Any, Literal

import pydantic_core
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from scamtrail.errors import RecordError

SCHEMA_VERSION = 1
SUPPORTED_SCHEMAS = frozenset({1})

Category = Literal["bank_fraud", "traffic", "other"]
CATEGORIES: tuple[str, ...] = ("bank_fraud", "traffic", "other")
IdentifierKind = Literal["phone", "upi", "url", "email", "vehicle", "bank_account"]
IDENTIFIER_KINDS: tuple[str, ...] = ("phone", "upi", "url", "email", "vehicle", "bank_account")

#: Longest complaint text a record may carry, in characters. X allows 25,000 for long posts;
#: intake forms are capped far below this. Anything longer is a poison message, not a complaint.
MAX_TEXT_CHARS = 100_000


#: The last whole second :func:`utcnow_iso` formatted, and its text.
_LAST_SECOND: tuple[int, str] = (-1, "")


def utcnow_iso() -> str:
    """The current time as a UTC ISO-8601 string with a ``Z`` suffix (microseconds).

    Every record is stamped with it, often twice: the date and time are formatted once per
    second and the microseconds appended (about a fifth of ``datetime.now(UTC).strftime``'s
    cost); ``tests/test_records.py`` checks it against ``datetime``. The second and its text
    are one tuple, replaced whole, so threads never pair a second with another's text.
    """
    global _LAST_SECOND
    micros = time.time_ns() // 1000
    second = micros // 1_000_000
    last = _LAST_SECOND
    if last[0] != second:
        last = _LAST_SECOND = (second, time.strftime("%Y-%m-%dT%H:%M:%S.", time.gmtime(second)))
    return last[1] + str(micros % 1_000_000 + 1_000_000)[1:] + "Z"


#: A UTC timestamp that normalises by padding its fraction to microseconds: the canonical form
#: ``YYYY-MM-DDTHH:MM:SS.ffffffZ`` every record carries on the bus, or the same with a shorter or
#: no fraction (X API ``created_at``). Four-digit years from 1000 and hours up to 23 only, where
#: ``strftime`` would print the same digits.
_UTC_Z = re.compile(
    r"([1-9][0-9]{3}-[0-9]{2}-[0-9]{2}T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9])"
    r"(?:\.([0-9]{1,6}))?Z"
)


def to_utc_iso(value: str | datetime) -> str:
    """Normalise a timestamp (ISO-8601 string or datetime) to UTC ISO-8601 with ``Z``."""
    if isinstance(value, str):
        # Fast path (every record is validated at each stage, twice per record): a string that
        # is already UTC needs only its date checked and its fraction padded, not a parse,
        # a time-zone conversion and a strftime. Anything else, or an invalid date, takes the
        # general path below, which gives the same result or error.
        match = _UTC_Z.fullmatch(value)
        if match is not None:
            whole, fraction = match.groups()
            try:
                datetime.fromisoformat(whole)  # rejects 2026-02-30 and the like
            except ValueError:
                pass
            else:
                return f"{whole}.{(fraction or '').ljust(6, '0')}Z"
        text = value.strip()
        if text.endswith("Z"):
            text = text[:-1] + "+00:00"
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError as exc:
            raise ValueError(f"not an ISO-8601 timestamp: {value!r}") from exc
    else:
        parsed = value
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class _Record(BaseModel):
    model_config = ConfigDict(populate_by_name=True, extra="ignore", frozen=False)


class Author(_Record):
    """Who sent the complaint, as the source knows them."""

    id: str | None = None
    username: str | None = None
    name: str | None = None


class Identifier(_Record):
    """An identifier found in a complaint text.

    ``value`` is normalised (phones E.164, vehicles ``MH02AB1234``, UPI and email lowercased),
    ``text`` is the span as written and ``start``/``end`` are character offsets into the text.
    """

    kind: IdentifierKind
    value: str
    text: str = ""
    start: int = -1
    end: int = -1


class Entity(_Record):
    """A named thing that is not an identifier: a bank or payment brand, an amount lost."""

    label: str
    text: str
    value: str | None = None
    start: int = -1
    end: int = -1


class Complaint(_Record):
    """One complaint, as a source produced it."""

    schema_version: int = Field(default=SCHEMA_VERSION, alias="schema")
    id: str
    source: str
    text: str
    created_at: str
    author: Author = Field(default_factory=Author)
    lang: str | None = None
    url: str | None = None
    received_at: str = Field(default_factory=utcnow_iso)
    raw: dict[str, Any] | None = None

    @field_validator("schema_version")
    @classmethod
    def _known_schema(cls, value: int) -> int:
        if value not in SUPPORTED_SCHEMAS:
            raise ValueError(
                f"unknown schema version {value}; this build reads {sorted(SUPPORTED_SCHEMAS)}"
            )
        return value

    @field_validator("id", "source")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be empty")
        return value

    @field_validator("text")
    @classmethod
    def _text_size(cls, value: str) -> str:
        if len(value) > MAX_TEXT_CHARS:
            raise ValueError(f"text is {len(value)} characters; the limit is {MAX_TEXT_CHARS}")
        return value

    @field_validator("created_at", "received_at")
    @classmethod
    def _utc(cls, value: str) -> str:
        return to_utc_iso(value)

    def to_json(self) -> bytes:
        """Serialise for the bus (UTF-8 JSON, ``schema`` key included)."""
        return self.model_dump_json(by_alias=True).encode()


class Enriched(Complaint):
    """A complaint after the extract stage: category, scores, identifiers, entities, model.

    ``scores`` are calibrated class probabilities (on the dev split, a top score of 0.9 is right
    about 9 times in 10). ``needs_review`` is true when the top score is below the extract
    stage's review threshold (``SCAMTRAIL_EXTRACT__REVIEW_BELOW``): the category is uncertain and
    an investigator should check it first. It defaults to false, so records written before the
    field existed still decode; schema 1 is unchanged (the field is optional).
    """

    category: Category = "other"
    scores: dict[str, float] = Field(default_factory=dict)
    needs_review: bool = False
    identifiers: list[Identifier] = Field(default_factory=list)
    entities: list[Entity] = Field(default_factory=list)
    model: str = ""

    @classmethod
    def from_complaint(cls, complaint: Complaint, **fields: Any) -> Enriched:
        """Build an Enriched record from a Complaint and the extract stage's results."""
        data = dict(complaint.__dict__)
        data.update(fields)
        return cls.model_validate(data)


class Alert(_Record):
    """An alert about an identifier: raised once per identifier, rule and level."""

    schema_version: int = Field(default=SCHEMA_VERSION, alias="schema")
    id: str
    rule: str
    level: int = 0
    identifier: Identifier
    complaint_ids: list[str]
    categories: list[str] = Field(default_factory=list)
    complaint_count: int
    raised_at: str = Field(default_factory=utcnow_iso)
    message: str = ""
    #: Rule-specific facts, e.g. ``agency`` for partner_hit, ``window_start``/``window_end`` for
    #: velocity. Optional, so older readers and writers of schema 1 are unaffected.
    details: dict[str, Any] = Field(default_factory=dict)

    def to_json(self) -> bytes:
        """Serialise for the bus."""
        return self.model_dump_json(by_alias=True).encode()


def _describe(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors()[:5]:
        loc = ".".join(str(p) for p in err.get("loc", ())) or "<record>"
        msg = err.get("msg", "invalid")
        parts.append(f"{loc}: {msg}")
    return "; ".join(parts)


def loads_json(payload: bytes | str, what: str = "payload") -> Any:
    """Parse a JSON payload as ``json.loads`` does, or raise the RecordError for it.

    pydantic-core's parser (already loaded for validation) reads valid JSON into the same
    objects about three times faster than ``json``; it rejects a little that ``json`` accepts
    (lone surrogate escapes), so whatever it rejects is parsed again by ``json``, which decides
    and words the error. ``what`` names the input in the error ("line", "payload").
    """
    try:
        return pydantic_core.from_json(payload)
    except ValueError:
        pass
    try:
        if isinstance(payload, bytes):
            payload = payload.decode("utf-8")
        data = json.loads(payload)
    except UnicodeDecodeError as exc:
        raise RecordError("invalid_utf8", f"{what} is not UTF-8: {exc.reason}") from exc
    except json.JSONDecodeError as exc:
        raise RecordError("malformed_json", f"{what} is not JSON: {json_error_text(exc)}") from exc
    check_whole_characters(data, what)
    return data


def check_whole_characters(data: Any, what: str = "payload") -> None:
    """Raise ``invalid_utf8`` when a string in ``data`` holds a lone surrogate (an escape like
    ``\\ud800`` that JSON can carry but no UTF-8 text can): it could not be stored or sent on."""
    try:
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as exc:
        lone = exc.object[exc.start]
        raise RecordError(
            "invalid_utf8",
            f"{what} holds a lone surrogate \\u{ord(lone):04x} (half of a UTF-16 pair, not a "
            "character)",
        ) from exc


def json_error_text(exc: json.JSONDecodeError) -> str:
    """Where and why JSON failed to parse, as one clean phrase.

    ``exc.msg`` may already end in "at" ("Unterminated string starting at"), so the position is
    appended without a second one: "Unterminated string starting at line 1 column 24 (char 23)".
    """
    where = f"line {exc.lineno} column {exc.colno} (char {exc.pos})"
    return f"{exc.msg} {where}" if exc.msg.endswith(" at") else f"{exc.msg} at {where}"


def _decode(model: type[_Record], payload: bytes | str | dict[str, Any]) -> Any:
    if isinstance(payload, dict):
        data: Any = payload
    else:
        data = loads_json(payload)
    if not isinstance(data, dict):
        raise RecordError(
            "not_an_object", f"payload is a JSON {type(data).__name__}, not an object"
        )
    if "schema" in data and data["schema"] not in SUPPORTED_SCHEMAS:
        raise RecordError(
            "unknown_schema",
            f"schema: unknown schema version {data['schema']!r}; "
            f"this build reads {sorted(SUPPORTED_SCHEMAS)}",
        )
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        reason = (
            "missing_field"
            if any(e["type"] == "missing" for e in exc.errors())
            else "invalid_field"
        )
        raise RecordError(reason, _describe(exc)) from exc


def decode_complaint(payload: bytes | str | dict[str, Any]) -> Complaint:
    """Decode a raw-topic message into a Complaint, or raise RecordError naming the bad field."""
    return _decode(Complaint, payload)


def decode_enriched(payload: bytes | str | dict[str, Any]) -> Enriched:
    """Decode an enriched-topic message into an Enriched record, or raise RecordError."""
    return _decode(Enriched, payload)


def decode_alert(payload: bytes | str | dict[str, Any]) -> Alert:
    """Decode an alerts-topic message."""
    return _decode(Alert, payload)
