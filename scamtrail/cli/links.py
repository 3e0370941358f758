"""The ``links`` command (identifiers named beside one, and its ring) and the ring lines that
``lookup`` prints too."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from scamtrail.cli.app import app, echo_json, settings

#: Ring members ``lookup`` and ``links`` print in text (all of them are in ``--json``).
SHOWN_MEMBERS = 12


def ring_lines(ring: Any) -> list[str]:
    """Text lines describing a ring (a :class:`~scamtrail.index.links.Ring`), or none."""
    if ring is None:
        return []
    cats = ", ".join(f"{c} {n}" for c, n in sorted(ring.categories.items()))
    lines = [
        f"ring {ring.id}: {ring.size} identifiers{' (truncated at the cap)' if ring.truncated else ''}"
        f", {ring.complaint_count} complaints, first {ring.first_seen}, last {ring.last_seen}"
        f", categories {cats}"
    ]
    shown = ring.members[:SHOWN_MEMBERS]
    lines += [f"  {kind} {value}" for kind, value in shown]
    if len(ring.members) > len(shown):
        lines.append(f"  ... and {len(ring.members) - len(shown)} more (--json lists all)")
    return lines


def links_answer(kind: str, value: str, found: list[Any], ring: Any) -> dict[str, Any]:
    """The JSON form of one identifier's links and ring (as the API answers it)."""
    return {
        "identifier": {"kind": kind, "value": value},
        "count": len(found),
        "links": [lk.to_dict() for lk in found],
        "ring": ring.to_dict() if ring is not None else None,
    }


@app.command()
def links(
    value: Annotated[
        str,
        typer.Argument(help="A number, UPI ID, URL, email or vehicle, typed any way."),
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    limit: Annotated[int, typer.Option(help="Most linked identifiers to list.")] = 100,
) -> None:
    """Identifiers named in the same complaints as this one, and the ring they form."""
    from scamtrail.extract.identifiers import normalise_query
    from scamtrail.index import open_store

    s = settings()
    try:
        kind, norm = normalise_query(value, s.extract.region)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="VALUE") from exc
    with open_store(s) as store:
        found = store.links(kind, norm, limit=limit)
        ring = store.ring(kind, norm) if found else None
    if as_json:
        echo_json(links_answer(kind, norm, found, ring))
        return
    if not found:
        typer.echo(f"{kind} {norm}: not named beside any other identifier")
        return
    typer.echo(f"{kind} {norm}: linked to {len(found)} identifiers")
    for lk in found:
        typer.echo(
            f"  {lk.kind} {lk.value}  {lk.complaints} complaints"
            f"  first {lk.first_seen}  last {lk.last_seen}"
        )
    for line in ring_lines(ring):
        typer.echo(line)
