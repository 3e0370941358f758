"""Metrics and health for every long-running process, on ``SCAMTRAIL_METRICS_PORT``.

One small HTTP server (stdlib ``ThreadingHTTPServer`` on a daemon thread) answers:

- ``GET /metrics``: every Prometheus metric of :mod:`scamtrail.metrics`, in the text format;
- ``GET /healthz`` (liveness): 200 while every loop of the process is alive, with each loop's
  name and the seconds since it last completed a step (a poll, a batch, an emitted complaint);
  503 when a loop's thread died or a loop has not stepped for longer than its ``stuck_after_s``;
- ``GET /readyz`` (readiness): 200 when every dependency the process uses (bus, store) answers
  its ``health()`` call, 503 with a JSON body naming what is down. Answers are cached for
  ``cache_s`` and each check runs at most once at a time with a deadline, so probes can neither
  hammer Kafka or the search engine nor hang on them.

Loops report through a :class:`Heartbeat`: the thread that runs the loop calls ``running()``
once, ``beat()`` after each step and ``finished()`` when it ends on purpose (a replay that
reached the end of its file), so a finished loop is not mistaken for a dead one.

Usage::

    with serve_health(settings.metrics_port, [stage.heartbeat], {"bus": bus.health}):
        stage.run_forever()
"""

from __future__ import annotations

import errno
import json
import logging
import socket
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest

# Importing the metrics module registers every scamtrail family, so /metrics lists them all
# (with no samples yet) even before the first update.
from scamtrail import metrics
from scamtrail.errors import ConfigError

log = logging.getLogger("scamtrail.runtime.health")

#: Default seconds without a step after which a loop counts as stuck (Kafka calls time out after
#: 30 s, a publish to an unreachable broker after 120 s; a stage waiting on its store beats).
STUCK_AFTER_S = 180.0


class Heartbeat:
    """The liveness of one loop: when it last stepped, and whether its thread still runs.

    ``stuck_after_s=None`` never calls the loop stuck (a source waiting for tweets is idle,
    not stuck); its age is still reported.
    """

    def __init__(self, name: str, stuck_after_s: float | None = STUCK_AFTER_S) -> None:
        self.name = name
        self.stuck_after_s = stuck_after_s
        self._last = time.monotonic()
        self._stepped = False
        self._thread: threading.Thread | None = None
        self._finished = False

    def running(self) -> None:
        """Called by the thread that runs the loop, when the loop starts."""
        self._thread = threading.current_thread()
        self._finished = False
        self._last = time.monotonic()

    def beat(self) -> None:
        """The loop completed a step (or is alive waiting on a dependency)."""
        self._last = time.monotonic()
        self._stepped = True

    def finished(self) -> None:
        """The loop ended on purpose; its thread stopping is no failure."""
        self._finished = True

    def age_s(self) -> float:
        """Seconds since the last step (or since the loop started, before its first step)."""
        return time.monotonic() - self._last

    def problem(self) -> str | None:
        """Why this loop is not live (``dead`` or ``stuck ...``), or None when it is."""
        if self._thread is not None and not self._thread.is_alive() and not self._finished:
            return "dead: its thread has ended"
        if self._finished:
            return None
        age = self.age_s()
        if self.stuck_after_s is not None and age > self.stuck_after_s:
            return f"stuck: no step for {age:.0f}s (limit {self.stuck_after_s:.0f}s)"
        return None

    def report(self) -> dict[str, object]:
        """The JSON entry of this loop in ``/healthz``."""
        problem = self.problem()
        entry: dict[str, object] = {
            "status": "finished" if self._finished else ("ok" if problem is None else "failed"),
            "seconds_since_step": round(self.age_s(), 3),
            "stepped": self._stepped,
        }
        if problem:
            entry["problem"] = problem
        return entry


class _Check:
    """One dependency check, run at most once at a time and cached for ``cache_s``."""

    def __init__(self, name: str, probe: Callable[[], None], cache_s: float, timeout_s: float):
        self.name = name
        self.probe = probe
        self.cache_s = cache_s
        self.timeout_s = timeout_s
        self._lock = threading.Lock()
        self._result: str | None = None  # None: ok, else the error
        self._checked_at = float("-inf")
        self._running: threading.Thread | None = None

    def _run(self, out: list[str | None]) -> None:
        try:
            self.probe()
            out.append(None)
        except Exception as exc:  # noqa: BLE001 - any failure means "not ready"; the body names it
            out.append(f"{type(exc).__name__}: {exc}")

    def result(self) -> str | None:
        """None when the dependency answered, else why not (cached for ``cache_s``)."""
        with self._lock:
            now = time.monotonic()
            if now - self._checked_at < self.cache_s:
                return self._result
            if self._running is not None and self._running.is_alive():
                # The previous check is still hanging: never pile up threads on a dead service.
                self._result = f"no answer within {self.timeout_s:g}s"
                self._checked_at = now
                return self._result
            out: list[str | None] = []
            self._running = threading.Thread(
                target=self._run, args=(out,), name=f"readyz-{self.name}", daemon=True
            )
            self._running.start()
            self._running.join(self.timeout_s)
            self._result = out[0] if out else f"no answer within {self.timeout_s:g}s"
            self._checked_at = time.monotonic()
            return self._result


