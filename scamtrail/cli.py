"""The ``scamtrail`` command line: run the pipeline, look numbers up, search, share.

Settings come from ``SCAMTRAIL_*`` environment variables and an optional TOML file (see
``scamtrail.settings``); the bus and store are chosen by ``SCAMTRAIL_BUS`` / ``SCAMTRAIL_STORE``.
Exit codes: 0 success, 1 a scamtrail error (message on stderr), 2 bad usage.
"""

from __future__ import annotations

import json
import signal
import sys
import threading
from pathlib import Path
from typing import Annotated, Any

import typer

from scamtrail import cli_marks, cli_share, cli_x
from scamtrail.errors import ScamtrailError
from scamtrail.health import serve_health
from scamtrail.logs import secrets_of, setup_logging
from scamtrail.settings import Settings, load_settings

app = typer.Typer(
    name="scamtrail",
    help=(
        "Turn citizens' fraud complaints into shared intelligence: ingest complaints, classify "
        "them (bank_fraud / traffic / other), extract phone numbers, UPI IDs, URLs, vehicles and "
        "emails, index them, alert on repeat numbers, and share the registry.\n\n"
        "Runs on an embedded bus and SQLite store by default (nothing but pip); set "
        "SCAMTRAIL_BUS=kafka://host:9092 and SCAMTRAIL_STORE=elasticsearch+http://host:9200 to "
        "scale out. Start with `scamtrail demo`."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
ingest_app = typer.Typer(
    help="Sources that publish complaints to the raw topic.", no_args_is_help=True
)
app.add_typer(ingest_app, name="ingest")
keys_app = typer.Typer(
    help="API keys per agency: create (printed once, stored hashed), list, revoke.",
    no_args_is_help=True,
)
app.add_typer(keys_app, name="keys")
dlq_app = typer.Typer(
    help="Inspect the dead-letter topic: records that could not be processed, with the reason.",
    invoke_without_command=True,
)
app.add_typer(dlq_app, name="dlq")

_state: dict[str, Settings] = {}


def settings() -> Settings:
    """The settings for this invocation (built once)."""
    if "s" not in _state:
        _state["s"] = load_settings()
        setup_logging(_state["s"].log_level, _state["s"].log_format, secrets_of(_state["s"]))
    return _state["s"]


@app.callback()
def _main(
    log_format: Annotated[
        str | None, typer.Option(help="Log format on stderr: json or text.")
    ] = None,
    log_level: Annotated[str | None, typer.Option(help="DEBUG, INFO, WARNING, ERROR.")] = None,
    metrics_port: Annotated[
        int | None,
        typer.Option(
            help="Serve /metrics, /healthz and /readyz on this port while a long-running command "
            "(run, ingest, process, index) works; default SCAMTRAIL_METRICS_PORT, else off."
        ),
    ] = None,
) -> None:
    overrides: dict[str, Any] = {}
    if log_format:
        overrides["log_format"] = log_format
    if log_level:
        overrides["log_level"] = log_level
    if metrics_port is not None:
        overrides["metrics_port"] = metrics_port
    _state.pop("s", None)
    if overrides:
        _state["s"] = load_settings(**overrides)
        setup_logging(_state["s"].log_level, _state["s"].log_format, secrets_of(_state["s"]))


def _stop_on_signals() -> threading.Event:
    stop = threading.Event()

    def _handler(signum: int, frame: object) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, _handler)
    signal.signal(signal.SIGINT, _handler)
    return stop


def _echo_json(obj: Any) -> None:
    typer.echo(json.dumps(obj, ensure_ascii=False, indent=2, default=str))


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
    from scamtrail.extract.pipeline import ComplaintExtractor
    from scamtrail.index import open_store
    from scamtrail.ingest.replay import ReplaySource
    from scamtrail.metrics import REGISTRY, MergedRegistry
    from scamtrail.pipeline import IndexStage, Ingestor, ProcessStage, run_all
    from scamtrail.stage_process import StageProcess

    s = settings()
    if replay is not None and source_name:
        raise typer.BadParameter("use --replay or --source, not both", param_hint="--source")
    if source_name not in (None, "x-stream"):
        raise typer.BadParameter(
            f"unknown source {source_name!r}; use x-stream", param_hint="--source"
        )
    stop = _stop_on_signals()
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
                s.extract.model_path, s.extract.region, s.extract.batch_size
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
    from scamtrail.pipeline import Ingestor

    s = settings()
    source = ReplaySource(file, rate=rate, progress=progress)
    stop = _stop_on_signals()
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
    from scamtrail.pipeline import ProcessStage

    s = settings()
    stop = _stop_on_signals()
    bus = open_bus(s)
    extractor = ComplaintExtractor(s.extract.model_path, s.extract.region, s.extract.batch_size)
    proc = ProcessStage(bus, extractor, settings=s.stage, stop=stop)
    with bus, serve_health(s.metrics_port, [proc.heartbeat], {"bus": bus.health}):
        proc.run_forever()


@app.command("index")
def index_cmd() -> None:
    """Run the index stage: enriched -> store + registry -> alerts (consumer group)."""
    from scamtrail.bus import open_bus
    from scamtrail.index import open_store
    from scamtrail.pipeline import IndexStage

    s = settings()
    stop = _stop_on_signals()
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
) -> None:
    """Offline extraction: each input line ({"id","text"} or an X v2 payload) -> one Enriched line.

    Output lines are in input order, one per input line. A line that cannot be read gives
    {"id": ..., "error": {"reason", "message"}} in its place.
    """
    from scamtrail.extract.pipeline import ComplaintExtractor
    from scamtrail.extract_io import extract_stream

    s = settings()
    extractor = ComplaintExtractor(s.extract.model_path, s.extract.region, s.extract.batch_size)
    src = sys.stdin.buffer if input == "-" else open(input, "rb")  # noqa: SIM115
    dst = sys.stdout if output == "-" else open(output, "w", encoding="utf-8")  # noqa: SIM115
    try:
        extract_stream(extractor, src, dst)
    finally:
        if src is not sys.stdin.buffer:
            src.close()
        if dst is not sys.stdout:
            dst.close()


