"""The search-engine store: complaints, the identifiers registry and alerts in Elasticsearch 8 or
OpenSearch 2.

``SearchEngineStore("elasticsearch+https://user:pass@host:9200")`` speaks to Elasticsearch 8 with
the official ``elasticsearch`` 8.x client; ``opensearch+http(s)://...`` speaks to OpenSearch with
``opensearch-py``. Only :class:`_Engine` (client construction, the bulk helper, the exception
classes) differs between them; mappings (:mod:`scamtrail.index.search_mappings`), queries and
bulk handling are shared. Vendor exceptions become :class:`~scamtrail.errors.StoreError` here and
nowhere else: no answer, HTTP 429 and 5xx are ``retriable``; a refused document names its
complaint id and is not.

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
  between the complaint write and the registry write loses no removal.
- **Few round trips.** A write is one ``mget`` (the batch's stored complaints and the registry
  entries they name, across both indices), one bulk of complaints, one bulk of registry entries
  (more only on a conflict or for a reprocessed complaint's dropped identifiers), and never a
  forced refresh; bulk answers are filtered down to what is checked.
- **Fresh reads.** ``lookup`` and ``registry`` read registry entries and complaints by id
  (real-time GET), never through search. Search, counts and aggregations see other processes'
  writes within ``refresh_interval``; a store instance sees its own writes at once because it
  refreshes an index it wrote to before it searches it (the index stage only writes, so it never
  pays for that).
- **Alerts once.** ``create`` with ``_id`` = alert id: a second write of the same id is refused
  by the engine (409) and not returned.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

from scamtrail.index import search_mappings as shapes
from scamtrail.index.base import (
    ComplaintHit,
    LookupResult,
    RegistryEntry,
    RegistryUpdate,
    Stats,
    Store,
)
from scamtrail.index.search_marks import SearchMarks
from scamtrail.index.search_partners import SearchPartners
from scamtrail.index.search_registry import SearchRegistry, Versioned, versioned

from scamtrail.errors import ConfigError, StoreError
from scamtrail.records import Alert, Enriched, decode_alert

log = logging.getLogger(__name__)

_SCHEMES = {
    "elasticsearch+http": ("elasticsearch", "http"),
    "elasticsearch+https": ("elasticsearch", "https"),
    "opensearch+http": ("opensearch", "http"),
    "opensearch+https": ("opensearch", "https"),
}
_PREFIX = re.compile(r"^[a-z0-9][a-z0-9._+-]*$")
_MGET_CHUNK = 2000
_BULK_CHUNK = 2000
_BULK_CHUNK_BYTES = 20 * 1024 * 1024
_MGET_ANSWER = "docs._id,docs.found,docs._source,docs._seq_no,docs._primary_term,docs.error"
_BULK_ANSWER = "errors,items.*._id,items.*.status,items.*.error,items.*.result"
#: The metadata keys of a bulk action (the rest of an action is its document or update body).
_BULK_META = ("_index", "_id", "if_seq_no", "if_primary_term", "routing")


@dataclass(frozen=True, slots=True)
class _Endpoint:
    """A parsed store URL: which engine, where, and the credentials apart from the address."""

    engine: str
    http_url: str
    username: str | None = None
    password: str | None = None

    @property
    def basic_auth(self) -> tuple[str, str] | None:
        if self.username is None:
            return None
        return (self.username, self.password or "")


def parse_url(url: str) -> _Endpoint:
    """Split ``elasticsearch+http(s)://[user:pass@]host:port`` (or ``opensearch+...``)."""
    parts = urlsplit(url)
    if parts.scheme not in _SCHEMES:
        raise ConfigError(
            f"not a search-engine store URL: scheme {parts.scheme!r}; use "
            "elasticsearch+http(s)://[user:pass@]host:port or opensearch+http(s)://..."
        )
    engine, http_scheme = _SCHEMES[parts.scheme]
    try:
        port = parts.port or 9200
    except ValueError as exc:
        raise ConfigError(f"bad port in the store URL: {exc}") from exc
    if not parts.hostname:
        raise ConfigError("the store URL names no host")
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    path = parts.path.rstrip("/")
    return _Endpoint(
        engine=engine,
        http_url=f"{http_scheme}://{host}:{port}{path}",
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
    )


