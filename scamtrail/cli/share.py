"""``scamtrail export`` and ``scamtrail import``: share the registry with other departments.

:func:`register` adds both commands to the main app. Export writes a feed of our identifiers
(JSON, CSV, STIX 2.1 or MISP; see :mod:`scamtrail.index.feed_formats`) with counts, first/last
seen, categories, risk and provenance, and nothing about complainants. Import reads a partner's
feed in any of those formats and keeps its entries apart from our registry
(:mod:`scamtrail.index.sharing`). Both are recorded in the audit trail (``<home>/keys.db``) with
endpoint ``export`` / ``import``.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from scamtrail.errors import ScamtrailError

if TYPE_CHECKING:
    from scamtrail.settings import Settings

EXPORT_HELP = """Write a feed of our identifiers for other departments.

Each identifier carries its kind, value, complaint count, first/last seen, categories and
risk (score, tier); the feed names the producing agency (SCAMTRAIL_AGENCY), when it was
generated and the tool version. No complainant data leaves: no author, no complaint text,
no complaint ids. Identifiers marked false positive are left out.

Formats: json (scamtrail-feed v1), csv (with a header), stix (STIX 2.1 bundle of
indicators; phone, UPI, vehicle and bank account as x-scamtrail-* observables), misp
(a MISP event to import into MISP).
"""

IMPORT_HELP = """Import another department's feed (json, csv, stix or misp) as partner entries.

