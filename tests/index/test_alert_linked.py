"""The ``linked`` alert rule on real stores: a new identifier named beside a known repeat."""

from __future__ import annotations

from scamtrail.index.alerts import AlertRules, LinkedRule
from scamtrail.index.allowlist import Allowlist, AllowlistEntry
from scamtrail.index.base import IdentifierMark

from scamtrail.settings import AlertSettings
from tests.conftest import enriched

A, B, C = "+919876543210", "+918765432109", "+917654321098"
U = "9876543210@ybl"


def raise_and_record(store, rules, batch):
    updates = store.write(batch)
    return sorted(a.id for a in store.record_alerts(rules.evaluate(updates, store)))


def test_a_new_number_beside_a_repeat_raises_one_alert_naming_the_ring(store_factory):
    store = store_factory()
    rules = AlertRules([LinkedRule()], Allowlist())
    known = [enriched("x:1", upis=(U,)), enriched("x:2", upis=(U,))]
    assert raise_and_record(store, rules, known) == []
    batch = [enriched("x:3", phones=(B,), upis=(U,))]
    assert raise_and_record(store, rules, batch) == [f"linked:phone:{B}"]
    assert raise_and_record(store, rules, batch) == []  # redelivered: kept once
    (alert,) = store.alerts()
    ring = store.ring("phone", B)
    assert alert.rule == "linked" and alert.complaint_ids == ["x:3"]
    assert alert.details["ring"] == ring.id and alert.details["ring_size"] == 2
    assert alert.details["beside"] == [{"kind": "upi", "value": U, "complaint_count": 3}]
    assert ring.id in alert.message and U in alert.message
    # B is no longer new: a number named beside it raises nothing, nor does B's second complaint
    assert raise_and_record(store, rules, [enriched("x:4", phones=(B, C))]) == []


def test_beside_an_identifier_not_yet_at_repeat_level_nothing(store_factory):
    store = store_factory()
    rules = AlertRules([LinkedRule()], Allowlist())
    assert raise_and_record(store, rules, [enriched("x:1", upis=(U,))]) == []
    # U reaches two complaints with this very complaint: it was not known as a repeat before
    assert raise_and_record(store, rules, [enriched("x:2", phones=(B,), upis=(U,))]) == []


def test_a_batch_redelivered_before_its_alerts_were_recorded_raises_them(store_factory):
    store = store_factory()
    rules = AlertRules([LinkedRule()], Allowlist())
    store.write([enriched("x:1", upis=(U,)), enriched("x:2", upis=(U,))])
    batch = [enriched("x:3", phones=(B,), upis=(U,))]
    store.write(batch)  # the stage stopped before evaluating the rules
    assert raise_and_record(store, rules, batch) == [f"linked:phone:{B}"]


def test_allow_listed_and_false_positive_identifiers_raise_nothing(store_factory):
    store = store_factory()
    official = Allowlist([AllowlistEntry("upi", U, "bank helpline")])
    rules = AlertRules([LinkedRule()], official)
    store.write([enriched("x:1", upis=(U,)), enriched("x:2", upis=(U,))])
    assert raise_and_record(store, rules, [enriched("x:3", phones=(B,), upis=(U,))]) == []
    store.set_mark(
        IdentifierMark("phone", C, "false_positive", "a shop", "inspector", "2026-03-05")
    )
    rules = AlertRules([LinkedRule()], Allowlist())
    assert raise_and_record(store, rules, [enriched("x:4", phones=(C,), upis=(U,))]) == []


def test_settings_turn_the_rule_on_and_off():
    on = AlertRules.from_settings(AlertSettings(repeat_levels=(3, 5)))
    (linked,) = [r for r in on.rules if isinstance(r, LinkedRule)]
    assert linked.level == 3
    off = AlertRules.from_settings(AlertSettings(linked=False))
    assert not [r for r in off.rules if isinstance(r, LinkedRule)]


def test_new_identifiers_of_one_ring_in_one_batch_each_name_the_ring_the_store_finds(
    store_factory,
):
    store = store_factory()
    rules = AlertRules([LinkedRule()], Allowlist())
    store.write([enriched("x:1", upis=(U,)), enriched("x:2", upis=(U,))])
    # two complaints of the batch tie B and C to U, and B to another new number D besides
    D = "+916543210987"
    batch = [enriched("x:3", phones=(B, D), upis=(U,)), enriched("x:4", phones=(C,), upis=(U,))]
    alerts = {a.identifier.value: a for a in rules.evaluate(store.write(batch), store)}
    assert sorted(alerts) == sorted([B, C, D])
    for value, alert in alerts.items():
        ring = store.ring("phone", value)  # read alone, after the rules ran
        assert alert.details["ring"] == ring.id and alert.details["ring_size"] == ring.size == 4
