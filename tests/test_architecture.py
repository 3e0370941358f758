"""The package layout of docs/architecture.md, enforced: who may import whom, and room sizes.

Every import in every module counts, the ones inside functions too (a lazy import is still a
dependency). A module belongs to the first room in ``ROOMS`` whose prefix it starts with.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
#: Source folder -> the package it installs as (pyproject.toml's package-dir).
PACKAGE_DIRS = {
    "scamtrail": "scamtrail",
    "ingest": "scamtrail.ingest",
    "extract": "scamtrail.extract",
    "index": "scamtrail.index",
}
#: Rooms, most specific first: (room, module prefixes).
ROOMS: list[tuple[str, tuple[str, ...]]] = [
    ("ingest", ("scamtrail.ingest",)),
    ("extract", ("scamtrail.extract",)),
    ("index", ("scamtrail.index",)),
    ("bus", ("scamtrail.bus",)),
    ("runtime", ("scamtrail.runtime",)),
    ("api", ("scamtrail.api",)),
    ("console", ("scamtrail.console",)),
    ("cli", ("scamtrail.cli",)),
    ("demo", ("scamtrail.demo",)),
    ("bench", ("scamtrail.bench",)),
    (
        "contract",
        (
            "scamtrail.records",
            "scamtrail.settings",
            "scamtrail.errors",
            "scamtrail.logs",
            "scamtrail.metrics",
            "scamtrail.sqlite_db",
            "scamtrail.resources",
            "scamtrail",  # the package itself (its version)
        ),
    ),
]
STAGES = {"ingest", "extract", "index"}
#: room -> the rooms it may import (besides itself). The picture in docs/architecture.md.
ALLOWED: dict[str, set[str]] = {
    "contract": set(),
    "bus": {"contract"},
    "ingest": {"contract"},
    "extract": {"contract"},
    "index": {"contract"},
    "runtime": {"contract", "bus", *STAGES},
    "api": {"contract", "bus", "runtime", "console", *STAGES},
    "console": {"contract", "runtime", *STAGES},
    "demo": {"contract", "bus", "runtime", *STAGES},
    "bench": {"contract", "bus", "runtime", "api", "console", *STAGES},  # api: the console case
    "cli": {"contract", "bus", "runtime", "api", "console", "demo", *STAGES},
}
#: Single modules a room may import outside ALLOWED: the console uses the API's keys, roles and
#: audit trail (and nothing else of the API, which mounts the console).
ALLOWED_MODULES: dict[str, set[str]] = {"console": {"scamtrail.api.keys"}}
MAX_LINES = 400


def allowed_module(room: str, target: str) -> bool:
    """Whether ``target`` (a module, or a name in one) is in ``ALLOWED_MODULES[room]``."""
    return any(target == m or target.startswith(m + ".") for m in ALLOWED_MODULES.get(room, ()))


def room_of(module: str) -> str | None:
    """The room a ``scamtrail`` module belongs to, or None for third-party modules."""
    for room, prefixes in ROOMS:
        if any(module == p or module.startswith(p + ".") for p in prefixes):
            return room
    return None


def source_modules() -> dict[str, Path]:
    """Every non-test module of the project, by its installed dotted name."""
    out: dict[str, Path] = {}
    for folder, package in PACKAGE_DIRS.items():
        for path in (REPO / folder).rglob("*.py"):
            rel = path.relative_to(REPO / folder).with_suffix("")
            if "corpus" in rel.parts:  # corpus generators are scripts, not package code
                continue
            parts = [p for p in rel.parts if p != "__init__"]
            if folder == "scamtrail" and parts and parts[0] in {"ingest", "extract", "index"}:
                continue
            out[".".join([package, *parts])] = path
    return out


def imports_of(path: Path, module: str) -> set[str]:
    """The ``scamtrail`` modules ``path`` imports, anywhere in the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    is_package = path.name == "__init__.py"
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")
                keep = len(base) - node.level + (1 if is_package else 0)
                target = ".".join(base[:keep] + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.add(target)
            # `from scamtrail import metrics` imports the module scamtrail.metrics
            found.update(f"{target}.{a.name}" for a in node.names if room_of(f"{target}.{a.name}"))
    return {m for m in found if m == "scamtrail" or m.startswith("scamtrail.")}


MODULES = source_modules()


def test_the_rooms_cover_every_module():
    assert len(MODULES) > 50
    assert all(room_of(m) for m in MODULES), [m for m in MODULES if not room_of(m)]


@pytest.mark.parametrize("module", sorted(MODULES))
def test_module_imports_only_what_its_room_may(module: str):
    room = room_of(module)
    assert room is not None
    bad = sorted(
        f"{module} ({room}) imports {target} ({other})"
        for target in imports_of(MODULES[module], module)
        if (other := room_of(target)) not in (room, None)
        and other not in ALLOWED[room]
        and not allowed_module(room, target)
        # the contract room includes the package itself; importing a submodule through it is fine
        and not (target == "scamtrail" and room != "contract")
    )
    assert not bad, "\n".join(bad)


def test_the_console_importing_the_api_app_is_caught(tmp_path: Path):
    """The console may use the API's keys, not the app that mounts it."""
    bad = tmp_path / "bad.py"
    bad.write_text(
        "from scamtrail.api.keys import KeyStore\nfrom scamtrail.api.app import create_app\n"
    )
    targets = imports_of(bad, "scamtrail.console.bad")
    refused = {
        t
        for t in targets
        if room_of(t) not in ALLOWED["console"] | {"console"} and not allowed_module("console", t)
    }
    assert refused == {"scamtrail.api.app", "scamtrail.api.app.create_app"}


def test_a_stage_importing_another_stage_is_caught(tmp_path: Path):
    """The rule can fail: an index module that imports extract is reported."""
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from scamtrail.extract.identifiers import normalise_query\n")
    targets = imports_of(bad, "scamtrail.index.bad")
    assert {room_of(t) for t in targets} - ALLOWED["index"] - {"index"} == {"extract"}


def test_the_core_importing_the_cli_is_caught(tmp_path: Path):
    bad = tmp_path / "bad.py"
    bad.write_text("from scamtrail.cli.app import settings\nfrom . import metrics\n")
    targets = imports_of(bad, "scamtrail.runtime.bad")
    assert "cli" in {room_of(t) for t in targets} - ALLOWED["runtime"]
    assert "scamtrail.runtime.metrics" in targets  # relative imports resolve to their package


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_module_is_over_400_lines(module: str):
    lines = len(MODULES[module].read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{MODULES[module].relative_to(REPO)} has {lines} lines"
