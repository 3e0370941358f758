"""SearchEngineStore on a real engine (Elasticsearch 8 or OpenSearch 2 from deploy/local).

Run alone with ``pytest -p tests.fixtures_search tests/index/test_search_engine_store.py``.
"""

from __future__ import annotations

import dataclasses
import socket
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from scamtrail.index.search_engine import SearchEngineStore, parse_url

from scamtrail.errors import ConfigError, StoreError
from scamtrail.records import Enriched, Identifier
from tests.conftest import race, repeat_alert
from tests.fixtures_search import LocalSearchNode

A = "+919876543210"
B = "+918765432109"
UPI = "refund.desk@ybl"

Factory = Callable[..., SearchEngineStore]


def phone(value: str, text: str = "98765 43210", start: int = 0) -> Identifier:
    """A phone identifier as the extract stage writes it."""
    return Identifier(kind="phone", value=value, text=text, start=start, end=start + len(text))


def complaint(
    cid: str,
    text: str = "caller asked my OTP",
    *identifiers: Identifier,
    category: str = "bank_fraud",
    created_at: str = "2026-03-01T10:00:00Z",
    scores: dict[str, float] | None = None,
) -> Enriched:
    """An Enriched record built directly, as the index stage receives it."""
    return Enriched(
        id=cid,
        source="x",
        text=text,
        created_at=created_at,
        author={"id": "42", "username": "citizen", "name": "A Citizen"},
        lang="en",
        category=category,
        scores=scores if scores is not None else {category: 0.9},
        identifiers=list(identifiers),
        model="scamtrail-test 0",
    )


@pytest.fixture
def store(search_store_factory: Factory) -> SearchEngineStore:
    """A store with its own index prefix on the session's engine."""
    return search_store_factory()


def test_write_then_lookup(store: SearchEngineStore) -> None:
    updates = store.write(
        [
            complaint("x:1", "SBI KYC caller 98765 43210 asked my OTP", phone(A)),
            complaint(
                "x:2",
                "same number 9876543210 called again",
                phone(A, "9876543210"),
                phone(B),
                category="other",
                created_at="2026-03-02T10:00:00Z",
            ),
        ]
    )
    by_value = {u.entry.value: u for u in updates}
    assert by_value[A].before_count == 0 and by_value[A].entry.complaint_count == 2
    assert by_value[A].new_complaint_ids == ("x:1", "x:2")
    assert by_value[B].entry.complaint_ids == ("x:2",)

    result = store.lookup("phone", A)
    assert result.complaint_count == 2
    assert [c.id for c in result.complaints] == ["x:1", "x:2"]  # oldest first
    assert result.first_seen.startswith("2026-03-01T10:00:00")
    assert result.last_seen.startswith("2026-03-02T10:00:00")
    assert set(result.categories) == {"bank_fraud", "other"}
    assert result.complaints[0].author["username"] == "citizen"
    assert {"kind": "phone", "value": B} in result.complaints[1].identifiers
    assert store.lookup("phone", B).complaint_count == 1
    assert [c.id for c in store.lookup("phone", A, limit=1).complaints] == ["x:1"]


def test_unknown_identifier_has_count_zero(store: SearchEngineStore) -> None:
    result = store.lookup("phone", "+911111111111")
    assert (result.complaint_count, result.complaints, result.first_seen) == (0, (), None)
    assert store.registry("phone", ["+911111111111"]) == {}


def test_redelivered_batch_changes_no_count(store: SearchEngineStore) -> None:
    batch = [complaint(f"x:{i}", "otp fraud", phone(A)) for i in range(3)]
    first = store.write(batch)
    again = store.write(batch)
    assert store.lookup("phone", A).complaint_count == 3
    assert store.stats().complaints == 3
    (update,) = [u for u in again if u.entry.value == A]
    assert (update.before_count, update.entry.complaint_count) == (3, 3)
    assert update.new_complaint_ids == ()
    (update1,) = [u for u in first if u.entry.value == A]
    assert update1.before_count == 0 and update1.new_complaint_ids == ("x:0", "x:1", "x:2")


