"""Commands that run the pipeline: ``run``, ``ingest replay``, ``process``, ``index``, ``extract``,
``dlq`` (inspect and replay dead letters) and ``demo``.
"""

from __future__ import annotations

import json
import sys
import threading
from pathlib import Path
from typing import Annotated, BinaryIO

import typer

from scamtrail.cli.app import (
    app,
    dlq_app,
    end_without_teardown,
    ingest_app,
    settings,
    stop_on_signals,
)


# -- pipeline -------------------------------------------------------------------------------
@app.command()
def run(
    replay: Annotated[
        Path | None,
        typer.Option(help="Replay this JSONL file through every stage, then exit when indexed."),
    ] = None,
    rate: Annotated[float | None, typer.Option(help="Replay pace, complaints per second.")] = None,
    progress: Annotated[bool, typer.Option(help="Show a progress bar for --replay.")] = True,
    source_name: Annotated[
        str | None,
        typer.Option(
            "--source",
            help="Also run a live source in this process: x-stream (the X filtered stream for "
            "--handle / SCAMTRAIL_X_HANDLES, token from SCAMTRAIL_X_BEARER_TOKEN).",
        ),
    ] = None,
    handle: Annotated[
        list[str] | None, typer.Option("--handle", help="X handle to watch (repeatable).")
    ] = None,
    single_process: Annotated[
        bool,
        typer.Option(
            "--single-process",
            help="Step the process and index stages in turn in this one process (one core) "
            "instead of running the index stage in a child process beside it.",
        ),
    ] = False,
) -> None:
    """Run every stage: ingest and process in this process, index in a child process.

    The two stages work in parallel (two cores) on the same bus; the child is stopped with this
    process (Ctrl-C, SIGTERM, or even kill -9), its failure fails the command, and /metrics and
    /healthz of this process include its metrics and its loop. Without --replay it consumes
    whatever reaches the bus (e.g. from `scamtrail ingest replay` in another shell, or from
    --source x-stream) until stopped with Ctrl-C or SIGTERM.
    """
    from scamtrail.bus import open_bus
    from scamtrail.cli import x as cli_x
    from scamtrail.extract.pipeline import ComplaintExtractor
    from scamtrail.index import open_store
    from scamtrail.ingest.replay import ReplaySource
    from scamtrail.metrics import REGISTRY, MergedRegistry
    from scamtrail.runtime.child import StageProcess
    from scamtrail.runtime.health import serve_health
    from scamtrail.runtime.ingestor import Ingestor
    from scamtrail.runtime.run import run_all
    from scamtrail.runtime.stages import IndexStage, ProcessStage

    s = settings()
    if replay is not None and source_name:
        raise typer.BadParameter("use --replay or --source, not both", param_hint="--source")
    if source_name not in (None, "x-stream"):
        raise typer.BadParameter(
            f"unknown source {source_name!r}; use x-stream", param_hint="--source"
        )
    stop = stop_on_signals()
    merged = MergedRegistry()  # this process's metrics and the child's, on one port
    with open_bus(s) as bus, open_store(s) as store:
        index: IndexStage | StageProcess
        if single_process:
            index = IndexStage.from_settings(bus, store, s, stop=stop)
        else:
            # Started first: it loads while this process loads the extract model.
            index = StageProcess(s, registry=merged).start()
        try:
            extractor = ComplaintExtractor(
                s.extract.model_path,
                s.extract.region,
                s.extract.batch_size,
                review_below=s.extract.review_below,
            )
            process = ProcessStage(bus, extractor, settings=s.stage, stop=stop)
            source = ingestor = None
            if replay is not None:
                source = ReplaySource(replay, rate=rate, progress=progress)
                ingestor = Ingestor(bus)
            elif source_name == "x-stream":
                source = cli_x.build_stream_source(s, handles=handle)
                ingestor = Ingestor(bus, source_name="x")
        except BaseException:
            index.close()
            raise
        beats = [process.heartbeat, index.heartbeat] + ([ingestor.heartbeat] if ingestor else [])
        checks = {"bus": bus.health, "store": store.health}
        registry = REGISTRY if single_process else merged
        with serve_health(s.metrics_port, beats, checks, registry=registry):
            run_all(
                process,
                index,
                source=source,
                ingestor=ingestor,
                until_drained=replay is not None,
                stop=stop,
            )
        store.refresh()  # the index stage wrote from its own process
        st = store.stats()
        typer.echo(
            f"indexed {st.complaints} complaints, {st.identifiers} identifiers, "
            f"{st.alerts} alerts; dead-lettered {process.dead_lettered + index.dead_lettered}"
            + (f" in stages and {ingestor.rejected} at ingest" if ingestor else ""),
            err=True,
        )


@ingest_app.command("replay")
def ingest_replay(
    file: Annotated[
        str, typer.Argument(help="JSONL file of X API v2 payloads or plain records; - for stdin.")
    ],
    rate: Annotated[float | None, typer.Option(help="Pace, complaints per second.")] = None,
    progress: Annotated[bool, typer.Option(help="Show a progress bar (files only).")] = True,
) -> None:
    """Publish complaints from a JSONL file (or stdin) to the raw topic.

    Lines that are not valid JSON or lack required fields go to the dead-letter topic with the
    reason; the replay carries on.
    """
    from scamtrail.bus import open_bus
    from scamtrail.ingest.replay import ReplaySource
    from scamtrail.runtime.health import serve_health
    from scamtrail.runtime.ingestor import Ingestor

    s = settings()
    source = ReplaySource(file, rate=rate, progress=progress)
    stop = stop_on_signals()
    threading.Thread(target=lambda: stop.wait() or source.stop(), daemon=True).start()
    with open_bus(s) as bus:
        ingestor = Ingestor(bus)
        with serve_health(s.metrics_port, [ingestor.heartbeat], {"bus": bus.health}):
            ingestor.run(source)
    typer.echo(
        f"published {ingestor.published} complaints; rejected {ingestor.rejected} lines", err=True
    )


