"""The ``scamtrail`` Typer app, its command groups and what every command module shares.

``settings()`` builds the settings once per invocation (the global ``--log-format``,
``--log-level`` and ``--metrics-port`` options override them); the command modules of this
package register their commands on ``app`` and its groups.
"""

from __future__ import annotations

import inspect
import json
import signal
import sys
import threading
from typing import Annotated, Any

import typer

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


#: Set by a command that leaves nothing to close when it returns (see :func:`end_without_teardown`).
_no_teardown: list[bool] = []


def end_without_teardown() -> None:
    """Let the process end as soon as this command has returned successfully, skipping the
    interpreter's teardown: freeing every module, table and model object one by one costs
    `scamtrail extract` 40-60 ms of CPU, a twentieth of a 20,000-tweet run. Only for a command
    that has closed what it opened (no store, no bus, no child process, no atexit work); only
    the console entry point (:func:`scamtrail.cli.main`) acts on it, never an in-process call."""
    _no_teardown.append(True)


def teardown_skippable() -> bool:
    return bool(_no_teardown)


def end_now() -> None:
    """Flush stdout, stderr and the log handlers, then end the process with status 0 (an
    error while flushing, such as a closed pipe, returns instead: the usual exit reports it)."""
    import logging
    import os

    try:
        sys.stdout.flush()
        sys.stderr.flush()
        logging.shutdown()
    except (OSError, ValueError):
        return
    os._exit(0)


def stop_on_signals() -> threading.Event:
    stop = threading.Event()

    def _handler(signum: int, frame: object) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, _handler)
    signal.signal(signal.SIGINT, _handler)
    return stop


def echo_json(obj: Any) -> None:
    typer.echo(json.dumps(obj, ensure_ascii=False, indent=2, default=str))


def short_text(text: str, width: int = 90) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def unwrapped_help(text: str) -> str:
    """A help text whose paragraphs are each one line, so the terminal wraps them at its own width
    (docstrings are wrapped for the source file; Typer keeps those line breaks). A line starting a
    list item (``- ``) keeps its break; a paragraph marked ``\\b`` (click's "keep as written")
    stays as it is."""
    paragraphs = []
    for paragraph in inspect.cleandoc(text).split("\n\n"):
        if paragraph.startswith("\b"):
            paragraphs.append(paragraph)
            continue
        lines: list[str] = []
        for line in paragraph.splitlines():
            if lines and not line.lstrip().startswith("- "):
                lines[-1] = f"{lines[-1]} {line.strip()}"
            else:
                lines.append(line.strip())
        paragraphs.append("\n".join(lines))
    return "\n\n".join(paragraphs)


def unwrap_help_texts(group: typer.Typer) -> None:
    """Give every command and sub-group of ``group`` (recursively) its help text unwrapped."""
    if isinstance(group.info.help, str):
        group.info.help = unwrapped_help(group.info.help)
    for command in group.registered_commands:
        text = command.help or (command.callback.__doc__ if command.callback else None)
        if text:
            command.help = unwrapped_help(text)
    for sub in group.registered_groups:
        if isinstance(sub.help, str):
            sub.help = unwrapped_help(sub.help)
        if sub.typer_instance is not None:
            unwrap_help_texts(sub.typer_instance)


def typed_identifier(value: str, region: str) -> tuple[str, str]:
    """(kind, normalised value) of an identifier typed as the VALUE argument; one that reads as no
    kind is a usage error naming VALUE."""
    from scamtrail.extract.identifiers import normalise_query

    try:
        return normalise_query(value, region)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="VALUE") from exc
