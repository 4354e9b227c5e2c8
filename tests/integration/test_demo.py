"""The small demo is a Rwandan company a Rwandan office would believe: every client and
employee named once, with no number to tell two apart, and Rwandan (+250) phones."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from sqlalchemy import select

from db.models.auth import User
from db.models.crm import Client, ClientContact
from db.models.hr import Employee
from db.models.notify import Notification
from db.session import engine_for
from demo.load import load_demo
from demo.names import TOWNS, Names
from tests.conftest import fresh_database

PHONE = re.compile(r"^\+250 7[2389]\d \d{3} \d{3}$")


@pytest.fixture(scope="module")
def demo(database):  # type: ignore[no-untyped-def]
    location = fresh_database(database, "twara_demo_names")
    factory = engine_for(location.sqlalchemy_url)[1]
    load_demo(factory, "small")
    with factory() as s:
        yield {
            "clients": list(s.execute(select(Client.name, Client.kind, Client.phone, Client.region, Client.email))),
            "employees": list(s.execute(select(Employee.full_name, Employee.phone, Employee.email))),
            "contacts": list(s.execute(select(ClientContact.name, ClientContact.phone))),
            "users": list(s.scalars(select(User.full_name))),
            "notices": list(
                s.execute(select(Notification.user_id, Notification.title, Notification.cause, Notification.times))
            ),
        }


def test_names_are_unique_and_carry_no_number(demo):
    clients = [c.name for c in demo["clients"]]
    people = [e.full_name for e in demo["employees"]] + [c.name for c in demo["clients"] if c.kind == "person"]
    assert len(clients) == 300 and len(demo["employees"]) == 94
    for names in (clients, [e.full_name for e in demo["employees"]], people + demo["users"]):
        assert [n for n, k in Counter(names).items() if k > 1] == []
    assert [n for n in clients + people + [c.name for c in demo["contacts"]] if re.search(r"\d", n)] == []


def test_phones_are_rwandan_and_clients_are_in_rwandan_towns(demo):
    phones = [c.phone for c in demo["clients"]] + [e.phone for e in demo["employees"]]
    phones += [c.phone for c in demo["contacts"]]
    assert [p for p in phones if not PHONE.match(p or "")] == []
    assert {c.region for c in demo["clients"]} <= set(TOWNS)
    assert all(e.email.endswith("@twara-transport.rw") for e in demo["employees"])


def test_companies_are_composed_from_the_lists_and_take_a_town_only_when_the_pairs_run_out():
    names = Names(7)
    first = [names.company() for _ in range(288)]
    assert len(set(first)) == 288 and not any(name.endswith(tuple(TOWNS)) for name in first)
    more = names.company()
    assert more.endswith(tuple(TOWNS)) and more not in first


def test_the_keepers_inbox_has_one_notice_per_cause_not_a_flood(demo):
    """The demo's postings take diesel below its level again and again: one notice, updated,
    per keeper and cause (issue 12, item 11), never eight alike."""
    notices = demo["notices"]
    repeated = Counter((n.user_id, n.title) for n in notices)
    assert [key for key, count in repeated.items() if count > 1] == []
    assert [n for n in notices if n.cause and n.cause.startswith("low_stock:item:")]  # the demo does fall low
    assert max(n.times for n in notices) > 1  # and falls again: the notice was updated
