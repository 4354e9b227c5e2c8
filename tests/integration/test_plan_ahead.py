"""Looking ahead on the plan (issue 12, item 8): a promise or a next step due on a future day
shows on that day's plan, as that day's scan will put it there, before any scan has; once
scanned it shows once; a promise kept, or a rule switched off, shows nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from core.services import crm
from tests.clock import TODAY
from tests.integration.conftest import make_user
from tests.integration.test_crm import client, log


@pytest.fixture
def sales(uow, admin):
    return make_user(uow, admin, "amina", "sales_manager")


def plan(uow, actor, day, owner=None):
    return crm.daily_plan(uow(actor), actor, day, owner)["follow_ups"]


def test_a_promise_due_on_a_day_ahead_shows_on_that_days_plan(uow, sales):
    cid = client(uow, sales)
    due = TODAY + dt.timedelta(days=5)
    iid = log(uow, sales, cid, promise="Send the price list", promise_due=due)
    assert plan(uow, sales, TODAY) == []  # not today: its day is ahead
    assert plan(uow, sales, due - dt.timedelta(days=1)) == []  # the rule's lead is 0 days
    [item] = plan(uow, sales, due)
    assert item["upcoming"] and item["id"] is None and not item["overdue"]
    assert (item["client_id"], item["interaction_id"], item["due"]) == (cid, iid, due)
    assert item["title"].format(**item["params"]) == "Promise: Send the price list"
    assert len(plan(uow, sales, due + dt.timedelta(days=3))) == 1  # still owed on the days after


def test_once_the_scan_put_it_there_it_shows_once_as_a_plan_item(uow, sales):
    cid = client(uow, sales)
    due = TODAY + dt.timedelta(days=2)
    log(uow, sales, cid, next_step="Visit the warehouse", next_due=due)
    assert crm.follow_up_scan(uow(), due) == 1
    [item] = plan(uow, sales, due)
    assert not item["upcoming"] and item["id"] is not None


def test_a_kept_promise_or_a_rule_switched_off_shows_nothing_ahead(uow, sales, admin):
    cid = client(uow, sales)
    due = TODAY + dt.timedelta(days=4)
    iid = log(uow, sales, cid, promise="Call back", promise_due=due, next_step="Send an offer", next_due=due)
    assert {i["rule"] for i in plan(uow, sales, due)} == {"promise", "next_step"}
    crm.keep_promise(uow(sales), sales, iid)
    assert [i["rule"] for i in plan(uow, sales, due)] == ["next_step"]
    rule = next(r for r in crm.list_rules(uow(admin), admin) if r["kind"] == "next_step")
    crm.save_rule(uow(admin), admin, "next_step", 0, None, False, rule["id"], rule["version"])
    assert plan(uow, sales, due) == []


def test_the_rules_lead_brings_it_ahead_of_its_day_as_the_scan_does(uow, sales, admin):
    rule = next(r for r in crm.list_rules(uow(admin), admin) if r["kind"] == "promise")
    crm.save_rule(uow(admin), admin, "promise", 3, None, True, rule["id"], rule["version"])
    cid = client(uow, sales)
    due = TODAY + dt.timedelta(days=10)
    log(uow, sales, cid, promise="Deliver the samples", promise_due=due)
    assert plan(uow, sales, due - dt.timedelta(days=4)) == []
    [item] = plan(uow, sales, due - dt.timedelta(days=3))
    assert item["due"] == due  # shown with its own day


def test_an_item_ahead_is_on_the_plan_of_whom_the_scan_will_give_it_to(uow, sales, admin):
    other = make_user(uow, admin, "eric", "sales_manager")
    cid = client(uow, sales)
    due = TODAY + dt.timedelta(days=3)
    log(uow, sales, cid, next_step="Sign the contract", next_due=due, next_owner_user_id=other.user_id)
    assert plan(uow, sales, due) == []
    assert [i["rule"] for i in plan(uow, other, due)] == ["next_step"]
