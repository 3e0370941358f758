"""Writing a feed of our identifiers for other departments: JSON, CSV, STIX 2.1 and MISP.

A feed carries, per identifier: kind, normalised value, complaint count, first/last seen,
categories and risk (score and tier). Never a complainant: no author, no complaint text, no
complaint id (a tweet id leads to its author). Provenance travels with every format: the
producing agency, ``generated_at`` and the tool and its version.

- **json** (``scamtrail-feed`` version 1)::

      {"format": "scamtrail-feed", "version": 1, "agency": "...", "generated_at": "...",
       "tool": {"name": "scamtrail", "version": "..."}, "filters": {...},
       "identifiers": [{"kind", "value", "complaint_count", "first_seen", "last_seen",
                        "categories": [...], "risk": {"score", "tier"}}]}

- **csv**: a header, then one row per identifier with the columns of :data:`CSV_COLUMNS`
  (categories joined with ``;``; provenance repeated on every row so a row is never orphaned).
- **stix**: a STIX 2.1 bundle: an ``identity`` for the producing agency and one ``indicator`` per
  identifier (``pattern_type`` ``stix``, ``valid_from`` = first seen, ``confidence`` = risk score,
  ``labels`` = risk tier and categories, ``created_by_ref`` = the identity, TLP:AMBER marking).
  URLs and emails use the standard ``url`` and ``email-addr`` observables. Phone numbers, UPI IDs,
  vehicle registrations and bank accounts have no STIX cyber-observable, so their patterns name
  custom observable types (:data:`STIX_TYPES`): ``[x-scamtrail-phone:value = '+919876543210']``.
  STIX 2.1 allows custom observable types in patterns; a consumer that does not know them keeps
  the indicator and its text. The counts travel as ``x_scamtrail_*`` properties. Both are declared,
  as STIX 2.1 requires, by the extension definitions of :mod:`scamtrail.index.stix_extensions`,
  which every bundle carries. Ids are derived from names (:func:`stix_id`: the indicator's from
  agency, kind and value), so a later export is a new version of the same object; they carry the
  version bits of a UUIDv4, which STIX asks of domain objects. ``stix2-validator --strict`` passes
  a bundle with no error and no warning.
- **misp** (written by :mod:`scamtrail.index.feed_misp`): a MISP event (``{"Event": {...}}``) importable by MISP: one attribute per identifier
  (``phone-number`` and ``bank-account-nr`` in *Financial fraud*, ``url`` in *Network activity*,
  ``email-src`` in *Payload delivery*, UPI IDs as ``text`` in *Financial fraud*, vehicles as
  ``text`` in *Other*), ``first_seen``/``last_seen`` on the attribute, ``to_ids`` for tiers high
  and very_high, and the kind, count, categories and risk in a ``comment`` that
  :mod:`scamtrail.index.feed_readers` reads back.

JSON, STIX and MISP are streamed: the list of identifiers is never held in memory whole.
"""

from __future__ import annotations

import csv
import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TextIO

from scamtrail.index.stix_extensions import (
    extends,
    stix_extension_objects,
)

FEED_FORMAT = "scamtrail-feed"
FEED_VERSION = 1
FORMATS = ("json", "csv", "stix", "misp")
CSV_COLUMNS = (
    "kind",
    "value",
    "complaint_count",
    "first_seen",
    "last_seen",
    "categories",
    "risk_score",
    "risk_tier",
    "agency",
    "generated_at",
    "tool_version",
)
#: STIX observable type and property per kind (custom types where STIX has none).
STIX_TYPES: dict[str, tuple[str, str]] = {
    "phone": ("x-scamtrail-phone", "value"),
    "upi": ("x-scamtrail-upi", "value"),
    "vehicle": ("x-scamtrail-vehicle", "value"),
    "bank_account": ("x-scamtrail-bank-account", "value"),
    "url": ("url", "value"),
    "email": ("email-addr", "value"),
}
#: The predefined STIX 2.1 TLP:AMBER marking definition.
TLP_AMBER = "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82"
#: Namespace of the name-based ids of exported objects (see :func:`stix_id`).
NAMESPACE = uuid.UUID("1b6f6c1e-3f0e-5a8e-9d0c-5ca3c7a11f00")
_LIST = "\x00items\x00"  # where a streamed list goes in an otherwise ready JSON document
_LINKS = "\x00links\x00"  # where a second streamed list goes (MISP link objects)


@dataclass(frozen=True, slots=True)
class Provenance:
    """Who produced a feed, when, and with which tool; ``filters`` records what was asked."""

    agency: str
    generated_at: str
    tool_version: str
    filters: dict[str, object] | None = None


