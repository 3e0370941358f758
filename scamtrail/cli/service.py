"""The REST API and its keys: ``serve``, ``keys create|list|revoke``, ``audit``."""

from __future__ import annotations

from typing import Annotated

import typer

from scamtrail.cli import share as cli_share
from scamtrail.cli.app import app, echo_json, keys_app, settings


# -- API ------------------------------------------------------------------------------------
@app.command()
def serve(
    host: Annotated[
        str | None, typer.Option(help="Address to bind (default from settings: 127.0.0.1).")
    ] = None,
    port: Annotated[int | None, typer.Option(help="Port (default from settings: 8080).")] = None,
) -> None:
    """Serve the REST API: intake, identifier checks, search, alerts, /healthz, /readyz, /metrics.

    The OpenAPI page is at /docs. Every /v1 call needs `Authorization: Bearer <key>` from
    `scamtrail keys create`. The investigators' web console is at / (sign in with such a key).
    """
    import uvicorn

    from scamtrail.api import create_app
    from scamtrail.api.keys import KeyStore
    from scamtrail.bus import open_bus
    from scamtrail.index import open_store
    from scamtrail.index.allowlist import Allowlist
    from scamtrail.runtime.health import bind_port

    s = settings()
    with open_bus(s) as bus, open_store(s) as store:
        keys = KeyStore(s.home / "keys.db")
        app_ = create_app(
            bus,
            store,
            keys,
            region=s.extract.region,
            rate=s.api.rate_per_s,
            burst=s.api.burst,
            agency=s.agency,
            risk_settings=s.risk,
            allowlist=Allowlist.load(s.alerts.allowlist_file, normalise=cli_share.normaliser(s)),
            version=cli_share.tool_version(),
        )
        sock = bind_port(
            host or s.api.host, port or s.api.port, "SCAMTRAIL_API__PORT (or serve --port)"
        )
        server = uvicorn.Server(uvicorn.Config(app_, log_level="warning"))
        server.run(sockets=[sock])
        keys.close()


@keys_app.command("create")
def keys_create(
    agency: Annotated[
        str, typer.Option(help="The agency the key belongs to, e.g. 'Pune Cyber Cell'.")
    ],
    role: Annotated[str, typer.Option(help="investigator, partner, intake or admin.")],
) -> None:
    """Create an API key and print it once; only its hash is kept."""
    from scamtrail.api.keys import KeyStore

    store = KeyStore(settings().home / "keys.db")
    key, token = store.create(agency, role)
    store.close()
    typer.echo(token)
    typer.echo(
        f"key {key.key_id} for {key.agency} ({key.role}); keep it now, it is not shown again",
        err=True,
    )


@keys_app.command("list")
def keys_list(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """List keys (ids, agencies, roles; never the keys themselves)."""
    from dataclasses import asdict

    from scamtrail.api.keys import KeyStore

    store = KeyStore(settings().home / "keys.db")
    items = store.list()
    store.close()
    if as_json:
        echo_json([asdict(k) for k in items])
        return
    for k in items:
        typer.echo(
            f"{k.key_id}  {k.role:<12} {k.agency}  created {k.created_at}"
            + (f"  REVOKED {k.revoked_at}" if k.revoked_at else "")
        )


@keys_app.command("revoke")
def keys_revoke(
    key_id: Annotated[str, typer.Argument(help="The key id shown by `keys list`.")],
) -> None:
    """Revoke a key: it stops working at once."""
    from scamtrail.api.keys import KeyStore

    store = KeyStore(settings().home / "keys.db")
    ok = store.revoke(key_id)
    store.close()
    if not ok:
        typer.echo(f"no active key {key_id}", err=True)
        raise typer.Exit(1)
    typer.echo(f"revoked {key_id}")


@app.command()
def audit(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    limit: Annotated[int, typer.Option(help="Most entries.")] = 100,
) -> None:
    """The audit trail of API requests: who asked what, when, and how many results."""
    from scamtrail.api.keys import KeyStore

    store = KeyStore(settings().home / "keys.db")
    entries = store.audit_log(limit)
    store.close()
    if as_json:
        echo_json(entries)
        return
    for e in entries:
        typer.echo(
            f"{e['at']}  {e['status']}  {e['agency'] or '-'} ({e['role'] or '-'})  {e['method']} "
            f"{e['endpoint']}  values={e['values']} results={e['result_count']}"
        )