def test_identifier_named_twice_in_one_complaint_counts_once(store: SearchEngineStore) -> None:
    text = "call from 98765 43210, again 9876543210"
    updates = store.write([complaint("x:1", text, phone(A), phone(A, "9876543210", 27))])
    assert [(u.entry.value, u.entry.complaint_count) for u in updates] == [(A, 1)]
    assert store.lookup("phone", A).complaint_count == 1


def test_registry_counts_over_two_batches(store: SearchEngineStore) -> None:
    store.write([complaint("x:1", "otp", phone(A), created_at="2026-03-01T10:00:00Z")])
    upi = Identifier(kind="upi", value=UPI, text=UPI, start=0, end=len(UPI))
    updates = store.write(
        [
            complaint(
                "x:2", "otp again", phone(A), category="other", created_at="2026-02-01T10:00:00Z"
            ),
            complaint("x:3", "pay refund", upi, created_at="2026-03-03T10:00:00Z"),
        ]
    )
    by_value = {u.entry.value: u for u in updates}
    assert by_value[A].before_count == 1 and by_value[A].entry.complaint_count == 2
    assert by_value[A].new_complaint_ids == ("x:2",)
    assert by_value[A].entry.first_seen.startswith("2026-02-01")  # an older complaint, later
    assert by_value[A].entry.complaint_ids == ("x:2", "x:1")
    assert by_value[UPI].entry.complaint_count == 1
    entries = store.registry("phone", [A, B])
    assert entries.keys() == {A}
    assert entries[A].categories == ("bank_fraud", "other")
    assert store.registry("upi", [UPI])[UPI].complaint_ids == ("x:3",)


def test_reprocessed_complaint_moves_its_identifiers(store: SearchEngineStore) -> None:
    store.write([complaint("x:1", "otp", phone(A)), complaint("x:2", "otp", phone(A))])
    updates = store.write([complaint("x:2", "otp", phone(B))])  # the same complaint, re-extracted
    by_value = {u.entry.value: u for u in updates}
    assert (by_value[A].before_count, by_value[A].entry.complaint_count) == (2, 1)
    assert store.lookup("phone", A).complaint_count == 1
    assert store.lookup("phone", B).complaint_count == 1
    store.write([complaint("x:1", "no number after all")])
    assert store.registry("phone", [A]) == {}  # an entry left with no complaint is gone
    assert store.lookup("phone", A).complaint_count == 0


def _fail_bulk_call(store: SearchEngineStore, number: int) -> None:
    """Make the store's ``number``-th bulk call (1-based) fail as if the engine went away."""
    real = store._engine.streaming_bulk
    calls = {"n": 0}

    def flaky(client: Any, actions: Any, *args: Any, **kwargs: Any) -> Iterator[Any]:
        calls["n"] += 1
        if calls["n"] == number:
            if store.name == "opensearch":
                import opensearchpy

                raise opensearchpy.ConnectionError("N/A", "injected", OSError("injected"))
            import elasticsearch

            raise elasticsearch.ConnectionError("injected")
        return real(client, actions, *args, **kwargs)

    store._engine = dataclasses.replace(store._engine, streaming_bulk=flaky)


def test_crash_between_complaint_and_registry_writes_loses_no_removal(
    store: SearchEngineStore,
) -> None:
    store.write([complaint("x:1", "otp", phone(A)), complaint("x:2", "otp", phone(A))])
    _fail_bulk_call(store, 2)  # the complaint bulk succeeds, the registry bulk fails
    with pytest.raises(StoreError) as failed:
        store.write([complaint("x:2", "otp", phone(B))])
    assert failed.value.retriable
    store.write([complaint("x:2", "otp", phone(B))])  # the redelivery
    assert store.lookup("phone", A).complaint_count == 1
    assert store.lookup("phone", B).complaint_count == 1
    store.write([complaint("x:2", "otp", phone(B))])
    assert store.lookup("phone", A).complaint_count == 1


