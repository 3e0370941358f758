"""The identifier routes of the REST API: ``POST /v1/identifiers/check``,
``GET /v1/identifiers/{value}`` and ``GET /v1/identifiers/{value}/links``.

Added to the app by :func:`add_identifier_routes` (called from
:func:`scamtrail.api.app.create_app`, which owns keys, roles, audit and errors). Every answer about
an identifier carries ``risk``, ``partners`` and its ``ring`` (the connected component over links,
:mod:`scamtrail.index.links`); a partner key gets no complaint (text and complainant stay home),
but may see links and rings: they name identifiers and counts only.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from fastapi import Depends, FastAPI, HTTPException, Query, Request

from scamtrail.api import models as m
from scamtrail.api.keys import ApiKey
from scamtrail.extract.identifiers import normalise_query
from scamtrail.index.allowlist import Allowlist
from scamtrail.index.base import PartnerEntry, RegistryEntry, Store
from scamtrail.index.risk import assess
from scamtrail.settings import RiskSettings

READ_ROLES = ("investigator", "partner", "admin")

#: ``done(key, request, endpoint, status, values, count)``: audit and count one answer.
Done = Callable[[ApiKey, Request, str, int, "list[str] | None", "int | None"], None]


def add_identifier_routes(
    app: FastAPI,
    store: Store,
    *,
    needs: Callable[[tuple[str, ...], str], Callable[..., ApiKey]],
    done: Done,
    region: str,
    official: Allowlist,
    risk_settings: RiskSettings | None,
) -> None:
    """Add the identifier routes to ``app`` (see the module docstring)."""

    def _public(
        entry: dict[str, Any],
        key: ApiKey,
        registry_entry: RegistryEntry,
        partners: Sequence[PartnerEntry],
        marks: dict[tuple[str, str], Any],
    ) -> dict[str, Any]:
        mark = marks.get((registry_entry.kind, registry_entry.value))
        entry["risk"] = assess(
            registry_entry,
            partners=partners,
            mark=mark,
            allowlisted=official.owner(registry_entry.kind, registry_entry.value),
            settings=risk_settings,
        ).to_dict()
        entry["partners"] = [m.partner_report(p) for p in partners]
        if key.role == "partner":
            entry.pop("complaints", None)
        return entry

    def _parse(value: str, key: ApiKey, request: Request, endpoint: str) -> tuple[str, str]:
        try:
            return normalise_query(value, region)
        except ValueError as exc:
            done(key, request, endpoint, 422, [value[:200]], 0)
            raise HTTPException(422, str(exc)) from exc

    @app.post(
        "/v1/identifiers/check",
        tags=["identifiers"],
        response_model=None,
        responses={200: {"model": m.CheckAnswer}, **m.V1_BODY_ERRORS},
    )
    def check(
        request: Request,
        body: m.CheckRequest,
        key: ApiKey = Depends(needs(READ_ROLES, "/v1/identifiers/check")),
    ) -> dict[str, Any]:
        """Check up to 10,000 values at once against the registry."""
        endpoint = "/v1/identifiers/check"
        values = body.values
        parsed: list[tuple[str, str, str] | None] = []
        by_kind: dict[str, list[str]] = {}
        for v in values:
            try:
                kind, norm = normalise_query(str(v)[:2000], region)
            except ValueError:
                parsed.append(None)
                continue
            parsed.append((str(v), kind, norm))
            by_kind.setdefault(kind, []).append(norm)
        known = {kind: store.registry(kind, vals) for kind, vals in by_kind.items()}
        keys_asked = [(p[1], p[2]) for p in parsed if p]
        partners = store.partner_entries(keys_asked)
        marks = store.marks(keys_asked)
        results = []
        for v, p in zip(values, parsed, strict=True):
            if p is None:
                results.append(
                    {"input": str(v)[:200], "error": "not a phone, UPI ID, URL, email or vehicle"}
                )
                continue
            entry = known[p[1]].get(p[2]) or RegistryEntry(p[1], p[2], 0, None, None)
            item = entry.to_dict()
            item["input"] = p[0]
            results.append(_public(item, key, entry, partners.get((p[1], p[2]), []), marks))
        hits = sum(1 for r in results if r.get("complaint_count"))
        shared = sum(1 for r in results if r.get("partners"))
        done(key, request, endpoint, 200, [p[2] for p in parsed if p], hits)
        return {
            "checked": len(values),
            "known": hits,
            "known_to_partners": shared,
            "results": results,
        }

    @app.get(
        "/v1/identifiers/{value}",
        tags=["identifiers"],
        response_model=None,
        responses={200: {"model": m.IdentifierAnswer}, **m.V1_ERRORS},
    )
    def identifier(
        value: str,
        request: Request,
        limit: int = Query(50, ge=0, le=1000),
        key: ApiKey = Depends(needs(READ_ROLES, "/v1/identifiers/{value}")),
    ) -> dict[str, Any]:
        """Everything known about one identifier, typed any way a person types it."""
        endpoint = "/v1/identifiers/{value}"
        kind, norm = _parse(value, key, request, endpoint)
        found = store.lookup(kind, norm, limit=limit)
        partners = store.partner_entries([(kind, norm)]).get((kind, norm), [])
        marks = store.marks([(kind, norm)])
        ring = store.ring(kind, norm)
        done(key, request, endpoint, 200, [norm], found.complaint_count)
        answer = _public(found.to_dict(), key, found.entry(), partners, marks)
        answer["ring"] = ring.to_dict() if ring is not None else None
        return answer

    @app.get(
        "/v1/identifiers/{value}/links",
        tags=["identifiers"],
        response_model=None,
        responses={200: {"model": m.LinksAnswer}, **m.V1_ERRORS},
    )
    def identifier_links(
        value: str,
        request: Request,
        limit: int = Query(100, ge=0, le=1000),
        key: ApiKey = Depends(needs(READ_ROLES, "/v1/identifiers/{value}/links")),
    ) -> dict[str, Any]:
        """The identifiers named in the same complaints as this one, and the ring they form."""
        endpoint = "/v1/identifiers/{value}/links"
        kind, norm = _parse(value, key, request, endpoint)
        found = store.links(kind, norm, limit=limit)
        ring = store.ring(kind, norm) if found else None
        done(key, request, endpoint, 200, [norm], len(found))
        return {
            "identifier": {"kind": kind, "value": norm},
            "count": len(found),
            "links": [lk.to_dict() for lk in found],
            "ring": ring.to_dict() if ring is not None else None,
        }
