"""What the REST API accepts and answers, declared for its OpenAPI document (``/openapi.json``).

The handlers in :mod:`scamtrail.api.app` build their answers as plain dicts (the same forms the
CLI prints with ``--json``); these models declare those forms, so a client generated from the
document gets the right types. Answers carry the fields declared here, and may carry more
(``additionalProperties`` is allowed: a field added later never breaks a client).

**Errors.** Every 4xx and 503 answer has one shape, :class:`ErrorResponse`: an object with
``detail``, which is either

- a message (string): 401, 403, 404, 429, 503, and a value the API cannot use (422: "not a
  phone, UPI ID, URL, email or vehicle");
- a list of :class:`FieldError` (FastAPI's form, 422): the request does not fit this document;
- an :class:`IntakeRejection` (422 from ``POST /v1/complaints``): which complaints of the batch
  do not fit the data contract, and why.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, TypeAdapter, WithJsonSchema

from scamtrail.api.intake_schema import (  # noqa: F401  (part of this module's answers)
    ID_RULE,
    INTAKE_BODY_DOC,
    INTAKE_REQUEST,
    MAX_INTAKE_BATCH,
    bad_intake_id,
)
from scamtrail.index.base import PartnerEntry

MAX_CHECK_VALUES = 10_000


class _Answer(BaseModel):
    model_config = ConfigDict(extra="allow")


# -- errors -----------------------------------------------------------------------------------
class FieldError(_Answer):
    """One way a request does not fit the OpenAPI document (FastAPI's ``ValidationError``)."""

    loc: list[str | int] = Field(description="where: e.g. ['query', 'limit']")
    msg: str
    type: str


class IntakeRowError(_Answer):
    """A complaint of an intake batch that does not fit the data contract."""

    index: int = Field(description="position in the batch (0 for a single object)")
    reason: str = Field(description="machine-readable: missing_field, invalid_field, ...")
    message: str


class IntakeRejection(_Answer):
    """Why an intake batch was refused: nothing of it was published."""

    errors: list[IntakeRowError]


class ErrorResponse(_Answer):
    """The body of every 4xx and 503 answer."""

    detail: str | list[FieldError] | IntakeRejection


# -- requests ---------------------------------------------------------------------------------
_DATETIME = TypeAdapter(datetime)


def _utc_iso(value: str) -> str:
    """An ISO-8601 date or time (RFC 3339) as our UTC form; naive times are UTC."""
    if not re.match(r"^\d{4}-\d\d-\d\d", value):
        raise ValueError("not an ISO-8601 date or time, e.g. 2026-03-01 or 2026-03-01T10:00:00Z")
    moment = _DATETIME.validate_python(value)
    try:
        moment = moment.astimezone(UTC) if moment.tzinfo else moment
    except OverflowError as exc:
        raise ValueError("out of range") from exc
    return moment.replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


#: A query parameter that is a date or a time: ``2026-03-01`` or ``2026-03-01T10:00:00+05:30``.
UtcTime = Annotated[
    str,
    AfterValidator(_utc_iso),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "format": "date"},
                {"type": "string", "format": "date-time"},
            ],
            "description": "ISO-8601 date or time (UTC when no zone is given)",
        }
    ),
]


class CheckRequest(BaseModel):
    """Values to check against the registry, typed any way a person types them."""

    values: list[Any] = Field(
        min_length=1,
        max_length=MAX_CHECK_VALUES,
        examples=[["98765 43210", "x@ybl"]],
        description=f"1 to {MAX_CHECK_VALUES:,} phone numbers, UPI IDs, URLs, emails, vehicles "
        "(strings; any other value is answered as not an identifier)",
    )


# -- answers ----------------------------------------------------------------------------------
class IntakeAccepted(_Answer):
    """Complaints published to the raw topic, with their ids."""

    accepted: int
    ids: list[str]


class IdentifierRef(_Answer):
    kind: str = Field(description="phone, upi, url, email, vehicle or bank_account")
    value: str = Field(description="normalised: E.164 phones, lower-case UPI IDs, ...")


class RiskFactor(_Answer):
    name: str
    points: float
    detail: str


class RiskAnswer(_Answer):
    """The risk of an identifier: a score 0-100, its tier, and the factors adding up to it."""

    score: float
    tier: str
    factors: list[RiskFactor]


class PartnerRisk(_Answer):
    score: float | None
    tier: str | None


class PartnerReport(_Answer):
    """What another agency shared about the identifier."""

    agency: str
    complaint_count: int
    first_seen: str | None
    last_seen: str | None
    categories: list[str]
    risk: PartnerRisk


class ComplaintHit(_Answer):
    """A complaint that names an identifier, or matches a search (investigators only)."""

    id: str
    created_at: str | None = None
    category: str | None = None
    text: str | None = None
    author: dict[str, Any] | None = None
    source: str | None = None
    identifiers: list[dict[str, Any]] = []
    prior_matches: list[dict[str, Any]] = []


class LinkAnswer(_Answer):
    """An identifier named in the same complaints as the one asked about."""

    identifier: IdentifierRef
    complaints: int = Field(description="distinct complaints naming both")
    first_seen: str
    last_seen: str


