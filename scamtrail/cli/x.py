"""``scamtrail ingest stream`` and ``scamtrail ingest poll``: complaints from the X API v2.

:func:`register` adds both commands to the ``ingest`` group. Each opens the bus, wraps it in an
:class:`~scamtrail.runtime.stages.Ingestor` and runs the source; SIGTERM and SIGINT ask the source to
stop (it finishes the tweet in hand, writes its checkpoint and returns). The bearer token comes
from ``SCAMTRAIL_X_BEARER_TOKEN`` (or the settings file), or from ``--bearer-token-file``; it is
never printed. Checkpoints live in ``<home>/state/`` unless ``--state-dir`` says otherwise.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from scamtrail.errors import ConfigError

if TYPE_CHECKING:  # imported where used: `scamtrail --help` and other commands need neither
    from pydantic import SecretStr

    from scamtrail.settings import Settings

log = logging.getLogger("scamtrail.cli")
_SIGNALS = (signal.SIGTERM, signal.SIGINT)
_TOKEN_HELP = (
    "File holding the X API bearer token (instead of SCAMTRAIL_X_BEARER_TOKEN). "
    "The token is never logged or written to the checkpoint."
)
_STATE_HELP = "Directory for the checkpoint file (default: <home>/state)."

STREAM_HELP = """Stream complaints live from the X API v2 filtered stream to the raw topic.

Stream rules for the handles and hashtags are synced at start (missing ones added,
stale ones with our tag deleted). Disconnects are retried the way X asks (linear
backoff for network errors, exponential for HTTP errors, until the reset time for
429); a stream silent for --stall-timeout seconds is reconnected. Whatever was posted
while disconnected, or while this command was not running, is fetched with recent
search from the checkpoint (the newest tweet id delivered, in
<home>/state/x_stream.json), so nothing is lost and nothing doubled. Ctrl-C or SIGTERM
stops it.

