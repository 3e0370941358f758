"""Verdicts on identifiers in the search-engine store: the ``<prefix>marks`` index
(:attr:`~scamtrail.index.search_indices.SearchIndices.marks_index`).

Mixed into :class:`~scamtrail.index.search_engine.SearchEngineStore` (:class:`SearchMarks`), using
its client, real-time reads and error handling. One document per identifier, with the registry's
document id (``kind:value``, hashed when long), so reading verdicts for a batch is one real-time
``mget`` and never waits for a refresh.
"""

from __future__ import annotations

from collections.abc import Sequence

from scamtrail.index.base import IdentifierMark
from scamtrail.index.search_documents import registry_doc_id
from scamtrail.index.search_indices import SearchIndices


class SearchMarks(SearchIndices):
    """Investigators' verdicts for the search-engine store (a mixin; see the module docstring)."""

    def set_mark(self, mark: IdentifierMark) -> None:
        """Record (or replace) the verdict on ``(mark.kind, mark.value)``; visible at once."""
        self._ensure()
        doc = {
            "kind": mark.kind,
            "value": mark.value,
            "status": mark.status,
            "reason": mark.reason,
            "marked_by": mark.marked_by,
            "marked_at": mark.marked_at,
        }
        with self._calls("recording a verdict"):
            self._client.index(
                index=self.marks_index,
                id=registry_doc_id(mark.kind, mark.value),
                body=doc,
                refresh="wait_for",
            )

    def clear_mark(self, kind: str, value: str) -> bool:
        """Remove the verdict on (kind, value); False when there was none."""
        self._ensure()
        doc_id = registry_doc_id(kind, value)
        with self._calls("removing a verdict"):
            try:
                self._client.delete(index=self.marks_index, id=doc_id, refresh="wait_for")
            except self._engine.errors as exc:
                if self._engine.status_of(exc) == 404:
                    return False
                raise
        return True

    def marks(self, keys: Sequence[tuple[str, str]]) -> dict[tuple[str, str], IdentifierMark]:
        """Verdicts for many (kind, value) keys at once (unmarked keys are absent)."""
        if not keys:
            return {}
        self._ensure()
        wanted = {registry_doc_id(k, v): (k, v) for k, v in keys}
        found = self._mget(self.marks_index, list(wanted))
        return {
            wanted[doc_id]: IdentifierMark(
                kind=src["kind"],
                value=src["value"],
                status=src["status"],
                reason=src.get("reason", ""),
                marked_by=src.get("marked_by", ""),
                marked_at=src.get("marked_at", ""),
            )
            for doc_id, src in found.items()
        }
