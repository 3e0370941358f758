"""A real ``scamtrail serve`` for the browser tests: a SQLite store under a fresh home, filled
from a few enriched records, one key per role, on a free loopback port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from scamtrail.index.sqlite import SqliteStore

from scamtrail.api.keys import KeyStore
from tests.conftest import enriched, repeat_alert
from tests.console.conftest import console_records


@dataclass
class Server:
    base: str
    home: Path
    tokens: dict[str, str]

    def store(self) -> SqliteStore:
        """The server's store, opened from this process (SQLite WAL: both see every write)."""
        return SqliteStore(self.home / "store.db")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fill(home: Path) -> dict[str, str]:
    """The store's records and alerts, and one key per role; returns the keys."""
    store = SqliteStore(home / "store.db")
    extra = [
        enriched(
            f"x:{10 + i}",
            f"Fake SBI KYC call from 98765 43210 again, day {i}",
            phones=("+919876543210",),
            author=f"citizen{i}",
            created_at=f"2026-03-{8 + i:02d}T1{i % 10}:00:00Z",
        )
        for i in range(6)
    ]
    store.write(console_records() + extra)
    ten = [f"x:{n}" for n in (1, 2, 3, 4, 10, 11, 12, 13, 14, 15)]
    store.record_alerts(
        [
            repeat_alert("+919876543210").model_copy(
                update={"message": "+919876543210 named in 2 complaints"}
            ),
            repeat_alert("+919876543210", 5).model_copy(
                update={
                    "complaint_ids": ten,
                    "complaint_count": 10,
                    "message": "+919876543210 named in 10 complaints",
                }
            ),
        ]
    )
    store.close()
    keys = KeyStore(home / "keys.db")
    tokens = {
        role: keys.create(f"{role.title()} Cyber Cell", role)[1]
        for role in ("investigator", "partner", "intake", "admin")
    }
    keys.close()
    return tokens


@contextmanager
def serving(home: Path) -> Iterator[Server]:
    """``scamtrail serve`` over ``home`` until the block ends."""
    tokens = fill(home)
    env = {**os.environ, "SCAMTRAIL_HOME": str(home), "SCAMTRAIL_LOG_LEVEL": "ERROR"}
    for name in ("SCAMTRAIL_BUS", "SCAMTRAIL_STORE", "SCAMTRAIL_METRICS_PORT"):
        env.pop(name, None)
    port = free_port()
    log = (home / "serve.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "scamtrail.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    try:
        deadline = time.monotonic() + 60
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
        yield Server(f"http://127.0.0.1:{port}", home, tokens)
    finally:
        server.terminate()
        server.wait(10)
        log.close()
