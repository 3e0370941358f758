"""A port that is already taken is one line naming the setting, not a traceback.

A real socket holds the port, as a running ``scamtrail run`` or any other server would.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from scamtrail.errors import ConfigError
from scamtrail.runtime.health import HealthServer, bind_port


@pytest.fixture
def taken_port() -> Iterator[int]:
    holder = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    holder.bind(("0.0.0.0", 0))  # noqa: S104 - hold the port on every address
    holder.listen(1)
    try:
        yield holder.getsockname()[1]
    finally:
        holder.close()


def _scamtrail(home: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "scamtrail.cli", *args],
        env={**os.environ, "SCAMTRAIL_HOME": str(home), "SCAMTRAIL_LOG_FORMAT": "text", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def _one_line_error(out: subprocess.CompletedProcess[str], *words: str) -> None:
    lines = out.stderr.strip().splitlines()
    assert out.returncode == 1, out.stderr
    assert "Traceback" not in out.stderr
    assert len(lines) == 1, out.stderr
    assert lines[0].startswith("scamtrail: error: port ")
    for word in words:
        assert word in lines[0]


def test_health_server_names_the_setting(taken_port: int) -> None:
    with pytest.raises(ConfigError, match="SCAMTRAIL_METRICS_PORT") as info:
        HealthServer(taken_port)
    assert f"port {taken_port}" in str(info.value)
    assert "already in use" in str(info.value)


def test_bind_port_names_the_setting(taken_port: int) -> None:
    with pytest.raises(ConfigError, match="SCAMTRAIL_API__PORT"):
        bind_port("127.0.0.1", taken_port, "SCAMTRAIL_API__PORT")


def test_second_command_beside_a_running_one(home: Path, taken_port: int, tmp_path: Path) -> None:
    replay = tmp_path / "one.jsonl"
    replay.write_text('{"id": "1", "text": "caller 9876543210 asked my OTP"}\n')
    out = _scamtrail(home, "ingest", "replay", str(replay), SCAMTRAIL_METRICS_PORT=str(taken_port))
    _one_line_error(out, str(taken_port), "SCAMTRAIL_METRICS_PORT", "--metrics-port")


def test_serve_on_a_taken_port(home: Path, taken_port: int) -> None:
    out = _scamtrail(home, "serve", "--port", str(taken_port))
    _one_line_error(out, str(taken_port), "SCAMTRAIL_API__PORT", "--port")
