"""A service a test session starts is stopped at the session's end, unless KEEP_SERVICES=1.

Each case runs a small pytest session in a subprocess that needs a Kafka broker and finds none
(the endpoints it is pointed at are dead), so the session's fixture starts a private broker on
free ports, and the case then looks at the broker's port after the session has ended.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.services import REPO_ROOT, free_port, run_script

INNER_TEST = """
import os

def test_needs_a_broker(kafka_url):
    # the broker this session started, on the private port (not a shared one found elsewhere)
    assert kafka_url == "kafka://127.0.0.1:" + os.environ["KAFKA_PORT"]
"""


def _answers(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return False
    return True


def _session(tmp_path: Path, keep: bool) -> tuple[subprocess.CompletedProcess[str], dict[str, str]]:
    (tmp_path / "test_inner.py").write_text(INNER_TEST)
    service_env = {
        "KAFKA_PORT": str(free_port()),
        "KAFKA_CONTROLLER_PORT": str(free_port()),
        "KAFKA_DATA_DIR": str(tmp_path / "kafka"),
    }
    env = {
        **os.environ,
        **service_env,
        "KAFKA_URL": f"kafka://127.0.0.1:{free_port()}",  # nobody listens there
        "SCAMTRAIL_ENDPOINTS_FILE": str(tmp_path / "no-endpoints.env"),
    }
    env.pop("KEEP_SERVICES", None)
    if keep:
        env["KEEP_SERVICES"] = "1"
    command = [sys.executable, "-m", "pytest", "-q", "-p", "tests.fixtures_kafka", "-c", os.devnull]
    done = subprocess.run(
        [*command, "--rootdir", str(tmp_path), str(tmp_path / "test_inner.py")],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    return done, service_env


@pytest.mark.kafka
@pytest.mark.slow
def test_a_broker_the_session_started_is_stopped_after_it(tmp_path: Path) -> None:
    done, service_env = _session(tmp_path, keep=False)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "1 passed" in done.stdout
    assert not _answers(int(service_env["KAFKA_PORT"])), "the session left its broker running"


@pytest.mark.kafka
@pytest.mark.slow
def test_keep_services_leaves_it_up(tmp_path: Path) -> None:
    done, service_env = _session(tmp_path, keep=True)
    try:
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
        assert _answers(int(service_env["KAFKA_PORT"])), "KEEP_SERVICES=1 should keep the broker"
    finally:
        run_script("kafka.sh", "stop", service_env)
    assert not _answers(int(service_env["KAFKA_PORT"]))


@pytest.mark.parametrize(
    ("script", "setting", "data_dir"),
    [
        pytest.param("kafka.sh", "KAFKA_PORT", "KAFKA_DATA_DIR", marks=pytest.mark.kafka),
        pytest.param("search.sh", "SEARCH_PORT", "SEARCH_DATA_DIR", marks=pytest.mark.opensearch),
        pytest.param(
            "elasticsearch.sh",
            "ELASTICSEARCH_PORT",
            "ELASTICSEARCH_DATA_DIR",
            marks=pytest.mark.elasticsearch,
        ),
    ],
)
def test_a_taken_port_is_one_line_naming_the_holder_and_the_setting(
    tmp_path: Path, script: str, setting: str, data_dir: str
) -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        done = run_script(script, "start", {setting: str(port), data_dir: str(tmp_path)})
    assert done.returncode == 1
    errors = [line for line in done.stderr.splitlines() if "error:" in line]
    assert len(errors) == 1, done.stderr
    assert f"port {port} is taken by " in errors[0]
    if shutil.which("ss"):  # ss names the process holding the port
        assert f"pid {os.getpid()}" in errors[0]
    assert errors[0].endswith(f"set {setting})")
