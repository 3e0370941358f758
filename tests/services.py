"""What the Kafka and search-engine fixtures share: finding, starting and giving up on a service,
and :class:`LocalService`, a private instance (its own ports and data directory) that a test may
stop and start.

Locally a service that cannot be had skips its tests with the reason; under ``CI=true`` it fails
them, so a CI run can never pass by skipping.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar, NoReturn

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
#: where deploy/local writes the endpoints of the services it started (``SCAMTRAIL_ENDPOINTS_FILE``
#: points a test session at another file)
ENDPOINTS_FILE = Path(
    os.environ.get("SCAMTRAIL_ENDPOINTS_FILE") or REPO_ROOT / ".services" / "endpoints.env"
)
START_TIMEOUT_S = 600  # a cold start includes the Maven fetch of the service's jars


def unavailable(service: str, reason: str) -> NoReturn:
    """Skip locally, fail under CI=true."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{service} unavailable under CI: {reason}", pytrace=False)
    pytest.skip(f"{service} unavailable: {reason}")


def keep_services() -> bool:
    """``KEEP_SERVICES=1``: a service this test session started stays up after it, for the next
    run; by default the session stops what it started (a service it found running stays)."""
    return os.environ.get("KEEP_SERVICES") == "1"


def endpoint_from_file(key: str) -> str | None:
    """``KEY=...`` from .services/endpoints.env (written by deploy/local), if present."""
    try:
        lines = ENDPOINTS_FILE.read_text().splitlines()
    except OSError:
        return None
    for line in lines:
        if line.startswith(f"{key}="):
            return line.partition("=")[2].strip() or None
    return None


def can_start(service: str, lib: str) -> None:
    """Give up (skip or fail) unless Java, and Maven or the already-fetched jars, are here."""
    java_home = os.environ.get("JAVA_HOME")
    if (
        not (java_home and (Path(java_home) / "bin" / "java").exists())
        and shutil.which("java") is None
    ):
        unavailable(service, "java not found (install a JDK 17+ or set JAVA_HOME)")
    if (
        shutil.which("mvn") is None
        and not (REPO_ROOT / ".services" / lib / "lib" / ".complete").exists()
    ):
        unavailable(service, "mvn not found, and the jars were never fetched")


def run_script(
    script: str, command: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``deploy/local/<script> COMMAND`` with extra environment; never raises on failure."""
    return subprocess.run(
        ["bash", str(REPO_ROOT / "deploy" / "local" / script), command],
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=START_TIMEOUT_S,
        check=False,
    )


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class LocalService:
    """A service of its own (two ports, a data directory) run through ``deploy/local/<script>``.

    A subclass names the script, what the failure message calls the service, and the three
    environment variables the script reads (main port, second port, data directory).
    """

    script: ClassVar[str]
    what: ClassVar[str]
    env_names: ClassVar[tuple[str, str, str]]

    data_dir: Path
    port: int = field(default_factory=free_port)
    #: The second port (Kafka's controller, the engine's transport): free, and not ``port``.
    second_port: int = 0

    def __post_init__(self) -> None:
        while self.second_port in (0, self.port):
            self.second_port = free_port()

    def _env(self) -> dict[str, str]:
        values = (str(self.port), str(self.second_port), str(self.data_dir))
        return dict(zip(self.env_names, values, strict=True))

    def start(self) -> None:
        """Start (or keep) the service; fail the test with the script's log if it cannot."""
        done = run_script(self.script, "start", self._env())
        if done.returncode != 0 or not self._started(done.stdout):
            pytest.fail(f"{self.what} did not start:\n{done.stderr[-3000:]}", pytrace=False)

    def _started(self, stdout: str) -> bool:
        """Read what the start printed; False when something the test needs is missing."""
        return True

    def stop(self) -> None:
        """Stop the service (SIGTERM, then SIGKILL after a bounded wait); its data stays."""
        run_script(self.script, "stop", self._env())
