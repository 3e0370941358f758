"""The allow-list: official numbers (helplines, banks' customer care) that are never alerted on.

Citizens often name an official number in a complaint ("I called SBI customer care on 1800 1234
and ..."), so those numbers repeat across complaints like a fraudster's would. They are stored and
counted as usual, but alert rules skip them and their risk is 0, with the owner named.

The shipped list is ``scamtrail/data/allowlist.json``; ``AlertSettings.allowlist_file`` adds a
file of the same shape::

    {"entries": [{"kind": "phone", "value": "+9118001234", "owner": "State Bank of India"},
                 {"written": "1800 425 1111", "owner": "Indian Bank customer care"}]}

An entry gives ``kind`` and ``value`` as the registry stores them (normalised: phones in E.164),
or only ``written`` as a person types it; a ``written`` entry needs the ``normalise`` function
(``scamtrail.extract.identifiers.normalise_query``, passed in by whoever wires the stage) to find
its kind and value.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from scamtrail.errors import ConfigError

#: Reads a value as typed: ``(kind, normalised value)``, or ValueError.
Normaliser = Callable[[str], tuple[str, str]]


@dataclass(frozen=True, slots=True)
class AllowlistEntry:
    """One official identifier and who owns it."""

    kind: str
    value: str
    owner: str
    written: str = ""


class Allowlist:
    """Official identifiers by (kind, value); see the module docstring."""

    def __init__(self, entries: Iterable[AllowlistEntry] = ()) -> None:
        self._by_key = {(e.kind, e.value): e for e in entries}

    def owner(self, kind: str, value: str) -> str | None:
        """The official owner of (kind, value), or None when it is not on the list."""
        entry = self._by_key.get((kind, value))
        return entry.owner if entry else None

    def __contains__(self, key: object) -> bool:
        return key in self._by_key

    def __len__(self) -> int:
        return len(self._by_key)

    def __iter__(self) -> Iterator[AllowlistEntry]:
        return iter(self._by_key.values())

    @classmethod
    def load(
        cls, extra: Path | str | None = None, *, normalise: Normaliser | None = None
    ) -> Allowlist:
        """The shipped list plus the entries of ``extra`` (a later entry wins on the same key)."""
        entries = list(shipped())
        if extra is not None:
            entries.extend(read_entries(Path(extra), normalise))
        return cls(entries)


def shipped_path() -> Path:
    """Where the shipped allow-list is (package data)."""
    return Path(str(resources.files("scamtrail") / "data" / "allowlist.json"))


@lru_cache(maxsize=1)
def shipped() -> tuple[AllowlistEntry, ...]:
    """The shipped entries (read once)."""
    return tuple(read_entries(shipped_path(), None))


def default_allowlist() -> Allowlist:
    """The shipped allow-list alone."""
    return Allowlist(shipped())


def read_entries(path: Path, normalise: Normaliser | None) -> list[AllowlistEntry]:
    """The entries of one allow-list file; ConfigError naming the file and entry when wrong."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"cannot read the allow-list {path}: {exc}") from exc
    items = doc.get("entries") if isinstance(doc, dict) else doc
    if not isinstance(items, list):
        raise ConfigError(f"allow-list {path}: expected {{'entries': [...]}} or a list")
    return [_entry(item, n, path, normalise) for n, item in enumerate(items)]


def _entry(item: Any, n: int, path: Path, normalise: Normaliser | None) -> AllowlistEntry:
    where = f"allow-list {path}, entry {n}"
    if not isinstance(item, dict) or not str(item.get("owner") or "").strip():
        raise ConfigError(f"{where}: an object with an 'owner' is required")
    owner = str(item["owner"]).strip()
    written = str(item.get("written") or "")
    if item.get("kind") and item.get("value"):
        return AllowlistEntry(str(item["kind"]), str(item["value"]), owner, written)
    if not written:
        raise ConfigError(f"{where}: give 'kind' and 'value', or 'written'")
    if normalise is None:
        raise ConfigError(f"{where}: 'written' values need a normaliser; give 'kind' and 'value'")
    try:
        kind, value = normalise(written)
    except ValueError as exc:
        raise ConfigError(f"{where}: {exc}") from exc
    return AllowlistEntry(kind, value, owner, written)
