"""Stores (SQLite, Elasticsearch/OpenSearch), the registry, alerts: the index stage.

:func:`open_store` picks the backend from the ``SCAMTRAIL_STORE`` URL; the search-engine clients
are imported only when such a URL is used.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

from scamtrail.index.base import (
    ComplaintHit,
    LookupResult,
    RegistryEntry,
    RegistryUpdate,
    Stats,
    Store,
)

from scamtrail.errors import ConfigError
from scamtrail.settings import Settings

__all__ = [
    "ComplaintHit",
    "LookupResult",
    "RegistryEntry",
    "RegistryUpdate",
    "Stats",
    "Store",
    "open_store",
]

_ENGINE_SCHEMES = {
    "elasticsearch+http",
    "elasticsearch+https",
    "opensearch+http",
    "opensearch+https",
}


def open_store(settings: Settings) -> Store:
    """Open the store named by ``settings.store_url``."""
    url = settings.store_url
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        from scamtrail.index.sqlite import SqliteStore

        return SqliteStore(Path("/" + (parsed.netloc + parsed.path).lstrip("/")))
    if parsed.scheme in _ENGINE_SCHEMES:
        from scamtrail.index.search_engine import SearchEngineStore

        api_key = settings.store_api_key
        return SearchEngineStore(
            url,
            index_prefix=settings.index_prefix,
            ca_file=settings.store_ca_file,
            api_key=api_key.get_secret_value() if api_key else None,
        )
    raise ConfigError(
        f"unknown store URL {url!r}; use sqlite:///path/to/store.db or "
        "elasticsearch+http://host:9200 (or opensearch+http://...)"
    )
