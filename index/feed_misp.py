"""Writing a feed as a MISP event (the ``misp`` format of :mod:`scamtrail.index.feed_formats`).

One event (``{"Event": {...}}``) importable by MISP: one attribute per identifier (types and
categories in :data:`MISP_TYPES`), ``first_seen``/``last_seen`` on the attribute, ``to_ids`` for
tiers high and very_high, and the kind, count, categories and risk in a ``comment`` that
:mod:`scamtrail.index.feed_readers` reads back. Linked identifiers (named in the same complaints)
are tied by one ``annotation`` object per pair whose two object references (``related-to``)
point at the two attributes; readers of identifiers skip annotations.
"""

from __future__ import annotations

import json
import tempfile
import uuid
from collections.abc import Iterable
from typing import Any, TextIO

from scamtrail.index.feed_formats import (
    _LINKS,
    _LIST,
    NAMESPACE,
    FeedItem,
    FeedLink,
    Provenance,
    _stream,
)

#: MISP attribute (type, category) per kind.
MISP_TYPES: dict[str, tuple[str, str]] = {
    "phone": ("phone-number", "Financial fraud"),
    "bank_account": ("bank-account-nr", "Financial fraud"),
    "upi": ("text", "Financial fraud"),
    "url": ("url", "Network activity"),
    "email": ("email-src", "Payload delivery"),
    "vehicle": ("text", "Other"),
}
#: The MISP ``annotation`` object template (misp-objects), which the link objects use.
MISP_ANNOTATION_TEMPLATE = "5d8dc046-15a1-4ca3-a09f-ed4ede7c4487"


def misp_comment(i: FeedItem) -> str:
    """The attribute comment that carries what MISP has no field for (read back on import)."""
    risk = f"{i.risk_score:g}/{i.risk_tier}" if i.risk_score is not None else "unknown"
    return (
        f"scamtrail kind={i.kind} complaints={i.complaint_count} "
        f"categories={';'.join(i.categories) or '-'} risk={risk}"
    )


def write_misp(items: Iterable[FeedItem], p: Provenance, out: TextIO) -> int:
    """Write ``items`` as one MISP event (see the module docstring); return how many."""
    event_uuid = uuid.uuid5(NAMESPACE, f"event|{p.agency}|{p.generated_at}")
    org_uuid = uuid.uuid5(NAMESPACE, "agency|" + p.agency)
    event = {
        "Event": {
            "uuid": str(event_uuid),
            "info": f"scamtrail feed of {p.agency}: identifiers named in citizens' fraud complaints",
            "date": p.generated_at[:10],
            "threat_level_id": "2",
            "analysis": "1",
            "distribution": "1",
            "published": False,
            "Orgc": {"name": p.agency, "uuid": str(org_uuid)},
            "Tag": [{"name": "tlp:amber"}, {"name": f'scamtrail:agency="{p.agency}"'}],
            "Attribute": _LIST,
            "Object": _LINKS,
        }
    }

    def attribute_uuid(kind: str, value: str) -> str:
        return str(uuid.uuid5(event_uuid, f"{kind}|{value}"))

    # The objects come after the attributes in the event; the links met while streaming the
    # attributes wait in a temporary file, so memory stays flat however large the feed.
    pending = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115 (closed below)

    def attributes() -> Iterable[dict[str, Any]]:
        for i in items:
            for link in i.links:
                pending.write(json.dumps(_misp_link(i, link, attribute_uuid)) + "\n")
            mtype, category = MISP_TYPES.get(i.kind, ("text", "Other"))
            attribute: dict[str, Any] = {
                "uuid": attribute_uuid(i.kind, i.value),
                "type": mtype,
                "category": category,
                "value": i.value,
                "comment": misp_comment(i),
                "to_ids": i.risk_tier in ("high", "very_high"),
                "distribution": "5",  # inherit the event's
            }
            if i.first_seen:
                attribute["first_seen"] = i.first_seen
            if i.last_seen:
                attribute["last_seen"] = i.last_seen
            yield attribute

    def link_objects() -> Iterable[dict[str, Any]]:
        pending.seek(0)
        for line in pending:
            yield json.loads(line)

    with pending:
        return _stream(out, event, attributes(), link_objects())


def _misp_link(i: FeedItem, link: FeedLink, attribute_uuid: Any) -> dict[str, Any]:
    """An ``annotation`` object whose references tie the attributes of two linked identifiers
    (``related-to``); readers of identifiers skip annotations."""
    ends = (attribute_uuid(i.kind, i.value), attribute_uuid(link.kind, link.value))
    return {
        "name": "annotation",
        "meta-category": "misc",
        "template_uuid": MISP_ANNOTATION_TEMPLATE,
        "template_version": "3",
        "uuid": str(uuid.uuid5(NAMESPACE, "link|" + "|".join(ends))),
        "distribution": "5",
        "comment": f"scamtrail link complaints={link.complaints}",
        "first_seen": link.first_seen,
        "last_seen": link.last_seen,
        "Attribute": [
            {
                "object_relation": "text",
                "type": "text",
                "category": "Other",
                "value": (
                    f"{i.kind} {i.value} and {link.kind} {link.value} named together in "
                    f"{link.complaints} citizen complaint(s)"
                ),
                "to_ids": False,
                "distribution": "5",
            }
        ],
        "ObjectReference": [
            {"referenced_uuid": end, "relationship_type": "related-to"} for end in ends
        ],
    }
