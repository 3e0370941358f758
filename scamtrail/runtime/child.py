"""A consumer stage in a child process, so ``scamtrail run`` works on two cores.

``scamtrail run`` runs ingest and the process stage in its own process and the index stage in a
child started with the ``spawn`` method (:class:`StageProcess`). Both use the same bus (the
embedded SQLite log takes writers from several processes; Kafka is built for it) and the index
stage is the only writer of the store. Everything an operator sees stays in the parent:

- the child reports every ``report_every_s`` over a pipe: its heartbeat (shown in the parent's
  ``/healthz`` as the ``index`` loop, ``dead`` once the child process is gone), its counters and
  its ``scamtrail_*`` metric families, which the parent's ``/metrics`` merges into its own
  (:class:`scamtrail.metrics.MergedRegistry`);
- stopping is the parent's: the child ignores SIGINT (a Ctrl-C reaches the whole process group),
  and on ``stop`` from the parent, on SIGTERM, or when the pipe closes because the parent died
  (even by ``kill -9``) it finishes its batch, commits and exits, so it never outlives the parent
  for more than a batch;
- ``drain`` tells the child its upstream has finished: it exits once its group has committed
  everything (``until_drained`` of :func:`scamtrail.runtime.stages.run_all`);
- a child that fails (an exception, a non-zero exit, a kill) raises :class:`StageProcessError`
  in the parent, so the command exits non-zero.

The stage the child runs is built there by a picklable factory ``(bus, store, settings, stop)``
(default :func:`index_stage`); its :meth:`~scamtrail.runtime.stages.ConsumerStage.summary` comes back
to the parent in :attr:`StageProcess.summary` when it ends.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import signal
import sys
import threading
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING, Any

from prometheus_client.metrics_core import Metric

from scamtrail import metrics
from scamtrail.errors import ScamtrailError
from scamtrail.runtime.health import Heartbeat
from scamtrail.settings import Settings

log = logging.getLogger("scamtrail.runtime.child")

#: Seconds between the child's reports (heartbeat, counters, metrics) to the parent.
REPORT_EVERY_S = 0.5
#: Seconds the parent waits for a stopped child to finish its batch before killing it.
STOP_GRACE_S = 60.0

if TYPE_CHECKING:  # the stages are imported where they run, not into every process
    from scamtrail.bus.base import Bus
    from scamtrail.index.base import Store
    from scamtrail.runtime.consumer import ConsumerStage

StageFactory = Callable[["Bus", "Store", Settings, threading.Event], "ConsumerStage"]


class StageProcessError(ScamtrailError):
    """A stage running in a child process failed or ended unexpectedly."""


def index_stage(bus: Bus, store: Store, settings: Settings, stop: threading.Event) -> ConsumerStage:
    """The index stage as ``settings`` configure it (the default child stage)."""
    from scamtrail.runtime.stages import IndexStage

    return IndexStage.from_settings(bus, store, settings, stop=stop)


class RemoteHeartbeat(Heartbeat):
    """The heartbeat of a loop in a child process, as the child last reported it."""

    def __init__(self, name: str, alive: Callable[[], bool]) -> None:
        super().__init__(name)
        self._alive = alive
        self._reported_age: float | None = None
        self._reported_at = 0.0

    def update(self, age_s: float, stepped: bool, finished: bool) -> None:
        """Take the child's report: seconds since its last step, whether it stepped or ended."""
        if stepped:
            self.beat()
        if finished:
            self.finished()
        self._reported_age = age_s
        self._reported_at = time.monotonic()

    def age_s(self) -> float:
        """Seconds since the child's loop last stepped (as of its last report, plus since)."""
        if self._reported_age is None:
            return super().age_s()
        return self._reported_age + (time.monotonic() - self._reported_at)

    def problem(self) -> str | None:
        """``dead`` once the child process is gone without finishing, else as a local loop."""
        if not self._alive() and not self._finished:
            return "dead: its process has ended"
        return super().problem()