class HealthServer:
    """The ``/metrics``, ``/healthz`` and ``/readyz`` server (see the module docstring)."""

    def __init__(
        self,
        port: int,
        heartbeats: Sequence[Heartbeat] = (),
        checks: Mapping[str, Callable[[], None]] | None = None,
        *,
        host: str = "0.0.0.0",  # noqa: S104 - probes and Prometheus come from outside the pod
        cache_s: float = 1.5,
        check_timeout_s: float = 3.0,
        registry: CollectorRegistry = metrics.REGISTRY,
        setting: str = "SCAMTRAIL_METRICS_PORT (or --metrics-port)",
    ) -> None:
        self.heartbeats = list(heartbeats)
        self.checks = [
            _Check(name, probe, cache_s, check_timeout_s) for name, probe in (checks or {}).items()
        ]
        self.registry = registry
        try:
            self._httpd = ThreadingHTTPServer((host, port), _handler_for(self))
        except OSError as exc:
            raise port_error(host, port, setting, exc) from exc
        self._httpd.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        """The bound port (useful when constructed with port 0)."""
        return int(self._httpd.server_address[1])

    def add_heartbeat(self, heartbeat: Heartbeat) -> None:
        """Report one more loop in ``/healthz``."""
        self.heartbeats.append(heartbeat)

    def liveness(self) -> tuple[int, dict[str, object]]:
        """HTTP status and body of ``/healthz``."""
        loops = {hb.name: hb.report() for hb in self.heartbeats}
        live = all(hb.problem() is None for hb in self.heartbeats)
        return (200 if live else 503), {"live": live, "loops": loops}

    def readiness(self) -> tuple[int, dict[str, object]]:
        """HTTP status and body of ``/readyz``."""
        results = {c.name: c.result() for c in self.checks}
        down = {name: error for name, error in results.items() if error is not None}
        body: dict[str, object] = {
            "ready": not down,
            "checks": {
                name: ("ok" if error is None else "down") for name, error in results.items()
            },
        }
        if down:
            body["down"] = down
        return (503 if down else 200), body

    def start(self) -> HealthServer:
        """Serve from a daemon thread; returns self."""
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, name="health-server", daemon=True
        )
        self._thread.start()
        log.info(
            "serving /metrics, /healthz, /readyz",
            extra={"stage": "health", "port": self.port},
        )
        return self

    def stop(self) -> None:
        """Stop serving and release the port."""
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join(5)
            self._thread = None
        self._httpd.server_close()


def port_error(host: str, port: int, setting: str, exc: OSError) -> ConfigError:
    """The one-line error for a port we cannot bind, naming the setting that chose it."""
    reason = (
        "is already in use"
        if exc.errno == errno.EADDRINUSE
        else f"cannot be bound ({exc.strerror or exc})"
    )
    return ConfigError(
        f"port {port} on {host} {reason}: stop what holds it or set {setting} to a free port"
    )


def bind_port(host: str, port: int, setting: str) -> socket.socket:
    """A TCP socket bound to ``host:port`` for a server to listen on (``scamtrail serve``).

    A port that cannot be bound raises :func:`port_error`'s ConfigError naming ``setting``.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise port_error(host, port, setting, exc) from exc
    return sock


def _handler_for(server: HealthServer) -> type[BaseHTTPRequestHandler]:
    class _Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the name http.server dispatches to
            path = self.path.split("?", 1)[0]
            if path == "/metrics":
                self._send(200, generate_latest(server.registry), CONTENT_TYPE_LATEST)
            elif path == "/healthz":
                self._json(*server.liveness())
            elif path == "/readyz":
                self._json(*server.readiness())
            else:
                self._json(404, {"error": f"no such path {path}; try /metrics /healthz /readyz"})

        def _json(self, status: int, body: dict[str, object]) -> None:
            self._send(status, json.dumps(body).encode(), "application/json")

        def _send(self, status: int, payload: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass  # probes every few seconds would flood the logs

    return _Handler


@contextmanager
def serve_health(
    port: int | None,
    heartbeats: Sequence[Heartbeat] = (),
    checks: Mapping[str, Callable[[], None]] | None = None,
    **options: object,
) -> Iterator[HealthServer | None]:
    """Run a :class:`HealthServer` on ``port`` for the duration of the block (nothing if None)."""
    if port is None:
        yield None
        return
    server = HealthServer(port, heartbeats, checks, **options).start()  # type: ignore[arg-type]
    try:
        yield server
    finally:
        server.stop()
