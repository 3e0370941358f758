"""The request body of ``POST /v1/complaints`` as the OpenAPI document declares it.

Declared by hand (:data:`INTAKE_REQUEST`): the handler validates the body against the data contract
itself, so that a refused batch says which items and why. Re-exported by
:mod:`scamtrail.api.models`.
"""

from __future__ import annotations

from typing import Any

MAX_INTAKE_BATCH = 1000

_TIME = {"type": "string", "format": "date-time", "description": "ISO-8601; default: now"}
_COMPLAINT = {
    "type": "object",
    "title": "ComplaintIn",
    "description": "A plain record; an id intake:<uuid> is made when none is given.",
    "required": ["text"],
    "properties": {
        "text": {"type": "string", "maxLength": 100_000},
        "id": {"anyOf": [{"type": "string", "pattern": "\\S"}, {"type": "integer"}]},
        "created_at": _TIME,
        "author": {
            "type": "object",
            "properties": {k: {"type": ["string", "null"]} for k in ("id", "username", "name")},
        },
        "lang": {"type": ["string", "null"]},
        "url": {"type": ["string", "null"]},
    },
}
_TWEET = {
    "type": "object",
    "required": ["id", "text"],
    "properties": {
        "id": {"type": "string", "pattern": "\\S"},
        "text": {"type": "string", "maxLength": 100_000},
        "author_id": {"type": "string"},
        "created_at": _TIME,
        "lang": {"type": ["string", "null"]},
    },
}
_X_PAYLOAD = {
    "type": "object",
    "title": "XPayloadIn",
    "description": "An X API v2 payload: a filtered-stream line or a search page.",
    "required": ["data"],
    "properties": {
        "data": {"anyOf": [_TWEET, {"type": "array", "minItems": 1, "items": _TWEET}]},
        "includes": {"type": "object"},
    },
}
ID_RULE = "id: a string or an integer"


def bad_intake_id(value: object) -> bool:
    """Whether a plain record's ``id`` is neither absent nor a string or an integer."""
    return value is not None and (isinstance(value, bool) or not isinstance(value, str | int))


_ONE = {"anyOf": [_COMPLAINT, _X_PAYLOAD]}
INTAKE_BODY_DOC = f"one complaint object or a list of 1 to {MAX_INTAKE_BATCH}"
#: The request body of ``POST /v1/complaints``, declared by hand: the handler validates it
#: against the data contract itself, so that a refused batch says which items and why.
INTAKE_REQUEST: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": INTAKE_BODY_DOC,
        "content": {
            "application/json": {
                "schema": {
                    "anyOf": [
                        _COMPLAINT,
                        _X_PAYLOAD,
                        {
                            "type": "array",
                            "minItems": 1,
                            "maxItems": MAX_INTAKE_BATCH,
                            "items": _ONE,
                        },
                    ]
                }
            }
        },
    }
}
