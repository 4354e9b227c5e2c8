"""A keeper who reads Kinyarwanda prints from the browser (issue 12, item 6): a fuel issue to a
truck comes as a PDF with its unit cost and odometer in the reader's words and numbers, and a
parts receipt's label sheet holds one label per piece received."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect
from sqlalchemy import select

from tests.e2e.test_first_day import go, grid, wait_idle
from tests.pdf import pdf_text


def _documents(demo_db):  # type: ignore[no-untyped-def]
    """A parts receipt and, after it, a fuel issue to a truck with its odometer, posted by
    the keeper through the services; the keeper reads Kinyarwanda."""
    from common.actor import Actor
    from core.services import fleet, stock, users
    from core.services.settings import company_today
    from core.services.stock import DocumentInput, LineInput
    from db.models.auth import User
    from db.models.fleet import Vehicle
    from db.models.stock import Item, Warehouse
    from db.session import UnitOfWork, engine_for

    factory = engine_for(demo_db.sqlalchemy_url)[1]
    with factory() as s:
        user = s.scalar(select(User).where(User.username == "warehouse"))
        admin = s.scalar(select(User).where(User.username == "admin"))
        diesel = s.scalar(select(Item.id).where(Item.article == "FUEL-DSL"))
        parts = s.scalars(select(Item.id).where(Item.unit == "pcs").order_by(Item.id).limit(2)).all()
        tank = s.scalar(select(Warehouse.id).where(Warehouse.name == "Diesel tank 1"))
        store = s.scalar(select(Warehouse.id).where(Warehouse.name == "Main store"))
        truck = s.scalar(select(Vehicle.id).where(Vehicle.unit_type == "tractor").order_by(Vehicle.id).limit(1))
        today = company_today(s)
    keeper = Actor(user_id=user.id, username=user.username, role=user.role)
    boss = Actor(user_id=admin.id, username=admin.username, role=admin.role)
    users.set_language(UnitOfWork(factory, keeper), keeper, "rw")
    receipt = stock.create_and_post(
        UnitOfWork(factory, keeper),
        keeper,
        DocumentInput("receipt", store, today, [LineInput(parts[0], "3", "12000"), LineInput(parts[1], "2", "8000")]),
    )
    stock.create_and_post(
        UnitOfWork(factory, keeper),
        keeper,
        DocumentInput("receipt", tank, today, [LineInput(diesel, "1000", "1650")]),
    )
    km = int(fleet.get_unit(UnitOfWork(factory, boss), boss, truck)["odometer_km"] or 0) + 1234
    issue = stock.create_and_post(
        UnitOfWork(factory, keeper),
        keeper,
        DocumentInput("issue", tank, today, [LineInput(diesel, "100")], vehicle_id=truck, odometer_km=km),
    )
    docs = {d: stock.get_document(UnitOfWork(factory, keeper), keeper, d) for d in (receipt, issue)}
    barcodes = {line["barcode"]: int(line["quantity"]) for line in docs[receipt]["lines"]}
    return factory, keeper, docs[receipt]["number"], docs[issue], km, barcodes


def _open(page: Page, number: str) -> None:
    grid(page).get_by_text(number, exact=True).click()
    wait_idle(page)
    expect(page.get_by_role("heading", name=re.compile(number))).to_be_visible()


def test_a_kinyarwanda_reader_prints_an_issue_and_a_receipts_labels(page: Page, demo_url: str, demo_db) -> None:  # type: ignore[no-untyped-def]
    from core.services import users
    from db.session import UnitOfWork

    factory, keeper, receipt, issue, km, barcodes = _documents(demo_db)
    try:
        page.goto(demo_url)
        page.get_by_label("User name").fill("warehouse")
        page.get_by_label("Password", exact=True).fill("Demo-pass-2026")
        page.get_by_role("button", name="Log in").click()
        expect(page.get_by_role("heading", name="Umunsi mwiza, warehouse")).to_be_visible()
        go(page, "Fagitire", "Fagitire")

        _open(page, issue["number"])
        with page.expect_download() as download:
            page.get_by_role("button", name="Capa (PDF)").click()
        pdf = download.value.path().read_bytes()
        text = " ".join("\n".join(pdf_text(pdf)).split())
        cost = issue["lines"][0]["unit_price"]
        assert cost and cost > 0
        shown = f"{cost:,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".")
        assert f"100 litiro {shown}" in text  # the moving-average cost, in the reader's numbers
        assert f"Konteri igihe cyo gutanga (km) {km:,}".replace(",", ".") in text
        headers = " ".join("\n".join(pdf_text(pdf, layout=False)).split())  # a header's lines in order
        assert "Igiciro kimwe (RWF)" in headers and "Nimero y'igicuruzwa" in headers

        _open(page, receipt)
        page.get_by_text("Capa udupapuro twa barcode").click()
        page.get_by_role("button", name="Tegura urupapuro rw'udupapuro").click()
        wait_idle(page)
        with page.expect_download() as download:
            page.get_by_role("button", name="Kuramo udupapuro (PDF)").click()
        numbers = re.findall(r"\b\d{13}\b", "".join(pdf_text(download.value.path().read_bytes())))
        assert {code: numbers.count(code) for code in barcodes} == barcodes  # one label per piece
        assert len(numbers) == sum(barcodes.values()) == 5
    finally:
        users.set_language(UnitOfWork(factory, keeper), keeper, "en")