class StageProcess:
    """A consumer stage running in a child process, seen from the parent (see the module doc).

    ``start()`` it; ``check()`` while working (it raises if the child failed); then ``drain()``
    (end once everything upstream is committed) or ``stop()``, and ``wait()`` for the end.
    ``close()`` stops and waits without raising, for cleanup after another error.
    """

    def __init__(
        self,
        settings: Settings,
        factory: StageFactory = index_stage,
        *,
        name: str = "index",
        registry: metrics.MergedRegistry | None = None,
        report_every_s: float = REPORT_EVERY_S,
    ) -> None:
        self.settings = settings
        self.factory = factory
        self.name = name
        self.registry = registry
        self.report_every_s = report_every_s
        self.heartbeat = RemoteHeartbeat(name, self.is_alive)
        #: Messages the child handled and dead-lettered so far (as of its last report).
        self.handled = 0
        self.dead_lettered = 0
        #: The child stage's ``summary()`` once it has ended cleanly.
        self.summary: dict[str, Any] = {}
        self._error: str | None = None
        self._ended = threading.Event()  # the child said "done" or "error", or the pipe closed
        self._clean = False
        self._process: multiprocessing.process.BaseProcess | None = None
        self._conn: Connection | None = None
        self._reader: threading.Thread | None = None

    def start(self) -> StageProcess:
        """Start the child; returns self."""
        ctx = multiprocessing.get_context("spawn")
        parent_end, child_end = ctx.Pipe()
        # daemon: if the parent ever exits without joining, multiprocessing terminates the child.
        self._process = ctx.Process(
            target=_child_main,
            args=(child_end, self.settings, self.factory, self.report_every_s),
            name=f"scamtrail-{self.name}",
            daemon=True,
        )
        self._process.start()
        child_end.close()  # only the child holds it now: its end closes when the child exits
        self._conn = parent_end
        self._reader = threading.Thread(target=self._read, name=f"{self.name}-reports", daemon=True)
        self._reader.start()
        self.heartbeat.running()
        return self

    def is_alive(self) -> bool:
        """Whether the child process still runs."""
        return self._process is not None and self._process.is_alive()

    def _read(self) -> None:
        assert self._conn is not None
        try:
            while True:
                kind, payload = self._conn.recv()
                if kind in ("report", "done"):
                    self._take(payload)
                if kind == "done":
                    self.summary = payload["summary"]
                    self._clean = True
                    return
                if kind == "error":
                    self._error = str(payload)
                    return
        except (EOFError, OSError):
            return  # the child is gone; join() tells how it ended
        finally:
            self._ended.set()

    def _take(self, report: dict[str, Any]) -> None:
        self.handled = report["handled"]
        self.dead_lettered = report["dead_lettered"]
        self.heartbeat.update(report["age_s"], report["stepped"], report["finished"])
        if self.registry is not None:
            self.registry.update_remote(self.name, report["families"])

    def _send(self, command: str) -> None:
        if self._conn is None:
            return
        with contextlib.suppress(OSError):  # the child already ended; join() reports how
            self._conn.send(command)

    def drain(self) -> None:
        """Upstream has finished: the child ends once its group has committed everything."""
        self._send("drain")

    def stop(self) -> None:
        """Ask the child to finish its batch, commit and end."""
        self._send("stop")

    def check(self) -> bool:
        """Whether the child has ended; raises :class:`StageProcessError` if it failed.

        A child that ended cleanly without being asked was stopped on its own (a SIGTERM sent
        to it): the caller stops too.
        """
        if not self._ended.is_set():
            return False
        if not self._clean:
            self.join(0)
        return True

    def wait(self, stop: threading.Event | None = None) -> None:
        """Wait for the child to end; if ``stop`` is set meanwhile, ask it to stop first.

        Raises :class:`StageProcessError` if it failed.
        """
        while stop is not None and not stop.is_set():
            if self._ended.wait(0.1):
                break
        else:
            if stop is not None:
                self.stop()
        self.join(None if stop is None else STOP_GRACE_S)

    def join(self, timeout_s: float | None = STOP_GRACE_S) -> None:
        """Wait for the child to end (killing it after ``timeout_s``); raise if it failed."""
        if self._process is None:
            return
        self._ended.wait(timeout_s)
        self._process.join(5.0 if self._ended.is_set() else 0)
        if self._process.is_alive():
            log.error("stage process did not stop; killing it", extra={"stage": self.name})
            self._process.kill()
            self._process.join()
        if self._reader is not None:
            self._reader.join(5.0)
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        code = self._process.exitcode
        if self._clean and code == 0:
            return
        why = self._error or f"its process exited with code {code}"
        raise StageProcessError(f"the {self.name} stage failed: {why}")

    def close(self) -> None:
        """Stop the child and wait for it, without raising (for cleanup after another error)."""
        if self._process is None or self._conn is None:
            return
        self.stop()
        try:
            self.join()
        except StageProcessError as exc:
            log.error("stage process failed", extra={"stage": self.name, "error": str(exc)})


def _families() -> list[Metric]:
    """This process's scamtrail metric families (not the process_* / python_* defaults)."""
    return [f for f in metrics.REGISTRY.collect() if f.name.startswith("scamtrail_")]


def _report(stage: ConsumerStage) -> dict[str, Any]:
    beat = stage.heartbeat.report()
    return {
        "handled": stage.handled,
        "dead_lettered": stage.dead_lettered,
        "age_s": stage.heartbeat.age_s(),
        "stepped": beat["stepped"],
        "finished": beat["status"] == "finished",
        "families": _families(),
    }


def _child_main(
    conn: Connection, settings: Settings, factory: StageFactory, report_every_s: float
) -> None:
    """The child process: build the stage, run it until stopped or drained, report."""
    from scamtrail.bus import open_bus
    from scamtrail.index import open_store
    from scamtrail.logs import secrets_of, setup_logging

    stop, drained, done = threading.Event(), threading.Event(), threading.Event()
    # The parent decides when to stop: Ctrl-C reaches every process of the group, and stopping
    # the child first would leave the parent's stage without its consumer.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, lambda signum, frame: stop.set())
    setup_logging(settings.log_level, settings.log_format, secrets_of(settings))
    send_lock = threading.Lock()

    def send(kind: str, payload: object) -> None:
        with send_lock:
            conn.send((kind, payload))

    def listen() -> None:
        try:
            while True:
                command = conn.recv()
                (drained if command == "drain" else stop).set()
        except (EOFError, OSError):
            stop.set()  # the parent is gone (even killed): finish the batch and end

    threading.Thread(target=listen, name="parent-commands", daemon=True).start()
    try:
        with open_bus(settings) as bus, open_store(settings) as store:
            stage = factory(bus, store, settings, stop)

            def report() -> None:
                while not done.wait(report_every_s):
                    try:
                        send("report", _report(stage))
                    except OSError:
                        return

            threading.Thread(target=report, name="reports", daemon=True).start()
            stage.run_forever(drained=drained)
            done.set()
            with contextlib.suppress(OSError):  # the parent is gone: nobody to tell
                send("done", {**_report(stage), "summary": stage.summary()})
    except BaseException as exc:  # the child's boundary: the parent gets the error, exit 1
        done.set()
        log.exception("stage process failed", extra={"error": str(exc)})
        with contextlib.suppress(OSError):  # the parent is gone: nobody to tell
            send("error", f"{type(exc).__name__}: {exc}")
        sys.exit(1)
