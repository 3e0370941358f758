"""Help texts wrap at the terminal's width, not at the width of the docstring they came from."""

from __future__ import annotations

import pytest
import typer
from typer.testing import CliRunner

import scamtrail.cli as cli
from scamtrail.cli.app import unwrapped_help


def _command_paths(command: object, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    paths = [path]
    if hasattr(command, "commands"):  # a group (Typer's own click)
        for name, sub in sorted(command.commands.items()):
            paths += _command_paths(sub, (*path, name))
    return paths


PATHS = _command_paths(typer.main.get_command(cli.app))


def _description(output: str) -> list[str]:
    """The help's prose: the lines between ``Usage:`` and the first panel, margins stripped."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip().startswith("Usage:")) + 1
    prose = []
    for line in lines[start:]:
        if line.lstrip().startswith("╭"):
            break
        prose.append(line.strip())
    return prose


def test_every_command_is_checked() -> None:
    assert len(PATHS) > 20 and ("run",) in PATHS and ("ingest", "replay") in PATHS


@pytest.mark.parametrize("width", [60, 200])
@pytest.mark.parametrize("path", PATHS, ids=lambda p: " ".join(p) or "scamtrail")
def test_a_line_breaks_only_where_the_next_word_would_not_fit(
    path: tuple[str, ...], width: int
) -> None:
    out = CliRunner().invoke(cli.app, [*path, "--help"], env={"COLUMNS": str(width)})
    assert out.exit_code == 0, out.output
    prose = _description(out.output)
    room = width - 2  # one space of margin each side
    for line, after in zip(prose, prose[1:], strict=False):
        if not line or not after or after.startswith("- "):
            continue  # a paragraph's end, or a list item of its own
        assert len(line) + 1 + len(after.split()[0]) > room, (
            f"broken early at {width} columns:\n{line}\n{after}"
        )


def test_unwrapped_help_keeps_paragraphs_and_list_items() -> None:
    text = """First line
    goes on.

    Second paragraph
    wraps here.
    - an item
      continued
    - another
    """
    assert unwrapped_help(text) == (
        "First line goes on.\n\nSecond paragraph wraps here.\n- an item continued\n- another"
    )
