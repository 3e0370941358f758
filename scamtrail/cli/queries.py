"""The investigator's commands: ``lookup``, ``search``, ``stats``, ``alerts``."""

from __future__ import annotations

from typing import Annotated

import typer

from scamtrail.cli import marks as cli_marks
from scamtrail.cli.app import app, echo_json, settings, short_text
from scamtrail.cli.links import ring_lines


# -- investigation --------------------------------------------------------------------------
@app.command()
def lookup(
    value: Annotated[
        str,
        typer.Argument(
            help='A number, UPI ID, URL, email or vehicle, typed any way ("98765 43210", "MH 02 ab 1234").'
        ),
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    limit: Annotated[int, typer.Option(help="Most complaints to list.")] = 100,
) -> None:
    """Every complaint that names this identifier, with first/last seen, the count and its ring."""
    from scamtrail.extract.identifiers import normalise_query
    from scamtrail.index import open_store

    s = settings()
    try:
        kind, norm = normalise_query(value, s.extract.region)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="VALUE") from exc
    with open_store(s) as store:
        result = store.lookup(kind, norm, limit=limit)
        risk, mark = cli_marks.assess_identifier(store, s, result)
        ring = store.ring(kind, norm)
    if as_json:
        echo_json(
            {
                **result.to_dict(),
                "risk": risk.to_dict(),
                "mark": cli_marks.mark_dict(mark),
                "ring": ring.to_dict() if ring is not None else None,
            }
        )
        return
    if mark is not None:
        typer.echo(f"{kind} {norm}: marked {mark.status} by {mark.marked_by} ({mark.reason})")
    if not result.complaint_count:
        typer.echo(f"{kind} {norm}: not reported in any complaint")
        return
    typer.echo(
        f"{kind} {norm}: {result.complaint_count} complaints, first {result.first_seen}, "
        f"last {result.last_seen}, categories {', '.join(result.categories)}"
    )
    typer.echo(
        f"risk {risk.score:g} ({risk.tier}): "
        + "; ".join(f"{f.name} {f.points:+g} ({f.detail})" for f in risk.factors if f.points)
    )
    for c in result.complaints:
        who = (c.author or {}).get("username") or "?"
        typer.echo(f"  {c.created_at}  {c.id}  [{c.category}]  @{who}: {short_text(c.text)}")
    for line in ring_lines(ring):
        typer.echo(line)


@app.command()
def search(
    query: Annotated[
        str, typer.Argument(help="Words to find (all must match); '' for everything.")
    ],
    category: Annotated[str | None, typer.Option(help="bank_fraud, traffic or other.")] = None,
    since: Annotated[
        str | None, typer.Option(help="Only complaints created on/after this date.")
    ] = None,
    until: Annotated[
        str | None, typer.Option(help="Only complaints created before this date.")
    ] = None,
    needs_review: Annotated[
        bool | None,
        typer.Option(
            "--needs-review/--sure",
            help="Only complaints whose category the classifier was unsure of (or sure of).",
        ),
    ] = None,
    limit: Annotated[int, typer.Option(help="Most results.")] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Full-text search over complaints, newest first, with filters."""
    from scamtrail.index import open_store

    s = settings()
    with open_store(s) as store:
        hits = store.search(
            query,
            category=category,
            since=since,
            until=until,
            needs_review=needs_review,
            limit=limit,
        )
    if as_json:
        echo_json([h.to_dict() for h in hits])
        return
    for h in hits:
        idents = ", ".join(i["value"] for i in h.identifiers)
        typer.echo(
            f"{h.created_at}  {h.id}  [{h.category}{'?' if h.needs_review else ''}]"
            f"  {short_text(h.text)}" + (f"  <{idents}>" if idents else "")
        )
    typer.echo(f"{len(hits)} results", err=True)


@app.command()
def stats(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Counts: complaints, identifiers, by category, repeats and alerts."""
    from scamtrail.index import open_store

    with open_store(settings()) as store:
        st = store.stats()
    if as_json:
        echo_json(st.to_dict())
        return
    typer.echo(f"complaints   {st.complaints}")
    for cat, n in sorted(st.by_category.items()):
        typer.echo(f"  {cat:<12} {n}")
    typer.echo(f"identifiers  {st.identifiers} ({st.repeat_identifiers} named more than once)")
    for kind, n in sorted(st.by_kind.items()):
        typer.echo(f"  {kind:<12} {n}")
    typer.echo(f"alerts       {st.alerts}")


@app.command()
def alerts(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    limit: Annotated[int, typer.Option(help="Most alerts.")] = 100,
) -> None:
    """Alerts raised, newest first: repeat numbers and UPI IDs with their complaints."""
    from scamtrail.index import open_store

    with open_store(settings()) as store:
        items = store.alerts(limit)
    if as_json:
        echo_json([a.model_dump(by_alias=True) for a in items])
        return
    for a in items:
        typer.echo(
            f"{a.raised_at}  {a.rule}/{a.level}  {a.identifier.kind} {a.identifier.value}"
            f"  {a.complaint_count} complaints: {', '.join(a.complaint_ids[:8])}"
        )
