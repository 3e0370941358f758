"""Reading another department's feed: our JSON envelope, CSV, STIX 2.1 bundles and MISP events.

Each reader yields one :class:`FeedRow` per identifier it finds, or a :class:`RowError` naming
where (``line 7``, ``identifiers[3]``, ``objects[12]``, ``Attribute[5]``) and why, so one bad row
never stops a feed. A row is raw: its value is not yet normalised and its numbers and dates not
yet checked; :func:`scamtrail.index.sharing.import_rows` does that. A file that cannot be read at
all (not UTF-8, not JSON, no known shape) raises :class:`~scamtrail.errors.SourceError`.

Feeds written by other tools are read too, as far as they say what we need: a STIX indicator
with a single-comparison pattern (``[url:value = '...']``, ``[x-scamtrail-phone:value = '...']``,
``[domain-name:value = '...']``), a MISP attribute of a type that names an identifier
(``phone-number``, ``url``, ``email-src``, ``bank-account-nr``, ``text`` ...). Missing counts
read as 1 and missing dates as unknown.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scamtrail.index.feed_formats import FEED_FORMAT, FORMATS, STIX_TYPES

from scamtrail.errors import SourceError
from scamtrail.records import json_error_text

_STIX_KINDS = {obj: kind for kind, (obj, _) in STIX_TYPES.items()} | {
    "domain-name": "url",
    "x-phone-number": "phone",
    "phone-number": "phone",
}
_STIX_PATTERN = re.compile(
    r"^\[\s*([a-z0-9-]+):([a-z0-9_]+)\s*=\s*'((?:[^'\\]|\\.)*)'\s*\]$", re.DOTALL
)
_STIX_ESCAPE = re.compile(r"\\(.)", re.DOTALL)
_MISP_KINDS: dict[str, str | None] = {
    "phone-number": "phone",
    "whois-registrant-phone": "phone",
    "bank-account-nr": "bank_account",
    "url": "url",
    "uri": "url",
    "link": "url",
    "domain": "url",
    "hostname": "url",
    "email": "email",
    "email-src": "email",
    "email-dst": "email",
    "target-email": "email",
    "whois-registrant-email": "email",
    "text": None,  # the value says what it is
    "other": None,
}
_COMMENT_FIELD = re.compile(r"(kind|complaints|categories|risk)=(\S+)")


@dataclass(frozen=True, slots=True)
class FeedRow:
    """One identifier as a feed states it, before normalisation and checks."""

    where: str
    value: str
    kind: str | None = None  # None: read the kind from the value
    complaint_count: Any = 1
    first_seen: Any = None
    last_seen: Any = None
    categories: tuple[str, ...] = ()
    risk_score: Any = None
    risk_tier: Any = None


@dataclass(frozen=True, slots=True)
class RowError:
    """A row of a feed that cannot be read, and why."""

    where: str
    reason: str


def read_feed(path: Path, fmt: str = "auto") -> tuple[str, Iterator[FeedRow | RowError]]:
    """The format of the feed at ``path`` (detected when ``fmt`` is ``auto``) and its rows."""
    if fmt not in ("auto", *FORMATS):
        raise SourceError(f"unknown feed format {fmt!r}; use auto or {', '.join(FORMATS)}")
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise SourceError(f"cannot read {path}: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise SourceError(f"{path} is not UTF-8 text: byte {exc.start}") from exc
    if fmt == "csv" or (fmt == "auto" and not text.lstrip().startswith(("{", "["))):
        return "csv", read_csv(text)
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SourceError(f"{path} is not JSON: {json_error_text(exc)}") from exc
    found = detect(doc)
    if found is None or (fmt != "auto" and found != fmt):
        wanted = "a scamtrail feed, a STIX 2.1 bundle or a MISP event" if fmt == "auto" else fmt
        raise SourceError(
            f"{path} is not {wanted}" + (f" (it looks like {found})" if found else "")
        )
    readers = {"json": read_envelope, "stix": read_stix, "misp": read_misp}
    return found, readers[found](doc)


def detect(doc: Any) -> str | None:
    """``json``, ``stix`` or ``misp`` for a parsed JSON document, or None."""
    if isinstance(doc, dict):
        if doc.get("format") == FEED_FORMAT:
            return "json"
        if doc.get("type") == "bundle":
            return "stix"
        if "Event" in doc or "response" in doc:
            return "misp"
    if isinstance(doc, list) and doc and all(isinstance(d, dict) and "Event" in d for d in doc):
        return "misp"
    return None


def read_csv(text: str) -> Iterator[FeedRow | RowError]:
    """Rows of a CSV feed with a header naming at least ``value``."""
    reader = csv.DictReader(io.StringIO(text, newline=""))
    fields = [f.strip().lower() for f in reader.fieldnames or ()]
    if "value" not in fields:
        yield RowError("line 1", "the header names no 'value' column")
        return
    reader.fieldnames = fields
    for row in reader:
        where = f"line {reader.line_num}"
        value = row.get("value")
        if not isinstance(value, str) or not value.strip():
            yield RowError(where, "no value")
            continue
        yield FeedRow(
            where=where,
            value=value,
            kind=(row.get("kind") or "").strip() or None,
            complaint_count=(row.get("complaint_count") or "").strip() or 1,
            first_seen=(row.get("first_seen") or "").strip() or None,
            last_seen=(row.get("last_seen") or "").strip() or None,
            categories=_split(row.get("categories") or ""),
            risk_score=(row.get("risk_score") or "").strip() or None,
            risk_tier=(row.get("risk_tier") or "").strip() or None,
        )


def read_envelope(doc: dict[str, Any]) -> Iterator[FeedRow | RowError]:
    """Rows of our JSON feed (``scamtrail-feed`` version 1)."""
    if doc.get("version") != 1:
        yield RowError("version", f"unsupported {FEED_FORMAT} version {doc.get('version')!r}")
        return
    items = doc.get("identifiers")
    if not isinstance(items, list):
        yield RowError("identifiers", "not a list")
        return
    for n, item in enumerate(items):
        where = f"identifiers[{n}]"
        if not isinstance(item, dict) or not isinstance(item.get("value"), str):
            yield RowError(where, "not an object with a string 'value'")
            continue
        risk = item.get("risk") if isinstance(item.get("risk"), dict) else {}
        cats = item.get("categories")
        yield FeedRow(
            where=where,
            value=item["value"],
            kind=item.get("kind") if isinstance(item.get("kind"), str) else None,
            complaint_count=item.get("complaint_count", 1),
            first_seen=item.get("first_seen"),
            last_seen=item.get("last_seen"),
            categories=tuple(str(c) for c in cats) if isinstance(cats, list) else (),
            risk_score=risk.get("score"),
            risk_tier=risk.get("tier"),
        )


def read_stix(doc: dict[str, Any]) -> Iterator[FeedRow | RowError]:
    """Rows of a STIX 2.1 bundle: one per indicator with a single-comparison STIX pattern."""
    objects = doc.get("objects")
    if not isinstance(objects, list):
        yield RowError("objects", "the bundle has no list of objects")
        return
    for n, obj in enumerate(objects):
        if not isinstance(obj, dict) or obj.get("type") != "indicator":
            continue  # identities, markings, relationships: provenance, not identifiers
        where = f"objects[{n}]"
        pattern = obj.get("pattern")
        if obj.get("pattern_type", "stix") != "stix" or not isinstance(pattern, str):
            yield RowError(where, "not a STIX-patterned indicator")
            continue
        match = _STIX_PATTERN.match(pattern.strip())
        if not match:
            yield RowError(where, "unsupported pattern: expected [type:property = 'value']")
            continue
        obj_type, _, literal = match.groups()
        if obj_type not in _STIX_KINDS:
            yield RowError(where, f"observable type {obj_type!r} is not an identifier we keep")
            continue
        labels = obj.get("labels") if isinstance(obj.get("labels"), list) else []
        cats = obj.get("x_scamtrail_categories")
        yield FeedRow(
            where=where,
            value=_STIX_ESCAPE.sub(r"\1", literal),
            kind=obj.get("x_scamtrail_kind") or _STIX_KINDS[obj_type],
            complaint_count=obj.get("x_scamtrail_complaint_count", 1),
            first_seen=obj.get("x_scamtrail_first_seen") or obj.get("valid_from"),
            last_seen=obj.get("x_scamtrail_last_seen") or obj.get("modified"),
            categories=tuple(str(c) for c in cats)
            if isinstance(cats, list)
            else tuple(str(c) for c in labels if not str(c).startswith("risk-")),
            risk_score=obj.get("x_scamtrail_risk_score", obj.get("confidence")),
            risk_tier=obj.get("x_scamtrail_risk_tier"),
        )


def read_misp(doc: Any) -> Iterator[FeedRow | RowError]:
    """Rows of MISP events (``{"Event": ...}``, a list of them, or ``{"response": [...]}``)."""
    events = doc.get("response", [doc]) if isinstance(doc, dict) else doc
    for e, wrapper in enumerate(events if isinstance(events, list) else []):
        event = wrapper.get("Event") if isinstance(wrapper, dict) else None
        if not isinstance(event, dict):
            yield RowError(f"Event {e}", "not a MISP event")
            continue
        prefix = f"Event {e} " if len(events) > 1 else ""
        attributes = [(f"Attribute[{n}]", a) for n, a in enumerate(event.get("Attribute") or [])]
        for o, obj in enumerate(event.get("Object") or []):
            # an annotation is a note (our link objects are), never an identifier
            if isinstance(obj, dict) and obj.get("name") != "annotation":
                attributes += [
                    (f"Object[{o}].Attribute[{n}]", a)
                    for n, a in enumerate(obj.get("Attribute") or [])
                ]
        for where, attribute in attributes:
            yield _misp_row(prefix + where, attribute)


def _misp_row(where: str, a: Any) -> FeedRow | RowError:
    if not isinstance(a, dict) or not isinstance(a.get("value"), str):
        return RowError(where, "not an attribute with a string value")
    if a.get("deleted") in (True, "1", 1):
        return RowError(where, "deleted attribute")
    mtype = a.get("type")
    if mtype not in _MISP_KINDS:
        return RowError(where, f"MISP type {mtype!r} is not an identifier we keep")
    said = dict(_COMMENT_FIELD.findall(a.get("comment") or ""))
    score, _, tier = said.get("risk", "").partition("/")
    return FeedRow(
        where=where,
        value=a["value"],
        kind=said.get("kind") or _MISP_KINDS[mtype],
        complaint_count=said.get("complaints", 1),
        first_seen=a.get("first_seen") or None,
        last_seen=a.get("last_seen") or None,
        categories=_split("" if said.get("categories") == "-" else said.get("categories", "")),
        risk_score=score if score not in ("", "unknown") else None,
        risk_tier=tier or None,
    )


def _split(text: str) -> tuple[str, ...]:
    return tuple(c.strip() for c in re.split(r"[;,|]", text) if c.strip())