The bearer token comes from SCAMTRAIL_X_BEARER_TOKEN or --bearer-token-file; the API
base URL from SCAMTRAIL_X_API_URL (default https://api.x.com).
"""

POLL_HELP = """Poll X API v2 recent search for complaints (for access levels without the stream).

Every --interval seconds it asks for tweets newer than the checkpoint (the newest id
delivered, in <home>/state/x_poll.json), follows every page and publishes them oldest
first. On a 429 it waits until X's rate-limit reset time. Without a checkpoint it
starts from now, or from --backfill-since. Ctrl-C or SIGTERM stops it after the batch
in hand.

The bearer token comes from SCAMTRAIL_X_BEARER_TOKEN or --bearer-token-file; the API
base URL from SCAMTRAIL_X_API_URL (default https://api.x.com).
"""


def _unwrap(text: str) -> str:
    """Help text with paragraphs on one line each (the terminal wraps them)."""
    return "\n\n".join(" ".join(p.split()) for p in text.strip().split("\n\n"))


def read_token_file(path: Path) -> SecretStr:
    """The bearer token stored in ``path`` (surrounding whitespace removed)."""
    from pydantic import SecretStr

    try:
        text = path.read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise ConfigError(f"cannot read the bearer token file {path}: {exc.strerror}") from exc
    if not text:
        raise ConfigError(f"the bearer token file {path} is empty")
    return SecretStr(text)


def _token(settings: Settings, token_file: Path | None) -> SecretStr | None:
    return read_token_file(token_file) if token_file is not None else settings.x_bearer_token


def _parse_since(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError as exc:
        raise typer.BadParameter(
            f"{value!r} is not an ISO-8601 time such as 2026-11-29T18:00:00Z",
            param_hint="--backfill-since",
        ) from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def run_source(settings: Settings, source: Any) -> tuple[int, int]:
    """Run ``source`` into the bus until it returns; SIGTERM/SIGINT stop it.

    The source runs in a worker thread so the signal handler (main thread) never contends with
    it for a lock; its exception, if any, is raised here. The first signal asks the source to
    stop (it finishes the tweet in hand and its checkpoint); a second one gets the default
    handling, for a source stuck in a slow call. Returns (published, rejected).
    """
    from scamtrail.bus import open_bus
    from scamtrail.runtime.health import serve_health
    from scamtrail.runtime.ingestor import Ingestor

    errors: list[BaseException] = []
    with open_bus(settings) as bus:
        ingestor = Ingestor(bus, source_name="x")

        def _work() -> None:
            try:
                ingestor.run(source)
            except BaseException as exc:  # handed to the main thread below
                errors.append(exc)

        worker = threading.Thread(target=_work, name=f"ingest-{source.name}", daemon=True)
        previous: dict[int, Any] = {}

        def _on_signal(signum: int, frame: object) -> None:
            log.info("stopping on signal", extra={"stage": "ingest", "signal": signum})
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            source.stop()

        if threading.current_thread() is threading.main_thread():
            previous = {sig: signal.signal(sig, _on_signal) for sig in _SIGNALS}
        try:
            with serve_health(settings.metrics_port, [ingestor.heartbeat], {"bus": bus.health}):
                worker.start()
                while worker.is_alive():
                    worker.join(0.2)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
    if errors:
        raise errors[0]
    return ingestor.published, ingestor.rejected


def build_stream_source(
    settings: Settings,
    *,
    handles: list[str] | None = None,
    hashtags: list[str] | None = None,
    rules: list[str] | None = None,
    bearer_token_file: Path | None = None,
    state_dir: Path | None = None,
    **options: Any,
) -> Any:
    """An XStreamSource from settings (``x_handles``, ``x_hashtags``) and command-line options."""
    from scamtrail.ingest.x_stream import XStreamSource

    return XStreamSource(
        bearer_token=_token(settings, bearer_token_file),
        handles=handles or list(settings.x_handles),
        hashtags=hashtags or list(settings.x_hashtags),
        rules=rules or [],
        api_url=settings.x_api_url,
        state_dir=state_dir or settings.home / "state",
        **options,
    )


def register(ingest_app: typer.Typer, get_settings: Callable[[], Settings]) -> None:
    """Add the ``stream`` and ``poll`` commands to the ``ingest`` group."""

    @ingest_app.command("stream", help=_unwrap(STREAM_HELP))
    def stream(
        handle: Annotated[
            list[str] | None,
            typer.Option(
                "--handle",
                help="X handle whose mentions and replies are complaints (repeatable), "
                "e.g. --handle MumbaiPolice.",
            ),
        ] = None,
        hashtag: Annotated[
            list[str] | None, typer.Option("--hashtag", help="Hashtag to watch (repeatable).")
        ] = None,
        rule: Annotated[
            list[str] | None,
            typer.Option("--rule", help="Extra stream rule in X's rule syntax (repeatable)."),
        ] = None,
        rule_tag: Annotated[
            str,
            typer.Option(
                help="Rules are tagged scamtrail:<this>; only rules with this tag are deleted "
                "when no longer wanted."
            ),
        ] = "x",
        bearer_token_file: Annotated[
            Path | None, typer.Option(help=_TOKEN_HELP, exists=True, dir_okay=False)
        ] = None,
        state_dir: Annotated[Path | None, typer.Option(help=_STATE_HELP)] = None,
        stall_timeout: Annotated[
            float,
            typer.Option(help="Seconds without data or keep-alive before reconnecting."),
        ] = 20.0,
        gap_fill: Annotated[
            bool,
            typer.Option(
                help="After a disconnect, fetch what was missed with recent search "
                "(needs an access level with recent search)."
            ),
        ] = True,
        settle: Annotated[
            float,
            typer.Option(
                help="Seconds after a gap fill to search the gap once more, for tweets search "
                "indexed late (0: off)."
            ),
        ] = 15.0,
    ) -> None:
        """Stream complaints live from the X filtered stream (see STREAM_HELP)."""
        s = get_settings()
        source = build_stream_source(
            s,
            handles=handle,
            hashtags=hashtag,
            rules=rule,
            bearer_token_file=bearer_token_file,
            state_dir=state_dir,
            rule_tag=rule_tag,
            gap_fill=gap_fill,
            settle_s=settle,
            stall_timeout_s=stall_timeout,
        )
        published, rejected = run_source(s, source)
        typer.echo(f"published {published} complaints; rejected {rejected} lines", err=True)

    @ingest_app.command("poll", help=_unwrap(POLL_HELP))
    def poll(
        query: Annotated[
            str | None,
            typer.Option(help="Recent-search query (default: built from --handle/--hashtag)."),
        ] = None,
        handle: Annotated[
            list[str] | None,
            typer.Option("--handle", help="X handle whose mentions and replies to poll."),
        ] = None,
        hashtag: Annotated[
            list[str] | None, typer.Option("--hashtag", help="Hashtag to poll (repeatable).")
        ] = None,
        interval: Annotated[float, typer.Option(help="Seconds between rounds.")] = 60.0,
        once: Annotated[
            bool, typer.Option("--once", help="Run one round and exit (for cron).")
        ] = False,
        backfill_since: Annotated[
            str | None,
            typer.Option(
                help="Also fetch tweets since this UTC time (ISO-8601; recent search reaches "
                "back seven days), even if the checkpoint is newer."
            ),
        ] = None,
        bearer_token_file: Annotated[
            Path | None, typer.Option(help=_TOKEN_HELP, exists=True, dir_okay=False)
        ] = None,
        state_dir: Annotated[Path | None, typer.Option(help=_STATE_HELP)] = None,
        settle: Annotated[
            float,
            typer.Option(
                help="Ask only for tweets at least this many seconds old, so one that search "
                "indexes late is not skipped (X wants 10 at least; 0: off)."
            ),
        ] = 15.0,
    ) -> None:
        """Poll X recent search for complaints (see POLL_HELP)."""
        from scamtrail.ingest.x_poll import XPollSource

        s = get_settings()
        source = XPollSource(
            bearer_token=_token(s, bearer_token_file),
            query=query,
            handles=handle or [],
            hashtags=hashtag or [],
            api_url=s.x_api_url,
            state_dir=state_dir or s.home / "state",
            interval_s=interval,
            once=once,
            backfill_since=_parse_since(backfill_since),
            settle_s=settle,
        )
        published, rejected = run_source(s, source)
        typer.echo(f"published {published} complaints; rejected {rejected} tweets", err=True)
