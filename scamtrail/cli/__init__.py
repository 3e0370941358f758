"""The ``scamtrail`` command line: run the pipeline, look numbers up, search, share.

Settings come from ``SCAMTRAIL_*`` environment variables and an optional TOML file (see
``scamtrail.settings``); the bus and store are chosen by ``SCAMTRAIL_BUS`` / ``SCAMTRAIL_STORE``.
Exit codes: 0 success, 1 a scamtrail error (message on stderr), 2 bad usage.

One module per command group, each registering its commands on :data:`scamtrail.cli.app.app`:
``pipeline`` (run, ingest replay, process, index, extract, dlq), ``x`` (ingest stream|poll),
``share`` (export, import), ``marks`` (mark), ``queries`` (lookup, search, stats, alerts), ``links`` (links),
``service`` (serve, keys, audit), ``model`` (train, eval), ``demo``. The order of the imports below
is the order of ``scamtrail --help``.
"""

# isort: skip_file
from __future__ import annotations

import sys

import typer

from scamtrail.cli.app import (
    app,
    end_now,
    ingest_app,
    settings,
    teardown_skippable,
    unwrap_help_texts,
)
from scamtrail.cli import pipeline  # noqa: F401  (registers its commands)
from scamtrail.cli import x as cli_x
from scamtrail.cli import share as cli_share
from scamtrail.cli import marks as cli_marks
from scamtrail.errors import ScamtrailError

cli_x.register(ingest_app, settings)  # `ingest stream` and `ingest poll` (X API v2)
cli_share.register(app, settings)  # `export` and `import` (sharing with other departments)
cli_marks.register(app, settings)  # `mark` (false positives)

from scamtrail.cli import queries, links, service, model, demo  # noqa: E402, F401  (in --help order)

unwrap_help_texts(app)  # every command registered: let the terminal wrap their help

__all__ = ["app", "main"]


def main() -> None:
    """Console entry point: run the app and turn scamtrail errors into a message and exit 1.

    A command that succeeded and asked for it (:func:`scamtrail.cli.app.end_without_teardown`)
    ends the process at once, its output flushed, without the interpreter's teardown."""
    try:
        app()
    except ScamtrailError as exc:
        typer.echo(f"scamtrail: error: {exc}", err=True)
        sys.exit(1)
    except SystemExit as exc:
        if exc.code in (0, None) and teardown_skippable():
            end_now()
        raise