@dataclass(frozen=True, slots=True)
class FeedLink:
    """Another exported identifier named in the same complaints as a feed item."""

    kind: str
    value: str
    complaints: int
    first_seen: str
    last_seen: str


@dataclass(frozen=True, slots=True)
class FeedItem:
    """One identifier as it leaves us: facts and risk, nothing about complainants."""

    kind: str
    value: str
    complaint_count: int
    first_seen: str | None
    last_seen: str | None
    categories: tuple[str, ...]
    risk_score: float | None
    risk_tier: str | None
    #: links to identifiers that sort after this one and are in the same feed (each pair once),
    #: written by the STIX and MISP formats (see :func:`scamtrail.index.sharing.export_items`)
    links: tuple[FeedLink, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The ``identifiers[]`` element of a JSON feed."""
        return {
            "kind": self.kind,
            "value": self.value,
            "complaint_count": self.complaint_count,
            "first_seen": self.first_seen,
            "last_seen": self.last_seen,
            "categories": list(self.categories),
            "risk": {"score": self.risk_score, "tier": self.risk_tier},
        }


def write_feed(fmt: str, items: Iterable[FeedItem], provenance: Provenance, out: TextIO) -> int:
    """Write ``items`` to ``out`` in format ``fmt``; return how many were written."""
    from scamtrail.index.feed_misp import write_misp  # it builds on this module

    writers = {"json": _write_json, "csv": _write_csv, "stix": _write_stix, "misp": write_misp}
    if fmt not in writers:
        raise ValueError(f"unknown feed format {fmt!r}; use one of {', '.join(FORMATS)}")
    return writers[fmt](items, provenance, out)


def _stream(
    out: TextIO,
    document: Any,
    items: Iterable[dict[str, Any]],
    more: Iterable[dict[str, Any]] | None = None,
) -> int:
    """Write ``document`` with the list marked by :data:`_LIST` filled from ``items`` (and the
    one marked by :data:`_LINKS`, after it, from ``more``); return how many ``items``."""
    text = json.dumps(document, ensure_ascii=False, indent=1)
    head, _, tail = text.partition(json.dumps(_LIST))
    middle, _, tail = tail.partition(json.dumps(_LINKS)) if more is not None else (tail, "", "")
    out.write(head)
    n = _stream_list(out, items)
    if more is not None:
        out.write(middle)
        _stream_list(out, more)
    out.write(tail if more is not None else middle)
    out.write("\n")
    return n


def _stream_list(out: TextIO, items: Iterable[dict[str, Any]]) -> int:
    out.write("[")
    n = 0
    for item in items:
        out.write(("," if n else "") + "\n  " + json.dumps(item, ensure_ascii=False))
        n += 1
    out.write(("\n " if n else "") + "]")
    return n


def _write_json(items: Iterable[FeedItem], p: Provenance, out: TextIO) -> int:
    document = {
        "format": FEED_FORMAT,
        "version": FEED_VERSION,
        "agency": p.agency,
        "generated_at": p.generated_at,
        "tool": {"name": "scamtrail", "version": p.tool_version},
        "filters": p.filters or {},
        "identifiers": _LIST,
    }
    return _stream(out, document, (i.to_dict() for i in items))


def _write_csv(items: Iterable[FeedItem], p: Provenance, out: TextIO) -> int:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    n = 0
    for i in items:
        writer.writerow(
            [
                i.kind,
                i.value,
                i.complaint_count,
                i.first_seen or "",
                i.last_seen or "",
                ";".join(i.categories),
                "" if i.risk_score is None else i.risk_score,
                i.risk_tier or "",
                p.agency,
                p.generated_at,
                p.tool_version,
            ]
        )
        n += 1
    return n


def stix_time(iso: str) -> str:
    """A STIX timestamp (UTC, millisecond precision) from our ISO-8601 form."""
    head, _, frac = iso.rstrip("Z").partition(".")
    return f"{head}.{(frac + '000')[:3]}Z"


def stix_string(value: str) -> str:
    """A STIX pattern string literal: single quotes, with ``\\`` and ``'`` escaped."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def stix_pattern(kind: str, value: str) -> str:
    """The STIX pattern that matches one identifier (see :data:`STIX_TYPES`)."""
    obj, prop = STIX_TYPES.get(kind, (f"x-scamtrail-{kind.replace('_', '-')}", "value"))
    return f"[{obj}:{prop} = {stix_string(value)}]"


def stix_id(stix_type: str, name: str) -> str:
    """A deterministic STIX id for an exported object: ``<type>--<uuid>`` derived from ``name``.

    STIX 2.1 asks for UUIDv4 ids on domain objects (and ``stix2-validator --strict`` checks the
    version bits), while a re-export must name the same indicator so that it is a new version of
    it, not a new object. So the id is the SHA-1 name-based UUID of ``name`` in :data:`NAMESPACE`
    (as UUIDv5 computes it) with the version bits of a UUIDv4: as unique as a v5, as stable, and
    of the version STIX expects.
    """
    raw = bytearray(uuid.uuid5(NAMESPACE, name).bytes)
    raw[6] = (raw[6] & 0x0F) | 0x40  # version 4
    raw[8] = (raw[8] & 0x3F) | 0x80  # RFC 4122 variant
    return f"{stix_type}--{uuid.UUID(bytes=bytes(raw))}"


def _identity_id(agency: str) -> str:
    return stix_id("identity", "agency|" + agency)


def _indicator(i: FeedItem, p: Provenance, identity: str) -> dict[str, Any]:
    generated = stix_time(p.generated_at)
    first = stix_time(i.first_seen) if i.first_seen else generated
    created = min(first, generated)
    cats = ", ".join(i.categories) or "no category"
    indicator: dict[str, Any] = {
        "type": "indicator",
        "spec_version": "2.1",
        "id": stix_id("indicator", f"{p.agency}|{i.kind}|{i.value}"),
        "created": created,
        "modified": max(created, generated),
        "created_by_ref": identity,
        "name": f"{i.kind} {i.value}"[:500],
        "description": (
            f"{i.kind} named in {i.complaint_count} citizen complaint(s) to {p.agency} "
            f"({cats}); risk {i.risk_tier or 'unknown'}."
        ),
        "indicator_types": ["malicious-activity"],
        "pattern": stix_pattern(i.kind, i.value),
        "pattern_type": "stix",
        "pattern_version": "2.1",
        "valid_from": first,
        "labels": [f"risk-{i.risk_tier}" if i.risk_tier else "risk-unknown", *i.categories],
        "object_marking_refs": [TLP_AMBER],
        "x_scamtrail_kind": i.kind,
        "x_scamtrail_complaint_count": i.complaint_count,
        "x_scamtrail_first_seen": i.first_seen,
        "x_scamtrail_last_seen": i.last_seen,
        "x_scamtrail_categories": list(i.categories) or None,  # STIX forbids empty lists
        "x_scamtrail_risk_tier": i.risk_tier,
    }
    if i.risk_score is not None:
        indicator["confidence"] = max(0, min(100, round(i.risk_score)))
        indicator["x_scamtrail_risk_score"] = i.risk_score
    return extends({k: v for k, v in indicator.items() if v is not None})


def _relationship(i: FeedItem, link: FeedLink, p: Provenance, identity: str) -> dict[str, Any]:
    """A ``related-to`` relationship between the indicators of two linked identifiers."""
    source = stix_id("indicator", f"{p.agency}|{i.kind}|{i.value}")
    target = stix_id("indicator", f"{p.agency}|{link.kind}|{link.value}")
    generated = stix_time(p.generated_at)
    first = min(stix_time(link.first_seen), generated)
    return {
        "type": "relationship",
        "spec_version": "2.1",
        "id": stix_id("relationship", f"{p.agency}|related-to|{source}|{target}"),
        "created": first,
        "modified": generated,
        "created_by_ref": identity,
        "relationship_type": "related-to",
        "source_ref": source,
        "target_ref": target,
        "description": (
            f"{i.kind} {i.value} and {link.kind} {link.value} named together in "
            f"{link.complaints} citizen complaint(s) to {p.agency}"
        )[:1000],
        "start_time": first,
        "object_marking_refs": [TLP_AMBER],
    }


def _write_stix(items: Iterable[FeedItem], p: Provenance, out: TextIO) -> int:
    identity = _identity_id(p.agency)
    stamp = stix_time(p.generated_at)
    bundle = {
        "type": "bundle",
        "id": f"bundle--{uuid.uuid4()}",
        "objects": _LIST,
    }
    agency = extends(
        {
            "type": "identity",
            "spec_version": "2.1",
            "id": identity,
            "created": stamp,
            "modified": stamp,
            "name": p.agency,
            "identity_class": "organization",
            "sectors": ["government-public-services"],
            "x_scamtrail_generated_at": p.generated_at,
            "x_scamtrail_tool": f"scamtrail {p.tool_version}",
        }
    )

    written = 0

    def objects() -> Iterable[dict[str, Any]]:
        nonlocal written
        yield from stix_extension_objects()
        yield agency
        for i in items:
            written += 1
            yield _indicator(i, p, identity)
            for link in i.links:
                yield _relationship(i, link, p, identity)

    _stream(out, bundle, objects())
    return written