@dataclass(frozen=True, slots=True)
class _Engine:
    """What differs between Elasticsearch and OpenSearch: client, bulk helper, exceptions."""

    name: str
    client: Any
    streaming_bulk: Callable[..., Iterator[tuple[bool, dict[str, Any]]]]
    errors: tuple[type[BaseException], ...]
    status_of: Callable[[BaseException], int | None]


def _connect(endpoint: _Endpoint, ca_file: str | None, api_key: str | None) -> _Engine:
    tls = endpoint.http_url.startswith("https:")
    if endpoint.engine == "elasticsearch":
        try:
            import elasticsearch
            from elasticsearch import helpers
        except ImportError as exc:  # pragma: no cover - a dependency of scamtrail
            raise ConfigError(
                "the Elasticsearch store needs the elasticsearch 8.x client: "
                "pip install 'elasticsearch>=8.13,<9'"
            ) from exc
        es_client = elasticsearch.Elasticsearch(
            hosts=[endpoint.http_url],
            basic_auth=endpoint.basic_auth,
            api_key=api_key,
            ca_certs=ca_file if tls else None,
            request_timeout=30,
            max_retries=2,
            retry_on_timeout=True,
        )

        def es_status(exc: BaseException) -> int | None:
            if isinstance(exc, elasticsearch.ApiError):
                return int(exc.meta.status)
            return None

        return _Engine(
            "elasticsearch",
            es_client,
            helpers.streaming_bulk,
            (elasticsearch.ApiError, elasticsearch.TransportError),
            es_status,
        )
    try:
        import opensearchpy
        from opensearchpy import helpers as os_helpers
    except ImportError as exc:
        raise ConfigError(
            "the OpenSearch store needs opensearch-py: pip install 'scamtrail[opensearch]'"
        ) from exc
    os_client = opensearchpy.OpenSearch(
        hosts=[endpoint.http_url],
        http_auth=endpoint.basic_auth,
        ca_certs=ca_file if tls else None,
        headers={"Authorization": f"ApiKey {api_key}"} if api_key else None,
        timeout=30,
        max_retries=2,
        retry_on_timeout=True,
    )

    def os_status(exc: BaseException) -> int | None:
        code = getattr(exc, "status_code", None)
        return code if isinstance(code, int) else None

    return _Engine(
        "opensearch",
        os_client,
        os_helpers.streaming_bulk,
        (opensearchpy.TransportError,),
        os_status,
    )


def _reason(exc: BaseException) -> str:
    info = getattr(exc, "info", None) or getattr(exc, "body", None)
    if isinstance(info, dict) and isinstance(info.get("error"), dict):
        err = info["error"]
        return f"{err.get('type')}: {err.get('reason')}"
    error = getattr(exc, "error", None)
    return str(error) if error else type(exc).__name__


def _item_reason(info: dict[str, Any]) -> str:
    err = info.get("error")
    if isinstance(err, dict):
        cause = err.get("caused_by") or {}
        text = f"{err.get('type')}: {err.get('reason')}"
        if cause:
            text += f" ({cause.get('type')}: {cause.get('reason')})"
        return text
    return str(err)