class RingAnswer(_Answer):
    """A ring: the identifiers connected by links (capped; hubs are members, not bridges)."""

    id: str = Field(description="ring:<16 hex>, from its smallest member")
    members: list[IdentifierRef]
    size: int
    complaint_count: int
    categories: dict[str, int]
    first_seen: str
    last_seen: str
    truncated: bool = Field(description="the ring reached the member cap")


class LinksAnswer(_Answer):
    """``GET /v1/identifiers/{value}/links``: linked identifiers, most complaints first."""

    identifier: IdentifierRef
    count: int
    links: list[LinkAnswer]
    ring: RingAnswer | None


class IdentifierAnswer(_Answer):
    """Everything known about one identifier (``complaints`` for investigators only; ``ring``
    in ``GET /v1/identifiers/{value}``, null when it has no link)."""

    identifier: IdentifierRef
    complaint_count: int
    first_seen: str | None
    last_seen: str | None
    categories: list[str]
    complainants: int
    sources: list[str]
    risk: RiskAnswer
    partners: list[PartnerReport]
    complaints: list[ComplaintHit] | None = None
    ring: RingAnswer | None = None


class CheckedValue(IdentifierAnswer):
    """One checked value: its entry (a count of 0 when unknown) and the input as sent."""

    input: str


class UncheckableValue(_Answer):
    """A checked value that is no identifier we keep."""

    input: str
    error: str


class CheckAnswer(_Answer):
    checked: int
    known: int
    known_to_partners: int
    results: list[CheckedValue | UncheckableValue]


class SearchAnswer(_Answer):
    count: int
    results: list[ComplaintHit]


class AlertIdentifier(_Answer):
    kind: str
    value: str


class AlertAnswer(_Answer):
    """An alert (``complaint_ids`` for investigators only)."""

    schema_: int = Field(alias="schema")
    id: str
    rule: str
    level: int
    identifier: AlertIdentifier
    complaint_ids: list[str] | None = None
    categories: list[str]
    complaint_count: int
    raised_at: str
    message: str
    details: dict[str, Any]


class AlertsAnswer(_Answer):
    count: int
    alerts: list[AlertAnswer]


class Liveness(_Answer):
    status: str


class Readiness(_Answer):
    ready: bool
    checks: dict[str, str]


_ERROR_DOCS = {
    400: "the body cannot be parsed (not UTF-8 JSON)",
    401: "no valid API key (`Authorization: Bearer <key>`)",
    403: "the key's role may not use this operation",
    404: "no such path",
    422: "the request does not fit this document, or a value cannot be used",
    429: "past the key's rate; try again after `Retry-After` seconds",
    503: "the bus or the store cannot be reached",
}
_ERROR_HEADERS = {
    401: {"WWW-Authenticate": {"schema": {"type": "string"}, "description": "`Bearer`"}},
    429: {"Retry-After": {"schema": {"type": "string"}, "description": "seconds to wait"}},
}


def error_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` entries for these error statuses, each with :class:`ErrorResponse`."""
    return {
        code: {
            "model": ErrorResponse,
            "description": _ERROR_DOCS[code],
            **({"headers": _ERROR_HEADERS[code]} if code in _ERROR_HEADERS else {}),
        }
        for code in codes
    }


#: The statuses every authenticated ``/v1`` operation may answer with besides its success.
V1_ERRORS = error_responses(401, 403, 422, 429, 503)
#: ... and those with a request body.
V1_BODY_ERRORS = error_responses(400, 401, 403, 422, 429, 503)

#: ``GET /v1/export``: the feed in the format asked (see :mod:`scamtrail.index.feed_formats`).
#: The media type of each export format: STIX's own (as TAXII 2.1 serves bundles), MISP's JSON.
EXPORT_MEDIA_TYPES: dict[str, str] = {
    "json": "application/json",
    "misp": "application/json",
    "stix": "application/stix+json;version=2.1",
    "csv": "text/csv",
}
EXPORT_CONTENT: dict[str, Any] = {
    "description": "json (scamtrail-feed v1) and misp (a MISP event) as application/json, stix (a "
    "STIX 2.1 bundle) as application/stix+json;version=2.1, csv as text/csv",
    "content": {
        "application/json": {"schema": {"type": "object", "additionalProperties": True}},
        "application/stix+json;version=2.1": {
            "schema": {"type": "object", "additionalProperties": True}
        },
        "text/csv": {"schema": {"type": "string"}},
    },
}


def partner_report(p: PartnerEntry) -> dict[str, Any]:
    """What the API shows of another agency's report of an identifier (never its feed file)."""
    return {
        "agency": p.agency,
        "complaint_count": p.complaint_count,
        "first_seen": p.first_seen,
        "last_seen": p.last_seen,
        "categories": list(p.categories),
        "risk": {"score": p.risk_score, "tier": p.risk_tier},
    }


#: ``/readyz``: ready (200) or not (503), with the state of each dependency.
READINESS: dict[int | str, dict[str, Any]] = {200: {"model": Readiness}, 503: {"model": Readiness}}
#: ``/metrics``: the Prometheus text format.
TEXT: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/plain": {"schema": {"type": "string"}}}}
}
