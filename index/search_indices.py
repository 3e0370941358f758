"""The indices of a search-engine store: their names under the prefix, and their lifecycle.

Per prefix ``P`` (templates and mappings in :mod:`scamtrail.index.search_mappings`):
``P complaints-v1`` behind the alias ``P complaints``, ``P identifiers`` (the registry),
``P alerts``, ``P partner-identifiers``, ``P marks`` and ``P links``. :class:`SearchIndices` creates them on
first use (:meth:`~SearchIndices.setup`, called by every part of the store through
:meth:`~SearchIndices._ensure`), drops them for tests, and refreshes them for
:meth:`~scamtrail.index.base.Store.refresh`.
"""

from __future__ import annotations

import re
from typing import Any

from scamtrail.index import search_mappings
from scamtrail.index.search_client import SearchClient, error_reason

from scamtrail.errors import ConfigError, StoreError

_PREFIX = re.compile(r"^[a-z0-9][a-z0-9._+-]*$")
_VERSION = re.compile(r"-v(\d+)$")


def _version_of(index: str) -> int:
    """The version number at the end of a complaints index name (``...-v2`` -> 2)."""
    found = _VERSION.search(index)
    return int(found.group(1)) if found else 0


class SearchIndices(SearchClient):
    """Index names, setup, drop and refresh of a search-engine store (the base of its parts)."""

    prefix: str
    refresh_interval: str
    #: Whether the analysis folds accents (the cluster has asciifolding); set by setup().
    folding: bool = False

    def _name_indices(self, index_prefix: str, refresh_interval: str) -> None:
        """Check the prefix and name every index after it."""
        if not _PREFIX.match(index_prefix):
            raise ConfigError(
                f"index prefix {index_prefix!r} is not a valid index name start: use lowercase "
                "letters, digits, '-', '_' or '.', not starting with '-', '_' or '.'"
            )
        self.prefix = index_prefix
        self.refresh_interval = refresh_interval
        self.complaints_alias = f"{index_prefix}complaints"
        self.complaints_index = f"{index_prefix}complaints-v1"
        self.registry_index = f"{index_prefix}identifiers"
        self.alerts_index = f"{index_prefix}alerts"
        #: Partner entries (see :mod:`.search_partners`).
        self.partners_index = f"{index_prefix}partner-identifiers"
        #: Verdicts on identifiers (see :mod:`.search_marks`).
        self.marks_index = f"{index_prefix}marks"
        #: Links between identifiers (see :mod:`.search_links`).
        self.links_index = f"{index_prefix}links"
        #: Sightings of busy registry entries (see :mod:`.search_spill`).
        self.sightings_index = f"{index_prefix}registry-sightings"

    def setup(self) -> None:
        """Install the index templates; create the indices and the complaints alias if missing.

        Indices made by an older version get the fields this version added (``put_mapping`` only
        adds fields; a changed field type would need a reindex and is reported as an error).
        """
        c = self._client
        with self._calls("setting up indices"):
            self.folding = self.has_folding()
            templates = search_mappings.index_templates(
                self.prefix, self.refresh_interval, self.folding
            )
            for name, body in templates.items():
                c.indices.put_index_template(name=name, body=body)
                pattern = ",".join(body["index_patterns"])
                if c.indices.exists(index=pattern, allow_no_indices=False):
                    c.indices.put_mapping(
                        index=pattern,
                        body={"properties": body["template"]["mappings"]["properties"]},
                    )
            if c.indices.exists_alias(name=self.complaints_alias):
                self.complaints_index = self._complaints_write_index()
            else:
                alias = {"is_write_index": True}
                if c.indices.exists(index=self.complaints_index):
                    c.indices.put_alias(
                        index=self.complaints_index, name=self.complaints_alias, body=alias
                    )
                else:
                    self._create(self.complaints_index, {"aliases": {self.complaints_alias: alias}})
            for index in (
                self.registry_index,
                self.alerts_index,
                self.partners_index,
                self.marks_index,
                self.links_index,
                self.sightings_index,
            ):
                if not c.indices.exists(index=index):
                    self._create(index, {})
        self._ready = True

    def _complaints_write_index(self) -> str:
        """The index the complaints alias writes to (the newest version after an upgrade)."""
        aliases = self._client.indices.get_alias(name=self.complaints_alias)
        names = sorted(aliases, key=_version_of)
        for name in names:
            spec = aliases[name].get("aliases", {}).get(self.complaints_alias, {})
            if spec.get("is_write_index"):
                return str(name)
        return str(names[-1])

    def upgrade_complaints(self) -> str:
        """Move the complaints to a new versioned index made with this version's mapping.

        Creates ``<prefix>complaints-v<n+1>`` (the template gives it the current settings and
        analyzers), reindexes every complaint from the alias into it, checks the counts, and
        moves the alias (and its write flag) to it in one ``_aliases`` request. The old index is
        kept until an operator deletes it. Writers should be stopped meanwhile (see
        docs/search_engines.md). Returns the new index name.
        """
        self.setup()
        c = self._client
        old = self.complaints_index
        new = f"{self.prefix}complaints-v{_version_of(old) + 1}"
        with self._calls("upgrading the complaints index"):
            self._create(new, {})
            self._copy_documents(old, new)
            c.indices.refresh(index=f"{old},{new}")
            before, after = (int(c.count(index=i)["count"]) for i in (old, new))
            if before != after:
                raise StoreError(
                    f"upgrade of {old} stopped: {new} holds {after} complaints, {old} {before}; "
                    "the alias still points to the old index"
                )
            c.indices.update_aliases(
                body={
                    "actions": [
                        {"remove": {"index": old, "alias": self.complaints_alias}},
                        {
                            "add": {
                                "index": new,
                                "alias": self.complaints_alias,
                                "is_write_index": True,
                            }
                        },
                    ]
                }
            )
        self.complaints_index = new
        return new

    def _copy_documents(self, source: str, dest: str) -> None:
        """Copy every document of ``source`` into ``dest`` (same ids), page by page.

        Client-side (scroll + bulk) rather than ``_reindex``: that API lives in the ``reindex``
        module, which a node built from the server jar alone does not have.
        """
        c = self._client
        page = c.search(
            index=source,
            scroll="2m",
            body={"size": 1000, "query": {"match_all": {}}, "sort": ["_doc"]},
        )
        scroll_id = page.get("_scroll_id")
        try:
            while page["hits"]["hits"]:
                actions = [
                    {"_op_type": "index", "_index": dest, "_id": h["_id"], "_source": h["_source"]}
                    for h in page["hits"]["hits"]
                ]
                for ok, item in self._engine.streaming_bulk(
                    c, actions, raise_on_error=False, raise_on_exception=True
                ):
                    if not ok:
                        raise StoreError(f"copying {source} to {dest} failed: {item}")
                page = c.scroll(scroll_id=scroll_id, scroll="2m")
                scroll_id = page.get("_scroll_id", scroll_id)
        finally:
            if scroll_id:
                c.clear_scroll(scroll_id=scroll_id)

    def has_folding(self) -> bool:
        """True when the cluster has the ``asciifolding`` filter (the analysis-common module).

        Asked of the cluster itself with ``_analyze``: a full Elasticsearch or OpenSearch
        distribution has it; a node with the server's built-in analysis only answers 400.
        """
        try:
            self._client.indices.analyze(
                body={
                    "tokenizer": "standard",
                    "filter": [search_mappings.FOLDING_FILTER],
                    "text": "é",
                }
            )
        except self._engine.errors as exc:
            if self._engine.status_of(exc) == 400:
                return False
            raise
        return True

    def _create(self, index: str, body: dict[str, Any]) -> None:
        try:
            self._client.indices.create(index=index, body=body)
        except self._engine.errors as exc:
            if self._engine.status_of(exc) == 400 and "resource_already_exists" in error_reason(
                exc
            ):
                return  # another process created it first
            raise

    def _ensure(self) -> None:
        """Set the indices up unless done (every store call starts here)."""
        if not self._ready:
            self.setup()

    def drop(self) -> None:
        """Delete every index and template of this prefix: all complaints, registry and alerts.

        For tests and deliberate resets only; nothing asks for confirmation.
        """
        c = self._client
        with self._calls("dropping indices"):
            found = c.indices.get(
                index=f"{self.prefix}complaints-*", ignore_unavailable=True, allow_no_indices=True
            )
            names = [
                *found.keys(),
                self.registry_index,
                self.alerts_index,
                self.partners_index,
                self.marks_index,
                self.links_index,
                self.sightings_index,
            ]
            c.indices.delete(index=",".join(names), ignore_unavailable=True)
            for name in search_mappings.index_templates(self.prefix, self.refresh_interval):
                try:
                    c.indices.delete_index_template(name=name)
                except self._engine.errors as exc:
                    if self._engine.status_of(exc) != 404:
                        raise
        with self._lock:
            self._dirty.clear()
        self._ready = False

    def refresh(self) -> None:
        """Refresh this store's complaint, registry and alert indices (see Store.refresh)."""
        self._ensure()
        names = ",".join(
            (
                self.complaints_index,
                self.registry_index,
                self.alerts_index,
                self.links_index,
                self.sightings_index,
            )
        )
        with self._calls("refresh"):
            self._client.indices.refresh(index=names)
        with self._lock:
            self._dirty.clear()
