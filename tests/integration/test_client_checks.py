"""A TIN that is a TIN, and a new client that is likely one saved already (issue 12, item 10):
in Rwanda a TIN is 9 digits (typed with spaces or not, stored as digits), a client abroad
keeps its country's format; the client card, the import and the company profile apply the
one rule; a likely duplicate is named at save time and nothing is saved until confirmed."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from common.errors import ValidationError
from core.services import crm
from core.services.crm import ClientInput, LikelyDuplicates, import_clients
from core.services.listing import ListQuery
from core.services.settings import CompanyInput, get_company, update_company
from db.models.crm import Client
from tests.integration.conftest import make_user


@pytest.fixture
def sales(uow, admin):
    return make_user(uow, admin, "amina", "sales_manager")


def tax_error(uow, actor, **kw) -> str:
    with pytest.raises(ValidationError) as err:
        crm.create_client(uow(actor), actor, ClientInput(name=kw.pop("name", "Kivu Beer"), **kw))
    return err.value.errors["tax_id"][0]


def clients(session_factory) -> int:
    with session_factory() as s:
        return s.scalar(select(func.count()).select_from(Client))


def set_company_country(uow, admin, country: str) -> None:
    c = get_company(uow(admin))
    update_company(uow(admin), admin, CompanyInput(name=str(c["name"]), country=country))


def test_a_rwandan_tin_is_nine_digits_and_is_stored_as_digits(uow, sales, session_factory):
    for wrong in ("ABC", "12345678", "1234567890", "102-345-678", "10234567X"):
        assert tax_error(uow, sales, tax_id=wrong) == "A Rwandan TIN is 9 digits (for example 102 345 678)."
    assert clients(session_factory) == 0
    cid = crm.create_client(uow(sales), sales, ClientInput(name="Kivu Beer", tax_id=" 102 345 678 "))
    assert crm.get_client(uow(sales), sales, cid)["tax_id"] == "102345678"
    # the same TIN typed another way is the same TIN
    assert tax_error(uow, sales, name="Other Ltd", tax_id="102345678") == "Client {code} already has this tax id."


def test_a_client_abroad_keeps_its_countrys_format(uow, sales):
    cid = crm.create_client(uow(sales), sales, ClientInput(name="Nairobi Freight", country="KE", tax_id="p051234567x"))
    saved = crm.get_client(uow(sales), sales, cid)
    assert (saved["country"], saved["tax_id"]) == ("KE", "P051234567X")
    crm.create_client(uow(sales), sales, ClientInput(name="Kampala Movers", country="UG", tax_id="1000 2345/67-8"))
    message = "A tax number has 4 to 20 letters, digits, spaces, - or /, with at least one digit."
    assert tax_error(uow, sales, country="KE", tax_id="ABC") == message
    assert tax_error(uow, sales, country="KE", tax_id="ABCDEFG") == message  # no digit
    assert tax_error(uow, sales, country="KE", tax_id="12;34") == message
    assert tax_error(uow, sales, country="KE", tax_id="1" * 21) == message
    with pytest.raises(ValidationError) as err:
        crm.create_client(uow(sales), sales, ClientInput(name="Nowhere Ltd", country="Narnia"))
    assert set(err.value.errors) == {"country"}


def test_a_client_with_no_country_follows_the_companys_country(uow, admin, sales):
    assert tax_error(uow, sales, tax_id="P051234567X").startswith("A Rwandan TIN")
    set_company_country(uow, admin, "KE")
    cid = crm.create_client(uow(sales), sales, ClientInput(name="Local Kenyan Client", tax_id="P051234567X"))
    assert crm.get_client(uow(sales), sales, cid)["country"] is None
    # a Rwandan client of a Kenyan company is still checked as Rwandan
    assert tax_error(uow, sales, country="RW", tax_id="P051234567Y").startswith("A Rwandan TIN")


def test_the_companys_own_tin_follows_the_same_rule(uow, admin):
    name = str(get_company(uow(admin))["name"])
    with pytest.raises(ValidationError) as err:
        update_company(uow(admin), admin, CompanyInput(name=name, tax_id="ABC"))
    assert set(err.value.errors) == {"tax_id"}
    update_company(uow(admin), admin, CompanyInput(name=name, tax_id="102 345 678"))
    assert get_company(uow(admin))["tax_id"] == "102345678"
    with pytest.raises(ValidationError) as err:
        update_company(uow(admin), admin, CompanyInput(name=name, country="XX"))
    assert set(err.value.errors) == {"country"}


def test_the_import_applies_the_same_rule_and_reads_the_country(uow, sales):
    rows = [
        {"name": "Kigali Dairy", "tax_id": "ABC"},
        {"name": "Musanze Potatoes", "tax_id": "103 000 111"},
        {"name": "Nairobi Freight", "country": "Kenya", "tax_id": "P051234567X"},
        {"name": "Goma Traders", "country": "Atlantis", "tax_id": "123456789"},
    ]
    report = import_clients(uow(sales), sales, rows)
    assert report.imported == 2
    assert {(e.row, e.column) for e in report.errors} == {(2, "tax_id"), (5, "country")}
    ids = {r["name"]: r["id"] for r in crm.list_clients(uow(sales), sales, ListQuery()).rows}
    assert crm.get_client(uow(sales), sales, ids["Musanze Potatoes"])["tax_id"] == "103000111"
    assert crm.get_client(uow(sales), sales, ids["Nairobi Freight"])["country"] == "KE"


def test_a_likely_duplicate_is_named_at_save_time_and_nothing_is_saved_until_confirmed(uow, sales, session_factory):
    first = crm.create_client(
        uow(sales), sales, ClientInput(name="Inyange Industries", phone="0788 111 222", email="info@inyange.rw")
    )
    again = ClientInput(name="Inyange Industries", phone="+250788111222", email="INFO@inyange.rw")
    with pytest.raises(LikelyDuplicates) as err:
        crm.create_client(uow(sales), sales, again)
    [match] = err.value.matches
    code = crm.get_client(uow(sales), sales, first)["code"]
    assert (match["id"], match["code"], match["name"]) == (first, code, "Inyange Industries")
    assert (match["phone"], match["email"]) == ("+250 788 111 222", "info@inyange.rw")
    assert set(match["reasons"]) == {"same phone", "same e-mail", "similar name"}
    assert clients(session_factory) == 1  # nothing saved

    second = crm.create_client(uow(sales), sales, again, confirmed=[first])  # the person confirmed
    assert second != first and clients(session_factory) == 2


def test_a_confirmation_covers_only_the_clients_it_named(uow, sales, session_factory):
    first = crm.create_client(uow(sales), sales, ClientInput(name="Kivu Beer", phone="0788 333 444"))
    crm.create_client(
        uow(sales), sales, ClientInput(name="Lake Kivu Beer Company", email="sales@kivubeer.rw"), confirmed=[first]
    )
    with pytest.raises(LikelyDuplicates) as err:  # confirmed against the first only: the second is named
        crm.create_client(
            uow(sales),
            sales,
            ClientInput(name="Kivu Beer", phone="0788 333 444", email="sales@kivubeer.rw"),
            confirmed=[first],
        )
    assert len(err.value.matches) == 2
    assert clients(session_factory) == 2


def test_a_client_like_no_other_is_saved_at_once(uow, sales):
    crm.create_client(uow(sales), sales, ClientInput(name="Inyange Industries", phone="0788 111 222"))
    assert crm.create_client(uow(sales), sales, ClientInput(name="Rwanda Mountain Tea", phone="0788 999 888"))