def _before_bulk_call(store: SearchEngineStore, number: int, act: Callable[[], None]) -> None:
    """Run ``act`` just before the store's ``number``-th bulk call (1-based) goes out."""
    real = store._engine.streaming_bulk
    calls = {"n": 0}

    def interleaved(client: Any, actions: Any, *args: Any, **kwargs: Any) -> Iterator[Any]:
        calls["n"] += 1
        if calls["n"] == number:
            act()
        return real(client, actions, *args, **kwargs)

    store._engine = dataclasses.replace(store._engine, streaming_bulk=interleaved)


def test_a_concurrent_writer_between_read_and_write_loses_no_sighting(
    search_store_factory: Factory,
) -> None:
    mine, theirs = search_store_factory(), search_store_factory()
    mine.write([complaint("x:1", "otp", phone(A)), complaint("x:2", "otp", phone(B))])
    # After ``mine`` read the registry for this batch, another worker adds to A, creates the
    # entry of UPI and empties B: every registry write of ``mine`` meets a changed entry.
    upi = Identifier(kind="upi", value=UPI, text=UPI, start=0, end=len(UPI))
    _before_bulk_call(
        mine,
        2,
        lambda: theirs.write(
            [complaint("x:3", "otp", phone(A), upi), complaint("x:2", "no number now")]
        ),
    )
    updates = mine.write([complaint("x:4", "otp", phone(A), phone(B), upi)])
    by_value = {u.entry.value: u for u in updates}
    assert by_value[A].entry.complaint_ids == ("x:1", "x:3", "x:4")
    assert by_value[UPI].entry.complaint_ids == ("x:3", "x:4")
    assert by_value[B].entry.complaint_ids == ("x:4",)
    assert by_value[A].new_complaint_ids == ("x:4",)
    assert mine.lookup("phone", A).complaint_count == 3
    assert mine.lookup("upi", UPI).complaint_count == 2
    assert mine.lookup("phone", B).complaint_count == 1
    assert mine.lookup("phone", B).complaints[0].id == "x:4"


def test_two_writers_at_once_count_every_complaint_once(search_store_factory: Factory) -> None:
    stores = [search_store_factory(), search_store_factory()]
    shared = [phone(f"+9198765432{i:02d}") for i in range(5)]

    def work(n: int) -> None:
        for round_no in range(6):
            batch = [
                complaint(f"x:{n}-{round_no}-{i}", "otp", *shared[i % 3 : i % 3 + 3])
                for i in range(10)
            ]
            stores[n].write(batch)
            stores[n].write(batch[:4])  # a redelivery, racing the other writer

    race(work)
    for i, ident in enumerate(shared):
        expected = {
            f"x:{n}-{r}-{j}"
            for n in range(2)
            for r in range(6)
            for j in range(10)
            if ident in shared[j % 3 : j % 3 + 3]
        }
        found = stores[0].lookup("phone", ident.value, limit=1000)
        assert {c.id for c in found.complaints} == expected, i
        assert found.complaint_count == len(expected)