Partner entries are kept apart from our registry: their counts never change ours. Values
are normalised as ours are ("98765 43210" -> "+919876543210"); rows that cannot be read
are reported with their line or index and the reason, and the rest is imported.
Importing the same feed again changes nothing. Identifiers we know too raise a
partner_hit alert (once each).
"""


def tool_version() -> str:
    """The installed scamtrail version (provenance of every feed)."""
    import importlib.metadata

    try:
        return importlib.metadata.version("scamtrail")
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover - running from a checkout
        return "unknown"


def register(app: typer.Typer, get_settings: Callable[[], Settings]) -> None:
    """Add the ``export`` and ``import`` commands to ``app``."""

    @app.command("export", help=EXPORT_HELP)
    def export(
        fmt: Annotated[
            str, typer.Option("--format", "-f", help="json, csv, stix or misp.")
        ] = "json",
        since: Annotated[
            str | None, typer.Option(help="Only identifiers last seen on or after this date.")
        ] = None,
        min_count: Annotated[
            int, typer.Option(min=1, help="Only identifiers named in this many complaints.")
        ] = 1,
        category: Annotated[
            str | None, typer.Option(help="Only identifiers seen in this category.")
        ] = None,
        kind: Annotated[
            str | None, typer.Option(help="Only this kind: phone, upi, url, email, vehicle, ...")
        ] = None,
        output: Annotated[
            str, typer.Option("--output", "-o", help="Output file; - for stdout.")
        ] = "-",
    ) -> None:
        from scamtrail.index import open_store
        from scamtrail.index.allowlist import Allowlist
        from scamtrail.index.feed_formats import FORMATS
        from scamtrail.index.sharing import export_feed
        from scamtrail.records import to_utc_iso

        if fmt not in FORMATS:
            raise typer.BadParameter(f"use one of {', '.join(FORMATS)}", param_hint="--format")
        if since:
            try:
                since = to_utc_iso(since)
            except ValueError as exc:
                raise typer.BadParameter(str(exc), param_hint="--since") from exc
        s = get_settings()
        filters = {"since": since, "min_count": min_count, "category": category, "kind": kind}
        target = Path(output) if output != "-" else None
        if target is not None and not target.parent.is_dir():
            raise typer.BadParameter(f"no directory {target.parent}", param_hint="--output")
        written = 0
        status = 500
        try:
            with open_store(s) as store:
                export = functools.partial(
                    export_feed,
                    store,
                    fmt,
                    agency=s.agency,
                    tool_version=tool_version(),
                    since=since,
                    min_count=min_count,
                    category=category,
                    kind=kind,
                    risk_settings=s.risk,
                    allowlist=Allowlist.load(s.alerts.allowlist_file, normalise=normaliser(s)),
                )
                if target is None:
                    written = export(sys.stdout)
                else:
                    # Written beside the target and renamed: a reader never sees half a feed.
                    partial = target.with_name(target.name + ".partial")
                    try:
                        with partial.open("w", encoding="utf-8", newline="") as out:
                            written = export(out)
                        partial.replace(target)
                    finally:
                        partial.unlink(missing_ok=True)
            status = 200
        finally:
            _audit(get_settings(), "export", status, [fmt, json.dumps(filters)], written)
        typer.echo(
            f"exported {written} identifiers as {fmt}"
            + (f" to {target}" if target else "")
            + f" (agency {s.agency})",
            err=True,
        )

    @app.command("import", help=IMPORT_HELP)
    def import_(
        file: Annotated[Path, typer.Argument(help="The feed file.", exists=True, dir_okay=False)],
        agency: Annotated[
            str, typer.Option(help="The agency that shared the feed, e.g. 'Pune Cyber Cell'.")
        ],
        fmt: Annotated[
            str, typer.Option("--format", "-f", help="auto, json, csv, stix or misp.")
        ] = "auto",
        as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
    ) -> None:
        from scamtrail.extract.identifiers import normalise_query
        from scamtrail.index import open_store
        from scamtrail.index.allowlist import Allowlist
        from scamtrail.index.feed_readers import read_feed
        from scamtrail.index.sharing import check_agency, import_rows

        try:
            agency = check_agency(agency)
        except ValueError as exc:
            raise typer.BadParameter(str(exc), param_hint="--agency") from exc
        s = get_settings()
        region = s.extract.region

        def normalise(value: str, kind: str | None) -> tuple[str, str]:
            return normalise_query(value, region, kind)

        status, summary = 500, None
        try:
            found, rows = read_feed(file, fmt)
            with open_store(s) as store:
                summary = import_rows(
                    store,
                    rows,
                    agency=agency,
                    feed=file.name,
                    fmt=found,
                    normalise=normalise,
                    alert=s.alerts.partner_hit,
                    allowlist=Allowlist.load(s.alerts.allowlist_file, normalise=normaliser(s)),
                )
            status = 200
        except ScamtrailError:
            status = 400
            raise
        finally:
            _audit(
                s,
                "import",
                status,
                [f"agency={agency}", f"feed={file.name}"],
                summary.imported if summary else 0,
            )
        assert summary is not None
        if as_json:
            typer.echo(json.dumps(summary.to_dict(), ensure_ascii=False))
        else:
            for bad in summary.rejected[:50]:
                typer.echo(f"rejected {bad.where}: {bad.reason}", err=True)
            if len(summary.rejected) > 50:
                typer.echo(f"... and {len(summary.rejected) - 50} more rejected", err=True)
            typer.echo(
                f"imported {summary.imported} new or changed entries from {file.name} "
                f"({summary.format}, agency {agency}); {summary.unchanged} unchanged, "
                f"{len(summary.rejected)} rejected of {summary.rows} rows; "
                f"{summary.matched} also in our registry, {summary.alerts} new partner_hit alerts"
            )


def normaliser(s: Settings) -> Callable[[str], tuple[str, str]]:
    """Reads a value as a person types it, in the configured region (for allow-list files)."""
    from scamtrail.extract.identifiers import normalise_query

    return lambda value: normalise_query(value, s.extract.region)


def _audit(s: Settings, endpoint: str, status: int, values: list[str], count: int) -> None:
    """Record a CLI export or import in the audit trail beside the API's requests."""
    from scamtrail.api.keys import KeyStore

    keys = KeyStore(s.home / "keys.db")
    try:
        keys.audit(
            key=None,
            method="CLI",
            endpoint=endpoint,
            status=status,
            values=values,
            result_count=count,
        )
    finally:
        keys.close()
