"""The store contract, run on every backend (SQLite; the search engine with its marker)."""

from __future__ import annotations

import pytest

from tests.conftest import enriched, repeat_alert

A = "+919876543210"
B = "+918765432109"


def test_write_then_lookup(store_factory):
    store = store_factory()
    store.write(
        [
            enriched(
                "x:1", "SBI KYC caller 98765 43210", phones=(A,), created_at="2026-03-01T10:00:00Z"
            ),
            enriched(
                "x:2",
                "same number called again",
                phones=(A, B),
                created_at="2026-03-02T10:00:00Z",
                category="other",
            ),
        ]
    )
    result = store.lookup("phone", A)
    assert result.complaint_count == 2
    assert [c.id for c in result.complaints] == ["x:1", "x:2"]
    assert result.first_seen.startswith("2026-03-01T10:00:00")
    assert result.last_seen.startswith("2026-03-02T10:00:00")
    assert set(result.categories) == {"bank_fraud", "other"}
    assert result.complaints[0].author["username"] == "citizen"
    assert store.lookup("phone", B).complaint_count == 1


def test_unknown_identifier_has_count_zero(store_factory):
    store = store_factory()
    result = store.lookup("phone", "+911111111111")
    assert result.complaint_count == 0
    assert result.complaints == ()


def test_redelivered_batch_changes_no_count(store_factory):
    store = store_factory()
    batch = [enriched(f"x:{i}", phones=(A,)) for i in range(3)]
    first = store.write(batch)
    again = store.write(batch)
    assert store.lookup("phone", A).complaint_count == 3
    assert store.stats().complaints == 3
    (update,) = [u for u in again if u.entry.value == A]
    assert update.before_count == 3 and update.entry.complaint_count == 3
    assert update.new_complaint_ids == ()
    (update1,) = [u for u in first if u.entry.value == A]
    assert update1.before_count == 0 and sorted(update1.new_complaint_ids) == ["x:0", "x:1", "x:2"]


def test_identifier_named_twice_in_one_complaint_counts_once(store_factory):
    store = store_factory()
    store.write([enriched("x:1", phones=(A, A))])
    assert store.lookup("phone", A).complaint_count == 1


def test_counts_accumulate_over_batches(store_factory):
    store = store_factory()
    store.write([enriched("x:1", phones=(A,))])
    updates = store.write([enriched("x:2", phones=(A,)), enriched("x:3", upis=("fraud@ybl",))])
    by_value = {u.entry.value: u for u in updates}
    assert by_value[A].before_count == 1 and by_value[A].entry.complaint_count == 2
    assert by_value["fraud@ybl"].entry.complaint_count == 1
    assert store.registry("phone", [A, B]).keys() == {A}


def test_an_update_cites_the_oldest_complaints_up_to_the_cap_and_counts_them_all(store_factory):
    from scamtrail.index.base import MAX_CITED, MAX_RECENT

    store = store_factory()
    n = max(MAX_CITED, MAX_RECENT) + 20
    store.write(
        [
            enriched(
                f"x:{i:04d}", phones=(A,), created_at=f"2026-03-01T10:{i // 60:02d}:{i % 60:02d}Z"
            )
            for i in range(n - 1)
        ]
    )
    (update,) = store.write([enriched("x:last", phones=(A,), created_at="2026-03-02T10:00:00Z")])
    assert update.entry.complaint_count == n
    assert update.entry.complaint_ids == tuple(f"x:{i:04d}" for i in range(MAX_CITED))
    assert len(update.recent) == MAX_RECENT
    assert update.recent[-1][1] == "x:last"
    assert store.lookup("phone", A).complaint_count == n


def test_reprocessed_complaint_moves_its_identifiers(store_factory):
    store = store_factory()
    store.write([enriched("x:1", phones=(A,)), enriched("x:2", phones=(A,))])
    store.write([enriched("x:2", phones=(B,))])  # the same complaint, re-extracted
    assert store.lookup("phone", A).complaint_count == 1
    assert store.lookup("phone", B).complaint_count == 1


def test_search_words_category_and_dates(store_factory):
    store = store_factory()
    store.write(
        [
            enriched("x:1", "Caller asked my OTP for KYC", created_at="2026-01-05T00:00:00Z"),
            enriched(
                "x:2",
                "wrong side driving on the highway",
                category="traffic",
                created_at="2026-02-05T00:00:00Z",
            ),
            enriched("x:3", "OTP fraud again, caller said SBI", created_at="2026-03-05T00:00:00Z"),
        ]
    )
    assert [h.id for h in store.search("otp")] == ["x:3", "x:1"]
    assert [h.id for h in store.search("otp caller sbi")] == ["x:3"]
    assert [h.id for h in store.search("", category="traffic")] == ["x:2"]
    assert [h.id for h in store.search("otp", since="2026-02-01")] == ["x:3"]
    assert [h.id for h in store.search("", until="2026-02-01")] == ["x:1"]
    assert [h.id for h in store.search("", limit=2)] == ["x:3", "x:2"]


