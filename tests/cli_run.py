"""Running ``python -m scamtrail.cli`` in a subprocess, as the CLI tests do."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path


def run_cli(
    env: Mapping[str, str],
    *args: str,
    input: str | None = None,
    check: bool = True,
    timeout: float = 300,
) -> subprocess.CompletedProcess[str]:
    """``scamtrail ARGS`` with exactly ``env``; output captured as text."""
    return subprocess.run(
        [sys.executable, "-m", "scamtrail.cli", *args],
        env=dict(env),
        input=input,
        capture_output=True,
        text=True,
        check=check,
        timeout=timeout,
    )


@contextmanager
def serving(env: Mapping[str, str], home: Path, start_timeout: float = 60) -> Iterator[str]:
    """A real ``scamtrail serve`` with ``env`` on a free loopback port until the block ends; yields
    its base URL. Its stderr goes to ``home/serve.log``, shown when it does not start."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    log = (home / "serve.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "scamtrail.cli", "serve", "--port", str(port)],
        env=dict(env),
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    try:
        deadline = time.monotonic() + start_timeout
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(
                        f"serve did not start: {(home / 'serve.log').read_text()}"
                    ) from None
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(10)
        log.close()