def test_search_with_category_and_date_filters(store: SearchEngineStore) -> None:
    store.write(
        [
            complaint("x:1", "Caller asked my OTP for KYC", created_at="2026-01-05T00:00:00Z"),
            complaint(
                "x:2",
                "wrong side driving on the highway",
                category="traffic",
                created_at="2026-02-05T00:00:00Z",
            ),
            complaint("x:3", "OTP fraud again, caller said SBI", created_at="2026-03-05T00:00:00Z"),
            complaint(
                "x:4", "Bhai mera paisa kat gaya, OTP maanga tha", created_at="2026-03-06T00:00:00Z"
            ),
        ]
    )
    assert [h.id for h in store.search("otp")] == ["x:4", "x:3", "x:1"]
    assert [h.id for h in store.search("OTP caller SBI")] == ["x:3"]  # every word must match
    assert [h.id for h in store.search("paisa maanga")] == ["x:4"]
    assert [h.id for h in store.search("", category="traffic")] == ["x:2"]
    assert [h.id for h in store.search("otp", since="2026-02-01")] == ["x:4", "x:3"]
    assert [h.id for h in store.search("", until="2026-02-01")] == ["x:1"]
    assert [
        h.id for h in store.search("", since="2026-02-05T00:00:00Z", until="2026-03-06T00:00:00Z")
    ] == ["x:3", "x:2"]
    assert [h.id for h in store.search("", limit=2)] == ["x:4", "x:3"]
    assert store.search("otp", category="traffic") == []
    hit = store.search("highway")[0]
    assert hit.category == "traffic" and hit.score is not None and hit.score > 0


def test_search_folds_case_and_accents_where_the_cluster_can(store: SearchEngineStore) -> None:
    """Case is folded on every engine; accents only where the cluster has ``asciifolding``."""
    store.write([complaint("x:1", "Fraudster said he is from Bañk of Baroda, CAFÉ near station")])
    assert [h.id for h in store.search("café baroda")] == ["x:1"]
    assert [h.id for h in store.search("bañk")] == ["x:1"]
    folded = [h.id for h in store.search("cafe")]
    assert folded == (["x:1"] if store.folding else [])


def test_folding_is_chosen_by_what_the_cluster_has(store: SearchEngineStore) -> None:
    """The capability probe agrees with the analyzers the cluster really built for the index."""
    store.setup()
    client = store._client
    index = store.complaints_index
    analyzer = client.indices.get_settings(index=index)[index]["settings"]["index"]["analysis"]
    filters = analyzer["analyzer"]["scamtrail_text"]["filter"]
    assert filters == (["lowercase", "asciifolding"] if store.folding else ["lowercase"])
    tokens = client.indices.analyze(
        index=index, body={"analyzer": "scamtrail_text", "text": "CAFÉ"}
    )
    assert [t["token"] for t in tokens["tokens"]] == (["cafe"] if store.folding else ["café"])


JUNK_QUERIES = [
    '" OR 1=1 --',
    "'; DROP TABLE complaints; --",
    '{"match_all":{}}',
    "*:*",
    "AND OR NOT ( ]",
    "text:otp",
    'otp" OR "x',
    "/.*/",
    "otp~2 +caller -parking",
    "\x00\x01",
    "ओटीपी",
    "a" * 5000,
    "word " * 600,
    '{"query": {"script": {"script": "1"}}}',
]


def test_search_text_cannot_inject(store: SearchEngineStore) -> None:
    store.write([complaint("x:1", "caller asked my OTP"), complaint("x:2", "parking")])
    for query in JUNK_QUERIES:
        hits = store.search(query)
        assert {h.id for h in hits} <= {"x:1", "x:2"}, query
        if any(ch.isalnum() for ch in query) and "otp" not in query.lower():
            assert hits == [], query  # junk is searched for as words, never run as a query
    assert [h.id for h in store.search('otp" OR "x')] == []  # every word, "x" included
    assert store.stats().complaints == 2
    assert len(store.search("")) == 2


def test_others_see_writes_within_the_refresh_interval(search_store_factory: Factory) -> None:
    writer, reader = search_store_factory(), search_store_factory()
    writer.write([complaint("x:1", "otp scam", phone(A))])
    lookup = reader.lookup("phone", A)  # real-time reads by id: no wait at all
    assert lookup.complaint_count == 1 and [c.id for c in lookup.complaints] == ["x:1"]
    deadline = time.monotonic() + 5
    while not reader.search("scam") and time.monotonic() < deadline:
        time.sleep(0.1)
    assert [h.id for h in reader.search("scam")] == ["x:1"]


