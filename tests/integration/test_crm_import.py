"""Import of clients with a per-row report; duplicates found and merged without losing history."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from common.errors import ValidationError
from core.services import crm
from core.services.crm import (
    ClientInput,
    ContactInput,
    InteractionInput,
    find_duplicates,
    import_clients,
    merge_clients,
)
from core.services.listing import ListQuery
from db.models.audit import ActivityLog
from db.models.crm import Client
from tests.clock import NOW
from tests.integration.conftest import make_user


@pytest.fixture
def sales(uow, admin):
    return make_user(uow, admin, "amina", "sales_manager")


def test_valid_rows_go_in_and_invalid_rows_are_listed_with_their_column(uow, sales, session_factory):
    rows = [
        {
            "name": "Kivu Beer Ltd",
            "tax_id": "102000001",
            "phone": "0788 100 200",
            "category": "Regular",
            "contact_name": "Jean",
            "contact_email": "jean@kivu.rw",
        },
        {"name": "", "phone": "0788 100 201"},
        {"name": "Bad Phone Co", "phone": "12345"},
        {"name": "Bad Mail Co", "email": "nobody@"},
        {"name": "Same Tax", "tax_id": "102000001"},
        {"name": "Unknown Category", "category": "Platinum"},
        {"name": "Contact without name", "contact_phone": "0788 300 400"},
        {"name": "Musanze Potatoes", "kind": "company", "status": "prospect", "tags": "food, farm"},
        {"name": "Long Region Ltd", "region": "R" * 81},
    ]
    report = import_clients(uow(sales), sales, rows)
    assert report.imported == 2
    assert {(e.row, e.column) for e in report.errors} == {
        (3, "name"),
        (4, "phone"),
        (5, "email"),
        (6, "tax_id"),
        (7, "category"),
        (8, "contact_name"),
        (10, "region"),
    }
    with session_factory() as s:
        assert s.scalar(select(func.count()).select_from(Client)) == 2
    kivu = crm.list_clients(uow(sales), sales, ListQuery(search="kivu")).rows[0]
    assert kivu["phone"] == "+250 788 100 200"
    assert crm.list_contacts(uow(sales), sales, kivu["id"])[0]["email"] == "jean@kivu.rw"


def test_duplicates_are_found_by_similar_name_or_same_phone_and_merged_without_losing_history(
    uow, sales, session_factory
):
    keep = crm.create_client(uow(sales), sales, ClientInput(name="Inyange Industries Ltd", phone="0788 111 222"))
    twin = crm.create_client(  # saved after the person confirmed it is another client
        uow(sales),
        sales,
        ClientInput(name="INYANGE INDUSTRIES", email="info@inyange.rw", tax_id="103000001"),
        confirmed=[keep],
    )
    phone_twin = crm.create_client(
        uow(sales), sales, ClientInput(name="Jean's shop", phone="+250788111222"), confirmed=[keep]
    )
    crm.create_client(uow(sales), sales, ClientInput(name="Kigali Cement"))
    found = find_duplicates(uow(sales), sales, keep)
    assert {f["id"]: f["reasons"] for f in found} == {twin: ["similar name"], phone_twin: ["same phone"]}

    crm.log_interaction(
        uow(sales),
        sales,
        InteractionInput(client_id=twin, kind="call", at=NOW - dt.timedelta(hours=1), topic="Rates", result="OK"),
    )
    crm.add_contact(uow(sales), sales, twin, ContactInput("Alice", phone="0788 999 000"))
    crm.record_consent(uow(sales), sales, twin, "email", "marketing", False, "stop_reply")
    before = crm.timeline(uow(sales), sales, keep)[1] + crm.timeline(uow(sales), sales, twin)[1]

    with pytest.raises(ValidationError):
        merge_clients(uow(sales), sales, keep, keep)
    merge_clients(uow(sales), sales, keep, twin)

    _, total = crm.timeline(uow(sales), sales, keep)
    assert total == before == 2
    kept = crm.get_client(uow(sales), sales, keep)
    assert kept["email"] == "info@inyange.rw" and kept["tax_id"] == "103000001"  # empty fields filled
    assert [c["name"] for c in crm.list_contacts(uow(sales), sales, keep)] == ["Alice"]
    assert crm.get_client(uow(sales), sales, twin)["merged_into_id"] == keep
    assert crm.list_clients(uow(sales), sales, ListQuery(search="inyange")).total == 1
    with pytest.raises(Exception):
        merge_clients(uow(sales), sales, keep, twin)  # already merged
    with session_factory() as s:
        entry = s.scalars(select(ActivityLog).where(ActivityLog.action == "merge")).one()
    assert entry.entity_id == str(keep) and len(entry.changes["moved"]["interaction"]) == 1
    assert len(entry.changes["moved"]["consent"]) == 1
