"""The Kibana saved objects in deploy/kibana against the fields a real cluster created.

tests/deploy/test_kibana.py checks them against the Python mapping dict; this asks the engine
itself (``_field_caps`` and ``GET _mapping`` on the indices the store set up), on Elasticsearch and
on OpenSearch, so that a mapping the server reads differently (a type it rewrites, a multi-field it
drops, an analyzer it lacks) fails here rather than in a user's Kibana.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from scamtrail.index.search_engine import SearchEngineStore

from tests.deploy.test_kibana import PREFIX, _data_view_of, _objects, _uses

Factory = Callable[..., SearchEngineStore]


def _live_fields(store: SearchEngineStore, title: str) -> dict[str, dict[str, Any]]:
    """Field name -> capabilities (one type's) for the indices a data view title matches."""
    pattern = store.prefix + title.removeprefix(PREFIX)
    caps = store._client.field_caps(index=pattern, fields="*")
    out = {}
    for name, by_type in caps["fields"].items():
        kinds = [k for k in by_type if not k.startswith("_")]
        if name.startswith("_") or len(kinds) != 1:
            continue
        out[name] = {"type": kinds[0], **by_type[kinds[0]]}
    assert out, f"data view {title!r} ({pattern}) matches no index on the cluster"
    return out


def _data_views(store: SearchEngineStore) -> dict[str, dict[str, dict[str, Any]]]:
    return {
        o["id"]: _live_fields(store, o["attributes"]["title"])
        for o in _objects()
        if o["type"] == "index-pattern"
    }


def test_every_field_the_saved_objects_use_exists_on_the_cluster(
    search_store_factory: Factory,
) -> None:
    store = search_store_factory()
    store.setup()
    views = _data_views(store)
    checked = 0
    for o in _objects():
        if o["type"] == "index-pattern":
            time_field = o["attributes"].get("timeFieldName")
            if time_field:
                assert views[o["id"]][time_field]["type"] == "date", o["id"]
            continue
        if o["type"] not in ("search", "visualization"):
            continue
        fields = views[_data_view_of(o)]
        for field, use in _uses(o):
            checked += 1
            where = f"{o['id']} uses {field!r} ({use})"
            assert field in fields, f"{where}: the cluster has no such field"
            if use == "search":
                assert fields[field]["searchable"], f"{where}: not searchable on the cluster"
            if use == "aggregate":
                assert fields[field]["aggregatable"], f"{where}: not aggregatable on the cluster"
    assert checked >= 30


def test_the_cluster_mapping_keeps_the_types_the_store_asked_for(
    search_store_factory: Factory,
) -> None:
    """``GET _mapping`` on the real complaints index: the text field uses the store's analyzer."""
    store = search_store_factory()
    store.setup()
    index = store.complaints_index
    props = store._client.indices.get_mapping(index=index)[index]["mappings"]["properties"]
    assert props["text"] == {"type": "text", "analyzer": "scamtrail_text"}
    assert props["id"]["type"] == "keyword"