def test_top_identifiers(store: SearchEngineStore) -> None:
    upi = Identifier(kind="upi", value=UPI, text=UPI, start=0, end=len(UPI))
    store.write(
        [
            complaint("x:1", "a", phone(A)),
            complaint("x:2", "b", phone(A)),
            complaint("x:3", "c", phone(A), phone(B)),
            complaint("x:4", "d", phone(B), upi),
            complaint("x:5", "e", upi),
            complaint("x:6", "f", category="traffic"),
        ]
    )
    top = store.top_identifiers(limit=5, min_count=2)
    assert [(e.kind, e.value, e.complaint_count) for e in top][:1] == [("phone", A, 3)]
    assert {(e.value, e.complaint_count) for e in top[1:]} == {(B, 2), (UPI, 2)}
    assert [e.value for e in store.top_identifiers(min_count=2, kind="upi")] == [UPI]
    assert store.top_identifiers(limit=1) == top[:1]
    assert store.top_identifiers(min_count=4) == []


def test_stats(store: SearchEngineStore) -> None:
    assert store.stats().complaints == 0
    store.write(
        [
            complaint("x:1", "a", phone(A)),
            complaint("x:2", "b", phone(A)),
            complaint("x:3", "c", phone(A), phone(B)),
            complaint("x:4", "d", phone(B), category="other"),
            complaint("x:5", "e", category="traffic"),
        ]
    )
    store.record_alerts([repeat_alert(A)])
    st = store.stats()
    assert st.complaints == 5
    assert st.identifiers == 2
    assert st.by_category == {"bank_fraud": 3, "other": 1, "traffic": 1}
    assert st.by_kind == {"phone": 2}
    assert st.repeat_identifiers == 2
    assert st.alerts == 1


def test_record_alerts_once(store: SearchEngineStore) -> None:
    fresh = store.record_alerts([repeat_alert(A), repeat_alert(B), repeat_alert(A)])
    assert [a.id for a in fresh] == [repeat_alert(A).id, repeat_alert(B).id]
    assert store.record_alerts([repeat_alert(A)]) == []
    assert [a.id for a in store.record_alerts([repeat_alert(A), repeat_alert(A, level=3)])] == [
        repeat_alert(A, 3).id
    ]
    assert {a.id for a in store.pending_alerts()} == {
        repeat_alert(A).id,
        repeat_alert(B).id,
        repeat_alert(A, 3).id,
    }
    store.mark_alerts_published([repeat_alert(A).id, "no-such-alert"])
    assert {a.id for a in store.pending_alerts()} == {repeat_alert(B).id, repeat_alert(A, 3).id}
    assert {a.id for a in store.alerts()} == {
        repeat_alert(A).id,
        repeat_alert(B).id,
        repeat_alert(A, 3).id,
    }
    assert store.alerts(limit=1)[0].identifier.value in {A, B}
    assert store.stats().alerts == 3


def test_a_document_the_mapping_refuses_names_its_complaint(store: SearchEngineStore) -> None:
    good = complaint("x:good", "otp", phone(A))
    bad = complaint("x:bad", "otp", phone(A), scores={"bank..fraud": 0.5})
    with pytest.raises(StoreError) as refused:
        store.write([good, bad])
    assert not refused.value.retriable
    assert "x:bad" in str(refused.value) and "x:good" not in str(refused.value)
    store.write([good])  # what the index stage does next: one by one
    with pytest.raises(StoreError):
        store.write([bad])
    assert store.lookup("phone", A).complaint_count == 1
    assert store.stats().complaints == 1


def test_long_identifier_values_are_kept_whole(store: SearchEngineStore) -> None:
    url = "https://kyc-update.example/" + "x" * 600
    ident = Identifier(kind="url", value=url, text=url, start=0, end=len(url))
    store.write([complaint("x:1", "click this link", ident), complaint("x:2", "same link", ident)])
    result = store.lookup("url", url)
    assert result.complaint_count == 2 and result.value == url
    assert store.registry("url", [url])[url].value == url


