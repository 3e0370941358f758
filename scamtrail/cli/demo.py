"""``scamtrail demo``: the bundled sample through the embedded pipeline, and a report."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from scamtrail.cli.app import app, settings


@app.command()
def demo(
    home: Annotated[
        Path | None,
        typer.Option(
            help="Where the demo keeps its bus and store (default: <SCAMTRAIL_HOME>/demo, emptied first)."
        ),
    ] = None,
) -> None:
    """Replay the bundled sample of complaint tweets through the embedded pipeline and report."""
    from scamtrail.demo import run_demo

    s = settings()
    run_demo(home or s.home / "demo", region=s.extract.region)
