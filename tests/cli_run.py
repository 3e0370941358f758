"""Running ``python -m scamtrail.cli`` in a subprocess, as the CLI tests do."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Mapping


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