cli_x.register(ingest_app, settings)  # `ingest stream` and `ingest poll` (X API v2)
cli_share.register(app, settings)  # `export` and `import` (sharing with other departments)
cli_marks.register(app, settings)  # `mark` (false positives)


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
    """Every complaint that names this identifier, with first/last seen and the count."""
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
    if as_json:
        _echo_json({**result.to_dict(), "risk": risk.to_dict(), "mark": cli_marks.mark_dict(mark)})
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
        typer.echo(f"  {c.created_at}  {c.id}  [{c.category}]  @{who}: {_short(c.text)}")


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
    limit: Annotated[int, typer.Option(help="Most results.")] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Full-text search over complaints, newest first, with filters."""
    from scamtrail.index import open_store

    s = settings()
    with open_store(s) as store:
        hits = store.search(query, category=category, since=since, until=until, limit=limit)
    if as_json:
        _echo_json([h.to_dict() for h in hits])
        return
    for h in hits:
        idents = ", ".join(i["value"] for i in h.identifiers)
        typer.echo(
            f"{h.created_at}  {h.id}  [{h.category}]  {_short(h.text)}"
            + (f"  <{idents}>" if idents else "")
        )
    typer.echo(f"{len(hits)} results", err=True)


@app.command()
def stats(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Counts: complaints, identifiers, by category, repeats and alerts."""
    from scamtrail.index import open_store

    with open_store(settings()) as store:
        st = store.stats()
    if as_json:
        _echo_json(st.to_dict())
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
        _echo_json([a.model_dump(by_alias=True) for a in items])
        return
    for a in items:
        typer.echo(
            f"{a.raised_at}  {a.rule}/{a.level}  {a.identifier.kind} {a.identifier.value}"
            f"  {a.complaint_count} complaints: {', '.join(a.complaint_ids[:8])}"
        )


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
    from scamtrail.pipeline import replay_dead_letters

    with open_bus(settings()) as bus:
        resent, left = replay_dead_letters(bus, stage=stage, reason=reason)
    typer.echo(f"replayed {resent} dead letters; {left} left out by the filters", err=True)


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
    `scamtrail keys create`.
    """
    import uvicorn

    from scamtrail.api import create_app
    from scamtrail.bus import open_bus
    from scamtrail.index import open_store
    from scamtrail.index.allowlist import Allowlist
    from scamtrail.keys import KeyStore

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
        uvicorn.run(app_, host=host or s.api.host, port=port or s.api.port, log_level="warning")
        keys.close()


@keys_app.command("create")
def keys_create(
    agency: Annotated[
        str, typer.Option(help="The agency the key belongs to, e.g. 'Pune Cyber Cell'.")
    ],
    role: Annotated[str, typer.Option(help="investigator, partner, intake or admin.")],
) -> None:
    """Create an API key and print it once; only its hash is kept."""
    from scamtrail.keys import KeyStore

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

    from scamtrail.keys import KeyStore

    store = KeyStore(settings().home / "keys.db")
    items = store.list()
    store.close()
    if as_json:
        _echo_json([asdict(k) for k in items])
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
    from scamtrail.keys import KeyStore

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
    from scamtrail.keys import KeyStore

    store = KeyStore(settings().home / "keys.db")
    entries = store.audit_log(limit)
    store.close()
    if as_json:
        _echo_json(entries)
        return
    for e in entries:
        typer.echo(
            f"{e['at']}  {e['status']}  {e['agency'] or '-'} ({e['role'] or '-'})  {e['method']} "
            f"{e['endpoint']}  values={e['values']} results={e['result_count']}"
        )


# -- model ----------------------------------------------------------------------------------
@app.command()
def train(
    train_file: Annotated[
        Path | None,
        typer.Option("--train", help="Labelled JSONL (default: the bundled corpus train split)."),
    ] = None,
    dev_file: Annotated[
        Path | None, typer.Option("--dev", help="Labelled JSONL for model selection.")
    ] = None,
    output: Annotated[
        Path | None, typer.Option(help="Where to write the model (default: the packaged model).")
    ] = None,
    seed: Annotated[
        int | None, typer.Option(help="Random seed (default from textcat.cfg).")
    ] = None,
    epochs: Annotated[int | None, typer.Option(help="Epochs (default from textcat.cfg).")] = None,
) -> None:
    """Train the complaint classifier from extract/textcat.cfg on the project's corpus."""
    from scamtrail.extract import classifier

    report = classifier.train(
        train_file or classifier.CORPUS_DIR / "train.jsonl",
        dev_file or classifier.CORPUS_DIR / "dev.jsonl",
        output or classifier.DEFAULT_MODEL,
        seed=seed,
        epochs=epochs,
        log=lambda line: typer.echo(line, err=True),
    )
    typer.echo(
        f"model written to {report.output}: best epoch {report.best_epoch}, dev macro-F1 "
        f"{report.dev_macro_f1:.4f} on {report.train_examples} training examples "
        f"in {report.seconds:.1f}s"
    )