def _chunks(items: Sequence[Any], size: int) -> Iterable[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _bulk_lines(encode: Callable[[Any], str]) -> Callable[[dict[str, Any]], tuple[str, str | None]]:
    """An ``expand_action_callback`` for the bulk helpers that returns both NDJSON lines of an
    action already encoded (the helpers send strings as they are).

    Why: the helpers copy every action and encode each of its two lines with a fresh
    ``json.dumps`` (a new encoder per line); a write of 500 complaints sends about 1,500 actions.
    One encoder built once, and no copy, take about 15% off the client's CPU time in a write.
    The lines are the ones the helpers' ``expand_action`` makes for these actions (``_op_type``,
    the keys of ``_BULK_META``, and ``_source`` or, for an update, the rest of the action as its
    body); tests/index/test_search_bulk_lines.py holds them to that for both clients.
    """

    def lines(action: dict[str, Any]) -> tuple[str, str | None]:
        op = action.get("_op_type", "index")
        head = encode({op: {k: action[k] for k in _BULK_META if k in action}})
        if op == "delete":
            return head, None
        if "_source" in action:
            return head, encode(action["_source"])
        body = {k: v for k, v in action.items() if k != "_op_type" and k not in _BULK_META}
        return head, encode(body)

    return lines


class SearchEngineStore(SearchRegistry, SearchPartners, SearchMarks, Store):
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
        if not _PREFIX.match(index_prefix):
            raise ConfigError(
                f"index prefix {index_prefix!r} is not a valid index name start: use lowercase "
                "letters, digits, '-', '_' or '.', not starting with '-', '_' or '.'"
            )
        endpoint = parse_url(url)
        self.name = endpoint.engine
        self.address = endpoint.http_url
        self.prefix = index_prefix
        self.refresh_interval = refresh_interval
        self.complaints_alias = f"{index_prefix}complaints"
        self.complaints_index = f"{index_prefix}complaints-v1"
        self.registry_index = f"{index_prefix}identifiers"
        self.alerts_index = f"{index_prefix}alerts"
        self._engine = _connect(endpoint, ca_file, api_key)
        self._client = self._engine.client
        # What the client's own serializer does (compact, UTF-8 kept, its fallback for dates and
        # the like), in one encoder reused for every bulk line: see _bulk_lines.
        transport = self._client.transport
        serializer = getattr(transport, "serializer", None) or (  # opensearch-py / elasticsearch 8
            transport.serializers.get_serializer("application/json")
        )
        self._encode_bulk_line = _bulk_lines(
            json.JSONEncoder(
                ensure_ascii=False,
                separators=(",", ":"),
                default=getattr(serializer, "default", None),
            ).encode
        )
        self._ready = False
        self._dirty: set[str] = set()
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"SearchEngineStore({self.name} at {self.address}, prefix={self.prefix!r})"

    # -- errors -----------------------------------------------------------------------------
    def _error(self, exc: BaseException, doing: str) -> StoreError:
        status = self._engine.status_of(exc)
        if status is None:
            return StoreError(
                f"{self.name} at {self.address} did not answer while {doing}: "
                f"{type(exc).__name__}: {exc}",
                retriable=True,
            )
        if status == 404 and "index_not_found" in _reason(exc):
            self._ready = False  # deleted behind our back: set up again on the next call
            return StoreError(f"{self.name}: {doing}: {_reason(exc)}", retriable=True)
        retriable = status in (408, 429) or status >= 500
        return StoreError(
            f"{self.name} refused {doing}: HTTP {status} {_reason(exc)}", retriable=retriable
        )

    @contextmanager
    def _calls(self, doing: str) -> Iterator[None]:
        try:
            yield
        except self._engine.errors as exc:
            raise self._error(exc, doing) from exc

    # -- setup ------------------------------------------------------------------------------
    def setup(self) -> None:
        """Install the index templates; create the indices and the complaints alias if missing.

        Indices made by an older version get the fields this version added (``put_mapping`` only
        adds fields; a changed field type would need a reindex and is reported as an error).
        """
        c = self._client
        with self._calls("setting up indices"):
            templates = shapes.index_templates(self.prefix, self.refresh_interval)
            for name, body in templates.items():
                c.indices.put_index_template(name=name, body=body)
                pattern = ",".join(body["index_patterns"])
                if c.indices.exists(index=pattern, allow_no_indices=False):
                    c.indices.put_mapping(
                        index=pattern,
                        body={"properties": body["template"]["mappings"]["properties"]},
                    )
            if not c.indices.exists_alias(name=self.complaints_alias):
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
            ):
                if not c.indices.exists(index=index):
                    self._create(index, {})
        self._ready = True

    def _create(self, index: str, body: dict[str, Any]) -> None:
        try:
            self._client.indices.create(index=index, body=body)
        except self._engine.errors as exc:
            if self._engine.status_of(exc) == 400 and "resource_already_exists" in _reason(exc):
                return  # another process created it first
            raise

    def _ensure(self) -> None:
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
            ]
            c.indices.delete(index=",".join(names), ignore_unavailable=True)
            for name in shapes.index_templates(self.prefix, self.refresh_interval):
                try:
                    c.indices.delete_index_template(name=name)
                except self._engine.errors as exc:
                    if self._engine.status_of(exc) != 404:
                        raise
        with self._lock:
            self._dirty.clear()
        self._ready = False

    # -- engine calls -----------------------------------------------------------------------
    def _bulk(
        self, actions: list[dict[str, Any]], doing: str, **kwargs: Any
    ) -> list[dict[str, Any]]:
        """Run bulk actions (429s retried with backoff); return every item's result."""
        items: list[dict[str, Any]] = []
        with self._calls(doing):
            for _ok, item in self._engine.streaming_bulk(
                self._client,
                actions,
                chunk_size=_BULK_CHUNK,
                max_chunk_bytes=_BULK_CHUNK_BYTES,
                max_retries=3,
                initial_backoff=1,
                max_backoff=8,
                raise_on_error=False,
                raise_on_exception=True,
                expand_action_callback=self._encode_bulk_line,
                # Only what _check and the callers read: a bulk answer is otherwise mostly
                # index names, versions and shard counts, parsed for nothing.
                filter_path=_BULK_ANSWER,
                **kwargs,
            ):
                items.append(next(iter(item.values())))
        return items

    def _check(
        self, items: list[dict[str, Any]], ok: tuple[int, ...], doing: str, what: str
    ) -> None:
        """Raise StoreError for the items whose status is not in ``ok``, naming them.

        Retriable only when every failure is (429, 5xx): a refused document (a mapping error,
        say) makes the batch non-retriable, so the index stage retries record by record.
        """
        failed = [i for i in items if i.get("status") not in ok]
        if not failed:
            return
        reasons = [_item_reason(i) for i in failed]
        if any("index_not_found" in r for r in reasons):
            self._ready = False  # deleted behind our back: set up again on the next call
        refused = [i for i in failed if not _retriable_status(i.get("status"))]
        shown = refused or failed
        detail = "; ".join(f"{what} {i.get('_id')}: {_item_reason(i)}" for i in shown[:5])
        more = f" (and {len(shown) - 5} more)" if len(shown) > 5 else ""
        raise StoreError(f"{self.name} refused {doing}: {detail}{more}", retriable=not refused)

    def _mget(self, index: str, ids: Sequence[str], source: Any = True) -> dict[str, dict]:
        """Real-time GET of many documents; id -> _source of those that exist."""
        return {i: d["_source"] for i, d in self._mget_docs(index, ids, source).items()}

    def _mget_docs(
        self, index: str, ids: Sequence[str], source: Any = True
    ) -> dict[str, dict[str, Any]]:
        """Real-time GET of many documents; id -> the whole answer (``_source``, ``_seq_no``,
        ``_primary_term``) of those that exist."""
        unique = list(dict.fromkeys(ids))
        found = self._mget_many([(index, i, source) for i in unique])
        return {i: d for i, d in zip(unique, found, strict=True) if d is not None}

    def _mget_many(self, wanted: Sequence[tuple[str, str, Any]]) -> list[dict[str, Any] | None]:
        """Real-time GET of (index, id, _source filter) triples, across indices, in as few
        requests as the chunk size allows; the answer of each in order (None: no such document).
        """
        out: list[dict[str, Any] | None] = []
        for chunk in _chunks(wanted, _MGET_CHUNK):
            body = {"docs": [{"_index": x, "_id": i, "_source": src} for x, i, src in chunk]}
            doing = "reading " + ", ".join(dict.fromkeys(x for x, _, _ in chunk))
            with self._calls(doing):
                docs = self._client.mget(body=body, filter_path=_MGET_ANSWER)["docs"]
            # A per-document error (a shard not ready, an index gone) is worth another try.
            # Only those go to _check: the usual answer has none, and copying each of its
            # documents (two per complaint in a write) just to add a status is work for nothing.
            failed = [{**d, "status": 503} for d in docs if "error" in d]
            if failed:
                self._check(failed, (200,), doing, "document")
            out.extend(d if d.get("found") else None for d in docs)
        return out

    def refresh(self) -> None:
        """Refresh this store's complaint, registry and alert indices (see Store.refresh)."""
        self._ensure()
        names = ",".join((self.complaints_index, self.registry_index, self.alerts_index))
        with self._calls("refresh"):
            self._client.indices.refresh(index=names)
        with self._lock:
            self._dirty.clear()

    def _dirtied(self, *indices: str) -> None:
        with self._lock:
            self._dirty.update(indices)

    def _search(self, index: str, body: dict[str, Any], doing: str) -> dict[str, Any]:
        """Search, after refreshing ``index`` if this instance wrote to it since it last read."""
        with self._lock:
            stale = index in self._dirty
            self._dirty.discard(index)
        with self._calls(doing):
            if stale:
                self._client.indices.refresh(index=index)
            return self._client.search(index=index, body=body)

    # -- writing ----------------------------------------------------------------------------
    def _read_for_write(
        self, pairs: dict[str, list[tuple[str, str]]]
    ) -> tuple[dict[str, dict[str, Any]], dict[str, Versioned]]:
        """The stored versions of a batch's complaints and the registry entries they name now,
        in one real-time ``mget`` (complaint id -> source, registry doc id -> Versioned)."""
        doc_ids = dict.fromkeys(
            shapes.registry_doc_id(k, v) for ps in pairs.values() for k, v in ps
        )
        fields = ["identifier_keys", "stale_identifier_keys", "prior_matches"]
        wanted = [(self.complaints_alias, cid, fields) for cid in pairs]
        wanted += [(self.registry_index, d, True) for d in doc_ids]
        found = self._mget_many(wanted)
        n = len(pairs)
        previous = {
            cid: d["_source"] for cid, d in zip(pairs, found[:n], strict=True) if d is not None
        }
        before = {
            d: versioned(doc) for d, doc in zip(doc_ids, found[n:], strict=True) if doc is not None
        }
        return previous, before

    def write(self, batch: Sequence[Enriched]) -> list[RegistryUpdate]:
        """Index complaints by id, then move registry entries to match; return touched entries."""
        if not batch:
            return []
        started = time.perf_counter()
        self._ensure()
        latest = {r.id: r for r in batch}  # a batch may carry one id twice; the last one wins
        pairs = {cid: shapes.identifier_pairs(r) for cid, r in latest.items()}
        previous, before = self._read_for_write(pairs)
        add: dict[str, dict[str, list[str]]] = {}
        remove: dict[str, set[str]] = {}
        stales: dict[str, list[str]] = {}
        for r in latest.values():
            keys = [shapes.identifier_key(k, v) for k, v in pairs[r.id]]
            old = previous.get(r.id, {})
            earlier = set(old.get("stale_identifier_keys") or ()) | set(
                old.get("identifier_keys") or ()
            )
            stales[r.id] = sorted(earlier - set(keys))
            if keys:
                seen = shapes.sighting(r)
                for key in keys:
                    add.setdefault(key, {})[r.id] = seen
            for key in stales[r.id]:
                remove.setdefault(key, set()).add(r.id)
        unread = {shapes.registry_doc_id(*shapes.split_key(k)) for k in remove} - set(before)
        if unread:  # identifiers a reprocessed complaint no longer names
            before.update(self._read_registry(sorted(unread)))
        prior = _prior_matches(
            list(latest.values()), pairs, previous, {i: v.source for i, v in before.items()}
        )
        actions = [
            {
                "_index": self.complaints_alias,
                "_id": r.id,
                "_source": shapes.complaint_document(r, stales[r.id], prior[r.id]),
            }
            for r in latest.values()
        ]
        items = self._bulk(actions, "indexing complaints", require_alias=True)
        self._dirtied(self.complaints_alias)
        self._check(items, (200, 201), "indexing complaints", "complaint")
        updates = self._update_registry(add, remove, before)
        log.debug(
            "store write",
            extra={
                "store": self.name,
                "count": len(latest),
                "identifiers": len(updates),
                "elapsed_s": round(time.perf_counter() - started, 4),
            },
        )
        return updates

    # -- reading ----------------------------------------------------------------------------
    def lookup(self, kind: str, value: str, limit: int = 100) -> LookupResult:
        """The registry entry for (kind, value) and the complaints naming it, oldest first."""
        self._ensure()
        doc_id = shapes.registry_doc_id(kind, value)
        src = self._mget(self.registry_index, [doc_id]).get(doc_id)
        if not src:
            return LookupResult(kind, value, 0, None, None, (), ())
        ids = shapes.ordered_ids(src.get("sightings") or {})[: max(0, int(limit))]
        docs = self._mget(self.complaints_alias, ids, shapes.COMPLAINT_FIELDS)
        entry = shapes.registry_entry(kind, value, src, with_ids=False)
        hits = tuple(shapes.complaint_hit(docs[i]) for i in ids if i in docs)
        return LookupResult(
            kind,
            value,
            entry.complaint_count,
            entry.first_seen,
            entry.last_seen,
            entry.categories,
            hits,
            complainants=entry.complainants,
            sources=entry.sources,
        )

    def registry(self, kind: str, values: Sequence[str]) -> dict[str, RegistryEntry]:
        """Registry entries for many values of one kind (real-time reads by id)."""
        self._ensure()
        wanted = {shapes.registry_doc_id(kind, v): v for v in values}
        found = self._mget(self.registry_index, list(wanted))
        return {wanted[d]: shapes.registry_entry(kind, wanted[d], src) for d, src in found.items()}

    def search(
        self,
        query: str,
        *,
        category: str | None = None,
        since: str | None = None,
        until: str | None = None,
        limit: int = 20,
    ) -> list[ComplaintHit]:
        """Complaints whose text has every word of ``query``, newest first, with filters.

        ``query`` is analysed as plain words, never parsed as query syntax
        (:func:`~scamtrail.index.search_mappings.search_body`).
        """
        self._ensure()
        body = shapes.search_body(query, category, since, until, limit)
        resp = self._search(self.complaints_alias, body, "searching complaints")
        scored = body["track_scores"]
        return [
            shapes.complaint_hit(h["_source"], h.get("_score") if scored else None)
            for h in resp["hits"]["hits"]
        ]

    def top_identifiers(
        self, limit: int = 20, min_count: int = 2, kind: str | None = None
    ) -> list[RegistryEntry]:
        """The identifiers named in the most distinct complaints (ties: most recent first)."""
        self._ensure()
        body = shapes.top_identifiers_body(limit, min_count, kind)
        hits = self._search(self.registry_index, body, "ranking identifiers")["hits"]["hits"]
        return [
            shapes.registry_entry(h["_source"]["kind"], h["_source"]["value"], h["_source"], False)
            for h in hits
        ]

    def stats(self) -> Stats:
        """Complaint, identifier and alert counts, by category and by kind."""
        self._ensure()
        c = self._search(self.complaints_alias, shapes.COMPLAINT_STATS_BODY, "counting complaints")
        r = self._search(self.registry_index, shapes.REGISTRY_STATS_BODY, "counting identifiers")
        a = self._search(self.alerts_index, shapes.COUNT_BODY, "counting alerts")
        return Stats(
            complaints=c["hits"]["total"]["value"],
            identifiers=r["hits"]["total"]["value"],
            by_category={b["key"]: b["doc_count"] for b in c["aggregations"]["by"]["buckets"]},
            by_kind={b["key"]: b["doc_count"] for b in r["aggregations"]["by"]["buckets"]},
            repeat_identifiers=r["aggregations"]["repeats"]["doc_count"],
            alerts=a["hits"]["total"]["value"],
        )

    # -- alerts -----------------------------------------------------------------------------
    def record_alerts(self, alerts: Sequence[Alert]) -> list[Alert]:
        """Create alerts by id; return those the engine had not stored before, once each."""
        if not alerts:
            return []
        self._ensure()
        actions = [
            {
                "_op_type": "create",
                "_index": self.alerts_index,
                "_id": a.id,
                "_source": shapes.alert_document(a),
            }
            for a in alerts
        ]
        items = self._bulk(actions, "recording alerts")
        self._dirtied(self.alerts_index)
        self._check(items, (200, 201, 409), "recording alerts", "alert")  # 409: stored before
        created = {i["_id"] for i in items if i.get("status") in (200, 201)}
        fresh: dict[str, Alert] = {}
        for a in alerts:
            if a.id in created:
                fresh.setdefault(a.id, a)
        return list(fresh.values())

    def pending_alerts(self, limit: int = 500) -> list[Alert]:
        """Recorded alerts not yet marked published, oldest first."""
        self._ensure()
        body = shapes.alerts_body(limit, pending=True)
        hits = self._search(self.alerts_index, body, "reading pending alerts")["hits"]["hits"]
        return [decode_alert(h["_source"]) for h in hits]

    def mark_alerts_published(self, alert_ids: Sequence[str]) -> None:
        """Mark alerts as delivered to the alerts topic (unknown ids are ignored)."""
        if not alert_ids:
            return
        self._ensure()
        actions = [
            {
                "_op_type": "update",
                "_index": self.alerts_index,
                "_id": i,
                "doc": {"published": True},
            }
            for i in dict.fromkeys(alert_ids)
        ]
        items = self._bulk(actions, "marking alerts published")
        self._dirtied(self.alerts_index)
        self._check(items, (200, 201, 404), "marking alerts published", "alert")

    def alerts(self, limit: int = 100) -> list[Alert]:
        """The latest alerts, newest first."""
        self._ensure()
        body = shapes.alerts_body(limit, pending=False)
        hits = self._search(self.alerts_index, body, "reading alerts")["hits"]["hits"]
        return [decode_alert(h["_source"]) for h in hits]

    # -- lifecycle --------------------------------------------------------------------------
    def health(self) -> None:
        """Raise StoreError unless the cluster answers with status yellow or green."""
        with self._calls("checking cluster health"):
            status = self._client.cluster.health()["status"]
        if status not in ("green", "yellow"):
            raise StoreError(f"{self.name} at {self.address} is {status}", retriable=True)

    def close(self) -> None:
        """Close the client's connections."""
        self._client.close()