def test_setup_is_idempotent_and_recovers_deleted_indices(search_store_factory: Factory) -> None:
    store = search_store_factory()
    store.setup()
    store.setup()
    store.write([complaint("x:1", "otp", phone(A))])
    search_store_factory().drop()  # deleted behind the store's back
    with pytest.raises(StoreError) as gone:
        store.write([complaint("x:2", "otp", phone(A))])
    assert gone.value.retriable
    store.write([complaint("x:2", "otp", phone(A))])  # the retry sets the indices up again
    assert store.lookup("phone", A).complaint_count == 1


def test_setup_adds_new_fields_to_indices_an_older_version_made(
    search_store_factory: Factory,
) -> None:
    store = search_store_factory()
    client = store._client
    old_registry = {"dynamic": False, "properties": {"kind": {"type": "keyword"}}}
    client.indices.create(index=store.registry_index, body={"mappings": old_registry})
    assert "complainants" not in _properties(client, store.registry_index)
    store.setup()
    fields = _properties(client, store.registry_index)
    assert {"complainants", "sources", "value", "last_seen"} <= set(fields)
    store.write([complaint("x:1", "otp", phone(A)), complaint("x:2", "otp", phone(A))])
    assert store.top_identifiers(min_count=2)[0].complaint_count == 2


def _properties(client: Any, index: str) -> dict[str, Any]:
    mapping = client.indices.get_mapping(index=index)
    return dict(mapping[index]["mappings"].get("properties", {}))


@pytest.mark.slow
@pytest.mark.opensearch
def test_engine_stopped_and_restarted_loses_and_duplicates_nothing(
    local_search_node: LocalSearchNode,
) -> None:
    store = SearchEngineStore(local_search_node.url, index_prefix="t-restart-")
    try:
        store.write([complaint("x:1", "otp", phone(A))])
        store.record_alerts([repeat_alert(A)])
        local_search_node.stop()
        with pytest.raises(StoreError) as down:
            store.write([complaint("x:2", "otp", phone(A))])
        assert down.value.retriable
        local_search_node.start()
        store.write([complaint("x:2", "otp", phone(A))])  # the retry ...
        store.write([complaint("x:1", "otp", phone(A)), complaint("x:2", "otp", phone(A))])
        assert store.lookup("phone", A).complaint_count == 2
        assert store.stats().complaints == 2
        assert store.record_alerts([repeat_alert(A)]) == []  # remembered across the restart
    finally:
        store.close()


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_unreachable_engine_is_a_retriable_store_error(search_url: str) -> None:
    scheme = search_url.partition("://")[0]
    store = SearchEngineStore(f"{scheme}://127.0.0.1:{_closed_port()}", index_prefix="t-gone-")
    try:
        with pytest.raises(StoreError) as down:
            store.write([complaint("x:1")])
        assert down.value.retriable
        with pytest.raises(StoreError):
            store.health()
    finally:
        store.close()


@pytest.mark.parametrize(
    ("url", "engine", "address", "auth"),
    [
        ("elasticsearch+http://127.0.0.1:9200", "elasticsearch", "http://127.0.0.1:9200", None),
        (
            "elasticsearch+https://elastic:p%40ss@es.local",
            "elasticsearch",
            "https://es.local:9200",
            ("elastic", "p@ss"),
        ),
        ("opensearch+http://localhost:9201/", "opensearch", "http://localhost:9201", None),
    ],
)
def test_store_urls(url: str, engine: str, address: str, auth: tuple[str, str] | None) -> None:
    endpoint = parse_url(url)
    assert (endpoint.engine, endpoint.http_url, endpoint.basic_auth) == (engine, address, auth)


