"""What the Kafka and search-engine fixtures share: finding, starting and giving up on a service.

Locally a service that cannot be had skips its tests with the reason; under ``CI=true`` it fails
them, so a CI run can never pass by skipping.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import NoReturn

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
ENDPOINTS_FILE = REPO_ROOT / ".services" / "endpoints.env"
START_TIMEOUT_S = 600  # a cold start includes the Maven fetch of the service's jars


def unavailable(service: str, reason: str) -> NoReturn:
    """Skip locally, fail under CI=true."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{service} unavailable under CI: {reason}", pytrace=False)
    pytest.skip(f"{service} unavailable: {reason}")


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
