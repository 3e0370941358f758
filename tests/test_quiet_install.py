"""`make demo` on a fresh clone starts with the demo: the install step prints no build warnings.

The Makefile's own editable-install command (read with ``make --dry-run``) is run with the
project's pip into a scratch folder (``--target``, so the venv's own install is left alone),
without dependencies (they are not what warns), and must print nothing. setuptools warns when a
data folder is importable but not listed as a package, and always notes how an editable install
is mapped; pip relays both.
"""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _editable_install_command() -> str:
    plan = subprocess.run(
        ["make", "--dry-run", "--always-make", "install", f"BIN={Path(sys.executable).parent}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    [line] = [line for line in plan.splitlines() if " -e " in line]
    return line


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_editable_install_prints_nothing(tmp_path: Path) -> None:
    command = _editable_install_command().replace("'.[dev]'", ".")
    command += f" --no-deps --target {shlex.quote(str(tmp_path / 'target'))}"
    out = subprocess.run(command, shell=True, cwd=ROOT, capture_output=True, text=True, timeout=240)
    assert out.returncode == 0, out.stderr
    assert out.stdout + out.stderr == ""


def test_demo_recipe_is_not_echoed() -> None:
    makefile = (ROOT / "Makefile").read_text()
    recipe = makefile.split("\ndemo:", 1)[1].split("\n\n", 1)[0].splitlines()[1:]
    assert recipe and all(line.startswith("\t@") for line in recipe), recipe
