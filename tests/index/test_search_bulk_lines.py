"""The search store encodes bulk lines itself (``_bulk_lines``): the same lines, for every kind of
action the store sends, as the bulk helpers of both clients would make. No engine needed."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from scamtrail.index.search_engine import SearchEngineStore

ACTIONS: list[dict[str, Any]] = [
    {"_index": "p-complaints", "_id": "x:1", "_source": {"text": "Zahlung fällig ₹500", "n": 1}},
    {"_op_type": "create", "_index": "p-identifiers", "_id": "phone:+91", "_source": {"a": [1]}},
    {
        "_op_type": "index",
        "_index": "p-identifiers",
        "_id": "upi:a@b",
        "if_seq_no": 7,
        "if_primary_term": 2,
        "_source": {"sightings": {"x:1": ["2026-03-01T10:00:00Z", "otp", "", "x"]}},
    },
    {
        "_op_type": "delete",
        "_index": "p-identifiers",
        "_id": "url:http://a",
        "if_seq_no": 3,
        "if_primary_term": 1,
    },
    {"_op_type": "update", "_index": "p-alerts", "_id": "repeat:1", "doc": {"published": True}},
    {"_index": "p-alerts", "_id": "d", "_source": {"day": datetime.date(2026, 3, 1)}},
]


def _helper_lines(engine: str, action: dict[str, Any]) -> tuple[Any, Any]:
    """What the client's own helper makes of ``action``: (action line, body line or None)."""
    if engine == "opensearch":
        from opensearchpy.helpers.actions import expand_action
        from opensearchpy.serializer import JSONSerializer

        dumps = JSONSerializer().dumps
    else:
        from elasticsearch.helpers.actions import expand_action
        from elasticsearch.serializer import JsonSerializer

        def dumps(data: Any) -> str:
            return JsonSerializer().dumps(data).decode("utf-8")

    head, body = expand_action(action)
    return dumps(head), None if body is None else dumps(body)


@pytest.mark.parametrize("engine", ["opensearch", "elasticsearch"])
@pytest.mark.parametrize("action", ACTIONS, ids=lambda a: a.get("_op_type", "index"))
def test_bulk_lines_are_the_helpers_lines(engine: str, action: dict[str, Any]) -> None:
    store = SearchEngineStore(f"{engine}+http://127.0.0.1:1", index_prefix="t-")  # no connection
    try:
        head, body = store._encode_bulk_line(dict(action))
        want_head, want_body = _helper_lines(engine, dict(action))
        assert json.loads(head) == json.loads(want_head)
        assert (body is None) == (want_body is None)
        if body is not None:
            assert json.loads(body) == json.loads(want_body)
            assert body == want_body  # byte for byte: compact, non-ASCII kept
    finally:
        store.close()


def test_an_action_is_not_changed_by_encoding() -> None:
    store = SearchEngineStore("opensearch+http://127.0.0.1:1", index_prefix="t-")
    try:
        action = dict(ACTIONS[2])
        store._encode_bulk_line(action)
        assert action == ACTIONS[2]  # a retried chunk is encoded again from the same actions
    finally:
        store.close()
