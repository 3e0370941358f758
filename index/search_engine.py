"""The search-engine store: complaints, the identifiers registry and alerts in Elasticsearch 8 or
OpenSearch 2.

``SearchEngineStore("elasticsearch+https://user:pass@host:9200")`` speaks to Elasticsearch 8 with
the official ``elasticsearch`` 8.x client; ``opensearch+http(s)://...`` speaks to OpenSearch with
``opensearch-py``. Only :class:`~scamtrail.index.search_client.Engine` (client construction, the
bulk helper, the exception classes) differs between them; everything else is shared.
:class:`SearchEngineStore` is composed of its parts, each a mixin on
:class:`~scamtrail.index.search_indices.SearchIndices` (index names and setup) and
:class:`~scamtrail.index.search_client.SearchClient` (the client, and the one place vendor
exceptions become :class:`~scamtrail.errors.StoreError`: no answer, HTTP 429 and 5xx are
``retriable``; a refused document names its complaint id and is not):

- :mod:`.search_writes` (a batch: complaints, then :mod:`.search_registry`), :mod:`.search_queries`
  (lookups, searches, counts), :mod:`.search_alerts` (the outbox), :mod:`.search_partners`
  (export, partner entries), :mod:`.search_marks` (verdicts);
- what they send: :mod:`.search_mappings` (templates) and :mod:`.search_documents` (documents).

How the :class:`~scamtrail.index.base.Store` contract is kept:

- **Idempotent complaints.** One bulk ``index`` per complaint with ``_id`` = complaint id into the
  write index of the ``<prefix>complaints`` alias (``require_alias``, so a deleted alias is an error
  rather than an unmapped auto-created index). Why one index behind an alias rather than monthly
  indices: the engine enforces ``_id`` uniqueness within an index only, and reprocessing must read
  a complaint's previous version by real-time GET, which needs its index; with one index a
  corrected ``created_at`` can never duplicate a complaint. A city's complaints are a few GB a
  year, far below one shard's comfortable size; the versioned name (``-v1``) lets a mapping change
  be reindexed into ``-v2`` and the alias swapped in one step.
- **Counts never inflate.** A registry entry keeps ``sightings`` (complaint id -> created_at,
  category, complainant, source) and derives ``complaint_count``, first/last seen and categories
  from it, so replaying any change changes nothing. The new entries are computed from the
  entries read with the batch and written with optimistic concurrency, a conflict with another
  writer being read again and redone (:mod:`scamtrail.index.search_registry`). A complaint
  whose re-extraction dropped an identifier is removed from that entry: the complaint document
  remembers such keys (``stale_identifier_keys``) until a write has removed them, so a crash
  between the complaint write and the registry write loses no removal. An entry past 200
  sightings keeps the latest inline and the older ones in ``<prefix>registry-sightings``, one
  document per link and per (identifier, complainant); its fields are then updated, not derived, so a write
  costs the same however often its identifiers were seen (:mod:`scamtrail.index.search_spill`).
- **Few round trips.** A write is one ``mget`` (the batch's stored complaints and the registry
  entries they name, across both indices), one bulk of complaints, one bulk of registry entries
  (more only on a conflict, for a reprocessed complaint's dropped identifiers, or to read and
  write the sightings documents of busy entries), and never a forced refresh (except to derive a
  busy entry again, see search_spill); bulk answers are filtered down to what is checked.
- **Fresh reads.** ``lookup`` and ``registry`` read registry entries and complaints by id
  (real-time GET), never through search (except a lookup past the 100 oldest complaints of a
  spilled entry, which lists them by a search of the complaints). Search, counts and aggregations see other processes'
  writes within ``refresh_interval``; a store instance sees its own writes at once because it
  refreshes an index it wrote to before it searches it (the index stage only writes, so it never
  pays for that).
- **Alerts once.** ``create`` with ``_id`` = alert id: a second write of the same id is refused
  by the engine (409) and not returned.
"""

from __future__ import annotations

from scamtrail.index.base import Store
from scamtrail.index.search_alerts import SearchAlerts
from scamtrail.index.search_client import parse_url
from scamtrail.index.search_marks import SearchMarks
from scamtrail.index.search_partners import SearchPartners
from scamtrail.index.search_queries import SearchQueries
from scamtrail.index.search_writes import SearchWrites

from scamtrail.errors import StoreError

__all__ = ["SearchEngineStore", "parse_url"]


class SearchEngineStore(
    SearchWrites, SearchQueries, SearchAlerts, SearchPartners, SearchMarks, Store
):
    """A :class:`~scamtrail.index.base.Store` on Elasticsearch 8 or OpenSearch 2.

    ``url`` is ``elasticsearch+http(s)://[user:pass@]host:port`` or ``opensearch+http(s)://...``;
    ``index_prefix`` starts every index and template name (one deployment, or one test, per
    prefix); ``ca_file`` verifies an HTTPS server; ``api_key`` (base64 ``id:key``) replaces user and
    password; ``refresh_interval`` bounds how long a write takes to become searchable by others.
    Indices and templates are created on first use (or by :meth:`setup`). See the module docstring.
    """

    def __init__(
        self,
        url: str,
        index_prefix: str = "scamtrail-",
        ca_file: str | None = None,
        api_key: str | None = None,
        refresh_interval: str = "1s",
    ) -> None:
        self._name_indices(index_prefix, refresh_interval)
        self._connect(parse_url(url), ca_file, api_key)

    def __repr__(self) -> str:
        return f"SearchEngineStore({self.name} at {self.address}, prefix={self.prefix!r})"

    def health(self) -> None:
        """Raise StoreError unless the cluster answers with status yellow or green."""
        with self._calls("checking cluster health"):
            status = self._client.cluster.health()["status"]
        if status not in ("green", "yellow"):
            raise StoreError(f"{self.name} at {self.address} is {status}", retriable=True)

    def close(self) -> None:
        """Close the client's connections."""
        self._client.close()