def test_search_filters_on_needs_review_and_returns_it(store_factory):
    store = store_factory()
    unsure = enriched("x:1", "caller said KYC pending", created_at="2026-01-05T00:00:00Z")
    store.write(
        [
            unsure.model_copy(update={"needs_review": True}),
            enriched("x:2", "caller said KYC done", created_at="2026-01-06T00:00:00Z"),
        ]
    )
    assert [(h.id, h.needs_review) for h in store.search("caller")] == [
        ("x:2", False),
        ("x:1", True),
    ]
    assert [h.id for h in store.search("caller", needs_review=True)] == ["x:1"]
    assert [h.id for h in store.search("", needs_review=False)] == ["x:2"]
    assert store.search("caller", needs_review=True)[0].to_dict()["needs_review"] is True


def test_search_filters_on_source(store_factory):
    store = store_factory()
    from_form = enriched("intake:1", "caller asked OTP", created_at="2026-01-05T00:00:00Z")
    store.write(
        [
            from_form.model_copy(update={"source": "intake"}),
            enriched("x:2", "caller asked OTP again", created_at="2026-01-06T00:00:00Z"),
        ]
    )
    assert [h.id for h in store.search("otp", source="intake")] == ["intake:1"]
    assert [h.id for h in store.search("", source="x")] == ["x:2"]
    assert store.search("otp", source="replay") == []
    assert [h.id for h in store.search("otp")] == ["x:2", "intake:1"]


@pytest.mark.parametrize(
    "query",
    [
        '" OR 1=1 --',
        "'; DROP TABLE complaints; --",
        '{"match_all":{}}',
        "*:*",
        "AND OR NOT ( ]",
        "NEAR(otp",
        "text:otp",
        "\x00\x01",
        "ओटीपी",
        "a" * 5000,
    ],
)
def test_search_text_cannot_inject(store_factory, query):
    store = store_factory()
    store.write([enriched("x:1", "caller asked my OTP"), enriched("x:2", "parking")])
    hits = store.search(query)
    assert all(h.id in {"x:1", "x:2"} for h in hits)
    assert store.stats().complaints == 2
    assert len(store.search("")) == 2


def test_top_identifiers_and_stats(store_factory):
    store = store_factory()
    store.write(
        [
            enriched("x:1", phones=(A,)),
            enriched("x:2", phones=(A,)),
            enriched("x:3", phones=(A, B)),
            enriched("x:4", phones=(B,), category="other"),
            enriched("x:5", category="traffic"),
        ]
    )
    top = store.top_identifiers(limit=5, min_count=2)
    assert [(e.value, e.complaint_count) for e in top] == [(A, 3), (B, 2)]
    st = store.stats()
    assert st.complaints == 5
    assert st.identifiers == 2
    assert st.by_category == {"bank_fraud": 3, "other": 1, "traffic": 1}
    assert st.repeat_identifiers == 2


def test_alerts_are_recorded_once_and_kept_until_published(store_factory):
    store = store_factory()
    fresh = store.record_alerts([repeat_alert(A), repeat_alert(B)])
    assert {a.id for a in fresh} == {repeat_alert(A).id, repeat_alert(B).id}
    assert store.record_alerts([repeat_alert(A)]) == []
    assert {a.id for a in store.pending_alerts()} == {repeat_alert(A).id, repeat_alert(B).id}
    store.mark_alerts_published([repeat_alert(A).id])
    assert [a.id for a in store.pending_alerts()] == [repeat_alert(B).id]
    assert {a.id for a in store.alerts()} == {repeat_alert(A).id, repeat_alert(B).id}
    assert store.stats().alerts == 2


def test_lookup_newest_first_and_complaints_per_day(store_factory):
    store = store_factory()
    store.write(
        [
            enriched("x:1", phones=(A,), created_at="2026-03-01T10:00:00Z"),
            enriched("x:2", phones=(A,), created_at="2026-03-01T23:59:00Z"),
            enriched("x:3", phones=(A, B), created_at="2026-03-04T08:00:00Z"),
        ]
    )
    assert [c.id for c in store.lookup("phone", A, limit=2).complaints] == ["x:1", "x:2"]
    newest = store.lookup("phone", A, limit=2, newest_first=True)
    assert [c.id for c in newest.complaints] == ["x:3", "x:2"] and newest.complaint_count == 3
    assert store.complaint_days("phone", A) == {"2026-03-01": 2, "2026-03-04": 1}
    assert store.complaint_days("phone", B) == {"2026-03-04": 1}
    assert store.complaint_days("phone", "+910000000000") == {}


def test_alerts_of_one_identifier_newest_first(store_factory):
    from scamtrail.records import Alert, Identifier

    store = store_factory()
    url = "https://x.example/a"
    longer = "https://x.example/a:8080/b"  # shares the id prefix of ``url``
    alerts = [repeat_alert(A, 2), repeat_alert(B, 2)] + [
        Alert(
            id=f"repeat:url:{v}:2",
            rule="repeat",
            level=2,
            identifier=Identifier(kind="url", value=v),
            complaint_ids=["x:1", "x:2"],
            complaint_count=2,
        )
        for v in (url, longer)
    ]
    store.record_alerts(alerts)
    store.record_alerts([repeat_alert(A, 5)])
    store.refresh()
    assert [a.id for a in store.identifier_alerts("phone", A)] == [
        f"repeat:phone:{A}:5",
        f"repeat:phone:{A}:2",
    ]
    assert [a.identifier.value for a in store.identifier_alerts("url", url)] == [url]
    assert store.identifier_alerts("phone", "+910000000000") == []
