from __future__ import annotations

import datetime as dt

import pytest

from core.crm import ConsentRow, clean_segment_rules, consent_decision, parse_tags, plan_bucket

T0 = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def row(i, contact, opted_in, minutes):
    return ConsentRow(i, contact, opted_in, T0 + dt.timedelta(minutes=minutes))


def test_the_newest_word_of_the_person_decides_and_the_contact_comes_before_the_client():
    assert consent_decision("marketing", [], None) == (True, "No objection on record.")
    out_then_in = [row(1, None, False, 0), row(2, None, True, 5)]
    assert consent_decision("marketing", out_then_in, None)[0]
    assert not consent_decision("marketing", [*out_then_in, row(3, None, False, 9)], None)[0]
    # the contact opted out although the client did not
    assert not consent_decision("marketing", [row(1, None, True, 0), row(2, 7, False, 1)], 7)[0]
    # the contact opted in although the client opted out
    assert consent_decision("marketing", [row(1, None, False, 5), row(2, 7, True, 1)], 7)[0]
    # another contact's opt-out does not bind this one; the client's rows do
    assert consent_decision("marketing", [row(1, 8, False, 0)], 7)[0]
    assert not consent_decision("service", [row(1, None, False, 0)], 7)[0]
    # two rows at the same moment: the later-recorded one wins
    assert consent_decision("marketing", [row(1, None, False, 0), row(2, None, True, 0)], None)[0]


def test_plan_buckets():
    due = dt.date(2026, 3, 10)
    assert plan_bucket(due, dt.date(2026, 3, 10), dt.date(2026, 3, 20)) == "on_time"
    assert plan_bucket(due, dt.date(2026, 3, 11), dt.date(2026, 3, 20)) == "late"
    assert plan_bucket(due, None, dt.date(2026, 3, 11)) == "not_done"
    assert plan_bucket(due, None, dt.date(2026, 3, 10)) == "pending"


def test_tags_are_trimmed_lowered_and_unique():
    assert parse_tags(" Dairy, dairy,, Kigali-North ; x") == ["dairy", "kigali-north x"]
    assert parse_tags(["A", "a", "b"]) == ["a", "b"]
    assert parse_tags(None) == []


def test_segment_rules_drop_empty_and_unknown_keys_and_refuse_negative_days():
    assert clean_segment_rules({"regions": [], "statuses": ["active", "active"], "evil": "DROP", "needs": ""}) == {
        "statuses": ["active"]
    }
    assert clean_segment_rules({"silent_days": "30"}) == {"silent_days": 30}
    with pytest.raises(ValueError):
        clean_segment_rules({"silent_days": -1})
