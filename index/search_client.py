"""The search-engine store's connection: the store URL, the vendor client, and every engine call.

:func:`connect` builds the ``elasticsearch`` 8.x or ``opensearch-py`` client for a parsed URL
(:func:`parse_url`); only :class:`Engine` (client, bulk helper, exception classes) differs between
the two. :class:`SearchClient` is the base of the store and of each of its parts (``search_*``
mixins): it holds the client and makes every call through :meth:`SearchClient._calls`, where
vendor exceptions become :class:`~scamtrail.errors.StoreError`, here and nowhere else: no answer,
HTTP 408, 429 and 5xx are ``retriable``; a refused document names its id and is not.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

from scamtrail.errors import ConfigError, StoreError

_SCHEMES = {
    "elasticsearch+http": ("elasticsearch", "http"),
    "elasticsearch+https": ("elasticsearch", "https"),
    "opensearch+http": ("opensearch", "http"),
    "opensearch+https": ("opensearch", "https"),
}
_MGET_CHUNK = 2000
_BULK_CHUNK = 2000
_BULK_CHUNK_BYTES = 20 * 1024 * 1024
_MGET_ANSWER = "docs._id,docs.found,docs._source,docs._seq_no,docs._primary_term,docs.error"
_BULK_ANSWER = (
    "errors,items.*._id,items.*.status,items.*.error,items.*.result,"
    "items.*._seq_no,items.*._primary_term"
)
#: The metadata keys of a bulk action (the rest of an action is its document or update body).
_BULK_META = ("_index", "_id", "if_seq_no", "if_primary_term", "routing")


@dataclass(frozen=True, slots=True)
class Endpoint:
    """A parsed store URL: which engine, where, and the credentials apart from the address."""

    engine: str
    http_url: str
    username: str | None = None
    password: str | None = None

    @property
    def basic_auth(self) -> tuple[str, str] | None:
        """(user, password) for HTTP basic auth, or None when the URL names no user."""
        if self.username is None:
            return None
        return (self.username, self.password or "")


def parse_url(url: str) -> Endpoint:
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
    return Endpoint(
        engine=engine,
        http_url=f"{http_scheme}://{host}:{port}{path}",
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
    )


@dataclass(frozen=True, slots=True)
class Engine:
    """What differs between Elasticsearch and OpenSearch: client, bulk helper, exceptions."""

    name: str
    client: Any
    streaming_bulk: Callable[..., Iterator[tuple[bool, dict[str, Any]]]]
    errors: tuple[type[BaseException], ...]
    status_of: Callable[[BaseException], int | None]


def connect(endpoint: Endpoint, ca_file: str | None, api_key: str | None) -> Engine:
    """The client for ``endpoint``, imported lazily with an error that says what to install."""
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

        return Engine(
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

    return Engine(
        "opensearch",
        os_client,
        os_helpers.streaming_bulk,
        (opensearchpy.TransportError,),
        os_status,
    )


def error_reason(exc: BaseException) -> str:
    """``type: reason`` of an engine's error answer, else the exception's name."""
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


def _retriable_status(status: object) -> bool:
    return not isinstance(status, int) or status in (408, 429) or status >= 500


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


class SearchClient:
    """The engine client of a search-engine store and the calls every part of it makes.

    ``_ready`` is False until the indices are set up (:mod:`.search_indices`), and again after
    an answer says an index is gone. ``_dirty`` names the indices this instance wrote to since it
    last refreshed them: a search of one refreshes it first, so an instance reads its own writes.
    """

    name: str
    address: str
    _engine: Engine
    _client: Any
    _ready: bool

    def _connect(self, endpoint: Endpoint, ca_file: str | None, api_key: str | None) -> None:
        """Open the client for ``endpoint``; no request is sent yet."""
        self.name = endpoint.engine
        self.address = endpoint.http_url
        self._engine = connect(endpoint, ca_file, api_key)
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

    # -- errors -----------------------------------------------------------------------------
    def _error(self, exc: BaseException, doing: str) -> StoreError:
        status = self._engine.status_of(exc)
        if status is None:
            return StoreError(
                f"{self.name} at {self.address} did not answer while {doing}: "
                f"{type(exc).__name__}: {exc}",
                retriable=True,
            )
        if status == 404 and "index_not_found" in error_reason(exc):
            self._ready = False  # deleted behind our back: set up again on the next call
            return StoreError(f"{self.name}: {doing}: {error_reason(exc)}", retriable=True)
        retriable = status in (408, 429) or status >= 500
        return StoreError(
            f"{self.name} refused {doing}: HTTP {status} {error_reason(exc)}", retriable=retriable
        )

    @contextmanager
    def _calls(self, doing: str) -> Iterator[None]:
        """Run engine calls; a vendor exception leaves as a StoreError that says ``doing``."""
        try:
            yield
        except self._engine.errors as exc:
            raise self._error(exc, doing) from exc

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

    def _dirtied(self, *indices: str) -> None:
        """Note that this instance wrote to ``indices`` (see the class docstring)."""
        with self._lock:
            self._dirty.update(indices)

    def _refresh_if_written(self, index: str, doing: str) -> None:
        """Refresh ``index`` if this instance wrote to it since it last read it."""
        with self._lock:
            stale = index in self._dirty
            self._dirty.discard(index)
        if stale:
            with self._calls(doing):
                self._client.indices.refresh(index=index)

    def _search(self, index: str, body: dict[str, Any], doing: str) -> dict[str, Any]:
        """Search, after refreshing ``index`` if this instance wrote to it since it last read."""
        self._refresh_if_written(index, doing)
        with self._calls(doing):
            return self._client.search(index=index, body=body)