@app.command()
def process() -> None:
    """Run the extract stage: raw -> classify, extract identifiers -> enriched (consumer group)."""
    from scamtrail.bus import open_bus
    from scamtrail.extract.pipeline import ComplaintExtractor
    from scamtrail.runtime.health import serve_health
    from scamtrail.runtime.stages import ProcessStage

    s = settings()
    stop = stop_on_signals()
    bus = open_bus(s)
    extractor = ComplaintExtractor(
        s.extract.model_path,
        s.extract.region,
        s.extract.batch_size,
        review_below=s.extract.review_below,
    )
    proc = ProcessStage(bus, extractor, settings=s.stage, stop=stop)
    with bus, serve_health(s.metrics_port, [proc.heartbeat], {"bus": bus.health}):
        proc.run_forever()


@app.command("index")
def index_cmd() -> None:
    """Run the index stage: enriched -> store + registry -> alerts (consumer group)."""
    from scamtrail.bus import open_bus
    from scamtrail.index import open_store
    from scamtrail.runtime.health import serve_health
    from scamtrail.runtime.stages import IndexStage

    s = settings()
    stop = stop_on_signals()
    with open_bus(s) as bus, open_store(s) as store:
        stage = IndexStage.from_settings(bus, store, s, stop=stop)
        checks = {"bus": bus.health, "store": store.health}
        with serve_health(s.metrics_port, [stage.heartbeat], checks):
            stage.run_forever()


@app.command()
def extract(
    input: Annotated[str, typer.Option("--input", "-i", help="JSONL input; - for stdin.")] = "-",
    output: Annotated[
        str, typer.Option("--output", "-o", help="JSONL output; - for stdout.")
    ] = "-",
    workers: Annotated[
        int,
        typer.Option(
            min=0,
            help="Processes enriching chunks of 512 lines side by side; 0: one per core. "
            "An input of one chunk is enriched in this process.",
        ),
    ] = 0,
) -> None:
    """Offline extraction: each input line ({"id","text"} or an X v2 payload) -> one Enriched line.

    Output lines are in input order, one per input line, the same whatever --workers. A line that
    cannot be read gives {"id": ..., "error": {"reason", "message"}} in its place.
    """
    from scamtrail.extract.pipeline import ComplaintExtractor
    from scamtrail.runtime.extract_file import extract_stream

    s = settings()
    extractor = ComplaintExtractor(
        s.extract.model_path,
        s.extract.region,
        s.extract.batch_size,
        review_below=s.extract.review_below,
    )
    src = sys.stdin.buffer if input == "-" else _open(input, "rb", "--input")
    try:
        dst = sys.stdout.buffer if output == "-" else _open(output, "wb", "--output")
    except BaseException:
        if src is not sys.stdin.buffer:
            src.close()
        raise
    try:
        if workers == 0:
            from scamtrail.runtime.extract_workers import default_workers

            workers = default_workers()
        extract_stream(extractor, src, dst, workers)
    finally:
        if src is not sys.stdin.buffer:
            src.close()
        if dst is not sys.stdout.buffer:
            dst.close()
    end_without_teardown()  # nothing left to close: the process need not free the model


def _open(path: str, mode: str, option: str) -> BinaryIO:
    """``path`` opened in ``mode``; a file that cannot be opened is a usage error naming it."""
    try:
        return open(path, mode)  # noqa: SIM115  (closed by the caller)
    except OSError as exc:
        doing = "read" if "r" in mode else "write"
        raise typer.BadParameter(
            f"cannot {doing} {path}: {exc.strerror or exc}", param_hint=option
        ) from exc


@dlq_app.callback()
def dlq(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON lines.")] = False,
    limit: Annotated[int, typer.Option(help="Most records.")] = 100,
) -> None:
    """List dead-lettered records with their stage, reason and error."""
    if ctx.invoked_subcommand:
        return
    from scamtrail.bus import open_bus

    with open_bus(settings()) as bus:
        messages = bus.read("dlq", 0, limit)
    for m in messages:
        entry = {
            "key": m.key,
            "stage": m.header("stage"),
            "reason": m.header("reason"),
            "error": m.header("error"),
            "origin": m.header("origin_topic"),
            "value": m.value[:300].decode("utf-8", "replace"),
        }
        if as_json:
            typer.echo(json.dumps(entry, ensure_ascii=False))
        else:
            typer.echo(f"[{entry['stage']}/{entry['reason']}] {entry['key']}: {entry['error']}")
    if not as_json:
        typer.echo(f"{len(messages)} dead letters", err=True)


@dlq_app.command("replay")
def dlq_replay(
    stage: Annotated[
        str | None,
        typer.Option(help="Only records dead-lettered by this stage (ingest, process, index)."),
    ] = None,
    reason: Annotated[
        str | None, typer.Option(help="Only records with this reason (e.g. store_rejected).")
    ] = None,
) -> None:
    """Send dead letters back through the pipeline once the cause is fixed (each only once)."""
    from scamtrail.bus import open_bus
    from scamtrail.runtime.ingestor import replay_dead_letters

    with open_bus(settings()) as bus:
        resent, left = replay_dead_letters(bus, stage=stage, reason=reason)
    typer.echo(f"replayed {resent} dead letters; {left} left out by the filters", err=True)