@pytest.mark.parametrize(
    ("url", "prefix"),
    [
        ("http://127.0.0.1:9200", "scamtrail-"),
        ("kafka://127.0.0.1:9092", "scamtrail-"),
        ("opensearch+http://127.0.0.1:9200", "Upper-"),
        ("opensearch+http://127.0.0.1:9200", "_x"),
    ],
)
def test_bad_urls_and_prefixes_are_config_errors(url: str, prefix: str) -> None:
    with pytest.raises(ConfigError):
        SearchEngineStore(url, index_prefix=prefix)


def test_entries_written_last_are_not_read_again(search_store_factory: Factory) -> None:
    store = search_store_factory()
    store.write([complaint("x:1", "otp", phone(A))])
    read: list[str] = []
    real = store._mget_many

    def counting(wanted: Any) -> Any:
        read.extend(i for index, i, _ in wanted if index == store.registry_index)
        return real(wanted)

    store._mget_many = counting  # type: ignore[method-assign]
    store.write([complaint("x:2", "otp", phone(A), phone(B))])
    assert read == [f"phone:{B}"]  # A was written by this store last: its version is known
    assert store.lookup("phone", A).complaint_count == 2


def test_a_cached_entry_changed_by_another_writer_is_read_again(
    search_store_factory: Factory,
) -> None:
    mine, theirs = search_store_factory(), search_store_factory()
    mine.write([complaint("x:1", "otp", phone(A))])
    theirs.write([complaint("x:2", "otp", phone(A))])  # mine's cached version is now stale
    updates = mine.write([complaint("x:3", "otp", phone(A))])
    assert updates[0].entry.complaint_ids == ("x:1", "x:2", "x:3")
    assert mine.lookup("phone", A).complaint_count == 3


def test_the_entry_cache_holds_a_bounded_number_of_sightings() -> None:
    from scamtrail.index.search_registry import EntryCache, Versioned

    cache = EntryCache(max_sightings=10)
    entry = Versioned({"sightings": {"x:1": [], "x:2": []}}, seq_no=1, primary_term=1)  # size 3
    for i in range(5):
        cache.put(f"phone:{i}", entry)
    assert len(cache) == 3 and cache.get("phone:0") is None and cache.get("phone:4") is entry
    cache.put("phone:big", Versioned({"sightings": dict.fromkeys(map(str, range(20)))}, 1, 1))
    assert cache.get("phone:big") is None and len(cache) == 3
    cache.drop("phone:4")
    assert cache.get("phone:4") is None and len(cache) == 2


def test_upgrade_moves_complaints_to_a_new_index_through_the_alias(
    search_store_factory: Factory,
) -> None:
    store = search_store_factory()
    store.write([complaint("x:1", "OTP fraud", phone(A)), complaint("x:2", "otp again", phone(A))])
    before = (store.lookup("phone", A).complaint_count, store.stats().complaints)
    assert store.upgrade_complaints() == f"{store.prefix}complaints-v2"
    client = store._client
    aliases = client.indices.get_alias(name=store.complaints_alias)
    assert list(aliases) == [f"{store.prefix}complaints-v2"]
    assert client.indices.exists(index=f"{store.prefix}complaints-v1")  # kept for the operator
    assert (store.lookup("phone", A).complaint_count, store.stats().complaints) == before
    assert sorted(h.id for h in store.search("otp")) == ["x:1", "x:2"]
    store.write([complaint("x:3", "otp third", phone(A))])  # lands in v2, counted once
    other = search_store_factory()
    other.setup()
    assert other.complaints_index == f"{store.prefix}complaints-v2"
    other.write([complaint("x:2", "otp again", phone(A))])  # a redelivery changes nothing
    store.refresh()
    assert store.lookup("phone", A).complaint_count == 3
    assert store.stats().complaints == 3
    assert client.count(index=f"{store.prefix}complaints-v2")["count"] == 3
