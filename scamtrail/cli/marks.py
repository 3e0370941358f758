"""``scamtrail mark``: an investigator's verdict on an identifier, and the risk ``lookup`` shows.

``scamtrail mark VALUE --false-positive --reason TEXT`` records that an identifier is not a
fraudster's (a bank's own IVR number a citizen named, say): alert rules skip it from then on and
its risk drops to the floor (``RiskSettings.false_positive_score``). ``scamtrail mark VALUE
--clear`` removes the verdict. VALUE is typed any way a person types it, as for ``lookup``. Every
change is written to the audit trail (``scamtrail audit``) as agency ``cli``, role ``admin``,
endpoint ``mark``.

:func:`register` adds the command to the app; :func:`assess_identifier` is what ``lookup`` uses to
show an identifier's risk and verdict.
"""

from __future__ import annotations

import getpass
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:  # imported where used: other commands and `--help` need none of them
    from scamtrail.index.base import IdentifierMark, LookupResult, Store
    from scamtrail.index.risk import Risk
    from scamtrail.settings import Settings

FALSE_POSITIVE = "false_positive"


def register(app: typer.Typer, settings_fn: Callable[[], Settings]) -> None:
    """Add ``scamtrail mark`` to ``app``; ``settings_fn`` gives the invocation's settings."""

    @app.command("mark")
    def mark(
        value: Annotated[
            str, typer.Argument(help="The identifier, typed any way (as for `scamtrail lookup`).")
        ],
        false_positive: Annotated[
            bool,
            typer.Option("--false-positive", help="Mark it a false positive: no alerts, low risk."),
        ] = False,
        clear: Annotated[bool, typer.Option("--clear", help="Remove the verdict.")] = False,
        reason: Annotated[
            str | None, typer.Option(help="Why (required with --false-positive).")
        ] = None,
        kind: Annotated[
            str | None,
            typer.Option(help="Read VALUE as this kind: phone, upi, url, email, vehicle, ..."),
        ] = None,
        by: Annotated[
            str | None, typer.Option(help="Who decides (default: the login name).")
        ] = None,
    ) -> None:
        """Mark an identifier a false positive (no more alerts, risk lowered), or --clear it."""
        from scamtrail.extract.identifiers import normalise_query
        from scamtrail.index import open_store
        from scamtrail.index.base import IdentifierMark
        from scamtrail.records import utcnow_iso

        if false_positive == clear:
            raise typer.BadParameter("give exactly one of --false-positive or --clear")
        if false_positive and not (reason or "").strip():
            raise typer.BadParameter("--false-positive needs --reason", param_hint="--reason")
        s = settings_fn()
        try:
            found_kind, norm = normalise_query(value, s.extract.region, kind=kind)
        except ValueError as exc:
            raise typer.BadParameter(str(exc), param_hint="VALUE") from exc
        who = (by or "").strip() or getpass.getuser()
        with open_store(s) as store:
            if clear:
                changed = store.clear_mark(found_kind, norm)
                status = 200 if changed else 404
                said = (
                    f"{found_kind} {norm}: verdict removed"
                    if changed
                    else f"{found_kind} {norm}: had no verdict"
                )
            else:
                store.set_mark(
                    IdentifierMark(
                        found_kind, norm, FALSE_POSITIVE, (reason or "").strip(), who, utcnow_iso()
                    )
                )
                status = 200
                said = f"{found_kind} {norm}: marked false positive by {who}"
        _audit(s, found_kind, norm, clear=clear, who=who, reason=reason, status=status)
        typer.echo(said)


def _audit(
    s: Settings, kind: str, value: str, *, clear: bool, who: str, reason: str | None, status: int
) -> None:
    from scamtrail.api.keys import ApiKey, KeyStore
    from scamtrail.records import utcnow_iso

    keys = KeyStore(s.home / "keys.db")
    try:
        asked = [f"{kind}:{value}", f"by={who}"]
        asked += ["clear"] if clear else [f"{FALSE_POSITIVE}: {(reason or '').strip()}"]
        keys.audit(
            key=ApiKey("cli", "cli", "admin", utcnow_iso()),
            method="CLI",
            endpoint="mark",
            status=status,
            values=asked,
            result_count=1 if status == 200 else 0,
        )
    finally:
        keys.close()


def assess_identifier(
    store: Store, s: Settings, result: LookupResult
) -> tuple[Risk, IdentifierMark | None]:
    """The risk of a looked-up identifier and its verdict, with partners and the allow-list."""
    from scamtrail.extract.identifiers import normalise_query
    from scamtrail.index.allowlist import Allowlist
    from scamtrail.index.risk import assess

    key = (result.kind, result.value)
    mark = store.marks([key]).get(key)
    try:
        partners = store.partner_entries([key]).get(key, [])
    except NotImplementedError:
        partners = []
    allowlist = Allowlist.load(
        s.alerts.allowlist_file, normalise=lambda v: normalise_query(v, s.extract.region)
    )
    risk = assess(
        result.entry(),
        partners=partners,
        mark=mark,
        allowlisted=allowlist.owner(*key),
        settings=s.risk,
    )
    return risk, mark


def mark_dict(mark: IdentifierMark | None) -> dict[str, str] | None:
    """JSON-ready form of a verdict (None when there is none)."""
    if mark is None:
        return None
    return {
        "status": mark.status,
        "reason": mark.reason,
        "marked_by": mark.marked_by,
        "marked_at": mark.marked_at,
    }