@app.command("eval")
def eval_cmd(
    file: Annotated[Path, typer.Argument(help="Labelled JSONL: text, category, identifiers.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the full report as JSON.")] = False,
    min_macro_f1: Annotated[
        float | None, typer.Option(help="Exit 1 when macro-F1 is below this.")
    ] = None,
    min_phone_f1: Annotated[
        float | None, typer.Option(help="Exit 1 when phone F1 is below this.")
    ] = None,
    show_errors: Annotated[int, typer.Option(help="How many errors of each sort to list.")] = 10,
) -> None:
    """Measure the classifier and the identifier extractors on a labelled file."""
    from scamtrail.extract.evaluate import evaluate
    from scamtrail.extract.pipeline import ComplaintExtractor

    s = settings()
    extractor = ComplaintExtractor(s.extract.model_path, s.extract.region, s.extract.batch_size)
    report = evaluate(extractor, str(file))
    if as_json:
        _echo_json(report.to_dict())
    else:
        typer.echo(f"{report.examples} examples, model {extractor.model_name}")
        typer.echo(f"{'class':<12} {'P':>6} {'R':>6} {'F1':>6} {'n':>6}")
        for label, m in report.classes.items():
            typer.echo(
                f"{label:<12} {m['precision']:>6.3f} {m['recall']:>6.3f} {m['f1']:>6.3f} "
                f"{int(m.get('support', 0)) if label != 'macro' else '':>6}"
            )
        typer.echo(f"{'identifier':<12} {'P':>6} {'R':>6} {'F1':>6} {'gold':>6}")
        for kind, m in report.identifiers.items():
            typer.echo(
                f"{kind:<12} {m['precision']:>6.3f} {m['recall']:>6.3f} {m['f1']:>6.3f} {int(m['gold']):>6}"
            )
        for err in report.misclassified[:show_errors]:
            typer.echo(f"  class {err['gold']} -> {err['predicted']}: {_short(err['text'])}")
        for err in report.identifier_errors[:show_errors]:
            typer.echo(
                f"  ids missed={err['missed']} spurious={err['spurious']}: {_short(str(err['text']))}"
            )
    failed = []
    if min_macro_f1 is not None and report.macro_f1 < min_macro_f1:
        failed.append(f"macro-F1 {report.macro_f1:.4f} < {min_macro_f1}")
    phone_f1 = report.identifiers.get("phone", {}).get("f1", 0.0)
    if min_phone_f1 is not None and phone_f1 < min_phone_f1:
        failed.append(f"phone F1 {phone_f1:.4f} < {min_phone_f1}")
    if failed:
        typer.echo("below the floor: " + "; ".join(failed), err=True)
        raise typer.Exit(1)


# -- demo -----------------------------------------------------------------------------------
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


def _short(text: str, width: int = 90) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def main() -> None:
    """Console entry point: run the app and turn scamtrail errors into a message and exit 1."""
    try:
        app()
    except ScamtrailError as exc:
        typer.echo(f"scamtrail: error: {exc}", err=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