def _prior_matches(
    records: list[Enriched],
    pairs_of: dict[str, list[tuple[str, str]]],
    previous: dict[str, dict],
    before: dict[str, dict],
) -> dict[str, list[dict[str, Any]]]:
    """Check on arrival: for each complaint, its identifiers known before it and their counts.

    ``pairs_of`` maps complaint id -> its (kind, value) identifiers, ``previous`` holds the
    stored versions of the batch's complaints, ``before`` the registry
    documents of their identifiers. A complaint stored before keeps what it saw then, so a
    redelivery never counts itself or what came after it; an identifier new to a complaint counts
    the complaints the registry held before this batch plus those earlier in the batch.
    """
    in_batch: dict[str, int] = {}
    out: dict[str, list[dict[str, Any]]] = {}
    for r in records:
        old = previous.get(r.id) or {}
        old_keys = set(old.get("identifier_keys") or ())
        seen_then = {
            shapes.identifier_key(m["kind"], m["value"]): int(m["prior_count"])
            for m in old.get("prior_matches") or ()
        }
        pairs = pairs_of[r.id]
        matches = []
        for kind, value in pairs:
            key = shapes.identifier_key(kind, value)
            if key in old_keys:
                count = seen_then.get(key, 0)
            else:
                src = before.get(shapes.registry_doc_id(kind, value)) or {}
                count = int(src.get("complaint_count", 0)) + in_batch.get(key, 0)
            if count:
                matches.append({"kind": kind, "value": value, "prior_count": count})
        for kind, value in pairs:
            key = shapes.identifier_key(kind, value)
            if key not in old_keys:
                in_batch[key] = in_batch.get(key, 0) + 1
        out[r.id] = matches
    return out


def _retriable_status(status: object) -> bool:
    return not isinstance(status, int) or status in (408, 429) or status >= 500
